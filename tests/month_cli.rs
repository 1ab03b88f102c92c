//! `jifang export month` as the month-end routine uses it: every summary figure must be what
//! anyone recomputes from the detail files in the same pack, and a folder that cannot be
//! written is refused plainly.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use support::{Home, jifang};

/// A CSV file of the pack as rows keyed by its English header.
fn read(dir: &Path, name: &str) -> Vec<HashMap<String, String>> {
    let bytes = std::fs::read(dir.join(name)).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name} has no BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").ok()
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        return String::new();
    }
    format!(
        "{:.1}",
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    )
}

fn money(text: &str) -> i64 {
    if text.is_empty() {
        return 0;
    }
    (text.parse::<f64>().unwrap() * 100.0).round() as i64
}

#[test]
fn every_summary_figure_is_recomputed_from_the_detail_files() {
    let home = Home::new();
    assert_eq!(jifang(&home, &["demo"]).code, 0);
    let today = chrono::Local::now().date_naive();
    let first = (today.with_day(1).unwrap() - chrono::Duration::days(1))
        .with_day(1)
        .unwrap();
    let label = first.format("%Y-%m").to_string();
    let last = today.with_day(1).unwrap() - chrono::Duration::days(1);
    let in_month = |d: Option<NaiveDate>| d.is_some_and(|d| d >= first && d <= last);
    let out = home.path("pack");
    let run = jifang(
        &home,
        &[
            "--lang",
            "en",
            "export",
            "month",
            &label,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("[1/12] reading inspections"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("[12/12]"), "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 7, "{}", run.stdout);
    let file = |suffix: &str| read(&out, &format!("{label}-{suffix}.csv"));

    // What the summary says, by code and subject (and scope for daily figures).
    let mut said: BTreeMap<(String, String, String), String> = BTreeMap::new();
    for r in file("summary") {
        said.insert(
            (r["code"].clone(), r["subject"].clone(), r["scope"].clone()),
            r["value"].clone(),
        );
    }
    let mut worked: BTreeMap<(String, String, String), String> = BTreeMap::new();
    let mut put = |code: &str, subject: &str, scope: &str, value: String| {
        worked.insert(
            (code.to_owned(), subject.to_owned(), scope.to_owned()),
            value,
        );
    };

    // Inspections: runs signed (one per date and template with a signature), runs missed,
    // failed items.
    let checks = file("checks");
    let mut templates: Vec<String> = Vec::new();
    let mut per: HashMap<String, (std::collections::BTreeSet<String>, usize, usize)> =
        HashMap::new();
    for r in &checks {
        let t = r["template"].clone();
        if !templates.contains(&t) {
            templates.push(t.clone());
        }
        let entry = per.entry(t).or_default();
        if !r["signed_at"].is_empty() {
            entry.0.insert(r["date"].clone());
        }
        entry.1 += usize::from(r["result"] == "missed");
        entry.2 += usize::from(r["result"] == "FAIL");
    }
    let (mut signed, mut missed, mut failed) = (0, 0, 0);
    for (t, (runs, m, f)) in &per {
        put(
            "checks_completion_pct",
            t,
            "",
            pct(runs.len(), runs.len() + m),
        );
        put("checks_signed", t, "", runs.len().to_string());
        put("checks_missed", t, "", m.to_string());
        put("checks_failed_items", t, "", f.to_string());
        (signed, missed, failed) = (signed + runs.len(), missed + m, failed + f);
    }
    put(
        "checks_completion_pct",
        "total",
        "",
        pct(signed, signed + missed),
    );
    put("checks_missed", "total", "", missed.to_string());
    put("checks_failed_items", "total", "", failed.to_string());

    // Repairs: opened, repaired and closed in the month; of those repaired, on time, hours
    // from report to repair, cost by the department charged.
    let repairs = file("repairs");
    let reported = repairs
        .iter()
        .filter(|r| in_month(day(&r["reported_at"])))
        .count();
    let finished: Vec<_> = repairs
        .iter()
        .filter(|r| in_month(day(&r["finished_at"])))
        .collect();
    let closed = repairs
        .iter()
        .filter(|r| in_month(day(&r["closed_at"])))
        .count();
    put("repairs_opened", "total", "", reported.to_string());
    put("repairs_finished", "total", "", finished.len().to_string());
    put("repairs_closed", "total", "", closed.to_string());
    let judged = finished.iter().filter(|r| !r["on_time"].is_empty()).count();
    let on_time = finished.iter().filter(|r| r["on_time"] == "yes").count();
    put("repairs_on_time_pct", "total", "", pct(on_time, judged));
    let minutes: Vec<i64> = finished
        .iter()
        .map(|r| {
            (time(&r["finished_at"]).unwrap() - time(&r["reported_at"]).unwrap()).num_minutes()
        })
        .collect();
    if !minutes.is_empty() {
        let mean = minutes.iter().sum::<i64>() as f64 / 60.0 / minutes.len() as f64;
        put(
            "repairs_mttr_hours",
            "total",
            "",
            format!("{:.1}", (mean * 10.0).round() / 10.0),
        );
    }
    let mut cost: BTreeMap<String, i64> = BTreeMap::new();
    for r in &finished {
        let department = match r["charged_department"].as_str() {
            "" => "(no department)".to_owned(),
            d => d.to_owned(),
        };
        *cost.entry(department).or_default() += money(&r["cost"]);
    }
    let total: i64 = cost.values().sum();
    for (department, fen) in cost.into_iter().filter(|(_, f)| *f > 0) {
        put(
            "repairs_cost",
            &department,
            "",
            format!("{:.2}", fen as f64 / 100.0),
        );
    }
    put(
        "repairs_cost",
        "total",
        "",
        format!("{:.2}", total as f64 / 100.0),
    );

    // Tools: lent in the month, out during it, late on some day of it, broken or lost.
    let loans = file("tools");
    let lent = loans.iter().filter(|r| in_month(day(&r["out_at"]))).count();
    put("tools_lent", "total", "", lent.to_string());
    put("tools_active", "total", "", loans.len().to_string());
    let overdue = loans
        .iter()
        .filter(|r| {
            let due = day(&r["due_on"]).unwrap();
            let late_from = (due + chrono::Duration::days(1)).max(first);
            late_from <= last && day(&r["returned_at"]).is_none_or(|back| back >= late_from)
        })
        .count();
    put("tools_overdue", "total", "", overdue.to_string());
    let back_as = |c: &str| {
        loans
            .iter()
            .filter(|r| in_month(day(&r["returned_at"])) && r["condition_back"] == c)
            .collect::<Vec<_>>()
    };
    put(
        "tools_damaged",
        "total",
        "",
        back_as("Damaged").len().to_string(),
    );
    put("tools_lost", "total", "", back_as("Lost").len().to_string());
    let owed: i64 = back_as("Damaged")
        .iter()
        .chain(back_as("Lost").iter())
        .map(|r| money(&r["amount"]))
        .sum();
    put(
        "tools_liability",
        "total",
        "",
        format!("{:.2}", owed as f64 / 100.0),
    );

    // The register.
    put(
        "devices_in_register",
        "total",
        "",
        file("devices").len().to_string(),
    );
    let events = file("device-events");
    for (code, word) in [
        ("devices_added", "added"),
        ("devices_transferred", "transferred"),
        ("devices_status_changed", "status change"),
        ("devices_scrapped", "scrapped"),
        ("devices_removed", "removed"),
    ] {
        let n = events.iter().filter(|r| r["event"] == word).count();
        put(code, "total", "", n.to_string());
    }

    // Daily figures: days with a value, lowest, highest, last (the mean is checked below).
    let mut series: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for r in file("daily-data") {
        let v: f64 = r["value"].parse().unwrap();
        series
            .entry((r["metric"].clone(), r["scope"].clone()))
            .or_default()
            .push(v);
    }
    let mut means = Vec::new();
    for ((metric, scope), values) in &series {
        put("data_days", metric, scope, values.len().to_string());
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let key = |code: &str| (code.to_owned(), metric.clone(), scope.clone());
        for (code, v) in [
            ("data_min", min),
            ("data_max", max),
            ("data_last", *values.last().unwrap()),
        ] {
            let stated: f64 = said[&key(code)].parse().unwrap();
            assert!(
                (stated - v).abs() < 1e-9,
                "{code} of {metric}: {stated} vs {v}"
            );
        }
        means.push((
            key("data_mean"),
            values.iter().sum::<f64>() / values.len() as f64,
        ));
    }
    for (key, mean) in means {
        let stated: f64 = said[&key].parse().unwrap();
        assert!(
            (stated - mean).abs() <= 0.051,
            "{key:?}: {stated} vs {mean}"
        );
    }

    assert!(
        worked.len() > 40,
        "too few figures recomputed: {}",
        worked.len()
    );
    assert!(checks.len() > 30 && !repairs.is_empty() && !loans.is_empty() && !series.is_empty());
    for (key, value) in &worked {
        assert_eq!(said.get(key), Some(value), "{key:?}");
    }
}

#[test]
fn a_folder_that_cannot_be_written_is_refused_and_nothing_looks_complete() {
    let home = Home::new();
    let blocker = home.path("not-a-folder");
    std::fs::write(&blocker, "a file where the folder should be").unwrap();
    let run = jifang(
        &home,
        &[
            "--lang",
            "en",
            "export",
            "month",
            "2026-10",
            "--out",
            blocker.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("could not write"), "{}", run.stderr);
    assert!(run.stderr.contains("--out"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);

    let refused = jifang(&home, &["--lang", "en", "export", "month", "2999-01"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("has not begun yet"),
        "{}",
        refused.stderr
    );
    let bad = jifang(&home, &["--lang", "en", "export", "month", "2026-13"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("YYYY-MM"), "{}", bad.stderr);
}

/// A killed export left its temporary files beside the pack: the next export removes those of
/// programs no longer running and leaves another running program's alone.
#[test]
fn an_export_removes_what_a_killed_export_left() {
    let home = Home::new();
    let out = home.path("pack");
    std::fs::create_dir(&out).unwrap();
    // No process has a number above the kernel's limit (2^22).
    let dead = out.join(".2026-10-devices.csv.4194999.tmp");
    let living = out.join(format!(".2026-10-devices.csv.{}.tmp", std::process::id()));
    std::fs::write(&dead, "half").unwrap();
    std::fs::write(&living, "being written").unwrap();
    let run = jifang(
        &home,
        &["export", "month", "2026-10", "--out", out.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!dead.exists(), "the killed export's file is still there");
    assert!(living.exists(), "a running program's file was removed");
}

/// The weekly report to the supervisor (001 "每周向主管领导汇报"): the same seven files for an
/// ISO week, named by it, holding that week's runs and nothing of the days around it.
#[test]
fn the_week_pack_holds_its_week_and_is_named_by_it() {
    let home = Home::new();
    assert_eq!(jifang(&home, &["demo"]).code, 0);
    let today = chrono::Local::now().date_naive();
    let monday =
        today - chrono::Duration::days(7 + i64::from(today.weekday().num_days_from_monday()));
    let week = monday.iso_week();
    let label = format!("{}-W{:02}", week.year(), week.week());
    let out = home.path("week");
    let run = jifang(
        &home,
        &[
            "--lang",
            "en",
            "export",
            "week",
            &label,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("Week report {label}: 7 files")),
        "{}",
        run.stderr
    );
    let checks = read(&out, &format!("{label}-checks.csv"));
    let sunday = monday + chrono::Duration::days(6);
    assert!(!checks.is_empty());
    for row in &checks {
        let date = day(&row["date"]).unwrap();
        assert!(
            monday <= date && date <= sunday,
            "{row:?} is outside {label}"
        );
    }
    // The working days' patrols of the week are in it, signed.
    let patrols: std::collections::BTreeSet<&str> = checks
        .iter()
        .filter(|r| r["template"] == "Daily end-of-day patrol")
        .map(|r| r["date"].as_str())
        .collect();
    assert_eq!(patrols.len(), 5, "{patrols:?}");
    let summary = read(&out, &format!("{label}-summary.csv"));
    assert!(summary.iter().any(|r| r["code"] == "checks_completion_pct"));
    // A week not begun, and one written wrong, are refused.
    let future = jifang(&home, &["--lang", "en", "export", "week", "2999-W01"]);
    assert_eq!(future.code, 1);
    assert!(
        future.stderr.contains("pick this week or an earlier one"),
        "{}",
        future.stderr
    );
    let bad = jifang(&home, &["--lang", "en", "export", "week", "2026-49"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("write it as 2026-W49"),
        "{}",
        bad.stderr
    );
}
