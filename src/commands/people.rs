//! `jifang people import` (also `jifang import people`) and `jifang people export`.

use std::fmt::Display;
use std::path::PathBuf;
use std::process::ExitCode;

use rusqlite::Connection;

use super::import::{FileKind, Written};
use crate::db::Db;
use crate::db::Stamp;
use crate::db::directory::{self, PeopleQuery};
use crate::exchange::people as file;
use crate::i18n::Lang;

/// The directory as CSV: people added or changed, all of them or none with every problem
/// listed.
pub struct PeopleFile(pub Lang);

impl FileKind for PeopleFile {
    type Plan = file::Plan;

    fn plan(&self, conn: &Connection, bytes: &[u8]) -> Result<file::Plan, Vec<String>> {
        file::plan(conn, bytes).map_err(|ps| ps.iter().map(|p| p.message(self.0)).collect())
    }

    fn preview(&self, plan: &file::Plan) -> Vec<String> {
        let lang = self.0;
        let line = |sign: &str, row: &file::Row| {
            format!("{sign} {} {}", row.input.department, row.input.name)
        };
        let mut lines: Vec<String> = plan.adds.iter().map(|r| line("+", r)).collect();
        lines.extend(plan.changes.iter().map(|r| line("~", r)));
        let args: [(&str, &dyn Display); 3] = [
            ("adds", &plan.adds.len()),
            ("changes", &plan.changes.len()),
            ("unchanged", &plan.unchanged),
        ];
        lines.push(lang.tf("people_import.dry_run", &args));
        lines
    }

    const DONE: &'static str = "people_import.done";

    fn apply(&self, conn: &mut Connection, plan: &file::Plan, stamp: &Stamp) -> Written {
        let done = file::apply(conn, plan, stamp).map_err(|e| e.message(self.0))?;
        Ok(vec![
            ("adds", done.added),
            ("changes", done.changed),
            ("unchanged", done.unchanged),
        ])
    }
}

/// The directory as CSV: to `out`, or standard output.
pub fn export(db: &Db, out: Option<PathBuf>, all: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let query = PeopleQuery {
        with_left: all,
        ..PeopleQuery::default()
    };
    let people = directory::people(db.conn(), &query, 0, usize::MAX)?;
    super::write_out(out, &file::people_csv(&people, lang), people.len(), lang)
}
