//! `jifang readings compare` and `jifang import readings`: the daily comparison table for
//! scripts and spreadsheets, and loading figures exported from other systems.

use std::fmt::Display;
use std::io::Write;

use chrono::NaiveDate;

use rusqlite::Connection;

use super::import::{FileKind, Written};
use crate::cli::Format;
use crate::db::Db;
use crate::db::Stamp;
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

/// Daily figures as CSV, loaded as of `today`: all of them, or none with every problem listed.
pub struct ReadingFile {
    pub today: chrono::NaiveDate,
    pub lang: Lang,
}

impl FileKind for ReadingFile {
    type Plan = file::Plan;

    fn plan(&self, conn: &Connection, bytes: &[u8]) -> Result<file::Plan, Vec<String>> {
        file::plan(conn, bytes, self.today)
            .map_err(|ps| ps.iter().map(|p| p.message(self.lang)).collect())
    }

    fn preview(&self, plan: &file::Plan) -> Vec<String> {
        let lang = self.lang;
        let count = plan.values.len();
        vec![lang.tf("reading_import.dry_run", &[("count", &count)])]
    }

    const DONE: &'static str = "reading_import.done";

    fn apply(&self, conn: &mut Connection, plan: &file::Plan, stamp: &Stamp) -> Written {
        let done = file::apply(conn, plan, self.today, stamp).map_err(|e| e.message(self.lang))?;
        Ok(vec![
            ("added", done.added),
            ("corrected", done.corrected),
            ("unchanged", done.unchanged),
        ])
    }
}
