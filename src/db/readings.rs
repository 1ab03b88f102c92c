//! Daily data in the store: the metrics (add, edit, reorder, retire, the built-in set) and one
//! value per metric and day (enter, correct, clear), with every correction kept.

mod compare;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Deserialize;

use super::Stamp;
use crate::db::stamped::{self, Fields};
use crate::domain::reading::{Direction, Rule, Target};
use crate::i18n::Lang;

pub use compare::{CompareRow, DayGap, compare_day, day_view, gaps, missing_on, series};

/// The metrics a new database starts with.
const BUILT_IN: &str = include_str!("../../assets/metrics.toml");

/// The most decimal places a metric may have.
pub const MAX_DECIMALS: u8 = 4;

/// A metric in use: what the operator set on it ([`MetricInput`], read through the metric
/// itself: `metric.unit`), where it stands in the table and which version of it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub id: i64,
    pub set: MetricInput,
    pub position: i64,
    pub row_version: i64,
}

impl std::ops::Deref for Metric {
    type Target = MetricInput;

    fn deref(&self) -> &MetricInput {
        &self.set
    }
}

impl Metric {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            Lang::Zh => &self.name_zh,
        }
    }

    pub fn rule(&self) -> Rule {
        Rule {
            direction: self.direction,
            decimals: self.decimals,
            target: self.target,
            alert_pct: self.alert_pct,
        }
    }

    pub fn input(&self) -> MetricInput {
        self.set.clone()
    }
}

/// What an operator sets on a metric.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricInput {
    pub name_zh: String,
    pub name_en: String,
    pub group: String,
    pub scope: String,
    pub unit: String,
    pub decimals: u8,
    pub direction: Direction,
    pub target: Target,
    pub alert_pct: Option<f64>,
}

impl MetricInput {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.trim(),
            Lang::Zh => self.name_zh.trim(),
        }
    }
}

/// Why a metric or a value was not saved. Nothing is written when one comes back.
#[derive(Debug)]
pub enum ReadingError {
    NeedsNameZh,
    NeedsNameEn,
    NeedsGroup,
    Text(crate::domain::text::TextError),
    /// Another metric in use has this name in this scope.
    NameTaken {
        name: String,
        scope: String,
    },
    /// Someone else changed the metric since it was read.
    Conflict,
    NotFound,
    /// A value for a day that has not ended... or begun.
    FutureDay {
        day: NaiveDate,
    },
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for ReadingError {
    fn from(e: rusqlite::Error) -> ReadingError {
        ReadingError::Db(e)
    }
}

const METRIC_COLUMNS: &str = "id, name_zh, name_en, group_name, scope, unit, decimals, direction,
     target_min, target_max, alert_pct, position, row_version";

fn metric_from_row(r: &Row) -> rusqlite::Result<Metric> {
    let direction: String = r.get(7)?;
    let (min, max) = (r.get(8)?, r.get(9)?);
    Ok(Metric {
        id: r.get(0)?,
        set: MetricInput {
            name_zh: r.get(1)?,
            name_en: r.get(2)?,
            group: r.get(3)?,
            scope: r.get(4)?,
            unit: r.get(5)?,
            decimals: r.get(6)?,
            direction: Direction::parse(&direction).unwrap_or(Direction::Neutral),
            target: Target { min, max },
            alert_pct: r.get(10)?,
        },
        position: r.get(11)?,
        row_version: r.get(12)?,
    })
}

/// The metrics in use, in the order of the comparison table.
pub fn metrics(conn: &Connection) -> rusqlite::Result<Vec<Metric>> {
    conn.prepare_cached(&format!(
        "SELECT {METRIC_COLUMNS} FROM metrics WHERE retired_at IS NULL ORDER BY position, id"
    ))?
    .query_map([], metric_from_row)?
    .collect()
}

pub fn metric(conn: &Connection, id: i64) -> rusqlite::Result<Option<Metric>> {
    conn.prepare_cached(&format!(
        "SELECT {METRIC_COLUMNS} FROM metrics WHERE id = ?1 AND retired_at IS NULL"
    ))?
    .query_row([id], metric_from_row)
    .optional()
}

/// The metric in use called `name` (in either language, any case) in `scope`.
pub fn find_metric(conn: &Connection, name: &str, scope: &str) -> rusqlite::Result<Option<Metric>> {
    conn.prepare_cached(&format!(
        "SELECT {METRIC_COLUMNS} FROM metrics
         WHERE retired_at IS NULL AND scope = ?2 COLLATE NOCASE
           AND (name_zh = ?1 COLLATE NOCASE OR name_en = ?1 COLLATE NOCASE)
         ORDER BY position LIMIT 1"
    ))?
    .query_row(params![name.trim(), scope.trim()], metric_from_row)
    .optional()
}

/// The groups and scopes in use, for the form's pick lists.
pub fn groups_and_scopes(conn: &Connection) -> rusqlite::Result<(Vec<String>, Vec<String>)> {
    let grouped = |column: &str| -> rusqlite::Result<Vec<String>> {
        conn.prepare(&format!(
            "SELECT {column} FROM metrics WHERE retired_at IS NULL AND {column} <> ''
             GROUP BY {column} ORDER BY min(position)"
        ))?
        .query_map([], |r| r.get(0))?
        .collect()
    };
    Ok((grouped("group_name")?, grouped("scope")?))
}

/// Every problem with a metric's names and group, in form order.
pub fn input_problems(input: &MetricInput) -> Vec<ReadingError> {
    let mut problems = Vec::new();
    if input.name_zh.trim().is_empty() {
        problems.push(ReadingError::NeedsNameZh);
    }
    if input.name_en.trim().is_empty() {
        problems.push(ReadingError::NeedsNameEn);
    }
    if input.group.trim().is_empty() {
        problems.push(ReadingError::NeedsGroup);
    }
    use crate::domain::text::{Kind, first_error};
    let texts = [
        ("text_field.name_zh", input.name_zh.as_str(), Kind::Line, 60),
        ("text_field.name_en", &input.name_en, Kind::Line, 60),
        ("text_field.group", &input.group, Kind::Line, 60),
        ("text_field.scope", &input.scope, Kind::Line, 60),
        ("text_field.unit", &input.unit, Kind::Line, 60),
    ];
    if let Some(e) = first_error(&texts) {
        problems.push(ReadingError::Text(e));
    }
    problems
}

fn check_input(
    conn: &Connection,
    input: &MetricInput,
    id: Option<i64>,
) -> Result<(), ReadingError> {
    if let Some(problem) = input_problems(input).into_iter().next() {
        return Err(problem);
    }
    for name in [&input.name_zh, &input.name_en] {
        if let Some(other) = find_metric(conn, name, &input.scope)?
            && Some(other.id) != id
        {
            return Err(ReadingError::NameTaken {
                name: name.trim().to_owned(),
                scope: input.scope.trim().to_owned(),
            });
        }
    }
    Ok(())
}

/// Add a metric at the end of its group (or of the table, for a new group).
pub fn add_metric(
    conn: &Connection,
    input: &MetricInput,
    stamp: &Stamp,
) -> Result<i64, ReadingError> {
    check_input(conn, input, None)?;
    let position: i64 = conn.query_row(
        "SELECT coalesce(
             (SELECT max(position) FROM metrics WHERE retired_at IS NULL AND group_name = ?1),
             (SELECT max(position) FROM metrics), 0)",
        [input.group.trim()],
        |r| r.get(0),
    )?;
    // Make room after the group's last metric.
    conn.prepare_cached(
        "UPDATE metrics SET position = position + 1, updated_at = ?2, updated_by = ?3,
             row_version = row_version + 1
         WHERE position > ?1",
    )?
    .execute(params![position, stamp.at_text(), stamp.by])?;
    metric_fields(input, stamp)
        .value(":position", position + 1)
        .execute(
            conn,
            "INSERT INTO metrics (name_zh, name_en, group_name, scope, unit, decimals, direction,
             target_min, target_max, alert_pct, position, created_at, created_by, updated_at,
             updated_by)
         VALUES (:name_zh, :name_en, :group_name, :scope, :unit, :decimals, :direction,
             :target_min, :target_max, :alert_pct, :position, :at, :by, :at, :by)",
        )?;
    Ok(conn.last_insert_rowid())
}

fn load_for_change(conn: &Connection, id: i64, version: i64) -> Result<Metric, ReadingError> {
    let metric = metric(conn, id)?.ok_or(ReadingError::NotFound)?;
    if metric.row_version != version {
        return Err(ReadingError::Conflict);
    }
    Ok(metric)
}

/// Change a metric read at `version`. Values already entered keep their numbers; a change of
/// decimal places only changes how they are shown and what new ones round to.
pub fn edit_metric(
    conn: &Connection,
    id: i64,
    version: i64,
    input: &MetricInput,
    stamp: &Stamp,
) -> Result<(), ReadingError> {
    check_input(conn, input, Some(id))?;
    load_for_change(conn, id, version)?;
    metric_fields(input, stamp).value(":id", id).execute(
        conn,
        "UPDATE metrics SET name_zh = :name_zh, name_en = :name_en, group_name = :group_name,
             scope = :scope, unit = :unit, decimals = :decimals, direction = :direction,
             target_min = :target_min, target_max = :target_max, alert_pct = :alert_pct,
             updated_at = :at, updated_by = :by, row_version = row_version + 1
         WHERE id = :id",
    )?;
    Ok(())
}

/// A metric's typed fields, as both adding and changing it store them.
fn metric_fields(input: &MetricInput, stamp: &Stamp) -> Fields {
    Fields::stamped(stamp)
        .text(":name_zh", &input.name_zh)
        .text(":name_en", &input.name_en)
        .text(":group_name", &input.group)
        .text(":scope", &input.scope)
        .text(":unit", &input.unit)
        .value(":decimals", input.decimals.min(MAX_DECIMALS))
        .text(":direction", input.direction.key())
        .value(":target_min", input.target.min)
        .value(":target_max", input.target.max)
        .value(":alert_pct", input.alert_pct)
}

/// Take a metric out of use: it leaves the table, its values stay in the database.
pub fn retire_metric(
    conn: &Connection,
    id: i64,
    version: i64,
    reason: &str,
    stamp: &Stamp,
) -> Result<(), ReadingError> {
    load_for_change(conn, id, version)?;
    conn.prepare_cached(
        "UPDATE metrics SET retired_at = ?2, retired_by = ?3, retired_reason = ?4,
             updated_at = ?2, updated_by = ?3, row_version = row_version + 1
         WHERE id = ?1",
    )?
    .execute(params![id, stamp.at_text(), stamp.by, reason.trim()])?;
    Ok(())
}

/// Swap a metric with its neighbour in the table (`up`: the one above). `false` when it is
/// already at that end.
pub fn move_metric(
    conn: &Connection,
    id: i64,
    up: bool,
    stamp: &Stamp,
) -> Result<bool, ReadingError> {
    let list = metrics(conn)?;
    let at = list
        .iter()
        .position(|m| m.id == id)
        .ok_or(ReadingError::NotFound)?;
    let other = if up { at.checked_sub(1) } else { Some(at + 1) };
    let Some(other) = other.and_then(|i| list.get(i)) else {
        return Ok(false);
    };
    let mine = &list[at];
    // Positions may tie after an upgrade or an odd import: spell out both.
    let (a, b) = if mine.position == other.position {
        if up {
            (other.position, other.position + 1)
        } else {
            (mine.position + 1, mine.position)
        }
    } else {
        (other.position, mine.position)
    };
    stamped::set(conn, "metrics", "position", mine.id, a, stamp)?;
    stamped::set(conn, "metrics", "position", other.id, b, stamp)?;
    Ok(true)
}

#[derive(Deserialize)]
struct BuiltIn {
    metric: Vec<BuiltInMetric>,
}

#[derive(Deserialize)]
struct BuiltInMetric {
    group: String,
    #[serde(default)]
    scope: String,
    zh: String,
    en: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    decimals: u8,
    direction: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    alert_pct: f64,
}

/// The built-in metrics, as inputs (checked by a test).
pub fn built_in() -> Vec<MetricInput> {
    let file: BuiltIn = toml::from_str(BUILT_IN).expect("assets/metrics.toml is valid (tested)");
    file.metric
        .into_iter()
        .map(|m| MetricInput {
            name_zh: m.zh,
            name_en: m.en,
            group: m.group,
            scope: m.scope,
            unit: m.unit,
            decimals: m.decimals,
            direction: Direction::parse(&m.direction).expect("a known direction (tested)"),
            target: Target::parse(&m.target).expect("a valid target (tested)"),
            alert_pct: (m.alert_pct > 0.0).then_some(m.alert_pct),
        })
        .collect()
}

/// Install the built-in metrics (done once, when the database reaches version 6).
pub fn install_built_in(conn: &Connection, stamp: &Stamp) -> rusqlite::Result<()> {
    for input in built_in() {
        match add_metric(conn, &input, stamp) {
            Ok(_) => {}
            Err(ReadingError::Db(e)) => return Err(e),
            // A name already there (a database made by a newer build): keep theirs.
            Err(_) => {}
        }
    }
    Ok(())
}

/// What saving one value did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Added,
    Corrected,
    Cleared,
    Unchanged,
}

/// Enter, correct (`Some`) or clear (`None`) a metric's value for `day`. A change to a value
/// already there is recorded as a correction (by the database's trigger). Days after `today`
/// are refused.
pub fn set_reading(
    conn: &Connection,
    metric_id: i64,
    day: NaiveDate,
    value: Option<f64>,
    today: NaiveDate,
    stamp: &Stamp,
) -> Result<Saved, ReadingError> {
    if day > today {
        return Err(ReadingError::FutureDay { day });
    }
    if metric(conn, metric_id)?.is_none() {
        return Err(ReadingError::NotFound);
    }
    let day_text = day.to_string();
    let existing: Option<(i64, f64, bool)> = conn
        .prepare_cached(
            "SELECT id, value, retired_at IS NULL FROM readings WHERE metric_id = ?1 AND day = ?2",
        )?
        .query_row(params![metric_id, day_text], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (at, by) = (stamp.at_text(), &stamp.by);
    let saved = match (existing, value) {
        (None, None) => Saved::Unchanged,
        (None, Some(v)) => {
            conn.prepare_cached(
                "INSERT INTO readings (metric_id, day, value, created_at, created_by, updated_at,
                     updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
            )?
            .execute(params![metric_id, day_text, v, at, by])?;
            Saved::Added
        }
        (Some((_, _, false)), None) => Saved::Unchanged,
        (Some((_, old, true)), Some(v)) if old == v => Saved::Unchanged,
        (Some((id, _, live)), Some(v)) => {
            conn.prepare_cached(
                "UPDATE readings SET value = ?2, retired_at = NULL, retired_by = NULL,
                     retired_reason = NULL, updated_at = ?3, updated_by = ?4,
                     row_version = row_version + 1
                 WHERE id = ?1",
            )?
            .execute(params![id, v, at, by])?;
            if live { Saved::Corrected } else { Saved::Added }
        }
        (Some((id, _, true)), None) => {
            conn.prepare_cached(
                "UPDATE readings SET retired_at = ?2, retired_by = ?3, retired_reason = 'cleared',
                     updated_at = ?2, updated_by = ?3, row_version = row_version + 1
                 WHERE id = ?1",
            )?
            .execute(params![id, at, by])?;
            Saved::Cleared
        }
    };
    Ok(saved)
}

/// The values of every metric in use from `first` to `last`: metric id to (day, value),
/// oldest first.
pub fn values_between(
    conn: &Connection,
    first: NaiveDate,
    last: NaiveDate,
) -> rusqlite::Result<HashMap<i64, Vec<(NaiveDate, f64)>>> {
    let mut map: HashMap<i64, Vec<(NaiveDate, f64)>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT r.metric_id, r.day, r.value FROM readings r
         JOIN metrics m ON m.id = r.metric_id AND m.retired_at IS NULL
         WHERE r.day BETWEEN ?1 AND ?2 AND r.retired_at IS NULL
         ORDER BY r.day",
    )?;
    let mut rows = stmt.query(params![first.to_string(), last.to_string()])?;
    // Rows come a day at a time: each day's text is parsed once, not once per metric (a sixth
    // of the Data tab's read on ten years).
    let mut day: Option<(String, NaiveDate)> = None;
    while let Some(r) = rows.next()? {
        let text = r.get_ref(1)?.as_str()?;
        let date = match &day {
            Some((seen, date)) if seen == text => *date,
            _ => {
                let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(1, Type::Text, e.into())
                })?;
                day = Some((text.to_owned(), date));
                date
            }
        };
        map.entry(r.get::<_, i64>(0)?)
            .or_default()
            .push((date, r.get(2)?));
    }
    Ok(map)
}

/// One change to a value already entered.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub old: Option<f64>,
    pub new: Option<f64>,
    pub at: String,
    pub by: String,
}

/// The corrections of one metric's value on one day, oldest first.
pub fn corrections(
    conn: &Connection,
    metric_id: i64,
    day: NaiveDate,
) -> rusqlite::Result<Vec<Correction>> {
    conn.prepare_cached(
        "SELECT c.old_value, c.new_value, c.created_at, c.created_by
         FROM reading_corrections c JOIN readings r ON r.id = c.reading_id
         WHERE r.metric_id = ?1 AND r.day = ?2 ORDER BY c.id",
    )?
    .query_map(params![metric_id, day.to_string()], |r| {
        Ok(Correction {
            old: r.get(0)?,
            new: r.get(1)?,
            at: r.get(2)?,
            by: r.get(3)?,
        })
    })?
    .collect()
}
