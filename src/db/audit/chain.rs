//! Tamper evidence for the audit log: every row jifang writes carries the SHA-256 of the row
//! before it and of its own content, rows from before the chain began are summed up in its
//! first row, and the triggers that protect the data are compared with the ones this version
//! makes. `jifang check` reads all three.
//!
//! The hash is set by a TEMP trigger that only jifang's own connections have (it calls a Rust
//! function no other program has), so a row another program writes, through the permanent
//! audit triggers, stays without one: that is how an edit made outside jifang is told apart.

use std::collections::BTreeMap;

use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The SQL function the seal trigger calls: the previous hash, then the row's columns.
const HASH_FUNCTION: &str = "jifang_audit_hash";

/// The row's columns that its hash covers, in order.
const CONTENT: &str =
    "id, at, operator, table_name, record_id, action, old_values, new_values, clock_at, login";
/// How many columns [`CONTENT`] names.
const CONTENT_COLUMNS: usize = 10;
/// Columns from this one on were added after the chain began: a row without them (NULL) is
/// hashed as it was before they existed, so older rows keep their hashes.
const LATER_COLUMNS: usize = 9;

/// What the chain's first row is recorded under: the log itself, which nothing else audits.
const START_TABLE: &str = super::TABLE;

/// Where `jifang check --repair` records a trigger it put back.
pub const TRIGGERS_TABLE: &str = "triggers";

/// One value as the hash reads it: a type mark, then its length and bytes, so that no two
/// different rows read alike.
fn feed(hasher: &mut Sha256, value: ValueRef<'_>) {
    match value {
        ValueRef::Null => hasher.update([0]),
        ValueRef::Integer(i) => {
            hasher.update([1]);
            hasher.update(i.to_le_bytes());
        }
        ValueRef::Real(f) => {
            hasher.update([2]);
            hasher.update(f.to_le_bytes());
        }
        ValueRef::Text(t) => {
            hasher.update([3]);
            hasher.update((t.len() as u64).to_le_bytes());
            hasher.update(t);
        }
        ValueRef::Blob(b) => {
            hasher.update([4]);
            hasher.update((b.len() as u64).to_le_bytes());
            hasher.update(b);
        }
    }
}

/// Make the hash function known to `conn`. Every connection jifang writes with has it.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        HASH_FUNCTION,
        CONTENT_COLUMNS as i32 + 1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let mut hasher = Sha256::new();
            feed(&mut hasher, ctx.get_raw(0));
            feed_content(&mut hasher, |i| Ok(ctx.get_raw(i + 1)))?;
            Ok(hasher.finalize().to_vec())
        },
    )?;
    set_login(conn, None)
}

/// The SQL function the seal calls for the login a row is written under.
const LOGIN_FUNCTION: &str = "jifang_login";

/// Name `login` as the login every audit row this connection writes from now on is written
/// under (`None`: none known).
pub fn set_login(conn: &Connection, login: Option<String>) -> rusqlite::Result<()> {
    conn.create_scalar_function(LOGIN_FUNCTION, 0, FunctionFlags::SQLITE_UTF8, move |_| {
        Ok(login.clone())
    })
}

/// A row's content as the hash reads it: the later columns only where they hold something.
fn feed_content<'a>(
    hasher: &mut Sha256,
    value: impl Fn(usize) -> rusqlite::Result<ValueRef<'a>>,
) -> rusqlite::Result<()> {
    for i in 0..CONTENT_COLUMNS {
        let v = value(i)?;
        if i < LATER_COLUMNS || v != ValueRef::Null {
            feed(hasher, v);
        }
    }
    Ok(())
}

/// Whether the log has its `hash` column yet (version 15 on).
fn chained(conn: &Connection) -> rusqlite::Result<bool> {
    has_column(conn, "hash")
}

fn has_column(conn: &Connection, column: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2)",
        [super::TABLE, column],
        |r| r.get(0),
    )
}

/// Seal every audit row this connection writes from now on. Does nothing before version 15.
pub fn install_seal(conn: &Connection) -> rusqlite::Result<()> {
    if !chained(conn)? {
        return Ok(());
    }
    // Before version 19 the log has no login to set.
    let (set, login) = match has_column(conn, "login")? {
        true => (
            format!("login = {LOGIN_FUNCTION}(), "),
            format!("{LOGIN_FUNCTION}()"),
        ),
        false => (String::new(), "NULL".to_owned()),
    };
    conn.execute_batch(&format!(
        "DROP TRIGGER IF EXISTS temp.audit_log_seal;
        CREATE TEMP TRIGGER audit_log_seal AFTER INSERT ON main.audit_log BEGIN
            UPDATE main.audit_log SET {set}hash = {HASH_FUNCTION}(
                (SELECT hash FROM main.audit_log WHERE id < NEW.id ORDER BY id DESC LIMIT 1),
                NEW.id, NEW.at, NEW.operator, NEW.table_name, NEW.record_id, NEW.action,
                NEW.old_values, NEW.new_values, NEW.clock_at, {login})
            WHERE id = NEW.id;
        END;"
    ))
}

/// [`CONTENT`] as this database's log has it: before version 19 it had no login.
fn content(conn: &Connection) -> rusqlite::Result<String> {
    Ok(match has_column(conn, "login")? {
        true => CONTENT.to_owned(),
        false => CONTENT.replace("clock_at, login", "clock_at, NULL"),
    })
}

/// The digest of rows as the chain's first row sums them up.
struct Summary {
    hasher: Sha256,
    rows: i64,
    last: i64,
}

impl Summary {
    fn new() -> Summary {
        Summary {
            hasher: Sha256::new(),
            rows: 0,
            last: 0,
        }
    }

    fn add(&mut self, row: &rusqlite::Row) -> rusqlite::Result<()> {
        feed_row(&mut self.hasher, row)?;
        self.rows += 1;
        self.last = row.get(0)?;
        Ok(())
    }

    fn text(self) -> String {
        serde_json::json!({
            "covers": self.rows,
            "last": self.last,
            "digest": hex(&self.hasher.finalize()),
        })
        .to_string()
    }
}

/// How many rows a summary's text says it covers.
fn covers(text: &str) -> i64 {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v["covers"].as_i64())
        .unwrap_or(0)
}

/// A row's [`CONTENT`] as the hash reads it.
fn feed_row(hasher: &mut Sha256, row: &rusqlite::Row) -> rusqlite::Result<()> {
    feed_content(hasher, |i| row.get_ref(i))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Begin the chain (the upgrade to version 15): its first row sums up every older row, so they
/// are covered too. `progress` hears how many rows were read, every 100,000, and whether that
/// was all (said only when it said anything before).
pub fn start(
    conn: &Connection,
    at: &str,
    progress: &mut dyn FnMut(i64, bool),
) -> rusqlite::Result<()> {
    install_seal(conn)?;
    let mut summary = Summary::new();
    {
        let content = content(conn)?;
        let mut stmt = conn.prepare(&format!("SELECT {content} FROM audit_log ORDER BY id"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            summary.add(row)?;
            if summary.rows % 100_000 == 0 {
                progress(summary.rows, false);
            }
        }
    }
    if summary.rows >= 100_000 {
        progress(summary.rows, true);
    }
    let last = summary.last;
    conn.execute(
        "INSERT INTO audit_log (at, operator, table_name, record_id, action, new_values)
         VALUES (?1, ?2, ?3, ?4, 'insert', ?5)",
        params![
            at,
            super::super::migrate::INSTALLER,
            START_TABLE,
            last,
            summary.text()
        ],
    )?;
    Ok(())
}

/// Something `jifang check` found in the log or the triggers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The chain's first row is gone (or was never written by this version).
    NoStart,
    /// The rows from before the chain are not the ones its first row summed up.
    OlderRowsChanged {
        covered: i64,
        found: i64,
    },
    /// The first row whose hash does not follow from the row before it and its own content:
    /// it or a row before it was changed or removed.
    Broken {
        id: i64,
        at: String,
    },
    /// Rows written without jifang (another program changed the data).
    Outside {
        count: i64,
        first_id: i64,
        first_at: String,
    },
    /// A protective trigger is missing, or its text is not what jifang made.
    TriggerMissing(String),
    TriggerChanged(String),
    /// A backup's last row is not in the log as the backup had it: rows it had are gone.
    BackupRowsGone {
        id: i64,
        at: String,
    },
}

/// Verify the whole chain: the older rows against the first row's summary, then every row's
/// hash. Reads the log once, oldest first.
pub fn verify(conn: &Connection) -> rusqlite::Result<Vec<Finding>> {
    if !chained(conn)? {
        return Ok(Vec::new());
    }
    let mut findings = Vec::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT {}, hash FROM audit_log ORDER BY id",
        content(conn)?
    ))?;
    let mut rows = stmt.query([])?;
    let mut before = Some(Summary::new());
    let mut prev: Option<Vec<u8>> = None;
    let mut broken = false;
    let mut outside: Option<(i64, i64, String)> = None;
    while let Some(row) = rows.next()? {
        let hash: Option<Vec<u8>> = row.get(CONTENT_COLUMNS)?;
        if let Some(summary) = before.as_mut() {
            let table: String = row.get(3)?;
            if hash.is_none() || table != START_TABLE {
                summary.add(row)?;
                prev = hash;
                continue;
            }
            // The chain's first row: what it summed up must be what is there now.
            let said: String = row.get::<_, Option<String>>(7)?.unwrap_or_default();
            let now = before.take().map(Summary::text).unwrap_or_default();
            if said != now {
                findings.push(Finding::OlderRowsChanged {
                    covered: covers(&said),
                    found: covers(&now),
                });
            }
        }
        let Some(hash) = hash else {
            // When it happened: the clock's time, where the edit left the row's stamp stale.
            let clock: Option<String> = row.get(8)?;
            let at = clock.map_or_else(|| row.get(1), Ok)?;
            let entry = outside.get_or_insert((0, row.get(0)?, at));
            entry.0 += 1;
            prev = None;
            continue;
        };
        let mut hasher = Sha256::new();
        feed(
            &mut hasher,
            prev.as_deref().map_or(ValueRef::Null, ValueRef::Blob),
        );
        feed_row(&mut hasher, row)?;
        if !broken && hasher.finalize().as_slice() != hash.as_slice() {
            broken = true;
            findings.push(Finding::Broken {
                id: row.get(0)?,
                at: row.get(1)?,
            });
        }
        prev = Some(hash);
    }
    if before.is_some() {
        findings.insert(0, Finding::NoStart);
    }
    if let Some((count, first_id, first_at)) = outside {
        findings.push(Finding::Outside {
            count,
            first_id,
            first_at,
        });
    }
    Ok(findings)
}

/// The triggers a database of this version has, by name, with their text: those of a fresh
/// database made by this binary.
fn expected_triggers() -> rusqlite::Result<BTreeMap<String, String>> {
    let mut fresh = Connection::open_in_memory()?;
    super::super::migrate::migrate(&mut fresh)?;
    triggers_of(&fresh)
}

fn triggers_of(conn: &Connection) -> rusqlite::Result<BTreeMap<String, String>> {
    conn.prepare("SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Each protective trigger that is missing or not as jifang made it.
pub fn check_triggers(conn: &Connection) -> rusqlite::Result<Vec<Finding>> {
    let found = triggers_of(conn)?;
    Ok(expected_triggers()?
        .into_iter()
        .filter_map(|(name, sql)| match found.get(&name) {
            None => Some(Finding::TriggerMissing(name)),
            Some(text) if *text != sql => Some(Finding::TriggerChanged(name)),
            Some(_) => None,
        })
        .collect())
}

/// Put back every missing or changed trigger, each recorded in the log with who and when, in
/// one transaction. Returns the names put back.
pub fn repair_triggers(
    conn: &mut Connection,
    stamp: &super::super::Stamp,
) -> rusqlite::Result<Vec<String>> {
    let expected = expected_triggers()?;
    let tx = conn.transaction()?;
    let found = triggers_of(&tx)?;
    let mut put_back = Vec::new();
    for (name, sql) in expected {
        if found.get(&name) == Some(&sql) {
            continue;
        }
        tx.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS {};\n{sql};",
            super::quoted(&name)
        ))?;
        tx.execute(
            "INSERT INTO audit_log (at, operator, table_name, record_id, action, new_values)
             VALUES (?1, ?2, ?3, 0, 'insert', json_object('trigger', ?4))",
            params![stamp.at_text(), stamp.by, TRIGGERS_TABLE, name],
        )?;
        put_back.push(name);
    }
    tx.commit()?;
    Ok(put_back)
}

/// The chain's head: the newest row's id and the first 16 hex digits of its hash, which a
/// backup's report names so that it can be matched against the log later.
pub fn head(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    if !chained(conn)? {
        return Ok(None);
    }
    conn.query_row(
        "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
        [],
        |r| {
            let hash: Option<Vec<u8>> = r.get(1)?;
            Ok((
                r.get(0)?,
                hash.map(|h| hex(&h[..8.min(h.len())])).unwrap_or_default(),
            ))
        },
    )
    .optional()
}

/// Whether the log still holds the last row `backup` had, as it had it: since each hash
/// covers the one before, that one row vouches for all the backup's rows.
pub fn against(conn: &Connection, backup: &Connection) -> rusqlite::Result<Option<Finding>> {
    if !chained(backup)? {
        return Ok(None);
    }
    let head: Option<(i64, String, Option<Vec<u8>>)> = backup
        .query_row(
            "SELECT id, at, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, at, hash)) = head else {
        return Ok(None);
    };
    let here: Option<Option<Vec<u8>>> = conn
        .query_row("SELECT hash FROM audit_log WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok((here != Some(hash)).then_some(Finding::BackupRowsGone { id, at }))
}

#[cfg(test)]
mod tests;
