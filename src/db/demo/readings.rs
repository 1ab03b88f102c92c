//! Demo daily data: 120 days of the built-in metrics up to yesterday, with weekday rhythms
//! (fewer visitors and terminals at weekends), slow growth, a few spikes (a PV surge, an
//! air-conditioning fault, a backup that went wrong), a few forgotten entries and one
//! correction.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use rusqlite::Connection;

use super::{AUTHOR, Lcg};
use crate::db::Stamp;
use crate::db::readings::{self, ReadingError};
use crate::domain::reading::round;

/// How many days of values the demo writes.
pub const DAYS: i64 = 120;

/// The value of one built-in metric (by English name) on day `n` of the run (0 = first),
/// `None` for a metric the demo does not know.
fn value(name: &str, n: i64, weekend: bool, rng: &mut Lcg) -> Option<f64> {
    let noise = |rng: &mut Lcg, spread: usize| rng.below(spread * 2 + 1) as f64 - spread as f64;
    let nf = n as f64;
    Some(match name {
        "Index count" => 3200.0 + nf * 9.0 + noise(rng, 12),
        "Backlinks" => 840.0 + nf * 2.5 + noise(rng, 6),
        "PageRank" => {
            if n < 70 {
                4.0
            } else {
                5.0
            }
        }
        "Organic rank" => 6.0 + ((nf / 9.0).sin() * 3.0).round() + rng.below(3) as f64,
        "Snapshot age" => rng.below(3) as f64,
        "IP" if weekend => 700.0 + noise(rng, 120),
        "IP" => 1800.0 + nf * 2.0 + noise(rng, 260),
        "PV" if weekend => 2300.0 + noise(rng, 400),
        "PV" => 5900.0 + nf * 7.0 + noise(rng, 900),
        "Site articles" if weekend => rng.below(3) as f64,
        "Site articles" => 5.0 + rng.below(6) as f64,
        "Self-media posts" => rng.below(3) as f64,
        "Q&A posts" if weekend => 4.0 + rng.below(5) as f64,
        "Q&A posts" => 9.0 + rng.below(5) as f64,
        "Community posts" => rng.below(3) as f64,
        "Room temperature" => 22.0 + noise(rng, 12) / 10.0,
        "Room humidity" => 50.0 + noise(rng, 6),
        "UPS load" => 44.0 + noise(rng, 4),
        "Peak outbound" if weekend => 260.0 + noise(rng, 60),
        "Peak outbound" => 720.0 + noise(rng, 140),
        "Online terminals" if weekend => 60.0 + noise(rng, 20),
        "Online terminals" => 450.0 + noise(rng, 25),
        "Backup size" => 512.0 + nf * 0.8 + noise(rng, 3) / 10.0,
        _ => return None,
    })
}

/// Unusual days, counted back from yesterday (1): the metric and what it read.
const SPIKES: &[(i64, &str, f64)] = &[
    // A news item about enrolment: the site's busiest day.
    (23, "PV", 24800.0),
    (23, "IP", 6100.0),
    // The precision air conditioner tripped overnight.
    (9, "Room temperature", 29.6),
    // A failed full backup wrote almost nothing.
    (5, "Backup size", 61.5),
    // The campus exam system went live.
    (2, "Peak outbound", 1480.0),
];

/// Forgotten entries, counted back from yesterday: the metrics left empty that day.
const GAPS: &[(i64, &[&str])] = &[
    (3, &["Room humidity", "UPS load"]),
    (16, &["Backlinks", "Organic rank", "Snapshot age"]),
    (44, &["Room temperature"]),
];

/// Write 120 days of values; nothing when the last 120 days already have values.
pub fn fill(conn: &Connection, rng: &mut Lcg, today: NaiveDate) -> Result<usize, ReadingError> {
    let metrics = readings::metrics(conn)?;
    let recent = readings::values_between(conn, today - Duration::days(DAYS), today)?;
    if metrics
        .iter()
        .any(|m| value(&m.name_en, 0, false, &mut Lcg(0)).is_some() && recent.contains_key(&m.id))
    {
        return Ok(0);
    }
    let mut written = 0;
    for n in 0..DAYS {
        let day = today - Duration::days(DAYS - n);
        let back = (today - day).num_days();
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        // Entered the next morning, as the rule has it.
        let at = (day + Duration::days(1))
            .and_time(NaiveTime::from_hms_opt(8, 40, 0).unwrap_or(NaiveTime::MIN));
        let stamp = Stamp::new(AUTHOR, at);
        for m in &metrics {
            let Some(mut v) = value(&m.name_en, n, weekend, rng) else {
                continue;
            };
            if GAPS
                .iter()
                .any(|(b, names)| *b == back && names.contains(&m.name_en.as_str()))
            {
                continue;
            }
            if let Some((_, _, spike)) = SPIKES
                .iter()
                .find(|(b, name, _)| *b == back && *name == m.name_en)
            {
                v = *spike;
            }
            let v = round(v.max(0.0), m.decimals);
            if back == 1 && m.name_en == "PV" {
                // Typed with an extra zero, put right a few minutes later: the correction
                // book has it.
                readings::set_reading(conn, m.id, day, Some(v * 10.0), today, &stamp)?;
                let later = Stamp::new(AUTHOR, at + Duration::minutes(25));
                readings::set_reading(conn, m.id, day, Some(v), today, &later)?;
            } else {
                readings::set_reading(conn, m.id, day, Some(v), today, &stamp)?;
            }
            written += 1;
        }
    }
    Ok(written)
}
