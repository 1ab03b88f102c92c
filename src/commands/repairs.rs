//! `jifang repairs list`: the repair log for scripts and spreadsheets.

use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};

use unicode_width::UnicodeWidthStr;

use crate::cli::Format;
use crate::db::Db;
use crate::db::repairs::{self, ListQuery, StateFilter};
use crate::domain::repair::State;
use crate::exchange::repairs as file;
use crate::i18n::Lang;

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
            // Ticket, state (never cut: as wide as the longest state's word), device,
            // maintainer, reported, due or on time, symptoms.
            let state = State::ALL
                .iter()
                .map(|s| UnicodeWidthStr::width(lang.t(s.label_key())) as u16)
                .max()
                .unwrap_or(10);
            let shown = [
                (0, 12),
                (1, state),
                (2, 22),
                (9, 8),
                (5, 16),
                (10, 16),
                (14, 8),
                (8, 30),
            ];
            let rows = tickets.iter().map(|r| file::cells(r, now, lang));
            let count = lang.tf("repairs.count", &[("count", &tickets.len())]);
            super::table::print(&mut out, file::COLUMNS, &shown, rows, count, lang)?;
        }
    }
    Ok(())
}
