//! The words for a refused answer, log or sign-off of an inspection run, and for when a run
//! is due and whether it was signed in time.

use chrono::{Datelike, NaiveDate};

use crate::db::check_runs::RunError;
use crate::domain::schedule::{DueTime, Schedule, Timing, Window};
use crate::i18n::Lang;

impl RunError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RunError::Signed => lang.t("run_error.signed").to_owned(),
            RunError::NoteRequired => lang.t("run_error.note_required").to_owned(),
            RunError::ReasonRequired => lang.t("run_error.reason_required").to_owned(),
            RunError::Unanswered(n) => lang.tf("run_error.unanswered", &[("count", n)]),
            RunError::LogMissing => lang.t("run_error.log_missing").to_owned(),
            RunError::NotFound => lang.t("run_error.not_found").to_owned(),
            RunError::Text(e) => e.message(lang),
            RunError::Db(reason) => lang.tf("error.db_write", &[("reason", reason)]),
        }
    }
}

/// For logs and `?` into `anyhow`: the English words.
impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for RunError {}

/// `Fri 13:00-18:00`: when in its period a template is due, or nothing for any time.
pub fn schedule_text(schedule: Schedule, lang: Lang) -> String {
    let day = schedule.weekday.map(|d| {
        lang.t(&format!("weekday.{}", d.num_days_from_monday()))
            .to_owned()
    });
    let window = schedule.window.map(Window::key);
    [day, window]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `due today 13:00-18:00`, `due Fri 12-04 13:00-18:00`, `was due Fri 12-04 13:00-18:00`.
pub fn due_time(due: DueTime, today: NaiveDate, lang: Lang) -> String {
    let day = due.day();
    let hours = if due.from.time() == chrono::NaiveTime::MIN && due.until.date() > day {
        String::new()
    } else {
        format!(
            " {}-{}",
            due.from.format("%H:%M"),
            due.until.format("%H:%M")
        )
    };
    let when = format!(
        "{} {}{hours}",
        lang.t(&format!("weekday.{}", day.weekday().num_days_from_monday())),
        day.format("%m-%d")
    );
    let key = if day == today {
        "schedule.due_today"
    } else if day > today {
        "schedule.due_on"
    } else {
        "schedule.was_due"
    };
    lang.tf(key, &[("when", &when), ("hours", &hours.trim())])
}

/// `late` / `early` beside a run signed outside its due time; nothing when on time.
pub fn timing_text(timing: Option<Timing>, lang: Lang) -> String {
    timing
        .and_then(Timing::label_key)
        .map(|k| lang.t(k).to_owned())
        .unwrap_or_default()
}
