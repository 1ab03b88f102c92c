//! The history book (机历本) of each device: appending entries and reading them back.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::Stamp;
use crate::domain::record::{Field, parse_date};

/// What kind of thing happened to a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Edited,
    Imported,
    Transferred,
    Status,
    Removed,
    Repair,
    Inspection,
}

impl EventKind {
    pub const ALL: [EventKind; 8] = [
        EventKind::Created,
        EventKind::Edited,
        EventKind::Imported,
        EventKind::Transferred,
        EventKind::Status,
        EventKind::Removed,
        EventKind::Repair,
        EventKind::Inspection,
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
        }
    }

    fn parse(key: &str) -> EventKind {
        EventKind::ALL
            .into_iter()
            .find(|k| k.key() == key)
            .unwrap_or(EventKind::Edited)
    }
}

/// An entry about to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: EventKind,
    /// The day it took effect (a transfer slip's date), which may differ from the day typed in.
    pub effective_on: NaiveDate,
    pub approver: String,
    pub reason: String,
}

impl NewEvent {
    pub fn new(kind: EventKind, effective_on: NaiveDate) -> NewEvent {
        NewEvent {
            kind,
            effective_on,
            approver: String::new(),
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
    let at = stamp.at_text();
    conn.prepare_cached(
        "INSERT INTO device_events (device_id, kind, effective_on, approver, reason,
             created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)",
    )?
    .execute(params![
        device_id,
        event.kind.key(),
        event.effective_on.to_string(),
        event.approver,
        event.reason,
        at,
        stamp.by
    ])?;
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
        "INSERT INTO device_event_changes (event_id, field, old_value, new_value,
             created_at, created_by, updated_at, updated_by)
         SELECT ?1, value ->> 0, value ->> 1, value ->> 2, ?3, ?4, ?3, ?4
         FROM json_each(?2) ORDER BY key",
    )?
    .execute(params![event_id, triples, at, stamp.by])?;
    Ok(event_id)
}

/// An entry as the history book shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub effective_on: NaiveDate,
    pub approver: String,
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

/// An entry's stored reason as the operator reads it: repair steps and scrapping reasons in
/// words, one line after another joined with `; `.
pub fn reason_text(stored: &str, lang: crate::i18n::Lang) -> String {
    stored
        .lines()
        .map(|l| {
            super::repairs::history_text(l, lang)
                .unwrap_or_else(|| super::devices::scrap_reason_text(l, lang))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A device's history, newest first.
pub fn history(conn: &Connection, device_id: i64) -> rusqlite::Result<Vec<Event>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.kind, e.effective_on, e.approver, e.reason, e.created_by, e.created_at,
                c.field, c.old_value, c.new_value
         FROM device_events e LEFT JOIN device_event_changes c ON c.event_id = e.id
         WHERE e.device_id = ?1
         ORDER BY e.id DESC, c.id",
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
