//! `jifang audit`: the audit log for inspectors, as a table, Excel-ready CSV or JSON.

use std::io::Write;

use crate::cli::Format;
use crate::db::Db;
use crate::db::audit::{self, Entry, Query};
use crate::exchange::audit as file;
use crate::exchange::table::header;
use crate::i18n::Lang;
use crate::text::{fit, printable};

/// "location: A101 -> B202; name: x -> y" for an update, "location: A101; ..." otherwise.
pub fn changes_text(entry: &Entry) -> String {
    entry
        .changes()
        .iter()
        .map(|c| format!("{}: {}", c.column, c.text))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Print the entries matching `query`, oldest first. A reader that stops early (`| head`)
/// ends the printing quietly.
pub fn print(db: &Db, query: &Query, format: Format, lang: Lang) -> anyhow::Result<()> {
    match write(db, query, format, lang) {
        Err(e)
            if e.downcast_ref::<audit::ReadError>().is_some_and(|e| {
                matches!(e, audit::ReadError::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            Ok(())
        }
        other => other,
    }
}

fn write(db: &Db, query: &Query, format: Format, lang: Lang) -> anyhow::Result<()> {
    if let Some(table) = &query.table {
        let mut tables = audit::audited_tables(db.conn())?;
        // The log's own rows: the chain's first row, and triggers `check --repair` put back.
        tables.extend([audit::TABLE, audit::chain::TRIGGERS_TABLE].map(str::to_owned));
        // Rows logged before they were protected instead (schema 16) stay readable.
        tables.extend(audit::NOT_AUDITED_AGAIN.map(str::to_owned));
        if !tables.contains(table) {
            anyhow::bail!(lang.tf(
                "audit.unknown_table",
                &[("table", &printable(table)), ("tables", &tables.join(", "))]
            ));
        }
    }
    let mut out = super::stdout();
    let mut count = 0usize;
    match format {
        Format::Csv => {
            let mut rows = file::CsvRows::new(&mut out, lang);
            audit::for_each(db.conn(), query, |e| rows.entry(&e))?;
            rows.finish()?;
        }
        Format::Json => {
            // One JSON object per line: a long log streams, and each line parses alone.
            audit::for_each(db.conn(), query, |e| writeln!(out, "{}", file::json(&e)))?;
        }
        Format::Table => {
            let widths = [7u16, 19, 18, 20, 9, 8];
            let names = header(&file::COLUMNS, lang);
            let mut head: Vec<String> = names[..6]
                .iter()
                .zip(widths)
                .map(|(n, w)| fit(n, w))
                .collect();
            head.push(lang.t("audit.changes").to_owned());
            writeln!(out, "{}", head.join(" "))?;
            audit::for_each(db.conn(), query, |e| {
                let action = lang.t(match e.action {
                    audit::Action::Insert => "audit.created",
                    audit::Action::Update => "audit.changed",
                    audit::Action::Delete => "audit.removed",
                });
                let cells = [
                    e.id.to_string(),
                    e.when().to_owned(),
                    crate::words::who_short(&e),
                    e.table.clone(),
                    e.record_id.to_string(),
                    action.to_owned(),
                ];
                let mut line: Vec<String> =
                    cells.iter().zip(widths).map(|(c, w)| fit(c, w)).collect();
                if e.outside {
                    line.push(format!("[{}]", lang.t("audit.outside")));
                }
                line.push(printable(&changes_text(&e)));
                count += 1;
                writeln!(out, "{}", line.join(" ").trim_end())
            })?;
            writeln!(out, "{}", lang.tf("audit.count", &[("count", &count)]))?;
        }
    }
    Ok(())
}
