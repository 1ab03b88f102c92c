//! The register as it stood on a given day, replayed from the history book, and the month's
//! additions, transfers, status changes, scrappings and removals.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use crate::db::device_log::EventKind;
use crate::domain::device::Status;
use crate::domain::month::Month;
use crate::domain::record::{Field, Record, parse_date};

/// Every device in the register at the end of `last` (not scrapped, not removed), in asset-tag
/// order, with the values it had then: each field takes the value of its last change on or
/// before that day. The history book lists every value a device was given, so this holds for
/// any past day, whatever changed since.
pub fn at_end_of(conn: &Connection, last: NaiveDate) -> rusqlite::Result<Vec<Record>> {
    // Removed devices leave the register; other events without changes (repairs,
    // inspections: most of ten years of history) say nothing about its values.
    // The literal kind lets SQLite use the small index of removals (schema v12).
    let removed: std::collections::HashSet<i64> = conn
        .prepare(
            "SELECT device_id FROM device_events WHERE kind = 'removed' AND effective_on <= ?1",
        )?
        .query_map([last.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // Events in the book's order of effect come straight from `device_events_by_effect`, each
    // with its change lines: nothing is sorted.
    let mut stmt = conn.prepare(
        "SELECT e.device_id, c.field, c.new_value
         FROM device_events e JOIN device_event_changes c ON c.event_id = e.id
         WHERE e.effective_on <= ?1
         ORDER BY e.device_id, e.effective_on, e.id, c.seq",
    )?;
    let mut rows = stmt.query([last.to_string()])?;
    let mut out = Vec::new();
    let mut current: Option<(i64, [String; 17])> = None;
    let finish = |device: Option<(i64, [String; 17])>, out: &mut Vec<Record>| {
        if let Some((id, values)) = device
            && !removed.contains(&id)
            && let Ok(record) = Record::parse(&values)
            && record.status != Status::Scrapped
        {
            out.push(record);
        }
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if current.as_ref().is_none_or(|(at, _)| *at != id) {
            finish(current.take(), &mut out);
            current = Some((id, Default::default()));
        }
        if let (Some((_, values)), Some(field)) = (
            current.as_mut(),
            Field::from_header(&r.get::<_, String>(1)?),
        ) {
            values[field.index()] = r.get(2)?;
        }
    }
    finish(current.take(), &mut out);
    out.sort_by_key(|r| r.asset_tag.to_lowercase());
    Ok(out)
}

/// What a month report counts an event as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventClass {
    Added,
    Transferred,
    StatusChanged,
    Scrapped,
    Removed,
    /// A line written by hand into the history book, of that kind.
    Logged(EventKind),
}

impl EventClass {
    pub fn label_key(self) -> &'static str {
        match self {
            EventClass::Added => "month.event_added",
            EventClass::Transferred => "month.event_transferred",
            EventClass::StatusChanged => "month.event_status",
            EventClass::Scrapped => "month.event_scrapped",
            EventClass::Removed => "month.event_removed",
            EventClass::Logged(kind) => kind.label_key(),
        }
    }
}

/// A field's value before and after an event; both empty when the event left it alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMove {
    pub from: String,
    pub to: String,
}

/// One change to the register during the month, with who wrote it and who approved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceEvent {
    pub effective_on: NaiveDate,
    pub class: EventClass,
    pub asset_tag: String,
    pub name: String,
    pub location: FieldMove,
    pub department: FieldMove,
    pub owner: FieldMove,
    /// Status keys (`in_use`, `scrapped`).
    pub status: FieldMove,
    pub reason: String,
    pub approver: String,
    pub by: String,
    pub at: String,
}

struct Raw {
    id: i64,
    kind: String,
    event: DeviceEvent,
    /// An import that created the device (its asset tag went from nothing to something).
    imported_new: bool,
}

/// The month's additions, transfers, status changes, scrappings and removals, and the lines
/// written by hand into history books, by the day they took effect. Plain edits are left out.
pub fn events_in(conn: &Connection, month: Month) -> rusqlite::Result<Vec<DeviceEvent>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.kind, e.effective_on, e.approver, e.reason, e.created_by, e.created_at,
                d.asset_tag, d.name, c.field, c.old_value, c.new_value
         FROM device_events e JOIN devices d ON d.id = e.device_id
         LEFT JOIN device_event_changes c ON c.event_id = e.id
         WHERE e.effective_on BETWEEN ?1 AND ?2
         ORDER BY e.effective_on, e.id, c.seq",
    )?;
    let mut rows = stmt.query(params![month.first().to_string(), month.last().to_string()])?;
    let mut raws: Vec<Raw> = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if raws.last().is_none_or(|raw| raw.id != id) {
            raws.push(Raw {
                id,
                kind: r.get(1)?,
                imported_new: false,
                event: DeviceEvent {
                    effective_on: parse_date(&r.get::<_, String>(2)?).unwrap_or_default(),
                    class: EventClass::Added,
                    approver: r.get(3)?,
                    reason: r.get(4)?,
                    by: r.get(5)?,
                    at: r.get(6)?,
                    asset_tag: r.get(7)?,
                    name: r.get(8)?,
                    location: FieldMove::default(),
                    department: FieldMove::default(),
                    owner: FieldMove::default(),
                    status: FieldMove::default(),
                },
            });
        }
        let (Some(raw), Some(field)) = (raws.last_mut(), r.get::<_, Option<String>>(9)?) else {
            continue;
        };
        let change = FieldMove {
            from: r.get(10)?,
            to: r.get(11)?,
        };
        match Field::from_header(&field) {
            Some(Field::Location) => raw.event.location = change,
            Some(Field::Department) => raw.event.department = change,
            Some(Field::Owner) => raw.event.owner = change,
            Some(Field::Status) => raw.event.status = change,
            Some(Field::AssetTag) if change.from.is_empty() => raw.imported_new = true,
            _ => {}
        }
    }
    Ok(raws
        .into_iter()
        .filter_map(|mut raw| {
            raw.event.class = classify(&raw)?;
            Some(raw.event)
        })
        .collect())
}

fn classify(raw: &Raw) -> Option<EventClass> {
    let kind = raw.kind.as_str();
    let status = &raw.event.status;
    Some(
        if kind == EventKind::Created.key()
            || (kind == EventKind::Imported.key() && raw.imported_new)
        {
            EventClass::Added
        } else if kind == EventKind::Transferred.key() {
            EventClass::Transferred
        } else if kind == EventKind::Removed.key() {
            EventClass::Removed
        } else if let Some(&by_hand) = EventKind::BY_HAND.iter().find(|k| k.key() == kind) {
            EventClass::Logged(by_hand)
        } else if status.to == Status::Scrapped.key() {
            EventClass::Scrapped
        } else if status.to != status.from {
            EventClass::StatusChanged
        } else {
            return None;
        },
    )
}
