//! `jifang tools list|loans` and `jifang import tools`: the tool inventory and its requisition
//! rows for scripts and spreadsheets, and adding tools from a CSV file.

use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::import::Import;
use crate::cli::Format;
use crate::db::Db;
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

/// Add the tools of a CSV file: all of them, or none with every problem listed.
pub fn import(mut job: Import) -> anyhow::Result<ExitCode> {
    let lang = job.lang;
    let plan = file::plan(job.db.conn(), &job.bytes()?);
    let Some(plan) = job.planned(plan, |problems| {
        problems.iter().map(|p| p.message(lang)).collect()
    }) else {
        return Ok(ExitCode::FAILURE);
    };
    if job.dry_run {
        for (_, t) in &plan.adds {
            say!("+ {} {} [{}]", t.code, t.name, t.kind);
        }
        say!(
            "{}",
            lang.tf("tool_import.dry_run", &[("adds", &plan.adds.len())])
        );
        return Ok(ExitCode::SUCCESS);
    }
    let added = file::apply(job.db.conn_mut(), &plan, &job.stamp)
        .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    let args: [(&str, &dyn Display); 2] = [("file", &job.shown()), ("adds", &added)];
    say!("{}", lang.tf("tool_import.done", &args));
    Ok(ExitCode::SUCCESS)
}
