//! The audit log as Excel-ready CSV: one documented column order for `jifang audit` and the
//! audit log's `E`, written a chunk at a time so a year of log is never held whole.

use std::io::Write;

use super::csv_text::{Writer, escape_cell};
use super::table::{Column, header};
use crate::db::audit::Entry;
use crate::i18n::Lang;

pub const COLUMNS: [Column; 11] = [
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
    ("login", "登录名"),
];

/// Rows per chunk handed to the output.
const CHUNK: usize = 1000;

fn json_text(values: &serde_json::Map<String, serde_json::Value>) -> String {
    if values.is_empty() {
        String::new()
    } else {
        serde_json::Value::Object(values.clone()).to_string()
    }
}

/// Audit entries written as CSV rows to `out`, the header first.
pub struct CsvRows<'a> {
    out: &'a mut dyn Write,
    writer: Writer,
    count: usize,
}

impl<'a> CsvRows<'a> {
    pub fn new(out: &'a mut dyn Write, lang: Lang) -> CsvRows<'a> {
        let mut writer = Writer::new();
        writer.row(header(&COLUMNS, lang));
        CsvRows {
            out,
            writer,
            count: 0,
        }
    }

    pub fn entry(&mut self, e: &Entry) -> std::io::Result<()> {
        self.writer.row([
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
            escape_cell(e.login.as_deref().unwrap_or("")),
        ]);
        self.count += 1;
        if self.count.is_multiple_of(CHUNK) {
            let chunk = std::mem::replace(&mut self.writer, Writer::continued());
            self.out.write_all(&chunk.into_bytes())?;
        }
        Ok(())
    }

    /// Write what is left; how many entries were written.
    pub fn finish(self) -> std::io::Result<usize> {
        self.out.write_all(&self.writer.into_bytes())?;
        Ok(self.count)
    }
}

/// One entry as a JSON object (a line of `jifang audit --format json`).
pub fn json(e: &Entry) -> serde_json::Value {
    serde_json::json!({
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
        "login": e.login,
    })
}
