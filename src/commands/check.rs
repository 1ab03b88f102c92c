//! `jifang check`: the file's integrity, its references, the search indexes, the audit log's
//! chain and the triggers that protect the data; `--repair` puts missing triggers back and
//! `--against` shows whether rows a backup had are gone.

use std::fmt::Display;
use std::path::Path;
use std::process::ExitCode;

use rusqlite::{Connection, OpenFlags};

use crate::db::audit::chain::{self, Finding};
use crate::db::{Db, Problem};
use crate::i18n::Lang;
use crate::text::printable;

/// What one finding says to the inspector.
fn finding_text(finding: &Finding, lang: Lang) -> String {
    match finding {
        Finding::NoStart => lang.t("check.chain_no_start").to_owned(),
        Finding::OlderRowsChanged { covered, found } => lang.tf(
            "check.chain_older",
            &[("covered", covered), ("found", found)],
        ),
        Finding::Broken { id, at } => lang.tf("check.chain_broken", &[("id", id), ("at", at)]),
        Finding::Outside {
            count,
            first_id,
            first_at,
        } => lang.tf(
            "check.outside",
            &[("count", count), ("id", first_id), ("at", first_at)],
        ),
        Finding::TriggerMissing(name) => {
            lang.tf("check.trigger_missing", &[("name", &printable(name))])
        }
        Finding::TriggerChanged(name) => {
            lang.tf("check.trigger_changed", &[("name", &printable(name))])
        }
        Finding::BackupRowsGone { id, at } => {
            lang.tf("check.backup_rows_gone", &[("id", id), ("at", at)])
        }
    }
}

fn problem_text(problem: &Problem, lang: Lang) -> String {
    match problem {
        Problem::Integrity(line) => line.clone(),
        Problem::DanglingReference { table, row, parent } => {
            let row = row.map_or("?".to_owned(), |r| r.to_string());
            let args: [(&str, &dyn Display); 3] =
                [("table", table), ("row", &row), ("parent", parent)];
            lang.tf("check.dangling", &args)
        }
        Problem::Audit(finding) => finding_text(finding, lang),
    }
}

/// Check the database at `path`; print `ok` or every problem (exit 1).
pub fn run(
    path: &Path,
    repair: Option<super::sign::Signed>,
    against: Option<&Path>,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let mut db = Db::open(path).map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    if let Some(signed) = repair {
        signed.apply(&mut db)?;
        for name in chain::repair_triggers(db.conn_mut(), &signed.stamp)? {
            say!(
                "{}",
                lang.tf("check.trigger_put_back", &[("name", &printable(&name))])
            );
        }
    }
    let health = db.health()?;
    if !health.search_checked {
        eprintln!("jifang: {}", lang.t("check.search_skipped"));
    }
    let mut problems = health.problems;
    if let Some(backup) = against {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let opened = Connection::open_with_flags(backup, flags).map_err(|e| {
            anyhow::anyhow!(lang.tf(
                "check.backup_unreadable",
                &[("path", &backup.display()), ("reason", &e)]
            ))
        })?;
        problems.extend(chain::against(db.conn(), &opened)?.map(Problem::Audit));
    }
    if problems.is_empty() {
        say!("{}", lang.t("check.ok"));
        return Ok(ExitCode::SUCCESS);
    }
    let shown = path.display();
    say!(
        "{}",
        lang.tf(
            "check.problems",
            &[("count", &problems.len()), ("path", &shown)]
        )
    );
    for problem in &problems {
        say!("  {}", problem_text(problem, lang));
    }
    Ok(ExitCode::FAILURE)
}
