//! Reads that take a while on ten years of rows (a count, a whole id list), made by a worker
//! thread on a read-only connection of its own: a screen draws its first rows at once and the
//! rest follows.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};

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
    /// A worker on the database at `path`; `None` if it cannot be had (the caller then
    /// counts on its own connection, as for an in-memory database).
    pub fn open(path: &Path) -> Option<Worker<T>> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).ok()?;
        conn.busy_timeout(super::BUSY_TIMEOUT).ok()?;
        let latest = Arc::new(AtomicU64::new(0));
        let running = Arc::new(AtomicU64::new(0));
        let (seen, mine) = (latest.clone(), running.clone());
        let outdated = move || seen.load(Ordering::Relaxed) != mine.load(Ordering::Relaxed);
        conn.progress_handler(LOOK_EVERY, Some(outdated)).ok()?;
        let (jobs, inbox) = mpsc::channel::<(u64, Work<T>)>();
        let (outbox, answers) = mpsc::channel();
        std::thread::Builder::new()
            .name("jifang-reader".into())
            .spawn(move || {
                while let Ok(mut job) = inbox.recv() {
                    // Only the newest question is worth an answer.
                    while let Ok(newer) = inbox.try_recv() {
                        job = newer;
                    }
                    let (id, work) = job;
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
    fn a_failed_count_says_so() {
        let (_dir, mut counter) = worker();
        counter.ask(count("SELECT count(*) FROM t WHERE no_such_column = 1"));
        assert_eq!(counter.answer(true), Some(Answer::Failed));
    }
}
