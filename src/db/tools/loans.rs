//! The loan list: one row per tool lent (the 工具领用表 row set), open overdue loans first, then
//! the other open ones by due date, then the history newest first; counted and read a window
//! at a time.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};

use super::parse_day;
use crate::db::paging::Place;
use crate::db::sort::{self, Sort};
use crate::domain::tool::{Condition, days_overdue};

/// Who pays for a damaged or lost tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Liability {
    pub id: i64,
    pub liable_person: String,
    /// In fen.
    pub amount: i64,
    pub settled_at: Option<NaiveDateTime>,
    pub repair_ticket: Option<String>,
}

/// One tool of one requisition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanRow {
    pub item_id: i64,
    pub loan_id: i64,
    pub number: String,
    pub tool_id: i64,
    pub code: String,
    pub tool_name: String,
    pub spec: String,
    pub borrower: String,
    pub department: String,
    pub external: bool,
    pub approver: String,
    pub purpose: String,
    pub out_at: NaiveDateTime,
    pub condition_out: String,
    pub due_on: NaiveDate,
    pub returned_at: Option<NaiveDateTime>,
    pub condition_back: Option<Condition>,
    pub return_note: String,
    pub liability: Option<Liability>,
}

impl LoanRow {
    pub fn is_open(&self) -> bool {
        self.returned_at.is_none()
    }

    /// Days past due: while open, until today; once returned, on the day it came back.
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        let until = self.returned_at.map_or(today, |t| t.date());
        days_overdue(self.due_on, until)
    }
}

/// Which loans by where they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LoanFilter {
    #[default]
    All,
    Open,
    Overdue,
    Returned,
    /// Damaged or lost, not yet paid for.
    Unsettled,
}

impl LoanFilter {
    pub const ALL: [LoanFilter; 5] = [
        LoanFilter::All,
        LoanFilter::Open,
        LoanFilter::Overdue,
        LoanFilter::Returned,
        LoanFilter::Unsettled,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LoanFilter::All => "all",
            LoanFilter::Open => "open",
            LoanFilter::Overdue => "overdue",
            LoanFilter::Returned => "returned",
            LoanFilter::Unsettled => "unsettled",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            LoanFilter::All => "loans.all",
            LoanFilter::Open => "loans.open",
            LoanFilter::Overdue => "loans.overdue",
            LoanFilter::Returned => "loans.returned",
            LoanFilter::Unsettled => "loans.unsettled",
        }
    }

    pub fn parse(text: &str) -> Option<LoanFilter> {
        LoanFilter::ALL.into_iter().find(|f| f.key() == text)
    }
}

/// Which loans the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoanQuery {
    pub search: String,
    pub filter: LoanFilter,
    pub borrower: Option<String>,
    pub department: Option<String>,
    /// Lent in the month starting on this day.
    pub month: Option<NaiveDate>,
    /// One tool's history.
    pub tool_id: Option<i64>,
    /// Out at any time in the month (or week): lent before it ends and not back before it
    /// starts (the report pack's loans).
    pub active_in: Option<crate::domain::month::Month>,
    /// By a column of [`LOAN_SORTS`] instead of open first, then newest first.
    pub sort: Sort,
}

/// The columns the loan list can be sorted by.
pub const LOAN_SORTS: &[sort::Column] = &[
    ("number", "l.number"),
    ("out", "l.out_at"),
    ("code", "t.code"),
    ("borrower", "l.borrower"),
    ("department", "l.department"),
    ("due", "i.due_on"),
    ("returned", "i.returned_at"),
];

const COLUMNS: &str = "i.id, l.id, l.number, t.id, t.code, t.name, t.spec, l.borrower, \
    l.department, l.external, l.approver, l.purpose, l.out_at, l.condition_out, i.due_on, \
    i.returned_at, i.condition_back, i.return_note, b.id, b.liable_person, b.amount, \
    b.settled_at, r.ticket";

/// The tables a loan row is made of, the tools lent first.
const FROM: &str = " FROM tool_loan_items i JOIN tool_loans l ON l.id = i.loan_id";
/// The same, read requisition by requisition (SQLite keeps a CROSS JOIN's order).
const FROM_LOANS: &str = " FROM tool_loans l CROSS JOIN tool_loan_items i ON i.loan_id = l.id";
const JOINS: &str = " JOIN tools t ON t.id = i.tool_id
    LEFT JOIN tool_liabilities b ON b.item_id = i.id
    LEFT JOIN repairs r ON r.id = b.repair_id";

fn parse_time(text: Option<String>) -> Option<NaiveDateTime> {
    text.and_then(|t| NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S").ok())
}

fn loan_from_row(r: &Row) -> rusqlite::Result<LoanRow> {
    let liability = match r.get::<_, Option<i64>>(18)? {
        Some(id) => Some(Liability {
            id,
            liable_person: r.get(19)?,
            amount: r.get(20)?,
            settled_at: parse_time(r.get(21)?),
            repair_ticket: r.get(22)?,
        }),
        None => None,
    };
    Ok(LoanRow {
        item_id: r.get(0)?,
        loan_id: r.get(1)?,
        number: r.get(2)?,
        tool_id: r.get(3)?,
        code: r.get(4)?,
        tool_name: r.get(5)?,
        spec: r.get(6)?,
        borrower: r.get(7)?,
        department: r.get(8)?,
        external: r.get(9)?,
        approver: r.get(10)?,
        purpose: r.get(11)?,
        out_at: parse_time(r.get(12)?).unwrap_or_default(),
        condition_out: r.get(13)?,
        due_on: parse_day(&r.get::<_, String>(14)?),
        returned_at: parse_time(r.get(15)?),
        condition_back: r
            .get::<_, Option<String>>(16)?
            .and_then(|c| Condition::parse(&c)),
        return_note: r.get(17)?,
        liability,
    })
}

impl LoanQuery {
    /// The WHERE clause; its arguments start at `?2` (`?1` is today).
    fn filter(&self) -> (String, Vec<Value>) {
        // `?1` comes first, so the bare `?`s after it are numbered from 2.
        let mut sql = String::from(" WHERE ?1 IS NOT NULL AND l.retired_at IS NULL");
        let mut args: Vec<Value> = Vec::new();
        match self.filter {
            LoanFilter::All => {}
            LoanFilter::Open => sql.push_str(" AND i.returned_at IS NULL"),
            LoanFilter::Overdue => sql.push_str(" AND i.returned_at IS NULL AND i.due_on < ?1"),
            LoanFilter::Returned => sql.push_str(" AND i.returned_at IS NOT NULL"),
            LoanFilter::Unsettled => sql.push_str(" AND b.id IS NOT NULL AND b.settled_at IS NULL"),
        }
        if let Some(name) = &self.borrower {
            sql.push_str(" AND l.borrower = ?");
            args.push(name.clone().into());
        }
        if let Some(name) = &self.department {
            sql.push_str(" AND l.department = ?");
            args.push(name.clone().into());
        }
        if let Some(first) = self.month {
            let next = crate::domain::month::Month::of(first).next().first();
            sql.push_str(" AND l.out_at >= ? AND l.out_at < ?");
            args.push(first.to_string().into());
            args.push(next.to_string().into());
        }
        if let Some(span) = self.active_in {
            let (first, next) = (span.first(), span.next().first());
            sql.push_str(" AND l.out_at < ? AND (i.returned_at IS NULL OR i.returned_at >= ?)");
            args.push(next.to_string().into());
            args.push(first.to_string().into());
        }
        if let Some(id) = self.tool_id {
            sql.push_str(" AND i.tool_id = ?");
            args.push(id.into());
        }
        for word in self.search.split_whitespace() {
            sql.push_str(
                " AND instr(lower(l.number || char(31) || l.borrower || char(31) || l.department
                     || char(31) || l.approver || char(31) || l.purpose || char(31) || i.return_note)
                     || char(31) || t.search_text, lower(?)) > 0",
            );
            args.push(word.to_owned().into());
        }
        (sql, args)
    }
}

fn with_today(today: NaiveDate, args: Vec<Value>) -> Vec<Value> {
    std::iter::once(Value::from(today.to_string()))
        .chain(args)
        .collect()
}

pub fn count_loans(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
) -> rusqlite::Result<usize> {
    count_where(conn, query, today, "")
}

/// How many loans the query shows that also meet `extra` (SQL beginning with ` AND`, or empty).
fn count_where(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
    extra: &str,
) -> rusqlite::Result<usize> {
    let (filter, args) = query.filter();
    let sql = format!("SELECT count(*){FROM}{JOINS}{filter}{extra}");
    conn.prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(with_today(today, args)), |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n as usize)
}

/// `limit` loans of the list from `place`, in list order. The open ones (a few: a tool is out
/// once at a time) come first by due date, so the overdue lead; then the returned ones newest
/// first. Each part is read along an index in its own order, so a page near the top of a
/// million loans costs a few rows, not a sort of them all; past a loan, the read starts at that
/// loan's place in the index (a keyset). A column's order reads by offset only.
pub fn loans(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
    place: Place,
    limit: usize,
) -> rusqlite::Result<Vec<LoanRow>> {
    match place {
        Place::Down {
            offset,
            of: Some(total),
        } => window(conn, query, today, offset, limit, total),
        Place::Down { offset, of: None } => top_down(conn, query, today, offset, limit),
        Place::End => {
            // Not read from the far end without the count: the list is counted first.
            let total = count_loans(conn, query, today)?;
            window(
                conn,
                query,
                today,
                total.saturating_sub(limit),
                limit,
                total,
            )
        }
        Place::After(item_id) => read_beyond(conn, query, today, item_id, limit, false),
        Place::Before(item_id) => {
            let mut rows = read_beyond(conn, query, today, item_id, limit, true)?;
            rows.reverse();
            Ok(rows)
        }
    }
}

/// `limit` loans from `offset` of the list, read from its top.
fn top_down(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
    offset: usize,
    limit: usize,
) -> rusqlite::Result<Vec<LoanRow>> {
    if let Some(order) = query.sort.order(LOAN_SORTS, "i.id", false) {
        return sorted_page(conn, query, today, &order, offset, limit);
    }
    let open = open_count(conn, query, today)?;
    page_with_open(conn, query, today, open, offset, limit)
}

/// `limit` loans from `offset` in a column's order: one sort of the filter's rows, read off
/// the key path by the list's worker when it is long.
fn sorted_page(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
    order: &str,
    offset: usize,
    limit: usize,
) -> rusqlite::Result<Vec<LoanRow>> {
    let (filter, args) = query.filter();
    let mut args = with_today(today, args);
    args.push((limit.min(i64::MAX as usize) as i64).into());
    args.push((offset as i64).into());
    let sql = format!("SELECT {COLUMNS}{FROM}{JOINS}{filter} ORDER BY {order} LIMIT ? OFFSET ?");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), loan_from_row)?;
    rows.collect()
}

/// [`top_down`] once the open loans are counted (`open` of them).
fn page_with_open(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
    open: usize,
    offset: usize,
    limit: usize,
) -> rusqlite::Result<Vec<LoanRow>> {
    let parts = [
        (Part::Open, Reading::FORWARD, offset),
        (
            Part::Returned,
            Reading::FORWARD,
            offset.saturating_sub(open),
        ),
    ];
    // Past the open part, the reading starts in the returned one.
    let from_returned = usize::from(offset >= open);
    read_parts(conn, query, today, &parts[from_returned..], limit)
}

/// [`top_down`] of a list of `total` loans, read from whichever end is nearer.
fn window(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
    offset: usize,
    limit: usize,
    total: usize,
) -> rusqlite::Result<Vec<LoanRow>> {
    let nearer_end = Place::nearer_end(offset, limit, total);
    // Only the returned part is read from its far end: the open one is a few loans.
    let Some((from_end, count)) =
        nearer_end.filter(|_| query.with(Part::Returned) && query.sort == Sort::default())
    else {
        return top_down(conn, query, today, offset, limit);
    };
    let open = open_count(conn, query, today)?;
    if offset < open {
        return page_with_open(conn, query, today, open, offset, limit);
    }
    let back = Reading {
        place: None,
        backward: true,
    };
    let mut rows = read_part(conn, query, today, Part::Returned, back, from_end, count)?;
    rows.reverse();
    Ok(rows)
}

/// How many open loans the query shows.
fn open_count(conn: &Connection, query: &LoanQuery, today: NaiveDate) -> rusqlite::Result<usize> {
    if !query.with(Part::Open) {
        return Ok(0);
    }
    count_where(conn, query, today, " AND i.returned_at IS NULL")
}

/// `limit` loans past `item_id`, towards the list's end or (`backward`, in reverse order) its
/// start: the rest of the loan's own part, then the other part's rows that way.
fn read_beyond(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
    item_id: i64,
    limit: usize,
    backward: bool,
) -> rusqlite::Result<Vec<LoanRow>> {
    let at = place(conn, item_id)?;
    let from = Reading {
        place: Some(&at),
        backward,
    };
    let mut parts = [(Part::Open, from, 0), (Part::Returned, from, 0)];
    if backward {
        parts.reverse();
    }
    let own = parts.iter().position(|p| p.0 == at.part).unwrap_or(0);
    read_parts(conn, query, today, &parts[own..], limit)
}

/// `limit` rows from the parts in turn, each read from its start (past a loan, or skipping
/// rows), until there are enough; a part the query leaves out is passed over.
fn read_parts(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
    parts: &[(Part, Reading, usize)],
    limit: usize,
) -> rusqlite::Result<Vec<LoanRow>> {
    let mut rows = Vec::new();
    for &(part, reading, offset) in parts {
        if rows.len() < limit && query.with(part) {
            let more = limit - rows.len();
            rows.extend(read_part(conn, query, today, part, reading, offset, more)?);
        }
    }
    Ok(rows)
}

/// The list's two parts: the open loans, then the returned ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Open,
    Returned,
}

impl LoanQuery {
    /// Whether the list has a part at all.
    fn with(&self, part: Part) -> bool {
        match part {
            Part::Open => self.filter != LoanFilter::Returned,
            Part::Returned => !matches!(self.filter, LoanFilter::Open | LoanFilter::Overdue),
        }
    }
}

/// A loan's sort key, as stored: bound as values, an index range starts at it (compared with a
/// subquery, SQLite would walk from the list's start).
struct SortKey {
    part: Part,
    due_on: String,
    out_at: String,
    item_id: i64,
}

fn place(conn: &Connection, item_id: i64) -> rusqlite::Result<SortKey> {
    conn.prepare_cached(
        "SELECT i.returned_at IS NULL, i.due_on, l.out_at
         FROM tool_loan_items i JOIN tool_loans l ON l.id = i.loan_id WHERE i.id = ?1",
    )?
    .query_row([item_id], |r| {
        Ok(SortKey {
            part: if r.get(0)? {
                Part::Open
            } else {
                Part::Returned
            },
            due_on: r.get(1)?,
            out_at: r.get(2)?,
            item_id,
        })
    })
}

/// How a part is read: towards the list's end or (`backward`) its start, from the part's near
/// end or past a loan.
#[derive(Clone, Copy)]
struct Reading<'a> {
    place: Option<&'a SortKey>,
    backward: bool,
}

impl Reading<'_> {
    const FORWARD: Reading<'static> = Reading {
        place: None,
        backward: false,
    };

    /// The condition on a part's rows past the loan, and its arguments: all of them when there
    /// is no loan, or it is of the other part (the reading starts at the part's near end).
    fn condition(&self, part: Part) -> (&'static str, Vec<Value>) {
        let Some(SortKey {
            due_on,
            out_at,
            item_id,
            ..
        }) = self.place.filter(|p| p.part == part)
        else {
            return ("", Vec::new());
        };
        match (part, self.backward) {
            (Part::Open, backward) => {
                let sql = if backward {
                    " AND (i.due_on < ? OR (i.due_on = ? \
                     AND (l.out_at > ? OR (l.out_at = ? AND i.id > ?))))"
                } else {
                    " AND (i.due_on > ? OR (i.due_on = ? \
                     AND (l.out_at < ? OR (l.out_at = ? AND i.id < ?))))"
                };
                let args = vec![
                    due_on.clone().into(),
                    due_on.clone().into(),
                    out_at.clone().into(),
                    out_at.clone().into(),
                    (*item_id).into(),
                ];
                (sql, args)
            }
            (Part::Returned, backward) => {
                // The bare bound first: the lending-time index is searched from it.
                let sql = if backward {
                    " AND l.out_at >= ? AND (l.out_at > ? OR i.id > ?)"
                } else {
                    " AND l.out_at <= ? AND (l.out_at < ? OR i.id < ?)"
                };
                let args = vec![
                    out_at.clone().into(),
                    out_at.clone().into(),
                    (*item_id).into(),
                ];
                (sql, args)
            }
        }
    }
}

/// One part of the list: `limit` rows from `offset`, or past a loan, in list order or (reading
/// backward) against it.
fn read_part(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
    part: Part,
    reading: Reading,
    offset: usize,
    limit: usize,
) -> rusqlite::Result<Vec<LoanRow>> {
    let (mut filter, args) = query.filter();
    let mut args = with_today(today, args);
    let backward = reading.backward;
    let (sql, more) = reading.condition(part);
    filter.push_str(sql);
    args.extend(more);
    let (from, state, order) = match (part, backward) {
        (Part::Open, false) => (FROM, "NULL", "i.due_on, l.out_at DESC, i.id DESC"),
        (Part::Open, true) => (FROM, "NULL", "i.due_on DESC, l.out_at, i.id"),
        (Part::Returned, backward) => {
            // Newest first along the requisitions' index, each one's tools from its own:
            // unless one tool's history or the unsettled few are asked for, which name their
            // rows, or a month's report, which reads all its loans (SQLite's own plan is
            // faster for that).
            let named = query.tool_id.is_some() || query.filter == LoanFilter::Unsettled;
            let from = if named || query.active_in.is_some() {
                FROM
            } else {
                FROM_LOANS
            };
            let order = if backward {
                "l.out_at, i.id"
            } else {
                "l.out_at DESC, i.id DESC"
            };
            (from, "NOT NULL", order)
        }
    };
    let sql = format!(
        "SELECT {COLUMNS}{from}{JOINS}{filter} AND i.returned_at IS {state}
         ORDER BY {order} LIMIT ? OFFSET ?"
    );
    args.push((limit.min(i64::MAX as usize) as i64).into());
    args.push((offset as i64).into());
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), loan_from_row)?;
    rows.collect()
}

/// Every loan the query shows, for exports.
pub fn matching_loans(
    conn: &Connection,
    query: &LoanQuery,
    today: NaiveDate,
) -> rusqlite::Result<Vec<LoanRow>> {
    top_down(conn, query, today, 0, i64::MAX as usize)
}

/// One loan item.
pub fn item(conn: &Connection, item_id: i64) -> rusqlite::Result<Option<LoanRow>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS}{FROM}{JOINS} WHERE i.id = ?1"))?
        .query_row([item_id], loan_from_row)
        .optional()
}

/// Tools out past their due date on `today`: what the status bar counts.
pub fn overdue_count(conn: &Connection, today: NaiveDate) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "SELECT count(*) FROM tool_loan_items INDEXED BY tool_loan_items_open_by_due
         WHERE returned_at IS NULL AND due_on < ?1",
    )?
    .query_row([today.to_string()], |r| r.get::<_, i64>(0))
    .map(|n| n as usize)
}

/// Everyone who has borrowed a tool, for the filter.
pub fn borrowers(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT borrower FROM tool_loans INDEXED BY tool_loans_by_borrower
         ORDER BY borrower",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Every department that has borrowed a tool, for the filter.
pub fn departments(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT department FROM tool_loans INDEXED BY tool_loans_by_department
         WHERE department <> '' ORDER BY department",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}
