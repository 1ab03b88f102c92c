//! The whole audit log as a list, newest first: filtered by table, operator, day and record,
//! counted and read one window at a time, and read on past a row by its id.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::{ENTRY_COLUMNS, Entry, entry_from};
use crate::db::paging::Place;

/// Which audit rows the log shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogQuery {
    pub table: Option<String>,
    pub operator: Option<String>,
    /// Changes made on this day: by their stamp, or for an edit made outside jifang by the
    /// clock.
    pub day: Option<NaiveDate>,
    /// One record: its table and id.
    pub record: Option<(String, i64)>,
}

impl LogQuery {
    /// The WHERE clause (after `WHERE`) and its arguments.
    fn filter(&self) -> (String, Vec<Value>) {
        let mut sql = String::from("1");
        let mut args: Vec<Value> = Vec::new();
        if let Some((table, id)) = &self.record {
            sql.push_str(" AND table_name = ? AND record_id = ?");
            args.push(table.clone().into());
            args.push((*id).into());
        } else if let Some(table) = &self.table {
            sql.push_str(" AND table_name = ?");
            args.push(table.clone().into());
        }
        if let Some(name) = &self.operator {
            sql.push_str(" AND operator = ?");
            args.push(name.clone().into());
        }
        if let Some(day) = self.day {
            let (from, to) = (day.to_string(), (day + chrono::Days::new(1)).to_string());
            sql.push_str(" AND ((at >= ? AND at < ?) OR (clock_at >= ? AND clock_at < ?))");
            for bound in [&from, &to, &from, &to] {
                args.push(bound.clone().into());
            }
        }
        (sql, args)
    }

    /// Entries matching the filter and `more` (on `id`), in `order`, at most `limit` from
    /// `offset`.
    fn read(
        &self,
        conn: &Connection,
        more: &str,
        extra: Option<i64>,
        order: &str,
        limit: usize,
        offset: usize,
    ) -> rusqlite::Result<Vec<Entry>> {
        let (filter, mut args) = self.filter();
        if let Some(id) = extra {
            args.push(id.into());
        }
        args.push((limit.min(i64::MAX as usize) as i64).into());
        args.push((offset as i64).into());
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE {filter}{more}
             ORDER BY id {order} LIMIT ? OFFSET ?"
        );
        conn.prepare_cached(&sql)?
            .query_map(params_from_iter(args), entry_from)?
            .collect()
    }
}

pub fn count(conn: &Connection, query: &LogQuery) -> rusqlite::Result<usize> {
    let (filter, args) = query.filter();
    conn.prepare_cached(&format!("SELECT count(*) FROM audit_log WHERE {filter}"))?
        .query_row(params_from_iter(args), |r| r.get::<_, i64>(0))
        .map(|n| n as usize)
}

/// Up to `rows` entries from `place`, newest first. Past an entry, the read starts at its id.
pub fn rows(
    conn: &Connection,
    query: &LogQuery,
    place: Place,
    rows: usize,
) -> rusqlite::Result<Vec<Entry>> {
    let (past, id, oldest_first, offset, rows) = match place {
        Place::Down { offset, of } => match of.and_then(|n| Place::nearer_end(offset, rows, n)) {
            Some((below, rows)) => ("", None, true, below, rows),
            None => ("", None, false, offset, rows),
        },
        Place::End => ("", None, true, 0, rows),
        Place::After(last) => (" AND id < ?", Some(last), false, 0, rows),
        Place::Before(first) => (" AND id > ?", Some(first), true, 0, rows),
    };
    let order = if oldest_first { "ASC" } else { "DESC" };
    let mut entries = query.read(conn, past, id, order, rows, offset)?;
    if oldest_first {
        entries.reverse();
    }
    Ok(entries)
}

/// Everyone who has changed anything, by name; read by skipping along the operator index, so
/// a log of millions of rows costs one look per name.
pub fn operators(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(
        "WITH RECURSIVE names(name) AS (
             SELECT min(operator) FROM audit_log
             UNION ALL
             SELECT (SELECT min(operator) FROM audit_log WHERE operator > names.name)
             FROM names WHERE names.name IS NOT NULL)
         SELECT name FROM names WHERE name IS NOT NULL",
    )?
    .query_map([], |r| r.get(0))?
    .collect()
}

/// The record an operator names: a device by its asset tag, a repair by its ticket, a tool by
/// its code, a requisition by its number (case ignored); `None` when nothing is so named.
pub fn find_record(conn: &Connection, name: &str) -> rusqlite::Result<Option<(String, i64)>> {
    let name = name.trim();
    for (table, column) in [
        ("devices", "asset_tag"),
        ("repairs", "ticket"),
        ("tools", "code"),
        ("tool_loans", "number"),
    ] {
        let id: Option<i64> = conn
            .query_row(
                &format!("SELECT id FROM {table} WHERE {column} = ?1 COLLATE NOCASE LIMIT 1"),
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = id {
            return Ok(Some((table.to_owned(), id)));
        }
    }
    Ok(None)
}

/// Every entry the log shows, newest first; `visit` sees each in turn (a year of log is never
/// held in memory at once).
pub fn for_each(
    conn: &Connection,
    query: &LogQuery,
    mut visit: impl FnMut(&Entry) -> std::io::Result<()>,
) -> Result<(), super::ReadError> {
    let (filter, args) = query.filter();
    let mut stmt = conn.prepare(&format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE {filter} ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map(params_from_iter(args), entry_from)?;
    for row in rows {
        visit(&row?).map_err(super::ReadError::Io)?;
    }
    Ok(())
}
