//! Checklist templates in SQLite: installing the built-in ones, importing a file, and the
//! template editor's changes (add, edit, reorder, retire items; add and retire templates).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Stamp;
use crate::db::stamped;
use crate::domain::checklist::{BiText, Choice, DeviceSet, Item, ItemKind, Template};
use crate::domain::device::Category;
use crate::domain::period::Period;
use crate::domain::schedule::Schedule;
use crate::domain::template_file as file;

/// A template as stored (without its items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    pub id: i64,
    pub code: String,
    pub name: BiText,
    pub period: Period,
    pub run_log: bool,
    /// Periods before the one holding this day are never counted as missed.
    pub active_from: NaiveDate,
    /// When in the period a run is due.
    pub schedule: Schedule,
}

/// An item as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    pub id: i64,
    pub item: Item,
}

const CHECKLIST_COLUMNS: &str =
    "id, code, name_zh, name_en, period, run_log, active_from, weekday, due_window";

fn checklist_from_row(r: &Row) -> rusqlite::Result<Checklist> {
    let period: String = r.get(4)?;
    let active_from: String = r.get(6)?;
    Ok(Checklist {
        id: r.get(0)?,
        code: r.get(1)?,
        name: BiText::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
        period: Period::parse(&period).unwrap_or(Period::Day),
        run_log: r.get(5)?,
        active_from: active_from.parse().unwrap_or(NaiveDate::MIN),
        schedule: Schedule::from_keys(&r.get::<_, String>(7)?, &r.get::<_, String>(8)?),
    })
}

/// The item columns, in the order `item_from_row` reads them from `offset` on.
pub(super) const ITEM_COLUMNS: &str = "i.code, i.kind, i.text_zh, i.text_en, i.unit_zh, \
    i.unit_en, i.min_value, i.max_value, i.choices, i.device_tag, i.category, i.devices";

pub(super) fn item_from_row(r: &Row, offset: usize) -> rusqlite::Result<Item> {
    let kind: String = r.get(offset + 1)?;
    let category: String = r.get(offset + 10)?;
    Ok(Item {
        code: r.get(offset)?,
        kind: ItemKind::parse(&kind).unwrap_or(ItemKind::PassFail),
        text: BiText::new(
            r.get::<_, String>(offset + 2)?,
            r.get::<_, String>(offset + 3)?,
        ),
        unit: BiText::new(
            r.get::<_, String>(offset + 4)?,
            r.get::<_, String>(offset + 5)?,
        ),
        min: r.get(offset + 6)?,
        max: r.get(offset + 7)?,
        choices: decode_choices(&r.get::<_, String>(offset + 8)?),
        device_tag: r.get(offset + 9)?,
        category: Category::parse(&category),
        devices: DeviceSet::from_key(&r.get::<_, String>(offset + 11)?),
    })
}

fn encode_choices(choices: &[Choice]) -> String {
    let clean = |t: &str| t.replace(['\t', '\n', '\r'], " ");
    choices
        .iter()
        .map(|c| {
            format!(
                "{}\t{}\t{}",
                clean(&c.label.zh),
                clean(&c.label.en),
                u8::from(c.fails)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn decode_choices(text: &str) -> Vec<Choice> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.split('\t');
            let zh = parts.next().unwrap_or_default();
            let en = parts.next().unwrap_or_default();
            Choice {
                label: BiText::new(zh, en),
                fails: parts.next() == Some("1"),
            }
        })
        .collect()
}

/// The templates in use, in the order the Checks tab lists them.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Checklist>> {
    let sql = format!(
        "SELECT {CHECKLIST_COLUMNS} FROM checklists WHERE retired_at IS NULL ORDER BY position, id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], checklist_from_row)?;
    rows.collect()
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Checklist>> {
    let sql = format!("SELECT {CHECKLIST_COLUMNS} FROM checklists WHERE id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], checklist_from_row)
        .optional()
}

/// The template's items in use, in order.
pub fn items(conn: &Connection, checklist_id: i64) -> rusqlite::Result<Vec<StoredItem>> {
    let sql = format!(
        "SELECT i.id, {ITEM_COLUMNS} FROM checklist_items i
         WHERE i.checklist_id = ?1 AND i.retired_at IS NULL ORDER BY i.position, i.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([checklist_id], |r| {
        Ok(StoredItem {
            id: r.get(0)?,
            item: item_from_row(r, 1)?,
        })
    })?;
    rows.collect()
}

fn insert_item(
    conn: &Connection,
    checklist_id: i64,
    position: i64,
    item: &Item,
    stamp: &Stamp,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO checklist_items (checklist_id, position, code, kind, text_zh, text_en,
             unit_zh, unit_en, min_value, max_value, choices, device_tag, category, devices,
             created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?16, ?14, ?15, ?14, ?15)",
    )?
    .execute(params![
        checklist_id,
        position,
        item.code.trim(),
        item.kind.key(),
        item.text.zh,
        item.text.en,
        item.unit.zh,
        item.unit.en,
        item.min,
        item.max,
        encode_choices(&item.choices),
        item.device_tag,
        item.category.map_or("", Category::key),
        stamp.at_text(),
        stamp.by,
        item.devices
            .as_ref()
            .map(DeviceSet::key)
            .unwrap_or_default(),
    ])?;
    Ok(conn.last_insert_rowid())
}

fn retire_row(
    conn: &Connection,
    table: &str,
    id: i64,
    reason: &str,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    // `table` is one of this module's own table names, never input.
    let sql = format!(
        "UPDATE {table} SET retired_at = ?2, retired_by = ?3, retired_reason = ?4,
             updated_at = ?2, updated_by = ?3, row_version = row_version + 1
         WHERE id = ?1 AND retired_at IS NULL"
    );
    conn.execute(&sql, params![id, stamp.at_text(), stamp.by, reason])?;
    Ok(())
}

/// What an import or the template editor changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Imported {
    /// A new template (false: an existing one with the same code was updated).
    pub new_template: bool,
    pub items_added: usize,
    pub items_changed: usize,
    pub items_retired: usize,
    pub items_unchanged: usize,
}

fn find_by_code(conn: &Connection, code: &str) -> rusqlite::Result<Option<(i64, bool)>> {
    conn.prepare_cached("SELECT id, retired_at IS NOT NULL FROM checklists WHERE code = ?1")?
        .query_row([code.trim()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// Add `template`, or bring the template with its code up to date: items are matched by code;
/// a changed item is retired and added anew (past runs keep the old wording), items missing
/// from the file are retired, and the file's order becomes the order. Call inside a
/// transaction. A new template counts missed periods from `today`.
pub fn import(
    conn: &Connection,
    template: &Template,
    today: NaiveDate,
    stamp: &Stamp,
) -> rusqlite::Result<Imported> {
    let at = stamp.at_text();
    let mut out = Imported::default();
    let (weekday, window) = template.schedule.keys();
    let id = match find_by_code(conn, &template.code)? {
        Some((id, retired)) => {
            conn.execute(
                "UPDATE checklists SET name_zh = ?2, name_en = ?3, period = ?4, run_log = ?5,
                     retired_at = NULL, retired_by = NULL, retired_reason = NULL,
                     active_from = CASE WHEN ?8 THEN ?6 ELSE active_from END,
                     weekday = ?10, due_window = ?11,
                     updated_at = ?7, updated_by = ?9, row_version = row_version + 1
                 WHERE id = ?1",
                params![
                    id,
                    template.name.zh,
                    template.name.en,
                    template.period.key(),
                    template.run_log,
                    today.to_string(),
                    at,
                    retired,
                    stamp.by,
                    weekday,
                    window
                ],
            )?;
            out.new_template = retired;
            id
        }
        None => {
            let position: i64 = conn.query_row(
                "SELECT ifnull(max(position), 0) + 1 FROM checklists",
                [],
                |r| r.get(0),
            )?;
            conn.execute(
                "INSERT INTO checklists (code, name_zh, name_en, period, run_log, position,
                     active_from, weekday, due_window, created_at, created_by, updated_at,
                     updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?10, ?11, ?8, ?9, ?8, ?9)",
                params![
                    template.code.trim(),
                    template.name.zh,
                    template.name.en,
                    template.period.key(),
                    template.run_log,
                    position,
                    today.to_string(),
                    at,
                    stamp.by,
                    weekday,
                    window
                ],
            )?;
            out.new_template = true;
            conn.last_insert_rowid()
        }
    };
    let existing = items(conn, id)?;
    for (position, item) in template.items.iter().enumerate() {
        let position = position as i64 + 1;
        let same_code = existing
            .iter()
            .find(|s| s.item.code.eq_ignore_ascii_case(item.code.trim()));
        match same_code {
            Some(stored) if stored.item == *item => {
                set_position(conn, stored.id, position, stamp)?;
                out.items_unchanged += 1;
            }
            Some(stored) => {
                retire_row(conn, "checklist_items", stored.id, "changed", stamp)?;
                insert_item(conn, id, position, item, stamp)?;
                out.items_changed += 1;
            }
            None => {
                insert_item(conn, id, position, item, stamp)?;
                out.items_added += 1;
            }
        }
    }
    for stored in &existing {
        let kept = template
            .items
            .iter()
            .any(|i| i.code.trim().eq_ignore_ascii_case(&stored.item.code));
        if !kept {
            retire_row(conn, "checklist_items", stored.id, "not in file", stamp)?;
            out.items_retired += 1;
        }
    }
    Ok(out)
}

/// Bring the built-in templates to what this version ships, after an upgrade from version
/// `from` (0 for a new database): a new database gets them all; an older one gets the
/// templates it lacks, and the built-in items that moved are retired from where they were
/// (their past answers stay). Runs after every schema section, so it writes today's columns.
pub fn install_built_in(
    conn: &Connection,
    from: i64,
    today: NaiveDate,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    if from < 3 {
        return install(conn, &file::BUILT_IN, today, stamp);
    }
    if from < 20 {
        install(conn, &file::BUILT_IN_20, today, stamp)?;
    }
    if from < 21 {
        // The 5S has its own Friday-afternoon template, and the stock-take is the semester's.
        for (list, item) in [("weekly", "W12"), ("yearly", "T01")] {
            let id: Option<i64> = conn
                .query_row(
                    "SELECT i.id FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id
                     WHERE c.code = ?1 AND i.code = ?2 AND i.retired_at IS NULL",
                    [list, item],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = id {
                retire_row(
                    conn,
                    "checklist_items",
                    id,
                    "moved to its own template",
                    stamp,
                )?;
            }
        }
        install(conn, &file::BUILT_IN_21, today, stamp)?;
        per_device_ups_test(conn, stamp)?;
    }
    Ok(())
}

/// The monthly UPS test (M01, M02) opens one line per UPS from version 21 on: the built-in
/// items, where nobody has reworded them, take the device set the shipped file gives them.
fn per_device_ups_test(conn: &Connection, stamp: &Stamp) -> rusqlite::Result<()> {
    let shipped = file::parse(file::BUILT_IN[3]).expect("built-in templates are valid (tested)");
    let Some((list, _)) = find_by_code(conn, &shipped.code)? else {
        return Ok(());
    };
    for stored in items(conn, list)? {
        let Some(new) = shipped
            .items
            .iter()
            .find(|i| i.devices.is_some() && i.code.eq_ignore_ascii_case(&stored.item.code))
        else {
            continue;
        };
        let mut unchanged = stored.item.clone();
        unchanged.devices = new.devices.clone();
        if unchanged == *new {
            save_item(conn, list, Some(stored.id), None, new, stamp)
                .map_err(|e| rusqlite::Error::InvalidParameterName(format!("{e:?}")))?;
        }
    }
    Ok(())
}

fn install(
    conn: &Connection,
    texts: &[&str],
    today: NaiveDate,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    for text in texts {
        let template = file::parse(text).expect("built-in templates are valid (tested)");
        import(conn, &template, today, stamp)?;
    }
    Ok(())
}

fn set_position(
    conn: &Connection,
    item_id: i64,
    position: i64,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    stamped::set(
        conn,
        "checklist_items",
        "position",
        item_id,
        position,
        stamp,
    )
}

/// Why the template editor could not save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    CodeTaken(String),
    Db(String),
}

impl From<rusqlite::Error> for EditError {
    fn from(e: rusqlite::Error) -> EditError {
        EditError::Db(e.to_string())
    }
}

/// Save an item from the editor: `replacing` names the item it edits (retired, the new wording
/// takes its place), `None` adds it after `after` (or at the end).
pub fn save_item(
    conn: &Connection,
    checklist_id: i64,
    replacing: Option<i64>,
    after: Option<i64>,
    item: &Item,
    stamp: &Stamp,
) -> Result<i64, EditError> {
    let current = items(conn, checklist_id)?;
    let taken = current
        .iter()
        .any(|s| Some(s.id) != replacing && s.item.code.eq_ignore_ascii_case(item.code.trim()));
    if taken {
        return Err(EditError::CodeTaken(item.code.trim().to_owned()));
    }
    let anchor = replacing.or(after);
    let index = anchor
        .and_then(|id| current.iter().position(|s| s.id == id))
        .map_or(
            current.len(),
            |i| if replacing.is_some() { i } else { i + 1 },
        );
    if let Some(old) = replacing {
        retire_row(conn, "checklist_items", old, "changed", stamp)?;
    }
    let new_id = insert_item(conn, checklist_id, 0, item, stamp)?;
    let mut order: Vec<i64> = current
        .iter()
        .map(|s| s.id)
        .filter(|id| Some(*id) != replacing)
        .collect();
    order.insert(index.min(order.len()), new_id);
    renumber(conn, &order, stamp)?;
    Ok(new_id)
}

fn renumber(conn: &Connection, order: &[i64], stamp: &Stamp) -> rusqlite::Result<()> {
    for (i, id) in order.iter().enumerate() {
        set_position(conn, *id, i as i64 + 1, stamp)?;
    }
    Ok(())
}

/// Move an item one place up (`-1`) or down (`1`). Returns whether it moved.
pub fn move_item(
    conn: &Connection,
    checklist_id: i64,
    item_id: i64,
    by: i32,
    stamp: &Stamp,
) -> rusqlite::Result<bool> {
    let mut order: Vec<i64> = items(conn, checklist_id)?.iter().map(|s| s.id).collect();
    let Some(i) = order.iter().position(|id| *id == item_id) else {
        return Ok(false);
    };
    let j = i as i64 + i64::from(by);
    if j < 0 || j as usize >= order.len() {
        return Ok(false);
    }
    order.swap(i, j as usize);
    renumber(conn, &order, stamp)?;
    Ok(true)
}

/// Retire an item: later runs no longer ask it; past runs keep their answers.
pub fn retire_item(
    conn: &Connection,
    item_id: i64,
    reason: &str,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    retire_row(conn, "checklist_items", item_id, reason, stamp)
}

/// Retire a whole template: it is no longer due and no longer counts missed periods.
pub fn retire(
    conn: &Connection,
    checklist_id: i64,
    reason: &str,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    retire_row(conn, "checklists", checklist_id, reason, stamp)
}

/// Whether a live template already uses `code`.
pub fn code_taken(conn: &Connection, code: &str) -> rusqlite::Result<bool> {
    Ok(find_by_code(conn, code)?.is_some_and(|(_, retired)| !retired))
}

/// Count missed periods from the one holding `from` (the demo's three months of history, or
/// a machine room that kept paper records until then).
pub fn set_active_from(
    conn: &Connection,
    checklist_id: i64,
    from: NaiveDate,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    stamped::set(
        conn,
        "checklists",
        "active_from",
        checklist_id,
        from.to_string(),
        stamp,
    )
}

#[cfg(test)]
mod tests;
