//! The work log as CSV and JSON (`jifang duty log --format csv|json`): a row an entry, newest
//! first; the kind in words in CSV, by key in JSON.

use super::table::{self, Column};
use crate::db::duty::Entry;
use crate::i18n::Lang;

pub const COLUMNS: &[Column] = &[
    ("number", "编号"),
    ("at", "时间"),
    ("kind", "类型"),
    ("text", "内容"),
    ("asset_tag", "资产编号"),
    ("device", "设备"),
    ("corrects", "更正"),
    ("operator", "值班人"),
];

fn is_number(column: &str) -> bool {
    matches!(column, "number" | "corrects")
}

pub fn cells(entry: &Entry, lang: Lang) -> Vec<String> {
    let (tag, name) = entry.device.clone().unwrap_or_default();
    vec![
        entry.id.to_string(),
        entry.at.chars().take(16).collect(),
        lang.t(entry.kind.label_key()).to_owned(),
        entry.text.clone(),
        tag,
        name,
        entry.corrects.map(|n| n.to_string()).unwrap_or_default(),
        entry.operator.clone(),
    ]
}

pub fn csv(entries: &[Entry], lang: Lang) -> Vec<u8> {
    table::csv(
        COLUMNS,
        entries.iter().map(|e| cells(e, lang)),
        is_number,
        lang,
    )
}

pub fn json(entries: &[Entry], lang: Lang) -> String {
    table::json(
        COLUMNS,
        entries,
        |e| cells(e, lang),
        |e, key| {
            Some(match key {
                "number" => serde_json::json!(e.id),
                "kind" => serde_json::json!(e.kind.key()),
                "corrects" => serde_json::json!(e.corrects),
                _ => return None,
            })
        },
    )
}
