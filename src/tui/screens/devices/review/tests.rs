//! The import review driven by keys on a database file, as an operator has it: checked and
//! written off the key path, stopped before it wrote anything, and drawn a screenful at a time.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;

use super::plan_lines;
use crate::db::device_log::EventKind;
use crate::db::worker::held;
use crate::db::{Db, Stamp, devices};
use crate::domain::record::Record;
use crate::exchange::devices as device_csv;
use crate::i18n::Lang;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::tabs::Tab;
use crate::tui::testing::keys::{ctrl, press, screen, settle, typed};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn switch(tag: &str) -> Record {
    let mut values: [String; 17] = Default::default();
    values[0] = tag.to_owned();
    values[1] = "核心交换机".to_owned();
    values[2] = "switch".to_owned();
    Record::parse(&values).unwrap()
}

/// A register of one switch in a file, the Devices tab open on it.
fn app_on_file(dir: &Path) -> (App, PathBuf) {
    let path = dir.join("j.db");
    let db = Db::open(&path).unwrap();
    let stamp = Stamp::new("王磊", today().and_hms_opt(8, 0, 0).unwrap());
    devices::insert(db.conn(), &switch("JF-SW-0001"), EventKind::Created, &stamp).unwrap();
    let mut app = App::new(db, Lang::En, "王磊".into(), today());
    app.apply(Action::SwitchTab(Tab::Devices));
    (app, path)
}

/// A CSV of `rows` PCs, tagged JF-PC-00001 onwards.
fn pcs(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("asset_tag,name,category,status\n");
    for n in 1..=rows {
        text.push_str(&format!("JF-PC-{n:05},办公电脑,pc,in_use\n"));
    }
    let file = dir.join("pcs.csv");
    std::fs::write(&file, text).unwrap();
    file
}

fn open_review(app: &mut App, file: &Path) {
    press(app, KeyCode::Char('I'));
    typed(app, &file.display().to_string());
    ctrl(app, 's');
}

fn device_count(app: &App) -> i64 {
    let sql = "SELECT count(*) FROM devices";
    app.db().conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_big_file_is_checked_and_written_off_the_key_path_showing_how_far_it_got() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, db_path) = app_on_file(dir.path());
    let file = pcs(dir.path(), 3_000);

    let hold = held::hold(&db_path);
    open_review(&mut app, &file);
    let s = screen(&mut app);
    assert!(s.contains("Checking the file against the register…"), "{s}");
    assert!(
        app.busy(),
        "the check is on its way, so the screen draws again soon"
    );
    drop(hold);
    let s = settle(&mut app);
    assert!(s.contains("Ready: 3000 to add, 0 to change"), "{s}");
    assert!(s.contains("+ JF-PC-00001 办公电脑"), "{s}");
    press(&mut app, KeyCode::Char('G'));
    let s = screen(&mut app);
    assert!(
        s.contains("+ JF-PC-03000") && !s.contains("JF-PC-00001"),
        "{s}"
    );

    let hold = held::hold(&db_path);
    press(&mut app, KeyCode::Char('y'));
    let s = screen(&mut app);
    assert!(s.contains("Importing: 0 of 3000 devices (0%)"), "{s}");
    assert!(
        s.contains("Esc stops it; the devices written so far stay."),
        "{s}"
    );
    assert!(s.contains("stop the import"), "the footer says how: {s}");
    assert_eq!(device_count(&app), 1, "held before its first step");
    drop(hold);
    let s = settle(&mut app);
    assert!(s.contains("3000 added, 0 changed, 0 unchanged"), "{s}");
    assert!(s.contains("Esc: back to the list."), "{s}");
    assert_eq!(device_count(&app), 3_001);

    press(&mut app, KeyCode::Esc);
    let s = settle(&mut app);
    assert!(
        s.contains("3001 devices") && s.contains("JF-PC-00001"),
        "{s}"
    );
    assert!(
        s.contains("3000 added"),
        "the outcome stays in the status bar: {s}"
    );
    let history = crate::db::device_log::history(app.db().conn(), 2).unwrap();
    assert_eq!(
        history.len(),
        1,
        "each device's history book opens with its import"
    );
}

#[test]
fn an_import_stopped_before_its_first_step_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, db_path) = app_on_file(dir.path());
    let audit_rows = |app: &App| -> i64 {
        let sql = "SELECT count(*) FROM audit_log";
        app.db().conn().query_row(sql, [], |r| r.get(0)).unwrap()
    };
    let before = audit_rows(&app);
    open_review(&mut app, &pcs(dir.path(), 500));
    settle(&mut app);

    let hold = held::hold(&db_path);
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Esc);
    let s = screen(&mut app);
    assert!(
        s.contains("Stopping after the devices being written now…"),
        "{s}"
    );
    drop(hold);
    let s = settle(&mut app);
    assert!(
        s.contains("The import was stopped: nothing was written."),
        "{s}"
    );
    assert_eq!(device_count(&app), 1);
    assert_eq!(audit_rows(&app), before, "not one row of it was kept");

    press(&mut app, KeyCode::Esc);
    let s = settle(&mut app);
    assert!(s.contains("1 devices") || s.contains("JF-SW-0001"), "{s}");
    assert!(s.contains("The import was stopped"), "{s}");
    // To try again, the prompt offers the same file: Ctrl-S checks it at once.
    press(&mut app, KeyCode::Char('I'));
    ctrl(&mut app, 's');
    let s = settle(&mut app);
    assert!(s.contains("Ready: 500 to add, 0 to change"), "{s}");
}

#[test]
fn a_refused_file_lists_every_problem_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = app_on_file(dir.path());
    let mut text = String::from("asset_tag,name,category\n");
    for n in 1..=300 {
        text.push_str(&format!("JF-PC-{n:05},办公电脑,kettle\n"));
    }
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, text).unwrap();
    open_review(&mut app, &file);
    let s = settle(&mut app);
    assert!(s.contains("300 problems; nothing was imported"), "{s}");
    // The message names the whole path of the file: it is wrapped, not cut at the edge.
    assert!(s.contains("the import again:"), "{s}");
    assert!(s.contains("line 2, category \"kettle\""), "{s}");
    press(&mut app, KeyCode::End);
    let s = screen(&mut app);
    assert!(
        s.contains("line 301, category") && !s.contains("line 2,"),
        "{s}"
    );
    press(&mut app, KeyCode::Char('y'));
    let s = screen(&mut app);
    assert!(s.contains("The file has problems; fix them"), "{s}");
    assert_eq!(device_count(&app), 1);
}

#[test]
fn every_window_of_a_plan_is_the_same_lines_as_the_whole_list() {
    let db = Db::open_in_memory().unwrap();
    let stamp = Stamp::new("王磊", today().and_hms_opt(8, 0, 0).unwrap());
    for tag in ["JF-SW-0001", "JF-SW-0002"] {
        devices::insert(db.conn(), &switch(tag), EventKind::Created, &stamp).unwrap();
    }
    let csv = "asset_tag,name,location,owner\n\
               JF-SW-0001,汇聚交换机,机房A,王磊\n\
               JF-PC-0001,办公电脑,行政楼301,张伟\n\
               JF-SW-0002,接入交换机,机房B,\n\
               JF-PC-0002,办公电脑,,\n";
    let plan = device_csv::plan(db.conn(), csv.as_bytes(), true).unwrap();
    assert_eq!((plan.adds.len(), plan.updates.len()), (2, 2));
    let text = |from, rows| -> Vec<String> {
        let (lines, _) = plan_lines(&plan, from, rows, Lang::Zh);
        lines.iter().map(ToString::to_string).collect()
    };
    let (_, total) = plan_lines(&plan, 0, 0, Lang::Zh);
    let whole = text(0, usize::MAX);
    assert_eq!(whole.len(), total);
    // Two adds, then each update's head line and its changed fields.
    assert_eq!(total, 2 + (1 + 3) + (1 + 2), "{whole:#?}");
    assert!(whole[2].contains("~ JF-SW-0001") && whole[3].contains("核心交换机 -> 汇聚交换机"));
    for from in 0..=total {
        for rows in 0..=total {
            let end = (from + rows).min(total);
            assert_eq!(
                text(from, rows),
                whole[from..end],
                "from {from}, {rows} rows"
            );
        }
    }
}

/// A pipe, a device and the database itself are refused on the prompt at once, which stays
/// open with the path to correct; a file that vanished after the prompt is named in the review.
#[test]
fn a_file_that_cannot_be_imported_is_refused_on_the_prompt_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, db_path) = app_on_file(dir.path());
    let fifo = dir.path().join("pipe.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (path, says) in [
        (fifo.as_path(), "is not a regular file"),
        (Path::new("/dev/zero"), "is not a regular file"),
        (db_path.as_path(), "is the jifang database itself"),
    ] {
        // The prompt offers the last file again: cleared first.
        press(&mut app, KeyCode::Char('I'));
        ctrl(&mut app, 'u');
        typed(&mut app, &path.display().to_string());
        ctrl(&mut app, 's');
        let s = screen(&mut app);
        assert!(s.contains(says), "{}: {s}", path.display());
        assert!(
            s.contains("Import devices from CSV"),
            "the prompt stays: {s}"
        );
        press(&mut app, KeyCode::Esc);
    }
    let file = pcs(dir.path(), 3);
    let hold = held::hold(&db_path);
    press(&mut app, KeyCode::Char('I'));
    ctrl(&mut app, 'u');
    typed(&mut app, &file.display().to_string());
    ctrl(&mut app, 's');
    std::fs::remove_file(&file).unwrap();
    drop(hold);
    settle(&mut app);
    let s = screen(&mut app);
    assert!(s.contains("cannot read"), "{s}");
    assert_eq!(device_count(&app), 1);
}
