//! Inspection runs in SQLite: what is due and missed, answering items, the run log, sign-off
//! (which locks the run) and amendments.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Stamp;
use super::checklists::{self, Checklist, ITEM_COLUMNS, item_from_row};
use super::device_log::{self, EventKind, NewEvent};
use super::devices;
use crate::db::stamped;
use crate::domain::calendar::WorkCalendar;
use crate::domain::checklist::{Answer, DeviceSet, Item, ItemKind, Outcome};
use crate::domain::period;
use crate::domain::schedule::{DueTime, Timing};

/// How far one run has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSummary {
    pub id: i64,
    pub answered: usize,
    pub total: usize,
    pub failed: usize,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
}

impl RunSummary {
    pub fn is_signed(&self) -> bool {
        self.signed_at.is_some()
    }

    /// Something was answered or it was signed: opening a run and leaving does not start it.
    pub fn is_started(&self) -> bool {
        self.answered > 0 || self.is_signed()
    }
}

/// The run of a template for the current period, started or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub checklist: Checklist,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// When the run is due, for a template with a weekday or a window.
    pub due: Option<DueTime>,
    /// `None` until someone opens it.
    pub run: Option<RunSummary>,
    /// Items the template asks today (the total of a run not started yet).
    pub item_count: usize,
}

impl Due {
    pub fn answered(&self) -> usize {
        self.run.as_ref().map_or(0, |r| r.answered)
    }

    pub fn total(&self) -> usize {
        self.run.as_ref().map_or(self.item_count, |r| r.total)
    }

    pub fn is_signed(&self) -> bool {
        self.run.as_ref().is_some_and(RunSummary::is_signed)
    }

    /// Not signed, and its day has come: what the status bar counts. A Friday-afternoon run
    /// is shown all week but open only from Friday.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        !self.is_signed() && self.due.is_none_or(|d| d.day() <= today)
    }
}

/// A period that passed with no signed run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missed {
    pub checklist: Checklist,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Started but never signed (answers are kept), or never opened.
    pub run: Option<RunSummary>,
}

fn summary(
    conn: &Connection,
    checklist_id: i64,
    start: NaiveDate,
) -> rusqlite::Result<Option<RunSummary>> {
    conn.prepare_cached(
        "SELECT r.id, r.signed_at, r.signed_by,
             (SELECT count(*) FROM check_results x WHERE x.run_id = r.id AND x.outcome IS NOT NULL),
             (SELECT count(*) FROM check_results x WHERE x.run_id = r.id),
             (SELECT count(*) FROM check_results x WHERE x.run_id = r.id AND x.outcome = 'fail')
         FROM check_runs r WHERE r.checklist_id = ?1 AND r.period_start = ?2",
    )?
    .query_row(params![checklist_id, start.to_string()], |r| {
        Ok(RunSummary {
            id: r.get(0)?,
            signed_at: r.get(1)?,
            signed_by: r.get(2)?,
            answered: r.get::<_, i64>(3)? as usize,
            total: r.get::<_, i64>(4)? as usize,
            failed: r.get::<_, i64>(5)? as usize,
        })
    })
    .optional()
}

/// The devices of the register an item's set stands for now: neither scrapped nor lost, of
/// the set's category, in its room (the location begins with the room's name), as SQL with
/// its two parameters `?1` and `?2` (and `?3`, the room's end). Written so that the register's
/// list indexes by category and by location answer it.
fn device_set_sql(set: &DeviceSet) -> String {
    let mut sql = String::from(
        "SELECT d.id FROM devices d
         WHERE d.retired_at IS NULL AND d.status <> 'scrapped' AND d.status <> 'lost'",
    );
    // Every parameter is named either way, so the statement always takes all three.
    sql.push_str(match set.category {
        Some(_) => " AND d.category = ?1",
        None => " AND ?1 = ''",
    });
    sql.push_str(match set.room {
        Some(_) => " AND d.location >= ?2 AND d.location < ?3",
        None => " AND ?2 = '' AND ?3 IS NOT NULL",
    });
    sql
}

/// `?1` the category, `?2` the room, `?3` past every location beginning with the room.
fn set_params(set: &DeviceSet) -> (&'static str, String, String) {
    let room = set.room.clone().unwrap_or_default();
    (
        set.category.map_or("", |c| c.key()),
        format!("{room}{}", char::MAX),
        room,
    )
}

/// Lines a run of the template would have if opened now: one per item, or one per device of
/// an item's set (each set counted once).
fn item_count(conn: &Connection, checklist_id: i64) -> rusqlite::Result<usize> {
    let mut count = 0;
    let mut counted: Vec<(DeviceSet, usize)> = Vec::new();
    for stored in checklists::items(conn, checklist_id)? {
        count += match &stored.item.devices {
            None => 1,
            Some(set) => match counted.iter().find(|(s, _)| s == set) {
                Some((_, n)) => *n,
                None => {
                    let (category, end, room) = set_params(set);
                    let n = conn
                        .prepare_cached(&format!("SELECT count(*) FROM ({})", device_set_sql(set)))?
                        .query_row(params![category, room, end], |r| r.get::<_, i64>(0))?
                        as usize;
                    counted.push((set.clone(), n));
                    n
                }
            },
        };
    }
    Ok(count)
}

/// Every template's run for the period holding `today`, in template order.
pub fn due(conn: &Connection, today: NaiveDate) -> rusqlite::Result<Vec<Due>> {
    let calendar = super::calendar::work_calendar(conn)?;
    checklists::list(conn)?
        .into_iter()
        // A working-day list is not due on a weekend or a holiday.
        .filter(|checklist| checklist.period.runs_on(today, &calendar))
        .map(|checklist| {
            let start = checklist.period.start_of(today, &calendar);
            Ok(Due {
                run: summary(conn, checklist.id, start)?,
                item_count: item_count(conn, checklist.id)?,
                period_start: start,
                period_end: checklist.period.last_day(start, &calendar),
                due: checklist.schedule.due(start, &calendar),
                checklist,
            })
        })
        .collect()
}

/// The templates not due today because it is a rest day for them (a working-day list on a
/// weekend or a holiday), in template order.
pub fn resting(conn: &Connection, today: NaiveDate) -> rusqlite::Result<Vec<Checklist>> {
    let calendar = super::calendar::work_calendar(conn)?;
    Ok(checklists::list(conn)?
        .into_iter()
        .filter(|checklist| !checklist.period.runs_on(today, &calendar))
        .collect())
}

/// Every past period with no signed run, newest first.
pub fn missed(conn: &Connection, today: NaiveDate) -> rusqlite::Result<Vec<Missed>> {
    let calendar = super::calendar::work_calendar(conn)?;
    let mut out = Vec::new();
    for checklist in checklists::list(conn)? {
        // Most lists were signed every period: one count through the index says so, and
        // only a list with gaps has its signed periods read and walked.
        let (first, current) = (
            checklist.period.start_of(checklist.active_from, &calendar),
            checklist.period.start_of(today, &calendar),
        );
        let signed_count: i64 = conn
            .prepare_cached(
                "SELECT count(*) FROM check_runs INDEXED BY check_runs_signed_periods
                 WHERE checklist_id = ?1 AND signed_at IS NOT NULL
                   AND period_start >= ?2 AND period_start < ?3
                   -- Only runs on a period start count (a list's period can be changed).
                   AND CASE ?4 WHEN 'week' THEN strftime('%w', period_start) = '1'
                               WHEN 'month' THEN substr(period_start, 9) = '01'
                               WHEN 'quarter'
                                   THEN substr(period_start, 6) IN ('01-01', '04-01', '07-01', '10-01')
                               WHEN 'year' THEN substr(period_start, 6) = '01-01'
                               ELSE 1 END",
            )?
            .query_row(
                params![
                    checklist.id,
                    first.to_string(),
                    current.to_string(),
                    checklist.period.key()
                ],
                |r| r.get(0),
            )?;
        if usize::try_from(signed_count).ok()
            == Some(period::past_count(
                checklist.period,
                checklist.active_from,
                today,
                &calendar,
            ))
        {
            continue;
        }
        let signed: BTreeSet<NaiveDate> = conn
            .prepare_cached(
                "SELECT period_start FROM check_runs
                 WHERE checklist_id = ?1 AND signed_at IS NOT NULL",
            )?
            .query_map([checklist.id], |r| r.get::<_, String>(0))?
            .filter_map(|d| d.ok().and_then(|d| d.parse().ok()))
            .collect();
        let (active, period) = (checklist.active_from, checklist.period);
        for start in period::missed(period, active, today, &signed, &calendar) {
            out.push(Missed {
                run: summary(conn, checklist.id, start)?,
                checklist: checklist.clone(),
                period_start: start,
                period_end: period.last_day(start, &calendar),
            });
        }
    }
    out.sort_by_key(|m| std::cmp::Reverse(m.period_start));
    Ok(out)
}

/// Runs due now and not signed, and missed periods: what the status bar and `checks status`
/// count.
pub fn open_counts(conn: &Connection, today: NaiveDate) -> rusqlite::Result<(usize, usize)> {
    let open = due(conn, today)?
        .iter()
        .filter(|d| d.is_open(today))
        .count();
    Ok((open, missed(conn, today)?.len()))
}

/// The run of `checklist_id` for the period starting `start`, made if it does not exist yet.
/// An unsigned run is brought in line with the template: new items are added, and unanswered
/// items the template no longer asks are dropped. Call inside a transaction.
pub fn open(
    conn: &Connection,
    checklist_id: i64,
    start: NaiveDate,
    stamp: &Stamp,
) -> rusqlite::Result<i64> {
    let at = stamp.at_text();
    // The period and the time the run is held to are fixed when it is opened.
    let calendar = super::calendar::work_calendar(conn)?;
    let (period_end, due) = match checklists::get(conn, checklist_id)? {
        Some(c) => (
            Some(c.period.last_day(start, &calendar).to_string()),
            c.schedule.due(start, &calendar),
        ),
        None => (None, None),
    };
    conn.prepare_cached(
        "INSERT INTO check_runs (checklist_id, period_start, period_end, due_from, due_until,
             created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?5, ?6, ?7, ?3, ?4, ?3, ?4)
         ON CONFLICT (checklist_id, period_start) DO NOTHING",
    )?
    .execute(params![
        checklist_id,
        start.to_string(),
        at,
        stamp.by,
        period_end,
        due.map(|d| DueTime::text(d.from)),
        due.map(|d| DueTime::text(d.until))
    ])?;
    let (run_id, signed): (i64, bool) = conn
        .prepare_cached(
            "SELECT id, signed_at IS NOT NULL FROM check_runs
             WHERE checklist_id = ?1 AND period_start = ?2",
        )?
        .query_row(params![checklist_id, start.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    if signed {
        return Ok(run_id);
    }
    // Unanswered items of retired template lines leave the run; stamped first, so the audit
    // log records who took them out.
    let retired_items = "run_id = ?1 AND outcome IS NULL AND item_id IN
             (SELECT id FROM checklist_items WHERE retired_at IS NOT NULL)";
    conn.prepare_cached(&format!(
        "UPDATE check_results SET updated_at = ?2, updated_by = ?3 WHERE {retired_items}"
    ))?
    .execute(params![run_id, at, stamp.by])?;
    conn.prepare_cached(&format!("DELETE FROM check_results WHERE {retired_items}"))?
        .execute([run_id])?;
    conn.prepare_cached(
        "INSERT INTO check_results (run_id, item_id, position, created_at, created_by,
             updated_at, updated_by)
         SELECT ?1, i.id, i.position, ?2, ?3, ?2, ?3 FROM checklist_items i
         WHERE i.checklist_id = ?4 AND i.retired_at IS NULL AND i.devices = ''
           AND NOT EXISTS (SELECT 1 FROM check_results x JOIN checklist_items xi ON xi.id = x.item_id
                           WHERE x.run_id = ?1 AND xi.code = i.code COLLATE NOCASE)",
    )?
    .execute(params![run_id, at, stamp.by, checklist_id])?;
    // An item standing for a set of devices opens into a line for each device of the set not
    // in the run yet: one added to the register while the run is open joins it.
    for stored in checklists::items(conn, checklist_id)? {
        let Some(set) = &stored.item.devices else {
            continue;
        };
        let (category, end, room) = set_params(set);
        conn.prepare_cached(&format!(
            "INSERT INTO check_results (run_id, item_id, position, device_id, created_at,
                 created_by, updated_at, updated_by)
             SELECT ?4, ?5, (SELECT position FROM checklist_items WHERE id = ?5), d.id, ?6, ?7,
                 ?6, ?7
             FROM ({}) d
             WHERE NOT EXISTS (SELECT 1 FROM check_results x
                 JOIN checklist_items xi ON xi.id = x.item_id
                 WHERE x.run_id = ?4 AND x.device_id = d.id AND xi.code = ?8 COLLATE NOCASE)",
            device_set_sql(set)
        ))?
        .execute(params![
            category,
            room,
            end,
            run_id,
            stored.id,
            at,
            stamp.by,
            stored.item.code
        ])?;
    }
    // Keep the run in the template's order.
    conn.prepare_cached(
        "UPDATE check_results SET position = (SELECT i.position FROM checklist_items i
             WHERE i.id = check_results.item_id), updated_at = ?2, updated_by = ?3,
             row_version = row_version + 1
         WHERE run_id = ?1 AND outcome IS NULL AND position IS NOT
             (SELECT i.position FROM checklist_items i WHERE i.id = check_results.item_id)",
    )?
    .execute(params![run_id, at, stamp.by])?;
    Ok(run_id)
}

/// A correction appended to a signed run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    pub outcome: Option<Outcome>,
    pub value: String,
    pub note: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// One item of a run, with what was answered and what the previous period answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub result_id: i64,
    pub item: Item,
    /// The device of the item's set this line is about.
    pub device: Option<LineDevice>,
    pub outcome: Option<Outcome>,
    pub value: String,
    pub note: String,
    pub answered_by: Option<String>,
    pub repair_wanted: bool,
    /// Corrections after sign-off, oldest first; the last one is what stands.
    pub amendments: Vec<Amendment>,
    /// The previous period's result for the item with the same code.
    pub previous: Option<(Outcome, String)>,
}

/// The device a line of a per-device item is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDevice {
    pub id: i64,
    pub tag: String,
    pub name: String,
}

impl Line {
    /// The result that stands: the latest amendment, or the answer.
    pub fn effective(&self) -> (Option<Outcome>, &str, &str) {
        match self.amendments.last() {
            Some(a) => (a.outcome, &a.value, &a.note),
            None => (self.outcome, &self.value, &self.note),
        }
    }
}

/// A run with its header.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: i64,
    pub checklist: Checklist,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// When it was due, for a template with a weekday or a window.
    pub due: Option<DueTime>,
    pub run_log: String,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    /// Additions to the run log after sign-off.
    pub log_amendments: Vec<Amendment>,
    pub lines: Vec<Line>,
}

impl Run {
    pub fn is_signed(&self) -> bool {
        self.signed_at.is_some()
    }

    pub fn answered(&self) -> usize {
        self.lines.iter().filter(|l| l.outcome.is_some()).count()
    }

    /// The first item with no answer, where the cursor goes.
    pub fn first_open(&self) -> Option<usize> {
        self.lines.iter().position(|l| l.outcome.is_none())
    }

    /// Signed early or late against its due time; `None` while unsigned or when it had none.
    pub fn timing(&self) -> Option<Timing> {
        timing_of(self.due, self.signed_at.as_deref())
    }
}

/// How a signature at `signed_at` stands against `due`.
pub fn timing_of(due: Option<DueTime>, signed_at: Option<&str>) -> Option<Timing> {
    let signed = signed_at?.get(..16)?;
    let at = chrono::NaiveDateTime::parse_from_str(signed, "%Y-%m-%d %H:%M").ok()?;
    Some(due?.timing(at))
}

/// The last day of the period a run was held to: as stored when it was opened, or, for a run
/// opened before version 21, by today's calendar.
fn period_end_of(
    checklist: &Checklist,
    start: NaiveDate,
    stored: Option<String>,
    calendar: &WorkCalendar,
) -> NaiveDate {
    stored
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| checklist.period.last_day(start, calendar))
}

fn amendments(conn: &Connection, run_id: i64) -> rusqlite::Result<Vec<(Option<i64>, Amendment)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT result_id, outcome, value, note, reason, created_by, created_at
         FROM check_amendments WHERE run_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([run_id], |r| {
        let outcome: Option<String> = r.get(1)?;
        Ok((
            r.get(0)?,
            Amendment {
                outcome: outcome.as_deref().and_then(Outcome::parse),
                value: r.get(2)?,
                note: r.get(3)?,
                reason: r.get(4)?,
                by: r.get(5)?,
                at: r.get(6)?,
            },
        ))
    })?;
    rows.collect()
}

/// An item's code (lower case), its device for a per-device line, the outcome and the value.
type PreviousResult = (String, Option<i64>, Outcome, String);

/// Previous period's results of a checklist, by item code (lower case).
fn previous_results(
    conn: &Connection,
    checklist: &Checklist,
    start: NaiveDate,
    calendar: &WorkCalendar,
) -> rusqlite::Result<Vec<PreviousResult>> {
    let previous = checklist.period.previous(start, calendar);
    let mut stmt = conn.prepare_cached(
        "SELECT lower(i.code), x.outcome, x.value, x.device_id FROM check_results x
         JOIN check_runs r ON r.id = x.run_id JOIN checklist_items i ON i.id = x.item_id
         WHERE r.checklist_id = ?1 AND r.period_start = ?2 AND x.outcome IS NOT NULL",
    )?;
    let rows = stmt.query_map(params![checklist.id, previous.to_string()], |r| {
        let outcome: String = r.get(1)?;
        Ok((
            r.get(0)?,
            r.get(3)?,
            Outcome::parse(&outcome).unwrap_or(Outcome::Pass),
            r.get(2)?,
        ))
    })?;
    rows.collect()
}

/// A whole run, in item order.
pub fn load(conn: &Connection, run_id: i64) -> rusqlite::Result<Option<Run>> {
    let head = conn
        .prepare_cached(
            "SELECT checklist_id, period_start, run_log, signed_at, signed_by, period_end,
                 due_from, due_until FROM check_runs
             WHERE id = ?1",
        )?
        .query_row([run_id], |r| {
            Ok((
                (
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ),
                (
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ),
            ))
        })
        .optional()?;
    let Some(((checklist_id, start, run_log, signed_at, signed_by), (end, from, until))) = head
    else {
        return Ok(None);
    };
    let Some(checklist) = checklists::get(conn, checklist_id)? else {
        return Ok(None);
    };
    let period_start: NaiveDate = start.parse().unwrap_or(NaiveDate::MIN);
    let calendar = super::calendar::work_calendar(conn)?;
    let period_end = period_end_of(&checklist, period_start, end, &calendar);
    let due = from.zip(until).and_then(|(f, u)| DueTime::parse(&f, &u));
    let previous = previous_results(conn, &checklist, period_start, &calendar)?;
    let mut corrections = amendments(conn, run_id)?;
    let sql = format!(
        "SELECT x.id, x.outcome, x.value, x.note, x.answered_by, x.repair_wanted, {ITEM_COLUMNS},
             x.device_id, d.asset_tag, d.name
         FROM check_results x JOIN checklist_items i ON i.id = x.item_id
         LEFT JOIN devices d ON d.id = x.device_id
         WHERE x.run_id = ?1 ORDER BY x.position, d.asset_tag, x.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let lines: Vec<Line> = stmt
        .query_map([run_id], |r| {
            let outcome: Option<String> = r.get(1)?;
            Ok(Line {
                result_id: r.get(0)?,
                outcome: outcome.as_deref().and_then(Outcome::parse),
                value: r.get(2)?,
                note: r.get(3)?,
                answered_by: r.get(4)?,
                repair_wanted: r.get(5)?,
                item: item_from_row(r, 6)?,
                device: match r.get::<_, Option<i64>>(18)? {
                    Some(id) => Some(LineDevice {
                        id,
                        tag: r.get::<_, Option<String>>(19)?.unwrap_or_default(),
                        name: r.get::<_, Option<String>>(20)?.unwrap_or_default(),
                    }),
                    None => None,
                },
                amendments: Vec::new(),
                previous: None,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let lines = lines
        .into_iter()
        .map(|mut line| {
            let code = line.item.code.to_lowercase();
            let device = line.device.as_ref().map(|d| d.id);
            line.previous = previous
                .iter()
                .find(|(c, d, _, _)| *c == code && *d == device)
                .map(|(_, _, o, v)| (*o, v.clone()));
            line.amendments = corrections
                .iter()
                .filter(|(id, _)| *id == Some(line.result_id))
                .map(|(_, a)| a.clone())
                .collect();
            line
        })
        .collect();
    corrections.retain(|(id, _)| id.is_none());
    Ok(Some(Run {
        id: run_id,
        checklist,
        period_start,
        period_end,
        due,
        run_log,
        signed_at,
        signed_by,
        log_amendments: corrections.into_iter().map(|(_, a)| a).collect(),
        lines,
    }))
}

/// Why an answer, a log or a sign-off was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The run is signed: corrections are amendments.
    Signed,
    NoteRequired,
    ReasonRequired,
    /// Sign-off with items left unanswered.
    Unanswered(usize),
    /// Sign-off of a run that carries a log, with the log empty.
    LogMissing,
    NotFound,
    Db(String),
    Text(crate::domain::text::TextError),
}

impl From<rusqlite::Error> for RunError {
    fn from(e: rusqlite::Error) -> RunError {
        RunError::Db(e.to_string())
    }
}

fn run_of_result(conn: &Connection, result_id: i64) -> Result<(i64, bool), RunError> {
    conn.prepare_cached(
        "SELECT r.id, r.signed_at IS NOT NULL FROM check_results x
         JOIN check_runs r ON r.id = x.run_id WHERE x.id = ?1",
    )?
    .query_row([result_id], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()?
    .ok_or(RunError::NotFound)
}

fn run_signed(conn: &Connection, run_id: i64) -> Result<bool, RunError> {
    conn.prepare_cached("SELECT signed_at IS NOT NULL FROM check_runs WHERE id = ?1")?
        .query_row([run_id], |r| r.get(0))
        .optional()?
        .ok_or(RunError::NotFound)
}

/// The typed parts of an answer (and a correction's reason): plain text of sane length.
fn answer_texts(answer: &Answer, reason: &str) -> Result<(), RunError> {
    use crate::domain::text::{Kind, first_error};
    match first_error(&[
        ("text_field.value", &answer.value, Kind::Line, 100),
        ("text_field.note", &answer.note, Kind::Lines, 500),
        ("text_field.reason", reason, Kind::Lines, 500),
    ]) {
        Some(e) => Err(RunError::Text(e)),
        None => Ok(()),
    }
}

/// Record the answer to one item of an unsigned run. A failure on an item that names a device
/// also goes into that device's history book. Call inside a transaction.
pub fn answer(
    conn: &Connection,
    result_id: i64,
    answer: &Answer,
    stamp: &Stamp,
) -> Result<(), RunError> {
    let (_, signed) = run_of_result(conn, result_id)?;
    if signed {
        return Err(RunError::Signed);
    }
    if answer.needs_note() {
        return Err(RunError::NoteRequired);
    }
    answer_texts(answer, "")?;
    let at = stamp.at_text();
    conn.prepare_cached(
        "UPDATE check_results SET outcome = ?2, value = ?3, note = ?4, answered_at = ?5,
             answered_by = ?6, updated_at = ?5, updated_by = ?6, row_version = row_version + 1
         WHERE id = ?1",
    )?
    .execute(params![
        result_id,
        answer.outcome.key(),
        answer.value.trim(),
        answer.note.trim(),
        at,
        stamp.by
    ])?;
    if answer.outcome == Outcome::Fail {
        note_in_history_book(conn, result_id, answer, stamp)?;
    }
    Ok(())
}

fn note_in_history_book(
    conn: &Connection,
    result_id: i64,
    answer: &Answer,
    stamp: &Stamp,
) -> Result<(), RunError> {
    let Some((device, code)) = device_of_line(conn, result_id)? else {
        return Ok(());
    };
    let value = if answer.value.is_empty() {
        String::new()
    } else {
        format!(" [{}]", answer.value)
    };
    let mut event = NewEvent::new(EventKind::Inspection, stamp.at.date());
    event.reason = format!("{code}{value}: {}", answer.note.trim());
    device_log::append(conn, device, &event, &[], stamp)?;
    Ok(())
}

/// The device a line is about (its own, for a per-device line, or the one its item names) and
/// the item's code.
fn device_of_line(conn: &Connection, result_id: i64) -> rusqlite::Result<Option<(i64, String)>> {
    let found: Option<(Option<i64>, String, String)> = conn
        .prepare_cached(
            "SELECT x.device_id, i.device_tag, i.code FROM check_results x
             JOIN checklist_items i ON i.id = x.item_id WHERE x.id = ?1",
        )?
        .query_row([result_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((device_id, tag, code)) = found else {
        return Ok(None);
    };
    let device = match device_id {
        Some(id) => Some(id),
        None if tag.is_empty() => None,
        None => devices::by_tag(conn, &tag)?.map(|d| d.id),
    };
    Ok(device.map(|id| (id, code)))
}

/// Mark every unanswered pass/fail item of the run as passed. Returns how many.
pub fn pass_remaining(conn: &Connection, run_id: i64, stamp: &Stamp) -> Result<usize, RunError> {
    if run_signed(conn, run_id)? {
        return Err(RunError::Signed);
    }
    let at = stamp.at_text();
    let n = conn
        .prepare_cached(
            "UPDATE check_results SET outcome = 'pass', answered_at = ?2, answered_by = ?3,
                 updated_at = ?2, updated_by = ?3, row_version = row_version + 1
             WHERE run_id = ?1 AND outcome IS NULL AND item_id IN
                 (SELECT id FROM checklist_items WHERE kind = ?4)",
        )?
        .execute(params![run_id, at, stamp.by, ItemKind::PassFail.key()])?;
    Ok(n)
}

/// The operator asked for a repair of a failed item.
pub fn want_repair(conn: &Connection, result_id: i64, stamp: &Stamp) -> Result<(), RunError> {
    let (_, signed) = run_of_result(conn, result_id)?;
    if signed {
        return Err(RunError::Signed);
    }
    conn.prepare_cached(
        "UPDATE check_results SET repair_wanted = 1, updated_at = ?2, updated_by = ?3,
             row_version = row_version + 1
         WHERE id = ?1 AND outcome = 'fail'",
    )?
    .execute(params![result_id, stamp.at_text(), stamp.by])?;
    Ok(())
}

/// Write the run log of an unsigned run.
pub fn set_log(conn: &Connection, run_id: i64, text: &str, stamp: &Stamp) -> Result<(), RunError> {
    if run_signed(conn, run_id)? {
        return Err(RunError::Signed);
    }
    stamped::set(conn, "check_runs", "run_log", run_id, text.trim(), stamp)?;
    Ok(())
}

/// Sign the run off: every item answered, and the log written if the template has one. The run
/// is locked from then on.
/// Why `run` cannot be signed as it stands, if it cannot: checked before the operator is
/// asked to confirm, and again when the signature is written.
pub fn sign_refusal(run: &Run) -> Option<RunError> {
    if run.is_signed() {
        return Some(RunError::Signed);
    }
    let open = run.lines.len() - run.answered();
    if open > 0 {
        return Some(RunError::Unanswered(open));
    }
    if run.checklist.run_log && run.run_log.trim().is_empty() {
        return Some(RunError::LogMissing);
    }
    None
}

pub fn sign(conn: &Connection, run_id: i64, stamp: &Stamp) -> Result<(), RunError> {
    let run = load(conn, run_id)?.ok_or(RunError::NotFound)?;
    if let Some(refusal) = sign_refusal(&run) {
        return Err(refusal);
    }
    let at = stamp.at_text();
    conn.prepare_cached(
        "UPDATE check_runs SET signed_at = ?2, signed_by = ?3, updated_at = ?2, updated_by = ?3,
             row_version = row_version + 1
         WHERE id = ?1 AND signed_at IS NULL",
    )?
    .execute(params![run_id, at, stamp.by])?;
    // Each device line's result goes into its device's history book; a failure was written
    // there when it was answered.
    let label = run.checklist.period.label(run.period_start);
    for line in run.lines.iter().filter(|l| l.device.is_some()) {
        let (Some(device), Some(outcome)) = (&line.device, line.outcome) else {
            continue;
        };
        if outcome == Outcome::Fail {
            continue;
        }
        let mut event = NewEvent::new(EventKind::Inspection, stamp.at.date());
        let value = if line.value.is_empty() {
            String::new()
        } else {
            format!(" [{}]", line.value)
        };
        event.reason = format!(
            "{} {label} {}{value}: {}",
            run.checklist.code,
            line.item.code,
            outcome.key()
        );
        device_log::append(conn, device.id, &event, &[], stamp)?;
    }
    Ok(())
}

/// Append a correction to a signed run: to an item (`result_id`) or to the run log (`None`,
/// the text in `answer.note`).
pub fn amend(
    conn: &Connection,
    run_id: i64,
    result_id: Option<i64>,
    answer: &Answer,
    reason: &str,
    stamp: &Stamp,
) -> Result<(), RunError> {
    if !run_signed(conn, run_id)? {
        return Err(RunError::NotFound);
    }
    if reason.trim().is_empty() {
        return Err(RunError::ReasonRequired);
    }
    if result_id.is_some() && answer.needs_note() {
        return Err(RunError::NoteRequired);
    }
    answer_texts(answer, reason)?;
    let at = stamp.at_text();
    conn.prepare_cached(
        "INSERT INTO check_amendments (run_id, result_id, outcome, value, note, reason,
             created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
    )?
    .execute(params![
        run_id,
        result_id,
        result_id.map(|_| answer.outcome.key()),
        answer.value.trim(),
        answer.note.trim(),
        reason.trim(),
        at,
        stamp.by
    ])?;
    Ok(())
}

/// Failed items in runs of periods starting on or after `from` (amendments aside).
pub fn failures_since(conn: &Connection, from: NaiveDate) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "SELECT count(*) FROM check_results x JOIN check_runs r ON r.id = x.run_id
         WHERE r.period_start >= ?1 AND x.outcome = 'fail'",
    )?
    .query_row([from.to_string()], |r| r.get::<_, i64>(0))
    .map(|n| n as usize)
}

/// The run of a past or current period, if one was started.
pub fn find(
    conn: &Connection,
    checklist_id: i64,
    start: NaiveDate,
) -> rusqlite::Result<Option<i64>> {
    Ok(summary(conn, checklist_id, start)?.map(|s| s.id))
}

/// One run of a template, as the list of past runs shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastRun {
    pub id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Signed early or late against the time it was due.
    pub timing: Option<Timing>,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
    /// Items in the run, answered or not.
    pub total: usize,
}

impl PastRun {
    pub fn unanswered(&self) -> usize {
        self.total - self.passed - self.failed - self.not_applicable
    }
}

/// How many runs of a template were ever started.
pub fn past_count(conn: &Connection, checklist_id: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "SELECT count(*) FROM check_runs WHERE checklist_id = ?1 AND retired_at IS NULL",
    )?
    .query_row([checklist_id], |r| r.get::<_, i64>(0))
    .map(|n| n as usize)
}

/// `rows` runs of a template from `offset`, the newest period first, with their counts.
pub fn past_page(
    conn: &Connection,
    checklist_id: i64,
    offset: usize,
    rows: usize,
) -> rusqlite::Result<Vec<PastRun>> {
    let calendar = super::calendar::work_calendar(conn)?;
    let Some(checklist) = checklists::get(conn, checklist_id)? else {
        return Ok(Vec::new());
    };
    conn.prepare_cached(
        "SELECT r.id, r.period_start, r.signed_at, r.signed_by, r.period_end, r.due_from,
             r.due_until,
             (SELECT count(*) FROM check_results x WHERE x.run_id = r.id AND x.outcome = 'pass'),
             (SELECT count(*) FROM check_results x WHERE x.run_id = r.id AND x.outcome = 'fail'),
             (SELECT count(*) FROM check_results x WHERE x.run_id = r.id AND x.outcome = 'na'),
             (SELECT count(*) FROM check_results x WHERE x.run_id = r.id)
         FROM check_runs r WHERE r.checklist_id = ?1 AND r.retired_at IS NULL
         ORDER BY r.period_start DESC LIMIT ?2 OFFSET ?3",
    )?
    .query_map(
        params![
            checklist_id,
            rows.min(i64::MAX as usize) as i64,
            offset as i64
        ],
        |r| {
            let day: String = r.get(1)?;
            let count = |i| r.get::<_, i64>(i).map(|n| n as usize);
            let period_start: NaiveDate = day.parse().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?;
            let signed_at: Option<String> = r.get(2)?;
            let due = r
                .get::<_, Option<String>>(5)?
                .zip(r.get::<_, Option<String>>(6)?)
                .and_then(|(f, u)| DueTime::parse(&f, &u));
            Ok(PastRun {
                id: r.get(0)?,
                period_end: period_end_of(&checklist, period_start, r.get(4)?, &calendar),
                period_start,
                timing: timing_of(due, signed_at.as_deref()),
                signed_at,
                signed_by: r.get(3)?,
                passed: count(7)?,
                failed: count(8)?,
                not_applicable: count(9)?,
                total: count(10)?,
            })
        },
    )?
    .collect()
}

#[cfg(test)]
mod tests;
