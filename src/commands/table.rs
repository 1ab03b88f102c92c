//! A listing printed as a table for people: the chosen columns, each fitted to its width, the
//! header in the operator's language, and a count line.

use std::io::Write;

use crate::exchange::table::{self, Column};
use crate::i18n::Lang;
use crate::text::fitted;

/// Print some columns of rows as an aligned table, then the count line.
pub fn print(
    out: &mut impl Write,
    columns: &[Column],
    shown: &[(usize, u16)],
    rows: impl Iterator<Item = Vec<String>>,
    count: String,
    lang: Lang,
) -> std::io::Result<()> {
    let header = table::header(columns, lang);
    let line = |cells: Vec<&str>| fitted(cells.into_iter().zip(shown.iter().map(|(_, w)| *w)));
    writeln!(
        out,
        "{}",
        line(shown.iter().map(|(i, _)| header[*i]).collect())
    )?;
    for cells in rows {
        writeln!(
            out,
            "{}",
            line(shown.iter().map(|(i, _)| cells[*i].as_str()).collect())
        )?;
    }
    writeln!(out, "{count}")
}
