//! `jifang audit`: the audit log for inspectors, as a table, Excel-ready CSV or JSON.

use std::io::Write;

use super::repairs::Format;
use crate::db::Db;
use crate::db::audit::{self, Entry, Query};
use crate::exchange::csv_text::{Writer, escape_cell};
use crate::exchange::table::{Column, header};
use crate::i18n::Lang;
use crate::tui::text::{fit, printable};

const COLUMNS: [Column; 10] = [
    ("id", "序号"),
    ("at", "时间"),
    ("operator", "操作员"),
    ("table", "数据表"),
    ("record_id", "记录"),
    ("action", "操作"),
    ("old_values", "原值"),
    ("new_values", "新值"),
    ("clock_at", "时钟时间"),
    ("outside", "jifang 之外修改"),
];

/// Rows per chunk written to stdout: a year of log is never held whole.
const CHUNK: usize = 1000;

/// "location: A101 -> B202; name: x -> y" for an update, "location: A101; ..." otherwise.
pub fn changes_text(entry: &Entry) -> String {
    entry
        .changes()
        .iter()
        .map(|c| format!("{}: {}", c.column, c.text))
        .collect::<Vec<_>>()
        .join("; ")
}

fn json_text(values: &serde_json::Map<String, serde_json::Value>) -> String {
    if values.is_empty() {
        String::new()
    } else {
        serde_json::Value::Object(values.clone()).to_string()
    }
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
            let mut writer = Writer::new();
            writer.row(header(&COLUMNS, lang));
            audit::for_each(db.conn(), query, |e| {
                let cells = [
                    e.id.to_string(),
                    escape_cell(&e.at),
                    escape_cell(&e.operator),
                    e.table.clone(),
                    e.record_id.to_string(),
                    e.action.code().to_owned(),
                    escape_cell(&json_text(&e.old)),
                    escape_cell(&json_text(&e.new)),
                    e.clock_at.clone().unwrap_or_default(),
                    u8::from(e.outside).to_string(),
                ];
                writer.row(cells);
                count += 1;
                if count.is_multiple_of(CHUNK) {
                    out.write_all(
                        &std::mem::replace(&mut writer, Writer::continued()).into_bytes(),
                    )?;
                }
                Ok(())
            })?;
            out.write_all(&writer.into_bytes())?;
        }
        Format::Json => {
            // One JSON object per line: a long log streams, and each line parses alone.
            audit::for_each(db.conn(), query, |e| {
                let line = serde_json::json!({
                    "id": e.id,
                    "at": e.at,
                    "operator": e.operator,
                    "table": e.table,
                    "record_id": e.record_id,
                    "action": e.action.code(),
                    "old_values": e.old,
                    "new_values": e.new,
                    "clock_at": e.clock_at,
                    "outside": e.outside,
                });
                writeln!(out, "{line}")
            })?;
        }
        Format::Table => {
            let widths = [7u16, 19, 10, 20, 9, 8];
            let names = header(&COLUMNS, lang);
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
                    e.operator.clone(),
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
