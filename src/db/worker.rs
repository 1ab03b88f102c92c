//! Reads that take a while on ten years of rows (a count, a whole id list), made by a worker
//! thread on a read-only connection of its own: a screen draws its first rows at once and the
//! rest follows. A [`Budget`] tells which reads need it: those it cuts short.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

/// How many SQLite instructions run between two looks at whether a newer question came.
const LOOK_EVERY: i32 = 10_000;

/// One read to make, on the worker's connection.
pub type Work<T> = Box<dyn FnOnce(&Connection) -> rusqlite::Result<T> + Send>;

/// What the worker said about the latest question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<T> {
    Done(T),
    /// The read failed or was cut short: the caller reads for itself.
    Failed,
}

pub struct Worker<T> {
    jobs: Sender<(u64, Work<T>)>,
    answers: Receiver<(u64, rusqlite::Result<T>)>,
    /// The number of the latest question, shared with the worker: a count made for an older
    /// one stops at its next look.
    latest: Arc<AtomicU64>,
    asked: u64,
    /// Whether the latest question's answer is still to come.
    waiting: bool,
}

impl<T: Send + 'static> Worker<T> {
    /// A worker on the database at `path`; `None` if no thread can be had (the caller then
    /// reads on its own connection, as for an in-memory database). The worker opens its
    /// connection itself, off the key path: reading a big schema takes a frame's time. If it
    /// cannot, every question is answered [`Answer::Failed`].
    pub fn open(path: &Path) -> Option<Worker<T>> {
        let latest = Arc::new(AtomicU64::new(0));
        let running = Arc::new(AtomicU64::new(0));
        let (seen, mine) = (latest.clone(), running.clone());
        let outdated = move || seen.load(Ordering::Relaxed) != mine.load(Ordering::Relaxed);
        let (jobs, inbox) = mpsc::channel::<(u64, Work<T>)>();
        let (outbox, answers) = mpsc::channel();
        let path = path.to_path_buf();
        std::thread::Builder::new()
            .name("jifang-reader".into())
            .spawn(move || {
                // Before the connection, so it is dropped after it.
                let _open = super::open_files::Registered::new(&path);
                let Some(conn) = connect(&path, outdated) else {
                    // Dropping the outbox: every question is answered Failed.
                    return;
                };
                while let Ok(mut job) = inbox.recv() {
                    // Only the newest question is worth an answer.
                    while let Ok(newer) = inbox.try_recv() {
                        job = newer;
                    }
                    let (id, work) = job;
                    #[cfg(test)]
                    held::wait(&path);
                    running.store(id, Ordering::Relaxed);
                    if outbox.send((id, work(&conn))).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Worker {
            jobs,
            answers,
            latest,
            asked: 0,
            waiting: false,
        })
    }

    /// The worker kept in `slot`, opened on the database at `path` the first time it is
    /// needed; `None` for an in-memory database (no path) or when no thread can be had.
    pub fn in_slot<'a>(
        slot: &'a mut Option<Worker<T>>,
        path: Option<&Path>,
    ) -> Option<&'a mut Worker<T>> {
        if slot.is_none() {
            *slot = path.and_then(Worker::open);
        }
        slot.as_mut()
    }

    /// Ask for a read. One still running for an earlier question is cut short.
    pub fn ask(&mut self, work: Work<T>) {
        self.asked += 1;
        self.latest.store(self.asked, Ordering::Relaxed);
        // Should the worker be gone, its end of the answers is closed too: `answer` says Failed.
        let _ = self.jobs.send((self.asked, work));
        self.waiting = true;
    }

    /// Drop the latest question: the caller has its answer another way. A read still running
    /// for it stops at its next look.
    pub fn cancel(&mut self) {
        self.asked += 1;
        self.latest.store(self.asked, Ordering::Relaxed);
        self.waiting = false;
    }

    /// True while the latest question is unanswered.
    pub fn waiting(&self) -> bool {
        self.waiting
    }

    /// The answer to the latest question if it has come (or, with `block`, once it comes).
    /// `None`: nothing asked, or not yet.
    pub fn answer(&mut self, block: bool) -> Option<Answer<T>> {
        if !self.waiting {
            return None;
        }
        loop {
            let got = if block {
                self.answers.recv().map_err(|_| TryRecvError::Disconnected)
            } else {
                self.answers.try_recv()
            };
            match got {
                Ok((id, result)) if id == self.asked => {
                    self.waiting = false;
                    return Some(result.map_or(Answer::Failed, Answer::Done));
                }
                Ok(_) => continue,
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    self.waiting = false;
                    return Some(Answer::Failed);
                }
            }
        }
    }
}

/// How many SQLite instructions run between two looks at the clock of a [`Budget`].
const CLOCK_EVERY: i32 = 1_000;

/// Time limits for reads on one connection (the screens' own): a read that runs past its
/// limit is cut short, and the caller hands it to a [`Worker`] instead of keeping the keys
/// waiting.
pub struct Budget {
    started: Instant,
    /// When the read now running must end, in nanoseconds after `started`; 0: no limit.
    deadline: Arc<AtomicU64>,
}

impl Budget {
    /// Watch reads on `conn`. Without a limit set, the watch costs one atomic load every
    /// thousand instructions.
    pub fn install(conn: &mut Connection) -> rusqlite::Result<Budget> {
        let started = Instant::now();
        let deadline = Arc::new(AtomicU64::new(0));
        let seen = deadline.clone();
        conn.progress_handler(
            CLOCK_EVERY,
            Some(move || {
                let limit = seen.load(Ordering::Relaxed);
                limit != 0 && started.elapsed().as_nanos() as u64 >= limit
            }),
        )?;
        Ok(Budget { started, deadline })
    }

    /// Make `read` on the watched connection, cut short once it has taken `limit`: `None`
    /// when it was. A read that fails on its own returns its error.
    pub fn within<T>(
        &self,
        conn: &Connection,
        limit: Duration,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Option<rusqlite::Result<T>> {
        let end = (self.started.elapsed() + limit).as_nanos().max(1) as u64;
        self.deadline.store(end, Ordering::Relaxed);
        let result = read(conn);
        self.deadline.store(0, Ordering::Relaxed);
        match result {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                None
            }
            other => Some(other),
        }
    }
}

/// The worker's read-only connection, which stops a read once `outdated` says so.
fn connect(path: &Path, outdated: impl FnMut() -> bool + Send + 'static) -> Option<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).ok()?;
    super::wait_for_writers(&mut conn).ok()?;
    conn.progress_handler(LOOK_EVERY, Some(outdated)).ok()?;
    // The schema is read now, not at the first question.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
        .ok()?;
    Some(conn)
}

/// Tests: hold the workers on one database back, to see a screen before their answers come.
#[cfg(test)]
pub mod held {
    use std::collections::HashSet;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    static HELD: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

    /// Workers on `path` answer nothing while the guard lives, or for at most five seconds: a
    /// screen that waits for them is slow, not stuck, and its test fails instead of hanging.
    pub struct Hold(PathBuf);

    pub fn hold(path: &Path) -> Hold {
        let mut held = HELD.lock().unwrap();
        held.get_or_insert_with(HashSet::new)
            .insert(path.to_path_buf());
        Hold(path.to_path_buf())
    }

    impl Drop for Hold {
        fn drop(&mut self) {
            if let Some(held) = HELD.lock().unwrap().as_mut() {
                held.remove(&self.0);
            }
        }
    }

    pub(in crate::db) fn wait(path: &Path) {
        let until = Instant::now() + Duration::from_secs(5);
        let is_held = || {
            HELD.lock()
                .unwrap()
                .as_ref()
                .is_some_and(|h| h.contains(path))
        };
        while is_held() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl<T> Drop for Worker<T> {
    fn drop(&mut self) {
        // A read still running stops at its next look; the worker then finds no one to
        // answer and ends.
        self.latest.store(u64::MAX, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker() -> (tempfile::TempDir, Worker<usize>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE t (n INTEGER);
             WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000)
             INSERT INTO t SELECT n FROM s;",
        )
        .unwrap();
        (dir, Worker::open(&path).unwrap())
    }

    fn count(sql: &'static str) -> Work<usize> {
        Box::new(move |conn| {
            conn.query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as usize)
        })
    }

    #[test]
    fn the_latest_question_gets_its_answer() {
        let (_dir, mut counter) = worker();
        assert_eq!(counter.answer(false), None);
        counter.ask(count("SELECT count(*) FROM t WHERE n > 10"));
        counter.ask(count("SELECT count(*) FROM t WHERE n > 900"));
        assert!(counter.waiting());
        assert_eq!(counter.answer(true), Some(Answer::Done(100)));
        assert!(!counter.waiting());
        assert_eq!(counter.answer(false), None);
    }

    #[test]
    fn a_long_count_asked_again_is_cut_short_for_the_new_one() {
        let (_dir, mut counter) = worker();
        // A trillion rows: without the cut this test would not end today.
        counter.ask(count(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1e12)
             SELECT count(*) FROM s",
        ));
        std::thread::sleep(std::time::Duration::from_millis(20));
        counter.ask(count("SELECT count(*) FROM t WHERE n <= 5"));
        assert_eq!(counter.answer(true), Some(Answer::Done(5)));
    }

    #[test]
    fn a_read_within_its_budget_answers_and_a_longer_one_is_cut_short() {
        let (dir, _counter) = worker();
        let mut conn = Connection::open(dir.path().join("c.db")).unwrap();
        let budget = Budget::install(&mut conn).unwrap();
        let quick = budget.within(&conn, Duration::from_secs(60), |c| {
            c.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
        });
        assert_eq!(quick.map(Result::unwrap), Some(1000));
        let endless = budget.within(&conn, Duration::from_millis(20), |c| {
            c.query_row(
                "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1e12)
                 SELECT count(*) FROM s",
                [],
                |r| r.get::<_, i64>(0),
            )
        });
        assert!(endless.is_none());
        // The budget is gone with the read: the connection reads on as before.
        let failed = budget.within(&conn, Duration::ZERO, |c| {
            c.query_row("SELECT no_such_column FROM t", [], |r| r.get::<_, i64>(0))
        });
        assert!(matches!(failed, Some(Err(_))));
        assert_eq!(
            conn.query_row("SELECT max(n) FROM t", [], |r| r.get::<_, i64>(0))
                .unwrap(),
            1000
        );
    }

    #[test]
    fn a_worker_without_a_database_answers_failed() {
        let dir = tempfile::tempdir().unwrap();
        let mut counter: Worker<usize> = Worker::open(&dir.path().join("none.db")).unwrap();
        counter.ask(count("SELECT 1"));
        assert_eq!(counter.answer(true), Some(Answer::Failed));
    }

    #[test]
    fn a_failed_count_says_so() {
        let (_dir, mut counter) = worker();
        counter.ask(count("SELECT count(*) FROM t WHERE no_such_column = 1"));
        assert_eq!(counter.answer(true), Some(Answer::Failed));
    }
}
