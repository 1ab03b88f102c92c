//! The real binary in a pseudo-terminal: open, visit every tab, help, quit; signals.

mod support;

use chrono::Datelike;
use support::Tui;

const TAB_ABOUT_EN: [&str; 6] = [
    "Due now",
    "The register is empty",
    "No repairs yet. Press a to report a fault.",
    "No tools yet",
    "[compare] v:entry",
    "Month report",
];

#[test]
fn visits_all_tabs_opens_help_and_quits_cleanly_in_english() {
    let mut tui = Tui::start(80, 24, &["--operator", "Li Wei", "--lang", "en"]);
    let week = jifang::domain::calendar::iso_week_label(chrono::Local::now().date_naive());
    tui.wait_for_all(&[
        "Weekly network inspection",
        "1 Checks",
        "6 Reports",
        "Operator Li Wei",
        &week,
        "e2e.db",
    ]);
    assert!(tui.in_alternate_screen());
    for (i, about) in TAB_ABOUT_EN.iter().enumerate().rev() {
        tui.send(&(i + 1).to_string());
        tui.wait_for(about);
    }
    tui.send("?");
    tui.wait_for_all(&["Everywhere", "Tab / Shift-Tab", "Ctrl-C", "quit at once"]);
    tui.send("\x1b");
    tui.wait_until("help to close", |s| {
        !s.contains("Everywhere") && s.contains(TAB_ABOUT_EN[0])
    });
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
    assert!(
        !tui.in_alternate_screen(),
        "terminal left in the alternate screen"
    );
    assert!(tui.db_path().exists(), "the database was not created");
}

#[test]
fn cycles_tabs_with_tab_and_shift_tab_in_chinese() {
    let mut tui = Tui::start(80, 24, &["--operator", "王磊", "--lang", "zh"]);
    tui.wait_for_all(&["当前到期", "操作员 王磊", "1 巡检"]);
    tui.send("\t");
    tui.wait_for("台账为空");
    tui.send("\x1b[Z"); // Shift-Tab
    tui.wait_for("每周网络与设备巡检");
    tui.send("\x1b[Z");
    tui.wait_for("暂无人员");
    tui.send("\x1b[Z");
    tui.wait_for("巡检完成率（按周）");
    tui.send("?");
    tui.wait_for("所有页面");
    tui.send("q"); // closes help first
    tui.wait_until("help to close", |s| !s.contains("所有页面"));
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
    assert!(!tui.in_alternate_screen());
}

#[test]
fn ctrl_c_quits_and_restores_the_terminal() {
    let mut tui = Tui::start(80, 24, &["--operator", "tester", "--lang", "en"]);
    tui.wait_for("Due now");
    tui.send("?");
    tui.wait_for("Everywhere");
    tui.send("\x03");
    assert_eq!(tui.exit_code(), 0);
    assert!(!tui.in_alternate_screen());
}

#[test]
fn sigterm_and_hangup_exit_cleanly() {
    for signal in ["-TERM", "-HUP"] {
        let mut tui = Tui::start(80, 24, &["--operator", "tester", "--lang", "en"]);
        tui.wait_for("Due now");
        let sent = std::process::Command::new("kill")
            .arg(signal)
            .arg(tui.pid().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        assert_eq!(tui.exit_code(), 0, "{signal}");
        assert!(
            !tui.in_alternate_screen(),
            "{signal}: terminal not restored"
        );
    }
}

#[test]
fn too_small_terminal_says_so_instead_of_drawing() {
    let mut tui = Tui::start(50, 12, &["--operator", "tester", "--lang", "en"]);
    tui.wait_for("terminal too small (need 60x16, have 50x12)");
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn redraws_on_resize() {
    let mut tui = Tui::start(80, 24, &["--operator", "tester", "--lang", "en"]);
    tui.wait_for("Due now");
    tui.resize(50, 12);
    tui.wait_for("terminal too small (need 60x16, have 50x12)");
    tui.resize(100, 30);
    tui.wait_until("the full layout again", |s| {
        s.contains("Due now") && !s.contains("too small")
    });
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn the_device_register_searches_adds_and_reports_a_taken_address_in_chinese() {
    let mut tui = Tui::start_with_demo(80, 24, &["--operator", "王磊", "--lang", "zh"]);
    tui.wait_for("1 巡检");
    tui.send("2");
    tui.wait_for_all(&["304 台设备", "JF-PC-0001", "资产编号"]);
    tui.send("/核心交换机");
    tui.wait_for_all(&["台设备", "核心交换机", "JF-SW-"]);
    tui.send("\r");
    tui.send("\x1b");
    tui.wait_for("304 台设备");
    tui.send("i");
    tui.wait_for_all(&["计算机地址分配表", "10.10.0.0/24", "下一个可用"]);
    tui.send("\x1b");
    tui.wait_for("304 台设备");
    tui.send("a");
    tui.wait_for("新增设备");
    // The next free tag is offered with the cursor on the name: back to the tag, clear it
    // (Ctrl-U) and type another; then the name and eight fields on to the IP address.
    tui.send("\x1b[Z\x15JF-PC-9999\t值班电脑\t\t\t\t\t\t\t\t10.10.0.14");
    tui.wait_for("已被 JF-SW-0004");
    tui.send("\x15"); // Ctrl-U clears the field
    tui.send("10.20.1.249\x13"); // Ctrl-S saves
    tui.wait_for_all(&["已新增 JF-PC-9999", "机历本 (1)", "登记入册"]);
    tui.send("\x1b");
    tui.wait_for("305 台设备");
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}

/// The issue's promise: a 12-item weekly run where everything is fine is signed in at most 15
/// keystrokes from opening the tab.
#[test]
fn a_clean_weekly_run_is_signed_in_at_most_fifteen_keystrokes() {
    let mut tui = Tui::start(80, 24, &["--operator", "Li Wei", "--lang", "en"]);
    tui.wait_for("Due now");
    let keys = [
        "1",  // the Checks tab (already open at start)
        "j",  // from the daily patrol down to the weekly run
        "\r", // open it
        "A",  // pass every pass/fail item...
        "y",  // ...after the question
        "\r", // the cursor is on the run log: write it
        "o", "k", "\r", // "ok"
        "s",  // sign off...
        "y",  // ...as Li Wei
    ];
    for (i, key) in keys.iter().enumerate() {
        tui.send(key);
        match i {
            2 => drop(tui.wait_for_all(&["W11", "0/11"])),
            4 => drop(tui.wait_for("11/11")),
            5 => drop(tui.wait_for("Run log:")),
            _ => {}
        }
    }
    assert!(keys.len() <= 15, "{} keystrokes", keys.len());
    tui.wait_for_all(&["signed Li Wei", "locked"]);
    tui.send("\x1b");
    tui.wait_for("signed Li Wei");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jifang"))
        .args([
            "--db",
            tui.db_path().to_str().unwrap(),
            "--lang",
            "en",
            "checks",
            "status",
        ])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("signed by Li Wei"), "{report}");
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn a_fault_reported_on_a_device_gets_a_ticket_and_puts_the_device_under_repair() {
    let mut tui = Tui::start_with_demo(80, 24, &["--lang", "en", "--operator", "王磊"]);
    tui.wait_for("Due now");
    tui.send("2");
    tui.wait_for("JF-PC-0001");
    tui.send("/JF-PC-0001\r");
    tui.wait_for("1 device ");
    tui.send("R");
    // The device, its owner as the reporter and its department are filled in: the cursor
    // waits on the symptoms.
    tui.wait_for_all(&[
        "Report a fault",
        "Device       JF-PC-0001",
        "Reported by  张敏",
    ]);
    tui.send("开机无显示\x13"); // Ctrl-S saves
    tui.wait_for_all(&["Fault reported: WX-2026-", "Under repair"]);
    tui.send("3");
    tui.wait_for_all(&["开机无显示", "JF-PC-0001"]);
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn five_tools_are_checked_out_to_one_borrower_with_the_scan_loop() {
    let mut tui = Tui::start_with_demo(80, 24, &["--lang", "en", "--operator", "王磊"]);
    tui.wait_for("Due now");
    // Five tools on the shelf in the demo, as a scanner would read their labels.
    let db = jifang::db::Db::open(&tui.db_path()).unwrap();
    let shelf = jifang::db::tools::ToolQuery {
        filter: jifang::db::tools::ToolFilter::Only(jifang::domain::tool::ToolStatus::Available),
        ..Default::default()
    };
    let today = chrono::Local::now().date_naive();
    let codes: Vec<String> = jifang::db::tools::matching_tools(db.conn(), &shelf, today)
        .unwrap()
        .into_iter()
        .skip(10)
        .take(5)
        .map(|t| t.code)
        .collect();
    drop(db);
    tui.send("4");
    tui.wait_for_all(&["[Tools]", "tools OVERDUE 3"]);
    tui.send("o");
    tui.wait_for("Check out tools");
    // Borrower, then Tab past the other six fields to the code line.
    tui.send("王磊\t\t\t\t\t\t\t");
    for code in &codes {
        tui.send(&format!("{code}\r"));
    }
    tui.wait_for("To check out: 5");
    tui.send("\x13"); // Ctrl-S lends them all
    tui.wait_for("5 tools checked out to 王磊");
    let screen = tui.wait_for(&codes[4]);
    let lent = screen
        .lines()
        .filter(|l| l.contains("王磊") && l.contains("Not returned"))
        .count();
    assert_eq!(lent, 5, "{screen}");
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
    let db = jifang::db::Db::open(&tui.db_path()).unwrap();
    for code in &codes {
        let tool = jifang::db::tools::by_code(db.conn(), code)
            .unwrap()
            .unwrap();
        assert_eq!(tool.holder.unwrap().borrower, "王磊");
    }
}

#[test]
fn todays_figures_are_typed_into_the_grid_one_enter_each() {
    let mut tui = Tui::start_with_demo(80, 24, &["--lang", "en", "--operator", "王磊"]);
    tui.wait_for("Due now");
    tui.send("5");
    tui.wait_for_all(&["[compare]", "Organic rank"]);
    // The entry grid, moved to today (]): index count, backlinks and PR, each then Enter.
    tui.send("v");
    tui.wait_for("[entry]");
    tui.send("]");
    let today = chrono::Local::now().date_naive();
    tui.wait_for(&today.to_string());
    tui.send("4321\r");
    tui.wait_for("Index count");
    tui.send("1234\r5\r");
    tui.wait_for("PageRank");
    tui.wait_until("the third figure to be saved", |s| {
        s.contains("PageRank") && s.contains(" 5 ")
    });
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
    let db = jifang::db::Db::open(&tui.db_path()).unwrap();
    let rows = jifang::db::readings::compare_day(
        db.conn(),
        today,
        jifang::domain::reading::Base::PreviousDay,
    )
    .unwrap();
    let typed: Vec<Option<f64>> = rows.iter().take(3).map(|r| r.comparison.value).collect();
    assert_eq!(typed, vec![Some(4321.0), Some(1234.0), Some(5.0)]);
}

#[test]
fn exports_last_months_pack_from_the_reports_tab_in_the_background() {
    let mut tui = Tui::start_with_demo(80, 24, &["--lang", "zh", "--operator", "王磊"]);
    tui.wait_for("当前到期");
    tui.send("6");
    let today = chrono::Local::now().date_naive();
    let last_month = (today.with_day(1).unwrap() - chrono::Duration::days(1)).format("%Y-%m");
    let title = format!("{last_month} 月报");
    tui.wait_for_all(&[title.as_str(), "巡检完成率（按周）", "按 e 导出"]);
    tui.send("e");
    tui.wait_for("7 个文件");
    let reports = tui.db_path().parent().unwrap().join("reports");
    let mut names: Vec<String> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(
        names.contains(&format!("{last_month}-summary.csv")),
        "{names:?}"
    );
    // The screen stays live: the month steps back while the files sit on disk.
    tui.send("[");
    tui.wait_for("月报（");
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}

/// Two operators on one file: what one imports shows in the other's open list within a couple
/// of seconds, and the first start of the day leaves the daily backup in the backup folder.
#[test]
fn another_programs_changes_show_in_the_open_list_and_the_day_is_backed_up() {
    let mut tui = Tui::start_with_demo(80, 24, &["--operator", "王磊", "--lang", "zh"]);
    tui.wait_for("1 巡检");
    tui.send("2");
    tui.wait_for("304 台设备");
    let csv = tui.home.path("more.csv");
    std::fs::write(
        &csv,
        "asset_tag,name,location\r\nZZ-0001,外部新增交换机,机房B\r\n",
    )
    .unwrap();
    let db = tui.db_path();
    let import = support::run(
        tui.home.command(),
        &[
            "--db",
            db.to_str().unwrap(),
            "--operator",
            "李娜",
            "import",
            "devices",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(import.code, 0, "{}", import.stderr);
    // No key is pressed: the open list notices the other program's commit by itself.
    tui.wait_for("305 台设备");
    let backups: Vec<String> = std::fs::read_dir(tui.home.path("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let today = chrono::Local::now().date_naive();
    assert!(
        backups.contains(&format!("jifang-daily-{today}.sqlite")),
        "{backups:?}"
    );
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}

/// The POSIX locks process `pid` holds on the file at `path`, as `/proc/locks` lists them.
fn locks_held(pid: u32, path: &std::path::Path) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(path).unwrap().ino();
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // "1: POSIX  ADVISORY  READ 1234 08:01:5678 128 128"
            fields.len() > 5
                && fields[4] == pid.to_string()
                && fields[5].rsplit(':').next() == Some(&inode.to_string())
        })
        .map(str::to_owned)
        .collect()
}

/// Another program (a backup script, a sysadmin's `sqlite3`) reads the file while the TUI runs
/// and its background work (the day's backup) has opened the database again: the TUI still
/// holds its lock, so the other program never takes itself for the last one and deletes the
/// log the TUI writes to, and a save made after that is in the file when the TUI quits.
#[test]
fn a_save_after_another_program_read_the_file_is_kept() {
    let mut tui = Tui::start_with_demo(80, 24, &["--operator", "王磊", "--lang", "en"]);
    tui.wait_for("1 Checks");
    let today = chrono::Local::now().date_naive();
    let daily = tui
        .home
        .path("backups")
        .join(format!("jifang-daily-{today}.sqlite"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !daily.exists() {
        assert!(std::time::Instant::now() < deadline, "no daily backup");
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    // The backup thread has opened, copied from and closed its own connection by now.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let db = tui.db_path();
    let held = locks_held(tui.pid(), &db);
    assert!(!held.is_empty(), "the TUI holds no lock on its database");
    {
        let other = rusqlite::Connection::open(&db).unwrap();
        let count: i64 = other
            .query_row("SELECT count(*) FROM devices", [], |r| r.get(0))
            .unwrap();
        assert!(count > 0);
    }
    tui.send("2");
    tui.wait_for("JF-PC-0001");
    tui.send("\r");
    tui.send("e");
    tui.wait_for("Ctrl-S");
    tui.send("\x15Lost1\x13");
    tui.wait_for("Saved JF-PC-0001");
    tui.send("\x1b\x1bq");
    assert_eq!(tui.exit_code(), 0);
    let after = rusqlite::Connection::open(&db).unwrap();
    let name: String = after
        .query_row(
            "SELECT name FROM devices WHERE asset_tag = 'JF-PC-0001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "Lost1");
}

/// The audit log over a tab, filtered to one record, an entry opened; in Chinese at 80×24.
#[test]
fn the_audit_log_opens_over_any_tab_and_filters_to_one_record_in_chinese() {
    let mut tui = Tui::start_with_demo(80, 24, &["--operator", "王磊", "--lang", "zh"]);
    tui.wait_for("1 巡检");
    tui.send("3");
    tui.wait_for("张工单");
    tui.send("L");
    tui.wait_for_all(&["审计日志", "条审计记录", "操作员", "变动内容"]);
    tui.send("/JF-PC-0001\r");
    tui.wait_for_all(&["记录:JF-PC-0001", "设备", "新增"]);
    // Newest first: the device's registration is the last row.
    tui.send("G\r");
    tui.wait_for_all(&["审计记录：设备 JF-PC-0001", "资产编号: JF-PC-0001"]);
    tui.send("\x1b");
    tui.wait_for("记录:JF-PC-0001");
    tui.send("\x1b"); // clears the filter
    tui.wait_until("the filter to clear", |s| {
        s.contains("审计日志") && !s.contains("记录:JF-PC-0001")
    });
    tui.send("\x1b"); // closes the log: the Repairs tab again
    tui.wait_until("the log to close", |s| {
        !s.contains("审计日志") && s.contains("张工单")
    });
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}

/// A checklist's past runs, one opened read only; in English at 80×24.
#[test]
fn past_runs_list_a_checklists_runs_and_open_one_read_only() {
    let mut tui = Tui::start_with_demo(80, 24, &["--operator", "Li Wei", "--lang", "en"]);
    tui.wait_for("Weekly network inspection");
    tui.send("h");
    tui.wait_for_all(&["runs", "Period", "Signed", "pass", "FAIL"]);
    tui.send("j\r");
    tui.wait_for_all(&["j/k g/G move", "previous / next period"]);
    // Nothing answers here: Space would pass an item in a run open for work.
    tui.send(" ");
    tui.send("\x1b");
    tui.wait_for_all(&["Period", "Signed"]);
    tui.send("\x1b");
    tui.wait_for("Due now");
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}
