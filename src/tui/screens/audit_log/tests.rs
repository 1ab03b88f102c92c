//! The audit log over any tab, driven by keys through the application shell.

use std::time::Instant;

use chrono::NaiveDateTime;
use ratatui::crossterm::event::KeyCode;

use crate::db::device_log::EventKind;
use crate::db::{Db, Stamp, devices};
use crate::domain::record::{Field, Record};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::tabs::Tab;
use crate::tui::testing::keys::{press, screen, settle, typed};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn record(tag: &str, location: &str) -> Record {
    let mut values: [String; 17] = Default::default();
    values[Field::AssetTag.index()] = tag.into();
    values[Field::Name.index()] = "核心交换机".into();
    values[Field::Location.index()] = location.into();
    values[Field::Status.index()] = "in_use".into();
    Record::parse(&values).unwrap()
}

/// Two devices added by 赵平 on 11-20, one moved by 王磊 on 11-21; open on the Tools tab.
fn app_on(mut db: Db, lang: Lang) -> App {
    let stamp = |who: &str, when: &str| Stamp::new(who, at(when));
    let a = db
        .write(|tx| {
            devices::insert(
                tx,
                &record("JF-SW-0001", "机房A"),
                EventKind::Created,
                &stamp("赵平", "2026-11-20 09:00"),
            )
        })
        .unwrap();
    db.write(|tx| {
        devices::insert(
            tx,
            &record("JF-SW-0002", "机房A"),
            EventKind::Created,
            &stamp("赵平", "2026-11-20 09:05"),
        )
    })
    .unwrap();
    let version = devices::get(db.conn(), a).unwrap().unwrap().row_version;
    db.write(|tx| {
        devices::update(
            tx,
            a,
            version,
            &record("JF-SW-0001", "机房B"),
            EventKind::Edited,
            &stamp("王磊", "2026-11-21 10:00"),
        )
    })
    .unwrap();
    let mut app = App::new(db, lang, "王磊".into(), at("2026-11-21 11:00").date());
    app.tick(at("2026-11-21 11:00"), Instant::now());
    app.apply(crate::tui::action::Action::SwitchTab(Tab::Tools));
    app
}

#[test]
fn the_log_opens_over_any_tab_newest_first_and_shows_a_change_in_words() {
    let mut app = app_on(Db::open_in_memory().unwrap(), Lang::En);
    press(&mut app, KeyCode::Char('L'));
    let s = screen(&mut app);
    assert!(s.contains("Audit log"), "{s}");
    // Newest first: 王磊's move of JF-SW-0001 (its history entry, then the device) heads the
    // list, 赵平's first addition ends it.
    let rows: Vec<&str> = s.lines().filter(|l| l.starts_with("  2026-11-2")).collect();
    assert_eq!(rows.len(), 6, "{s}");
    assert!(
        rows[..2]
            .iter()
            .all(|l| l.contains("2026-11-21 10:00") && l.contains("王磊"))
    );
    let moved = rows[1];
    assert!(
        moved.contains("JF-SW-0001") && moved.contains("changed"),
        "{s}"
    );
    assert!(
        moved.contains("Location"),
        "the changed field in words: {s}"
    );
    assert!(
        rows[5].contains("2026-11-20 09:00") && rows[5].contains("created"),
        "{s}"
    );
    // Opened: before and after, with the field's name in the screen's language.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("机房A -> 机房B"), "{s}");
    assert!(s.contains("Location:"), "{s}");
    // Esc goes back to the list, Esc again (no filter) closes it: the tab is there again.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    let s = screen(&mut app);
    assert!(!s.contains("Audit log") && s.contains("tools"), "{s}");
}

#[test]
fn the_log_filters_by_operator_day_and_record() {
    let mut app = app_on(Db::open_in_memory().unwrap(), Lang::Zh);
    press(&mut app, KeyCode::Char('L'));
    // 赵平's changes only: the two additions.
    press(&mut app, KeyCode::Char('w'));
    typed(&mut app, "赵平");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("操作员:赵平"), "{s}");
    let rows: Vec<&str> = s.lines().filter(|l| l.starts_with("  2026-11-2")).collect();
    assert_eq!(rows.len(), 4, "{s}");
    assert!(rows.iter().all(|l| l.contains("赵平")), "{s}");
    // The day before today (11-20) is theirs; today (11-21) has none of theirs.
    press(&mut app, KeyCode::Char('['));
    let s = screen(&mut app);
    assert!(
        s.contains("2026-11-21") && s.contains("没有符合条件的审计记录"),
        "{s}"
    );
    press(&mut app, KeyCode::Char('['));
    let s = screen(&mut app);
    assert!(s.contains("2026-11-20") && s.contains("JF-SW-0002"), "{s}");
    // Esc clears every filter; one record by its asset tag.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "jf-sw-0002");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("记录:jf-sw-0002"), "{s}");
    assert!(s.contains("JF-SW-0002") && !s.contains("JF-SW-0001"), "{s}");
    // A name nothing has: said, and the filter stays as it was.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "X");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("没有名为“jf-sw-0002X”"), "{s}");
}

/// `E` in the log writes exactly the entries of its filter, newest first.
#[test]
fn the_log_exports_its_filtered_entries() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on(Db::open(&dir.path().join("j.db")).unwrap(), Lang::En);
    press(&mut app, KeyCode::Char('L'));
    settle(&mut app);
    press(&mut app, KeyCode::Char('w'));
    typed(&mut app, "赵平");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('E'));
    let s = settle(&mut app);
    assert!(s.contains("Exported"), "{s}");
    let text =
        std::fs::read_to_string(dir.path().join("reports/audit-2026-11-21-110000.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("\u{feff}id,at,operator,"), "{text}");
    assert!(lines[1..].iter().all(|l| l.contains(",赵平,")), "{text}");
    assert!(
        text.contains("JF-SW-0002") && text.contains("JF-SW-0001"),
        "{text}"
    );
    let ids: Vec<i64> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
}

/// Help over the log lists the log's own keys, and closes back to the log.
#[test]
fn help_over_the_log_shows_the_logs_keys() {
    let mut app = app_on(Db::open_in_memory().unwrap(), Lang::En);
    press(&mut app, KeyCode::Char('L'));
    press(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app);
    assert!(
        s.contains("filter by kind of record") && s.contains("filter by operator"),
        "{s}"
    );
    assert!(
        !s.contains("check out"),
        "the Tools tab's keys are not the log's: {s}"
    );
    press(&mut app, KeyCode::Esc);
    let s = screen(&mut app);
    assert!(s.contains("Audit log"), "{s}");
}
