//! Calendar facts the screens show: ISO weeks (Monday start; some years have a week 53).

use chrono::{Datelike, NaiveDate};

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
