//! The database files this process has a SQLite connection to, so nothing in it opens them (or
//! their `-wal`, `-shm` and `-journal`) with `std::fs`: on Linux, closing any descriptor of a
//! file drops every POSIX lock the process holds on it, another program then takes itself for
//! the last connection and deletes the log this process still writes to.
//!
//! Files are known by device and inode (a `stat`, which opens nothing), so another name for the
//! same file (a link, `./t.db`, a symlink) is still recognised.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Device and inode of one file.
type Key = (u64, u64);

/// Each open database file and how many connections of this process have it open.
static OPEN: Mutex<Vec<(Key, usize)>> = Mutex::new(Vec::new());

fn key_of(path: &Path) -> Option<Key> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

fn open_list() -> std::sync::MutexGuard<'static, Vec<(Key, usize)>> {
    // A panic elsewhere while the list was held leaves it whole: every change is one push or
    // one count.
    OPEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A connection's hold on its file: while one lives, [`is_open`] says so.
#[derive(Debug)]
pub struct Registered(Key);

impl Registered {
    /// Note that a connection to `path` is open; `None` when the file cannot be found (an
    /// in-memory or already removed database).
    pub fn new(path: &Path) -> Option<Registered> {
        let key = key_of(path)?;
        let mut open = open_list();
        match open.iter_mut().find(|(k, _)| *k == key) {
            Some((_, count)) => *count += 1,
            None => open.push((key, 1)),
        }
        Some(Registered(key))
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut open = open_list();
        if let Some(at) = open.iter().position(|(k, _)| *k == self.0) {
            open[at].1 -= 1;
            if open[at].1 == 0 {
                open.swap_remove(at);
            }
        }
    }
}

/// Whether this process has a connection to the database at `path`.
pub fn is_open(path: &Path) -> bool {
    key_of(path).is_some_and(|key| open_list().iter().any(|(k, _)| *k == key))
}

/// The open database `path` belongs to: the file itself, or the `-wal`, `-shm` or `-journal`
/// SQLite keeps beside it. A file to be read or written with `std::fs` is asked here first.
pub fn database_of(path: &Path) -> Option<PathBuf> {
    if is_open(path) {
        return Some(path.to_path_buf());
    }
    let name = path.file_name()?.to_str()?;
    ["-wal", "-shm", "-journal"].iter().find_map(|suffix| {
        let main = path.with_file_name(name.strip_suffix(suffix)?);
        is_open(&main).then_some(main)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_open_while_a_hold_lives_under_any_of_its_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        std::fs::write(&path, b"x").unwrap();
        let other_name = dir.path().join("link.db");
        std::fs::hard_link(&path, &other_name).unwrap();
        let wal = dir.path().join("t.db-wal");
        assert!(!is_open(&path));
        let first = Registered::new(&path).unwrap();
        let second = Registered::new(&other_name).unwrap();
        assert!(is_open(&other_name));
        assert_eq!(database_of(&wal), Some(path.clone()));
        assert_eq!(
            database_of(&dir.path().join("t.db-shm")),
            Some(path.clone())
        );
        assert_eq!(database_of(&dir.path().join("other.csv")), None);
        drop(first);
        assert!(is_open(&path), "one connection still holds it");
        drop(second);
        assert!(!is_open(&path));
        assert_eq!(database_of(&wal), None);
    }
}
