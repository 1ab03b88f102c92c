//! Schema creation and upgrades, versioned with `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

/// The schema text, in sections that each take a database one version further.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// Marks a SQLite file as jifang's (`PRAGMA application_id`, ASCII "JFNG").
pub const APPLICATION_ID: i32 = 0x4A46_4E47;

/// What starts each version section of `schema.sql`.
const SECTION_MARK: &str = "-- == version ";

/// The version sections of `schema.sql`: `sections()[i]` takes a database from version `i` to
/// `i + 1` (version 0 is a blank file).
pub fn sections() -> Vec<&'static str> {
    SCHEMA
        .split(SECTION_MARK)
        .skip(1)
        .map(|section| section.split_once('\n').map_or("", |(_, body)| body))
        .collect()
}

/// The schema version this binary writes: the number of sections.
pub const VERSION: i64 = count_sections();

const fn count_sections() -> i64 {
    let text = SCHEMA.as_bytes();
    let mark = SECTION_MARK.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i + mark.len() <= text.len() {
        let mut j = 0;
        while j < mark.len() && text[i + j] == mark[j] {
            j += 1;
        }
        if j == mark.len() {
            count += 1;
        }
        i += 1;
    }
    count
}

/// Data a version brings with it, written in the same transaction as its tables.
pub(crate) fn after_section(conn: &Connection, version: usize) -> rusqlite::Result<()> {
    if version == 6 {
        let stamp = super::Stamp::new(INSTALLER, chrono::Local::now().naive_local());
        super::readings::install_built_in(conn, &stamp)?;
    }
    if version == 11 {
        super::search::install(conn)?;
    }
    if version == 13 {
        super::search::defer_in_steps(conn)?;
    }
    if version == 20 {
        widen_check(
            conn,
            "device_events",
            "'removed', 'repair', 'inspection')",
            "'removed', 'repair', 'inspection', 'maintenance', 'degradation',
                                   'software_installed', 'software_removed', 'use', 'other')",
        )?;
        widen_check(
            conn,
            "checklists",
            "CHECK (period IN ('day', 'week', 'month'))",
            "CHECK (period IN ('workday', 'day', 'week', 'month', 'quarter', 'year'))",
        )?;
        // The daily patrol is a working-day duty (000 周一至周五): its past runs stay as they
        // were, and no weekend is missed from now on.
        let stamp = super::Stamp::new(INSTALLER, chrono::Local::now().naive_local());
        conn.execute(
            "UPDATE checklists SET period = 'workday', updated_at = ?1, updated_by = ?2,
                 row_version = row_version + 1
             WHERE code = 'daily' AND period = 'day'",
            rusqlite::params![stamp.at_text(), stamp.by],
        )?;
    }
    if version == 21 {
        widen_check(
            conn,
            "checklists",
            "'month', 'quarter', 'year'))",
            "'month', 'quarter', 'semester', 'year'))",
        )?;
    }
    if version == 15 {
        let now = chrono::Local::now().naive_local();
        let at = super::Stamp::new(INSTALLER, now).at_text();
        super::audit::chain::start(conn, &at, &mut |rows, done| {
            if let Some(tell) = PROGRESS.get() {
                tell(rows, done);
            }
        })?;
    }
    Ok(())
}

/// Relax a CHECK constraint of `table` by replacing the text `from` in its definition with
/// `to`, which must admit every row `from` did. SQLite's documented procedure for relaxing a
/// constraint ("Making Other Kinds Of Table Schema Changes"): the stored definition is edited
/// and the schema version moved on, inside the upgrade's transaction, so tables that refer to
/// this one and triggers that read it are left as they are.
fn widen_check(conn: &Connection, table: &str, from: &str, to: &str) -> rusqlite::Result<()> {
    let version: i64 = conn.pragma_query_value(None, "schema_version", |r| r.get(0))?;
    conn.pragma_update(None, "writable_schema", true)?;
    let changed = conn.execute(
        "UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3)
         WHERE type = 'table' AND name = ?1 AND instr(sql, ?2) > 0",
        [table, from, to],
    );
    conn.pragma_update(None, "writable_schema", false)?;
    if changed? != 1 {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "{table}: the constraint to widen was not found"
        )));
    }
    conn.pragma_update(None, "schema_version", version + 1)
}

type Progress = Box<dyn Fn(i64, bool) + Send + Sync>;

static PROGRESS: std::sync::OnceLock<Progress> = std::sync::OnceLock::new();

/// Who hears how far a long upgrade has got: the upgrade to version 15 reads every older audit
/// row once, and tells how many it has read every 100,000, and when it is done (the command
/// line says so on standard error).
pub fn on_progress(tell: impl Fn(i64, bool) + Send + Sync + 'static) {
    let _ = PROGRESS.set(Box::new(tell));
}

/// Who rows written by jifang itself (the built-in templates and metrics) are created by.
pub const INSTALLER: &str = "jifang";

/// Bring the database to `VERSION`. A current database is only read (WAL lets that go on
/// beside another program's write, so opening never waits for one). Otherwise the check and the
/// work share one EXCLUSIVE transaction, so two processes opening the same new file cannot both
/// create the schema: the second waits for the first (busy timeout) and then finds the work done.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found == VERSION {
        return Ok(());
    }
    // The upgrade to version 15 seals the chain's first row.
    super::audit::chain::register(conn)?;
    // An upgrade may rebuild a table others refer to (version 21): SQLite's procedure turns
    // foreign keys off for it, outside the transaction, and checks them all before commit.
    conn.pragma_update(None, "foreign_keys", false)?;
    let done = upgrade(conn);
    conn.pragma_update(None, "foreign_keys", true)?;
    done
}

fn upgrade(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current == 0 {
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    for (index, section) in sections().iter().enumerate().skip(current.max(0) as usize) {
        tx.execute_batch(section)?;
        after_section(&tx, index + 1)?;
    }
    if current != VERSION {
        // After the sections, so the code writes the columns the tables now have.
        let stamp = super::Stamp::new(INSTALLER, chrono::Local::now().naive_local());
        super::checklists::install_built_in(&tx, current, stamp.at.date(), &stamp)?;
        // The audit triggers follow every table's columns as they now are.
        super::audit::install_triggers(&tx)?;
        let broken: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "the upgrade left {broken} rows referring to rows that do not exist"
            )));
        }
        tx.pragma_update(None, "user_version", VERSION)?;
    }
    tx.commit()
}
