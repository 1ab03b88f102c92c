//! `jifang import checklist` and `jifang checks status`.

use std::fmt::Display;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::import::Import;
use crate::db::check_runs::{self, RunSummary};
use crate::db::{Db, checklists};
use crate::domain::calendar::iso_week_label;
use crate::exchange::checklist as file;
use crate::i18n::Lang;

/// Check a template file, then (unless `dry_run`) add it or update the template with its code.
pub fn import(mut job: Import) -> anyhow::Result<ExitCode> {
    let lang = job.lang;
    let template = file::parse_bytes(&job.bytes()?);
    let lines = |error: file::FileError| error.message(lang).lines().map(str::to_owned).collect();
    let Some(template) = job.planned(template, lines) else {
        return Ok(ExitCode::FAILURE);
    };
    let name = template.name.get(lang).to_owned();
    let period = lang.t(template.period.label_key());
    let items = template.items.len();
    let head: [(&str, &dyn Display); 4] = [
        ("code", &template.code),
        ("name", &name),
        ("period", &period),
        ("items", &items),
    ];
    if job.dry_run {
        let key = if checklists::code_taken(job.db.conn(), &template.code)? {
            "checklist_import.would_update"
        } else {
            "checklist_import.would_add"
        };
        say!("{}", lang.tf(key, &head));
        say!("{}", lang.t("checklist_import.dry_run"));
        return Ok(ExitCode::SUCCESS);
    }
    let (today, stamp) = (job.stamp.at.date(), &job.stamp);
    let done = job
        .db
        .write(|tx| checklists::import(tx, &template, today, stamp))?;
    if done.new_template {
        say!("{}", lang.tf("checklist_import.added", &head));
    } else {
        let args: [(&str, &dyn Display); 7] = [
            head[0],
            head[1],
            head[2],
            ("added", &done.items_added),
            ("changed", &done.items_changed),
            ("retired", &done.items_retired),
            ("unchanged", &done.items_unchanged),
        ];
        say!("{}", lang.tf("checklist_import.updated", &args));
    }
    Ok(ExitCode::SUCCESS)
}

fn progress(run: Option<&RunSummary>, total: usize, lang: Lang) -> String {
    match run {
        Some(r) if r.is_signed() => lang.tf(
            "checks_status.signed",
            &[
                ("by", &r.signed_by.clone().unwrap_or_default()),
                ("at", &r.signed_at.clone().unwrap_or_default()),
            ],
        ),
        Some(r) if r.is_started() => format!(
            "{:>5}  {}",
            format!("{}/{}", r.answered, r.total),
            lang.t("checks_status.open")
        ),
        _ => format!(
            "{:>5}  {}",
            format!("0/{total}"),
            lang.t("checks_status.not_started")
        ),
    }
}

fn failed(run: Option<&RunSummary>, lang: Lang) -> String {
    match run {
        Some(r) if r.failed > 0 => format!(
            "  ({})",
            lang.tf("checks_status.failed", &[("count", &r.failed)])
        ),
        _ => String::new(),
    }
}

/// The report `jifang checks status` prints, as of `today`.
pub fn status_report(db: &Db, today: NaiveDate, lang: Lang) -> rusqlite::Result<String> {
    let due = check_runs::due(db.conn(), today)?;
    let mut out = vec![lang.tf(
        "checks_status.heading",
        &[("date", &today), ("week", &iso_week_label(today))],
    )];
    if due.is_empty() {
        out.push(lang.t("checks_status.no_templates").to_owned());
        return Ok(out.join("\n"));
    }
    out.push(lang.t("checks_status.due").to_owned());
    for d in &due {
        let when = d
            .due
            .filter(|_| !d.is_signed())
            .map(|due| format!(" ({})", crate::words::due_time(due, today, lang)))
            .unwrap_or_default();
        out.push(format!(
            "  {:<10}  {}{}  {}{when}",
            d.checklist.period.label(d.period_start),
            progress(d.run.as_ref(), d.item_count, lang),
            failed(d.run.as_ref(), lang),
            d.checklist.name.get(lang),
        ));
    }
    let resting = check_runs::resting(db.conn(), today)?;
    if !resting.is_empty() {
        let names: Vec<&str> = resting.iter().map(|c| c.name.get(lang)).collect();
        let names = names.join(lang.t("permission.and"));
        out.push(lang.tf("checks_status.resting", &[("names", &names)]));
    }
    let missed = check_runs::missed(db.conn(), today)?;
    if missed.is_empty() {
        out.push(lang.t("checks_status.no_missed").to_owned());
    } else {
        out.push(lang.tf("checks_status.missed", &[("count", &missed.len())]));
        for m in &missed {
            let state = match &m.run {
                Some(run) if run.is_started() => progress(Some(run), run.total, lang),
                _ => lang.t("checks_status.not_started").to_owned(),
            };
            out.push(format!(
                "  {:<10}  {:<13} {}  {}",
                m.checklist.period.label(m.period_start),
                m.checklist.period.span_text(m.period_start, m.period_end),
                state,
                m.checklist.name.get(lang),
            ));
        }
    }
    Ok(out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn the_status_columns_line_up_in_both_languages() {
        let db = Db::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        for lang in Lang::ALL {
            let report = status_report(&db, today, lang).unwrap();
            let due: Vec<&str> = report.lines().filter(|l| l.starts_with("  ")).collect();
            assert_eq!(due.len(), 7, "{report}");
            // The 5S says when it is due.
            if lang == Lang::En {
                assert!(
                    report.contains("machine-room 5S (due Fri 12-04 13:00-18:00)"),
                    "{report}"
                );
            }
            // Where each template's name starts, in terminal columns.
            let name_at = |line: &str| {
                let name_start = line.rfind("  ").unwrap() + 2;
                line[..name_start].width()
            };
            let first = name_at(due[0]);
            assert!(due.iter().all(|l| name_at(l) == first), "{report}");
        }
    }
}
