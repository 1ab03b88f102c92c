//! Undo: put back the rows of an operator's last change, as a new change of its own.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, ErrorCode, params, params_from_iter};
use serde_json::{Map, Value};

use super::name::record_name;
use super::{Action, ENTRY_COLUMNS, Entry, columns_of, entry_from, quoted};
use crate::db::Stamp;

/// What an undo put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    /// When the undone change was made: every row written then by the operator is one change.
    pub at: String,
    /// The first record the change wrote (the one the operator worked on).
    pub table: String,
    pub record_id: i64,
    /// What the operator knows the record by (its asset tag, ticket or code), where it has one.
    pub name: Option<String>,
    pub rows: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum UndoError {
    #[error("nothing to undo")]
    Nothing,
    #[error("{table} #{record_id} was changed by {by} at {at}")]
    ChangedSince {
        table: String,
        record_id: i64,
        name: Option<String>,
        by: String,
        at: String,
    },
    #[error("other records now refer to {table} #{record_id}")]
    Referenced {
        table: String,
        record_id: i64,
        name: Option<String>,
    },
    #[error("{reason}")]
    Refused { reason: String },
    #[error("{0}")]
    Db(#[from] rusqlite::Error),
}

/// Undo `operator`'s newest change made after audit row `since_id`, skipping the changes
/// stamped at any time in `skip` (already undone, or undos themselves). The rows go back in
/// reverse order, stamped with `stamp`; run it in one transaction, so a refusal part-way
/// leaves everything as it was.
pub fn undo_last(
    conn: &Connection,
    operator: &str,
    since_id: i64,
    skip: &[String],
    stamp: &Stamp,
    zh: bool,
) -> Result<Undone, UndoError> {
    let skip_json = serde_json::to_string(skip).unwrap_or_else(|_| "[]".to_owned());
    let at: String = conn
        .query_row(
            "SELECT at FROM audit_log WHERE id > ?1 AND operator = ?2
               AND at NOT IN (SELECT value FROM json_each(?3))
             ORDER BY id DESC LIMIT 1",
            params![since_id, operator, skip_json],
            |r| r.get(0),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => UndoError::Nothing,
            e => UndoError::Db(e),
        })?;
    let group: Vec<Entry> = conn
        .prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE id > ?1 AND operator = ?2 AND at = ?3
             ORDER BY id DESC"
        ))?
        .query_map(params![since_id, operator, at], entry_from)?
        .collect::<Result<_, _>>()?;
    for entry in &group {
        refuse_if_changed_since(conn, entry, operator, zh)?;
    }
    let first = group.last().ok_or(UndoError::Nothing)?;
    // Named before the rows go back: undoing an insert removes the record.
    let name = record_name(conn, first, zh);
    for entry in &group {
        put_back(conn, entry, stamp).map_err(|e| refusal(conn, e, entry, zh))?;
    }
    Ok(Undone {
        at,
        table: first.table.clone(),
        record_id: first.record_id,
        name,
        rows: group.len(),
    })
}

fn refuse_if_changed_since(
    conn: &Connection,
    entry: &Entry,
    operator: &str,
    zh: bool,
) -> Result<(), UndoError> {
    let later = conn.query_row(
        "SELECT operator, at FROM audit_log
         WHERE table_name = ?1 AND record_id = ?2 AND id > ?3 AND operator <> ?4
         ORDER BY id LIMIT 1",
        params![entry.table, entry.record_id, entry.id, operator],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    );
    match later {
        Ok((by, at)) => Err(UndoError::ChangedSince {
            table: entry.table.clone(),
            record_id: entry.record_id,
            name: record_name(conn, entry, zh),
            by,
            at,
        }),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// A trigger's refusal (logs that are never deleted) or a reference from elsewhere, in words.
fn refusal(conn: &Connection, e: rusqlite::Error, entry: &Entry, zh: bool) -> UndoError {
    match e.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) if e.to_string().contains("FOREIGN KEY") => {
            UndoError::Referenced {
                table: entry.table.clone(),
                record_id: entry.record_id,
                name: record_name(conn, entry, zh),
            }
        }
        Some(ErrorCode::ConstraintViolation) => UndoError::Refused {
            reason: match &e {
                rusqlite::Error::SqliteFailure(_, Some(text)) => text.clone(),
                other => other.to_string(),
            },
        },
        _ => UndoError::Db(e),
    }
}

fn sql_value(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(SqlValue::Integer)
            .unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or_default())),
        Value::String(s) => SqlValue::Text(s.clone()),
        // The triggers store only SQL values; a nested one would be stored as its text.
        other => SqlValue::Text(other.to_string()),
    }
}

/// Only the table's real columns, so nothing in a stored object is ever spliced into SQL.
fn known<'a>(
    conn: &Connection,
    table: &str,
    values: &'a Map<String, Value>,
) -> rusqlite::Result<Vec<(&'a String, &'a Value)>> {
    let columns = columns_of(conn, table)?;
    Ok(values
        .iter()
        .filter(|(name, _)| columns.iter().any(|c| c == *name))
        .filter(|(name, _)| !matches!(name.as_str(), "updated_at" | "updated_by" | "id"))
        .collect())
}

/// `?1` the record, `?2`/`?3` the undoer's stamp, then the stored values in order.
fn args(entry: &Entry, stamp: &Stamp, values: &[(&String, &Value)]) -> Vec<SqlValue> {
    let mut args = vec![
        SqlValue::Integer(entry.record_id),
        SqlValue::Text(stamp.at_text()),
        SqlValue::Text(stamp.by.clone()),
    ];
    args.extend(values.iter().map(|(_, v)| sql_value(v)));
    args
}

fn put_back(conn: &Connection, entry: &Entry, stamp: &Stamp) -> rusqlite::Result<()> {
    let table = quoted(&entry.table);
    let at = stamp.at_text();
    match entry.action {
        Action::Update => {
            let values = known(conn, &entry.table, &entry.old)?;
            let sets: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(i, (name, _))| format!("{} = ?{}", quoted(name), i + 4))
                .collect();
            let sql = format!(
                "UPDATE {table} SET {}updated_at = ?2, updated_by = ?3,
                 row_version = row_version + 1 WHERE id = ?1",
                sets.iter().map(|s| format!("{s}, ")).collect::<String>()
            );
            conn.execute(&sql, params_from_iter(args(entry, stamp, &values)))?;
        }
        Action::Insert => {
            // Stamp the row first, so its removal is recorded as the undoer's.
            conn.execute(
                &format!("UPDATE {table} SET updated_at = ?2, updated_by = ?3 WHERE id = ?1"),
                params![entry.record_id, at, stamp.by],
            )?;
            if entry.table == "device_events" {
                // A history entry's change lines go after it (a trigger keeps them while it
                // stands), so their reference to it is checked at the commit instead.
                conn.pragma_update(None, "defer_foreign_keys", true)?;
            }
            conn.execute(
                &format!("DELETE FROM {table} WHERE id = ?1"),
                [entry.record_id],
            )?;
            if entry.table == "device_events" {
                conn.execute(
                    "DELETE FROM device_event_changes WHERE event_id = ?1",
                    [entry.record_id],
                )?;
            }
        }
        Action::Delete => {
            let values = known(conn, &entry.table, &entry.old)?;
            let names: Vec<String> = values.iter().map(|(n, _)| quoted(n)).collect();
            let marks: Vec<String> = (0..values.len()).map(|i| format!("?{}", i + 4)).collect();
            let sql = format!(
                "INSERT INTO {table} (id, updated_at, updated_by{}{}) VALUES (?1, ?2, ?3{}{})",
                if names.is_empty() { "" } else { ", " },
                names.join(", "),
                if marks.is_empty() { "" } else { ", " },
                marks.join(", ")
            );
            conn.execute(&sql, params_from_iter(args(entry, stamp, &values)))?;
        }
    }
    Ok(())
}
