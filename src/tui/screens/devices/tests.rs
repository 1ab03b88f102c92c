//! The Devices tab driven by keys through the application shell, as an operator uses it.

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::db::device_log::EventKind;
use crate::db::devices::{self, ListQuery};
use crate::db::{Db, Stamp};
use crate::domain::record::{Field, Record};
use crate::i18n::Lang;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::tabs::Tab;
use crate::tui::testing::text;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn device(values: &[(Field, &str)]) -> Record {
    let mut v: [String; 17] = Default::default();
    for (f, text) in values {
        v[f.index()] = (*text).to_owned();
    }
    Record::parse(&v).unwrap()
}

/// A small register: a core switch, a server with a warranty ending soon, a PC with an
/// expired one, and a scrapped printer.
fn app(lang: Lang) -> App {
    let db = Db::open_in_memory().unwrap();
    // The deputy who approves transfer slips (004 副总经理).
    crate::db::directory::test_person(db.conn(), "赵副总", &[crate::domain::role::Role::Deputy]);
    let stamp = Stamp::new("demo", today().and_hms_opt(8, 0, 0).unwrap());
    let rows = [
        device(&[
            (Field::AssetTag, "JF-SW-0001"),
            (Field::Name, "核心交换机"),
            (Field::Category, "switch"),
            (Field::Location, "机房A-机柜01-U40"),
            (Field::Department, "信息中心"),
            (Field::Owner, "王磊"),
            (Field::IpAddress, "10.10.0.1"),
            (Field::Status, "in_use"),
            (Field::WarrantyUntil, "2029-06-30"),
        ]),
        device(&[
            (Field::AssetTag, "JF-SV-0002"),
            (Field::Name, "Web 服务器"),
            (Field::Category, "server"),
            (Field::Location, "机房A-机柜03-U12"),
            (Field::Department, "信息中心"),
            (Field::Owner, "李娜"),
            (Field::IpAddress, "10.10.1.20"),
            (Field::Status, "under_repair"),
            (Field::WarrantyUntil, "2026-12-01"),
        ]),
        device(&[
            (Field::AssetTag, "JF-PC-0003"),
            (Field::Name, "办公电脑"),
            (Field::Category, "pc"),
            (Field::Location, "行政楼301"),
            (Field::Department, "财务部"),
            (Field::Owner, "张伟"),
            (Field::IpAddress, "10.20.1.15"),
            (Field::Status, "in_use"),
            (Field::WarrantyUntil, "2025-03-01"),
        ]),
        device(&[
            (Field::AssetTag, "JF-PR-0004"),
            (Field::Name, "激光打印机"),
            (Field::Category, "printer"),
            (Field::Status, "scrapped"),
        ]),
    ];
    let mut app = App::new(db, lang, "王磊".into(), today());
    for r in rows {
        devices::insert(app.db().conn(), &r, EventKind::Created, &stamp).unwrap();
    }
    app.apply(Action::SwitchTab(Tab::Devices));
    app
}

fn press(app: &mut App, code: KeyCode) {
    let action = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    app.apply(action);
}

fn ctrl(app: &mut App, c: char) {
    let action = app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    app.apply(action);
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn screen(app: &mut App) -> String {
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| app.render(f)).unwrap();
    text(term.backend().buffer())
}

fn snapshot(app: &mut App) -> TestBackend {
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| app.render(f)).unwrap();
    term.backend().clone()
}

#[test]
fn list_snapshots() {
    for lang in Lang::ALL {
        let mut app = app(lang);
        insta::assert_snapshot!(format!("list_{lang:?}"), snapshot(&mut app));
    }
}

#[test]
fn detail_snapshots() {
    for lang in Lang::ALL {
        let mut app = app(lang);
        press(&mut app, KeyCode::Char('j'));
        press(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("detail_{lang:?}"), snapshot(&mut app));
    }
}

#[test]
fn form_with_an_inline_error_snapshots() {
    for lang in Lang::ALL {
        let mut app = app(lang);
        press(&mut app, KeyCode::Char('a'));
        // The tag is offered; another is typed over it.
        press(&mut app, KeyCode::BackTab);
        ctrl(&mut app, 'u');
        typed(&mut app, "JF-PC-0100");
        press(&mut app, KeyCode::Tab);
        typed(&mut app, "值班电脑");
        for _ in 0..8 {
            press(&mut app, KeyCode::Tab);
        }
        typed(&mut app, "10.10.0.1");
        insta::assert_snapshot!(format!("form_{lang:?}"), snapshot(&mut app));
    }
}

#[test]
fn scrapped_devices_are_hidden_until_asked_for() {
    let mut app = app(Lang::En);
    assert!(screen(&mut app).contains("3 devices"));
    assert!(!screen(&mut app).contains("JF-PR-0004"));
    press(&mut app, KeyCode::Char('v'));
    let shown = screen(&mut app);
    assert!(
        shown.contains("4 devices") && shown.contains("JF-PR-0004"),
        "{shown}"
    );
}

#[test]
fn typing_after_slash_narrows_the_list_live() {
    let mut app = app(Lang::Zh);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "机房a");
    assert!(screen(&mut app).contains("2 台设备"));
    typed(&mut app, " 李");
    let s = screen(&mut app);
    assert!(s.contains("1 台设备") && s.contains("JF-SV-0002"), "{s}");
    press(&mut app, KeyCode::Esc);
    assert!(screen(&mut app).contains("3 台设备"));
}

#[test]
fn warranties_ending_soon_and_expired_are_marked() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('S'));
    typed(&mut app, "name");
    press(&mut app, KeyCode::Enter); // sort by name: PC, server, switch
    let lines: Vec<String> = screen(&mut app).lines().map(str::to_owned).collect();
    let row = |tag: &str| lines.iter().find(|l| l.contains(tag)).cloned().unwrap();
    assert!(row("JF-SV-0002").starts_with('!'), "{lines:?}");
    assert!(row("JF-PC-0003").starts_with('x'), "{lines:?}");
    assert!(row("JF-SW-0001").starts_with(' '), "{lines:?}");
    press(&mut app, KeyCode::Esc);
}

#[test]
fn a_device_added_from_the_keyboard_is_saved_with_its_history() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::BackTab);
    ctrl(&mut app, 'u');
    typed(&mut app, "JF-PC-0100");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "Duty PC");
    for _ in 0..8 {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "10.10.0.1");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(
        s.contains("IP 10.10.0.1 is already used by JF-SW-0001"),
        "{s}"
    );
    assert!(
        devices::by_tag(app.db().conn(), "JF-PC-0100")
            .unwrap()
            .is_none()
    );
    ctrl(&mut app, 'u');
    typed(&mut app, "10.20.1.16");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(
        s.contains("Added JF-PC-0100") && s.contains("History book (1)"),
        "{s}"
    );
    let saved = devices::by_tag(app.db().conn(), "JF-PC-0100")
        .unwrap()
        .unwrap();
    assert_eq!(saved.record.value(Field::IpAddress), "10.20.1.16");
    assert_eq!(saved.record.name, "Duty PC");
}

#[test]
fn escape_asks_before_throwing_away_a_typed_form() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "X");
    press(&mut app, KeyCode::Esc);
    assert!(screen(&mut app).contains("Discard your changes?"));
    press(&mut app, KeyCode::Char('n'));
    assert!(screen(&mut app).contains("New device"));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert!(screen(&mut app).contains("3 devices"));
}

#[test]
fn a_transfer_from_the_detail_view_lands_in_the_history_book() {
    let mut app = app(Lang::Zh);
    press(&mut app, KeyCode::Enter); // JF-PC-0003, first by tag
    press(&mut app, KeyCode::Char('t'));
    ctrl(&mut app, 'u');
    typed(&mut app, "行政楼402");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "赵副总");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("已调拨 JF-PC-0003"), "{s}");
    assert!(s.contains("位置: 行政楼301 -> 行政楼402"), "{s}");
    assert!(s.contains("审批人 赵副总"), "{s}");
    let query = ListQuery::default();
    assert_eq!(devices::list_ids(app.db().conn(), &query).unwrap().len(), 3);
}

#[test]
fn the_address_table_shows_free_addresses_per_subnet() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('i'));
    let s = screen(&mut app);
    assert!(
        s.contains("10.10.0.0/24") && s.contains("10.20.1.0/24"),
        "{s}"
    );
    assert!(s.contains("Free: 10.10.0.2-254"), "{s}");
    assert!(s.contains("10.10.0.1       JF-SW-0001 核心交换机"), "{s}");
}

#[test]
fn a_save_over_someone_elses_change_is_refused_and_ctrl_r_reloads_theirs() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('e'));
    let shown = screen(&mut app);
    let tag = shown
        .split("Correct ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap();
    let id = devices::by_tag(app.db().conn(), tag).unwrap().unwrap().id;
    // Another operator renames the device while this form is open.
    let other = Stamp::new("李娜", today().and_hms_opt(9, 0, 0).unwrap());
    let current = devices::get(app.db().conn(), id).unwrap().unwrap();
    let mut theirs = current.record.clone();
    theirs.name = "李娜改的名字".into();
    devices::update(
        app.db().conn(),
        id,
        current.row_version,
        &theirs,
        EventKind::Edited,
        &other,
    )
    .unwrap();
    typed(&mut app, "X");
    ctrl(&mut app, 's');
    let shown = screen(&mut app);
    assert!(
        shown.contains("changed by someone else: not saved"),
        "{shown}"
    );
    assert!(shown.contains("Ctrl-R"), "{shown}");
    let stored = devices::get(app.db().conn(), id).unwrap().unwrap();
    assert_eq!(
        stored.record.name, "李娜改的名字",
        "theirs is not overwritten"
    );
    ctrl(&mut app, 'r');
    let shown = screen(&mut app);
    assert!(shown.contains("李娜改的名字"), "{shown}");
    assert!(shown.contains("reloaded"), "{shown}");
    typed(&mut app, "2");
    ctrl(&mut app, 's');
    let stored = devices::get(app.db().conn(), id).unwrap().unwrap();
    assert_eq!(
        stored.record.name, "李娜改的名字2",
        "saved on top of theirs"
    );
}

/// 120 PCs, JF-PC-0001 onwards, in a database file in `dir`; the Devices tab open on them.
fn pcs_on_file(dir: &std::path::Path) -> App {
    let mut db = Db::open(&dir.join("j.db")).unwrap();
    let stamp = Stamp::new("demo", today().and_hms_opt(8, 0, 0).unwrap());
    db.write(|tx| {
        for n in 1..=120 {
            let tag = format!("JF-PC-{n:04}");
            let record = device(&[(Field::AssetTag, &tag), (Field::Name, "办公电脑")]);
            devices::insert(tx, &record, EventKind::Created, &stamp).unwrap();
        }
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    let mut app = App::new(db, Lang::En, "王磊".into(), today());
    app.apply(Action::SwitchTab(Tab::Devices));
    app
}

#[test]
fn on_a_file_a_long_list_shows_its_first_rows_and_the_rest_follows() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = pcs_on_file(dir.path());
    let first = screen(&mut app);
    assert!(first.contains("JF-PC-0001"), "{first}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.busy() {
        assert!(std::time::Instant::now() < deadline, "the list never came");
        std::thread::sleep(std::time::Duration::from_millis(5));
        screen(&mut app);
    }
    assert!(screen(&mut app).contains("120 devices"));
    // The end of the list is there at once, whether or not the count has come; the count
    // follows.
    typed(&mut app, "/pc-00");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::End);
    let s = screen(&mut app);
    assert!(s.contains("JF-PC-0099"), "{s}");
    let s = crate::tui::testing::keys::settle(&mut app);
    assert!(s.contains("99 devices") && s.contains("JF-PC-0099"), "{s}");
}

/// `E` writes exactly the devices of the search and sort, in the list's order, into the
/// reports folder beside the database: on a worker while the list stays on screen, its end
/// told in the status bar. The file is the register's CSV, read back by `I`.
#[test]
fn the_export_key_writes_the_list_in_view_beside_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("j.db");
    let mut app = pcs_on_file(dir.path());
    crate::tui::testing::keys::settle(&mut app);
    // The ten devices 0010-0019, descending by tag.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "JF-PC-001");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('S'));
    typed(&mut app, "asset tag, desc");
    press(&mut app, KeyCode::Enter);
    let s = crate::tui::testing::keys::settle(&mut app);
    assert!(s.contains("JF-PC-0019"), "{s}");

    let hold = crate::db::worker::held::hold(&db_path);
    press(&mut app, KeyCode::Char('E'));
    let s = screen(&mut app);
    assert!(s.contains("Exporting this list to"), "{s}");
    assert!(s.contains("JF-PC-0019"), "the list stays: {s}");
    let reports = dir.path().join("reports");
    let written = || std::fs::read_dir(&reports).map_or(0, |d| d.count());
    assert_eq!(
        written(),
        0,
        "written beside the screen, not before the frame"
    );
    drop(hold);
    let s = crate::tui::testing::keys::settle(&mut app);
    assert!(s.contains("Exported 10 rows to"), "{s}");
    let file = std::fs::read_dir(&reports)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let name = file.file_name().into_string().unwrap();
    assert!(
        name.starts_with("devices-2026-11-21") && name.ends_with(".csv"),
        "{name}"
    );
    let text = std::fs::read_to_string(file.path()).unwrap();
    let tags: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let want: Vec<String> = (10..=19).rev().map(|n| format!("JF-PC-{n:04}")).collect();
    assert_eq!(tags, want, "{text}");
}

#[test]
fn a_fault_reported_from_a_device_offers_its_owner_and_department() {
    let mut app = app(Lang::En);
    screen(&mut app);
    // The cursor starts on JF-PC-0003 (张伟, 财务部).
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('R'));
    assert_eq!(app.tab(), Tab::Repairs);
    let s = screen(&mut app);
    let line = |label: &str| {
        let label = format!(" {label} ");
        s.lines()
            .find(|l| l.starts_with(&label))
            .unwrap_or_default()
    };
    assert!(line("Reported by").contains("张伟"), "{s}");
    assert!(line("Department").contains("财务部"), "{s}");
    assert!(line("Device").contains("JF-PC-0003"), "{s}");
}

#[test]
fn a_new_device_is_offered_the_next_tag_and_from_the_ip_table_the_next_free_address() {
    let mut app = app(Lang::En);
    screen(&mut app);
    press(&mut app, KeyCode::Char('a'));
    let s = screen(&mut app);
    let line = |s: &str, label: &str| {
        let label = format!(" {label} ");
        s.lines()
            .find(|l| l.starts_with(&label))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(line(&s, "Asset tag").contains("JF-PC-0004"), "{s}");
    // The tag stands untouched: another category offers its own next tag.
    // The cursor starts on the name (the tag is offered); the category is next.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Left);
    let s = screen(&mut app);
    let category = line(&s, "Category");
    assert!(!category.contains("PC"), "{s}");
    assert!(!line(&s, "Asset tag").contains("JF-PC-0004"), "{s}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    // The IP table: a on 10.10.0.0/24, whose .1 is the gateway's and taken.
    press(&mut app, KeyCode::Char('i'));
    press(&mut app, KeyCode::Char('a'));
    let s = screen(&mut app);
    assert!(line(&s, "IP address").contains("10.10.0.2"), "{s}");
}

/// A new sort keeps the cursor on the device it was on, wherever that device now stands.
#[test]
fn sorting_keeps_the_cursor_on_its_device() {
    let mut app = app(Lang::En);
    screen(&mut app);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    let tag = ["JF-PC-0003", "JF-SV-0002", "JF-SW-0001"]
        .into_iter()
        .find(|t| s.lines().nth(1).is_some_and(|l| l.contains(t)))
        .unwrap_or_else(|| panic!("{s}"));
    press(&mut app, KeyCode::Esc);
    for way in ["name, desc", "name, asc", "owner, desc"] {
        press(&mut app, KeyCode::Char('S'));
        typed(&mut app, way);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        let s = screen(&mut app);
        assert!(
            s.lines().nth(1).is_some_and(|l| l.contains(tag)),
            "{way}: {s}"
        );
        press(&mut app, KeyCode::Esc);
    }
}

#[test]
fn a_line_by_hand_is_added_to_the_history_book_from_the_detail_view() {
    let mut app = app(Lang::Zh);
    press(&mut app, KeyCode::Enter); // JF-PC-0003
    press(&mut app, KeyCode::Char('a'));
    let s = screen(&mut app);
    assert!(s.contains("JF-PC-0003 机历本新增记录"), "{s}");
    // Degradation: one step on from maintenance; today's date stays; then what happened.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 's');
    assert!(
        screen(&mut app).contains("请填写内容"),
        "nothing said: refused"
    );
    typed(&mut app, "风扇噪音大，开机变慢");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("已写入 JF-PC-0003 的机历本"), "{s}");
    assert!(
        s.contains("性能劣化") && s.contains("风扇噪音大，开机变慢"),
        "{s}"
    );
    let kinds: Vec<String> = crate::db::column(
        app.db().conn(),
        "SELECT kind FROM device_events WHERE reason = '风扇噪音大，开机变慢'",
    );
    assert_eq!(kinds, ["degradation"]);
    // The device's audit trail shows the line too, with who wrote it.
    press(&mut app, KeyCode::Char('L'));
    let s = screen(&mut app);
    assert!(s.contains("风扇噪音大，开机变慢"), "{s}");
}
