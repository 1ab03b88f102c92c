//! `jifang people import` (also `jifang import people`) and `jifang people export`.

use std::fmt::Display;
use std::path::PathBuf;
use std::process::ExitCode;

use super::import::Import;
use crate::db::Db;
use crate::db::directory::{self, PeopleQuery};
use crate::exchange::people as file;
use crate::i18n::Lang;

/// Add or change the people of a CSV file: all of them, or none with every problem listed.
pub fn import(mut job: Import) -> anyhow::Result<ExitCode> {
    let lang = job.lang;
    let plan = file::plan(job.db.conn(), &job.bytes()?);
    let Some(plan) = job.planned(plan, |problems| {
        problems.iter().map(|p| p.message(lang)).collect()
    }) else {
        return Ok(ExitCode::FAILURE);
    };
    if job.dry_run {
        for row in &plan.adds {
            say!("+ {} {}", row.input.department, row.input.name);
        }
        for row in &plan.changes {
            say!("~ {} {}", row.input.department, row.input.name);
        }
        let args: [(&str, &dyn Display); 3] = [
            ("adds", &plan.adds.len()),
            ("changes", &plan.changes.len()),
            ("unchanged", &plan.unchanged),
        ];
        say!("{}", lang.tf("people_import.dry_run", &args));
        return Ok(ExitCode::SUCCESS);
    }
    let done = file::apply(job.db.conn_mut(), &plan, &job.stamp)
        .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    let shown = job.shown();
    let args: [(&str, &dyn Display); 4] = [
        ("file", &shown),
        ("adds", &done.added),
        ("changes", &done.changed),
        ("unchanged", &done.unchanged),
    ];
    say!("{}", lang.tf("people_import.done", &args));
    Ok(ExitCode::SUCCESS)
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
