//! The repair log in SQLite: reporting a fault, each workflow step with its timeline entry and
//! the device's register status and history book following in the same transaction,
//! amendments to closed tickets, and the windowed list the screen and the exports read.

mod list;

use crate::domain::text::Kind;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, params};

pub use list::{
    ListQuery, ListRow, SORTS, StateFilter, count, late_count, maintainers, reported_since, rows,
};

use super::Stamp;
use super::approvals::Evidence;
use super::device_log::{EventKind, NewEvent};
use super::devices::{self, Device, SaveError};
use super::paging::Place;
use crate::domain::device::Status;
use crate::domain::record::{Warranty, parse_date, warranty};
use crate::domain::repair::{
    DamageConfirmation, FaultKind, Outcome, Priority, State, Step, StepError, Ticket, VendorRepair,
    advance, device_status, money_text, parse_money, ticket_number,
};

/// How times are stored: local time to the second.
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

pub fn time_text(at: NaiveDateTime) -> String {
    at.format(TIME_FORMAT).to_string()
}

fn parse_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, TIME_FORMAT).ok()
}

/// The device a fault is reported on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceRef {
    /// In the register.
    Registered(i64),
    /// Equipment the register does not hold, named as the reporter names it.
    Unregistered(String),
}

/// A fault as reported (报修).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRepair {
    pub device: DeviceRef,
    pub reporter: String,
    pub department: String,
    pub reported_at: NaiveDateTime,
    pub kind: FaultKind,
    pub description: String,
    pub priority: Priority,
    /// The failed checklist item this repair is for.
    pub check_result_id: Option<i64>,
}

/// Where a repair came from in the checklists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLink {
    pub result_id: i64,
    pub run_id: i64,
    pub checklist: crate::domain::checklist::BiText,
    pub period: crate::domain::period::Period,
    pub period_start: NaiveDate,
    pub item_code: String,
}

/// A ticket as stored, amendments applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub id: i64,
    pub ticket: String,
    pub device_id: Option<i64>,
    pub device_text: String,
    pub device_status_before: Option<Status>,
    pub reporter: String,
    pub department: String,
    pub kind: FaultKind,
    pub description: String,
    pub priority: Priority,
    pub flow: Ticket,
    pub check: Option<CheckLink>,
    pub row_version: i64,
    /// How the outside repair was approved, and whether the user countersigned the sign-off, as
    /// stored (see [`super::approvals::Evidence::stored`]).
    pub vendor_approval: String,
    pub confirmation: String,
}

/// Why a report, a step or an amendment was not saved. Nothing is written when one comes back.
#[derive(Debug)]
pub enum RepairError {
    Step(StepError),
    /// The approver may not approve this outside repair (see [`super::approvals`]).
    Approval(super::approvals::ApprovalError),
    /// Someone else changed the ticket after it was read: reload and redo.
    Conflict {
        ticket: String,
    },
    Closed {
        ticket: String,
    },
    NotFound,
    NeedsDevice,
    NeedsReporter,
    NeedsDescription,
    Text(crate::domain::text::TextError),
    NeedsReason,
    /// The register has moved this device out of service: it cannot be repaired.
    DeviceUnavailable {
        tag: String,
        status: Status,
    },
    DeviceNotFound,
    /// This checklist finding already has a ticket.
    AlreadyReported {
        ticket: String,
    },
    BadCost {
        value: String,
    },
    Device(SaveError),
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for RepairError {
    fn from(e: rusqlite::Error) -> RepairError {
        RepairError::Db(e)
    }
}

impl From<StepError> for RepairError {
    fn from(e: StepError) -> RepairError {
        RepairError::Step(e)
    }
}

impl From<SaveError> for RepairError {
    fn from(e: SaveError) -> RepairError {
        match e {
            SaveError::Db(e) => RepairError::Db(e),
            other => RepairError::Device(other),
        }
    }
}

const COLUMNS: &str = "r.id, r.ticket, r.device_id, r.device_text, r.device_status_before, \
    r.under_warranty, r.reporter, r.department, r.reported_at, r.category, r.description, \
    r.priority, r.state, r.maintainer, r.estimate_at, r.assessed_at, r.started_at, \
    r.finished_at, r.closed_at, r.result, r.parts, r.cost, r.charged_department, \
    r.human_caused, r.liable_person, r.vendor, r.vendor_approver, r.vendor_sent_on, \
    r.vendor_returned_on, r.vendor_reference, r.damaged_part, r.confirmer_1, r.confirmer_2, \
    r.confirmed_by, r.confirmed_at, r.reopened, r.check_result_id, r.row_version, \
    r.vendor_approval, r.confirmation";

fn from_row(r: &Row) -> rusqlite::Result<(Repair, Option<i64>)> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let time = |i: usize| -> rusqlite::Result<Option<NaiveDateTime>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|t| parse_time(&t)))
    };
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|d| parse_date(&d)))
    };
    let reported_at = time(8)?.unwrap_or_default();
    let flow = Ticket {
        state: State::parse(&text(12)?).unwrap_or(State::Reported),
        reported_at,
        under_warranty: r.get(5)?,
        maintainer: text(13)?,
        estimate_at: time(14)?,
        assessed_at: time(15)?,
        started_at: time(16)?,
        finished_at: time(17)?,
        closed_at: time(18)?,
        outcome: Outcome {
            result: text(19)?,
            parts: text(20)?,
            cost: r.get(21)?,
            charged_department: text(22)?,
            human_caused: r.get(23)?,
            liable_person: text(24)?,
        },
        vendor: VendorRepair {
            vendor: text(25)?,
            approver: text(26)?,
            sent_on: date(27)?,
            returned_on: date(28)?,
            reference: text(29)?,
        },
        damage: DamageConfirmation {
            part: text(30)?,
            first: text(31)?,
            second: text(32)?,
        },
        confirmed_by: text(33)?,
        confirmed_at: time(34)?,
        reopened: r.get(35)?,
    };
    let repair = Repair {
        id: r.get(0)?,
        ticket: text(1)?,
        device_id: r.get(2)?,
        device_text: text(3)?,
        device_status_before: Status::parse(&text(4)?),
        reporter: text(6)?,
        department: text(7)?,
        kind: FaultKind::parse(&text(9)?).unwrap_or(FaultKind::Other),
        description: text(10)?,
        priority: Priority::parse(&text(11)?).unwrap_or(Priority::Normal),
        flow,
        check: None,
        row_version: r.get(37)?,
        vendor_approval: text(38)?,
        confirmation: text(39)?,
    };
    Ok((repair, r.get(36)?))
}

/// Every ticket a query shows, in list order, read in full (for exports and scripts).
pub fn matching(
    conn: &Connection,
    query: &ListQuery,
    now: NaiveDateTime,
) -> rusqlite::Result<Vec<Repair>> {
    let rows = rows(conn, query, now, Place::top(0), i64::MAX as usize)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(repair) = get(conn, row.id)? {
            out.push(repair);
        }
    }
    Ok(out)
}

/// A ticket with its amendments applied and its checklist link, or `None`.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Repair>> {
    let sql = format!("SELECT {COLUMNS} FROM repairs r WHERE r.id = ?1");
    let found = conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?;
    let Some((mut repair, result_id)) = found else {
        return Ok(None);
    };
    for amendment in amendments(conn, id)? {
        apply_amendment(
            &mut repair.flow.outcome,
            amendment.field,
            &amendment.new_value,
        );
    }
    if let Some(result_id) = result_id {
        repair.check = check_link(conn, result_id)?;
    }
    Ok(Some(repair))
}

pub fn by_ticket(conn: &Connection, ticket: &str) -> rusqlite::Result<Option<Repair>> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM repairs WHERE ticket = ?1 COLLATE NOCASE")?
        .query_row([ticket.trim()], |r| r.get(0))
        .optional()?;
    id.map_or(Ok(None), |id| get(conn, id))
}

fn check_link(conn: &Connection, result_id: i64) -> rusqlite::Result<Option<CheckLink>> {
    conn.prepare_cached(
        "SELECT x.run_id, l.name_zh, l.name_en, run.period_start, i.code, l.period
         FROM check_results x
         JOIN check_runs run ON run.id = x.run_id
         JOIN checklists l ON l.id = run.checklist_id
         JOIN checklist_items i ON i.id = x.item_id
         WHERE x.id = ?1",
    )?
    .query_row([result_id], |r| {
        Ok(CheckLink {
            result_id,
            run_id: r.get(0)?,
            checklist: crate::domain::checklist::BiText {
                zh: r.get(1)?,
                en: r.get(2)?,
            },
            period: crate::domain::period::Period::parse(&r.get::<_, String>(5)?)
                .unwrap_or(crate::domain::period::Period::Day),
            period_start: parse_date(&r.get::<_, String>(3)?).unwrap_or_default(),
            item_code: r.get(4)?,
        })
    })
    .optional()
}

/// A ticket opened for a checklist result, as the run shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedTicket {
    pub result_id: i64,
    pub repair_id: i64,
    pub ticket: String,
    pub state: State,
}

/// The tickets opened for the results of one checklist run.
pub fn for_run(conn: &Connection, run_id: i64) -> rusqlite::Result<Vec<LinkedTicket>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.check_result_id, r.id, r.ticket, r.state FROM repairs r
         JOIN check_results x ON x.id = r.check_result_id
         WHERE x.run_id = ?1",
    )?;
    let rows = stmt.query_map([run_id], |r| {
        let state: String = r.get(3)?;
        Ok(LinkedTicket {
            result_id: r.get(0)?,
            repair_id: r.get(1)?,
            ticket: r.get(2)?,
            state: State::parse(&state).unwrap_or(State::Reported),
        })
    })?;
    rows.collect()
}

/// A failed checklist item the operator asked a repair for, still without a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairRequest {
    pub result_id: i64,
    pub answered_at: Option<NaiveDateTime>,
    pub answered_by: String,
    pub item_code: String,
    pub item_text: crate::domain::checklist::BiText,
    pub device_tag: String,
    pub note: String,
}

/// Every repair request from the checklists that has no ticket yet, oldest first.
pub fn pending_requests(conn: &Connection) -> rusqlite::Result<Vec<RepairRequest>> {
    let mut stmt = conn.prepare_cached(
        "SELECT x.id, x.answered_at, ifnull(x.answered_by, ''), i.code, i.text_zh, i.text_en,
             i.device_tag, x.note
         FROM check_results x JOIN checklist_items i ON i.id = x.item_id
         WHERE x.repair_wanted = 1
           AND NOT EXISTS (SELECT 1 FROM repairs r WHERE r.check_result_id = x.id)
         ORDER BY x.answered_at, x.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RepairRequest {
            result_id: r.get(0)?,
            answered_at: r.get::<_, Option<String>>(1)?.and_then(|t| parse_time(&t)),
            answered_by: r.get(2)?,
            item_code: r.get(3)?,
            item_text: crate::domain::checklist::BiText {
                zh: r.get(4)?,
                en: r.get(5)?,
            },
            device_tag: r.get(6)?,
            note: r.get(7)?,
        })
    })?;
    rows.collect()
}

/// How many tickets there are at all (the demo adds its year of repairs only to none).
pub fn total(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM repairs")?
        .query_row([], |r| r.get(0))
}

/// The next ticket number of a year.
fn next_seq(conn: &Connection, year: i32) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT ifnull(max(seq), 0) + 1 FROM repairs WHERE year = ?1")?
        .query_row([year], |r| r.get(0))
}

/// The device a report names, checked: it must still be in service.
fn reported_device(conn: &Connection, device: &DeviceRef) -> Result<Option<Device>, RepairError> {
    let DeviceRef::Registered(id) = device else {
        return Ok(None);
    };
    let device = devices::get(conn, *id)?.ok_or(RepairError::DeviceNotFound)?;
    let status = device.record.status;
    if device.removed
        || matches!(
            status,
            Status::PendingScrap | Status::Scrapped | Status::Lost
        )
    {
        return Err(RepairError::DeviceUnavailable {
            tag: device.record.asset_tag,
            status,
        });
    }
    Ok(Some(device))
}

/// Report a fault: a new ticket `WX-<year>-<n>`, the device put under repair, and the first
/// entries of the timeline and of the device's history book.
pub fn report(
    conn: &Connection,
    new: &NewRepair,
    stamp: &Stamp,
) -> Result<(i64, String), RepairError> {
    if new.reporter.trim().is_empty() {
        return Err(RepairError::NeedsReporter);
    }
    if new.description.trim().is_empty() {
        return Err(RepairError::NeedsDescription);
    }
    if let DeviceRef::Unregistered(text) = &new.device
        && text.trim().is_empty()
    {
        return Err(RepairError::NeedsDevice);
    }
    let device_text = match &new.device {
        DeviceRef::Unregistered(text) => text.as_str(),
        DeviceRef::Registered(_) => "",
    };
    check_texts(&[
        ("text_field.device", device_text, Kind::Line, 100),
        ("text_field.reporter", &new.reporter, Kind::Line, 50),
        ("text_field.department", &new.department, Kind::Line, 50),
        (
            "text_field.description",
            &new.description,
            Kind::Lines,
            1000,
        ),
    ])?;
    if let Some(result_id) = new.check_result_id
        && let Some(ticket) = conn
            .prepare_cached("SELECT ticket FROM repairs WHERE check_result_id = ?1")?
            .query_row([result_id], |r| r.get::<_, String>(0))
            .optional()?
    {
        return Err(RepairError::AlreadyReported { ticket });
    }
    let device = reported_device(conn, &new.device)?;
    let (device_id, device_text, status_before, under_warranty) = match (&device, &new.device) {
        (Some(d), _) => {
            let under = d.record.warranty_until.map(|_| {
                warranty(d.record.warranty_until, new.reported_at.date()) != Warranty::Expired
            });
            // Reported again while an earlier repair is open: the status to go back to is
            // the one the earliest open repair found.
            let before = match d.record.status {
                Status::UnderRepair | Status::AtVendor => conn
                    .prepare_cached(
                        "SELECT device_status_before FROM repairs
                         WHERE device_id = ?1 AND is_open ORDER BY id LIMIT 1",
                    )?
                    .query_row([d.id], |r| r.get::<_, String>(0))
                    .optional()?
                    .and_then(|s| Status::parse(&s))
                    .unwrap_or(d.record.status),
                other => other,
            };
            (
                Some(d.id),
                format!("{} {}", d.record.asset_tag, d.record.name),
                before.key(),
                under,
            )
        }
        (None, DeviceRef::Unregistered(text)) => (None, text.trim().to_owned(), "", None),
        (None, DeviceRef::Registered(_)) => return Err(RepairError::DeviceNotFound),
    };
    let year = new.reported_at.year();
    let seq = next_seq(conn, year)?;
    let ticket = ticket_number(year, seq);
    let at = stamp.at_text();
    conn.prepare_cached(
        "INSERT INTO repairs (ticket, year, seq, device_id, device_text, device_status_before,
             under_warranty, reporter, department, reported_at, category, description, priority,
             check_result_id, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?15, ?16)",
    )?
    .execute(params![
        ticket,
        year,
        seq,
        device_id,
        device_text,
        status_before,
        under_warranty,
        new.reporter.trim(),
        new.department.trim(),
        time_text(new.reported_at),
        new.kind.key(),
        new.description.trim(),
        new.priority.key(),
        new.check_result_id,
        at,
        stamp.by,
    ])?;
    let id = conn.last_insert_rowid();
    add_event(
        conn,
        id,
        None,
        State::Reported,
        new.description.trim(),
        stamp,
    )?;
    if let Some(device) = device {
        follow_device(
            conn,
            &device,
            &ticket,
            State::Reported,
            status_before,
            new.description.trim(),
            stamp,
        )?;
    }
    Ok((id, ticket))
}

fn add_event(
    conn: &Connection,
    repair_id: i64,
    from: Option<State>,
    to: State,
    note: &str,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO repair_events (repair_id, from_state, to_state, note,
             created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
    )?
    .execute(params![
        repair_id,
        from.map_or("", State::key),
        to.key(),
        note,
        stamp.at_text(),
        stamp.by
    ])?;
    Ok(())
}

/// Put the device where its open repairs say and write the step into its history book.
fn follow_device(
    conn: &Connection,
    device: &Device,
    ticket: &str,
    state: State,
    status_before: &str,
    note: &str,
    stamp: &Stamp,
) -> Result<(), RepairError> {
    let open: Vec<State> = conn
        .prepare_cached("SELECT state FROM repairs WHERE device_id = ?1 AND is_open")?
        .query_map([device.id], |r| r.get::<_, String>(0))?
        .filter_map(|s| s.ok().and_then(|s| State::parse(&s)))
        .collect();
    let current = device.record.status;
    let before = Status::parse(status_before).unwrap_or(Status::InUse);
    let mut target = device_status(current, &open, before);
    if state == State::Unrepairable {
        target = Status::PendingScrap;
    }
    let mut reason = crate::domain::history::repair_stored(ticket, state);
    if !note.trim().is_empty() {
        reason.push('\n');
        reason.push_str(note.trim());
    }
    let event = NewEvent {
        reason,
        ..NewEvent::new(EventKind::Repair, stamp.at.date())
    };
    devices::follow_repair(conn, device, target, &event, stamp)?;
    Ok(())
}

fn load_for_change(conn: &Connection, id: i64, version: i64) -> Result<Repair, RepairError> {
    let repair = get(conn, id)?.ok_or(RepairError::NotFound)?;
    if repair.flow.state.is_final() {
        return Err(RepairError::Closed {
            ticket: repair.ticket,
        });
    }
    if repair.row_version != version {
        return Err(RepairError::Conflict {
            ticket: repair.ticket,
        });
    }
    Ok(repair)
}

/// Free text of a ticket: no control characters, sane lengths.
fn check_texts(fields: &[(&'static str, &str, Kind, usize)]) -> Result<(), RepairError> {
    match crate::domain::text::first_error(fields) {
        Some(e) => Err(RepairError::Text(e)),
        None => Ok(()),
    }
}

/// Take a workflow step on a ticket read at `version`. Returns the new state.
/// Whether `user` may sign a repair of `department` off: a person of that department, where the
/// directory knows the department (the user signs the repair record, 001); anyone where it
/// does not.
fn signs_for(conn: &Connection, department: &str, user: &str) -> rusqlite::Result<bool> {
    let department = department.trim();
    if department.is_empty() || super::directory::is_centre(conn, department)?.is_none() {
        return Ok(true);
    }
    super::directory::works_in(conn, user, department)
}

pub fn step(
    conn: &Connection,
    id: i64,
    version: i64,
    step: &Step,
    stamp: &Stamp,
) -> Result<State, RepairError> {
    step_approved(conn, id, version, step, &Evidence::None, stamp)
}

/// [`step`] with the evidence of the approval an outside repair needs (the approver's
/// countersignature or paper slip, with accounts on).
pub fn step_approved(
    conn: &Connection,
    id: i64,
    version: i64,
    step: &Step,
    evidence: &Evidence,
    stamp: &Stamp,
) -> Result<State, RepairError> {
    let repair = load_for_change(conn, id, version)?;
    let before = repair.flow.state;
    // Nobody approves their own action: the operator sending a device out is not its approver.
    if let Step::ToVendor { vendor, .. } = step
        && vendor.approver.trim() == stamp.by.trim()
    {
        return Err(StepError::SelfApproved.into());
    }
    // An outside repair is approved by a leader the permission table names.
    let approval = match step {
        Step::ToVendor { vendor, .. } if !vendor.approver.trim().is_empty() => {
            let deed = crate::domain::permission::Deed::ApproveVendorRepair;
            let checked = super::approvals::check(conn, &vendor.approver, deed, evidence, stamp)?;
            Some(checked.map_err(RepairError::Approval)?)
        }
        _ => None,
    };
    if let Step::Confirm { by } = step
        && !signs_for(conn, &repair.department, by)?
    {
        return Err(StepError::UserNotOfDepartment.into());
    }
    // The user signing off may countersign: then it is theirs, not another's.
    let confirmation = match (step, evidence) {
        (Step::Confirm { by }, Evidence::Countersigned(c)) => {
            if c.name() != by.trim() {
                return Err(RepairError::Approval(
                    super::approvals::ApprovalError::CountersignedByOther,
                ));
            }
            Some(evidence.stored())
        }
        _ => None,
    };
    let t = advance(&repair.flow, step, stamp.at)?;
    let (o, v, d) = (&t.outcome, &t.vendor, &t.damage);
    check_texts(&[
        ("text_field.maintainer", &t.maintainer, Kind::Line, 50),
        ("text_field.result", &o.result, Kind::Lines, 1000),
        ("text_field.parts", &o.parts, Kind::Line, 200),
        (
            "text_field.department",
            &o.charged_department,
            Kind::Line,
            50,
        ),
        ("text_field.person", &o.liable_person, Kind::Line, 50),
        ("text_field.vendor", &v.vendor, Kind::Line, 100),
        ("text_field.person", &v.approver, Kind::Line, 50),
        ("text_field.reference", &v.reference, Kind::Line, 100),
        ("text_field.parts", &d.part, Kind::Line, 200),
        ("text_field.person", &d.first, Kind::Line, 50),
        ("text_field.person", &d.second, Kind::Line, 50),
        ("text_field.person", &t.confirmed_by, Kind::Line, 50),
    ])?;
    let opt_time = |t: Option<NaiveDateTime>| t.map(time_text);
    let opt_date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    conn.prepare_cached(
        "UPDATE repairs SET state = ?2, maintainer = ?3, estimate_at = ?4, assessed_at = ?5,
             started_at = ?6, finished_at = ?7, closed_at = ?8, result = ?9, parts = ?10,
             cost = ?11, charged_department = ?12, human_caused = ?13, liable_person = ?14,
             vendor = ?15, vendor_approver = ?16, vendor_sent_on = ?17, vendor_returned_on = ?18,
             vendor_reference = ?19, damaged_part = ?20, confirmer_1 = ?21, confirmer_2 = ?22,
             confirmed_by = ?23, confirmed_at = ?24, reopened = ?25,
             vendor_approval = coalesce(?28, vendor_approval),
             confirmation = coalesce(?29, confirmation),
             updated_at = ?26, updated_by = ?27, row_version = row_version + 1
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        t.state.key(),
        t.maintainer,
        opt_time(t.estimate_at),
        opt_time(t.assessed_at),
        opt_time(t.started_at),
        opt_time(t.finished_at),
        opt_time(t.closed_at),
        t.outcome.result,
        t.outcome.parts,
        t.outcome.cost,
        t.outcome.charged_department,
        t.outcome.human_caused,
        t.outcome.liable_person,
        t.vendor.vendor,
        t.vendor.approver,
        opt_date(t.vendor.sent_on),
        opt_date(t.vendor.returned_on),
        t.vendor.reference,
        t.damage.part,
        t.damage.first,
        t.damage.second,
        t.confirmed_by,
        opt_time(t.confirmed_at),
        t.reopened,
        stamp.at_text(),
        stamp.by,
        approval,
        confirmation,
    ])?;
    let note = step.note();
    add_event(conn, id, Some(before), t.state, &note, stamp)?;
    if let Some(device_id) = repair.device_id
        && let Some(device) = devices::get(conn, device_id)?
        && !device.is_read_only()
    {
        let before_key = repair.device_status_before.map_or("", Status::key);
        follow_device(
            conn,
            &device,
            &repair.ticket,
            t.state,
            before_key,
            &note,
            stamp,
        )?;
    }
    Ok(t.state)
}

/// A field of a closed ticket that an amendment may correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmendField {
    Result,
    Parts,
    Cost,
    ChargedDepartment,
    LiablePerson,
}

impl AmendField {
    pub const ALL: [AmendField; 5] = [
        AmendField::Result,
        AmendField::Parts,
        AmendField::Cost,
        AmendField::ChargedDepartment,
        AmendField::LiablePerson,
    ];

    /// The stored key, as in the CSV header.
    pub fn key(self) -> &'static str {
        match self {
            AmendField::Result => "result",
            AmendField::Parts => "parts",
            AmendField::Cost => "cost",
            AmendField::ChargedDepartment => "charged_department",
            AmendField::LiablePerson => "liable_person",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            AmendField::Result => "repair_field.result",
            AmendField::Parts => "repair_field.parts",
            AmendField::Cost => "repair_field.cost",
            AmendField::ChargedDepartment => "repair_field.charged_department",
            AmendField::LiablePerson => "repair_field.liable_person",
        }
    }

    fn parse(key: &str) -> Option<AmendField> {
        AmendField::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The field's value as the amendment form shows it.
    pub fn value(self, outcome: &Outcome) -> String {
        match self {
            AmendField::Result => outcome.result.clone(),
            AmendField::Parts => outcome.parts.clone(),
            AmendField::Cost => money_text(outcome.cost),
            AmendField::ChargedDepartment => outcome.charged_department.clone(),
            AmendField::LiablePerson => outcome.liable_person.clone(),
        }
    }
}

fn apply_amendment(outcome: &mut Outcome, field: AmendField, value: &str) {
    match field {
        AmendField::Result => outcome.result = value.to_owned(),
        AmendField::Parts => outcome.parts = value.to_owned(),
        AmendField::Cost => outcome.cost = parse_money(value).unwrap_or(outcome.cost),
        AmendField::ChargedDepartment => outcome.charged_department = value.to_owned(),
        AmendField::LiablePerson => outcome.liable_person = value.to_owned(),
    }
}

/// A correction as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    pub field: AmendField,
    pub old_value: String,
    pub new_value: String,
    pub reason: String,
    pub at: NaiveDateTime,
    pub by: String,
}

fn amendments(conn: &Connection, repair_id: i64) -> rusqlite::Result<Vec<Amendment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, old_value, new_value, reason, created_at, created_by
         FROM repair_amendments WHERE repair_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([repair_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Amendment {
                field: AmendField::Result,
                old_value: r.get(1)?,
                new_value: r.get(2)?,
                reason: r.get(3)?,
                at: parse_time(&r.get::<_, String>(4)?).unwrap_or_default(),
                by: r.get(5)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (key, mut amendment) = row?;
        if let Some(field) = AmendField::parse(&key) {
            amendment.field = field;
            out.push(amendment);
        }
    }
    Ok(out)
}

/// Correct a field of a closed ticket. The ticket row stays as it was closed; the amendment
/// is appended with the value it replaces and the reason.
pub fn amend(
    conn: &Connection,
    id: i64,
    field: AmendField,
    value: &str,
    reason: &str,
    stamp: &Stamp,
) -> Result<(), RepairError> {
    let repair = get(conn, id)?.ok_or(RepairError::NotFound)?;
    if reason.trim().is_empty() {
        return Err(RepairError::NeedsReason);
    }
    check_texts(&[
        ("text_field.new_value", value, Kind::Lines, 1000),
        ("text_field.reason", reason, Kind::Lines, 500),
    ])?;
    let value = match field {
        AmendField::Cost => money_text(parse_money(value).ok_or_else(|| RepairError::BadCost {
            value: value.trim().to_owned(),
        })?),
        _ => value.trim().to_owned(),
    };
    let old = field.value(&repair.flow.outcome);
    if old == value {
        return Ok(());
    }
    if !repair.flow.state.is_final() {
        // An open ticket is corrected by its steps, not by amendments.
        return Err(RepairError::Step(StepError::NotAllowed {
            from: repair.flow.state,
            step: crate::domain::repair::StepKind::Finish,
        }));
    }
    conn.prepare_cached(
        "INSERT INTO repair_amendments (repair_id, field, old_value, new_value, reason,
             created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)",
    )?
    .execute(params![
        id,
        field.key(),
        old,
        value,
        reason.trim(),
        stamp.at_text(),
        stamp.by
    ])?;
    Ok(())
}

/// One line of a ticket's timeline: a state change or an amendment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineEntry {
    Step {
        from: Option<State>,
        to: State,
        note: String,
        at: NaiveDateTime,
        by: String,
    },
    Amended(Amendment),
}

impl TimelineEntry {
    fn at(&self) -> NaiveDateTime {
        match self {
            TimelineEntry::Step { at, .. } => *at,
            TimelineEntry::Amended(a) => a.at,
        }
    }
}

/// The whole story of a ticket, oldest first.
pub fn timeline(conn: &Connection, id: i64) -> rusqlite::Result<Vec<TimelineEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_state, to_state, note, created_at, created_by
         FROM repair_events WHERE repair_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let from: String = r.get(0)?;
        let to: String = r.get(1)?;
        Ok(TimelineEntry::Step {
            from: State::parse(&from),
            to: State::parse(&to).unwrap_or(State::Reported),
            note: r.get(2)?,
            at: parse_time(&r.get::<_, String>(3)?).unwrap_or_default(),
            by: r.get(4)?,
        })
    })?;
    let mut entries: Vec<TimelineEntry> = rows.collect::<Result<_, _>>()?;
    entries.extend(
        amendments(conn, id)?
            .into_iter()
            .map(TimelineEntry::Amended),
    );
    // Stable: a step and an amendment in the same second keep steps first.
    entries.sort_by_key(TimelineEntry::at);
    Ok(entries)
}

#[cfg(test)]
mod tests;
