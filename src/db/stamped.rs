//! Statements that write a record with the operator's stamp: a record's fields named once for
//! both the statement that adds it and the one that changes it, and the change of one column.

use rusqlite::types::Value;
use rusqlite::{Connection, ToSql, params};

use super::Stamp;

/// A record's values by name (`:name` in the SQL), with the stamp as `:at` and `:by`.
pub struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    pub fn stamped(stamp: &Stamp) -> Fields {
        Fields(vec![
            (":at", stamp.at_text().into()),
            (":by", stamp.by.clone().into()),
        ])
    }

    /// A typed text, stored trimmed as every typed value is.
    pub fn text(self, name: &'static str, text: &str) -> Fields {
        self.value(name, text.trim().to_owned())
    }

    pub fn value(mut self, name: &'static str, value: impl Into<Value>) -> Fields {
        self.0.push((name, value.into()));
        self
    }

    /// Run `sql`, which names every one of these values.
    pub fn execute(&self, conn: &Connection, sql: &str) -> rusqlite::Result<usize> {
        let named: Vec<(&str, &dyn ToSql)> = self
            .0
            .iter()
            .map(|(name, value)| (*name, value as &dyn ToSql))
            .collect();
        conn.prepare_cached(sql)?.execute(named.as_slice())
    }
}

/// Set one column of the row `id` of `table`, stamped; a row that holds the value already is
/// left as it is (no new version, nothing in the audit log).
pub fn set(
    conn: &Connection,
    table: &str,
    column: &str,
    id: i64,
    value: impl ToSql,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE {table} SET {column} = ?2, updated_at = ?3, updated_by = ?4,
             row_version = row_version + 1
         WHERE id = ?1 AND {column} IS NOT ?2"
    ))?
    .execute(params![id, value, stamp.at_text(), stamp.by])?;
    Ok(())
}
