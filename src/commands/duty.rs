//! `jifang duty log add` and `jifang duty log`: the duty's work log for people and scripts (a
//! backup job can log "备份完成", a monitoring job an alarm).

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::cli::Format;
use crate::db::duty::{self, NewEntry};
use crate::db::{Db, Stamp};
use crate::domain::duty::LogKind;
use crate::exchange::duty as file;
use crate::i18n::Lang;

/// Write one entry, signed by the command's operator; says its number.
pub fn add(
    db: &mut Db,
    kind: &str,
    device: Option<String>,
    text: &str,
    stamp: &Stamp,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let Some(kind) = LogKind::parse(kind) else {
        let known: Vec<&str> = LogKind::ALL.iter().map(|k| k.key()).collect();
        anyhow::bail!(lang.tf(
            "duty.unknown_kind",
            &[("kind", &kind), ("known", &known.join(", "))]
        ));
    };
    let entry = NewEntry {
        kind,
        text: text.to_owned(),
        device,
        corrects: None,
    };
    let id = db
        .write(|tx| duty::add(tx, &entry, stamp))
        .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    say!("{}", lang.tf("duty.added", &[("number", &id)]));
    Ok(ExitCode::SUCCESS)
}

/// Print the entries from `from` to `to`, newest first.
pub fn list(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    format: Format,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let entries = duty::between(db.conn(), from, to)?;
    let mut out = super::stdout();
    match format {
        Format::Csv => out.write_all(&file::csv(&entries, lang))?,
        Format::Json => writeln!(out, "{}", file::json(&entries, lang))?,
        Format::Table => {
            let shown = [(0, 6), (1, 16), (2, 8), (4, 12), (7, 8), (3, 40)];
            let rows = entries.iter().map(|e| file::cells(e, lang));
            let count = lang.tf("duty.count", &[("count", &entries.len())]);
            super::table::print(&mut out, file::COLUMNS, &shown, rows, count, lang)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What a handover would gather now: each part with its count and a line an item, or JSON.
pub fn handover(
    db: &Db,
    format: crate::cli::HandoverFormat,
    now: chrono::NaiveDateTime,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    use crate::exchange::handover as gathered;
    let g = crate::db::handover::gather(db.conn(), now)?;
    let mut out = super::stdout();
    match format {
        crate::cli::HandoverFormat::Json => {
            writeln!(out, "{:#}", gathered::json(&g, now, lang))?;
        }
        crate::cli::HandoverFormat::Table => {
            for (part, lines) in gathered::lines(&g, now, lang) {
                let heading = lang.tf(&format!("handover.{part}"), &[("count", &lines.len())]);
                writeln!(out, "{heading}")?;
                for line in lines {
                    writeln!(out, "  {line}")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
