//! Tool checkout in SQLite: the inventory and its kinds, check-out of several tools as one
//! requisition, returns with their liability (and repair), and the windowed tool list.

mod loans;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};

pub use loans::{
    LOAN_SORTS, Liability, LoanFilter, LoanQuery, LoanRow, borrowers, count_loans, departments,
    item as loan_item, loans, matching_loans, overdue_count,
};

use super::Stamp;
use super::approvals::Evidence;
use super::repairs::{self, DeviceRef, NewRepair, RepairError, time_text};
use super::sort::{self, Sort};
use crate::db::stamped::{self, Fields};
use crate::domain::repair::{FaultKind, Priority};
use crate::domain::tool::{
    Borrowing, BorrowingProblem, Condition, MAX_LOAN_DAYS, ToolStatus, Unavailable, due_on,
    lendable, requisition_number,
};

/// A kind's loan period when nobody has said otherwise.
pub const DEFAULT_LOAN_DAYS: u32 = 3;

/// Who holds a tool now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub item_id: i64,
    pub number: String,
    pub borrower: String,
    pub department: String,
    pub due_on: NaiveDate,
}

/// A tool as the inventory holds it, with its holder while it is out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub loan_days: u32,
    pub spec: String,
    pub place: String,
    pub condition: String,
    pub status: ToolStatus,
    pub row_version: i64,
    pub retired_reason: Option<String>,
    pub holder: Option<Holder>,
}

impl Tool {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.holder.as_ref().is_some_and(|h| h.due_on < today)
    }
}

/// A tool as typed in the editor or read from a CSV row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ToolInput {
    pub code: String,
    pub name: String,
    pub kind: String,
    /// Sets the kind's loan period; `None` keeps it (or the default for a new kind).
    pub loan_days: Option<u32>,
    pub spec: String,
    pub place: String,
    pub condition: String,
    /// `None` keeps the status (available for a new tool).
    pub status: Option<ToolStatus>,
}

/// How a tool came back, and who pays when it is damaged or lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return {
    pub condition: Condition,
    pub note: String,
    pub liable_person: String,
    /// In fen.
    pub amount: i64,
    pub settled: bool,
    /// Open a repair ticket for the damaged tool.
    pub repair: bool,
}

/// Why a tool change, check-out or return was not saved. Nothing is written when one comes
/// back.
#[derive(Debug)]
pub enum ToolError {
    Borrowing(Vec<BorrowingProblem>),
    /// The approver may not approve this loan (see [`super::approvals`]).
    Approval(super::approvals::ApprovalError),
    Unavailable {
        code: String,
        why: Unavailable,
    },
    UnknownCode {
        code: String,
    },
    RepeatedCode {
        code: String,
    },
    CodeTaken {
        code: String,
    },
    NeedsCode,
    NeedsName,
    NeedsKind,
    Text(crate::domain::text::TextError),
    /// Checked out, damaged and so on are set by lending and returning, not typed.
    StatusNotSettable {
        status: ToolStatus,
    },
    /// Retiring or editing the status of a tool someone holds.
    StillOut {
        code: String,
        borrower: String,
    },
    Conflict {
        code: String,
    },
    AlreadyReturned,
    NeedsLiable,
    NeedsReason,
    AlreadySettled,
    NotFound,
    Repair(RepairError),
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for ToolError {
    fn from(e: rusqlite::Error) -> ToolError {
        ToolError::Db(e)
    }
}

impl From<RepairError> for ToolError {
    fn from(e: RepairError) -> ToolError {
        match e {
            RepairError::Db(e) => ToolError::Db(e),
            other => ToolError::Repair(other),
        }
    }
}

fn parse_day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

const COLUMNS: &str = "t.id, t.code, t.name, k.name, k.loan_days, t.spec, t.place, t.condition, \
    t.status, t.row_version, t.retired_reason, i.id, l.number, l.borrower, l.department, i.due_on";

/// The tool with its kind and open loan: `FROM` and joins for [`COLUMNS`].
const FROM: &str = " FROM tools t JOIN tool_kinds k ON k.id = t.kind_id
    LEFT JOIN tool_loan_items i ON i.tool_id = t.id AND i.returned_at IS NULL
    LEFT JOIN tool_loans l ON l.id = i.loan_id";

fn tool_from_row(r: &Row) -> rusqlite::Result<Tool> {
    let holder = match r.get::<_, Option<i64>>(11)? {
        Some(item_id) => Some(Holder {
            item_id,
            number: r.get(12)?,
            borrower: r.get(13)?,
            department: r.get(14)?,
            due_on: parse_day(&r.get::<_, String>(15)?),
        }),
        None => None,
    };
    Ok(Tool {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
        loan_days: r.get(4)?,
        spec: r.get(5)?,
        place: r.get(6)?,
        condition: r.get(7)?,
        status: ToolStatus::parse(&r.get::<_, String>(8)?).unwrap_or(ToolStatus::Available),
        row_version: r.get(9)?,
        retired_reason: r.get(10)?,
        holder,
    })
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Tool>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS}{FROM} WHERE t.id = ?1"))?
        .query_row([id], tool_from_row)
        .optional()
}

/// The tool with this code (case does not matter, as a scanner or a person types it).
pub fn by_code(conn: &Connection, code: &str) -> rusqlite::Result<Option<Tool>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS}{FROM} WHERE t.code = ?1"))?
        .query_row([code.trim()], tool_from_row)
        .optional()
}

/// Tool kinds and their loan periods, by name.
pub fn kinds(conn: &Connection) -> rusqlite::Result<Vec<(String, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, loan_days FROM tool_kinds WHERE retired_at IS NULL ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// The kind's id, adding it when new; `loan_days` (when given) becomes its loan period.
pub fn ensure_kind(
    conn: &Connection,
    name: &str,
    loan_days: Option<u32>,
    stamp: &Stamp,
) -> rusqlite::Result<i64> {
    let name = name.trim();
    let found: Option<(i64, u32)> = conn
        .prepare_cached("SELECT id, loan_days FROM tool_kinds WHERE name = ?1")?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let days = loan_days.map(|d| d.min(MAX_LOAN_DAYS));
    match found {
        Some((id, current)) => {
            if let Some(days) = days.filter(|d| *d != current) {
                stamped::set(conn, "tool_kinds", "loan_days", id, days, stamp)?;
            }
            Ok(id)
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO tool_kinds (name, loan_days, created_at, created_by, updated_at,
                     updated_by) VALUES (?1, ?2, ?3, ?4, ?3, ?4)",
            )?
            .execute(params![
                name,
                days.unwrap_or(DEFAULT_LOAN_DAYS),
                stamp.at_text(),
                stamp.by
            ])?;
            Ok(conn.last_insert_rowid())
        }
    }
}

/// The problems of a typed tool that need no database.
pub fn input_problems(input: &ToolInput) -> Vec<ToolError> {
    let mut problems = Vec::new();
    if input.code.trim().is_empty() {
        problems.push(ToolError::NeedsCode);
    }
    if input.name.trim().is_empty() {
        problems.push(ToolError::NeedsName);
    }
    if input.kind.trim().is_empty() {
        problems.push(ToolError::NeedsKind);
    }
    use crate::domain::text::{Kind, first_error};
    let texts = [
        ("text_field.code", input.code.as_str(), Kind::Code, 32),
        ("text_field.name", &input.name, Kind::Line, 100),
        ("text_field.kind", &input.kind, Kind::Line, 50),
        ("text_field.spec", &input.spec, Kind::Line, 200),
        ("text_field.place", &input.place, Kind::Line, 100),
        ("text_field.condition", &input.condition, Kind::Line, 200),
    ];
    if let Some(e) = first_error(&texts) {
        problems.push(ToolError::Text(e));
    }
    if let Some(status) = input.status.filter(|s| !ToolStatus::EDITABLE.contains(s)) {
        problems.push(ToolError::StatusNotSettable { status });
    }
    problems
}

fn first_problem(input: &ToolInput) -> Result<(), ToolError> {
    match input_problems(input).into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Add a tool to the inventory.
pub fn add(conn: &Connection, input: &ToolInput, stamp: &Stamp) -> Result<i64, ToolError> {
    first_problem(input)?;
    if by_code(conn, &input.code)?.is_some() {
        return Err(ToolError::CodeTaken {
            code: input.code.trim().to_owned(),
        });
    }
    let kind = ensure_kind(conn, &input.kind, input.loan_days, stamp)?;
    let status = input.status.unwrap_or(ToolStatus::Available);
    tool_fields(input, kind, status, stamp).execute(
        conn,
        "INSERT INTO tools (code, name, kind_id, spec, place, condition, status, created_at,
             created_by, updated_at, updated_by)
         VALUES (:code, :name, :kind_id, :spec, :place, :condition, :status, :at, :by, :at, :by)",
    )?;
    Ok(conn.last_insert_rowid())
}

/// The tool as read at `version`, or why it cannot be changed.
fn load_for_change(conn: &Connection, id: i64, version: i64) -> Result<Tool, ToolError> {
    let tool = get(conn, id)?.ok_or(ToolError::NotFound)?;
    if tool.row_version != version {
        return Err(ToolError::Conflict { code: tool.code });
    }
    Ok(tool)
}

fn still_out(tool: &Tool) -> Result<(), ToolError> {
    match &tool.holder {
        Some(h) => Err(ToolError::StillOut {
            code: tool.code.clone(),
            borrower: h.borrower.clone(),
        }),
        None => Ok(()),
    }
}

/// Change a tool as read at `version`. The status of a tool that is out stays checked out.
pub fn edit(
    conn: &Connection,
    id: i64,
    version: i64,
    input: &ToolInput,
    stamp: &Stamp,
) -> Result<(), ToolError> {
    first_problem(input)?;
    let tool = load_for_change(conn, id, version)?;
    if let Some(other) = by_code(conn, &input.code)?
        && other.id != id
    {
        return Err(ToolError::CodeTaken { code: other.code });
    }
    let status = match input.status {
        Some(s) if s != tool.status => {
            still_out(&tool)?;
            if tool.status == ToolStatus::Retired {
                return Err(ToolError::StatusNotSettable { status: s });
            }
            s
        }
        _ => tool.status,
    };
    let kind = ensure_kind(conn, &input.kind, input.loan_days, stamp)?;
    tool_fields(input, kind, status, stamp)
        .value(":id", id)
        .execute(
            conn,
            "UPDATE tools SET code = :code, name = :name, kind_id = :kind_id, spec = :spec,
             place = :place, condition = :condition, status = :status, updated_at = :at,
             updated_by = :by, row_version = row_version + 1
         WHERE id = :id",
        )?;
    Ok(())
}

/// A tool's typed fields, as both adding and changing it store them.
fn tool_fields(input: &ToolInput, kind: i64, status: ToolStatus, stamp: &Stamp) -> Fields {
    Fields::stamped(stamp)
        .text(":code", &input.code)
        .text(":name", &input.name)
        .value(":kind_id", kind)
        .text(":spec", &input.spec)
        .text(":place", &input.place)
        .text(":condition", &input.condition)
        .text(":status", status.key())
}

/// Take a tool out of use for good (停用), with the reason.
pub fn retire(
    conn: &Connection,
    id: i64,
    version: i64,
    reason: &str,
    stamp: &Stamp,
) -> Result<(), ToolError> {
    let tool = load_for_change(conn, id, version)?;
    still_out(&tool)?;
    if reason.trim().is_empty() {
        return Err(ToolError::NeedsReason);
    }
    if tool.status == ToolStatus::Retired {
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE tools SET status = 'retired', retired_at = ?2, retired_by = ?3,
             retired_reason = ?4, updated_at = ?2, updated_by = ?3, row_version = row_version + 1
         WHERE id = ?1",
    )?
    .execute(params![id, stamp.at_text(), stamp.by, reason.trim()])?;
    Ok(())
}

fn next_seq(conn: &Connection, year: i32) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM tool_loans WHERE year = ?1")?
        .query_row([year], |r| r.get(0))
}

/// Check out `codes` together as one requisition at `out_at`. Every tool must be on the shelf;
/// the first that is not is named with who holds it. Returns the loan's id and number.
/// Whether the directory places the borrower outside the information centre: their department
/// as given, or, when none is, the department the directory has them in.
fn outside_centre(conn: &Connection, borrowing: &Borrowing) -> rusqlite::Result<bool> {
    let department = match borrowing.department.trim() {
        "" => super::directory::department_of(conn, &borrowing.borrower)?.unwrap_or_default(),
        typed => typed.to_owned(),
    };
    Ok(super::directory::is_centre(conn, &department)? == Some(false))
}

pub fn check_out(
    conn: &Connection,
    borrowing: &Borrowing,
    codes: &[String],
    out_at: NaiveDateTime,
    stamp: &Stamp,
) -> Result<(i64, String), ToolError> {
    check_out_approved(conn, borrowing, codes, out_at, &Evidence::None, stamp)
}

/// [`check_out`] with the evidence of the approval another department's loan needs (the
/// approver's countersignature or paper slip, with accounts on).
pub fn check_out_approved(
    conn: &Connection,
    borrowing: &Borrowing,
    codes: &[String],
    out_at: NaiveDateTime,
    evidence: &Evidence,
    stamp: &Stamp,
) -> Result<(i64, String), ToolError> {
    let mut problems = borrowing.problems(out_at.date(), codes.len());
    if !borrowing.approver.trim().is_empty() && borrowing.approver.trim() == stamp.by.trim() {
        problems.push(BorrowingProblem::ApprovedByOperator);
    }
    if !borrowing.external && outside_centre(conn, borrowing)? {
        problems.push(BorrowingProblem::OutsideCentre);
    }
    if !problems.is_empty() {
        return Err(ToolError::Borrowing(problems));
    }
    // Another department's loan is approved by a leader the permission table names.
    let approval = match borrowing.external {
        true => super::approvals::check(
            conn,
            &borrowing.approver,
            crate::domain::permission::Deed::ApproveOutsideLoan,
            evidence,
            stamp,
        )?
        .map_err(ToolError::Approval)?,
        false => String::new(),
    };
    let mut tools: Vec<Tool> = Vec::with_capacity(codes.len());
    for code in codes {
        let tool = by_code(conn, code)?.ok_or_else(|| ToolError::UnknownCode {
            code: code.trim().to_owned(),
        })?;
        if tools.iter().any(|t| t.id == tool.id) {
            return Err(ToolError::RepeatedCode { code: tool.code });
        }
        let holder = tool
            .holder
            .as_ref()
            .map(|h| (h.borrower.as_str(), h.due_on));
        lendable(tool.status, holder).map_err(|why| ToolError::Unavailable {
            code: tool.code.clone(),
            why,
        })?;
        tools.push(tool);
    }
    let year = out_at.year();
    let seq = next_seq(conn, year)?;
    let number = requisition_number(year, seq);
    let at = stamp.at_text();
    conn.prepare_cached(
        "INSERT INTO tool_loans (number, year, seq, borrower, department, external, approver,
             purpose, out_at, condition_out, created_at, created_by, updated_at, updated_by,
             approval)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?11, ?12, ?13)",
    )?
    .execute(params![
        number,
        year,
        seq,
        borrowing.borrower.trim(),
        borrowing.department.trim(),
        borrowing.external,
        borrowing.approver.trim(),
        borrowing.purpose.trim(),
        time_text(out_at),
        borrowing.condition_out.trim(),
        at,
        stamp.by,
        approval,
    ])?;
    let loan_id = conn.last_insert_rowid();
    for tool in &tools {
        let due = borrowing
            .due_on
            .unwrap_or_else(|| due_on(out_at.date(), tool.loan_days));
        conn.prepare_cached(
            "INSERT INTO tool_loan_items (loan_id, tool_id, due_on, created_at, created_by,
                 updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
        )?
        .execute(params![loan_id, tool.id, due.to_string(), at, stamp.by])?;
        set_status(conn, tool.id, ToolStatus::CheckedOut, stamp)?;
    }
    Ok((loan_id, number))
}

fn set_status(
    conn: &Connection,
    id: i64,
    status: ToolStatus,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    stamped::set(conn, "tools", "status", id, status.key(), stamp)
}

/// What a return wrote besides the item: the repair ticket it opened, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    pub code: String,
    pub status: ToolStatus,
    pub ticket: Option<String>,
}

/// Take back the tool of open loan item `item_id` at `stamp.at`. Damaged or lost: a liability
/// record (and, when asked, a repair ticket for a damaged tool). The tool's status follows.
pub fn return_item(
    conn: &Connection,
    item_id: i64,
    back: &Return,
    stamp: &Stamp,
) -> Result<Returned, ToolError> {
    let row = loans::item(conn, item_id)?.ok_or(ToolError::NotFound)?;
    if row.returned_at.is_some() {
        return Err(ToolError::AlreadyReturned);
    }
    let liable = back.liable_person.trim();
    if back.condition.needs_liability() && liable.is_empty() {
        return Err(ToolError::NeedsLiable);
    }
    let at = stamp.at_text();
    conn.prepare_cached(
        "UPDATE tool_loan_items SET returned_at = ?2, condition_back = ?3, return_note = ?4,
             updated_at = ?2, updated_by = ?5, row_version = row_version + 1 WHERE id = ?1",
    )?
    .execute(params![
        item_id,
        at,
        back.condition.key(),
        back.note.trim(),
        stamp.by
    ])?;
    let status = back.condition.status_after();
    set_status(conn, row.tool_id, status, stamp)?;
    let mut ticket = None;
    if back.condition.needs_liability() {
        let repair_id = if back.repair && back.condition == Condition::Damaged {
            let description = if back.note.trim().is_empty() {
                stamp_note(&row)
            } else {
                back.note.trim().to_owned()
            };
            let new = NewRepair {
                device: DeviceRef::Unregistered(format!("{} {}", row.code, row.tool_name)),
                reporter: stamp.by.clone(),
                department: row.department.clone(),
                reported_at: stamp.at,
                kind: FaultKind::Hardware,
                description,
                priority: Priority::Normal,
                check_result_id: None,
            };
            let (id, number) = repairs::report(conn, &new, stamp)?;
            ticket = Some(number);
            Some(id)
        } else {
            None
        };
        conn.prepare_cached(
            "INSERT INTO tool_liabilities (item_id, liable_person, amount, settled_at, repair_id,
                 created_at, created_by, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)",
        )?
        .execute(params![
            item_id,
            liable,
            back.amount.max(0),
            back.settled.then_some(&at),
            repair_id,
            at,
            stamp.by
        ])?;
    }
    Ok(Returned {
        code: row.code,
        status,
        ticket,
    })
}

/// A repair's description when the return note is empty: which requisition the damage was
/// found on.
fn stamp_note(row: &LoanRow) -> String {
    format!("{} {} / {}", row.number, row.borrower, row.code)
}

/// Record that liability `id` is paid, with the amount finally paid (in fen).
pub fn settle(conn: &Connection, id: i64, amount: i64, stamp: &Stamp) -> Result<(), ToolError> {
    let settled: Option<Option<String>> = conn
        .prepare_cached("SELECT settled_at FROM tool_liabilities WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match settled {
        None => Err(ToolError::NotFound),
        Some(Some(_)) => Err(ToolError::AlreadySettled),
        Some(None) => {
            conn.prepare_cached(
                "UPDATE tool_liabilities SET amount = ?2, settled_at = ?3, updated_at = ?3,
                     updated_by = ?4, row_version = row_version + 1 WHERE id = ?1",
            )?
            .execute(params![id, amount.max(0), stamp.at_text(), stamp.by])?;
            Ok(())
        }
    }
}

/// Which tools the list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ToolFilter {
    /// Every tool in use (not retired).
    #[default]
    InUse,
    Out,
    Overdue,
    Only(ToolStatus),
}

impl ToolFilter {
    pub const ALL: [ToolFilter; 7] = [
        ToolFilter::InUse,
        ToolFilter::Out,
        ToolFilter::Overdue,
        ToolFilter::Only(ToolStatus::Available),
        ToolFilter::Only(ToolStatus::Damaged),
        ToolFilter::Only(ToolStatus::Lost),
        ToolFilter::Only(ToolStatus::Retired),
    ];

    pub fn key(self) -> &'static str {
        match self {
            ToolFilter::InUse => "in_use",
            ToolFilter::Out => "out",
            ToolFilter::Overdue => "overdue",
            ToolFilter::Only(s) => s.key(),
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ToolFilter::InUse => "tools.in_use",
            ToolFilter::Out => "tools.out",
            ToolFilter::Overdue => "tools.overdue",
            ToolFilter::Only(s) => s.label_key(),
        }
    }

    pub fn parse(text: &str) -> Option<ToolFilter> {
        ToolFilter::ALL.into_iter().find(|f| f.key() == text)
    }
}

/// The name of tool kind `id`; `None` when there is no such kind.
pub fn kind_name(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT name FROM tool_kinds WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

/// Which tools the list shows, and in what words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolQuery {
    /// Every word must appear in the tool's code, name, spec, place, condition, kind or holder.
    pub search: String,
    pub filter: ToolFilter,
    /// By a column of [`TOOL_SORTS`] instead of by code.
    pub sort: Sort,
}

/// The columns the tool list can be sorted by.
pub const TOOL_SORTS: &[sort::Column] = &[
    ("code", "t.code"),
    ("name", "t.name"),
    ("kind", "k.name"),
    ("status", "t.status"),
    ("holder", "l.borrower"),
    ("due", "i.due_on"),
    ("place", "t.place"),
];

impl ToolQuery {
    fn filter(&self, today: NaiveDate) -> (String, Vec<Value>) {
        let mut sql = String::new();
        let mut args: Vec<Value> = Vec::new();
        match self.filter {
            ToolFilter::InUse => sql.push_str(" WHERE t.status <> 'retired'"),
            ToolFilter::Out => sql.push_str(" WHERE i.id IS NOT NULL"),
            ToolFilter::Overdue => {
                sql.push_str(" WHERE i.id IS NOT NULL AND i.due_on < ?");
                args.push(today.to_string().into());
            }
            ToolFilter::Only(s) => {
                sql.push_str(" WHERE t.status = ?");
                args.push(s.key().to_owned().into());
            }
        }
        for word in self.search.split_whitespace() {
            sql.push_str(
                " AND instr(t.search_text || char(31) || lower(k.name) || char(31) ||
                     lower(coalesce(l.borrower, '')) || char(31) || lower(coalesce(l.department, '')),
                     lower(?)) > 0",
            );
            args.push(word.to_owned().into());
        }
        (sql, args)
    }
}

pub fn count_tools(
    conn: &Connection,
    query: &ToolQuery,
    today: NaiveDate,
) -> rusqlite::Result<usize> {
    let (filter, args) = query.filter(today);
    conn.prepare_cached(&format!("SELECT count(*){FROM}{filter}"))?
        .query_row(rusqlite::params_from_iter(args), |r| r.get::<_, i64>(0))
        .map(|n| n as usize)
}

/// `limit` tools from `offset`, by code or by the query's sort.
pub fn tools_page(
    conn: &Connection,
    query: &ToolQuery,
    today: NaiveDate,
    offset: usize,
    limit: usize,
) -> rusqlite::Result<Vec<Tool>> {
    let (filter, mut args) = query.filter(today);
    args.push((limit.min(i64::MAX as usize) as i64).into());
    args.push((offset as i64).into());
    let order = (query.sort.order(TOOL_SORTS, "t.id", false)).unwrap_or_else(|| "t.code".into());
    let sql = format!("SELECT {COLUMNS}{FROM}{filter} ORDER BY {order} LIMIT ? OFFSET ?");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), tool_from_row)?;
    rows.collect()
}

/// Every tool the query shows, for the command line.
pub fn matching_tools(
    conn: &Connection,
    query: &ToolQuery,
    today: NaiveDate,
) -> rusqlite::Result<Vec<Tool>> {
    tools_page(conn, query, today, 0, i64::MAX as usize)
}

#[cfg(test)]
mod tests;
