//! The Tools tab driven by keys through the application shell, as an operator uses it.

use crate::db::paging::Place;
use std::time::Instant;

use chrono::NaiveDateTime;
use ratatui::crossterm::event::KeyCode;

use crate::db::tools::{self, ToolInput};
use crate::db::{Db, Stamp, directory};
use crate::domain::tool::{Borrowing, ToolStatus};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::tabs::Tab;
use crate::tui::testing::keys::{ctrl, draw, press, screen, settle, typed};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// Six tools; a multimeter lent to 林霞 and overdue, a crimper lent and due tomorrow.
fn app(lang: Lang) -> App {
    app_on(Db::open_in_memory().unwrap(), lang)
}

fn app_on(mut db: Db, lang: Lang) -> App {
    db.write(|tx| {
        let s = Stamp::new("赵平", at("2026-11-01 09:00"));
        let centre = directory::ensure_department(tx, "信息中心", true, &s)?;
        let office = directory::ensure_department(tx, "办公室", false, &s)?;
        directory::ensure_person(tx, "林霞", centre, &[directory::Role::Maintainer], None, &s)?;
        directory::ensure_person(tx, "杨明", office, &[], None, &s)?;
        // The leader who approves other departments' loans (001 公司主管领导).
        directory::ensure_person(
            tx,
            "刘主任",
            centre,
            &[directory::Role::Supervisor],
            None,
            &s,
        )?;
        for (code, name, kind, days) in [
            ("GJ-001", "数字万用表", "万用表", 3),
            ("GJ-002", "数字万用表", "万用表", 3),
            ("GJ-003", "网线压线钳", "网线钳", 1),
            ("GJ-004", "网线压线钳", "网线钳", 1),
            ("GJ-005", "铝合金人字梯", "梯子", 0),
            ("GJ-006", "光纤熔接机", "熔接机", 7),
        ] {
            let input = ToolInput {
                code: code.into(),
                name: name.into(),
                kind: kind.into(),
                loan_days: Some(days),
                place: "工具柜A".into(),
                ..ToolInput::default()
            };
            tools::add(tx, &input, &s).unwrap();
        }
        let lend = |who: &str, code: &str, when: &str| {
            let b = Borrowing::internal(who);
            let s = Stamp::new("赵平", at(when));
            tools::check_out(tx, &b, &[code.to_owned()], at(when), &s).unwrap();
        };
        lend("林霞", "GJ-002", "2026-11-15 10:00");
        lend("林霞", "GJ-003", "2026-11-20 10:00");
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    let mut app = App::new(db, lang, "王磊".into(), at("2026-11-21 09:00").date());
    app.tick(at("2026-11-21 09:00"), Instant::now());
    app.apply(crate::tui::action::Action::SwitchTab(Tab::Tools));
    app
}

fn status(app: &App, code: &str) -> ToolStatus {
    tools::by_code(app.db().conn(), code)
        .unwrap()
        .unwrap()
        .status
}

#[test]
fn tools_loans_and_checkout_snapshots() {
    for lang in Lang::ALL {
        let mut app = app(lang);
        insta::assert_snapshot!(format!("tools_{lang:?}"), draw(&mut app));
        press(&mut app, KeyCode::Char('v'));
        insta::assert_snapshot!(format!("loans_{lang:?}"), draw(&mut app));
        press(&mut app, KeyCode::Char('v'));
        // The cursor is on GJ-001 (on the shelf): the check-out starts with it.
        press(&mut app, KeyCode::Char('o'));
        typed(&mut app, "杨明");
        press(&mut app, KeyCode::Tab);
        insta::assert_snapshot!(format!("checkout_{lang:?}"), draw(&mut app));
    }
}

#[test]
fn overdue_loans_come_first_marked_and_counted_in_the_status_bar() {
    let mut app = app(Lang::En);
    let s = screen(&mut app);
    assert!(s.contains("tools OVERDUE 1"), "{s}");
    let line = s.lines().find(|l| l.contains("GJ-002")).unwrap();
    assert!(line.starts_with('!') && line.contains("11-18!"), "{s}");
    press(&mut app, KeyCode::Char('v'));
    let s = screen(&mut app);
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("LY-2026-")).collect();
    assert!(
        rows[0].contains("GJ-002") && rows[0].contains("3d late"),
        "{s}"
    );
    assert!(
        rows[1].contains("GJ-003") && rows[1].contains("Not returned"),
        "{s}"
    );
}

#[test]
fn another_department_needs_an_approver_before_the_checkout_saves() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('o'));
    typed(&mut app, "杨明");
    press(&mut app, KeyCode::Tab);
    let s = screen(&mut app);
    assert!(
        s.contains("办公室") && s.contains("another department"),
        "{s}"
    );
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("leader's approval"), "{s}");
    assert_eq!(
        status(&app, "GJ-001"),
        ToolStatus::Available,
        "nothing saved"
    );
    // The cursor is on the approver: type one and save.
    typed(&mut app, "刘主任");
    ctrl(&mut app, 's');
    assert_eq!(status(&app, "GJ-001"), ToolStatus::CheckedOut);
    let s = screen(&mut app);
    assert!(s.contains("LY-2026-0003") && s.contains("杨明"), "{s}");
}

#[test]
fn the_scan_loop_refuses_a_tool_out_naming_who_holds_it() {
    let mut app = app(Lang::Zh);
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('o'));
    typed(&mut app, "林霞");
    // A borrower of the centre: Enter goes straight to the code line.
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(
        s.contains("林霞 目前借用 2 件，逾期 1 件：GJ-002 应还 2026-11-18，GJ-003 应还 2026-11-21"),
        "what the borrower holds, overdue first: {s}"
    );
    for code in ["gj-004", "GJ-002", "GJ-404"] {
        typed(&mut app, code);
        press(&mut app, KeyCode::Enter);
        if code == "GJ-002" {
            let s = screen(&mut app);
            assert!(
                s.contains("GJ-002 已借出：林霞 借用中，应还 2026-11-18"),
                "{s}"
            );
        }
    }
    let s = screen(&mut app);
    assert!(s.contains("没有编号为“GJ-404”的工具"), "{s}");
    assert!(s.contains("待借出：2 件"), "GJ-006 and GJ-004: {s}");
    assert!(s.contains("GJ-006 光纤熔接机：应还 2026-11-28"), "{s}");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(
        s.contains("林霞 有 1 件工具逾期未还（GJ-002，应还 2026-11-18）。仍要借出吗？"),
        "asked before lending to someone with an overdue tool: {s}"
    );
    assert_eq!(status(&app, "GJ-004"), ToolStatus::Available, "not yet");
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(status(&app, "GJ-004"), ToolStatus::CheckedOut);
    assert_eq!(status(&app, "GJ-006"), ToolStatus::CheckedOut);
}

#[test]
fn after_a_refused_scan_the_code_line_is_empty_for_the_next_scan() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('o'));
    typed(&mut app, "杨明");
    press(&mut app, KeyCode::Enter);
    // Another department: Enter went to the approver, and from there to the code line.
    typed(&mut app, "刘主任");
    press(&mut app, KeyCode::Enter);
    // GJ-001 came with the cursor; scanning it again and a tool out are both refused.
    for code in ["GJ-001", "GJ-002", "gj-005", "gj-005"] {
        typed(&mut app, code);
        press(&mut app, KeyCode::Enter);
    }
    let s = screen(&mut app);
    assert!(
        !s.contains("GJ-001GJ") && !s.contains("GJ-002gj"),
        "nothing glued: {s}"
    );
    assert!(s.contains("To check out: 2"), "GJ-001 and GJ-005: {s}");
    assert!(s.contains("GJ-005"), "the repeated code is named: {s}");
    ctrl(&mut app, 's');
    assert_eq!(status(&app, "GJ-005"), ToolStatus::CheckedOut);
}

#[test]
fn five_tools_to_one_borrower_take_the_borrower_five_scans_and_two_keys() {
    let mut db = Db::open_in_memory().unwrap();
    db.write(|tx| {
        let s = Stamp::new("赵平", at("2026-11-01 09:00"));
        let centre = directory::ensure_department(tx, "信息中心", true, &s)?;
        directory::ensure_person(tx, "周强", centre, &[], None, &s)?;
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    let mut app = app_on(db, Lang::En);
    press(&mut app, KeyCode::Char('o'));
    typed(&mut app, "周强");
    let mut keys = 1; // Enter
    press(&mut app, KeyCode::Enter);
    for code in ["GJ-002", "GJ-003", "GJ-004", "GJ-005", "GJ-006"] {
        typed(&mut app, code);
        press(&mut app, KeyCode::Enter);
    }
    keys += 1; // Ctrl-S
    ctrl(&mut app, 's');
    assert!(keys <= 2);
    for code in ["GJ-004", "GJ-005", "GJ-006"] {
        assert_eq!(status(&app, code), ToolStatus::CheckedOut, "{code}");
    }
}

#[test]
fn a_borrower_not_in_the_directory_is_marked() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('o'));
    typed(&mut app, "陌生人");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("陌生人 is not in the directory."), "{s}");
}

#[test]
fn a_damaged_return_asks_who_pays_and_the_liability_is_settled_later() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('r'));
    let s = screen(&mut app);
    assert!(s.contains("Return GJ-002"), "{s}");
    assert!(
        !s.contains("Liable person"),
        "a good return asks nothing more: {s}"
    );
    press(&mut app, KeyCode::Right);
    let s = screen(&mut app);
    assert!(s.contains("Liable person") && s.contains("林霞"), "{s}");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "表笔断裂");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "八十");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("is not an amount"), "{s}");
    assert_eq!(
        status(&app, "GJ-002"),
        ToolStatus::CheckedOut,
        "nothing saved"
    );
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "80");
    ctrl(&mut app, 's');
    assert_eq!(status(&app, "GJ-002"), ToolStatus::Damaged);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('f'));
    typed(&mut app, "Liability");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("Damaged 80.00!"), "{s}");
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("Liability of 林霞 settled: 80.00"), "{s}");
    assert!(
        s.contains("Nothing matches"),
        "no unsettled liability left: {s}"
    );
}

#[test]
fn tools_are_added_edited_and_retired_and_history_is_one_key() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "GJ-007");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "寻线仪");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "寻线仪");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "2");
    ctrl(&mut app, 's');
    let t = tools::by_code(app.db().conn(), "GJ-007").unwrap().unwrap();
    assert_eq!((t.kind.as_str(), t.loan_days), ("寻线仪", 2));
    // A code already used is refused on the code field.
    press(&mut app, KeyCode::Char('a'));
    for text in ["gj-001", "万用表", "万用表"] {
        typed(&mut app, text);
        press(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 's');
    assert!(screen(&mut app).contains("already in the inventory"));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    // GJ-002 is out: it cannot be retired.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('x'));
    assert!(screen(&mut app).contains("return it first"));
    press(&mut app, KeyCode::Char('h'));
    let s = screen(&mut app);
    assert!(s.contains("Tool:GJ-002") && s.contains("1 loan "), "{s}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Char('x'));
    typed(&mut app, "量程失准");
    press(&mut app, KeyCode::Enter);
    assert_eq!(status(&app, "GJ-001"), ToolStatus::Retired);
    let s = screen(&mut app);
    assert!(s.contains("GJ-001 retired."), "{s}");
    let listed = s
        .lines()
        .filter(|l| l.get(2..).is_some_and(|r| r.starts_with("GJ-00")))
        .count();
    assert_eq!(
        listed, 6,
        "GJ-002..GJ-007 stay, the retired GJ-001 leaves the list: {s}"
    );
}

/// Three hundred loans of the ladder before the loans of [`app_on`], each returned the same
/// day; the file is held from its workers.
fn three_hundred_returned() -> (tempfile::TempDir, crate::db::worker::held::Hold, Db) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut db = Db::open(&path).unwrap();
    db.write(|tx| {
        let s = Stamp::new("赵平", at("2026-01-01 09:00"));
        let input = ToolInput {
            code: "GJ-100".into(),
            name: "伸缩梯".into(),
            kind: "梯子".into(),
            loan_days: Some(0),
            place: "工具柜B".into(),
            ..ToolInput::default()
        };
        tools::add(tx, &input, &s).unwrap();
        for n in 0..300 {
            let when = at("2026-01-02 09:00") + chrono::Duration::hours(n);
            let b = Borrowing {
                borrower: format!("借用人{n}"),
                department: "信息中心".into(),
                external: false,
                approver: String::new(),
                purpose: "巡检".into(),
                due_on: None,
                condition_out: "完好".into(),
            };
            let s = Stamp::new("赵平", when);
            tools::check_out(tx, &b, &["GJ-100".to_owned()], when, &s).unwrap();
            let item = tools::by_code(tx, "GJ-100")
                .unwrap()
                .unwrap()
                .holder
                .unwrap()
                .item_id;
            let back = tools::Return {
                condition: crate::domain::tool::Condition::Good,
                note: String::new(),
                liable_person: String::new(),
                amount: 0,
                settled: false,
                repair: false,
            };
            tools::return_item(tx, item, &back, &s).unwrap();
        }
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    let hold = crate::db::worker::held::hold(&path);
    (dir, hold, db)
}

#[test]
fn the_loan_list_shows_its_rows_at_once_and_counts_off_the_key_path() {
    let (_dir, hold, db) = three_hundred_returned();
    let mut app = app_on(db, Lang::En);
    press(&mut app, KeyCode::Char('v'));
    let s = screen(&mut app);
    assert!(s.contains("Counting loans…") && app.busy(), "{s}");
    // Open loans first, then the newest returned one (借用人299, LY-2026-0300).
    assert!(s.contains("GJ-002") && s.contains("LY-2026-0300"), "{s}");
    // The cursor goes on down past the rows read, before the count has come.
    for _ in 0..30 {
        press(&mut app, KeyCode::Char('j'));
        screen(&mut app);
    }
    let s = screen(&mut app);
    assert!(s.contains("LY-2026-0272") && app.busy(), "{s}");
    drop(hold);
    let s = settle(&mut app);
    assert!(s.contains("302 loans") && s.contains("LY-2026-0272"), "{s}");
}

#[test]
fn a_loan_filter_too_slow_for_the_key_shows_searching_and_its_rows_follow() {
    let (_dir, hold, mut db) = three_hundred_returned();
    db.never_quick();
    drop(hold);
    let mut app = app_on(db, Lang::En);
    press(&mut app, KeyCode::Char('v'));
    settle(&mut app);
    typed(&mut app, "/借用人12");
    let s = screen(&mut app);
    assert!(s.contains("Searching…") && app.busy(), "{s}");
    let s = settle(&mut app);
    // 借用人12 (LY-2026-0013) and 借用人120 to 借用人129 (0121 to 0130).
    assert!(s.contains("11 loans") && s.contains("LY-2026-0130"), "{s}");
    assert!(
        s.contains("LY-2026-0013") && !s.contains("LY-2026-0014"),
        "{s}"
    );
}

/// The requisition numbers on screen, top to bottom.
fn loans_shown(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|line| {
            let at = line.find("LY-2026-")?;
            Some(line[at..at + "LY-2026-0000".len()].to_owned())
        })
        .collect()
}

/// Move through the loan list from row `cursor` with `steps` (key, rows it moves, times),
/// checking after each key that the rows on screen are the list's own, in its order, and the
/// cursor's among them. With `wait`, the workers are waited for after each key.
fn walk_the_loans(
    app: &mut App,
    list: &[String],
    cursor: &mut isize,
    steps: &[(KeyCode, isize, usize)],
    wait: bool,
) {
    for &(key, by, times) in steps {
        for _ in 0..times {
            press(app, key);
            let s = if wait { settle(app) } else { screen(app) };
            let shown = loans_shown(&s);
            let Some(first) = list.iter().position(|n| Some(n) == shown.first()) else {
                panic!("no loan shown after {key:?}\n{s}");
            };
            assert_eq!(
                shown,
                list[first..first + shown.len()],
                "rows missing, repeated or out of order after {key:?}\n{s}"
            );
            *cursor = (*cursor + by).clamp(0, list.len() as isize - 1);
            let at = *cursor as usize;
            assert!(
                (first..first + shown.len()).contains(&at),
                "the cursor's loan {} is not in view after {key:?}\n{s}",
                list[at]
            );
        }
    }
}

#[test]
fn scrolling_the_loans_reads_on_from_the_rows_shown_and_keeps_the_list_whole() {
    let (dir, hold, db) = three_hundred_returned();
    let mut app = app_on(db, Lang::En);
    // The list as a fresh read from its start has it, open loans first.
    let other = Db::open(&dir.path().join("j.db")).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let all = tools::loans(
        other.conn(),
        &Default::default(),
        today,
        Place::top(0),
        1000,
    )
    .unwrap();
    let list: Vec<String> = all.iter().map(|r| r.number.clone()).collect();
    assert_eq!(list.len(), 302);
    assert!(all[0].is_open() && all[1].is_open() && !all[2].is_open());
    press(&mut app, KeyCode::Char('v'));
    let page = loans_shown(&screen(&mut app)).len() as isize;
    assert!(page > 5, "{page} rows on screen");
    let down_and_up = |page: isize| {
        [
            (KeyCode::Char('j'), 1, 25),
            (KeyCode::PageDown, page, 3),
            (KeyCode::Char('k'), -1, 7),
            (KeyCode::PageUp, -page, 2),
            (KeyCode::Char('j'), 1, 3),
            (KeyCode::PageDown, page, 2),
            (KeyCode::PageUp, -page, 5),
            (KeyCode::End, 10_000, 1),
            (KeyCode::PageUp, -page, 2),
            (KeyCode::Char('k'), -1, 2),
            (KeyCode::Home, -10_000, 1),
        ]
    };
    // While the count is held back, then once it has come.
    let mut cursor = 0;
    walk_the_loans(&mut app, &list, &mut cursor, &down_and_up(page)[..1], false);
    assert!(app.busy(), "the count is held back");
    drop(hold);
    settle(&mut app);
    walk_the_loans(&mut app, &list, &mut cursor, &down_and_up(page)[1..], true);
    // A filter read a window at a time: 借用人1, 借用人10 to 19 and 借用人100 to 199.
    press(&mut app, KeyCode::Char('g'));
    typed(&mut app, "/借用人1");
    press(&mut app, KeyCode::Enter);
    let page = loans_shown(&settle(&mut app)).len() as isize;
    let wanted: Vec<String> = all
        .iter()
        .filter(|r| r.borrower.starts_with("借用人1"))
        .map(|r| r.number.clone())
        .collect();
    assert_eq!(wanted.len(), 111);
    walk_the_loans(&mut app, &wanted, &mut 0, &down_and_up(page), true);
}

#[test]
fn a_check_out_stores_the_condition_as_a_key_and_each_language_reads_its_word() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('o'));
    typed(&mut app, "林霞");
    press(&mut app, KeyCode::Enter);
    ctrl(&mut app, 's');
    press(&mut app, KeyCode::Char('y'));
    let conn = app.db().conn();
    let stored: Vec<String> =
        crate::db::column(conn, "SELECT condition_out FROM tool_loans ORDER BY id");
    assert_eq!(
        stored.last().map(String::as_str),
        Some("good"),
        "{stored:?}"
    );
    let query = tools::LoanQuery::default();
    let day = at("2026-11-21 09:00").date();
    let rows = tools::loans(conn, &query, day, Place::top(0), 100).unwrap();
    let zh = String::from_utf8(crate::exchange::tools::loans_csv(&rows, day, Lang::Zh)).unwrap();
    assert!(!zh.contains("Good") && !zh.contains(",good,"), "{zh}");
    assert_eq!(
        zh.matches("完好").count(),
        3,
        "the old row's 完好 and the new key: {zh}"
    );
    let en = String::from_utf8(crate::exchange::tools::loans_csv(&rows, day, Lang::En)).unwrap();
    assert!(
        !en.contains("完好") && en.matches(",Good,").count() >= 3,
        "{en}"
    );
}

#[test]
fn returns_by_scan_take_one_key_each_and_tab_marks_the_next_damaged() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('i'));
    typed(&mut app, "gj-002");
    press(&mut app, KeyCode::Enter);
    assert_eq!(status(&app, "GJ-002"), ToolStatus::Available);
    let s = screen(&mut app);
    assert!(
        s.contains("GJ-002 数字万用表 back from 林霞 (LY-2026-0001) at 09:00, 3 d late"),
        "{s}"
    );
    typed(&mut app, "GJ-001");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("GJ-001 is not checked out."), "{s}");
    assert!(!s.contains("GJ-001GJ"), "the line is empty again: {s}");
    // Tab: the next one comes back damaged, and its form asks who pays.
    press(&mut app, KeyCode::Tab);
    assert!(screen(&mut app).contains("next: Damaged"));
    typed(&mut app, "GJ-003");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("Liable person") && s.contains("林霞"), "{s}");
    typed(&mut app, "jaw bent");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "35");
    ctrl(&mut app, 's');
    assert_eq!(status(&app, "GJ-003"), ToolStatus::Damaged);
    let s = screen(&mut app);
    assert!(s.contains("Returned here: 2"), "back on the scan line: {s}");
    assert!(s.contains("next: Good"), "{s}");
    press(&mut app, KeyCode::Esc);
    assert!(screen(&mut app).contains("i return by scan"));
}

/// `E` exports the list in view: the tools of the filter, or the loans of the filter.
#[test]
fn the_export_key_writes_the_list_in_view_with_its_filter() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on(Db::open(&dir.path().join("j.db")).unwrap(), Lang::Zh);
    settle(&mut app);
    typed(&mut app, "/压线钳");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('E'));
    let s = settle(&mut app);
    assert!(s.contains("已导出 2 行到"), "{s}");
    let tools =
        std::fs::read_to_string(dir.path().join("reports/tools-2026-11-21-090000.csv")).unwrap();
    assert_eq!(tools.lines().count(), 3, "{tools}");
    assert!(
        tools.contains("GJ-003") && tools.contains("GJ-004"),
        "{tools}"
    );
    assert!(!tools.contains("GJ-001"), "{tools}");
    // The loans view, its search cleared: both loans, the overdue one first.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    settle(&mut app);
    press(&mut app, KeyCode::Char('E'));
    let s = settle(&mut app);
    assert!(
        s.contains("已导出 2 行到") && s.contains("loans-2026-11-21"),
        "{s}"
    );
    let loans =
        std::fs::read_to_string(dir.path().join("reports/loans-2026-11-21-090000.csv")).unwrap();
    let lines: Vec<&str> = loans.lines().collect();
    assert_eq!(lines.len(), 3, "{loans}");
    assert!(
        lines[1].contains("GJ-002") && lines[2].contains("GJ-003"),
        "{loans}"
    );
}

/// `S` sorts the view in sight by one of its columns; the tools by place descending here.
#[test]
fn the_sort_key_orders_the_tools_and_the_loans() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('S'));
    typed(&mut app, "code, desc");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("sorted by:Code, descending"), "{s}");
    let codes: Vec<&str> = s
        .lines()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("GJ-")))
        .collect();
    assert_eq!(
        codes,
        ["GJ-006", "GJ-005", "GJ-004", "GJ-003", "GJ-002", "GJ-001"],
        "{s}"
    );
    // The loans view has its own sort: by tool code, descending (its own order puts the
    // overdue GJ-002 first).
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('S'));
    typed(&mut app, "tool, desc");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    let codes: Vec<&str> = s
        .lines()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("GJ-")))
        .collect();
    assert_eq!(codes, ["GJ-003", "GJ-002"], "{s}");
    assert!(s.contains("sorted by:Tool, descending"), "{s}");
}
