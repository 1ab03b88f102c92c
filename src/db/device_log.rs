//! The history book (机历本) of each device: appending entries and reading them back.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Stamp;
use super::stamped::Fields;
use crate::domain::record::{Field, parse_date};

/// What kind of thing happened to a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    Created,
    Edited,
    Imported,
    Transferred,
    Status,
    Removed,
    Repair,
    Inspection,
    /// Lines written by hand (schema 20).
    Maintenance,
    Degradation,
    SoftwareInstalled,
    SoftwareRemoved,
    Use,
    Other,
}

impl EventKind {
    /// The kinds of line an operator writes by hand (001: degradation; 004: every use and
    /// maintenance; 003: software added or damaged): the last of [`EventKind::ALL`].
    pub const BY_HAND: &[EventKind] = EventKind::ALL.as_slice().split_at(8).1;

    pub const ALL: [EventKind; 14] = [
        EventKind::Created,
        EventKind::Edited,
        EventKind::Imported,
        EventKind::Transferred,
        EventKind::Status,
        EventKind::Removed,
        EventKind::Repair,
        EventKind::Inspection,
        EventKind::Maintenance,
        EventKind::Degradation,
        EventKind::SoftwareInstalled,
        EventKind::SoftwareRemoved,
        EventKind::Use,
        EventKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Edited => "edited",
            EventKind::Imported => "imported",
            EventKind::Transferred => "transferred",
            EventKind::Status => "status",
            EventKind::Removed => "removed",
            EventKind::Repair => "repair",
            EventKind::Inspection => "inspection",
            EventKind::Maintenance => "maintenance",
            EventKind::Degradation => "degradation",
            EventKind::SoftwareInstalled => "software_installed",
            EventKind::SoftwareRemoved => "software_removed",
            EventKind::Use => "use",
            EventKind::Other => "other",
        }
    }

    /// The catalog key of its name in the history book.
    pub fn label_key(self) -> &'static str {
        match self {
            EventKind::Created => "event.created",
            EventKind::Edited => "event.edited",
            EventKind::Imported => "event.imported",
            EventKind::Transferred => "event.transferred",
            EventKind::Status => "event.status",
            EventKind::Removed => "event.removed",
            EventKind::Repair => "event.repair",
            EventKind::Inspection => "event.inspection",
            EventKind::Maintenance => "event.maintenance",
            EventKind::Degradation => "event.degradation",
            EventKind::SoftwareInstalled => "event.software_installed",
            EventKind::SoftwareRemoved => "event.software_removed",
            EventKind::Use => "event.use",
            EventKind::Other => "event.other",
        }
    }

    fn parse(key: &str) -> EventKind {
        EventKind::ALL
            .into_iter()
            .find(|k| k.key() == key)
            .unwrap_or(EventKind::Edited)
    }

    /// A kind of line by hand, by its key or its Chinese name (for the command line).
    pub fn by_hand(text: &str) -> Option<EventKind> {
        let text = text.trim();
        EventKind::BY_HAND
            .iter()
            .copied()
            .find(|k| k.key().eq_ignore_ascii_case(text) || k.name_zh() == text)
    }

    fn name_zh(self) -> &'static str {
        match self {
            EventKind::Maintenance => "维护",
            EventKind::Degradation => "性能劣化",
            EventKind::SoftwareInstalled => "软件安装",
            EventKind::SoftwareRemoved => "软件卸载",
            EventKind::Use => "使用",
            _ => "其他",
        }
    }
}

/// An entry about to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: EventKind,
    /// The day it took effect (a transfer slip's date), which may differ from the day typed in.
    pub effective_on: NaiveDate,
    pub approver: String,
    /// How the approval was given, as stored (see [`crate::db::approvals::Evidence::stored`]).
    pub approval: String,
    pub reason: String,
}

impl NewEvent {
    pub fn new(kind: EventKind, effective_on: NaiveDate) -> NewEvent {
        NewEvent {
            kind,
            effective_on,
            approver: String::new(),
            approval: String::new(),
            reason: String::new(),
        }
    }
}

/// Write an entry and the field changes it made.
pub fn append(
    conn: &Connection,
    device_id: i64,
    event: &NewEvent,
    changes: &[(Field, String, String)],
    stamp: &Stamp,
) -> rusqlite::Result<i64> {
    if open_entries(conn, event, stamp, "id = :device", device_id)? == 0 {
        // No such device: nothing to write the entry for.
        return Err(rusqlite::Error::QueryReturnedNoRows);
    }
    let event_id = conn.last_insert_rowid();
    if changes.is_empty() {
        return Ok(event_id);
    }
    // One statement for all the changes: SQLite journals each touched page once per
    // statement, so a created device's fifteen values cost one journal pass, not fifteen.
    let triples: Vec<[&str; 3]> = changes
        .iter()
        .map(|(field, old, new)| [field.key(), old.as_str(), new.as_str()])
        .collect();
    let triples = serde_json::to_string(&triples)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT INTO device_event_changes (event_id, seq, field, old_value, new_value)
         SELECT ?1, key + 1, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?2)",
    )?
    .execute(params![event_id, triples])?;
    Ok(event_id)
}

/// Write the entry `event` for each device `devices` picks (with `:device`).
fn open_entries(
    conn: &Connection,
    event: &NewEvent,
    stamp: &Stamp,
    devices: &str,
    device: i64,
) -> rusqlite::Result<usize> {
    Fields::stamped(stamp)
        .value(":device", device)
        .value(":kind", event.kind.key().to_owned())
        .value(":effective_on", event.effective_on.to_string())
        .value(":approver", event.approver.clone())
        .value(":approval", event.approval.clone())
        .value(":reason", event.reason.clone())
        .execute(
            conn,
            &format!(
                "INSERT INTO device_events (device_id, kind, effective_on, approver, approval,
                     reason, created_at, created_by, updated_at, updated_by)
                 SELECT id, :kind, :effective_on, :approver, :approval, :reason, :at, :by, :at,
                     :by
                 FROM devices WHERE {devices}"
            ),
        )
}

/// Write the first entry of every device after `after_device` (devices just added in bulk),
/// each listing every value the device was given: what [`append`] writes for one device, in
/// two statements for all of them.
pub fn open_books_after(
    conn: &Connection,
    after_device: i64,
    event: &NewEvent,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    let last_event: i64 = conn
        .prepare_cached("SELECT ifnull(max(id), 0) FROM device_events")?
        .query_row([], |r| r.get(0))?;
    open_entries(conn, event, stamp, "id > :device ORDER BY id", after_device)?;
    open_books(conn, last_event)
}

/// Open the history book of each device whose first entry was written after entry
/// `after_event`: the entry lists every value the device now has, as [`append`] does for a
/// device added by hand. The monthly register replays these to know the register of any past
/// day. One statement for a whole import or demo, in the register's field order.
pub fn open_books(conn: &Connection, after_event: i64) -> rusqlite::Result<()> {
    let value = |f: Field| match f {
        Field::UpsProtected => "CASE d.ups_protected WHEN 1 THEN 'yes' ELSE 'no' END".to_owned(),
        f => format!("ifnull(d.{}, '')", super::audit::quoted(f.key())),
    };
    let fields: Vec<String> = Field::ALL
        .iter()
        .enumerate()
        .map(|(i, f)| format!("({}, {})", i + 1, super::audit::literal(f.key())))
        .collect();
    let cases: Vec<String> = Field::ALL
        .iter()
        .map(|f| format!("WHEN {} THEN {}", super::audit::literal(f.key()), value(*f)))
        .collect();
    conn.prepare_cached(&format!(
        "INSERT INTO device_event_changes (event_id, seq, field, old_value, new_value)
             SELECT event_id, seq, field, '', new_value FROM (
                 SELECT e.id AS event_id, f.column1 AS seq, f.column2 AS field,
                        CASE f.column2 {} END AS new_value
                 FROM device_events e JOIN devices d ON d.id = e.device_id
                 CROSS JOIN (VALUES {}) f
                 WHERE e.id > ?1
                 ORDER BY e.id, f.column1)
             WHERE new_value <> ''",
        cases.join(" "),
        fields.join(", ")
    ))?
    .execute([after_event])?;
    Ok(())
}

/// An entry as the history book shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub effective_on: NaiveDate,
    pub approver: String,
    /// How the approval was given, as stored (countersigned, a paper slip; empty in open mode).
    pub approval: String,
    pub reason: String,
    /// Who wrote it down, and when.
    pub by: String,
    pub at: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The field's key; unknown keys (from a newer version) are shown as they are.
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A device's history, newest first.
pub fn history(conn: &Connection, device_id: i64) -> rusqlite::Result<Vec<Event>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.kind, e.effective_on, e.approver, e.reason, e.created_by, e.created_at,
                c.field, c.old_value, c.new_value, e.approval
         FROM device_events e LEFT JOIN device_event_changes c ON c.event_id = e.id
         WHERE e.device_id = ?1
         ORDER BY e.id DESC, c.seq",
    )?;
    let mut rows = stmt.query([device_id])?;
    let mut events: Vec<(i64, Event)> = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if events.last().is_none_or(|(last, _)| *last != id) {
            let day: String = r.get(2)?;
            events.push((
                id,
                Event {
                    kind: EventKind::parse(&r.get::<_, String>(1)?),
                    effective_on: parse_date(&day).unwrap_or_default(),
                    approver: r.get(3)?,
                    approval: r.get(10)?,
                    reason: r.get(4)?,
                    by: r.get(5)?,
                    at: r.get(6)?,
                    changes: Vec::new(),
                },
            ));
        }
        if let (Some(field), Some((_, event))) = (r.get::<_, Option<String>>(7)?, events.last_mut())
        {
            event.changes.push(Change {
                field,
                old: r.get(8)?,
                new: r.get(9)?,
            });
        }
    }
    Ok(events.into_iter().map(|(_, e)| e).collect())
}

/// Why a line by hand was not written. Nothing was.
#[derive(Debug)]
pub enum LineError {
    /// Lines by hand are of [`EventKind::BY_HAND`] only.
    NotByHand,
    NeedsText,
    /// Too long, or holding control characters.
    Text(crate::domain::text::TextError),
    /// A day after today.
    BadDay,
    NotFound,
    /// The device has been removed from the register.
    Removed,
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for LineError {
    fn from(e: rusqlite::Error) -> LineError {
        LineError::Db(e)
    }
}

/// The longest text a line by hand takes.
pub const LINE_MAX_CHARS: usize = 500;

/// Write a line by hand into the history book of device `device_id`: its kind, the day it
/// happened (not after today) and what happened, signed by the operator. Never changed after.
pub fn write_line(
    conn: &Connection,
    device_id: i64,
    kind: EventKind,
    on: NaiveDate,
    text: &str,
    stamp: &Stamp,
) -> Result<(), LineError> {
    if !EventKind::BY_HAND.contains(&kind) {
        return Err(LineError::NotByHand);
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(LineError::NeedsText);
    }
    use crate::domain::text::{Kind, first_error};
    if let Some(e) = first_error(&[("devices.line_text", text, Kind::Lines, LINE_MAX_CHARS)]) {
        return Err(LineError::Text(e));
    }
    if on > stamp.at.date() {
        return Err(LineError::BadDay);
    }
    let retired: Option<Option<String>> = conn
        .query_row(
            "SELECT retired_at FROM devices WHERE id = ?1",
            [device_id],
            |r| r.get(0),
        )
        .optional()?;
    match retired {
        None => return Err(LineError::NotFound),
        Some(Some(_)) => return Err(LineError::Removed),
        Some(None) => {}
    }
    let event = NewEvent {
        reason: text.to_owned(),
        ..NewEvent::new(kind, on)
    };
    append(conn, device_id, &event, &[], stamp)?;
    Ok(())
}
