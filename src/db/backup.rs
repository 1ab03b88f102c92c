//! Backups and restore through SQLite's online backup API: a consistent copy while others keep
//! working, synced and checked before it counts; the daily/monthly/yearly set and its rotation.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::migrate;

/// How many of each kind the rotation keeps; yearly backups are kept forever.
pub const KEEP_DAILY: usize = 7;
pub const KEEP_MONTHLY: usize = 12;

/// Every backup file's name starts with this.
const PREFIX: &str = "jifang-";
const SUFFIX: &str = ".sqlite";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Db {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: integrity check found {found}")]
    Damaged { path: PathBuf, found: String },
    #[error("{path} exists")]
    Exists { path: PathBuf },
    #[error("{path} is not a jifang database")]
    NotJifang { path: PathBuf },
    #[error("{path} was made by a newer jifang (schema {found} > {known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
}

impl BackupError {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
        move |source| BackupError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    fn db(path: &Path) -> impl FnOnce(rusqlite::Error) -> BackupError + '_ {
        move |source| BackupError::Db {
            path: path.to_path_buf(),
            source,
        }
    }

    fn at(self, target: &Path) -> BackupError {
        let path = target.to_path_buf();
        match self {
            BackupError::Io { source, .. } => BackupError::Io { path, source },
            BackupError::Db { source, .. } => BackupError::Db { path, source },
            BackupError::Damaged { found, .. } => BackupError::Damaged { path, found },
            other => other,
        }
    }
}

/// ENOSPC (or a quota): the disk has no room for the file.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    // ENOSPC and EDQUOT on Linux.
    e.kind() == std::io::ErrorKind::StorageFull || matches!(e.raw_os_error(), Some(28 | 122))
}

/// How long a temporary copy may lie untouched before it counts as abandoned. A copy being made
/// is written to continuously; its slowest quiet part, the integrity check of a copy of ten
/// years of data, takes about a minute.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Remove the temporary copies (and their journals) a program left in `dir` when it was killed
/// or lost its terminal in the middle of a backup: each is as big as the database, and nothing
/// else would ever remove them. A copy another program is making right now is recent, so it
/// stays. Returns what was removed.
fn sweep_abandoned(dir: &Path, now: std::time::SystemTime) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let own = format!("-{}-", std::process::id());
    entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            is_temporary(&name) && !name.contains(&own)
        })
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|at| now.duration_since(at).unwrap_or_default() > ABANDONED_AFTER)
        })
        .map(|e| e.path())
        .filter(|path| std::fs::remove_file(path).is_ok())
        .collect()
}

/// A name [`temp_beside`] makes, or a journal beside one.
fn is_temporary(name: &str) -> bool {
    name.starts_with(&format!(".{PREFIX}")) && name.contains(".partial-")
}

/// What a finished backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub path: PathBuf,
    pub bytes: u64,
}

/// Copy the database behind `conn` to `target`, which must not exist yet. The copy is built
/// under a temporary name, switched to a plain rollback journal, synced, checked with
/// `integrity_check`, made read-only, and only then linked to `target`: a file at `target` is
/// always a whole, checked backup.
pub fn copy_to(conn: &Connection, target: &Path) -> Result<Copied, BackupError> {
    if target.exists() {
        return Err(BackupError::Exists {
            path: target.to_path_buf(),
        });
    }
    let temp = temp_beside(target);
    let result = build(conn, &temp).and_then(|()| {
        std::fs::hard_link(&temp, target).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                BackupError::Exists {
                    path: target.to_path_buf(),
                }
            } else {
                BackupError::io(target)(e)
            }
        })
    });
    remove_with_journal(&temp);
    // The operator asked for `target`: name it, not the temporary file.
    result.map_err(|e| e.at(target))?;
    sync_dir(target);
    let bytes = std::fs::metadata(target)
        .map_err(BackupError::io(target))?
        .len();
    Ok(Copied {
        path: target.to_path_buf(),
        bytes,
    })
}

/// Copy the database behind `conn` into `dir` under the first of `name(1)`, `name(2)`, ... that
/// no file has yet: two backups in one second (two operators, a script and a person) both
/// succeed, each under its own name.
pub fn copy_to_new(
    conn: &Connection,
    dir: &Path,
    name: impl Fn(u32) -> String,
) -> Result<Copied, BackupError> {
    let mut n = 1;
    loop {
        match copy_to(conn, &dir.join(name(n))) {
            Err(BackupError::Exists { .. }) if n < 1000 => n += 1,
            done => return done,
        }
    }
}

fn temp_beside(target: &Path) -> PathBuf {
    static SEQUENCE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.partial-{}-{n}", std::process::id()))
}

/// A temporary copy and whatever journal SQLite kept beside it.
fn remove_with_journal(temp: &Path) {
    let _ = std::fs::remove_file(temp);
    for suffix in ["-journal", "-wal", "-shm"] {
        let mut name = temp.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn build(conn: &Connection, temp: &Path) -> Result<(), BackupError> {
    remove_with_journal(temp);
    let db_err = BackupError::db;
    {
        let mut dst = Connection::open(temp).map_err(db_err(temp))?;
        {
            let backup = Backup::new(conn, &mut dst).map_err(db_err(temp))?;
            run(&backup).map_err(db_err(temp))?;
        }
        // A backup is a single file: no -wal beside it when it is copied elsewhere.
        dst.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))
            .map_err(db_err(temp))?;
        dst.close().map_err(|(_, e)| db_err(temp)(e))?;
    }
    std::fs::File::open(temp)
        .and_then(|f| f.sync_all())
        .map_err(BackupError::io(temp))?;
    verify(temp)?;
    let mut permissions = std::fs::metadata(temp)
        .map_err(BackupError::io(temp))?
        .permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(temp, permissions).map_err(BackupError::io(temp))?;
    Ok(())
}

/// Copy every page in one step: in WAL mode this reads one snapshot while writers go on, so
/// the copy never restarts. A busy destination is waited for (its busy timeout) and retried.
fn run(backup: &Backup) -> rusqlite::Result<()> {
    for _ in 0..50 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            _ => std::thread::sleep(std::time::Duration::from_millis(200)),
        }
    }
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("the database stayed busy for 10 seconds".to_owned()),
    ))
}

/// Open `path` read-only and check it is a whole jifang database this binary can read.
/// Returns its schema version.
pub fn verify(path: &Path) -> Result<i64, BackupError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(BackupError::db(path))?;
    let not_jifang = |_| BackupError::NotJifang {
        path: path.to_path_buf(),
    };
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(not_jifang)?;
    if app_id != migrate::APPLICATION_ID {
        return Err(BackupError::NotJifang {
            path: path.to_path_buf(),
        });
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(BackupError::db(path))?;
    if version > migrate::VERSION {
        return Err(BackupError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: migrate::VERSION,
        });
    }
    let found: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(BackupError::db(path))?;
    if found != ["ok"] {
        return Err(BackupError::Damaged {
            path: path.to_path_buf(),
            found: found.join("; "),
        });
    }
    Ok(version)
}

/// Replace the contents of the database behind `conn` with `source`, page by page through the
/// backup API under the write lock: other programs with the file open see the restored data
/// on their next read, never a half-copied file. Check `source` with [`verify`] first.
pub fn restore_from(conn: &mut Connection, source: &Path) -> Result<(), BackupError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let src = Connection::open_with_flags(source, flags).map_err(BackupError::db(source))?;
    let backup = Backup::new(&src, conn).map_err(BackupError::db(source))?;
    run(&backup).map_err(BackupError::db(source))
}

/// Restore `source` into `db` and keep its audit log: the audit log never gets shorter. The
/// restored state is first prepared in a temporary copy beside `safety` (the copy of the
/// replaced state, made before): brought to this version's schema, given every audit row the
/// replaced state holds and it lacks, and a row in `restores` (whose audit row says who restored
/// what, and when). It then replaces the database in one step under the write lock, so other
/// programs see the old state or the whole new one. Returns how many audit rows were carried.
pub fn restore_keeping_audit(
    db: &mut super::Db,
    source: &Path,
    safety: &Path,
    stamp: &super::Stamp,
) -> Result<i64, BackupError> {
    let live = db
        .path()
        .map(Path::to_path_buf)
        .ok_or_else(|| BackupError::Io {
            path: source.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::Unsupported, "in-memory database"),
        })?;
    let temp = temp_beside(safety);
    let prepared = prepare(&live, source, &temp, safety, stamp);
    let result = prepared.and_then(|carried| {
        restore_from(db.conn_mut(), &temp)?;
        Ok(carried)
    });
    remove_with_journal(&temp);
    result
}

/// The restored state with the audit rows carried and the restore recorded, in `temp`.
fn prepare(
    live: &Path,
    source: &Path,
    temp: &Path,
    safety: &Path,
    stamp: &super::Stamp,
) -> Result<i64, BackupError> {
    remove_with_journal(temp);
    {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let src = Connection::open_with_flags(source, flags).map_err(BackupError::db(source))?;
        let mut dst = Connection::open(temp).map_err(BackupError::db(temp))?;
        let backup = Backup::new(&src, &mut dst).map_err(BackupError::db(temp))?;
        run(&backup).map_err(BackupError::db(temp))?;
    }
    // An older backup is brought up to this version's schema (and triggers) here.
    let mut db = super::Db::open(temp).map_err(|e| BackupError::Io {
        path: temp.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let failed = BackupError::db(temp);
    let carried = carry_audit(&mut db, live, source, safety, stamp).map_err(failed)?;
    // One file, no -wal beside it: what is copied in is all there is.
    db.conn()
        .pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))
        .map_err(BackupError::db(temp))?;
    Ok(carried)
}

fn carry_audit(
    db: &mut super::Db,
    live: &Path,
    source: &Path,
    safety: &Path,
    stamp: &super::Stamp,
) -> rusqlite::Result<i64> {
    db.conn()
        .execute("ATTACH DATABASE ?1 AS live", [live.to_string_lossy()])?;
    let carried = db.write(|tx| {
        let record = |tx: &rusqlite::Transaction, carried| {
            record_restore(tx, source, safety, stamp, carried)
        };
        // The replaced state's rows from its first one the restored state lacks, in order: for
        // a backup of this same database, every row written since the backup was made, which
        // keep their numbers; for a backup of another database (numbered alike), they follow
        // the restored rows under new numbers.
        let first: Option<i64> = tx.query_row(
            &format!(
                "SELECT min(l.id) FROM live.audit_log AS l WHERE NOT EXISTS (
                     SELECT 1 FROM main.audit_log AS m WHERE m.id = l.id
                     AND ({DATA_M}) IS ({DATA_L}))"
            ),
            [],
            |r| r.get(0),
        )?;
        let Some(first) = first else {
            return record(tx, 0);
        };
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM main.audit_log WHERE id >= ?1)",
            [first],
            |r| r.get(0),
        )?;
        let id = if taken { "" } else { "id, " };
        let carried = tx.execute(
            &format!(
                "INSERT INTO main.audit_log ({id}{DATA}) SELECT {id}{DATA} FROM live.audit_log
                 WHERE id >= ?1 ORDER BY id"
            ),
            [first],
        )?;
        record(tx, carried as i64)
    });
    db.conn().execute("DETACH DATABASE live", [])?;
    carried
}

const DATA: &str = "at, operator, table_name, record_id, action, old_values, new_values, clock_at";
const DATA_M: &str = "m.at, m.operator, m.table_name, m.record_id, m.action, m.old_values, \
                      m.new_values, m.clock_at";
const DATA_L: &str = "l.at, l.operator, l.table_name, l.record_id, l.action, l.old_values, \
                      l.new_values, l.clock_at";

/// The restore's own row (its audit row says who and when); `carried` audit rows came along.
fn record_restore(
    tx: &rusqlite::Transaction,
    source: &Path,
    safety: &Path,
    stamp: &super::Stamp,
    carried: i64,
) -> rusqlite::Result<i64> {
    let at = stamp.at_text();
    tx.execute(
        "INSERT INTO restores (restored_from, safety_copy, audit_carried,
             created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
        rusqlite::params![
            source.display().to_string(),
            safety.display().to_string(),
            carried,
            at,
            stamp.by
        ],
    )?;
    Ok(carried)
}

fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
}

/// The kinds of backup the rotation keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Daily,
    Monthly,
    Yearly,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Daily => "daily",
            Kind::Monthly => "monthly",
            Kind::Yearly => "yearly",
        }
    }

    /// `jifang-daily-2026-11-22.sqlite`, `jifang-monthly-2026-11.sqlite`,
    /// `jifang-yearly-2026.sqlite`: names that sort by date.
    pub fn file_name(self, day: NaiveDate) -> String {
        let date = match self {
            Kind::Daily => day.format("%Y-%m-%d"),
            Kind::Monthly => day.format("%Y-%m"),
            Kind::Yearly => day.format("%Y"),
        };
        format!("{PREFIX}{}-{date}{SUFFIX}", self.word())
    }

    fn keeps(self) -> Option<usize> {
        match self {
            Kind::Daily => Some(KEEP_DAILY),
            Kind::Monthly => Some(KEEP_MONTHLY),
            Kind::Yearly => None,
        }
    }
}

/// A manual backup's name: `jifang-2026-11-22-093015.sqlite`, and for the `n`th made in the
/// same second `jifang-2026-11-22-093015-n.sqlite`.
pub fn manual_name(now: NaiveDateTime, n: u32) -> String {
    stamped("", now, n)
}

fn stamped(kind: &str, now: NaiveDateTime, n: u32) -> String {
    let stamp = now.format("%Y-%m-%d-%H%M%S");
    let nth = match n {
        1 => String::new(),
        n => format!("-{n}"),
    };
    format!("{PREFIX}{kind}{stamp}{nth}{SUFFIX}")
}

/// The safety copy a restore makes first: `jifang-before-restore-2026-11-22-093015.sqlite`
/// (`-n` added for the `n`th in one second, as [`manual_name`]).
pub fn safety_name(now: NaiveDateTime, n: u32) -> String {
    stamped("before-restore-", now, n)
}

/// Of the files in a backup folder, those of `kind` the rotation removes: all but the newest
/// it keeps. Other files are never touched.
pub fn expired(names: &[String], kind: Kind) -> Vec<String> {
    let Some(keep) = kind.keeps() else {
        return Vec::new();
    };
    let start = format!("{PREFIX}{}-", kind.word());
    let mut own: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with(&start) && n.ends_with(SUFFIX))
        .collect();
    own.sort();
    let excess = own.len().saturating_sub(keep);
    own.into_iter().take(excess).cloned().collect()
}

/// What the first start of a day did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Daily {
    /// The backups made (daily, and monthly/yearly when the first of its period).
    pub made: Vec<PathBuf>,
    /// Old ones the rotation removed.
    pub removed: Vec<PathBuf>,
}

/// The day's backups, unless already made today: a daily copy of the database into `dir`,
/// also kept as the month's and year's if they have none yet; then the rotation.
pub fn daily(conn: &Connection, dir: &Path, today: NaiveDate) -> Result<Daily, BackupError> {
    let mut done = Daily::default();
    let day_file = dir.join(Kind::Daily.file_name(today));
    if day_file.exists() {
        return Ok(done);
    }
    std::fs::create_dir_all(dir).map_err(BackupError::io(dir))?;
    done.removed = sweep_abandoned(dir, std::time::SystemTime::now());
    match copy_to(conn, &day_file) {
        Ok(copied) => done.made.push(copied.path),
        // Another operator's program made it a moment ago.
        Err(BackupError::Exists { .. }) => return Ok(done),
        Err(e) => return Err(e),
    }
    for kind in [Kind::Monthly, Kind::Yearly] {
        let target = dir.join(kind.file_name(today));
        if !target.exists() {
            let temp = temp_beside(&target);
            let linked = std::fs::copy(&day_file, &temp)
                .and_then(|_| std::fs::File::open(&temp)?.sync_all())
                .and_then(|()| std::fs::hard_link(&temp, &target));
            let _ = std::fs::remove_file(&temp);
            match linked {
                Ok(()) => done.made.push(target),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(BackupError::io(&target)(e)),
            }
        }
    }
    let names: Vec<String> = std::fs::read_dir(dir)
        .map_err(BackupError::io(dir))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for kind in [Kind::Daily, Kind::Monthly] {
        for name in expired(&names, kind) {
            let path = dir.join(name);
            if std::fs::remove_file(&path).is_ok() {
                done.removed.push(path);
            }
        }
    }
    sync_dir(&day_file);
    Ok(done)
}

#[cfg(test)]
mod tests;
