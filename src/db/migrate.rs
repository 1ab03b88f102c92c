//! Schema creation and upgrades, versioned with `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

/// The full current schema, for new databases.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// Marks a SQLite file as jifang's (`PRAGMA application_id`, ASCII "JFNG").
pub const APPLICATION_ID: i32 = 0x4A46_4E47;

/// Upgrade steps: `UPGRADES[i]` takes a database from version `i + 1` to `i + 2`. A shipped step
/// is never edited; a schema change appends a step here and edits `schema.sql` to match.
pub const UPGRADES: &[&str] = &[];

/// The schema version this binary writes.
pub const VERSION: i64 = UPGRADES.len() as i64 + 1;

/// Bring the database to `VERSION`. The check and the work share one EXCLUSIVE transaction, so
/// two processes opening the same new file cannot both create the schema: the second waits for
/// the first (busy timeout) and then finds the work done.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current == 0 {
        tx.execute_batch(SCHEMA)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    } else {
        for step in &UPGRADES[(current - 1).max(0) as usize..] {
            tx.execute_batch(step)?;
        }
    }
    if current != VERSION {
        tx.pragma_update(None, "user_version", VERSION)?;
    }
    tx.commit()
}
