//! The repair list: which tickets a filter shows, counted and read one window at a time (open
//! tickets first, then newest first), so a million tickets cost no more than the screenful.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use rusqlite::types::Value;

use super::{parse_time, time_text};
use crate::db::paging::Place;
use crate::db::search;
use crate::db::sort::{self, Sort};
use crate::domain::repair::{Priority, State, Timeliness, timeliness};

/// Which tickets by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StateFilter {
    #[default]
    All,
    Open,
    /// Closed or unrepairable.
    Closed,
    /// Open and past the estimate.
    Late,
    Only(State),
}

impl StateFilter {
    /// The key the filter picker and the command line use.
    pub fn key(self) -> &'static str {
        match self {
            StateFilter::All => "all",
            StateFilter::Open => "open",
            StateFilter::Closed => "closed",
            StateFilter::Late => "late",
            StateFilter::Only(state) => state.key(),
        }
    }

    pub fn parse(text: &str) -> Option<StateFilter> {
        match text.trim() {
            "all" => Some(StateFilter::All),
            "open" => Some(StateFilter::Open),
            "closed" => Some(StateFilter::Closed),
            "late" => Some(StateFilter::Late),
            other => State::parse(other).map(StateFilter::Only),
        }
    }
}

/// Which tickets the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Words typed after `/`: every word must appear in one of the ticket's text fields.
    pub search: String,
    pub state: StateFilter,
    pub device_id: Option<i64>,
    pub maintainer: Option<String>,
    /// Reported in the month starting on this day.
    pub month: Option<NaiveDate>,
    /// Open at any time in the month (or week): reported before it ends and not closed
    /// before it starts (the report pack's tickets).
    pub open_in: Option<crate::domain::month::Month>,
    /// By a column of [`SORTS`] instead of open first, newest first.
    pub sort: Sort,
}

/// The columns the repair list can be sorted by.
pub const SORTS: &[sort::Column] = &[
    ("ticket", "ticket"),
    ("state", "state"),
    ("device", "device_text"),
    ("maintainer", "maintainer"),
    ("reported", "reported_at"),
    ("estimate", "estimate_at"),
];

impl ListQuery {
    /// The FROM and WHERE clauses and their arguments. `now` decides which open tickets are
    /// late. A rare word reads only the tickets the trigram index names, in that index's
    /// order (the CROSS JOIN keeps it first); otherwise the list's own index is scanned.
    fn filter(
        &self,
        conn: &Connection,
        now: NaiveDateTime,
    ) -> rusqlite::Result<(String, Vec<Value>)> {
        let words: Vec<&str> = self.search.split_whitespace().collect();
        let mut args: Vec<Value> = Vec::new();
        let mut sql = match search::rare_trigrams(conn, "repairs_search", &words)? {
            Some(rare) => {
                args.push(rare.into());
                String::from(
                    " FROM repairs_search CROSS JOIN repairs ON repairs.id = repairs_search.rowid
                     WHERE repairs_search MATCH ? AND retired_at IS NULL",
                )
            }
            None => String::from(" FROM repairs WHERE retired_at IS NULL"),
        };
        match self.state {
            StateFilter::All => {}
            StateFilter::Open => sql.push_str(" AND is_open"),
            StateFilter::Closed => sql.push_str(" AND NOT is_open"),
            StateFilter::Late => {
                sql.push_str(" AND is_open AND finished_at IS NULL AND estimate_at < ?");
                args.push(time_text(now).into());
            }
            StateFilter::Only(state) => {
                sql.push_str(" AND state = ?");
                args.push(state.key().to_owned().into());
            }
        }
        if let Some(id) = self.device_id {
            sql.push_str(" AND device_id = ?");
            args.push(id.into());
        }
        if let Some(name) = &self.maintainer {
            sql.push_str(" AND maintainer = ?");
            args.push(name.clone().into());
        }
        if let Some(first) = self.month {
            let next = crate::domain::month::Month::of(first).next().first();
            sql.push_str(" AND reported_at >= ? AND reported_at < ?");
            args.push(first.to_string().into());
            args.push(next.to_string().into());
        }
        if let Some(span) = self.open_in {
            let (first, next) = (span.first(), span.next().first());
            sql.push_str(" AND reported_at < ? AND (closed_at IS NULL OR closed_at >= ?)");
            args.push(next.to_string().into());
            args.push(first.to_string().into());
        }
        for word in words {
            sql.push_str(" AND instr(repairs.search_text, lower(?)) > 0");
            args.push(word.to_owned().into());
        }
        Ok((sql, args))
    }
}

/// A ticket as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub id: i64,
    pub ticket: String,
    pub state: State,
    pub priority: Priority,
    pub device_text: String,
    pub description: String,
    pub department: String,
    pub maintainer: String,
    pub reported_at: NaiveDateTime,
    pub estimate_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    /// Opened from a failed checklist item.
    pub from_check: bool,
}

impl ListRow {
    pub fn timeliness(&self, now: NaiveDateTime) -> Timeliness {
        timeliness(self.state, self.estimate_at, self.finished_at, now)
    }
}

/// How many tickets the query shows.
pub fn count(conn: &Connection, query: &ListQuery, now: NaiveDateTime) -> rusqlite::Result<usize> {
    let (filter, args) = query.filter(conn, now)?;
    let sql = format!("SELECT count(*){filter}");
    conn.prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(args), |r| r.get::<_, i64>(0))
        .map(|n| n as usize)
}

/// `limit` tickets of the list (open first, then newest first) from `place`, in list order.
/// Past a ticket, the read starts at that ticket's place in the index (a keyset), not counted
/// from the list's start: a step down a filter whose matches lie deep in ten years of tickets
/// costs what a step at its top does.
pub fn rows(
    conn: &Connection,
    query: &ListQuery,
    now: NaiveDateTime,
    place: Place,
    limit: usize,
) -> rusqlite::Result<Vec<ListRow>> {
    match place {
        Place::Down { offset, of } => match of.and_then(|n| Place::nearer_end(offset, limit, n)) {
            Some((below, limit)) => read_back(conn, query, now, Start::Offset(below), limit),
            None => read(conn, query, now, Start::Offset(offset), limit, false),
        },
        Place::End => read_back(conn, query, now, Start::Offset(0), limit),
        Place::After(id) => read(conn, query, now, Start::Beyond(id), limit, false),
        Place::Before(id) => read_back(conn, query, now, Start::Beyond(id), limit),
    }
}

/// Where a read starts, in its direction: skipping rows, or past a ticket.
#[derive(Debug, Clone, Copy)]
enum Start {
    Offset(usize),
    Beyond(i64),
}

/// `limit` rows read towards the list's start, returned in list order.
fn read_back(
    conn: &Connection,
    query: &ListQuery,
    now: NaiveDateTime,
    start: Start,
    limit: usize,
) -> rusqlite::Result<Vec<ListRow>> {
    let mut rows = read(conn, query, now, start, limit, true)?;
    rows.reverse();
    Ok(rows)
}

/// `limit` rows in list order, or in reverse list order (`from_end`).
fn read(
    conn: &Connection,
    query: &ListQuery,
    now: NaiveDateTime,
    start: Start,
    limit: usize,
    from_end: bool,
) -> rusqlite::Result<Vec<ListRow>> {
    let (mut filter, mut args) = query.filter(conn, now)?;
    let sorted = query.sort.order(SORTS, "id", from_end);
    let offset = match (start, query.sort.expression(SORTS)) {
        (Start::Offset(offset), _) => offset,
        (Start::Beyond(id), Some(expr)) => {
            // The ticket's value in the sorted column, as stored, and its id after it.
            let value: rusqlite::types::Value = conn
                .prepare_cached(&format!("SELECT {expr} FROM repairs WHERE id = ?1"))?
                .query_row([id], |r| r.get(0))?;
            let beyond = query.sort.beyond(from_end);
            filter.push_str(&format!(" AND ({expr}, repairs.id) {beyond} (?, ?)"));
            args.extend([value, id.into()]);
            0
        }
        (Start::Beyond(id), None) => {
            // The ticket's own sort key, as stored: bound as values, the index range starts
            // at it (compared with a subquery, SQLite would walk from the first open ticket).
            let (is_open, reported_at): (i64, String) = conn
                .prepare_cached("SELECT is_open, reported_at FROM repairs WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let beyond = if from_end { ">" } else { "<" };
            filter.push_str(&format!(
                " AND (is_open, reported_at, repairs.id) {beyond} (?, ?, ?)"
            ));
            args.extend([is_open.into(), reported_at.into(), id.into()]);
            0
        }
    };
    let order = sorted.unwrap_or_else(|| {
        if from_end {
            "is_open, reported_at, id".to_owned()
        } else {
            "is_open DESC, reported_at DESC, id DESC".to_owned()
        }
    });
    let sql = format!(
        "SELECT id, ticket, state, priority, device_text, description, department, maintainer,
             reported_at, estimate_at, finished_at, check_result_id IS NOT NULL{filter}
         ORDER BY {order} LIMIT ? OFFSET ?"
    );
    args.push((limit as i64).into());
    args.push((offset as i64).into());
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        let time = |i: usize| -> rusqlite::Result<Option<NaiveDateTime>> {
            Ok(r.get::<_, Option<String>>(i)?.and_then(|t| parse_time(&t)))
        };
        Ok(ListRow {
            id: r.get(0)?,
            ticket: r.get(1)?,
            state: State::parse(&r.get::<_, String>(2)?).unwrap_or(State::Reported),
            priority: Priority::parse(&r.get::<_, String>(3)?).unwrap_or(Priority::Normal),
            device_text: r.get(4)?,
            description: r.get(5)?,
            department: r.get(6)?,
            maintainer: r.get(7)?,
            reported_at: time(8)?.unwrap_or_default(),
            estimate_at: time(9)?,
            finished_at: time(10)?,
            from_check: r.get(11)?,
        })
    })?;
    rows.collect()
}

/// How many tickets were reported at or after `from`.
pub fn reported_since(conn: &Connection, from: NaiveDateTime) -> rusqlite::Result<usize> {
    conn.prepare_cached("SELECT count(*) FROM repairs WHERE reported_at >= ?1")?
        .query_row([time_text(from)], |r| r.get::<_, i64>(0))
        .map(|n| n as usize)
}

/// Open tickets past their estimate: what the status bar counts.
pub fn late_count(conn: &Connection, now: NaiveDateTime) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "SELECT count(*) FROM repairs INDEXED BY repairs_open_by_estimate
         WHERE is_open AND estimate_at < ?1 AND finished_at IS NULL",
    )?
    .query_row([time_text(now)], |r| r.get::<_, i64>(0))
    .map(|n| n as usize)
}

/// Everyone who has been a maintainer on a ticket, for the filter.
pub fn maintainers(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT maintainer FROM repairs INDEXED BY repairs_by_maintainer
         WHERE maintainer <> '' ORDER BY maintainer",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}
