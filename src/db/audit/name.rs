//! The name an operator knows a logged record by (an asset tag, a ticket number, a tool code),
//! read from the audit row or the table, for messages that must never show an internal id.

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use super::{Entry, quoted};

/// The record's own name column, or the parent whose name it goes by and the columns that
/// tell it from its siblings.
enum Naming {
    Own(&'static str),
    Parent {
        link: &'static str,
        parent: &'static str,
        name: &'static str,
        suffix: Option<&'static str>,
    },
}

/// How `table`'s rows are named; a metric by its name in the screen's language.
fn naming(table: &str, zh: bool) -> Option<Naming> {
    let metric_name = if zh { "name_zh" } else { "name_en" };
    let parent = |link, parent, name, suffix| Naming::Parent {
        link,
        parent,
        name,
        suffix,
    };
    Some(match table {
        "devices" => Naming::Own("asset_tag"),
        "repairs" => Naming::Own("ticket"),
        "tools" => Naming::Own("code"),
        "tool_loans" => Naming::Own("number"),
        "checklists" | "checklist_items" => Naming::Own("code"),
        "people" | "departments" | "tool_kinds" => Naming::Own("name"),
        "metrics" => Naming::Own(metric_name),
        "device_events" => parent("device_id", "devices", "asset_tag", None),
        "repair_events" | "repair_amendments" => parent("repair_id", "repairs", "ticket", None),
        "tool_loan_items" => parent("loan_id", "tool_loans", "number", None),
        "check_runs" => parent("checklist_id", "checklists", "code", Some("period_start")),
        "readings" => parent("metric_id", "metrics", metric_name, Some("day")),
        _ => return None,
    })
}

/// The name of the record `entry` logs, as it reads now or (removed since) as the entry has
/// it; `None` for tables whose rows have no name of their own.
pub fn record_name(conn: &Connection, entry: &Entry, zh: bool) -> Option<String> {
    let name = match naming(&entry.table, zh)? {
        Naming::Own(column) => text(column_value(conn, entry, column)?)?,
        Naming::Parent {
            link,
            parent,
            name,
            suffix,
        } => {
            let id = column_value(conn, entry, link)?.as_i64()?;
            let sql = format!("SELECT {} FROM {} WHERE id = ?1", quoted(name), parent);
            let own: String = conn
                .query_row(&sql, [id], |r| r.get(0))
                .optional()
                .ok()
                .flatten()?;
            match suffix
                .and_then(|s| column_value(conn, entry, s))
                .and_then(text)
            {
                Some(suffix) => format!("{own} {suffix}"),
                None => own,
            }
        }
    };
    Some(name)
}

/// A column of the logged row: from the entry if it holds it, else from the live row.
fn column_value(conn: &Connection, entry: &Entry, column: &str) -> Option<Value> {
    if let Some(value) = entry.new.get(column).or_else(|| entry.old.get(column)) {
        return Some(value.clone());
    }
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?1",
        quoted(column),
        quoted(&entry.table)
    );
    conn.query_row(&sql, [entry.record_id], |r| {
        r.get::<_, rusqlite::types::Value>(0)
    })
    .optional()
    .ok()
    .flatten()
    .map(|v| match v {
        rusqlite::types::Value::Integer(i) => Value::from(i),
        rusqlite::types::Value::Text(t) => Value::from(t),
        _ => Value::Null,
    })
}

fn text(value: Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s),
        _ => None,
    }
}
