//! `jifang repairs list`: the repair log for scripts and spreadsheets.

use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};

use crate::cli::Format;
use crate::db::Db;
use crate::db::repairs::{self, ListQuery, StateFilter};
use crate::exchange::repairs as file;
use crate::i18n::Lang;
use crate::text::fit;

/// Print the tickets of a state (and month they were reported in) to stdout.
pub fn list(
    db: &Db,
    state: StateFilter,
    month: Option<NaiveDate>,
    format: Format,
    now: NaiveDateTime,
    lang: Lang,
) -> anyhow::Result<()> {
    let query = ListQuery {
        state,
        month,
        ..ListQuery::default()
    };
    let tickets = repairs::matching(db.conn(), &query, now)?;
    let mut out = super::stdout();
    match format {
        Format::Csv => out.write_all(&file::csv(&tickets, now, lang))?,
        Format::Json => writeln!(out, "{}", file::json(&tickets, now, lang))?,
        Format::Table => {
            // Ticket, state, device, maintainer, reported, due or on time, symptoms.
            let shown = [0usize, 1, 2, 9, 5, 10, 14, 8];
            let widths = [12u16, 10, 22, 8, 16, 16, 8, 30];
            let header = file::header(lang);
            let line = |cells: Vec<&str>| {
                let parts: Vec<String> = cells.iter().zip(widths).map(|(c, w)| fit(c, w)).collect();
                parts.join(" ").trim_end().to_owned()
            };
            writeln!(out, "{}", line(shown.iter().map(|i| header[*i]).collect()))?;
            for r in &tickets {
                let cells = file::cells(r, now, lang);
                writeln!(
                    out,
                    "{}",
                    line(shown.iter().map(|i| cells[*i].as_str()).collect())
                )?;
            }
            writeln!(
                out,
                "{}",
                lang.tf("repairs.count", &[("count", &tickets.len())])
            )?;
        }
    }
    Ok(())
}
