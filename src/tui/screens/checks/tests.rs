//! The Checks tab driven by keys through the application shell, as an operator uses it.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;

use crate::db::check_runs;
use crate::db::checklists;
use crate::db::{Db, Stamp};
use crate::domain::checklist::{Answer, Outcome};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::tabs::Tab;
use crate::tui::testing::keys::{ctrl, draw, press, screen, settle, typed};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn stamp() -> Stamp {
    Stamp::new(
        "赵敏",
        NaiveDate::from_ymd_opt(2026, 11, 13)
            .unwrap()
            .and_hms_opt(17, 30, 0)
            .unwrap(),
    )
}

/// The built-in templates counted from 2026-11-02: last week's run signed with one failure,
/// the week before missed, the monthly run signed.
fn app(lang: Lang) -> App {
    app_on(Db::open_in_memory().unwrap(), lang)
}

/// The machine room's one UPS, which the monthly UPS test opens a line for.
fn add_ups(db: &mut Db) {
    crate::db::devices::add_in_use(db, "UPS-01", "机房 UPS", "ups", "", &stamp());
}

fn app_on(mut db: Db, lang: Lang) -> App {
    let from = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    add_ups(&mut db);
    let lists = checklists::list(db.conn()).unwrap();
    let id = |code: &str| lists.iter().find(|l| l.code == code).unwrap().id;
    let (weekly, monthly) = (id("weekly"), id("monthly"));
    db.write(|tx| {
        for id in [weekly, monthly] {
            checklists::set_active_from(tx, id, from, &stamp())?;
        }
        // The daily patrol, the 5S and the semester's stock-take are tested on their own.
        for code in ["daily", "5s", "semester"] {
            checklists::retire(tx, id(code), "tested on its own", &stamp())?;
        }
        for (id, start) in [
            (weekly, NaiveDate::from_ymd_opt(2026, 11, 9).unwrap()),
            (monthly, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
        ] {
            let run = check_runs::open(tx, id, start, &stamp())?;
            let lines = check_runs::load(tx, run)?.unwrap().lines;
            for line in &lines {
                let answer = match line.item.code.as_str() {
                    "W02" => Answer {
                        outcome: Outcome::Fail,
                        value: String::new(),
                        note: "上联口 CRC 错误".into(),
                    },
                    "M02" => Answer {
                        value: "40".into(),
                        ..Answer::pass()
                    },
                    "M05" => Answer {
                        value: "已校验，已异地存放".into(),
                        ..Answer::pass()
                    },
                    _ => Answer::pass(),
                };
                check_runs::answer(tx, line.result_id, &answer, &stamp()).unwrap();
            }
            check_runs::set_log(tx, run, "正常", &stamp()).unwrap();
            check_runs::sign(tx, run, &stamp()).unwrap();
        }
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    App::new(db, lang, "王磊".into(), today())
}

fn ctrl_s(app: &mut App) {
    ctrl(app, 's');
}

fn weekly_run(app: &App) -> check_runs::Run {
    let weekly = checklists::list(app.db().conn()).unwrap()[0].id;
    let id = check_runs::find(
        app.db().conn(),
        weekly,
        NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
    )
    .unwrap()
    .unwrap();
    check_runs::load(app.db().conn(), id).unwrap().unwrap()
}

#[test]
fn overview_and_run_snapshots() {
    for lang in Lang::ALL {
        let mut app = app(lang);
        insta::assert_snapshot!(format!("overview_{lang:?}"), draw(&mut app));
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char(' '));
        press(&mut app, KeyCode::Char('f'));
        typed(&mut app, "BGP 邻居抖动");
        press(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("run_{lang:?}"), draw(&mut app));
    }
}

#[test]
fn the_overview_is_read_once_and_again_when_another_program_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut app = app_on(Db::open(&path).unwrap(), Lang::En);
    let s = screen(&mut app);
    assert!(s.contains("2026-W47 (11-16..11-22)"), "{s}");
    let elsewhere = Db::open(&path).unwrap();
    let weekly = checklists::list(elsewhere.conn()).unwrap()[0].id;
    checklists::retire(elsewhere.conn(), weekly, "moved to the new room", &stamp()).unwrap();
    // The shell notices the other program's commit at its next tick.
    let now = today().and_hms_opt(9, 0, 0).unwrap();
    let noticed = std::time::Instant::now();
    app.tick(now, noticed);
    let s = settle(&mut app);
    assert!(!s.contains("2026-W47 (11-16..11-22)"), "{s}");
    // A long import commits every few dozen milliseconds: its steps are taken in twice a
    // second, not after each one.
    let next = checklists::list(elsewhere.conn()).unwrap()[0].id;
    checklists::retire(elsewhere.conn(), next, "moved too", &stamp()).unwrap();
    app.tick(now, noticed + std::time::Duration::from_millis(100));
    assert_eq!(settle(&mut app), s, "not yet");
    app.tick(now, noticed + std::time::Duration::from_millis(600));
    assert_ne!(settle(&mut app), s, "half a second later");
}

#[test]
fn the_overview_lists_due_and_missed_and_starts_on_the_open_run() {
    let mut app = app(Lang::En);
    let s = screen(&mut app);
    assert!(s.contains("2026-W47 (11-16..11-22)"), "{s}");
    assert!(s.contains("Missed (1)"), "{s}");
    assert!(
        !s.contains("2026-W46 (11-09..11-15)"),
        "last week was signed: {s}"
    );
    assert!(s.contains("2026-W45 (11-02..11-08)"), "{s}");
    // This week's run, and the quarter's and the year's, are due (the daily patrol is retired
    // here: no rest day is said for it).
    assert!(s.contains("checks due 3, MISSED 1"), "{s}");
    assert!(!s.contains("Rest day"), "{s}");
    // The cursor is on this week's run: Enter opens it, on its first item.
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("0/11"), "{s}");
    assert!(s.contains("Last week"), "{s}");
}

#[test]
fn space_passes_and_moves_on_and_a_failure_needs_its_finding() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("needs a note"), "{s}");
    typed(&mut app, "uplink CRC errors again");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("W02 failed. r = report a repair"));
    press(&mut app, KeyCode::Char('r'));
    // The report form opens in the Repairs tab, filled in; Esc on it comes back to the run.
    assert_eq!(app.tab(), Tab::Repairs);
    let s = screen(&mut app);
    assert!(s.contains("Report a fault"), "{s}");
    // The symptoms are the finding, in the words written, never the item's wording in the
    // screen's language; the reporter is the operator.
    let symptoms = s
        .lines()
        .find(|l| l.contains("Symptoms"))
        .unwrap_or_default();
    assert!(symptoms.contains("uplink CRC errors again"), "{s}");
    assert!(!symptoms.contains("W02"), "{s}");
    assert!(s.contains("王磊"), "{s}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.tab(), Tab::Checks);
    let run = weekly_run(&app);
    assert_eq!(run.lines[0].outcome, Some(Outcome::Pass));
    assert_eq!(run.lines[1].outcome, Some(Outcome::Fail));
    assert_eq!(run.lines[1].note, "uplink CRC errors again");
    assert!(run.lines[1].repair_wanted);
    // A digit on a pass/fail item is a mistyped reading: it says so and stays in the run.
    press(&mut app, KeyCode::Char('2'));
    assert!(screen(&mut app).contains("W03 takes no reading"));
    // The cursor went on to W03: n asks why, then records it.
    press(&mut app, KeyCode::Char('n'));
    typed(&mut app, "router replaced");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        weekly_run(&app).lines[2].outcome,
        Some(Outcome::NotApplicable)
    );
    // Signing with items open says how many at once, without asking, and moves to the first.
    press(&mut app, KeyCode::Char('s'));
    assert!(screen(&mut app).contains("8 items are not answered yet"));
    assert!(!weekly_run(&app).is_signed());
}

#[test]
fn signing_checks_first_asks_second_and_opening_a_run_does_not_start_it() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    let s = screen(&mut app);
    let week = s.lines().find(|l| l.contains("2026-W47")).unwrap();
    assert!(week.contains("not started"), "opened and left: {s}");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('A'));
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Char('s'));
    let s = screen(&mut app);
    assert!(s.contains("write the network run log first (w)"), "{s}");
    // The cursor is on the log: Enter opens it, and Enter on nothing says why nothing happened.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("The run log is empty"));
    typed(&mut app, "all normal");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('s'));
    assert!(!weekly_run(&app).is_signed(), "asked first");
    press(&mut app, KeyCode::Char('y'));
    assert!(weekly_run(&app).is_signed());
}

#[test]
fn a_reading_out_of_range_fails_and_asks_for_the_finding() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter); // the monthly run, signed: [ and ] move between periods
    assert!(screen(&mut app).contains("signed 赵敏"));
    press(&mut app, KeyCode::Char('s'));
    let s = screen(&mut app);
    assert!(s.contains("signed and locked; press e"), "{s}");
    // Amend M02: a reading of 12 minutes is below 15, so it fails and needs the finding.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Char('p'));
    typed(&mut app, "12");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("12 is outside >= 15 min"));
    typed(&mut app, "battery worn");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "misread the meter");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("12 min FAIL*"), "{s}");
    assert!(s.contains("Amendment appended"), "{s}");
}

#[test]
fn the_template_editor_adds_an_item_that_the_open_run_then_asks() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('t'));
    assert!(screen(&mut app).contains("code weekly, weekly, 11 items"));
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "W13");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // number
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "Core room humidity");
    ctrl_s(&mut app);
    // The form says what is missing and puts the cursor there.
    assert!(screen(&mut app).contains("needs min, max or both"));
    typed(&mut app, "40");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "70");
    ctrl_s(&mut app);
    let s = screen(&mut app);
    assert!(s.contains("12 items"), "{s}");
    assert!(s.contains("Core room humidity [40-70]"), "{s}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('G'));
    let s = screen(&mut app);
    assert!(s.contains("0/12"), "{s}");
    assert!(s.contains("W13"), "{s}");
}

/// `h` lists a checklist's past runs newest first with who signed and the counts; one opened
/// is read only: its answers, findings and log show, and no key answers or amends.
#[test]
fn past_runs_list_every_run_and_open_one_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_on(Db::open(&dir.path().join("j.db")).unwrap(), Lang::En);
    settle(&mut app);
    // The cursor starts on this week's network inspection.
    press(&mut app, KeyCode::Char('h'));
    let s = settle(&mut app);
    assert!(s.contains("1 run"), "{s}");
    let row = s
        .lines()
        .find(|l| l.contains("2026-W46"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(row.contains("赵敏 2026-11-13 17:30"), "{s}");
    let numbers: Vec<&str> = row.split_whitespace().rev().take(4).collect();
    assert_eq!(
        numbers,
        vec!["0", "0", "1", "10"],
        "open, n/a, fail, pass: {s}"
    );
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("Network run log: 正常"), "{s}");
    press(&mut app, KeyCode::Char('j'));
    let s = screen(&mut app);
    assert!(s.contains("FAIL") && s.contains("上联口 CRC 错误"), "{s}");
    // Keys that would amend a signed run do nothing here.
    let before = check_runs::load(
        app.db().conn(),
        check_runs::past_page(app.db().conn(), 2, 0, 1).unwrap()[0].id,
    )
    .unwrap()
    .unwrap();
    for key in ['e', 'f', ' ', 'n'] {
        press(&mut app, KeyCode::Char(key));
    }
    press(&mut app, KeyCode::Enter);
    let after = check_runs::load(app.db().conn(), before.id)
        .unwrap()
        .unwrap();
    assert_eq!(before, after);
    assert!(
        !screen(&mut app).contains("Reason"),
        "no amendment was asked for"
    );
    // Back to the list, its export, and back to the overview.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('E'));
    let s = settle(&mut app);
    assert!(s.contains("Exported 1 row"), "{s}");
    let csv =
        std::fs::read_to_string(dir.path().join("reports/runs-2026-11-21-000000.csv")).unwrap();
    assert!(
        csv.contains("2026-W46,2026-11-09,赵敏,2026-11-13 17:30:00,,10,1,0,0,11"),
        "{csv}"
    );
    press(&mut app, KeyCode::Esc);
    assert!(screen(&mut app).contains("Due now"));
}

/// A read that fails is said in the status bar, with why, instead of the screen looking as if
/// there were nothing to do.
#[test]
fn a_read_that_fails_is_said_in_the_status_bar() {
    let mut app = app(Lang::En);
    app.db()
        .conn()
        .execute_batch("ALTER TABLE check_runs RENAME TO check_runs_away")
        .unwrap();
    let s = screen(&mut app);
    assert!(s.contains("Could not read from the database"), "{s}");
    app.db()
        .conn()
        .execute_batch("ALTER TABLE check_runs_away RENAME TO check_runs")
        .unwrap();
}

/// One key, one meaning: in a run `L` is the audit log as everywhere; the run log is `w`.
#[test]
fn in_a_run_l_is_the_audit_log_and_w_the_run_log() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('L'));
    let s = screen(&mut app);
    assert!(s.contains("Audit log"), "{s}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('w'));
    let s = screen(&mut app);
    assert!(!s.contains("Audit log") && s.contains(" Run log:"), "{s}");
    assert!(s.contains("Enter save"), "the log is being written: {s}");
}

/// `c` opens the work calendar: a day marked there decides at once what is due. Saturday
/// 2026-11-21 marked a make-up working day makes the daily patrol due that day; the mark
/// taken off, it rests again.
#[test]
fn the_work_calendar_view_marks_a_make_up_day_and_the_patrol_falls_due() {
    let mut app = App::new(
        Db::open_in_memory().unwrap(),
        Lang::En,
        "王磊".into(),
        today(),
    );
    let s = screen(&mut app);
    assert!(
        s.contains("Rest day today, not due: Daily end-of-day patrol"),
        "{s}"
    );
    press(&mut app, KeyCode::Char('c'));
    assert!(screen(&mut app).contains("No day marked"));
    // a, the date (today, as given), the kind: one step right of holiday, the name, Enter.
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "补班");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("2026-11-21 marked: make-up working day"), "{s}");
    let row = s
        .lines()
        .find(|l| l.contains("补班"))
        .unwrap_or_else(|| panic!("{s}"));
    assert!(row.contains("2026-11-21 Sat make-up working day"), "{s}");
    press(&mut app, KeyCode::Esc);
    let s = screen(&mut app);
    assert!(s.contains("Daily end-of-day patrol"), "{s}");
    assert!(!s.contains("Rest day today"), "a working day now: {s}");
    // A bad date is refused in the form, and nothing is marked.
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('x'));
    assert!(screen(&mut app).contains("no longer marked"));
    press(&mut app, KeyCode::Char('a'));
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2026-02-30");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("not a date"), "{s}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Esc);
    assert!(screen(&mut app).contains("Rest day today, not due: Daily end-of-day patrol"));
}

/// The monthly UPS test opens a line per UPS; a failed line's repair report names that UPS.
#[test]
fn a_failed_device_line_reports_the_repair_for_that_device() {
    let mut db = Db::open_in_memory().unwrap();
    add_ups(&mut db);
    let mut app = App::new(db, Lang::En, "王磊".into(), today());
    let s = screen(&mut app);
    let monthly = s
        .lines()
        .position(|l| l.contains("Monthly UPS test"))
        .unwrap_or_else(|| panic!("{s}"));
    let weekly = s
        .lines()
        .position(|l| l.contains("Weekly network"))
        .unwrap();
    for _ in weekly..monthly {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("M01  UPS-01 机房 UPS · UPS test"), "{s}");
    press(&mut app, KeyCode::Char('f'));
    typed(&mut app, "告警灯亮");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('r'));
    let s = screen(&mut app);
    assert!(s.contains("Report a fault"), "{s}");
    let device = s
        .lines()
        .find(|l| l.trim_start().starts_with("Device "))
        .unwrap();
    assert!(device.contains("UPS-01"), "the report names the UPS: {s}");
    assert!(s.contains("告警灯亮"), "{s}");
}
