//! Everything the month report (月报) holds, read in one transaction so the pack is one
//! consistent picture while other operators keep working.

mod register;

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, TransactionBehavior, params};

pub use register::{DeviceEvent, EventClass, FieldMove, at_end_of};

use super::checklists::{self, Checklist};
use super::readings::{self, CompareRow};
use super::repairs::{self, Repair};
use super::tools::{self as loans, LoanQuery, LoanRow};
use crate::domain::checklist::{BiText, Outcome};
use crate::domain::month::Month;
use crate::domain::reading::{Base, compare};
use crate::domain::record::Record;

/// One answered item of a run whose period starts in the month; amendments applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    pub period_start: NaiveDate,
    pub checklist: Checklist,
    pub item_code: String,
    pub item: BiText,
    /// `UPS-01 机房 UPS`: the device of a per-device item's line.
    pub device: String,
    pub outcome: Outcome,
    pub value: String,
    pub note: String,
    pub operator: String,
    pub signed_by: Option<String>,
    pub signed_at: Option<String>,
    /// Signed early or late against the time it was due.
    pub timing: Option<crate::domain::schedule::Timing>,
    /// Corrected after sign-off (the line shows the correction).
    pub amended: bool,
    /// The ticket opened for this finding.
    pub repair: Option<String>,
}

/// A period of a template that passed in the month with no signed run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedRun {
    pub period_start: NaiveDate,
    pub checklist: Checklist,
    /// Items answered and asked, when the run was started but never signed.
    pub started: Option<(usize, usize)>,
}

/// How one template fared in the month: the periods starting in it that were signed, and
/// those that passed unsigned. A period still running and unsigned counts as neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateMonth {
    pub checklist: Checklist,
    pub signed: Vec<NaiveDate>,
    pub missed: Vec<MissedRun>,
}

/// One metric's value on one day, against the day before.
#[derive(Debug, Clone, PartialEq)]
pub struct DayReading {
    pub day: NaiveDate,
    pub row: CompareRow,
}

/// The month's pack: the details every file and every summary figure is made from.
#[derive(Debug, Clone)]
pub struct Pack {
    pub month: Month,
    /// The last day the figures speak for (today while the month runs).
    pub until: NaiveDate,
    pub now: NaiveDateTime,
    pub templates: Vec<TemplateMonth>,
    pub checks: Vec<CheckLine>,
    /// The register as it stood at the end of the month (or now, while it runs).
    pub register: Vec<Record>,
    pub events: Vec<DeviceEvent>,
    pub repairs: Vec<Repair>,
    pub loans: Vec<LoanRow>,
    pub readings: Vec<DayReading>,
}

/// The parts of the pack, in the order they are read (for progress lines).
pub const PARTS: [&str; 5] = [
    "month.part_checks",
    "month.part_devices",
    "month.part_repairs",
    "month.part_tools",
    "month.part_data",
];

/// Read the month's pack. `progress` hears the catalog key of each part as it starts.
pub fn read(
    conn: &Connection,
    month: Month,
    now: NaiveDateTime,
    mut progress: impl FnMut(&'static str),
) -> rusqlite::Result<Pack> {
    // A deferred transaction that only reads: every query below sees the same snapshot.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
    let until = month.counted_until(now.date());
    progress(PARTS[0]);
    let templates = templates(&tx, month, now.date())?;
    let checks = check_lines(&tx, month)?;
    progress(PARTS[1]);
    let register = register::at_end_of(&tx, month.last())?;
    let events = register::events_in(&tx, month)?;
    progress(PARTS[2]);
    let mut repairs = repairs::matching(
        &tx,
        &repairs::ListQuery {
            open_in: Some(month),
            ..Default::default()
        },
        now,
    )?;
    repairs.sort_by(|a, b| (a.flow.reported_at, &a.ticket).cmp(&(b.flow.reported_at, &b.ticket)));
    progress(PARTS[3]);
    let query = LoanQuery {
        active_in: Some(month),
        ..Default::default()
    };
    let mut loans = loans::matching_loans(&tx, &query, now.date())?;
    loans.sort_by(|a, b| (a.out_at, &a.number, &a.code).cmp(&(b.out_at, &b.number, &b.code)));
    progress(PARTS[4]);
    let readings = day_readings(&tx, month)?;
    tx.finish()?;
    Ok(Pack {
        month,
        until,
        now,
        templates,
        checks,
        register,
        events,
        repairs,
        loans,
        readings,
    })
}

/// Templates in use, then retired ones that still have signed runs in the month.
fn templates(
    conn: &Connection,
    month: Month,
    today: NaiveDate,
) -> rusqlite::Result<Vec<TemplateMonth>> {
    let mut out = Vec::new();
    for checklist in checklists::list(conn)? {
        out.push(template_month(conn, checklist, month, today, true)?);
    }
    let retired: Vec<i64> = conn
        .prepare(
            "SELECT DISTINCT l.id FROM checklists l JOIN check_runs r ON r.checklist_id = l.id
             WHERE l.retired_at IS NOT NULL AND r.signed_at IS NOT NULL
               AND r.period_start BETWEEN ?1 AND ?2 ORDER BY l.position, l.id",
        )?
        .query_map(
            params![month.first().to_string(), month.last().to_string()],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    for id in retired {
        if let Some(checklist) = checklists::get(conn, id)? {
            out.push(template_month(conn, checklist, month, today, false)?);
        }
    }
    Ok(out)
}

fn template_month(
    conn: &Connection,
    checklist: Checklist,
    month: Month,
    today: NaiveDate,
    in_use: bool,
) -> rusqlite::Result<TemplateMonth> {
    let signed: BTreeSet<NaiveDate> = conn
        .prepare_cached(
            "SELECT period_start FROM check_runs WHERE checklist_id = ?1
               AND signed_at IS NOT NULL AND period_start BETWEEN ?2 AND ?3",
        )?
        .query_map(
            params![
                checklist.id,
                month.first().to_string(),
                month.last().to_string()
            ],
            |r| r.get::<_, String>(0),
        )?
        .filter_map(|d| d.ok().and_then(|d| d.parse().ok()))
        .collect();
    let mut missed = Vec::new();
    if in_use {
        let period = checklist.period;
        let calendar = super::calendar::work_calendar(conn)?;
        let mut start = period.start_of(checklist.active_from.max(month.first()), &calendar);
        // A period is missed once it is over unsigned: the rule of the Checks tab (a rest day
        // of a working-day list is no period).
        while start <= month.last() && period.last_day(start, &calendar) < today {
            if start >= month.first()
                && !signed.contains(&start)
                && period.runs_on(start, &calendar)
            {
                missed.push(MissedRun {
                    period_start: start,
                    started: started(conn, checklist.id, start)?,
                    checklist: checklist.clone(),
                });
            }
            start = period.next(start, &calendar);
        }
    }
    Ok(TemplateMonth {
        checklist,
        signed: signed.into_iter().collect(),
        missed,
    })
}

/// Answered and asked items of an unsigned run, if it was started.
fn started(
    conn: &Connection,
    checklist_id: i64,
    start: NaiveDate,
) -> rusqlite::Result<Option<(usize, usize)>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(
        "SELECT (SELECT count(*) FROM check_results x WHERE x.run_id = r.id AND x.outcome IS NOT NULL),
                (SELECT count(*) FROM check_results x WHERE x.run_id = r.id)
         FROM check_runs r WHERE r.checklist_id = ?1 AND r.period_start = ?2",
    )?
    .query_row(params![checklist_id, start.to_string()], |r| {
        Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize))
    })
    .optional()
    // A run opened and left with nothing answered was never started.
    .map(|run| run.filter(|(answered, _)| *answered > 0))
}

fn check_lines(conn: &Connection, month: Month) -> rusqlite::Result<Vec<CheckLine>> {
    let mut stmt = conn.prepare(
        "SELECT r.period_start, r.checklist_id, i.code, i.text_zh, i.text_en,
                coalesce(a.outcome, x.outcome), coalesce(a.value, x.value), coalesce(a.note, x.note),
                coalesce(x.answered_by, ''), r.signed_by, r.signed_at, a.id IS NOT NULL, t.ticket,
                ifnull(d.asset_tag || ' ' || d.name, ''), r.due_from, r.due_until
         FROM check_results x
         JOIN check_runs r ON r.id = x.run_id
         JOIN checklists l ON l.id = r.checklist_id
         JOIN checklist_items i ON i.id = x.item_id
         LEFT JOIN check_amendments a
                ON a.id = (SELECT max(id) FROM check_amendments WHERE result_id = x.id)
         LEFT JOIN repairs t ON t.check_result_id = x.id
         LEFT JOIN devices d ON d.id = x.device_id
         WHERE r.period_start BETWEEN ?1 AND ?2 AND x.outcome IS NOT NULL
         ORDER BY r.period_start, l.position, l.id, x.position, d.asset_tag, x.id",
    )?;
    let mut rows = stmt.query(params![month.first().to_string(), month.last().to_string()])?;
    let mut lists: Vec<Checklist> = Vec::new();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let checklist_id: i64 = r.get(1)?;
        let checklist = match lists.iter().find(|c| c.id == checklist_id) {
            Some(c) => c.clone(),
            None => match checklists::get(conn, checklist_id)? {
                Some(c) => {
                    lists.push(c.clone());
                    c
                }
                None => continue,
            },
        };
        let outcome: Option<String> = r.get(5)?;
        let signed_at: Option<String> = r.get(10)?;
        let due = r
            .get::<_, Option<String>>(14)?
            .zip(r.get::<_, Option<String>>(15)?)
            .and_then(|(f, u)| crate::domain::schedule::DueTime::parse(&f, &u));
        out.push(CheckLine {
            period_start: r.get::<_, String>(0)?.parse().unwrap_or_default(),
            checklist,
            item_code: r.get(2)?,
            item: BiText::new(r.get::<_, String>(3)?, r.get::<_, String>(4)?),
            device: r.get(13)?,
            outcome: outcome
                .as_deref()
                .and_then(Outcome::parse)
                .unwrap_or(Outcome::NotApplicable),
            value: r.get(6)?,
            note: r.get(7)?,
            operator: r.get(8)?,
            signed_by: r.get(9)?,
            timing: super::check_runs::timing_of(due, signed_at.as_deref()),
            signed_at,
            amended: r.get(11)?,
            repair: r.get(12)?,
        });
    }
    Ok(out)
}

/// Every value of the month against the day before, day by day in table order.
fn day_readings(conn: &Connection, month: Month) -> rusqlite::Result<Vec<DayReading>> {
    let values = readings::values_between(conn, month.first() - Duration::days(1), month.last())?;
    let metrics = readings::metrics(conn)?;
    let mut out = Vec::new();
    let mut day = month.first();
    while day <= month.last() {
        for metric in &metrics {
            let Some(series) = values.get(&metric.id) else {
                continue;
            };
            let on = |d: NaiveDate| series.iter().find(|(at, _)| *at == d).map(|(_, v)| *v);
            let Some(value) = on(day) else {
                continue;
            };
            let base = Base::PreviousDay.value(day, series);
            out.push(DayReading {
                day,
                row: CompareRow {
                    comparison: compare(&metric.rule(), base, Some(value)),
                    metric: metric.clone(),
                    trend: Vec::new(),
                },
            });
        }
        day += Duration::days(1);
    }
    Ok(out)
}
