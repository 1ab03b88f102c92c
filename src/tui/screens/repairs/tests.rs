//! The Repairs tab driven by keys through the application shell, as an operator uses it.

use std::time::Instant;

use chrono::NaiveDateTime;
use ratatui::crossterm::event::KeyCode;

use crate::db::device_log::EventKind;
use crate::db::devices;
use crate::db::repairs::{self, DeviceRef, NewRepair};
use crate::db::{Db, Stamp};
use crate::domain::device::Status;
use crate::domain::record::{Field, Record};
use crate::domain::repair::{FaultKind, Priority, State, Step};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::tabs::Tab;
use crate::tui::testing::keys::{ctrl, draw, press, screen, settle, typed};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn stamp(when: &str) -> Stamp {
    Stamp::new("赵平", at(when))
}

/// A register of two devices and three tickets: one late, one awaiting the user, one closed.
fn app(lang: Lang) -> App {
    app_on(Db::open_in_memory().unwrap(), lang)
}

fn app_on(mut db: Db, lang: Lang) -> App {
    db.write(|tx| {
        for (tag, name) in [("JF-SV-0001", "核心服务器"), ("JF-PC-0002", "办公电脑")] {
            let mut values: [String; 17] = Default::default();
            values[Field::AssetTag.index()] = tag.into();
            values[Field::Name.index()] = name.into();
            values[Field::Status.index()] = "in_use".into();
            values[Field::WarrantyUntil.index()] = "2025-06-30".into();
            let record = Record::parse(&values).unwrap();
            devices::insert(tx, &record, EventKind::Created, &stamp("2026-01-05 09:00"))
                .map_err(|e| rusqlite::Error::InvalidParameterName(e.message(Lang::En)))?;
        }
        let report = |device: DeviceRef, when: &str, what: &str| {
            let new = NewRepair {
                device,
                reporter: "朱俊杰".into(),
                department: "图书馆".into(),
                reported_at: at(when),
                kind: FaultKind::Hardware,
                description: what.into(),
                priority: Priority::High,
                check_result_id: None,
            };
            repairs::report(tx, &new, &stamp(when)).unwrap().0
        };
        let take = |id: i64, step: Step, when: &str| {
            let version = repairs::get(tx, id).unwrap().unwrap().row_version;
            repairs::step(tx, id, version, &step, &stamp(when)).unwrap();
        };
        let assess = |estimate: &str| Step::Assess {
            maintainer: "赵平".into(),
            estimate_at: at(estimate),
        };
        let finish = |result: &str| Step::Finish {
            outcome: crate::domain::repair::Outcome {
                result: result.into(),
                ..Default::default()
            },
            damage: Default::default(),
            returned_on: None,
        };
        let closed = report(
            DeviceRef::Unregistered("会议室投影仪".into()),
            "2026-11-02 10:00",
            "画面偏色",
        );
        take(closed, assess("2026-11-03 10:00"), "2026-11-02 10:30");
        take(closed, Step::Start, "2026-11-02 11:00");
        take(closed, finish("更换灯泡"), "2026-11-02 15:00");
        take(
            closed,
            Step::Confirm {
                by: "朱俊杰".into(),
            },
            "2026-11-02 16:00",
        );
        let waiting = report(DeviceRef::Registered(2), "2026-11-18 09:00", "开机无显示");
        take(waiting, assess("2026-11-19 09:00"), "2026-11-18 09:20");
        take(waiting, Step::Start, "2026-11-18 09:30");
        take(waiting, finish("内存条重新插拔"), "2026-11-18 11:00");
        let late = report(
            DeviceRef::Registered(1),
            "2026-11-19 14:00",
            "硬盘告警灯常亮",
        );
        take(late, assess("2026-11-20 14:00"), "2026-11-19 14:30");
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    let mut app = App::new(db, lang, "王磊".into(), at("2026-11-21 09:00").date());
    app.tick(at("2026-11-21 09:00"), Instant::now());
    app.apply(crate::tui::action::Action::SwitchTab(Tab::Repairs));
    app
}

fn state_of(app: &App, ticket: &str) -> State {
    repairs::by_ticket(app.db().conn(), ticket)
        .unwrap()
        .unwrap()
        .flow
        .state
}

#[test]
fn list_detail_and_form_snapshots() {
    for lang in Lang::ALL {
        let mut app = app(lang);
        insta::assert_snapshot!(format!("list_{lang:?}"), draw(&mut app));
        press(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("detail_{lang:?}"), draw(&mut app));
        // n starts the repair at once; n again asks for the result.
        press(&mut app, KeyCode::Char('n'));
        press(&mut app, KeyCode::Char('n'));
        insta::assert_snapshot!(format!("finish_form_{lang:?}"), draw(&mut app));
    }
}

#[test]
fn open_tickets_come_first_and_the_late_one_is_marked() {
    let mut app = app(Lang::En);
    let s = screen(&mut app);
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("WX-2026-")).collect();
    assert_eq!(rows.len(), 3, "{s}");
    assert!(
        rows[0].contains("WX-2026-0003") && rows[0].contains("11-20 14:00!"),
        "{s}"
    );
    assert!(
        rows[1].contains("WX-2026-0002") && rows[1].contains("Awaiting"),
        "{s}"
    );
    assert!(
        rows[2].contains("WX-2026-0001") && rows[2].contains("on time"),
        "{s}"
    );
    assert!(
        s.contains("repairs LATE 1"),
        "the status bar counts it: {s}"
    );
    // The state filter narrows the list to the late ones.
    press(&mut app, KeyCode::Char('f'));
    typed(&mut app, "Late");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("Tickets: 1") && s.contains("State:Late"), "{s}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "投影");
    let s = screen(&mut app);
    assert!(
        s.contains("Tickets: 1") && s.contains("WX-2026-0001"),
        "{s}"
    );
}

#[test]
fn the_whole_workflow_is_one_key_per_step_asking_only_what_it_needs() {
    let mut app = app(Lang::En);
    // On the late ticket: n starts the repair at once.
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(state_of(&app, "WX-2026-0003"), State::InRepair);
    assert_eq!(
        devices::by_tag(app.db().conn(), "JF-SV-0001")
            .unwrap()
            .unwrap()
            .record
            .status,
        Status::UnderRepair
    );
    // n again asks for the result; a part out of warranty needs two different confirmers.
    press(&mut app, KeyCode::Char('n'));
    typed(&mut app, "更换硬盘");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "硬盘 2TB");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("name the damaged part"), "{s}");
    assert_eq!(
        state_of(&app, "WX-2026-0003"),
        State::InRepair,
        "nothing saved"
    );
    typed(&mut app, "硬盘");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "赵平");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "赵平");
    ctrl(&mut app, 's');
    assert!(screen(&mut app).contains("must be different people"));
    ctrl(&mut app, 'u');
    typed(&mut app, "李娜");
    ctrl(&mut app, 's');
    assert_eq!(state_of(&app, "WX-2026-0003"), State::AwaitingConfirmation);
    // The user rejects it: a reason, and it is back in repair.
    press(&mut app, KeyCode::Char('x'));
    typed(&mut app, "still beeping");
    press(&mut app, KeyCode::Enter);
    let repair = repairs::by_ticket(app.db().conn(), "WX-2026-0003")
        .unwrap()
        .unwrap();
    assert_eq!(
        (repair.flow.state, repair.flow.reopened),
        (State::InRepair, 1)
    );
    assert!(screen(&mut app).contains("Awaiting confirmation -> In repair  still beeping"));
    // A step the state does not allow says what can be done instead.
    press(&mut app, KeyCode::Char('x'));
    assert!(screen(&mut app).contains("cannot be rejected by the user"));
}

#[test]
fn a_new_report_names_a_registered_device_by_tag_and_puts_it_under_repair() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "jf-pc-0002");
    assert!(screen(&mut app).contains("in the register: JF-PC-0002"));
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("Name who reported the fault"), "{s}");
    // The cursor is on the field that needs it.
    typed(&mut app, "朱俊杰");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("Describe the fault"), "{s}");
    typed(&mut app, "键盘失灵");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("Fault reported: WX-2026-0004"), "{s}");
    let repair = repairs::by_ticket(app.db().conn(), "WX-2026-0004")
        .unwrap()
        .unwrap();
    assert_eq!(repair.device_id, Some(2));
    assert_eq!(repair.reporter, "朱俊杰");
}

#[test]
fn closed_tickets_take_amendments_only() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('n'));
    assert!(screen(&mut app).contains("WX-2026-0001 is closed"));
    press(&mut app, KeyCode::Char('A'));
    // The form starts on the value of the first field (the result); pick the cost instead.
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    typed(&mut app, "450");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "发票补录");
    press(&mut app, KeyCode::Enter);
    let repair = repairs::by_ticket(app.db().conn(), "WX-2026-0001")
        .unwrap()
        .unwrap();
    assert_eq!(repair.flow.outcome.cost, 45_000);
    let s = screen(&mut app);
    assert!(
        s.contains("Amendment Cost (yuan): 0.00 -> 450.00  (发票补录)"),
        "{s}"
    );
}

/// The workers read on their own connections; the shell draws until they have answered.
#[test]
fn on_a_file_the_rows_show_at_once_and_the_count_follows() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on(Db::open(&dir.path().join("j.db")).unwrap(), Lang::En);
    let first = screen(&mut app);
    assert!(first.contains("WX-2026-0003"), "{first}");
    settle(&mut app);
    assert!(screen(&mut app).contains("Tickets: 3"));
    typed(&mut app, "/硬盘");
    let s = screen(&mut app);
    // One row and no more: the list ends in view, which is its count.
    assert!(
        s.contains("Tickets: 1") && s.contains("WX-2026-0003"),
        "{s}"
    );
    assert!(!app.busy());
}

/// A thousand open tickets newer than the three of [`app_on`].
fn a_thousand_newer(db: &mut Db) {
    db.write(|tx| {
        for i in 0..1000 {
            let new = NewRepair {
                device: DeviceRef::Unregistered("打印机".into()),
                reporter: "朱俊杰".into(),
                department: "图书馆".into(),
                reported_at: at("2026-11-20 08:00") + chrono::Duration::seconds(i),
                kind: FaultKind::Hardware,
                description: format!("卡纸 {i}"),
                priority: Priority::Normal,
                check_result_id: None,
            };
            repairs::report(tx, &new, &stamp("2026-11-20 09:00"))?;
        }
        Ok::<_, repairs::RepairError>(())
    })
    .unwrap();
}

/// [`a_thousand_newer`] on a file, open on the Repairs tab, its workers held back.
fn a_thousand_newer_counted_later() -> (tempfile::TempDir, crate::db::worker::held::Hold, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut db = Db::open(&path).unwrap();
    a_thousand_newer(&mut db);
    let hold = crate::db::worker::held::hold(&path);
    (dir, hold, app_on(db, Lang::En))
}

#[test]
fn the_end_key_before_the_count_shows_the_last_rows_at_once() {
    let (_dir, hold, mut app) = a_thousand_newer_counted_later();
    let s = screen(&mut app);
    assert!(s.contains("卡纸 999") && !s.contains("画面偏色"), "{s}");
    assert!(app.busy(), "the count is held back");
    // The closed ticket is the list's last: G shows it without waiting for the count.
    press(&mut app, KeyCode::End);
    let s = screen(&mut app);
    assert!(app.busy(), "G waited for the count");
    assert!(s.contains("画面偏色") && !s.contains("卡纸 999"), "{s}");
    // Back to the top and to the end again, and the last ticket opens: none of it waits.
    press(&mut app, KeyCode::Home);
    assert!(screen(&mut app).contains("卡纸 999"));
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(app.busy(), "a key waited for the count");
    assert!(s.contains("WX-2026-1001  [Closed]"), "{s}");
    press(&mut app, KeyCode::Esc);
    drop(hold);
    settle(&mut app);
    let s = screen(&mut app);
    assert!(s.contains("Tickets: 1003") && s.contains("画面偏色"), "{s}");
    // The cursor is on the last row, and moves from there.
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("WX-2026-1002  [Awaiting"), "{s}");
}

#[test]
fn a_filter_too_slow_for_the_key_shows_searching_and_its_rows_follow() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&dir.path().join("j.db")).unwrap();
    a_thousand_newer(&mut db);
    db.never_quick();
    let mut app = app_on(db, Lang::En);
    settle(&mut app);
    let s = screen(&mut app);
    assert!(s.contains("Tickets: 1003"), "{s}");
    // Two characters are searched by reading the list: more than a key may wait for.
    typed(&mut app, "/硬盘");
    let s = screen(&mut app);
    assert!(s.contains("Searching…") && app.busy(), "{s}");
    settle(&mut app);
    let s = screen(&mut app);
    assert!(
        s.contains("Tickets: 1") && s.contains("硬盘告警灯常亮"),
        "{s}"
    );
    // The keys act on the rows the worker read.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("WX-2026-1003  [Assessed]"), "{s}");
}

/// The "卡纸 N" tickets of [`a_thousand_newer`] on screen, top to bottom.
fn jams_shown(screen: &str) -> Vec<u32> {
    screen
        .lines()
        .filter_map(|line| {
            let rest = &line[line.find("卡纸 ")? + "卡纸 ".len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn scrolling_reads_on_from_the_rows_shown_and_keeps_the_list_whole() {
    // First while the count is held back (the rows are read from the top), then counted.
    let (_dir, hold, mut app) = a_thousand_newer_counted_later();
    let page = jams_shown(&screen(&mut app)).len() as i32;
    let mut cursor = 0u32;
    let steps: [(KeyCode, i32, usize); 9] = [
        (KeyCode::Char('j'), 1, 25),
        (KeyCode::PageDown, 0, 3),
        (KeyCode::Char('k'), -1, 7),
        (KeyCode::PageUp, 0, 1),
        (KeyCode::Char('j'), 1, 3),
        (KeyCode::PageDown, 0, 30),
        (KeyCode::PageUp, 0, 2),
        (KeyCode::Char('k'), -1, 4),
        (KeyCode::Char('j'), 1, 9),
    ];
    for (phase, hold) in [(0, Some(hold)), (1, None)] {
        drop(hold);
        if phase == 1 {
            settle(&mut app);
        }
        for (key, by, times) in steps {
            for _ in 0..times {
                press(&mut app, key);
                let s = screen(&mut app);
                let jams = jams_shown(&s);
                assert!(!jams.is_empty(), "{s}");
                assert!(
                    jams.windows(2).all(|w| w[0] == w[1] + 1),
                    "rows missing, repeated or out of order after {key:?}: {jams:?}\n{s}"
                );
                // The cursor row is in view, and it is the ticket the moves lead to.
                let step = if by == 0 {
                    if key == KeyCode::PageDown {
                        page
                    } else {
                        -page
                    }
                } else {
                    by
                };
                cursor = (cursor as i32 + step).clamp(0, 1002) as u32;
                if cursor < 1000 {
                    assert!(jams.contains(&(999 - cursor)), "{cursor}: {jams:?}\n{s}");
                }
            }
        }
        press(&mut app, KeyCode::Enter);
        let s = screen(&mut app);
        // The thousand came first: the jam shown N is ticket N + 1.
        let ticket = format!("WX-2026-{:04}", 1000 - cursor);
        assert!(s.contains(&ticket), "{ticket}\n{s}");
        press(&mut app, KeyCode::Esc);
    }
}

#[test]
fn u_is_undo_on_the_repairs_tab_too_and_shift_u_declares_unrepairable() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(state_of(&app, "WX-2026-0003"), State::InRepair);
    // u is undo here as everywhere (a repair step is never edited: undo says so).
    press(&mut app, KeyCode::Char('u'));
    let s = screen(&mut app);
    assert!(
        s.contains("Cannot undo") && !s.contains("unrepairable"),
        "{s}"
    );
    // Shift-U asks for the reason, on the ticket the cursor is on.
    press(&mut app, KeyCode::Char('U'));
    typed(&mut app, "主板烧毁");
    ctrl(&mut app, 's');
    assert_eq!(state_of(&app, "WX-2026-0003"), State::Unrepairable);
    press(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app);
    assert_eq!(s.matches("  u ").count(), 1, "u is listed once: {s}");
}

/// A list that cannot be read says so, and why, instead of looking empty; the next key reads
/// it again.
#[test]
fn a_list_that_cannot_be_read_says_so_and_is_read_again_at_the_next_key() {
    let db = Db::open_in_memory().unwrap();
    db.conn()
        .execute_batch("ALTER TABLE repairs RENAME TO repairs_away")
        .unwrap();
    let mut app = App::new(db, Lang::En, "王磊".into(), at("2026-11-21 09:00").date());
    app.tick(at("2026-11-21 09:00"), Instant::now());
    app.apply(crate::tui::action::Action::SwitchTab(Tab::Repairs));
    let s = screen(&mut app);
    assert!(
        s.contains("Could not read this list") && s.contains("no such table: repairs"),
        "{s}"
    );
    assert!(!s.contains("No tickets"), "{s}");
    app.db()
        .conn()
        .execute_batch("ALTER TABLE repairs_away RENAME TO repairs")
        .unwrap();
    press(&mut app, KeyCode::Char('j'));
    let s = screen(&mut app);
    // The list reads again; the status bar may still say for a while that a count failed.
    assert!(!s.contains("Could not read this list"), "{s}");
    assert!(s.contains("Tickets: 0"), "{s}");
}

/// `E` writes exactly the tickets of the filter, in the list's order, into the reports folder
/// beside the database, and the status bar says where.
#[test]
fn the_export_key_writes_the_filtered_list_into_the_reports_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on(Db::open(&dir.path().join("j.db")).unwrap(), Lang::En);
    settle(&mut app);
    press(&mut app, KeyCode::Char('f'));
    typed(&mut app, "open");
    press(&mut app, KeyCode::Enter);
    let s = settle(&mut app);
    assert!(s.contains("Tickets: 2"), "{s}");
    press(&mut app, KeyCode::Char('E'));
    let s = settle(&mut app);
    let file = dir.path().join("reports/repairs-2026-11-21-090000.csv");
    assert!(
        s.contains("Exported 2 rows to") && s.contains("repairs-2026-11-21"),
        "{s}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("\u{feff}ticket,state,"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 3, "{text}");
    // Open tickets, late first, as the list shows them; the closed one is not in the filter.
    assert!(lines[1].starts_with("WX-2026-0003,"), "{text}");
    assert!(lines[2].starts_with("WX-2026-0002,"), "{text}");
    assert!(!text.contains("画面偏色"), "{text}");
}

/// `S` sorts by a column either way; the summary says how, and moving down reads on in that
/// order; `Esc` goes back to the list's own order.
#[test]
fn the_sort_key_orders_the_list_by_a_column_either_way() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('S'));
    typed(&mut app, "device, desc");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("sorted by:Device, descending"), "{s}");
    // By the device as reported, descending: 会议室投影仪, then JF-SV-0001, then JF-PC-0002.
    let tickets: Vec<&str> = s
        .lines()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("WX-2026-")))
        .collect();
    assert_eq!(
        tickets,
        ["WX-2026-0001", "WX-2026-0003", "WX-2026-0002"],
        "{s}"
    );
    press(&mut app, KeyCode::Esc);
    let s = screen(&mut app);
    assert!(!s.contains("sorted by"), "{s}");
}

/// A detail never scrolls past its end: one that fits the screen stays where it is however
/// often PgDn is pressed, instead of scrolling into an empty screen.
#[test]
fn a_detail_never_scrolls_past_its_end() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Enter);
    let top = screen(&mut app);
    assert!(top.contains("Timeline"), "{top}");
    for _ in 0..30 {
        press(&mut app, KeyCode::PageDown);
    }
    assert_eq!(screen(&mut app), top);
}
