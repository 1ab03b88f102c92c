//! `jifang calendar import` and `jifang calendar list`: the year's holidays and make-up
//! working days, and semester dates.

use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

use rusqlite::Connection;

use super::import::{FileKind, Written};
use crate::db::{Db, Stamp};
use crate::exchange::calendar as file;
use crate::i18n::Lang;
use crate::text::fitted;

/// The calendar as CSV (`date,kind,name`): marked whole, or not at all.
pub struct CalendarFile(pub Lang);

impl FileKind for CalendarFile {
    type Plan = file::Plan;

    fn plan(&self, conn: &Connection, bytes: &[u8]) -> Result<file::Plan, Vec<String>> {
        file::plan(conn, bytes).map_err(|ps| ps.iter().map(|p| p.message(self.0)).collect())
    }

    fn preview(&self, plan: &file::Plan) -> Vec<String> {
        let lang = self.0;
        let mut lines: Vec<String> = file::rows(&plan.days, lang)
            .iter()
            .map(|r| format!("+ {}", r.join(" ")))
            .collect();
        let args: [(&str, &dyn Display); 2] =
            [("days", &plan.days.len()), ("unchanged", &plan.unchanged)];
        lines.push(lang.tf("calendar_import.dry_run", &args));
        lines
    }

    const DONE: &'static str = "calendar_import.done";

    fn apply(&self, conn: &mut Connection, plan: &file::Plan, stamp: &Stamp) -> Written {
        let days = file::apply(conn, plan, stamp)
            .map_err(|e| crate::words::failure_message(&e, self.0))?;
        Ok(vec![("days", days), ("unchanged", plan.unchanged)])
    }
}

/// The marked days, of a year or all.
pub fn list(db: &Db, year: Option<i32>, lang: Lang) -> anyhow::Result<ExitCode> {
    let days = crate::db::calendar::marked(db.conn(), year)?;
    let mut out = super::stdout();
    if days.is_empty() {
        writeln!(out, "{}", lang.t("calendar_import.none"))?;
        return Ok(ExitCode::SUCCESS);
    }
    for row in file::rows(&days, lang) {
        writeln!(out, "{}", fitted(row.iter().zip([10, 4, 20, 30])))?;
    }
    writeln!(
        out,
        "{}",
        lang.tf("calendar_import.count", &[("count", &days.len())])
    )?;
    Ok(ExitCode::SUCCESS)
}
