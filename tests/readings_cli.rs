//! `jifang readings compare` and `jifang import readings` as a script, a spreadsheet or an
//! operator with figures exported from another system uses them.

mod support;

use support::{Home, jifang};

#[test]
fn the_demo_comparison_as_table_csv_and_json() {
    let home = Home::new();
    let demo = jifang(&home, &["--lang", "en", "demo"]);
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    assert!(demo.stdout.contains("daily values"), "{}", demo.stdout);

    // Yesterday by default, against the previous day.
    let table = jifang(&home, &["--lang", "zh", "readings", "compare"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let yesterday = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    assert!(
        table
            .stdout
            .starts_with(&format!("每日数据 {yesterday}，对比前一天")),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("官网文章"), "{}", table.stdout);
    assert!(
        table.stdout.contains("共 17 项指标，当天缺数 0 项"),
        "{}",
        table.stdout
    );

    let csv = jifang(
        &home,
        &[
            "--lang", "en", "readings", "compare", "--base", "week", "--format", "csv",
        ],
    );
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert!(
        csv.stdout
            .starts_with("\u{feff}day,group,scope,metric,unit,base,base_value,")
    );
    assert_eq!(csv.stdout.lines().count(), 18, "a header and 17 metrics");
    assert!(csv.stdout.contains("same day last week"), "{}", csv.stdout);

    // Three days ago two figures were forgotten: missing values are null, never 0.
    let three = (yesterday - chrono::Duration::days(2)).to_string();
    let json = jifang(
        &home,
        &["readings", "compare", "--date", &three, "--format", "json"],
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let missing: Vec<&serde_json::Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "missing")
        .collect();
    assert_eq!(missing.len(), 2, "{}", json.stdout);
    assert!(
        missing
            .iter()
            .all(|r| r["value"].is_null() && r["delta_pct"].is_null())
    );

    let bad = jifang(
        &home,
        &["--lang", "en", "readings", "compare", "--base", "month"],
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("use prev, week or avg30"),
        "{}",
        bad.stderr
    );
}

#[test]
fn importing_readings_is_all_or_nothing_and_a_changed_figure_is_a_correction() {
    let home = Home::new();
    let good = home.path("readings.csv");
    let text = "日期,指标,范围,数值\n2026/11/19,PV,官网,1200\n2026/11/20,PV,官网,1350\n2026-11-20,机房温度,,23.4\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(&good, &gbk).unwrap();
    let file = good.to_str().unwrap();
    let dry = jifang(
        &home,
        &["--lang", "en", "import", "readings", file, "--dry-run"],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout
            .contains("3 values checked. Nothing was written."),
        "{}",
        dry.stdout
    );
    let done = jifang(&home, &["--lang", "en", "import", "readings", file]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(
        done.stdout.contains("3 values added, 0 corrected"),
        "{}",
        done.stdout
    );
    let day = [
        "readings",
        "compare",
        "--date",
        "2026-11-20",
        "--format",
        "csv",
    ];
    let csv = jifang(&home, &[&["--lang", "en"][..], &day[..]].concat());
    let pv = csv
        .stdout
        .lines()
        .find(|l| l.contains(",PV,"))
        .unwrap()
        .to_owned();
    assert!(pv.contains(",1200,1350,150,12.5,"), "{pv}");

    let fixed = home.path("fixed.csv");
    std::fs::write(&fixed, "date,metric,scope,value\n2026-11-20,PV,官网,1305\n").unwrap();
    let again = jifang(
        &home,
        &[
            "--lang",
            "en",
            "import",
            "readings",
            fixed.to_str().unwrap(),
        ],
    );
    assert!(
        again.stdout.contains("0 values added, 1 corrected"),
        "{}",
        again.stdout
    );

    let bad = home.path("bad.csv");
    std::fs::write(
        &bad,
        "date,metric,scope,value\n2026-11-18,PV,官网,1000\n2026-02-30,PV,官网,1\n2026-11-18,Visits,官网,5\n",
    )
    .unwrap();
    let refused = jifang(
        &home,
        &["--lang", "en", "import", "readings", bad.to_str().unwrap()],
    );
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("2 problems; nothing was imported"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("line 3, date \"2026-02-30\""),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("line 4, metric \"Visits\""),
        "{}",
        refused.stderr
    );
    let after = jifang(
        &home,
        &[
            "--lang",
            "en",
            "readings",
            "compare",
            "--date",
            "2026-11-18",
            "--format",
            "json",
        ],
    );
    assert!(
        after.stdout.contains("\"value\": null"),
        "the good line of the refused file was not written"
    );
    let pv18 = after.stdout.split("\"metric\": \"PV\"").nth(1).unwrap();
    assert!(pv18.contains("\"value\": null"), "{pv18}");
}
