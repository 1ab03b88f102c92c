//! `jifang duty log` as a backup job and an operator use it: entries written and listed, in
//! every format, and a bad one refused with nothing written.

mod support;

use support::{Home, jifang};

#[test]
fn a_script_logs_entries_and_the_log_lists_them_newest_first() {
    let home = Home::new();
    assert_eq!(jifang(&home, &["demo"]).code, 0);
    let added = jifang(&home, &["--lang", "en", "duty", "log", "add", "备份完成"]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert!(
        added.stdout.contains("Work log entry 1 written."),
        "{}",
        added.stdout
    );
    let fault = jifang(
        &home,
        &[
            "duty",
            "log",
            "add",
            "--kind",
            "故障",
            "--device",
            "JF-UP-0001",
            "UPS",
            "告警灯亮",
        ],
    );
    assert_eq!(fault.code, 0, "{}", fault.stderr);
    let table = jifang(&home, &["--lang", "en", "duty", "log"]);
    let rows: Vec<&str> = table.stdout.lines().skip(1).take(2).collect();
    assert!(
        rows[0].contains("fault") && rows[0].contains("UPS 告警灯亮"),
        "{}",
        table.stdout
    );
    assert!(rows[1].contains("备份完成"), "{}", table.stdout);
    assert!(table.stdout.contains("2 entries"), "{}", table.stdout);
    let json = jifang(&home, &["duty", "log", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(parsed[0]["kind"], "fault");
    assert_eq!(parsed[0]["asset_tag"], "JF-UP-0001");
    let csv = jifang(&home, &["--lang", "zh", "duty", "log", "--format", "csv"]);
    assert!(
        csv.stdout.starts_with("\u{feff}编号,时间,类型,内容"),
        "{}",
        csv.stdout
    );
    assert!(
        csv.stdout.contains(",故障,UPS 告警灯亮,JF-UP-0001,"),
        "{}",
        csv.stdout
    );
    // Another day's log is empty.
    let other = jifang(
        &home,
        &["--lang", "en", "duty", "log", "--date", "2020-01-01"],
    );
    assert!(other.stdout.contains("0 entries"), "{}", other.stdout);
}

#[test]
fn a_bad_entry_says_what_is_wrong_and_writes_nothing() {
    let home = Home::new();
    let no_device = jifang(
        &home,
        &[
            "--lang",
            "en",
            "duty",
            "log",
            "add",
            "--device",
            "NOPE-1",
            "换了网线",
        ],
    );
    assert_eq!(no_device.code, 1);
    assert!(
        no_device
            .stderr
            .contains("no device of the register has the tag NOPE-1"),
        "{}",
        no_device.stderr
    );
    let kind = jifang(
        &home,
        &[
            "--lang", "en", "duty", "log", "add", "--kind", "backup", "x",
        ],
    );
    assert_eq!(kind.code, 1);
    assert!(
        kind.stderr
            .contains("write one of work, fault, visit, parameter, call, other"),
        "{}",
        kind.stderr
    );
    let empty = jifang(&home, &["--lang", "en", "duty", "log", "add", " "]);
    assert_eq!(empty.code, 1);
    assert!(
        empty.stderr.contains("the entry is empty"),
        "{}",
        empty.stderr
    );
    let listed = jifang(
        &home,
        &["--lang", "en", "duty", "log", "--month", "2026-12"],
    );
    assert!(listed.stdout.contains("0 entries"), "{}", listed.stdout);
}

/// `jifang duty handover` gathers what the other commands show: the same open tickets, the
/// same overdue and open loans, the same missed runs.
#[test]
fn the_handover_gathers_what_the_other_tabs_show() {
    let home = Home::new();
    assert_eq!(jifang(&home, &["demo"]).code, 0);
    let json = |args: &[&str]| -> serde_json::Value {
        let out = jifang(&home, args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str(&out.stdout).unwrap()
    };
    let handover = json(&["duty", "handover", "--format", "json"]);
    for part in [
        "open_repairs",
        "overdue_tools",
        "tools_out",
        "runs_due",
        "runs_missed",
        "readings_missing",
        "failed_today",
    ] {
        assert!(handover[part].is_array(), "{part}: {handover}");
    }
    let tickets = |v: &serde_json::Value| -> std::collections::BTreeSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["ticket"].as_str().unwrap().to_owned())
            .collect()
    };
    let open = json(&["repairs", "list", "--state", "open", "--format", "json"]);
    assert_eq!(tickets(&handover["open_repairs"]), tickets(&open));
    assert!(!tickets(&open).is_empty());
    // Late tickets first.
    let on_time: Vec<bool> = handover["open_repairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["on_time"] == serde_json::json!(false))
        .collect();
    assert!(on_time.windows(2).all(|w| w[0] >= w[1]), "{on_time:?}");
    let overdue = json(&["tools", "loans", "--state", "overdue", "--format", "json"]);
    let open_loans = json(&["tools", "loans", "--state", "open", "--format", "json"]);
    let count = |v: &serde_json::Value| v.as_array().unwrap().len();
    assert_eq!(count(&handover["overdue_tools"]), count(&overdue));
    assert_eq!(
        count(&handover["overdue_tools"]) + count(&handover["tools_out"]),
        count(&open_loans)
    );
    // The demo's one missed week, as `checks status` says.
    assert_eq!(count(&handover["runs_missed"]), 1);
    let status = jifang(&home, &["--lang", "en", "checks", "status"]);
    assert!(status.stdout.contains("Missed (1)"), "{}", status.stdout);
    let table = jifang(&home, &["--lang", "en", "duty", "handover"]);
    assert!(
        table.stdout.contains("Open repairs (") && table.stdout.contains("Checks missed (1)"),
        "{}",
        table.stdout
    );
}
