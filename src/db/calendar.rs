//! The work calendar as entered: holidays, make-up working days and semester dates, read as
//! the calendar the checklists' working days follow, listed by year, and imported whole.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::Stamp;
use crate::domain::calendar::{DayKind, WorkCalendar};

/// One marked day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// A marked day is keyed by its day and kind, which the table holds once.
impl super::paging::Keyed for MarkedDay {
    fn key(&self) -> i64 {
        let kind = DayKind::ALL
            .iter()
            .position(|k| *k == self.kind)
            .unwrap_or(0);
        i64::from(chrono::Datelike::num_days_from_ce(&self.day)) * 8 + kind as i64
    }
}

/// The working days as the calendar marks them.
pub fn work_calendar(conn: &Connection) -> rusqlite::Result<WorkCalendar> {
    let days = marked(conn, None)?;
    let of = |kind: DayKind| {
        days.iter()
            .filter(move |d| d.kind == kind)
            .map(|d| d.day)
            .collect::<Vec<_>>()
    };
    Ok(
        WorkCalendar::new(of(DayKind::Holiday), of(DayKind::Workday))
            .with_semester_starts(of(DayKind::SemesterStart)),
    )
}

/// The marked days, of one year or all, by day.
pub fn marked(conn: &Connection, year: Option<i32>) -> rusqlite::Result<Vec<MarkedDay>> {
    let year = year.map(|y| format!("{y:04}"));
    conn.prepare_cached(
        "SELECT day, kind, name FROM calendar_days
         WHERE retired_at IS NULL AND (?1 IS NULL OR substr(day, 1, 4) = ?1)
         ORDER BY day, kind",
    )?
    .query_map([year], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?
    .filter_map(|row| match row {
        Ok((day, kind, name)) => Some(Ok(MarkedDay {
            day: day.parse().ok()?,
            kind: DayKind::parse(&kind)?,
            name,
        })),
        Err(e) => Some(Err(e)),
    })
    .collect()
}

/// Mark `day` as `kind` (named, e.g. 国庆节); a day marked so already keeps its mark with the
/// new name. A holiday and a make-up working day on one day contradict: the other is unmarked.
/// True if anything changed.
pub fn mark(conn: &Connection, day: &MarkedDay, stamp: &Stamp) -> rusqlite::Result<bool> {
    let opposite = match day.kind {
        DayKind::Holiday => Some(DayKind::Workday),
        DayKind::Workday => Some(DayKind::Holiday),
        _ => None,
    };
    let mut changed = 0;
    if let Some(opposite) = opposite {
        changed += conn.execute(
            "UPDATE calendar_days SET retired_at = ?3, retired_by = ?4,
                 retired_reason = 'replaced', updated_at = ?3, updated_by = ?4,
                 row_version = row_version + 1
             WHERE day = ?1 AND kind = ?2 AND retired_at IS NULL",
            params![
                day.day.to_string(),
                opposite.key(),
                stamp.at_text(),
                stamp.by
            ],
        )?;
    }
    changed += conn.execute(
        "INSERT INTO calendar_days (day, kind, name, created_at, created_by, updated_at,
             updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)
         ON CONFLICT (day, kind) DO UPDATE SET name = excluded.name, retired_at = NULL,
             retired_by = NULL, retired_reason = NULL, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by, row_version = row_version + 1
         WHERE name IS NOT excluded.name OR retired_at IS NOT NULL",
        params![
            day.day.to_string(),
            day.kind.key(),
            day.name.trim(),
            stamp.at_text(),
            stamp.by
        ],
    )?;
    Ok(changed > 0)
}

/// Take the mark off `day` (kept in the table, retired, so the audit log and an undo have it).
/// True if it was marked.
pub fn unmark(
    conn: &Connection,
    day: NaiveDate,
    kind: DayKind,
    stamp: &Stamp,
) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE calendar_days SET retired_at = ?3, retired_by = ?4, retired_reason = 'unmarked',
             updated_at = ?3, updated_by = ?4, row_version = row_version + 1
         WHERE day = ?1 AND kind = ?2 AND retired_at IS NULL",
        params![day.to_string(), kind.key(), stamp.at_text(), stamp.by],
    )?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn marked_days_make_the_work_calendar_and_a_day_is_a_holiday_or_worked_not_both() {
        let mut db = Db::open_in_memory().unwrap();
        let stamp = Stamp::at("王磊", "2026-09-01 09:00:00");
        let mark_as = |db: &mut Db, d: &str, kind, name: &str| {
            let marked = MarkedDay {
                day: day(d),
                kind,
                name: name.into(),
            };
            db.write(|tx| mark(tx, &marked, &stamp)).unwrap()
        };
        assert!(mark_as(&mut db, "2026-10-01", DayKind::Holiday, "国庆节"));
        assert!(mark_as(&mut db, "2026-10-10", DayKind::Workday, "国庆调休"));
        assert!(
            !mark_as(&mut db, "2026-10-01", DayKind::Holiday, "国庆节"),
            "unchanged"
        );
        let calendar = work_calendar(db.conn()).unwrap();
        assert!(!calendar.is_working(day("2026-10-01")));
        assert!(calendar.is_working(day("2026-10-10")));
        // The notice is corrected: the 10th is a holiday after all.
        assert!(mark_as(&mut db, "2026-10-10", DayKind::Holiday, "国庆节"));
        assert!(
            !work_calendar(db.conn())
                .unwrap()
                .is_working(day("2026-10-10"))
        );
        let listed = marked(db.conn(), Some(2026)).unwrap();
        assert_eq!(listed.len(), 2);
        assert!(marked(db.conn(), Some(2027)).unwrap().is_empty());
    }
}
