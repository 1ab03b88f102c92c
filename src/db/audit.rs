//! The audit log: the triggers that write it, reading it back, and undoing one's own change.

pub mod chain;
pub mod log;
mod name;
mod undo;

pub use name::record_name;
pub use undo::{UndoError, Undone, undo_last};

use chrono::NaiveDate;
use rusqlite::{Connection, params};
use serde_json::{Map, Value};

/// The table the triggers write; it is itself never audited (its rows never change).
pub const TABLE: &str = "audit_log";

/// Columns an update's diff leaves out: who and when are the audit row's own fields.
const BOOKKEEPING: [&str; 3] = ["updated_at", "updated_by", "row_version"];

/// What happened to the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Insert,
    Update,
    Delete,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Insert => "insert",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }

    fn parse(code: &str) -> Action {
        match code {
            "insert" => Action::Insert,
            "delete" => Action::Delete,
            _ => Action::Update,
        }
    }
}

/// One audit row.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub operator: String,
    pub table: String,
    pub record_id: i64,
    pub action: Action,
    pub old: Map<String, Value>,
    pub new: Map<String, Value>,
    /// The clock's time when the row was logged, where the logged row's stamp may not say it.
    pub clock_at: Option<String>,
    /// Written by another program (no hash, after the chain began): the data was changed
    /// outside jifang.
    pub outside: bool,
    /// The login it was written under: an account's, or `os:` and the operating system's in
    /// open mode; `None` before version 19 and outside jifang.
    pub login: Option<String>,
}

impl Entry {
    /// When it happened as best known: for a change made outside jifang the clock's time,
    /// since such a change leaves the row's own stamp as it was.
    pub fn when(&self) -> &str {
        match (&self.clock_at, self.outside) {
            (Some(clock), true) => clock,
            _ => &self.at,
        }
    }

    /// The columns this entry is about, in the table's order: changed ones for an update,
    /// every one for an insert or removal.
    pub fn columns(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.new.keys().map(String::as_str).collect();
        for name in self.old.keys() {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }
}

/// One column of an entry as people read it: its name, and the value (an insert's or removal's)
/// or the value before and after (an update's) in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub column: String,
    pub text: String,
}

/// A row's own bookkeeping: its id and who changed it when, which an entry says itself.
pub const OWN_COLUMNS: [&str; 6] = [
    "id",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "row_version",
];

impl Entry {
    /// What the entry says, leaving out what is the entry's own who and when, and an insert's
    /// or removal's empty fields.
    pub fn changes(&self) -> Vec<Change> {
        const OWN: [&str; 6] = OWN_COLUMNS;
        let said = |v: Option<&Value>| {
            !matches!(v, None | Some(Value::Null)) && v.and_then(Value::as_str) != Some("")
        };
        self.columns()
            .into_iter()
            .filter_map(|name| {
                let text = match self.action {
                    Action::Update => format!(
                        "{} -> {}",
                        value_text(self.old.get(name)),
                        value_text(self.new.get(name))
                    ),
                    _ if OWN.contains(&name) => return None,
                    Action::Insert if said(self.new.get(name)) => value_text(self.new.get(name)),
                    Action::Delete if said(self.old.get(name)) => value_text(self.old.get(name)),
                    _ => return None,
                };
                Some(Change {
                    column: name.to_owned(),
                    text,
                })
            })
            .collect()
    }
}

/// Which audit rows to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// From this day on (by `at`).
    pub since: Option<NaiveDate>,
    pub table: Option<String>,
    pub record_id: Option<i64>,
    /// Changes this operator made (their name as recorded).
    pub operator: Option<String>,
}

/// Tables whose rows are written once with a row that is audited, and are protected by
/// triggers instead of being audited a second time (schema 16): a history entry's change lines.
pub const NOT_AUDITED_AGAIN: [&str; 1] = ["device_event_changes"];

/// The table of password hashes, which no log may copy (schema 19).
pub const SECRETS: &str = "account_secrets";

/// Every table the audit log covers: all of jifang's tables of rows but the log itself, the
/// search indexes (whose rows are derived from their tables), [`NOT_AUDITED_AGAIN`] and
/// [`SECRETS`].
pub fn audited_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT IN (?1, ?2, ?3, ?4) ORDER BY name",
    )?
    .query_map(
        [
            TABLE,
            super::search::DEFERRED,
            NOT_AUDITED_AGAIN[0],
            SECRETS,
        ],
        |r| r.get(0),
    )?
    .collect()
}

/// The columns of `table`, in order.
pub fn columns_of(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([table], |r| r.get(0))?
        .collect()
}

/// Drop and create the three audit triggers of every table, from its live columns. Run after
/// every upgrade, in the upgrade's transaction.
pub fn install_triggers(conn: &Connection) -> rusqlite::Result<()> {
    for table in audited_tables(conn)? {
        let columns = columns_of(conn, &table)?;
        conn.execute_batch(&triggers_sql(&table, &columns))?;
    }
    Ok(())
}

/// `"name"`, safe for any identifier.
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'` as an SQL literal.
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The clock's local time in the stored form, kept in `clock_at` where the row logged may not
/// say when it was changed: an edit that left `updated_at` and `updated_by` as they were (as
/// another program's does) and a removal. `at` stays the row's own stamp, which groups one
/// save's rows for undo.
const NOW: &str = "strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')";

fn triggers_sql(table: &str, columns: &[String]) -> String {
    let t = quoted(table);
    let name = |what: &str| quoted(&format!("audit_{table}_{what}"));
    let whole = |row: &str| {
        let pairs: Vec<String> = columns
            .iter()
            .map(|c| format!("{}, {row}.{}", literal(c), quoted(c)))
            .collect();
        format!("json_object({})", pairs.join(", "))
    };
    let data: Vec<&String> = columns
        .iter()
        .filter(|c| !BOOKKEEPING.contains(&c.as_str()))
        .collect();
    let changed = data
        .iter()
        .map(|c| format!("OLD.{0} IS NOT NEW.{0}", quoted(c)))
        .collect::<Vec<_>>()
        .join(" OR ");
    let diff_rows = data
        .iter()
        .map(|c| {
            format!(
                "SELECT {} AS k, OLD.{1} AS o, NEW.{1} AS n WHERE OLD.{1} IS NOT NEW.{1}",
                literal(c),
                quoted(c)
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    // An insert's row holds what the new row says: no empty values, and not its own who and
    // when (the audit row's `at` and `operator`) or id (`record_id`). A merge patch onto `{}`
    // leaves out the members it sets to null: one expression, where a subquery a column made
    // every imported device's audit row cost as much as the device itself.
    let said = columns
        .iter()
        .filter(|c| !OWN_COLUMNS.contains(&c.as_str()))
        .map(|c| format!("{}, NULLIF(NEW.{}, '')", literal(c), quoted(c)))
        .collect::<Vec<_>>()
        .join(", ");
    let table_text = literal(table);
    format!(
        "DROP TRIGGER IF EXISTS {insert};
CREATE TRIGGER {insert} AFTER INSERT ON {t} BEGIN
    INSERT INTO audit_log (at, operator, table_name, record_id, action, new_values)
    VALUES (NEW.updated_at, NEW.updated_by, {table_text}, NEW.id, 'insert',
            json_patch('{{}}', json_object({said})));
END;
DROP TRIGGER IF EXISTS {update};
CREATE TRIGGER {update} AFTER UPDATE ON {t} WHEN {changed} BEGIN
    INSERT INTO audit_log (at, operator, table_name, record_id, action, old_values, new_values,
                           clock_at)
    SELECT NEW.updated_at, NEW.updated_by, {table_text}, NEW.id, 'update',
           json_group_object(k, o), json_group_object(k, n),
           CASE WHEN NEW.updated_at IS OLD.updated_at AND NEW.updated_by IS OLD.updated_by
                THEN {now} END
    FROM ({diff_rows});
END;
DROP TRIGGER IF EXISTS {delete};
CREATE TRIGGER {delete} AFTER DELETE ON {t} BEGIN
    INSERT INTO audit_log (at, operator, table_name, record_id, action, old_values, clock_at)
    VALUES (OLD.updated_at, OLD.updated_by, {table_text}, OLD.id, 'delete', {old_row}, {now});
END;
",
        insert = name("insert"),
        update = name("update"),
        delete = name("delete"),
        now = NOW,
        old_row = whole("OLD"),
    )
}

/// An entry's columns; a row without a hash after the chain's first row was written outside
/// jifang.
const ENTRY_COLUMNS: &str = "id, at, operator, table_name, record_id, action, old_values, \
     new_values, clock_at, hash IS NULL AND id > coalesce(
         (SELECT min(s.id) FROM audit_log AS s WHERE s.table_name = 'audit_log'), 9e18), login";

fn entry_from(r: &rusqlite::Row) -> rusqlite::Result<Entry> {
    let object = |text: Option<String>| -> Map<String, Value> {
        text.and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    };
    Ok(Entry {
        id: r.get(0)?,
        at: r.get(1)?,
        operator: r.get(2)?,
        table: r.get(3)?,
        record_id: r.get(4)?,
        action: Action::parse(&r.get::<_, String>(5)?),
        old: object(r.get(6)?),
        new: object(r.get(7)?),
        clock_at: r.get(8)?,
        outside: r.get(9)?,
        login: r.get(10)?,
    })
}

/// Audit rows matching `query`, oldest first; `visit` sees each in turn (a year of log is
/// never held in memory at once).
pub fn for_each(
    conn: &Connection,
    query: &Query,
    mut visit: impl FnMut(Entry) -> std::io::Result<()>,
) -> Result<(), ReadError> {
    let since = query.since.map(|d| d.to_string());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_log
         WHERE (?1 IS NULL OR at >= ?1 OR clock_at >= ?1) AND (?2 IS NULL OR table_name = ?2)
           AND (?3 IS NULL OR record_id = ?3) AND (?4 IS NULL OR operator = ?4)
         ORDER BY id"
    ))?;
    let operator = query.operator.as_deref().map(str::trim);
    let args = params![since, query.table, query.record_id, operator];
    let rows = stmt.query_map(args, entry_from)?;
    for row in rows {
        visit(row?).map_err(ReadError::Io)?;
    }
    Ok(())
}

/// The audit trail of one record, newest first. Rows one save wrote to the record (an insert
/// and the update that filled in its details) read as one entry.
pub fn trail(conn: &Connection, table: &str, record_id: i64) -> rusqlite::Result<Vec<Entry>> {
    let entries: Vec<Entry> = conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE table_name = ?1 AND record_id = ?2
             ORDER BY id"
        ))?
        .query_map(params![table, record_id], entry_from)?
        .collect::<Result<_, _>>()?;
    let mut merged: Vec<Entry> = Vec::with_capacity(entries.len());
    for entry in entries {
        match merged.last_mut() {
            Some(last)
                if last.at == entry.at
                    && last.operator == entry.operator
                    && entry.action == Action::Update
                    && last.action != Action::Delete
                    // An edit made outside jifang is shown apart, whatever its stale stamp.
                    && !entry.outside
                    && !last.outside =>
            {
                for (name, value) in entry.old {
                    last.old.entry(name).or_insert(value);
                }
                last.new.extend(entry.new);
                if last.action == Action::Insert {
                    last.old.clear();
                }
            }
            _ => merged.push(entry),
        }
    }
    merged.reverse();
    Ok(merged)
}

/// A device's trail together with the lines written by hand into its history book (which are
/// records of their own), newest first.
pub fn device_trail(conn: &Connection, device_id: i64) -> rusqlite::Result<Vec<Entry>> {
    let mut entries = trail(conn, "devices", device_id)?;
    let kinds: Vec<&str> = super::device_log::EventKind::BY_HAND
        .iter()
        .map(|k| k.key())
        .collect();
    let lines: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM device_events
             WHERE device_id = ?1 AND kind IN (SELECT value FROM json_each(?2))",
        )?
        .query_map(
            params![device_id, serde_json::to_string(&kinds).unwrap_or_default()],
            |r| r.get(0),
        )?
        .collect::<Result<_, _>>()?;
    for line in lines {
        entries.extend(trail(conn, "device_events", line)?);
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.id));
    Ok(entries)
}

/// The newest audit row's id (0 for none): where a session's own changes begin.
pub fn last_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
        r.get(0)
    })
}

/// Reading the log failed, or writing what was read did.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Db(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(std::io::Error),
}

/// A value as the audit trail shows it: text bare, nothing as `-`.
pub fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
