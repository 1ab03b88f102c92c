//! The reporting period: a month (月报) or an ISO week (周报, 001 "每周向主管领导汇报"), its days
//! and weeks, and the rules its key figures follow (percentages, mean time to repair, when a
//! loan counts as overdue within the period).

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, Timelike};

/// A reporting period, named by its first day: a calendar month, or an ISO week (Monday to
/// Sunday) for the weekly report. The report pack and the Reports tab take either; the name
/// stays the month's, the pack's first and commonest use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    first: NaiveDate,
    week: bool,
}

impl Month {
    /// The month holding `day`.
    pub fn of(day: NaiveDate) -> Month {
        Month {
            first: day.with_day(1).unwrap_or(day),
            week: false,
        }
    }

    /// The ISO week holding `day`.
    pub fn week_of(day: NaiveDate) -> Month {
        Month {
            first: day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            week: true,
        }
    }

    /// `2026-10` (exactly four digits, a dash, two digits), or `None`.
    pub fn parse(text: &str) -> Option<Month> {
        let text = text.trim();
        if text.len() != 7 {
            return None;
        }
        NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
            .ok()
            .map(Month::of)
    }

    /// `2026-W49` (ISO 8601: the week holding that year's first Thursday is W01), or `None`.
    pub fn parse_week(text: &str) -> Option<Month> {
        let (year, week) = text.trim().split_once(['W', 'w'])?;
        let year: i32 = year.strip_suffix('-')?.parse().ok()?;
        let week: u32 = week.parse().ok().filter(|_| week.len() == 2)?;
        NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon).map(Month::week_of)
    }

    pub fn is_week(self) -> bool {
        self.week
    }

    pub fn first(self) -> NaiveDate {
        self.first
    }

    pub fn last(self) -> NaiveDate {
        self.next().first - Duration::days(1)
    }

    pub fn next(self) -> Month {
        if self.week {
            Month::week_of(self.first + Duration::days(7))
        } else {
            Month::of(self.first + Months::new(1))
        }
    }

    pub fn previous(self) -> Month {
        if self.week {
            Month::week_of(self.first - Duration::days(7))
        } else {
            Month::of(self.first - Months::new(1))
        }
    }

    /// The same kind of period holding `day`.
    pub fn holding(self, day: NaiveDate) -> Month {
        if self.week {
            Month::week_of(day)
        } else {
            Month::of(day)
        }
    }

    /// `2026-10`, `2026-W49`: how the period is named in file names and on screen.
    pub fn label(self) -> String {
        if self.week {
            crate::domain::calendar::iso_week_label(self.first)
        } else {
            self.first.format("%Y-%m").to_string()
        }
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last()
    }

    /// The month's weeks, Monday to Sunday, cut to the month: the first and last may be short.
    /// A week's are its days, one by one.
    pub fn weeks(self) -> Vec<(NaiveDate, NaiveDate)> {
        if self.week {
            return self.first.iter_days().take(7).map(|d| (d, d)).collect();
        }
        let mut out = Vec::new();
        let mut start = self.first;
        while start <= self.last() {
            let sunday =
                start + Duration::days(6 - i64::from(start.weekday().num_days_from_monday()));
            let end = sunday.min(self.last());
            out.push((start, end));
            start = end + Duration::days(1);
        }
        out
    }

    /// The last day the month's figures can speak for: its last day, or today while it runs.
    pub fn counted_until(self, today: NaiveDate) -> NaiveDate {
        self.last().min(today)
    }
}

/// `part` of `whole` in percent, one decimal; `None` when there is nothing to divide by.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round1(part as f64 * 100.0 / whole as f64))
}

/// Rounded to one decimal, the precision every percentage and hour figure is given in.
pub fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Hours from `from` to `to`, between the minutes shown (seconds are not counted, so the
/// figure is what anyone gets from the times in the report).
pub fn hours_between(from: NaiveDateTime, to: NaiveDateTime) -> f64 {
    let minute = |t: NaiveDateTime| t.with_second(0).unwrap_or(t);
    (minute(to) - minute(from)).num_minutes() as f64 / 60.0
}

/// The mean, or `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// A loan was overdue at some time in the month when, on some day of it (up to `until`),
/// it was past its due day and not yet back. A tool back on its due day was never late.
pub fn loan_overdue_in(
    due_on: NaiveDate,
    returned_on: Option<NaiveDate>,
    month: Month,
    until: NaiveDate,
) -> bool {
    let first_late_day = (due_on + Duration::days(1)).max(month.first());
    first_late_day <= until && returned_on.is_none_or(|back| back >= first_late_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_parse_strictly_and_know_their_ends() {
        let feb = Month::parse("2028-02").unwrap();
        assert_eq!(feb.first(), day(2028, 2, 1));
        assert_eq!(feb.last(), day(2028, 2, 29));
        assert_eq!(feb.next().label(), "2028-03");
        assert_eq!(
            Month::parse("2027-01").unwrap().previous().label(),
            "2026-12"
        );
        for bad in ["2026-13", "2026-1", "26-10", "2026/10", "2026-10-01", ""] {
            assert_eq!(Month::parse(bad), None, "{bad:?}");
        }
        assert!(feb.contains(day(2028, 2, 29)));
        assert!(!feb.contains(day(2028, 3, 1)));
        assert_eq!(feb.counted_until(day(2028, 2, 10)), day(2028, 2, 10));
        assert_eq!(feb.counted_until(day(2028, 5, 1)), day(2028, 2, 29));
    }

    #[test]
    fn weeks_run_monday_to_sunday_cut_to_the_month() {
        // 2026-10-01 is a Thursday; 2026-10-31 a Saturday.
        let weeks = Month::parse("2026-10").unwrap().weeks();
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0], (day(2026, 10, 1), day(2026, 10, 4)));
        assert_eq!(weeks[1], (day(2026, 10, 5), day(2026, 10, 11)));
        assert_eq!(weeks[4], (day(2026, 10, 26), day(2026, 10, 31)));
        // February 2027 starts on a Monday and has exactly four weeks.
        let weeks = Month::parse("2027-02").unwrap().weeks();
        assert_eq!(weeks.len(), 4);
        assert_eq!(weeks[3], (day(2027, 2, 22), day(2027, 2, 28)));
    }

    #[test]
    fn a_report_week_is_an_iso_week_across_a_year_end() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let w53 = Month::week_of(d(2027, 1, 2));
        assert_eq!((w53.first(), w53.last()), (d(2026, 12, 28), d(2027, 1, 3)));
        assert_eq!(w53.label(), "2026-W53");
        assert_eq!(w53.next().label(), "2027-W01");
        assert_eq!(w53.previous().first(), d(2026, 12, 21));
        assert_eq!(Month::parse_week("2026-W53"), Some(w53));
        assert_eq!(
            Month::parse_week("2026-W49").map(Month::first),
            Some(d(2026, 11, 30))
        );
        for bad in ["2026-49", "2026-W4", "2025-W53", "W49", "2026-W00"] {
            assert_eq!(Month::parse_week(bad), None, "{bad}");
        }
        assert!(w53.contains(d(2027, 1, 3)) && !w53.contains(d(2027, 1, 4)));
        assert_eq!(w53.weeks().len(), 7, "a week's bars are its days");
        assert_eq!(w53.holding(d(2027, 2, 10)), Month::week_of(d(2027, 2, 8)));
    }

    #[test]
    fn figures_round_and_refuse_to_divide_by_nothing() {
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(0, 0), None);
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0]), Some(1.5));
        let at = |d: u32, h: u32, m: u32| day(2026, 10, d).and_hms_opt(h, m, 0).unwrap();
        assert_eq!(hours_between(at(1, 9, 0), at(2, 10, 30)), 25.5);
    }

    #[test]
    fn a_loan_is_overdue_in_the_month_only_on_days_it_was_late_and_out() {
        let oct = Month::parse("2026-10").unwrap();
        let end = oct.last();
        // Due on the 10th, back on the 10th: never late.
        assert!(!loan_overdue_in(
            day(2026, 10, 10),
            Some(day(2026, 10, 10)),
            oct,
            end
        ));
        // Back on the 11th: one day late.
        assert!(loan_overdue_in(
            day(2026, 10, 10),
            Some(day(2026, 10, 11)),
            oct,
            end
        ));
        // Still out.
        assert!(loan_overdue_in(day(2026, 10, 10), None, oct, end));
        // Late in September, back on October 1st: late on the 1st.
        assert!(loan_overdue_in(
            day(2026, 9, 20),
            Some(day(2026, 10, 1)),
            oct,
            end
        ));
        // Late in September, back in September: not this month's.
        assert!(!loan_overdue_in(
            day(2026, 9, 20),
            Some(day(2026, 9, 30)),
            oct,
            end
        ));
        // Due on the last day: not late within the month.
        assert!(!loan_overdue_in(day(2026, 10, 31), None, oct, end));
        // While the month runs, only days up to today count.
        assert!(!loan_overdue_in(
            day(2026, 10, 20),
            None,
            oct,
            day(2026, 10, 20)
        ));
    }
}
