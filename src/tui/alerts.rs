//! The status bar's warnings (runs due and missed, late repairs, overdue tools, missing
//! readings), counted by a worker off the key path and shown until newer counts come.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use crate::db::worker::{Answer, Worker};
use crate::db::{Db, check_runs, readings, repairs, tools};

/// How long counts are reused when nothing was written: the clock moves on (a run falls due).
const FRESH_FOR: Duration = Duration::from_secs(60);

/// What the status bar warns about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Alerts {
    /// Inspection runs due and missed.
    pub checks: (usize, usize),
    /// Open repairs past their estimate.
    pub late_repairs: usize,
    /// Tools out past their due date.
    pub overdue_tools: usize,
    /// Daily metrics in use without yesterday's value.
    pub missing_readings: usize,
}

impl Alerts {
    /// Count them all: on ten years of a big campus that is more than a key may wait, so it is
    /// not done after every key.
    fn count(conn: &Connection, today: NaiveDate, now: NaiveDateTime) -> rusqlite::Result<Alerts> {
        Ok(Alerts {
            checks: check_runs::open_counts(conn, today)?,
            late_repairs: repairs::late_count(conn, now)?,
            overdue_tools: tools::overdue_count(conn, today)?,
            missing_readings: readings::missing_on(conn, today - chrono::Duration::days(1))?,
        })
    }
}

/// The counts shown, and when and at which change count of the screens' connection they were
/// asked for; a worker counting anew.
#[derive(Default)]
pub struct AlertCounts {
    shown: Option<(Alerts, Instant, u64)>,
    /// Set by a write (this program's or another's): the next frame asks again.
    outdated: bool,
    counter: Option<Worker<Alerts>>,
    /// When and at which change count the question now with the worker was asked.
    asked: Option<(Instant, u64)>,
}

impl AlertCounts {
    /// The counts to draw. Outdated ones (a write, or a minute gone) stay up while the worker
    /// counts anew; the first frame after it answers shows the new ones. Without a worker (an
    /// in-memory database) they are counted here. Counts that could not be read leave the last
    /// ones up, and why is put in `failed` for the status bar.
    pub fn get(
        &mut self,
        db: &Db,
        today: NaiveDate,
        now: NaiveDateTime,
        failed: &RefCell<Option<String>>,
    ) -> Alerts {
        let counted = |conn: &Connection| match Alerts::count(conn, today, now) {
            Ok(alerts) => Some(alerts),
            Err(e) => {
                *failed.borrow_mut() = Some(e.to_string());
                None
            }
        };
        let changes = db.conn().total_changes();
        if let Some(counter) = self.counter.as_mut()
            && let Some(answer) = counter.answer(false)
            && let Some((at, seen)) = self.asked.take()
        {
            let alerts = match answer {
                Answer::Done(alerts) => Some(alerts),
                Answer::Failed => counted(db.conn()),
            };
            let last = self.shown.map(|(alerts, _, _)| alerts);
            self.shown = alerts.or(last).map(|alerts| (alerts, at, seen));
        }
        let fresh = !self.outdated
            && self
                .shown
                .is_some_and(|(_, at, seen)| at.elapsed() < FRESH_FOR && seen == changes);
        if fresh || self.waiting() {
            return self.shown.map(|(alerts, _, _)| alerts).unwrap_or_default();
        }
        self.outdated = false;
        match Worker::in_slot(&mut self.counter, db.path()) {
            Some(counter) => {
                counter.ask(Box::new(move |conn| Alerts::count(conn, today, now)));
                self.asked = Some((Instant::now(), changes));
                self.shown.map(|(alerts, _, _)| alerts).unwrap_or_default()
            }
            None => {
                let Some(alerts) = counted(db.conn()) else {
                    return self.shown.map(|(alerts, _, _)| alerts).unwrap_or_default();
                };
                self.shown = Some((alerts, Instant::now(), changes));
                alerts
            }
        }
    }

    /// The data changed: count again at the next frame.
    pub fn outdate(&mut self) {
        self.outdated = true;
    }

    /// True while the worker counts: the loop then draws again soon.
    pub fn waiting(&self) -> bool {
        self.counter.as_ref().is_some_and(Worker::waiting)
    }
}
