//! The comparison table of one day (each metric against its base, with its trend), the days
//! with forgotten values, and one metric's series for the chart.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, params};

use super::{Metric, metrics, values_between};
use crate::domain::reading::{Base, Comparison, TREND_DAYS, compare, days_ending};

/// How far back a metric counts as in use: one with no value in this many days before a day
/// is not expected on it (a metric nobody fills is not a forgotten entry every morning).
const IN_USE_DAYS: i64 = 30;

/// One metric on the chosen day.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub metric: Metric,
    pub comparison: Comparison,
    /// The last [`TREND_DAYS`] days ending with the chosen day, oldest first.
    pub trend: Vec<Option<f64>>,
}

/// Every metric in use on `day` against `base`, in table order.
pub fn compare_day(
    conn: &Connection,
    day: NaiveDate,
    base: Base,
) -> rusqlite::Result<Vec<CompareRow>> {
    let values = values_between(conn, day - Duration::days(IN_USE_DAYS), day)?;
    Ok(compare_in(metrics(conn)?, &values, day, base))
}

/// The Data tab's view: `day` against `base`, and the days lacking values among the `days`
/// ending with `gaps_last`. When the two spans meet, as they do on the usual yesterday, the
/// values are read once for both.
pub fn day_view(
    conn: &Connection,
    day: NaiveDate,
    base: Base,
    gaps_last: NaiveDate,
    days: i64,
) -> rusqlite::Result<(Vec<CompareRow>, Vec<DayGap>)> {
    let table = (day - Duration::days(IN_USE_DAYS), day);
    let gaps_first = gaps_last - Duration::days(days - 1);
    let spans = (gaps_first - Duration::days(IN_USE_DAYS), gaps_last);
    let metrics = metrics(conn)?;
    let ids: Vec<i64> = metrics.iter().map(|m| m.id).collect();
    let meet = table.0 <= spans.1 && spans.0 <= table.1;
    let (for_table, for_gaps) = if meet {
        let both = values_between(conn, table.0.min(spans.0), table.1.max(spans.1))?;
        (both, None)
    } else {
        let gaps = values_between(conn, spans.0, spans.1)?;
        (values_between(conn, table.0, table.1)?, Some(gaps))
    };
    let gaps = day_gaps(
        &ids,
        for_gaps.as_ref().unwrap_or(&for_table),
        gaps_first,
        gaps_last,
    );
    Ok((compare_in(metrics, &for_table, day, base), gaps))
}

/// Each metric on `day` against `base`, from values that include the 30 days before it (more
/// are harmless: a base looks only at its own days).
fn compare_in(
    metrics: Vec<Metric>,
    values: &HashMap<i64, Vec<(NaiveDate, f64)>>,
    day: NaiveDate,
    base: Base,
) -> Vec<CompareRow> {
    let trend_days = days_ending(day, TREND_DAYS);
    let empty = Vec::new();
    metrics
        .into_iter()
        .map(|metric| {
            let readings = values.get(&metric.id).unwrap_or(&empty);
            let on = |d: NaiveDate| readings.iter().find(|(at, _)| *at == d).map(|(_, v)| *v);
            let comparison = compare(&metric.rule(), base.value(day, readings), on(day));
            let trend = trend_days.iter().map(|d| on(*d)).collect();
            CompareRow {
                metric,
                comparison,
                trend,
            }
        })
        .collect()
}

/// A day on which metrics in use have no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayGap {
    pub day: NaiveDate,
    pub missing: usize,
    pub expected: usize,
}

/// The days among the `days` ending with `last` that lack values of metrics in use, newest
/// first.
pub fn gaps(conn: &Connection, last: NaiveDate, days: i64) -> rusqlite::Result<Vec<DayGap>> {
    let first = last - Duration::days(days - 1);
    let values = values_between(conn, first - Duration::days(IN_USE_DAYS), last)?;
    let ids: Vec<i64> = metrics(conn)?.iter().map(|m| m.id).collect();
    Ok(day_gaps(&ids, &values, first, last))
}

/// How many metrics in use have no value on `day`.
pub fn missing_on(conn: &Connection, day: NaiveDate) -> rusqlite::Result<usize> {
    Ok(gaps(conn, day, 1)?.first().map_or(0, |g| g.missing))
}

fn day_gaps(
    ids: &[i64],
    values: &HashMap<i64, Vec<(NaiveDate, f64)>>,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<DayGap> {
    let mut out = Vec::new();
    let mut day = last;
    while day >= first {
        let since = day - Duration::days(IN_USE_DAYS);
        let (mut expected, mut missing) = (0, 0);
        for id in ids {
            let readings = values.get(id).map_or(&[][..], Vec::as_slice);
            let has = |d: &NaiveDate| readings.iter().any(|(at, _)| at == d);
            let in_use = readings.iter().any(|(at, _)| (since..day).contains(at));
            if in_use || has(&day) {
                expected += 1;
                if !has(&day) {
                    missing += 1;
                }
            }
        }
        if missing > 0 {
            out.push(DayGap {
                day,
                missing,
                expected,
            });
        }
        day -= Duration::days(1);
    }
    out
}

/// One metric's values from `first` to `last`, oldest first.
pub fn series(
    conn: &Connection,
    metric_id: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> rusqlite::Result<Vec<(NaiveDate, f64)>> {
    conn.prepare_cached(
        "SELECT day, value FROM readings
         WHERE metric_id = ?1 AND day BETWEEN ?2 AND ?3 AND retired_at IS NULL ORDER BY day",
    )?
    .query_map(
        params![metric_id, first.to_string(), last.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?
    .collect()
}
