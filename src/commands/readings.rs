//! `jifang readings compare` and `jifang import readings`: the daily comparison table for
//! scripts and spreadsheets, and loading figures exported from other systems.

use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::import::Import;
use crate::cli::Format;
use crate::db::Db;
use crate::db::readings;
use crate::domain::reading::{Base, NO_VALUE};
use crate::exchange::readings as file;
use crate::i18n::Lang;
use crate::text::fitted;

/// Print every metric in use on `day` against `base`.
pub fn compare(
    db: &Db,
    day: NaiveDate,
    base: Base,
    format: Format,
    lang: Lang,
) -> anyhow::Result<()> {
    let rows = readings::compare_day(db.conn(), day, base)?;
    let mut out = super::stdout();
    match format {
        Format::Csv => out.write_all(&file::compare_csv(&rows, day, base, lang))?,
        Format::Json => writeln!(out, "{}", file::compare_json(&rows, day, base, lang))?,
        Format::Table => {
            let args: [(&str, &dyn Display); 2] =
                [("day", &day), ("base", &lang.t(base.label_key()))];
            writeln!(out, "{}", lang.tf("data.compare_title", &args))?;
            let header = crate::exchange::table::header(file::COMPARE_COLUMNS, lang);
            let widths = [20u16, 10, 10, 9, 9, 9, 8];
            let line = |cells: [&str; 7], flag: &str| {
                format!("{} {flag}", fitted(cells.into_iter().zip(widths)))
                    .trim_end()
                    .to_owned()
            };
            let h = |i: usize| header[i];
            writeln!(
                out,
                "{}",
                line([h(3), h(6), h(7), h(8), h(9), h(10), h(11)], "")
            )?;
            for row in &rows {
                let cells = file::compare_cells(row, day, base, lang);
                let (delta, pct) = file::change_texts(row);
                let name = match row.metric.scope.as_str() {
                    "" => cells[3].clone(),
                    scope => format!("{} {scope}", cells[3]),
                };
                let flag = if row.comparison.flagged { "!" } else { "" };
                let shown = |i: usize| {
                    if cells[i].is_empty() {
                        NO_VALUE
                    } else {
                        cells[i].as_str()
                    }
                };
                writeln!(
                    out,
                    "{}",
                    line(
                        [
                            &name,
                            shown(6),
                            shown(7),
                            &delta,
                            &pct,
                            &cells[10],
                            &cells[11]
                        ],
                        flag
                    )
                )?;
            }
            let gaps = readings::gaps(db.conn(), day, 1)?;
            let missing = gaps.first().map_or(0, |g| g.missing);
            writeln!(
                out,
                "{}",
                lang.tf(
                    "data.compare_count",
                    &[("count", &rows.len()), ("missing", &missing)]
                )
            )?;
        }
    }
    Ok(())
}

/// Load the values of a CSV file: all of them, or none with every problem listed.
pub fn import(mut job: Import) -> anyhow::Result<ExitCode> {
    let (lang, today) = (job.lang, job.stamp.at.date());
    let plan = file::plan(job.db.conn(), &job.bytes()?, today);
    let Some(plan) = job.planned(plan, |problems| {
        problems.iter().map(|p| p.message(lang)).collect()
    }) else {
        return Ok(ExitCode::FAILURE);
    };
    if job.dry_run {
        let count = plan.values.len();
        say!(
            "{}",
            lang.tf("reading_import.dry_run", &[("count", &count)])
        );
        return Ok(ExitCode::SUCCESS);
    }
    let done = file::apply(job.db.conn_mut(), &plan, today, &job.stamp)
        .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    let shown = job.shown();
    let args: [(&str, &dyn Display); 4] = [
        ("file", &shown),
        ("added", &done.added),
        ("corrected", &done.corrected),
        ("unchanged", &done.unchanged),
    ];
    say!("{}", lang.tf("reading_import.done", &args));
    Ok(ExitCode::SUCCESS)
}
