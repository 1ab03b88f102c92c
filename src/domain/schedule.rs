//! When in its period a checklist is due: a weekday (`weekday = "fri"`, moved to the next
//! working day when it is a holiday) and a time window (`window = "13:00-18:00"`); and whether
//! a run was signed within it.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::calendar::WorkCalendar;
use super::period::Period;

/// Hours of a day a run is due in, `from` up to `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveTime,
    pub until: NaiveTime,
}

impl Window {
    /// `13:00-18:00` (also with `–`, `~` or `至`); `from` must come before `until`.
    pub fn parse(text: &str) -> Option<Window> {
        let text = text.trim();
        let (from, until) = ["-", "–", "~", "至", "到"]
            .iter()
            .find_map(|sep| text.split_once(sep))?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
        let (from, until) = (time(from)?, time(until)?);
        (from < until).then_some(Window { from, until })
    }

    /// `13:00-18:00`, as stored and written in a template file.
    pub fn key(self) -> String {
        format!(
            "{}-{}",
            self.from.format("%H:%M"),
            self.until.format("%H:%M")
        )
    }
}

/// A weekday by its key (`mon` … `sun`), its English name, or Chinese (`周五`, `星期五`).
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let text = text.trim().to_lowercase();
    const CHINESE: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    for prefix in ["周", "星期", "礼拜"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let rest = if rest == "天" { "日" } else { rest };
            return CHINESE
                .iter()
                .position(|c| *c == rest)
                .and_then(|i| Weekday::try_from(i as u8).ok());
        }
    }
    text.parse::<Weekday>().ok()
}

/// `fri`: the key a weekday is stored and written under.
pub fn weekday_key(day: Weekday) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][day.num_days_from_monday() as usize]
}

/// When a checklist's run is due within its period. With neither field, any time of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schedule {
    pub weekday: Option<Weekday>,
    pub window: Option<Window>,
}

/// What is wrong with a schedule for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleProblem {
    /// A weekday only makes sense for a weekly list.
    WeekdayNeedsWeek,
    /// A window on a list longer than a day needs the day it applies to.
    WindowNeedsDay,
}

impl ScheduleProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            ScheduleProblem::WeekdayNeedsWeek => "schedule.weekday_needs_week",
            ScheduleProblem::WindowNeedsDay => "schedule.window_needs_day",
        }
    }
}

/// How a signed run stands against its schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    OnTime,
    Early,
    Late,
}

impl Timing {
    /// `None` when on time: only a run outside its window has a word.
    pub fn label_key(self) -> Option<&'static str> {
        match self {
            Timing::OnTime => None,
            Timing::Early => Some("timing.early"),
            Timing::Late => Some("timing.late"),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Timing::OnTime => "on_time",
            Timing::Early => "early",
            Timing::Late => "late",
        }
    }
}

/// The time a run is due in: from `from`, up to but not including `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueTime {
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
}

impl DueTime {
    pub fn timing(self, signed_at: NaiveDateTime) -> Timing {
        if signed_at < self.from {
            Timing::Early
        } else if signed_at >= self.until {
            Timing::Late
        } else {
            Timing::OnTime
        }
    }

    /// The day it is due on.
    pub fn day(self) -> NaiveDate {
        self.from.date()
    }

    /// Stored as text: `2026-12-04 13:00`.
    pub fn text(at: NaiveDateTime) -> String {
        at.format("%Y-%m-%d %H:%M").to_string()
    }

    pub fn parse(from: &str, until: &str) -> Option<DueTime> {
        let at = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").ok();
        Some(DueTime {
            from: at(from)?,
            until: at(until)?,
        })
    }
}

impl Schedule {
    pub fn is_any_time(self) -> bool {
        self.weekday.is_none() && self.window.is_none()
    }

    pub fn problem(self, period: Period) -> Option<ScheduleProblem> {
        if self.weekday.is_some() && period != Period::Week {
            return Some(ScheduleProblem::WeekdayNeedsWeek);
        }
        let daily = matches!(period, Period::Day | Period::Workday);
        if self.window.is_some() && self.weekday.is_none() && !daily {
            return Some(ScheduleProblem::WindowNeedsDay);
        }
        None
    }

    /// When the run of the period starting `start` is due, or `None` when it may be done at
    /// any time of the period. A weekday that is not worked moves on to the next working day.
    pub fn due(self, start: NaiveDate, calendar: &WorkCalendar) -> Option<DueTime> {
        if self.is_any_time() {
            return None;
        }
        let day = match self.weekday {
            Some(weekday) => {
                let mut day = start + Duration::days(i64::from(weekday.num_days_from_monday()));
                // A holiday week (the Spring Festival runs past seven days) ends the search.
                let last = day + Duration::days(14);
                while !calendar.is_working(day) && day < last {
                    day += Duration::days(1);
                }
                day
            }
            None => start,
        };
        let midnight = NaiveTime::MIN;
        Some(match self.window {
            Some(w) => DueTime {
                from: day.and_time(w.from),
                until: day.and_time(w.until),
            },
            None => DueTime {
                from: day.and_time(midnight),
                until: (day + Duration::days(1)).and_time(midnight),
            },
        })
    }

    /// `Fri 13:00-18:00`-style words are the screen's; this is the file's form of each field.
    pub fn keys(self) -> (String, String) {
        (
            self.weekday.map(weekday_key).unwrap_or_default().to_owned(),
            self.window.map(Window::key).unwrap_or_default(),
        )
    }

    /// Read the stored keys back; a value no longer understood counts as unset.
    pub fn from_keys(weekday: &str, window: &str) -> Schedule {
        Schedule {
            weekday: parse_weekday(weekday),
            window: Window::parse(window),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        day(y, m, d).and_hms_opt(h, min, 0).unwrap()
    }

    fn friday_afternoon() -> Schedule {
        Schedule {
            weekday: Some(Weekday::Fri),
            window: Window::parse("13:00-18:00"),
        }
    }

    #[test]
    fn weekdays_and_windows_parse_in_both_languages() {
        assert_eq!(parse_weekday("fri"), Some(Weekday::Fri));
        assert_eq!(parse_weekday("Friday"), Some(Weekday::Fri));
        assert_eq!(parse_weekday("周五"), Some(Weekday::Fri));
        assert_eq!(parse_weekday("星期日"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("周天"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("funday"), None);
        let w = Window::parse("13:00-18:00").unwrap();
        assert_eq!(w.key(), "13:00-18:00");
        assert_eq!(Window::parse("13:00至18:00"), Some(w));
        assert_eq!(Window::parse("18:00-13:00"), None, "backwards");
        assert_eq!(Window::parse("13-18"), None, "no minutes");
        assert_eq!(Window::parse("25:00-26:00"), None);
        let s = friday_afternoon();
        assert_eq!(Schedule::from_keys(&s.keys().0, &s.keys().1), s);
    }

    #[test]
    fn a_friday_afternoon_run_is_late_after_six_and_early_before_friday() {
        let none = WorkCalendar::default();
        // The week of Monday 2026-11-30: due Friday 12-04 13:00 to 18:00.
        let due = friday_afternoon().due(day(2026, 11, 30), &none).unwrap();
        assert_eq!(due.from, at(2026, 12, 4, 13, 0));
        assert_eq!(due.until, at(2026, 12, 4, 18, 0));
        assert_eq!(due.timing(at(2026, 12, 4, 14, 30)), Timing::OnTime);
        assert_eq!(due.timing(at(2026, 12, 4, 18, 0)), Timing::Late);
        assert_eq!(due.timing(at(2026, 12, 7, 9, 0)), Timing::Late);
        assert_eq!(due.timing(at(2026, 12, 1, 15, 0)), Timing::Early);
    }

    #[test]
    fn a_weekly_window_on_a_holiday_moves_to_the_next_working_day() {
        // Friday 2026-10-02 is in the National Day holiday (10-01..10-07), and the Saturday
        // 10-10 is a make-up working day: the 5S of the week of 09-28 falls on Thursday 10-08.
        let calendar = WorkCalendar::new((1..=7).map(|d| day(2026, 10, d)), [day(2026, 10, 10)]);
        let due = friday_afternoon().due(day(2026, 9, 28), &calendar).unwrap();
        assert_eq!(due.day(), day(2026, 10, 8));
        assert_eq!(due.timing(at(2026, 10, 8, 16, 0)), Timing::OnTime);
        // The week of 10-05: Friday 10-09 is worked, so it stays.
        let due = friday_afternoon().due(day(2026, 10, 5), &calendar).unwrap();
        assert_eq!(due.day(), day(2026, 10, 9));
    }

    #[test]
    fn a_daily_window_holds_on_its_own_day_and_no_schedule_is_any_time() {
        let none = WorkCalendar::default();
        let evening = Schedule {
            weekday: None,
            window: Window::parse("17:00-19:00"),
        };
        let due = evening.due(day(2026, 12, 3), &none).unwrap();
        assert_eq!(due.timing(at(2026, 12, 3, 17, 30)), Timing::OnTime);
        assert_eq!(due.timing(at(2026, 12, 3, 16, 59)), Timing::Early);
        assert_eq!(Schedule::default().due(day(2026, 12, 3), &none), None);
        // A weekday alone holds the whole day.
        let friday = Schedule {
            weekday: Some(Weekday::Fri),
            window: None,
        };
        let due = friday.due(day(2026, 11, 30), &none).unwrap();
        assert_eq!(due.timing(at(2026, 12, 4, 23, 59)), Timing::OnTime);
        assert_eq!(due.timing(at(2026, 12, 5, 0, 0)), Timing::Late);
    }

    #[test]
    fn a_schedule_must_fit_its_period() {
        let s = friday_afternoon();
        assert_eq!(s.problem(Period::Week), None);
        assert_eq!(
            s.problem(Period::Month),
            Some(ScheduleProblem::WeekdayNeedsWeek)
        );
        let window_only = Schedule {
            weekday: None,
            window: s.window,
        };
        assert_eq!(window_only.problem(Period::Workday), None);
        assert_eq!(
            window_only.problem(Period::Week),
            Some(ScheduleProblem::WindowNeedsDay)
        );
    }
}
