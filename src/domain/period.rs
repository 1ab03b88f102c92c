//! Inspection periods (working day, day, ISO week, month, quarter, semester, year): where each
//! starts, its label, and which passed without a signed run.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, Months, NaiveDate};

use super::calendar::{WorkCalendar, iso_week_label};

/// How often a checklist is run. A period is named by the date it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// Each working day of the work calendar (weekends and holidays are none).
    Workday,
    Day,
    /// ISO 8601 week, Monday to Sunday.
    Week,
    Month,
    /// A calendar quarter: January, April, July and October begin one.
    Quarter,
    /// From a semester's start to the next one's, as the work calendar sets them.
    Semester,
    Year,
}

impl Period {
    pub const ALL: [Period; 7] = [
        Period::Workday,
        Period::Day,
        Period::Week,
        Period::Month,
        Period::Quarter,
        Period::Semester,
        Period::Year,
    ];

    /// The stored and file key: `day`, `week`, `month`.
    pub fn key(self) -> &'static str {
        match self {
            Period::Workday => "workday",
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Semester => "semester",
            Period::Year => "year",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Period::Workday => "period.workday",
            Period::Day => "period.day",
            Period::Week => "period.week",
            Period::Month => "period.month",
            Period::Quarter => "period.quarter",
            Period::Semester => "period.semester",
            Period::Year => "period.year",
        }
    }

    /// Accepts the key, or the Chinese words a template author would write.
    pub fn parse(text: &str) -> Option<Period> {
        match text.trim().to_lowercase().as_str() {
            "workday" | "working day" | "工作日" | "每个工作日" => Some(Period::Workday),
            "day" | "daily" | "每日" | "每天" | "日" => Some(Period::Day),
            "week" | "weekly" | "每周" | "周" => Some(Period::Week),
            "month" | "monthly" | "每月" | "月" => Some(Period::Month),
            "quarter" | "quarterly" | "每季度" | "季度" | "季" => Some(Period::Quarter),
            "semester" | "term" | "每学期" | "学期" => Some(Period::Semester),
            "year" | "yearly" | "annual" | "每年" | "年度" | "年" => Some(Period::Year),
            _ => None,
        }
    }

    /// The first day of the period that holds `date`.
    pub fn start_of(self, date: NaiveDate, calendar: &WorkCalendar) -> NaiveDate {
        match self {
            Period::Semester => calendar.semester_start(date),
            Period::Workday | Period::Day => date,
            Period::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
            Period::Month => date.with_day(1).unwrap_or(date),
            Period::Quarter => {
                let month = date.month0() / 3 * 3 + 1;
                NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
            }
            Period::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date),
        }
    }

    /// The start of the period after the one starting at `start`.
    pub fn next(self, start: NaiveDate, calendar: &WorkCalendar) -> NaiveDate {
        let start = self.start_of(start, calendar);
        match self {
            Period::Semester => calendar.semester_after(start),
            Period::Workday | Period::Day => start + Duration::days(1),
            Period::Week => start + Duration::days(7),
            Period::Month => start + Months::new(1),
            Period::Quarter => start + Months::new(3),
            Period::Year => start + Months::new(12),
        }
    }

    /// The start of the period before the one holding `date`.
    pub fn previous(self, date: NaiveDate, calendar: &WorkCalendar) -> NaiveDate {
        let start = self.start_of(date, calendar);
        match self {
            Period::Semester => calendar.semester_before(start),
            Period::Workday | Period::Day => start - Duration::days(1),
            Period::Week => start - Duration::days(7),
            Period::Month => start - Months::new(1),
            Period::Quarter => start - Months::new(3),
            Period::Year => start - Months::new(12),
        }
    }

    /// The last day of the period starting at `start`.
    pub fn last_day(self, start: NaiveDate, calendar: &WorkCalendar) -> NaiveDate {
        self.next(start, calendar) - Duration::days(1)
    }

    /// How the period is filed: `2026-11-21`, `2026-W47`, `2026-11`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Workday | Period::Day => start.format("%Y-%m-%d").to_string(),
            Period::Week => iso_week_label(start),
            Period::Month => start.format("%Y-%m").to_string(),
            Period::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            // Spring (S1) starts in the first half of a year, autumn (S2) in the second.
            Period::Semester => format!("{}-S{}", start.year(), 1 + u32::from(start.month() > 7)),
            Period::Year => start.format("%Y").to_string(),
        }
    }

    /// The days a longer period covers, for the missed list: `11-16..11-22` for a week; a
    /// day's label says it all, so it has none.
    pub fn span_text(self, start: NaiveDate, last_day: NaiveDate) -> String {
        match self {
            Period::Workday | Period::Day => String::new(),
            _ => format!("{}..{}", start.format("%m-%d"), last_day.format("%m-%d")),
        }
    }
}

impl Period {
    /// Whether a period starts on `day`: every day but the rest days of a working-day list.
    pub fn runs_on(self, day: NaiveDate, calendar: &WorkCalendar) -> bool {
        self != Period::Workday || calendar.is_working(day)
    }
}

/// How many periods a checklist active from `from` has had before the one holding `today`:
/// the number of runs that must be signed for none to be missed.
pub fn past_count(
    period: Period,
    from: NaiveDate,
    today: NaiveDate,
    calendar: &WorkCalendar,
) -> usize {
    let (first, current) = (
        period.start_of(from, calendar),
        period.start_of(today, calendar),
    );
    if first >= current {
        return 0;
    }
    let n = match period {
        Period::Workday => return calendar.working_days(first, current).count(),
        Period::Semester => {
            let mut start = first;
            let mut n = 0;
            while start < current {
                n += 1;
                start = period.next(start, calendar);
            }
            return n;
        }
        Period::Day => (current - first).num_days(),
        Period::Week => (current - first).num_days() / 7,
        Period::Month | Period::Quarter | Period::Year => {
            let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
            let per = match period {
                Period::Quarter => 3,
                Period::Year => 12,
                _ => 1,
            };
            (months(current) - months(first)) / per
        }
    };
    usize::try_from(n).unwrap_or(0)
}

/// Periods from the one holding `from` up to, not including, the one holding `today` that have
/// no signed run (`signed` holds period starts), oldest first. The current period is never
/// missed: it is still due. A working-day list misses no weekend or holiday.
pub fn missed(
    period: Period,
    from: NaiveDate,
    today: NaiveDate,
    signed: &BTreeSet<NaiveDate>,
    calendar: &WorkCalendar,
) -> Vec<NaiveDate> {
    let current = period.start_of(today, calendar);
    let mut start = period.start_of(from, calendar);
    let mut out = Vec::new();
    while start < current {
        if !signed.contains(&start) && period.runs_on(start, calendar) {
            out.push(start);
        }
        start = period.next(start, calendar);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn none() -> WorkCalendar {
        WorkCalendar::default()
    }

    /// [`missed`] with no day marked in the calendar.
    fn walk(
        period: Period,
        from: NaiveDate,
        today: NaiveDate,
        signed: &BTreeSet<NaiveDate>,
    ) -> Vec<NaiveDate> {
        missed(period, from, today, signed, &WorkCalendar::default())
    }

    #[test]
    fn past_count_matches_the_periods_missed_would_walk() {
        let today = day(2026, 11, 21);
        for period in Period::ALL {
            for from in [
                day(2016, 2, 29),
                day(2025, 12, 31),
                day(2026, 11, 16),
                today,
            ] {
                let none = WorkCalendar::default();
                let walked = missed(period, from, today, &BTreeSet::new(), &none).len();
                assert_eq!(
                    past_count(period, from, today, &none),
                    walked,
                    "{period:?} {from}"
                );
            }
        }
        let none = WorkCalendar::default();
        assert_eq!(
            past_count(Period::Month, day(2026, 1, 31), today, &none),
            10
        );
        assert_eq!(past_count(Period::Day, day(2027, 1, 1), today, &none), 0);
    }

    #[test]
    fn weeks_start_on_monday_across_year_ends() {
        // 2026-11-21 is a Saturday in W47.
        assert_eq!(
            Period::Week.start_of(day(2026, 11, 21), &none()),
            day(2026, 11, 16)
        );
        assert_eq!(
            Period::Week.start_of(day(2026, 11, 16), &none()),
            day(2026, 11, 16)
        );
        assert_eq!(
            Period::Week.start_of(day(2026, 11, 22), &none()),
            day(2026, 11, 16)
        );
        // 2026 has a week 53 running into 2027.
        let w53 = Period::Week.start_of(day(2027, 1, 2), &none());
        assert_eq!(w53, day(2026, 12, 28));
        assert_eq!(Period::Week.label(w53), "2026-W53");
        assert_eq!(Period::Week.next(w53, &none()), day(2027, 1, 4));
        assert_eq!(Period::Week.label(day(2027, 1, 4)), "2027-W01");
        assert_eq!(Period::Week.previous(day(2027, 1, 4), &none()), w53);
        assert_eq!(Period::Week.last_day(w53, &none()), day(2027, 1, 3));
        // A week that starts in one year and is labelled with the next.
        assert_eq!(Period::Week.label(day(2024, 12, 30)), "2025-W01");
    }

    #[test]
    fn months_handle_ends_and_leap_days() {
        assert_eq!(
            Period::Month.start_of(day(2026, 1, 31), &none()),
            day(2026, 1, 1)
        );
        assert_eq!(
            Period::Month.next(day(2026, 1, 31), &none()),
            day(2026, 2, 1)
        );
        assert_eq!(
            Period::Month.last_day(day(2026, 2, 1), &none()),
            day(2026, 2, 28)
        );
        assert_eq!(
            Period::Month.last_day(day(2028, 2, 1), &none()),
            day(2028, 2, 29)
        );
        assert_eq!(
            Period::Month.previous(day(2026, 3, 31), &none()),
            day(2026, 2, 1)
        );
        assert_eq!(
            Period::Month.next(day(2026, 12, 1), &none()),
            day(2027, 1, 1)
        );
        assert_eq!(Period::Month.label(day(2026, 12, 1)), "2026-12");
        assert_eq!(
            Period::Day.next(day(2028, 2, 28), &none()),
            day(2028, 2, 29)
        );
        assert_eq!(
            Period::Day.next(day(2026, 12, 31), &none()),
            day(2027, 1, 1)
        );
        assert_eq!(
            Period::Day.previous(day(2027, 1, 1), &none()),
            day(2026, 12, 31)
        );
    }

    #[test]
    fn missed_lists_every_unsigned_period_before_the_current_one() {
        let signed: BTreeSet<_> = [day(2026, 11, 2), day(2026, 11, 16)].into();
        // From a Wednesday in W44 to a Saturday in W47: W44 and W46 passed unsigned, W45 was signed.
        let missed = walk(Period::Week, day(2026, 10, 28), day(2026, 11, 21), &signed);
        assert_eq!(missed, vec![day(2026, 10, 26), day(2026, 11, 9)]);
        // The current period is due, not missed, even unsigned.
        assert!(walk(Period::Day, day(2026, 11, 21), day(2026, 11, 21), &signed).is_empty());
        // Across a year end with week 53.
        let none = BTreeSet::new();
        let missed = walk(Period::Week, day(2026, 12, 20), day(2027, 1, 5), &none);
        let labels: Vec<String> = missed.iter().map(|d| Period::Week.label(*d)).collect();
        assert_eq!(labels, ["2026-W51", "2026-W52", "2026-W53"]);
        // Months across February of a leap year.
        let missed = walk(Period::Month, day(2028, 1, 31), day(2028, 3, 1), &none);
        assert_eq!(missed, vec![day(2028, 1, 1), day(2028, 2, 1)]);
    }

    #[test]
    fn a_working_day_list_misses_no_weekend_or_holiday_and_a_make_up_saturday_counts() {
        // 2026-10-01..07 holidays; Saturday 10-10 worked. From Monday 09-28 to Tuesday 10-13.
        let cal = WorkCalendar::new((1..=7).map(|d| day(2026, 10, d)), [day(2026, 10, 10)]);
        let signed: BTreeSet<_> = [day(2026, 9, 28), day(2026, 10, 8)].into();
        let missed = missed(
            Period::Workday,
            day(2026, 9, 28),
            day(2026, 10, 13),
            &signed,
            &cal,
        );
        assert_eq!(
            missed,
            [
                day(2026, 9, 29),
                day(2026, 9, 30),
                day(2026, 10, 9),
                day(2026, 10, 10),
                day(2026, 10, 12)
            ]
        );
        // Seven working days in all, two of them signed.
        assert_eq!(
            past_count(Period::Workday, day(2026, 9, 28), day(2026, 10, 13), &cal),
            7
        );
        assert!(!Period::Workday.runs_on(day(2026, 10, 3), &cal));
        assert!(Period::Day.runs_on(day(2026, 10, 3), &cal));
    }

    #[test]
    fn quarters_and_years_start_where_the_calendar_says_and_cross_year_ends() {
        assert_eq!(
            Period::Quarter.start_of(day(2026, 12, 31), &none()),
            day(2026, 10, 1)
        );
        assert_eq!(
            Period::Quarter.start_of(day(2026, 4, 1), &none()),
            day(2026, 4, 1)
        );
        assert_eq!(
            Period::Quarter.next(day(2026, 10, 1), &none()),
            day(2027, 1, 1)
        );
        assert_eq!(
            Period::Quarter.previous(day(2027, 2, 14), &none()),
            day(2026, 10, 1)
        );
        assert_eq!(
            Period::Quarter.last_day(day(2026, 10, 1), &none()),
            day(2026, 12, 31)
        );
        assert_eq!(Period::Quarter.label(day(2026, 10, 1)), "2026-Q4");
        assert_eq!(
            Period::Quarter.span_text(day(2026, 10, 1), day(2026, 12, 31)),
            "10-01..12-31"
        );
        assert_eq!(
            Period::Year.start_of(day(2028, 2, 29), &none()),
            day(2028, 1, 1)
        );
        assert_eq!(Period::Year.next(day(2026, 1, 1), &none()), day(2027, 1, 1));
        assert_eq!(Period::Year.label(day(2026, 1, 1)), "2026");
        let none = BTreeSet::new();
        let cal = WorkCalendar::default();
        // From mid-2025 to early 2027: Q3 2025 .. Q4 2026 passed, 2025 and 2026 passed.
        let quarters = walk(Period::Quarter, day(2025, 8, 15), day(2027, 1, 5), &none);
        let labels: Vec<String> = quarters.iter().map(|d| Period::Quarter.label(*d)).collect();
        assert_eq!(
            labels,
            [
                "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"
            ]
        );
        assert_eq!(
            past_count(Period::Quarter, day(2025, 8, 15), day(2027, 1, 5), &cal),
            6
        );
        assert_eq!(
            past_count(Period::Year, day(2025, 8, 15), day(2027, 1, 5), &cal),
            2
        );
        assert_eq!(Period::parse("每季度"), Some(Period::Quarter));
        assert_eq!(Period::parse("年度"), Some(Period::Year));
    }

    #[test]
    fn semesters_follow_the_calendar_across_a_year_end_and_default_to_march_and_september() {
        // Nothing entered: spring from 1 March, autumn from 1 September.
        let s = Period::Semester;
        assert_eq!(s.start_of(day(2027, 1, 15), &none()), day(2026, 9, 1));
        assert_eq!(s.next(day(2026, 9, 1), &none()), day(2027, 3, 1));
        assert_eq!(s.previous(day(2027, 1, 15), &none()), day(2026, 3, 1));
        assert_eq!(s.label(day(2026, 9, 1)), "2026-S2");
        assert_eq!(s.label(day(2027, 3, 1)), "2027-S1");
        // A school's own dates take the place of the default in their half of the year: the
        // autumn semester from 2026-08-31 runs over the new year to the spring one on 02-22.
        let cal =
            WorkCalendar::default().with_semester_starts([day(2026, 8, 31), day(2027, 2, 22)]);
        assert_eq!(s.start_of(day(2027, 1, 15), &cal), day(2026, 8, 31));
        assert_eq!(s.start_of(day(2027, 2, 21), &cal), day(2026, 8, 31));
        assert_eq!(s.start_of(day(2027, 2, 22), &cal), day(2027, 2, 22));
        assert_eq!(s.last_day(day(2026, 8, 31), &cal), day(2027, 2, 21));
        let last = s.last_day(day(2026, 8, 31), &cal);
        assert_eq!(s.span_text(day(2026, 8, 31), last), "08-31..02-21");
        assert_eq!(s.previous(day(2026, 10, 1), &cal), day(2026, 3, 1));
        // Missed across the year end: from spring 2026 to a day of spring 2027.
        let missed = missed(s, day(2026, 4, 1), day(2027, 3, 5), &BTreeSet::new(), &cal);
        assert_eq!(missed, [day(2026, 3, 1), day(2026, 8, 31)]);
        assert_eq!(past_count(s, day(2026, 4, 1), day(2027, 3, 5), &cal), 2);
        assert_eq!(Period::parse("每学期"), Some(Period::Semester));
    }

    #[test]
    fn parses_keys_and_chinese_words() {
        assert_eq!(Period::parse("Weekly"), Some(Period::Week));
        assert_eq!(Period::parse("每月"), Some(Period::Month));
        assert_eq!(Period::parse("fortnight"), None);
        for p in Period::ALL {
            assert_eq!(Period::parse(p.key()), Some(p));
        }
    }
}
