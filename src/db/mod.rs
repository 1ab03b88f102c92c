//! The SQLite store: opening (and refusing) database files, connection settings, health checks.

pub mod accounts;
pub mod approvals;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod check_runs;
pub mod checklists;
pub mod demo;
pub mod device_log;
pub mod devices;
pub mod directory;
pub mod duty;
pub mod handover;
pub mod importing;
pub mod job;
pub mod migrate;
pub mod month;
pub mod open_files;
pub mod paging;
pub mod place;
pub mod readings;
pub mod repairs;
pub mod search;
pub mod sort;
pub mod stamped;
pub mod tools;
pub mod worker;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::UserError;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How long a writer waits for another before giving up. Generous: operators share one file,
/// and a wait is always better than "database is locked".
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a read made between a key and its frame may take (a frame is due within 33 ms).
const QUICK_READ: Duration = Duration::from_millis(25);

/// Make `conn` wait for another program's write instead of failing at once: it tries again
/// every half millisecond, for up to [`BUSY_TIMEOUT`]. SQLite's own wait sleeps up to 100 ms
/// between tries and would miss a short gap between two writers. While an import holds the lock
/// (its one transaction may take minutes), the wait goes on as long as the importer runs, and
/// says so once ([`importing::on_wait`]).
pub(crate) fn wait_for_writers(conn: &mut Connection) -> rusqlite::Result<()> {
    let path = conn.path().filter(|p| !p.is_empty()).map(PathBuf::from);
    let mut since = std::time::Instant::now();
    let mut looked = since;
    let mut import = false;
    conn.busy_handler(Some(move |tries: i32| {
        if tries == 0 {
            since = std::time::Instant::now();
            looked = since;
            import = false;
        }
        std::thread::sleep(Duration::from_micros(500));
        // Whether an import holds the lock: looked at every 100 ms, a file read each time.
        if let Some(path) = &path
            && looked.elapsed() >= IMPORT_LOOK
        {
            looked = std::time::Instant::now();
            let running = importing::running(path);
            if running && !import {
                importing::tell_waiting(path);
            }
            import = running;
        }
        import || since.elapsed() < BUSY_TIMEOUT
    }))
}

/// How often a waiting save looks whether an import holds the lock.
const IMPORT_LOOK: Duration = Duration::from_millis(100);

/// An open, migrated jifang database.
pub struct Db {
    conn: Connection,
    /// Declared after `conn`, so the file counts as open until the connection is closed.
    _open: Option<open_files::Registered>,
    path: Option<PathBuf>,
    budget: Option<worker::Budget>,
    /// How long a read on the key path may take before it is handed to a worker.
    quick: Duration,
    /// The login audit rows are written under (see [`Db::set_login`]).
    login: Option<String>,
}

impl Db {
    /// Open the database at `path`, creating it only if nothing is there. Every refusal happens
    /// before the first write, so a refused file is left byte-for-byte as it was.
    pub fn open(path: &Path) -> Result<Db, UserError> {
        if let Some(fstype) = place::network_filesystem(path) {
            return Err(UserError::NetworkFilesystem {
                path: path.to_path_buf(),
                fstype,
            });
        }
        let read_only = || UserError::ReadOnly {
            path: path.to_path_buf(),
        };
        if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().readonly()) {
            return Err(read_only());
        }
        // A file this process already has open is a database SQLite is reading: looking at its
        // first bytes with std::fs would drop the locks the open connection holds on it.
        if !open_files::is_open(path) && !inspect_path(path)? {
            create_new(path)?;
        }
        let corrupt = |e: rusqlite::Error| open_failure(path, e);
        // Never SQLITE_OPEN_CREATE here: an existing path is opened as it is or not at all.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn =
            Connection::open_with_flags(path, flags).map_err(|e| UserError::Unreadable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        wait_for_writers(&mut conn).map_err(corrupt)?;
        // SQLite quietly opens a write-protected file read-only; jifang never half-works.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(read_only());
        }
        check_identity(&conn, path)?;
        let mut db = Db {
            conn,
            _open: open_files::Registered::new(path),
            path: Some(path.to_path_buf()),
            budget: None,
            quick: QUICK_READ,
            login: None,
        };
        db.configure().map_err(|e| match e.sqlite_error_code() {
            // A folder without write access: the -wal and -shm files cannot be made.
            Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => read_only(),
            _ => corrupt(e),
        })?;
        Ok(db)
    }

    /// A private in-memory database with the same settings and schema, for tests.
    pub fn open_in_memory() -> rusqlite::Result<Db> {
        let conn = Connection::open_in_memory()?;
        let mut db = Db {
            conn,
            _open: None,
            path: None,
            budget: None,
            quick: QUICK_READ,
            login: None,
        };
        db.configure()?;
        Ok(db)
    }

    /// Put the file in WAL mode. Programs creating one new file at once each hold a read lock
    /// while asking for the switch, and SQLite answers all but one BUSY at once, without its
    /// busy handler (waiting could deadlock them): those ask again, until the usual wait for a
    /// writer has passed.
    fn switch_to_wal(&self) -> rusqlite::Result<()> {
        let started = std::time::Instant::now();
        loop {
            match self
                .conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
            {
                Err(e)
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                        && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                done => return done,
            }
        }
    }

    fn configure(&mut self) -> rusqlite::Result<()> {
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // WAL lets operators read while another writes; FULL syncs every commit to disk, so a
        // power cut in the machine room loses nothing that was reported as saved.
        self.switch_to_wal()?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        // Every audit row this connection writes is sealed into the chain, upgrades included
        // (the upgrade that begins the chain installs the seal itself).
        audit::chain::register(&self.conn)?;
        audit::chain::install_seal(&self.conn)?;
        migrate::migrate(&mut self.conn)?;
        // An upgrade may have given the log columns the seal sets (the login, version 19).
        audit::chain::install_seal(&self.conn)?;
        // rusqlite's default DEFERRED transactions fail with "database is locked" when two
        // writers upgrade at once; IMMEDIATE takes the write lock up front and waits for it.
        self.conn
            .set_transaction_behavior(TransactionBehavior::Immediate);
        self.budget = Some(worker::Budget::install(&mut self.conn)?);
        Ok(())
    }

    /// Make `read` unless it takes longer than a key may wait for its frame: `None` when it
    /// was cut short, and the caller hands it to a [`worker::Worker`] (see [`worker::Budget`]).
    pub fn quick<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Option<rusqlite::Result<T>> {
        match &self.budget {
            Some(budget) => budget.within(&self.conn, self.quick, read),
            None => Some(read(&self.conn)),
        }
    }

    /// Tests: cut every [`Db::quick`] read that reaches SQLite's first look at the clock.
    #[cfg(test)]
    pub fn never_quick(&mut self) {
        self.quick = Duration::ZERO;
    }

    /// Settings for one big write (an import): statement journals in memory (on file, every
    /// statement of the transaction writes each page it touches to a temporary file), and a
    /// page cache of 8 MB: a bigger one spills fewer pages to the log but holds more memory
    /// for no faster import (the README's Performance section has the figures).
    pub fn prepare_bulk_writes(&self) -> rusqlite::Result<()> {
        self.conn.pragma_update(None, "cache_size", -8192)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Changing where temporary objects live drops them, the audit log's seal among them.
        audit::chain::install_seal(&self.conn)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Name the login every audit row written from now on is written under: the signed-in
    /// account's, or in open mode the operating system's (see [`os_login`]).
    pub fn set_login(&mut self, login: Option<String>) -> rusqlite::Result<()> {
        audit::chain::set_login(&self.conn, login.clone())?;
        self.login = login;
        Ok(())
    }

    /// The login audit rows are written under now.
    pub fn login(&self) -> Option<String> {
        self.login.clone()
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Run `work` in one IMMEDIATE transaction: committed if it returns `Ok`, rolled back
    /// (nothing written) if it returns `Err`.
    pub fn write<T, E: From<rusqlite::Error>>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self.conn.transaction()?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// SQLite's count of commits by other connections to this file: when it moves, another
    /// program (or a worker) wrote.
    pub fn data_version(&self) -> rusqlite::Result<i64> {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
    }

    /// The file behind this database; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// How many rows operators (or the demo) wrote, all tables together: what jifang installs
    /// itself (the built-in checklists) does not count.
    pub fn record_count(&self) -> rusqlite::Result<i64> {
        audit::audited_tables(&self.conn)?
            .iter()
            .try_fold(0, |sum, table| {
                // Table names come from sqlite_schema, not from input; quoting keeps odd names safe.
                let sql = format!(
                    "SELECT count(*) FROM \"{}\" WHERE created_by IS NOT ?1",
                    table.replace('"', "\"\"")
                );
                let count: i64 = self
                    .conn
                    .query_row(&sql, [migrate::INSTALLER], |r| r.get(0))?;
                Ok(sum + count)
            })
    }

    /// `integrity_check`, `foreign_key_check` and the search indexes against their tables; an
    /// empty list means healthy.
    pub fn health_problems(&self) -> rusqlite::Result<Vec<Problem>> {
        let search = search::out_of_step(&self.conn)?;
        self.problems_with(search)
    }

    /// [`Db::health_problems`] beside another program's write: the search indexes' check is an
    /// FTS5 write and is skipped rather than waited for (said in [`Health::search_checked`]);
    /// the rest only reads.
    pub fn health(&self) -> rusqlite::Result<Health> {
        let search = match self.path() {
            Some(path) => {
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let at_once = Connection::open_with_flags(path, flags)?;
                at_once.busy_timeout(Duration::ZERO)?;
                match search::out_of_step(&at_once) {
                    Ok(found) => Some(found),
                    Err(e) if is_busy(&e) => None,
                    Err(e) => return Err(e),
                }
            }
            None => Some(search::out_of_step(&self.conn)?),
        };
        let search_checked = search.is_some();
        let problems = self.problems_with(search.unwrap_or_default())?;
        Ok(Health {
            problems,
            search_checked,
        })
    }

    fn problems_with(&self, search: Vec<String>) -> rusqlite::Result<Vec<Problem>> {
        let mut problems: Vec<Problem> = search.into_iter().map(Problem::Integrity).collect();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = line?;
            if line != "ok" {
                problems.push(Problem::Integrity(line));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(Problem::DanglingReference {
                table: r.get(0)?,
                row: r.get(1)?,
                parent: r.get(2)?,
            })
        })?;
        for row in rows {
            problems.push(row?);
        }
        let audit = audit::chain::verify(&self.conn)?
            .into_iter()
            .chain(audit::chain::check_triggers(&self.conn)?);
        problems.extend(audit.map(Problem::Audit));
        Ok(problems)
    }
}

/// Who makes a change and when: every write takes one, and it lands in the row's
/// `created_*`/`updated_*` columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub by: String,
    pub at: chrono::NaiveDateTime,
}

impl Stamp {
    pub fn new(by: impl Into<String>, at: chrono::NaiveDateTime) -> Stamp {
        Stamp { by: by.into(), at }
    }

    /// A stamp at a time written as stored (`2026-12-03 09:00:00`), for tests.
    #[cfg(test)]
    pub fn at(by: &str, at: &str) -> Stamp {
        let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S").unwrap();
        Stamp::new(by, at)
    }

    /// The stored form, local time to the second.
    pub fn at_text(&self) -> String {
        self.at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// Tests: the first column of every row `sql` reads.
#[cfg(test)]
pub fn column<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> Vec<T> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// How an operating-system login is stored beside a name typed in open mode: `os:` before it,
/// so that it is never read as an account's login.
pub fn os_login(name: &str) -> String {
    format!("os:{name}")
}

/// Another program holds the write lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// What [`Db::health`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// Empty when healthy.
    pub problems: Vec<Problem>,
    /// False when another program was writing, so the search indexes were not checked.
    pub search_checked: bool,
}

/// One finding of [`Db::health_problems`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Integrity(String),
    /// The audit log's chain or a protective trigger (see [`audit::chain`]).
    Audit(audit::chain::Finding),
    DanglingReference {
        table: String,
        row: Option<i64>,
        parent: String,
    },
}

/// Refuse what cannot be a jifang database before SQLite touches it. Returns whether a file
/// exists at `path` (false: it is safe to create one).
fn inspect_path(path: &Path) -> Result<bool, UserError> {
    let unreadable = |e: std::io::Error| UserError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(UserError::IsDirectory {
            path: path.to_path_buf(),
        }),
        Ok(meta) if meta.len() == 0 => Err(UserError::EmptyFile {
            path: path.to_path_buf(),
        }),
        Ok(_) => {
            let mut head = Vec::with_capacity(16);
            File::open(path)
                .and_then(|f| f.take(16).read_to_end(&mut head))
                .map_err(unreadable)?;
            if head.as_slice() == SQLITE_HEADER {
                Ok(true)
            } else {
                Err(UserError::NotSqlite {
                    path: path.to_path_buf(),
                    start: describe_start(&head),
                })
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            match std::fs::metadata(dir) {
                Ok(meta) if meta.is_dir() => Ok(false),
                Ok(_) => Err(UserError::Unreadable {
                    path: path.to_path_buf(),
                    reason: format!("'{}' is not a folder", dir.display()),
                }),
                Err(_) => Err(UserError::NoParent {
                    dir: dir.to_path_buf(),
                }),
            }
        }
        Err(e) => Err(unreadable(e)),
    }
}

/// Build a new database under a temporary name and link it into place, so no other process
/// ever sees a half-made file at `path`. If another process got there first, its file wins and
/// ours is dropped.
fn create_new(path: &Path) -> Result<(), UserError> {
    let failed = |reason: String| UserError::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    static SEQUENCE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = path.with_file_name(format!(".{name}.new-{}-{n}", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    let built = (|| -> rusqlite::Result<()> {
        let mut conn = Connection::open(&temp)?;
        migrate::migrate(&mut conn)?;
        conn.close().map_err(|(_, e)| e)
    })();
    // The mode before the name: the file is never seen under `path` readable by others.
    let built = built.map_err(|e| e.to_string()).and_then(|()| {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(crate::config::new_database_mode());
        std::fs::set_permissions(&temp, mode).map_err(|e| e.to_string())
    });
    let linked = built
        .map_err(failed)
        .and_then(|()| match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(failed(e.to_string())),
        });
    let _ = std::fs::remove_file(&temp);
    linked
}

/// The first bytes of a refused file, printable, so the operator recognises what it is.
fn describe_start(head: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(head)
        .chars()
        .map(|c| {
            if c.is_control() || c == '\u{fffd}' {
                '.'
            } else {
                c
            }
        })
        .collect();
    format!("\"{}\"", text.trim_end())
}

/// Why an existing database could not be opened: another program's long write, a full or
/// failing disk, or a file SQLite cannot read.
fn open_failure(path: &Path, e: rusqlite::Error) -> UserError {
    match e.sqlite_error_code() {
        // The file is fine: another program holds the write lock (an older schema, or a
        // new file, is brought up to date under it).
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            UserError::Busy {
                seconds: BUSY_TIMEOUT.as_secs(),
            }
        }
        // A folder (or file) jifang may not write: the -wal and -shm cannot be made, and
        // SQLite says so at the first read.
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
            UserError::ReadOnly {
                path: path.to_path_buf(),
            }
        }
        // The file may be fine: the disk under it is full or failing.
        Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure) => {
            UserError::DiskIo {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        }
        _ => UserError::Corrupt {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    }
}

/// Read-only look at an existing file: is it ours, and not from a newer jifang?
fn check_identity(conn: &Connection, path: &Path) -> Result<(), UserError> {
    let corrupt = |e: rusqlite::Error| open_failure(path, e);
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(corrupt)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(corrupt)?;
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(corrupt)?;
    let fresh = version == 0 && objects == 0;
    if app_id != migrate::APPLICATION_ID && !fresh {
        return Err(UserError::Foreign {
            path: path.to_path_buf(),
        });
    }
    if version > migrate::VERSION {
        return Err(UserError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: migrate::VERSION,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
