//! The real binary in a pseudo-terminal: open, visit every tab, help, quit; signals.

mod support;

use support::Tui;

const TAB_ABOUT_EN: [&str; 6] = [
    "Weekly network inspection",
    "The register is empty",
    "Repair log",
    "Tool inventory",
    "Daily figures compared",
    "The monthly report pack",
];

#[test]
fn visits_all_tabs_opens_help_and_quits_cleanly_in_english() {
    let mut tui = Tui::start(80, 24, &["--operator", "Li Wei", "--lang", "en"]);
    let week = jifang::domain::calendar::iso_week_label(chrono::Local::now().date_naive());
    tui.wait_for_all(&[
        "This screen is not built yet.",
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
    tui.wait_for_all(&["此页面尚未实现", "操作员 王磊", "1 巡检"]);
    tui.send("\t");
    tui.wait_for("台账为空");
    tui.send("\x1b[Z"); // Shift-Tab
    tui.wait_for("每周网络巡检");
    tui.send("\x1b[Z");
    tui.wait_for("月度报表");
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
    tui.wait_for("This screen is not built yet.");
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
        tui.wait_for("This screen is not built yet.");
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
    tui.wait_for("This screen is not built yet.");
    tui.resize(50, 12);
    tui.wait_for("terminal too small (need 60x16, have 50x12)");
    tui.resize(100, 30);
    tui.wait_until("the full layout again", |s| {
        s.contains("This screen is not built yet.") && !s.contains("too small")
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
    // Tag, name, then eight fields on to the IP address.
    tui.send("JF-PC-9999\t值班电脑\t\t\t\t\t\t\t\t10.10.0.14");
    tui.wait_for("已被 JF-SW-0004");
    tui.send("\x15"); // Ctrl-U clears the field
    tui.send("10.20.1.249\x13"); // Ctrl-S saves
    tui.wait_for_all(&["已新增 JF-PC-9999", "机历本 (1)", "登记入册"]);
    tui.send("\x1b");
    tui.wait_for("305 台设备");
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}
