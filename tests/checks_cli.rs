//! `jifang import checklist` and `jifang checks status` as an operator runs them.

mod support;

use support::{Home, jifang};

const UPS_FILE: &str = r#"
code = "ups-room2"
period = "month"
name = { zh = "二号机房 UPS 月检", en = "Room 2 UPS monthly test" }

[[item]]
code = "U1"
kind = "number"
text = { zh = "放电续航时间", en = "Runtime on battery" }
unit = { zh = "分钟", en = "min" }
min = 20
category = "ups"

[[item]]
code = "U2"
kind = "choice"
text = { zh = "告警灯", en = "Alarm lamp" }
choices = [{ zh = "灭", en = "Off" }, { zh = "亮", en = "On", fails = true }]
"#;

#[test]
fn a_template_file_is_checked_then_added_then_updated() {
    let home = Home::new();
    let file = home.path("ups.toml");
    std::fs::write(&file, UPS_FILE).unwrap();
    let path = file.to_str().unwrap();
    let dry = jifang(
        &home,
        &["--lang", "en", "import", "checklist", path, "--dry-run"],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("Would add checklist ups-room2"),
        "{}",
        dry.stdout
    );
    let status = jifang(
        &home,
        &["--lang", "en", "checks", "status", "--date", "2026-11-21"],
    );
    assert!(
        !status.stdout.contains("Room 2 UPS"),
        "dry run wrote: {}",
        status.stdout
    );

    let added = jifang(&home, &["--lang", "zh", "import", "checklist", path]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert!(
        added
            .stdout
            .contains("已新增巡检模板 ups-room2（二号机房 UPS 月检，每月），共 2 项"),
        "{}",
        added.stdout
    );

    std::fs::write(&file, UPS_FILE.replace("min = 20", "min = 25")).unwrap();
    let updated = jifang(&home, &["--lang", "en", "import", "checklist", path]);
    assert!(
        updated
            .stdout
            .contains("0 items added, 1 changed, 0 retired, 1 unchanged"),
        "{}",
        updated.stdout
    );

    let status = jifang(
        &home,
        &["--lang", "en", "checks", "status", "--date", "2026-11-21"],
    );
    assert_eq!(status.code, 0);
    assert!(
        status.stdout.contains("Checks on 2026-11-21 (2026-W47)"),
        "{}",
        status.stdout
    );
    assert!(
        status
            .stdout
            .contains("0/2  not started  Room 2 UPS monthly test"),
        "{}",
        status.stdout
    );
}

#[test]
fn a_bad_template_file_says_what_and_where_and_adds_nothing() {
    let home = Home::new();
    let file = home.path("bad.toml");
    std::fs::write(
        &file,
        UPS_FILE
            .replace("min = 20\n", "")
            .replace(", fails = true", ""),
    )
    .unwrap();
    let out = jifang(
        &home,
        &[
            "--lang",
            "en",
            "import",
            "checklist",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("bad.toml: ") && out.stderr.contains("nothing was imported"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("item 1 U1: a number item needs min, max or both"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("item 2 U2: mark at least one choice with fails = true"),
        "{}",
        out.stderr
    );
    std::fs::write(
        &file,
        "code = \"x\"\nname = \"x\"\nperiod = \"week\"\n[[item]]\ncode = \"A\"\n",
    )
    .unwrap();
    let out = jifang(
        &home,
        &[
            "--lang",
            "en",
            "import",
            "checklist",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("missing field `text`"),
        "{}",
        out.stderr
    );
    // Only the built-in templates are due: none of the refused files' was added.
    let status = jifang(&home, &["--lang", "en", "checks", "status"]);
    assert!(
        status.stdout.contains("Yearly backup check")
            && !status.stdout.lines().any(|l| l.trim_end().ends_with("  x")),
        "{}",
        status.stdout
    );
}

#[test]
fn checks_status_lists_the_missed_week_of_the_demo() {
    let home = Home::new();
    assert_eq!(jifang(&home, &["demo"]).code, 0);
    let out = jifang(&home, &["--lang", "zh", "checks", "status"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("漏检（1 次）"), "{}", out.stdout);
    assert!(
        out.stdout.contains("5/11  未完成  每周网络与设备巡检")
            && out.stdout.contains("0/5  未开始  周五下午机房 5S ("),
        "{}",
        out.stdout
    );
    let bad = jifang(&home, &["checks", "status", "--date", "2026-13-01"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("is not a date"), "{}", bad.stderr);
}

/// The daily patrol is a working-day duty: a weekend is never a missed patrol, a holiday
/// neither, and a make-up Saturday entered from the notice is.
#[test]
fn the_work_calendar_decides_which_days_a_patrol_is_missed() {
    use chrono::{Datelike, Duration, Weekday};
    let home = Home::new();
    assert_eq!(jifang(&home, &["checks", "status"]).code, 0);
    // The templates count from today (the database's first day): look from the Tuesday after
    // the next full weekend.
    let today = chrono::Local::now().date_naive();
    let mut saturday = today + Duration::days(7);
    while saturday.weekday() != Weekday::Sat {
        saturday += Duration::days(1);
    }
    let (sunday, monday) = (saturday + Duration::days(1), saturday + Duration::days(2));
    let tuesday = (saturday + Duration::days(3)).to_string();
    let status = |home: &Home| {
        let out = jifang(
            home,
            &["--lang", "en", "checks", "status", "--date", &tuesday],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let missed = status(&home);
    assert!(missed.contains(&monday.to_string()), "{missed}");
    let on_saturday = jifang(
        &home,
        &[
            "--lang",
            "en",
            "checks",
            "status",
            "--date",
            &saturday.to_string(),
        ],
    );
    assert!(
        on_saturday
            .stdout
            .contains("Rest day today, not due: Daily end-of-day patrol"),
        "{}",
        on_saturday.stdout
    );
    assert!(!missed.contains(&saturday.to_string()), "{missed}");
    assert!(!missed.contains(&sunday.to_string()), "{missed}");
    let csv = home.path("calendar.csv");
    std::fs::write(
        &csv,
        format!("date,kind,name\r\n{saturday},workday,调休\r\n{monday},holiday,节日\r\n"),
    )
    .unwrap();
    let imported = jifang(&home, &["calendar", "import", csv.to_str().unwrap()]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let missed = status(&home);
    assert!(
        missed.contains(&saturday.to_string()),
        "a make-up Saturday: {missed}"
    );
    assert!(!missed.contains(&monday.to_string()), "a holiday: {missed}");
    let listed = jifang(&home, &["calendar", "list"]);
    assert!(
        listed.stdout.contains("调休") && listed.stdout.contains("2 days"),
        "{}",
        listed.stdout
    );
}
