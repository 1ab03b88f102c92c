//! `jifang tools list|loans` and `jifang import tools`: the tool inventory and its requisition
//! rows for scripts and spreadsheets, and adding tools from a CSV file.

use std::io::Write;

use chrono::NaiveDate;

use rusqlite::Connection;

use super::import::{FileKind, Written};
use crate::cli::Format;
use crate::db::Db;
use crate::db::Stamp;
use crate::db::tools::{self, LoanFilter, LoanQuery, ToolFilter, ToolQuery};
use crate::exchange::tools as file;
use crate::i18n::Lang;

/// Print the tools (all in use, those out, or those overdue).
pub fn list(
    db: &Db,
    filter: ToolFilter,
    format: Format,
    today: NaiveDate,
    lang: Lang,
) -> anyhow::Result<()> {
    let query = ToolQuery {
        filter,
        ..ToolQuery::default()
    };
    let list = tools::matching_tools(db.conn(), &query, today)?;
    let mut out = super::stdout();
    match format {
        Format::Csv => out.write_all(&file::tools_csv(&list, today, lang))?,
        Format::Json => writeln!(out, "{}", file::tools_json(&list, today, lang))?,
        Format::Table => {
            // Code, name, kind, place, status, holder, due, days overdue.
            let shown = [
                (0, 10),
                (1, 16),
                (2, 10),
                (4, 12),
                (6, 11),
                (8, 8),
                (10, 10),
                (11, 12),
            ];
            let rows = list.iter().map(|t| file::tool_cells(t, today, lang));
            let count = lang.tf("tools.count", &[("count", &list.len())]);
            super::table::print(&mut out, file::TOOL_COLUMNS, &shown, rows, count, lang)?;
        }
    }
    Ok(())
}

/// Print the requisition rows (工具领用表) of a state and month.
pub fn loans(
    db: &Db,
    filter: LoanFilter,
    month: Option<NaiveDate>,
    format: Format,
    today: NaiveDate,
    lang: Lang,
) -> anyhow::Result<()> {
    let query = LoanQuery {
        filter,
        month,
        ..LoanQuery::default()
    };
    let rows = tools::matching_loans(db.conn(), &query, today)?;
    let mut out = super::stdout();
    match format {
        Format::Csv => out.write_all(&file::loans_csv(&rows, today, lang))?,
        Format::Json => writeln!(out, "{}", file::loans_json(&rows, today, lang))?,
        Format::Table => {
            // Number, out, code, borrower, department, due, returned, days overdue.
            let shown = [
                (0, 12),
                (1, 16),
                (2, 10),
                (5, 8),
                (6, 8),
                (11, 10),
                (12, 16),
                (15, 12),
            ];
            let cells = rows.iter().map(|r| file::loan_cells(r, today, lang));
            let count = lang.tf("tools.loans_count", &[("count", &rows.len())]);
            super::table::print(&mut out, file::LOAN_COLUMNS, &shown, cells, count, lang)?;
        }
    }
    Ok(())
}

/// The tool inventory's CSV: tools added, all of them or none with every problem listed.
pub struct ToolFile(pub Lang);

impl FileKind for ToolFile {
    type Plan = file::Plan;

    fn plan(&self, conn: &Connection, bytes: &[u8]) -> Result<file::Plan, Vec<String>> {
        file::plan(conn, bytes).map_err(|ps| ps.iter().map(|p| p.message(self.0)).collect())
    }

    fn preview(&self, plan: &file::Plan) -> Vec<String> {
        let lang = self.0;
        let mut lines: Vec<String> = plan
            .adds
            .iter()
            .map(|(_, t)| format!("+ {} {} [{}]", t.code, t.name, t.kind))
            .collect();
        lines.push(lang.tf("tool_import.dry_run", &[("adds", &plan.adds.len())]));
        lines
    }

    const DONE: &'static str = "tool_import.done";

    fn apply(&self, conn: &mut Connection, plan: &file::Plan, stamp: &Stamp) -> Written {
        let added = file::apply(conn, plan, stamp).map_err(|e| e.message(self.0))?;
        Ok(vec![("adds", added)])
    }
}
