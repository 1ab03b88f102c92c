//! What a shift hands over (交接班, issue 35): everything still open when it ends, gathered
//! from the other tabs' own queries so that the handover says what they show.

use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, params};

use super::check_runs::{self, Due, Missed};
use super::readings::{self, Metric};
use super::repairs::{self, ListQuery, Repair, StateFilter};
use super::tools::{LoanFilter, LoanQuery, LoanRow, matching_loans};
use crate::domain::checklist::BiText;
use crate::domain::repair::Timeliness;

/// A failed item answered today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub template: BiText,
    pub item_code: String,
    pub item: BiText,
    /// `UPS-01 机房 UPS`, for a line of a per-device item or an item naming a device.
    pub device: String,
    pub note: String,
    pub answered_by: String,
}

/// Everything open at `now`.
#[derive(Debug, Clone)]
pub struct Gathered {
    /// Open tickets, those past their estimate first.
    pub open_repairs: Vec<Repair>,
    /// Tools out past their due day.
    pub overdue_tools: Vec<LoanRow>,
    /// Tools out and not yet due.
    pub tools_out: Vec<LoanRow>,
    /// Runs due now and not signed.
    pub runs_due: Vec<Due>,
    /// Periods that passed with no signed run.
    pub runs_missed: Vec<Missed>,
    /// Metrics with no value for yesterday.
    pub readings_missing: Vec<Metric>,
    pub failed_today: Vec<Failure>,
}

pub fn gather(conn: &Connection, now: NaiveDateTime) -> rusqlite::Result<Gathered> {
    let today = now.date();
    let query = ListQuery {
        state: StateFilter::Open,
        ..ListQuery::default()
    };
    let mut open_repairs = repairs::matching(conn, &query, now)?;
    // Stable: the Repairs tab's order within the late and the others.
    open_repairs.sort_by_key(|r| r.flow.timeliness(now) != Timeliness::Late);
    let loans_of = |filter| {
        let query = LoanQuery {
            filter,
            ..LoanQuery::default()
        };
        matching_loans(conn, &query, today)
    };
    let overdue_tools = loans_of(LoanFilter::Overdue)?;
    let tools_out = loans_of(LoanFilter::Open)?
        .into_iter()
        .filter(|l| !overdue_tools.iter().any(|o| o.item_id == l.item_id))
        .collect();
    let runs_due = check_runs::due(conn, today)?
        .into_iter()
        .filter(|d| d.is_open(today))
        .collect();
    let runs_missed = check_runs::missed(conn, today)?;
    let yesterday = today - Duration::days(1);
    let values = readings::values_between(conn, yesterday, yesterday)?;
    let readings_missing = readings::metrics(conn)?
        .into_iter()
        .filter(|m| !values.contains_key(&m.id))
        .collect();
    Ok(Gathered {
        open_repairs,
        overdue_tools,
        tools_out,
        runs_due,
        runs_missed,
        readings_missing,
        failed_today: failed_on(conn, today)?,
    })
}

fn failed_on(conn: &Connection, day: chrono::NaiveDate) -> rusqlite::Result<Vec<Failure>> {
    conn.prepare_cached(
        "SELECT l.name_zh, l.name_en, i.code, i.text_zh, i.text_en,
                coalesce(d.asset_tag || ' ' || d.name, i.device_tag), x.note,
                coalesce(x.answered_by, '')
         FROM check_results x
         JOIN check_runs r ON r.id = x.run_id
         JOIN checklists l ON l.id = r.checklist_id
         JOIN checklist_items i ON i.id = x.item_id
         LEFT JOIN devices d ON d.id = x.device_id
         WHERE x.outcome = 'fail' AND x.answered_at >= ?1 AND x.answered_at < ?2
         ORDER BY x.answered_at, x.id",
    )?
    .query_map(
        params![day.to_string(), (day + Duration::days(1)).to_string()],
        |r| {
            Ok(Failure {
                template: BiText::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                item_code: r.get(2)?,
                item: BiText::new(r.get::<_, String>(3)?, r.get::<_, String>(4)?),
                device: r.get(5)?,
                note: r.get(6)?,
                answered_by: r.get(7)?,
            })
        },
    )?
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, Stamp};
    use crate::domain::checklist::{Answer, Outcome};

    #[test]
    fn todays_failures_name_their_device_and_yesterdays_missing_figures_are_listed() {
        let mut db = Db::open_in_memory().unwrap();
        let stamp = Stamp::at("李四", "2026-12-03 16:20:00");
        crate::db::devices::add_in_use(&mut db, "UPS-01", "机房 UPS", "ups", "", &stamp);
        let monthly = crate::db::checklists::list(db.conn())
            .unwrap()
            .into_iter()
            .find(|c| c.code == "monthly")
            .unwrap()
            .id;
        let start = "2026-12-01".parse().unwrap();
        let run = db
            .write(|tx| check_runs::open(tx, monthly, start, &stamp))
            .unwrap();
        let line = check_runs::load(db.conn(), run).unwrap().unwrap().lines[0].clone();
        let fail = Answer {
            outcome: Outcome::Fail,
            value: String::new(),
            note: "电池鼓包".into(),
        };
        db.write(|tx| check_runs::answer(tx, line.result_id, &fail, &stamp))
            .unwrap();
        let g = gather(db.conn(), stamp.at).unwrap();
        assert_eq!(g.failed_today.len(), 1);
        assert_eq!(g.failed_today[0].device, "UPS-01 机房 UPS");
        assert_eq!(g.failed_today[0].note, "电池鼓包");
        // The next day it is no longer today's.
        let tomorrow = stamp.at + Duration::days(1);
        assert!(gather(db.conn(), tomorrow).unwrap().failed_today.is_empty());
        // No figure was entered: every metric is missing for yesterday.
        let metrics = readings::metrics(db.conn()).unwrap().len();
        assert!(metrics > 0);
        assert_eq!(g.readings_missing.len(), metrics);
        assert!(g.runs_due.iter().any(|d| d.checklist.id == monthly));
    }
}
