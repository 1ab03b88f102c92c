//! The device register in SQLite: listing (filter, sort, page by id), reading, and every change
//! (add, edit, transfer, status change, removal), each written with its history-book entry in
//! one transaction.

use std::net::IpAddr;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, Statement, params};

use super::Stamp;
use super::approvals::Evidence;
use super::device_log::{self, EventKind};
use super::paging::Place;
use crate::domain::device::{
    Category, ChangeDetails, ScrapReason, Status, TransitionError, check_transition, next_tag,
};
use crate::domain::record::{Field, Record, parse_date};

/// A device as stored: its record plus what the store keeps about the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: i64,
    pub record: Record,
    pub row_version: i64,
    /// Removed from the register (kept, with its history, but no longer listed).
    pub removed: bool,
}

impl Device {
    /// Scrapped and removed devices are history: nothing about them changes any more.
    pub fn is_read_only(&self) -> bool {
        self.removed || self.record.status.is_final()
    }
}

/// The columns every device query reads, in the order `from_row` expects.
const COLUMNS: &str = "id, asset_tag, name, category, model, manufacturer, serial_no, location, \
    department, owner, ip_address, mac_address, status, purchased_on, warranty_until, supplier, \
    ups_protected, notes, row_version, retired_at IS NOT NULL";

fn from_row(r: &Row) -> rusqlite::Result<Device> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|d| parse_date(&d)))
    };
    Ok(Device {
        id: r.get(0)?,
        record: Record {
            asset_tag: text(1)?,
            name: text(2)?,
            category: crate::domain::device::Category::parse(&text(3)?)
                .unwrap_or(crate::domain::device::Category::Other),
            model: text(4)?,
            manufacturer: text(5)?,
            serial_no: text(6)?,
            location: text(7)?,
            department: text(8)?,
            owner: text(9)?,
            ip_address: r
                .get::<_, Option<String>>(10)?
                .and_then(|ip| ip.parse::<IpAddr>().ok()),
            mac_address: r.get(11)?,
            status: Status::parse(&text(12)?).unwrap_or(Status::InStock),
            purchased_on: date(13)?,
            warranty_until: date(14)?,
            supplier: text(15)?,
            ups_protected: r.get(16)?,
            notes: text(17)?,
        },
        row_version: r.get(18)?,
        removed: r.get(19)?,
    })
}

/// Why a change was not saved. Nothing is written when any of these comes back.
#[derive(Debug)]
pub enum SaveError {
    /// Someone else saved this device after it was read: reload and redo.
    Conflict {
        tag: String,
    },
    DuplicateTag {
        tag: String,
    },
    DuplicateIp {
        ip: String,
        holder: String,
    },
    ReadOnly {
        tag: String,
    },
    /// A plain edit tried to change the status, which is an action of its own.
    StatusNeedsAction,
    Transition(TransitionError),
    NeedsApprover,
    /// The operator recording a change named themselves as its approver.
    SelfApproved,
    /// The approver may not approve this (see [`crate::db::approvals`]).
    Approval(crate::db::approvals::ApprovalError),
    NeedsReason,
    NothingToTransfer,
    NotFound,
    /// An import was stopped before its end: what its committed steps wrote stays.
    Stopped,
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for SaveError {
    fn from(e: rusqlite::Error) -> SaveError {
        SaveError::Db(e)
    }
}

impl std::error::Error for SaveError {}

/// The column a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Tag,
    Name,
    Category,
    Location,
    Department,
    Owner,
    Ip,
    Status,
    Warranty,
}

impl SortKey {
    pub const ALL: [SortKey; 9] = [
        SortKey::Tag,
        SortKey::Name,
        SortKey::Category,
        SortKey::Location,
        SortKey::Department,
        SortKey::Owner,
        SortKey::Ip,
        SortKey::Status,
        SortKey::Warranty,
    ];

    pub fn field(self) -> Field {
        match self {
            SortKey::Tag => Field::AssetTag,
            SortKey::Name => Field::Name,
            SortKey::Category => Field::Category,
            SortKey::Location => Field::Location,
            SortKey::Department => Field::Department,
            SortKey::Owner => Field::Owner,
            SortKey::Ip => Field::IpAddress,
            SortKey::Status => Field::Status,
            SortKey::Warranty => Field::WarrantyUntil,
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            SortKey::Tag => "asset_tag",
            SortKey::Name => "name",
            SortKey::Category => "category",
            SortKey::Location => "location",
            SortKey::Department => "department",
            SortKey::Owner => "owner",
            // Addresses are put in numeric order in Rust; this only groups them.
            SortKey::Ip => "ip_address",
            SortKey::Status => "status",
            SortKey::Warranty => "warranty_until IS NULL, warranty_until",
        }
    }
}

/// Which devices a list shows, and in what order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Words typed after `/`: a device is shown when every word appears in one of its text
    /// fields, or names its category or status.
    pub search: String,
    pub status: Option<Status>,
    pub category: Option<crate::domain::device::Category>,
    /// Devices whose location starts with this (a room, or a room and rack).
    pub location: Option<String>,
    /// Show scrapped and removed devices too.
    pub archived: bool,
    pub sort: SortKey,
    pub descending: bool,
}

/// `limit` devices of the list from `place`, in list order: the first ones read along the
/// sort's index, the last ones from the far end in the reverse order. Past a device it does not
/// read (`None`): the register's sort by address is made in Rust, not along an index.
pub fn rows(
    conn: &Connection,
    query: &ListQuery,
    place: Place,
    limit: usize,
) -> Option<rusqlite::Result<Vec<Device>>> {
    let reversed = || ListQuery {
        descending: !query.descending,
        ..query.clone()
    };
    // The ids of the last `skip + take` devices, the last `skip` of them left out, in list order.
    let from_end = |skip: usize, take: usize| {
        let mut ids = first_ids(conn, &reversed(), skip.saturating_add(take))?;
        ids.drain(..skip.min(ids.len()));
        ids.reverse();
        by_ids(conn, &ids)
    };
    Some(match place {
        Place::Down { offset, of } => match of.and_then(|n| Place::nearer_end(offset, limit, n)) {
            Some((below, take)) => from_end(below, take),
            None => first_ids(conn, query, offset.saturating_add(limit))
                .and_then(|ids| by_ids(conn, &ids[offset.min(ids.len())..])),
        },
        Place::End => from_end(0, limit),
        Place::After(_) | Place::Before(_) => return None,
    })
}

/// The ids of the devices a query shows, in order. Ids only: the screen fetches the few rows
/// it draws with [`by_ids`], so 100k devices cost one small vector.
pub fn list_ids(conn: &Connection, query: &ListQuery) -> rusqlite::Result<Vec<i64>> {
    first_ids(conn, query, usize::MAX)
}

/// The first `most` of [`list_ids`], read only as far as they go: the first screenful of a
/// filter costs a screenful. The address order is made in Rust, so that sort reads them all.
pub fn first_ids(conn: &Connection, query: &ListQuery, most: usize) -> rusqlite::Result<Vec<i64>> {
    // The address is read only to sort by it; otherwise the sort index alone answers.
    let ip = if query.sort == SortKey::Ip {
        "ip_address"
    } else {
        "NULL"
    };
    // A word that can name a category or status matches without its text, so only the others
    // may narrow the rows through the trigram index.
    let plain: Vec<&str> = query
        .search
        .split_whitespace()
        .filter(|w| {
            crate::domain::device::Category::parse(w).is_none() && Status::parse(w).is_none()
        })
        .collect();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut sql = match crate::db::search::rare_trigrams(conn, "devices_search", &plain)? {
        Some(rare) => {
            args.push(rare.into());
            format!(
                "SELECT id, {ip} FROM devices_search CROSS JOIN devices
                 ON devices.id = devices_search.rowid WHERE devices_search MATCH ?"
            )
        }
        None => format!("SELECT id, {ip} FROM devices WHERE 1"),
    };
    if !query.archived {
        sql.push_str(" AND retired_at IS NULL AND status <> 'scrapped'");
    }
    if let Some(status) = query.status {
        sql.push_str(" AND status = ?");
        args.push(status.key().to_owned().into());
    }
    if let Some(category) = query.category {
        sql.push_str(" AND category = ?");
        args.push(category.key().to_owned().into());
    }
    if let Some(location) = &query.location {
        sql.push_str(" AND substr(location, 1, length(?)) = ?");
        args.push(location.clone().into());
        args.push(location.clone().into());
    }
    for word in query.search.split_whitespace() {
        sql.push_str(" AND (instr(devices.search_text, lower(?)) > 0");
        args.push(word.to_owned().into());
        if let Some(c) = crate::domain::device::Category::parse(word) {
            sql.push_str(" OR category = ?");
            args.push(c.key().to_owned().into());
        }
        if let Some(s) = Status::parse(word) {
            sql.push_str(" OR status = ?");
            args.push(s.key().to_owned().into());
        }
        sql.push(')');
    }
    let direction = if query.descending { "DESC" } else { "ASC" };
    let order = query
        .sort
        .order_by()
        .split(", ")
        .map(|col| format!("{col} {direction}"))
        .collect::<Vec<_>>()
        .join(", ");
    sql.push_str(&format!(" ORDER BY {order}, id {direction}"));
    if query.sort != SortKey::Ip && most < i64::MAX as usize {
        sql.push_str(" LIMIT ?");
        args.push((most as i64).into());
    }
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let mut found: Vec<(i64, Option<String>)> = rows.collect::<Result<_, _>>()?;
    if query.sort == SortKey::Ip {
        // Numeric address order: 10.0.0.9 before 10.0.0.10; devices without one last.
        let key = |ip: &Option<String>| ip.as_deref().and_then(|t| t.parse::<IpAddr>().ok());
        found.sort_by(|(a_id, a), (b_id, b)| {
            let (a, b) = (key(a), key(b));
            let order = a.is_none().cmp(&b.is_none()).then(a.cmp(&b));
            let order = order.then(a_id.cmp(b_id));
            if query.descending {
                order.reverse()
            } else {
                order
            }
        });
    }
    Ok(found.into_iter().map(|(id, _)| id).collect())
}

/// The devices with these ids, in the order given (missing ids are skipped). Read in chunks,
/// so any number of ids stays within SQLite's limit on bound values.
pub fn by_ids(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<Device>> {
    let mut found: Vec<Device> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!("SELECT {COLUMNS} FROM devices WHERE id IN ({marks})");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(chunk), from_row)?;
        for row in rows {
            found.push(row?);
        }
    }
    let order: std::collections::HashMap<i64, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    found.sort_by_key(|d| order.get(&d.id).copied());
    Ok(found)
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Device>> {
    let sql = format!("SELECT {COLUMNS} FROM devices WHERE id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()
}

/// The device with this asset tag (any case), removed ones included.
pub fn by_tag(conn: &Connection, tag: &str) -> rusqlite::Result<Option<Device>> {
    let sql = format!("SELECT {COLUMNS} FROM devices WHERE asset_tag = ?1");
    conn.prepare_cached(&sql)?
        .query_row([tag.trim()], from_row)
        .optional()
}

/// The id and "tag name" of the device in the register that holds this address.
pub fn address_holder(conn: &Connection, ip: IpAddr) -> rusqlite::Result<Option<(i64, String)>> {
    conn.prepare_cached(
        "SELECT id, asset_tag || ' ' || name FROM devices
         WHERE ip_address = ?1 AND status <> 'scrapped' AND retired_at IS NULL",
    )?
    .query_row([ip.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

/// Take a device's address away without a history entry: only for a moment inside a
/// transaction that gives it its new address (so two devices can swap addresses).
pub fn release_address(conn: &Connection, id: i64, stamp: &Stamp) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE devices SET ip_address = NULL, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
        params![id, stamp.at_text(), stamp.by],
    )?;
    Ok(())
}

/// The device in the register (not scrapped, not removed) that holds this address, other
/// than `except`: "tag name" for messages.
pub fn ip_holder(
    conn: &Connection,
    ip: IpAddr,
    except: Option<i64>,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT asset_tag || ' ' || name FROM devices
         WHERE ip_address = ?1 AND status <> 'scrapped' AND retired_at IS NULL
           AND id IS NOT ?2",
    )?
    .query_row(params![ip.to_string(), except], |r| r.get(0))
    .optional()
}

/// Whether another device, removed ones included, already has this asset tag.
/// The asset tag of device `id`, removed or not; `None` when there is no such device.
pub fn tag_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT asset_tag FROM devices WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

pub fn tag_taken(conn: &Connection, tag: &str, except: Option<i64>) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM devices WHERE asset_tag = ?1 AND id IS NOT ?2)",
    )?
    .query_row(params![tag.trim(), except], |r| r.get(0))
}

/// The checks every save makes inside its transaction: unique tag, unique address in use.
fn check_unique(conn: &Connection, record: &Record, except: Option<i64>) -> Result<(), SaveError> {
    if tag_taken(conn, &record.asset_tag, except)? {
        return Err(SaveError::DuplicateTag {
            tag: record.asset_tag.clone(),
        });
    }
    if let Some(ip) = record.ip_address
        && !record.status.is_final()
        && let Some(holder) = ip_holder(conn, ip, except)?
    {
        return Err(SaveError::DuplicateIp {
            ip: ip.to_string(),
            holder,
        });
    }
    Ok(())
}

/// The register's own columns, in the order [`bind_values`] binds them.
const VALUE_COLUMNS: &str = "asset_tag, name, category, model, manufacturer, serial_no, location,
     department, owner, ip_address, mac_address, status, purchased_on, warranty_until, supplier,
     ups_protected, notes";

/// Bind a record's seventeen values to parameters `?first` onwards.
fn bind_values(stmt: &mut Statement, first: usize, record: &Record) -> rusqlite::Result<()> {
    let opt = |f: Field| Some(record.value(f)).filter(|v| !v.is_empty());
    let texts = [
        &record.asset_tag,
        &record.name,
        record.category.key(),
        &record.model,
        &record.manufacturer,
        &record.serial_no,
        &record.location,
        &record.department,
        &record.owner,
    ];
    for (i, text) in texts.into_iter().enumerate() {
        stmt.raw_bind_parameter(first + i, text)?;
    }
    stmt.raw_bind_parameter(first + 9, opt(Field::IpAddress))?;
    stmt.raw_bind_parameter(first + 10, opt(Field::MacAddress))?;
    stmt.raw_bind_parameter(first + 11, record.status.key())?;
    stmt.raw_bind_parameter(first + 12, opt(Field::PurchasedOn))?;
    stmt.raw_bind_parameter(first + 13, opt(Field::WarrantyUntil))?;
    stmt.raw_bind_parameter(first + 14, &record.supplier)?;
    stmt.raw_bind_parameter(first + 15, record.ups_protected)?;
    stmt.raw_bind_parameter(first + 16, &record.notes)?;
    Ok(())
}

/// Add a device; its history starts with a `created` (or `imported`) entry listing every
/// value it was given.
pub fn insert(
    conn: &Connection,
    record: &Record,
    kind: EventKind,
    stamp: &Stamp,
) -> Result<i64, SaveError> {
    let id = insert_row(conn, record, stamp)?;
    let changes: Vec<(Field, String, String)> = Field::ALL
        .into_iter()
        .map(|f| (f, String::new(), record.value(f)))
        .filter(|(_, _, new)| !new.is_empty())
        .collect();
    let event = device_log::NewEvent::new(kind, stamp.at.date());
    device_log::append(conn, id, &event, &changes, stamp)?;
    Ok(id)
}

/// Add devices in bulk: each row as [`insert`] writes it, and then, for all of them in two
/// statements, the history entries that open their books. `progress` hears how many are
/// written after every batch; `false` stops, and the caller's transaction is then to be rolled
/// back. Must run inside a transaction.
pub fn insert_all(
    conn: &Connection,
    records: impl Iterator<Item = Record>,
    kind: EventKind,
    stamp: &Stamp,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<usize, SaveError> {
    // A batch is short enough for Esc and the progress line to answer at once, and long
    // enough for its history to be written set-wise.
    const BATCH: usize = 512;
    let event = device_log::NewEvent::new(kind, stamp.at.date());
    let mut records = records.peekable();
    let mut written = 0;
    while records.peek().is_some() {
        let before: i64 = conn
            .prepare_cached("SELECT ifnull(max(id), 0) FROM devices")?
            .query_row([], |r| r.get(0))?;
        for record in records.by_ref().take(BATCH) {
            insert_row(conn, &record, stamp)?;
            written += 1;
        }
        device_log::open_books_after(conn, before, &event, stamp)?;
        if !progress(written) {
            return Err(SaveError::Stopped);
        }
    }
    Ok(written)
}

/// A new device's row, refused when its asset tag or address is taken.
fn insert_row(conn: &Connection, record: &Record, stamp: &Stamp) -> Result<i64, SaveError> {
    check_unique(conn, record, None)?;
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO devices ({VALUE_COLUMNS}, created_at, created_by, updated_at, updated_by)
         VALUES (?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                 ?1, ?2, ?1, ?2)"
    ))?;
    stmt.raw_bind_parameter(1, stamp.at_text())?;
    stmt.raw_bind_parameter(2, &stamp.by)?;
    bind_values(&mut stmt, 3, record)?;
    stmt.raw_execute()?;
    Ok(conn.last_insert_rowid())
}

/// Load a device for a change, refusing when it is gone, read-only or changed since read.
pub fn load_for_change(conn: &Connection, id: i64, version: i64) -> Result<Device, SaveError> {
    let device = get(conn, id)?.ok_or(SaveError::NotFound)?;
    if device.is_read_only() {
        return Err(SaveError::ReadOnly {
            tag: device.record.asset_tag,
        });
    }
    if device.row_version != version {
        return Err(SaveError::Conflict {
            tag: device.record.asset_tag,
        });
    }
    Ok(device)
}

/// Store new values and the history entry listing what changed. `Ok(false)` when nothing did.
fn apply_change(
    conn: &Connection,
    before: &Device,
    after: &Record,
    event: &device_log::NewEvent,
    stamp: &Stamp,
) -> Result<bool, SaveError> {
    let changes = before.record.changes_to(after);
    if changes.is_empty() {
        return Ok(false);
    }
    check_unique(conn, after, Some(before.id))?;
    // The stamp goes with the values, so the audit log credits the change to whoever makes it.
    let mut stmt = conn.prepare_cached(&format!(
        "UPDATE devices SET ({VALUE_COLUMNS}) = (?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
             ?14, ?15, ?16, ?17, ?18, ?19, ?20),
             updated_at = ?2, updated_by = ?3, row_version = row_version + 1
         WHERE id = ?1"
    ))?;
    stmt.raw_bind_parameter(1, before.id)?;
    stmt.raw_bind_parameter(2, stamp.at_text())?;
    stmt.raw_bind_parameter(3, &stamp.by)?;
    bind_values(&mut stmt, 4, after)?;
    stmt.raw_execute()?;
    device_log::append(conn, before.id, event, &changes, stamp)?;
    Ok(true)
}

/// Correct a device's details (a plain edit, recorded as such). The status is not an edit:
/// it changes through [`change_status`], with its approvals. An import with `--update` may
/// move the status along the lifecycle where no approval is needed. `Ok(false)`: no change.
pub fn update(
    conn: &Connection,
    id: i64,
    version: i64,
    record: &Record,
    kind: EventKind,
    stamp: &Stamp,
) -> Result<bool, SaveError> {
    let before = load_for_change(conn, id, version)?;
    update_from(conn, &before, record, kind, stamp)
}

/// [`update`] of a device as read earlier by the caller, who has checked it is still current.
/// The history lists the changes from `before`.
pub fn update_from(
    conn: &Connection,
    before: &Device,
    record: &Record,
    kind: EventKind,
    stamp: &Stamp,
) -> Result<bool, SaveError> {
    if record.status != before.record.status {
        if kind != EventKind::Imported {
            return Err(SaveError::StatusNeedsAction);
        }
        check_transition(
            before.record.status,
            record.status,
            &ChangeDetails::default(),
        )
        .map_err(SaveError::Transition)?;
    }
    apply_change(
        conn,
        before,
        record,
        &device_log::NewEvent::new(kind, stamp.at.date()),
        stamp,
    )
}

/// A transfer (调拨): where the device goes and who answers for it, on whose approval.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transfer {
    pub location: String,
    pub department: String,
    pub owner: String,
    pub approver: String,
    /// The approver's countersignature or paper slip, with accounts on.
    pub evidence: Evidence,
    pub date: Option<NaiveDate>,
    pub reason: String,
}

/// The approval of `deed` by `approver`: what is stored of its evidence.
fn approved(
    conn: &Connection,
    approver: &str,
    deed: crate::domain::permission::Deed,
    evidence: &Evidence,
    stamp: &Stamp,
) -> Result<String, SaveError> {
    super::approvals::check(conn, approver, deed, evidence, stamp)?.map_err(SaveError::Approval)
}

pub fn transfer(
    conn: &Connection,
    id: i64,
    version: i64,
    slip: &Transfer,
    stamp: &Stamp,
) -> Result<(), SaveError> {
    let before = load_for_change(conn, id, version)?;
    let approval = approved(
        conn,
        &slip.approver,
        crate::domain::permission::Deed::ApproveTransfer,
        &slip.evidence,
        stamp,
    )?;
    let date = slip
        .date
        .ok_or(SaveError::Transition(TransitionError::NeedsDate))?;
    let mut after = before.record.clone();
    after.location = slip.location.trim().to_owned();
    after.department = slip.department.trim().to_owned();
    after.owner = slip.owner.trim().to_owned();
    let event = device_log::NewEvent {
        kind: EventKind::Transferred,
        effective_on: date,
        approver: slip.approver.trim().to_owned(),
        approval,
        reason: slip.reason.trim().to_owned(),
    };
    if !apply_change(conn, &before, &after, &event, stamp)? {
        return Err(SaveError::NothingToTransfer);
    }
    Ok(())
}

/// Nobody approves their own action: the operator recording a change is not its approver.
fn own_approval(approver: &str, stamp: &Stamp) -> Result<(), SaveError> {
    let approver = approver.trim();
    if !approver.is_empty() && approver == stamp.by.trim() {
        return Err(SaveError::SelfApproved);
    }
    Ok(())
}

/// A status change with what the regulations ask of it (approver, date, scrapping reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub to: Status,
    pub details: ChangeDetails,
    /// Free text; for scrapping the reason is in `details.scrap_reason`.
    pub note: String,
    /// The approver's countersignature or paper slip, with accounts on.
    pub evidence: Evidence,
}

pub fn change_status(
    conn: &Connection,
    id: i64,
    version: i64,
    change: &StatusChange,
    stamp: &Stamp,
) -> Result<(), SaveError> {
    let before = load_for_change(conn, id, version)?;
    check_transition(before.record.status, change.to, &change.details)
        .map_err(SaveError::Transition)?;
    let approver = change.details.approver.as_deref().unwrap_or("");
    own_approval(approver, stamp)?;
    // Equipment leaving the centre and scrapping are approved by the roles the table names.
    let deed = match change.to {
        Status::Lent => Some(crate::domain::permission::Deed::ApproveLending),
        Status::Scrapped => Some(crate::domain::permission::Deed::ApproveScrapping),
        _ => None,
    };
    let approval = match deed {
        Some(deed) => approved(conn, approver, deed, &change.evidence, stamp)?,
        None => String::new(),
    };
    let mut after = before.record.clone();
    after.status = change.to;
    let reason = match &change.details.scrap_reason {
        Some(r) if change.to == Status::Scrapped => {
            let stored = crate::domain::history::scrap_stored(r);
            match change.note.trim() {
                "" => stored,
                note if matches!(r, ScrapReason::Other(_)) => format!("{stored}; {note}"),
                note => format!("{stored}\n{note}"),
            }
        }
        _ => change.note.trim().to_owned(),
    };
    let event = device_log::NewEvent {
        kind: EventKind::Status,
        effective_on: change.details.date.unwrap_or(stamp.at.date()),
        approver: change
            .details
            .approver
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_owned(),
        approval,
        reason,
    };
    apply_change(conn, &before, &after, &event, stamp)?;
    Ok(())
}

/// The register status a repair step gives a device, written with the step's history-book
/// entry. A move the lifecycle table does not allow (the register moved the device meanwhile)
/// leaves the status alone; the entry is written either way.
pub fn follow_repair(
    conn: &Connection,
    device: &Device,
    to: Status,
    event: &device_log::NewEvent,
    stamp: &Stamp,
) -> Result<(), SaveError> {
    let current = device.record.status;
    if to != current && check_transition(current, to, &ChangeDetails::default()).is_ok() {
        let mut after = device.record.clone();
        after.status = to;
        apply_change(conn, device, &after, event, stamp)?;
    } else {
        device_log::append(conn, device.id, event, &[], stamp)?;
    }
    Ok(())
}

/// Take a device out of the register. The row and its history stay; the address is freed.
pub fn remove(
    conn: &Connection,
    id: i64,
    version: i64,
    reason: &str,
    stamp: &Stamp,
) -> Result<(), SaveError> {
    let before = load_for_change(conn, id, version)?;
    if reason.trim().is_empty() {
        return Err(SaveError::NeedsReason);
    }
    conn.prepare_cached(
        "UPDATE devices SET retired_at = ?2, retired_by = ?3, retired_reason = ?4,
             updated_at = ?2, updated_by = ?3, row_version = row_version + 1
         WHERE id = ?1",
    )?
    .execute(params![before.id, stamp.at_text(), stamp.by, reason.trim()])?;
    let event = device_log::NewEvent {
        reason: reason.trim().to_owned(),
        ..device_log::NewEvent::new(EventKind::Removed, stamp.at.date())
    };
    device_log::append(conn, before.id, &event, &[], stamp)?;
    Ok(())
}

/// Every IPv4 address held by a device in the register, with "tag name" of the holder.
pub fn addresses_in_use(conn: &Connection) -> rusqlite::Result<Vec<(IpAddr, String)>> {
    let mut stmt = conn.prepare(
        "SELECT ip_address, asset_tag || ' ' || name FROM devices
         WHERE ip_address IS NOT NULL AND status <> 'scrapped' AND retired_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut found = Vec::new();
    for row in rows {
        let (ip, holder) = row?;
        if let Ok(ip) = ip.parse::<IpAddr>() {
            found.push((ip, holder));
        }
    }
    found.sort();
    Ok(found)
}

/// The next free asset tag in the register's pattern: after the newest device of `category`
/// in the register (else the newest of any), the same prefix and one past the highest number
/// it has, removed and scrapped devices included (their tags stay taken). Read through the
/// indexes: the form opens at once on 100k devices.
pub fn next_free_tag(conn: &Connection, category: Category) -> rusqlite::Result<Option<String>> {
    let of_category: Option<String> = conn
        .prepare_cached(
            "SELECT asset_tag FROM devices INDEXED BY devices_listed_by_category
             WHERE category = ?1 AND retired_at IS NULL AND status <> 'scrapped'
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([category.key()], |r| r.get(0))
        .optional()?;
    let newest = match of_category {
        Some(tag) => tag,
        None => match conn
            .prepare_cached("SELECT asset_tag FROM devices ORDER BY id DESC LIMIT 1")?
            .query_row([], |r| r.get::<_, String>(0))
            .optional()?
        {
            Some(tag) => tag,
            None => return Ok(None),
        },
    };
    let prefix = newest.trim_end_matches(|c: char| c.is_ascii_digit());
    // The highest tags of the prefix in the unique index: zero-padded numbers of one width
    // sort as numbers, so this is the answer at once in a register that keeps one width.
    let highest: Vec<String> = conn
        .prepare_cached(
            "SELECT asset_tag FROM devices WHERE asset_tag > ?1 AND asset_tag < ?1 || char(1114111)
             ORDER BY asset_tag DESC LIMIT 50",
        )?
        .query_map([prefix], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let taken = |tag: &str| -> rusqlite::Result<bool> {
        conn.prepare_cached("SELECT 1 FROM devices WHERE asset_tag = ?1")?
            .exists([tag])
    };
    let first = next_tag(
        &newest,
        highest.iter().map(String::as_str).chain([newest.as_str()]),
    );
    if let Some(tag) = &first
        && !taken(tag)?
    {
        return Ok(first);
    }
    // Numbers of several widths (`-99` and `-100`): the highest number of any width, read
    // over the prefix's whole range of the index.
    let most: Option<i64> = conn
        .prepare_cached(
            "SELECT max(CAST(substr(asset_tag, length(?1) + 1) AS INTEGER)) FROM devices
             WHERE asset_tag > ?1 AND asset_tag < ?1 || char(1114111)
               AND substr(asset_tag, length(?1) + 1) NOT GLOB '*[^0-9]*'",
        )?
        .query_row([prefix], |r| r.get(0))?;
    let Some(most) = most else { return Ok(None) };
    let next = next_tag(&newest, [format!("{prefix}{most}").as_str()]);
    match next {
        Some(tag) if !taken(&tag)? => Ok(Some(tag)),
        _ => Ok(None),
    }
}

/// The values a text field already has across the register, most used first: what the form
/// offers to pick from.
pub fn known_values(
    conn: &Connection,
    field: Field,
    limit: usize,
) -> rusqlite::Result<Vec<String>> {
    let column = match field {
        Field::Location => "location",
        Field::Department => "department",
        Field::Owner => "owner",
        Field::Manufacturer => "manufacturer",
        Field::Supplier => "supplier",
        Field::Model => "model",
        _ => return Ok(Vec::new()),
    };
    let sql = format!(
        "SELECT {column} FROM devices WHERE {column} <> '' AND retired_at IS NULL
         GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT ?1"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([limit as i64], |r| r.get(0))?;
    rows.collect()
}

/// Rooms: the part of each location before the first `-`, for the location quick filter.
pub fn rooms(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT CASE WHEN instr(location, '-') > 0
                              THEN substr(location, 1, instr(location, '-') - 1)
                              ELSE location END AS room
         FROM devices WHERE location <> '' AND retired_at IS NULL ORDER BY room",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// A device of the register in use, for other modules' tests: `tag`, named `name`, of
/// `category`, at `location`.
#[cfg(test)]
pub fn add_in_use(
    db: &mut super::Db,
    tag: &str,
    name: &str,
    category: &str,
    location: &str,
    stamp: &Stamp,
) -> i64 {
    use crate::domain::record::{Field, Record};
    let mut values: [String; 17] = Default::default();
    values[Field::AssetTag.index()] = tag.into();
    values[Field::Name.index()] = name.into();
    values[Field::Category.index()] = category.into();
    values[Field::Location.index()] = location.into();
    values[Field::Status.index()] = "in_use".into();
    let record = Record::parse(&values).unwrap();
    db.write(|tx| insert(tx, &record, super::device_log::EventKind::Created, stamp))
        .unwrap()
}

#[cfg(test)]
mod tests;
