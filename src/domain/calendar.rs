//! Calendar facts: ISO weeks (Monday start; some years have a week 53), and the work
//! calendar: Monday to Friday are working days unless a holiday or a make-up working day (调休)
//! entered from the year's official notice says otherwise.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

/// What a day of the calendar is marked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DayKind {
    /// A public holiday: no working day, whatever the weekday.
    Holiday,
    /// A make-up working day (调休), a Saturday or Sunday worked.
    Workday,
    SemesterStart,
    SemesterEnd,
}

impl DayKind {
    pub const ALL: [DayKind; 4] = [
        DayKind::Holiday,
        DayKind::Workday,
        DayKind::SemesterStart,
        DayKind::SemesterEnd,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
            DayKind::SemesterStart => "semester_start",
            DayKind::SemesterEnd => "semester_end",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            DayKind::Holiday => "calendar.holiday",
            DayKind::Workday => "calendar.workday",
            DayKind::SemesterStart => "calendar.semester_start",
            DayKind::SemesterEnd => "calendar.semester_end",
        }
    }

    /// By key or by the words a Chinese notice uses.
    pub fn parse(text: &str) -> Option<DayKind> {
        match text.trim().to_lowercase().as_str() {
            "holiday" | "假日" | "节假日" | "放假" | "休" => Some(DayKind::Holiday),
            "workday" | "调休" | "补班" | "上班" | "班" => Some(DayKind::Workday),
            "semester_start" | "开学" | "学期开始" => Some(DayKind::SemesterStart),
            "semester_end" | "期末" | "学期结束" => Some(DayKind::SemesterEnd),
            _ => None,
        }
    }
}

/// Which days are worked: Monday to Friday, less the holidays, plus the make-up days; and
/// where semesters start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
    semester_starts: BTreeSet<NaiveDate>,
}

/// Where a semester starts when the calendar names no start in that half of the year: the
/// spring semester on 1 March, the autumn one on 1 September. A school enters its own dates
/// (`semester_start`) and they take the place of these.
const DEFAULT_SEMESTER_STARTS: [(u32, u32); 2] = [(3, 1), (9, 1)];

impl WorkCalendar {
    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> WorkCalendar {
        WorkCalendar {
            holidays: holidays.into_iter().collect(),
            workdays: workdays.into_iter().collect(),
            semester_starts: BTreeSet::new(),
        }
    }

    /// The same calendar with the semesters starting on `starts`.
    pub fn with_semester_starts(mut self, starts: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.semester_starts = starts.into_iter().collect();
        self
    }

    /// Semester starts of the years around `year`: in each half of a year (January to July,
    /// August to December) the entered starts, or the default one when none is entered.
    fn semester_starts_near(&self, year: i32) -> BTreeSet<NaiveDate> {
        let mut out = BTreeSet::new();
        for y in year - 1..=year + 1 {
            for (half, (month, day)) in DEFAULT_SEMESTER_STARTS.into_iter().enumerate() {
                let (from, to) = if half == 0 { (1, 8) } else { (8, 13) };
                let first = NaiveDate::from_ymd_opt(y, from, 1);
                let end = if to == 13 {
                    NaiveDate::from_ymd_opt(y + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(y, to, 1)
                };
                let (Some(first), Some(end)) = (first, end) else {
                    continue;
                };
                let entered: Vec<NaiveDate> =
                    self.semester_starts.range(first..end).copied().collect();
                if entered.is_empty() {
                    out.extend(NaiveDate::from_ymd_opt(y, month, day));
                } else {
                    out.extend(entered);
                }
            }
        }
        out
    }

    /// The start of the semester holding `date`: a semester runs from its start to the next
    /// one, its vacation included, so the end-of-term stock-take belongs to it.
    pub fn semester_start(&self, date: NaiveDate) -> NaiveDate {
        self.semester_starts_near(date.year())
            .range(..=date)
            .next_back()
            .copied()
            .unwrap_or(date)
    }

    /// The start of the semester after the one starting at `start`.
    pub fn semester_after(&self, start: NaiveDate) -> NaiveDate {
        let start = self.semester_start(start);
        self.semester_starts_near(start.year())
            .range(start + chrono::Duration::days(1)..)
            .next()
            .copied()
            .unwrap_or(start + chrono::Duration::days(183))
    }

    /// The start of the semester before the one holding `date`.
    pub fn semester_before(&self, date: NaiveDate) -> NaiveDate {
        let start = self.semester_start(date);
        self.semester_start(start - chrono::Duration::days(1))
    }

    pub fn is_working(&self, day: NaiveDate) -> bool {
        if self.holidays.contains(&day) {
            return false;
        }
        self.workdays.contains(&day) || !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The working days from `from` up to, not including, `to`.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        from.iter_days()
            .take_while(move |d| *d < to)
            .filter(|d| self.is_working(*d))
    }
}

/// ISO year and week of `date`, e.g. 2026-11-21 is in 2026-W47 and 2027-01-01 in 2026-W53.
pub fn iso_week(date: NaiveDate) -> (i32, u32) {
    let w = date.iso_week();
    (w.year(), w.week())
}

/// `2026-W47`: the ISO 8601 week label, which is what the weekly inspection is filed under.
pub fn iso_week_label(date: NaiveDate) -> String {
    let (year, week) = iso_week(date);
    format!("{year}-W{week:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weekends_rest_holidays_rest_and_make_up_days_are_worked() {
        // 2026-10-01 (Thursday) to 10-07 the National Day holiday; Sunday 09-27 and Saturday
        // 10-10 worked instead, as an official notice might say.
        let holidays = (1..=7).map(|d| day(2026, 10, d));
        let calendar = WorkCalendar::new(holidays, [day(2026, 9, 27), day(2026, 10, 10)]);
        assert!(calendar.is_working(day(2026, 9, 25)), "a Friday");
        assert!(!calendar.is_working(day(2026, 9, 26)), "a Saturday");
        assert!(calendar.is_working(day(2026, 9, 27)), "a make-up Sunday");
        assert!(!calendar.is_working(day(2026, 10, 1)), "a holiday Thursday");
        assert!(calendar.is_working(day(2026, 10, 10)), "a make-up Saturday");
        let worked: Vec<NaiveDate> = calendar
            .working_days(day(2026, 9, 25), day(2026, 10, 13))
            .collect();
        assert_eq!(
            worked,
            [
                day(2026, 9, 25),
                day(2026, 9, 27),
                day(2026, 9, 28),
                day(2026, 9, 29),
                day(2026, 9, 30),
                day(2026, 10, 8),
                day(2026, 10, 9),
                day(2026, 10, 10),
                day(2026, 10, 12),
            ]
        );
        assert!(!WorkCalendar::default().is_working(day(2026, 11, 22)));
    }

    #[test]
    fn day_kinds_read_keys_and_the_notices_words() {
        assert_eq!(DayKind::parse("调休"), Some(DayKind::Workday));
        assert_eq!(DayKind::parse("Holiday"), Some(DayKind::Holiday));
        assert_eq!(DayKind::parse("开学"), Some(DayKind::SemesterStart));
        assert_eq!(DayKind::parse("vacation"), None);
        for kind in DayKind::ALL {
            assert_eq!(DayKind::parse(kind.key()), Some(kind));
        }
    }

    #[test]
    fn week_labels_follow_iso_8601() {
        assert_eq!(iso_week_label(day(2026, 11, 21)), "2026-W47");
        assert_eq!(iso_week_label(day(2026, 1, 1)), "2026-W01");
        // 2026 has 53 weeks: its last days and 2027's first three belong to 2026-W53.
        assert_eq!(iso_week_label(day(2026, 12, 31)), "2026-W53");
        assert_eq!(iso_week_label(day(2027, 1, 3)), "2026-W53");
        assert_eq!(iso_week_label(day(2027, 1, 4)), "2027-W01");
        // Early January can belong to the previous year's last week.
        assert_eq!(iso_week_label(day(2021, 1, 1)), "2020-W53");
    }
}
