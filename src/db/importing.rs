//! The mark an import leaves beside the database while its one transaction holds the write
//! lock: a save by another program that finds the lock taken keeps waiting while the importer
//! lives, instead of giving up after [`super::BUSY_TIMEOUT`], and says what it waits for.
//!
//! The mark is a file of its own (`.NAME.importing`, holding the importer's process id), never
//! the database or its `-wal`/`-shm`: opening those with `std::fs` would drop SQLite's locks.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn mark_path(db: &Path) -> PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    db.with_file_name(format!(".{name}.importing"))
}

/// Present while an import's transaction runs; removed when dropped (a killed importer's mark
/// is told apart by its process id, which no longer runs).
pub struct Mark(PathBuf);

impl Mark {
    /// Mark `db` as being imported into. No mark (an in-memory database, a folder that refuses
    /// the file) only means others wait the usual time.
    pub fn set(db: Option<&Path>) -> Option<Mark> {
        let path = mark_path(db?);
        std::fs::write(&path, std::process::id().to_string()).ok()?;
        Some(Mark(path))
    }
}

impl Drop for Mark {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Whether a running process is importing into `db`.
pub fn running(db: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(mark_path(db)) else {
        return false;
    };
    let Ok(pid) = text.trim().parse::<libc::pid_t>() else {
        return false;
    };
    // Signal 0 sends nothing: it only asks whether the process exists.
    pid > 0
        && (unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
}

type Notice = Box<dyn Fn(&Path) + Send + Sync>;

static NOTICE: OnceLock<Notice> = OnceLock::new();

/// What to do, once per wait, when a save to the database at the given path starts waiting for
/// an import: the TUI writes it on its status line, the command line on standard error.
pub fn on_wait(notice: impl Fn(&Path) + Send + Sync + 'static) {
    let _ = NOTICE.set(Box::new(notice));
}

pub(crate) fn tell_waiting(db: &Path) {
    if let Some(notice) = NOTICE.get() {
        notice(db);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_says_an_import_runs_until_it_is_dropped_or_its_process_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("j.db");
        assert!(!running(&db));
        let mark = Mark::set(Some(&db)).unwrap();
        assert!(running(&db));
        drop(mark);
        assert!(!running(&db));
        // A killed importer's mark: a process id that does not run.
        std::fs::write(mark_path(&db), "999999999").unwrap();
        assert!(!running(&db));
    }
}
