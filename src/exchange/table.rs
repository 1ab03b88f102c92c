//! One documented column order shared by a CSV export (Excel-ready: UTF-8 with BOM,
//! formula-guarded text) and its JSON twin (English keys, typed values).

use super::csv_text::{Writer, escape_cell};
use crate::i18n::Lang;

/// A column: the English key (CSV header with `--lang en`, JSON field) and the Chinese header.
pub type Column = (&'static str, &'static str);

/// The header row in the language: English keys, or Chinese labels.
pub fn header(columns: &[Column], lang: Lang) -> Vec<&'static str> {
    columns
        .iter()
        .map(|(en, zh)| if lang == Lang::En { *en } else { *zh })
        .collect()
}

/// Rows of cells as CSV bytes; cells of columns `is_number` names are never formula-guarded.
pub fn csv<I>(columns: &[Column], rows: I, is_number: fn(&str) -> bool, lang: Lang) -> Vec<u8>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut writer = Writer::new();
    writer.row(header(columns, lang));
    for cells in rows {
        let row = cells.into_iter().zip(columns).map(|(cell, (key, _))| {
            if is_number(key) {
                cell
            } else {
                escape_cell(&cell)
            }
        });
        writer.row(row);
    }
    writer.into_bytes()
}

/// Rows as a pretty JSON array of objects in column order. `typed` gives a column's value
/// when it is not plain text (a number, a boolean, a stable key); `None` keeps the cell.
pub fn json<T>(
    columns: &[Column],
    items: &[T],
    cells: impl Fn(&T) -> Vec<String>,
    typed: impl Fn(&T, &str) -> Option<serde_json::Value>,
) -> String {
    let rows: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            let mut object = serde_json::Map::new();
            for (cell, (key, _)) in cells(item).into_iter().zip(columns) {
                let value = typed(item, key).unwrap_or(serde_json::Value::String(cell));
                object.insert((*key).to_owned(), value);
            }
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_owned())
}
