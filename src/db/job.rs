//! One long write (an import) made by a thread on a connection of its own: the screen keeps
//! drawing and shows how far it has got, and the operator can stop it with nothing written.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::Db;
use crate::error::UserError;

/// What the job and the screen share.
#[derive(Default)]
struct Shared {
    done: AtomicUsize,
    stop: AtomicBool,
}

/// The job's side: it tells how far it has got and hears whether to stop.
pub struct Progress(Arc<Shared>);

impl Progress {
    /// `done` steps are made; `false` once the operator asked to stop.
    pub fn tell(&self, done: usize) -> bool {
        self.0.done.store(done, Ordering::Relaxed);
        !self.0.stop.load(Ordering::Relaxed)
    }
}

/// Where a job is.
#[derive(Debug, PartialEq, Eq)]
pub enum State<T> {
    /// Still writing: this many steps are made.
    Running(usize),
    Finished(T),
    /// The thread ended without an answer (it panicked): its transaction was never committed.
    Lost,
}

pub struct Job<T> {
    shared: Arc<Shared>,
    answer: Receiver<T>,
    finished: bool,
}

impl<T: Send + 'static> Job<T> {
    /// Run `work` on a thread with the database at `path` opened for it (bulk-write settings
    /// on); `None` when no thread can be had (the caller then writes on its own connection).
    pub fn start(
        path: &Path,
        login: Option<String>,
        work: impl FnOnce(Result<Db, UserError>, &Progress) -> T + Send + 'static,
    ) -> Option<Job<T>> {
        let shared = Arc::new(Shared::default());
        let progress = Progress(shared.clone());
        let (outbox, answer) = mpsc::channel();
        let path = path.to_path_buf();
        std::thread::Builder::new()
            .name("jifang-writer".into())
            .spawn(move || {
                #[cfg(test)]
                super::worker::held::wait(&path);
                // The job's audit rows are written under the login of whoever started it.
                let db = Db::open(&path).and_then(|mut db| {
                    db.prepare_bulk_writes()
                        .and_then(|()| db.set_login(login))
                        .map_err(|e| UserError::DiskIo {
                            path: path.clone(),
                            reason: e.to_string(),
                        })
                        .map(|()| db)
                });
                let _ = outbox.send(work(db, &progress));
            })
            .ok()?;
        Some(Job {
            shared,
            answer,
            finished: false,
        })
    }

    /// Ask the job to stop at its next step.
    pub fn stop(&self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }

    /// How many steps the job has told it made.
    pub fn done(&self) -> usize {
        self.shared.done.load(Ordering::Relaxed)
    }

    pub fn stopping(&self) -> bool {
        self.shared.stop.load(Ordering::Relaxed)
    }

    /// Where the job is now. Its answer is given once; asked again, the job is [`State::Lost`].
    pub fn state(&mut self) -> State<T> {
        if self.finished {
            return State::Lost;
        }
        match self.answer.try_recv() {
            Ok(answer) => {
                self.finished = true;
                State::Finished(answer)
            }
            Err(TryRecvError::Empty) => State::Running(self.shared.done.load(Ordering::Relaxed)),
            Err(TryRecvError::Disconnected) => {
                self.finished = true;
                State::Lost
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    fn finish<T: Send + 'static>(job: &mut Job<T>) -> State<T> {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            match job.state() {
                State::Running(_) if Instant::now() < until => {
                    std::thread::sleep(Duration::from_millis(2))
                }
                state => return state,
            }
        }
    }

    #[test]
    fn a_job_writes_on_its_own_connection_and_tells_how_far_it_got() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        drop(Db::open(&path).unwrap());
        let hold = super::super::worker::held::hold(&path);
        let mut job = Job::start(&path, None, |db, progress| {
            let db = db.unwrap();
            for n in 1..=3 {
                progress.tell(n);
            }
            db.conn()
                .query_row("PRAGMA cache_size", [], |r| r.get::<_, i64>(0))
                .unwrap()
        })
        .unwrap();
        assert_eq!(job.state(), State::Running(0));
        drop(hold);
        assert_eq!(finish(&mut job), State::Finished(-8192));
        assert_eq!(job.state(), State::Lost, "an answer is given once");
    }

    #[test]
    fn a_stopped_job_hears_it_at_its_next_step() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        drop(Db::open(&path).unwrap());
        let hold = super::super::worker::held::hold(&path);
        let mut job = Job::start(&path, None, |_, progress| {
            (1..=1_000).take_while(|&n| progress.tell(n)).count()
        })
        .unwrap();
        job.stop();
        assert!(job.stopping());
        drop(hold);
        assert_eq!(finish(&mut job), State::Finished(0));
    }

    #[test]
    fn a_job_that_panics_is_lost_not_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let mut job: Job<()> = Job::start(&path, None, |_, _| panic!("a bug")).unwrap();
        assert_eq!(finish(&mut job), State::Lost);
    }
}
