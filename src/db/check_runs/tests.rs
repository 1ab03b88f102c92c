use chrono::NaiveDate;

use super::*;
use crate::db::Db;
use crate::db::checklists::{self, retire_item, save_item, set_active_from};
use crate::domain::checklist::{BiText, Item};
use crate::domain::period::Period;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn stamp() -> Stamp {
    Stamp::new("李四", day(2026, 11, 21).and_hms_opt(17, 40, 0).unwrap())
}

fn today() -> NaiveDate {
    day(2026, 11, 21)
}

/// The weekly template's id, counting missed weeks from `from`.
fn weekly(db: &mut Db, from: NaiveDate) -> i64 {
    let id = checklists::list(db.conn()).unwrap()[1].id;
    db.write(|tx| set_active_from(tx, id, from, &stamp()))
        .unwrap();
    id
}

fn open_run(db: &mut Db, checklist: i64, start: NaiveDate) -> Run {
    let id = db.write(|tx| open(tx, checklist, start, &stamp())).unwrap();
    load(db.conn(), id).unwrap().unwrap()
}

fn fail(note: &str) -> Answer {
    Answer {
        outcome: Outcome::Fail,
        value: String::new(),
        note: note.into(),
    }
}

fn sign_complete(db: &mut Db, checklist: i64, start: NaiveDate) -> Run {
    let run = open_run(db, checklist, start);
    db.write(|tx| pass_remaining(tx, run.id, &stamp())).unwrap();
    db.write(|tx| set_log(tx, run.id, "正常", &stamp()))
        .unwrap();
    db.write(|tx| sign(tx, run.id, &stamp())).unwrap();
    load(db.conn(), run.id).unwrap().unwrap()
}

#[test]
fn due_runs_show_progress_for_each_period() {
    let mut db = Db::open_in_memory().unwrap();
    // A Saturday: the working-day patrol is not due, the week's and the month's runs are.
    let due_now = due(db.conn(), today()).unwrap();
    let starts: Vec<NaiveDate> = due_now.iter().map(|d| d.period_start).collect();
    assert_eq!(
        starts,
        [
            day(2026, 11, 16),
            day(2026, 11, 16),
            day(2026, 11, 1),
            day(2026, 10, 1),
            day(2026, 9, 1),
            day(2026, 1, 1)
        ]
    );
    // The 5S was due on Friday afternoon: still open on the Saturday after, and, before its
    // Friday, shown but not yet counted as open.
    let five_s = &due_now[1];
    assert_eq!(five_s.checklist.code, "5s");
    let due_at = five_s.due.unwrap();
    assert_eq!(
        due_at.from,
        day(2026, 11, 20).and_hms_opt(13, 0, 0).unwrap()
    );
    assert!(five_s.is_open(today()));
    let wednesday = due(db.conn(), day(2026, 11, 18)).unwrap();
    let five_s = wednesday.iter().find(|d| d.checklist.code == "5s").unwrap();
    assert!(!five_s.is_open(day(2026, 11, 18)));
    let friday = due(db.conn(), day(2026, 11, 20)).unwrap();
    let starts: Vec<NaiveDate> = friday.iter().map(|d| d.period_start).collect();
    assert_eq!(
        starts[..4],
        [
            day(2026, 11, 20),
            day(2026, 11, 16),
            day(2026, 11, 16),
            day(2026, 11, 1)
        ]
    );
    let due_now = friday;
    assert_eq!((due_now[1].answered(), due_now[1].total()), (0, 11));
    let weekly = due_now[1].checklist.id;
    let run = open_run(&mut db, weekly, day(2026, 11, 16));
    assert_eq!(run.first_open(), Some(0));
    for line in &run.lines[..7] {
        db.write(|tx| answer(tx, line.result_id, &Answer::pass(), &stamp()))
            .unwrap();
    }
    let due_now = due(db.conn(), today()).unwrap();
    let week = due_now.iter().find(|d| d.checklist.id == weekly).unwrap();
    assert_eq!((week.answered(), week.total()), (7, 11));
    let run = load(db.conn(), run.id).unwrap().unwrap();
    assert_eq!(run.first_open(), Some(7));
}

#[test]
fn missed_periods_are_listed_until_signed() {
    let mut db = Db::open_in_memory().unwrap();
    let weekly = weekly(&mut db, day(2026, 10, 26));
    for list in checklists::list(db.conn()).unwrap() {
        if list.id != weekly {
            db.write(|tx| checklists::retire(tx, list.id, "test", &stamp()))
                .unwrap();
        }
    }
    let labels = |db: &Db| -> Vec<String> {
        missed(db.conn(), today())
            .unwrap()
            .iter()
            .map(|m| Period::Week.label(m.period_start))
            .collect()
    };
    assert_eq!(labels(&db), ["2026-W46", "2026-W45", "2026-W44"]);
    // Started but unsigned is still missed, with its progress kept.
    let run = open_run(&mut db, weekly, day(2026, 11, 2));
    db.write(|tx| answer(tx, run.lines[0].result_id, &Answer::pass(), &stamp()))
        .unwrap();
    let m = missed(db.conn(), today()).unwrap();
    assert_eq!(m[1].run.as_ref().map(|r| r.answered), Some(1));
    // Signing late clears it.
    sign_complete(&mut db, weekly, day(2026, 11, 2));
    assert_eq!(labels(&db), ["2026-W46", "2026-W44"]);
    assert_eq!(open_counts(db.conn(), today()).unwrap(), (1, 2));
}

#[test]
fn sign_off_needs_every_answer_and_the_log_then_locks_the_run() {
    let mut db = Db::open_in_memory().unwrap();
    let weekly = weekly(&mut db, today());
    let run = open_run(&mut db, weekly, day(2026, 11, 16));
    assert_eq!(
        db.write(|tx| sign(tx, run.id, &stamp())),
        Err(RunError::Unanswered(11))
    );
    assert_eq!(
        db.write(|tx| answer(tx, run.lines[3].result_id, &fail("  "), &stamp())),
        Err(RunError::NoteRequired)
    );
    db.write(|tx| {
        answer(
            tx,
            run.lines[3].result_id,
            &fail("防火墙日志有异常登录"),
            &stamp(),
        )
    })
    .unwrap();
    assert_eq!(db.write(|tx| pass_remaining(tx, run.id, &stamp())), Ok(10));
    assert_eq!(
        db.write(|tx| sign(tx, run.id, &stamp())),
        Err(RunError::LogMissing)
    );
    db.write(|tx| set_log(tx, run.id, "W47 网络运行正常，出口带宽峰值 62%", &stamp()))
        .unwrap();
    db.write(|tx| sign(tx, run.id, &stamp())).unwrap();
    let signed = load(db.conn(), run.id).unwrap().unwrap();
    assert_eq!(signed.signed_by.as_deref(), Some("李四"));
    assert_eq!(signed.lines[3].outcome, Some(Outcome::Fail));
    // Locked: answers, the log and a second sign-off are refused...
    let id = signed.lines[0].result_id;
    assert_eq!(
        db.write(|tx| answer(tx, id, &fail("x"), &stamp())),
        Err(RunError::Signed)
    );
    assert_eq!(
        db.write(|tx| set_log(tx, run.id, "x", &stamp())),
        Err(RunError::Signed)
    );
    assert_eq!(
        db.write(|tx| sign(tx, run.id, &stamp())),
        Err(RunError::Signed)
    );
    // ...and so is any direct write to the file.
    assert!(
        db.conn()
            .execute(
                "UPDATE check_results SET outcome = 'fail' WHERE id = ?1",
                [id]
            )
            .is_err()
    );
    assert!(
        db.conn()
            .execute("DELETE FROM check_runs WHERE id = ?1", [run.id])
            .is_err()
    );
}

#[test]
fn amendments_are_appended_and_stand_over_the_answer() {
    let mut db = Db::open_in_memory().unwrap();
    let weekly = weekly(&mut db, today());
    let run = sign_complete(&mut db, weekly, day(2026, 11, 16));
    let line = &run.lines[6];
    assert_eq!(
        db.write(|tx| amend(
            tx,
            run.id,
            Some(line.result_id),
            &fail("UPS 告警"),
            " ",
            &stamp()
        )),
        Err(RunError::ReasonRequired)
    );
    db.write(|tx| {
        amend(
            tx,
            run.id,
            Some(line.result_id),
            &fail("UPS 旁路告警"),
            "补录：当时漏看告警灯",
            &stamp(),
        )
    })
    .unwrap();
    let log_note = Answer {
        note: "补充：周四 14:00 出口链路抖动 3 分钟".into(),
        ..Answer::pass()
    };
    db.write(|tx| amend(tx, run.id, None, &log_note, "补记", &stamp()))
        .unwrap();
    let run = load(db.conn(), run.id).unwrap().unwrap();
    let line = &run.lines[6];
    assert_eq!(
        line.outcome,
        Some(Outcome::Pass),
        "the answer itself is kept"
    );
    assert_eq!(line.effective(), (Some(Outcome::Fail), "", "UPS 旁路告警"));
    assert_eq!(run.log_amendments.len(), 1);
    assert!(
        db.conn()
            .execute("UPDATE check_amendments SET reason = 'x'", [])
            .is_err()
    );
    assert!(
        db.conn()
            .execute("DELETE FROM check_amendments", [])
            .is_err()
    );
    // Amending is for signed runs; an open run is simply answered again.
    let open_id = open_run(&mut db, weekly, day(2026, 11, 23)).id;
    assert_eq!(
        db.write(|tx| amend(tx, open_id, None, &log_note, "x", &stamp())),
        Err(RunError::NotFound)
    );
}

#[test]
fn each_item_shows_the_previous_periods_result() {
    let mut db = Db::open_in_memory().unwrap();
    let weekly = weekly(&mut db, today());
    let last = open_run(&mut db, weekly, day(2026, 11, 9));
    db.write(|tx| {
        answer(
            tx,
            last.lines[1].result_id,
            &fail("上联口 CRC 错误"),
            &stamp(),
        )
    })
    .unwrap();
    let this = open_run(&mut db, weekly, day(2026, 11, 16));
    assert_eq!(this.lines[1].previous, Some((Outcome::Fail, String::new())));
    assert_eq!(this.lines[0].previous, None, "not answered last week");
}

#[test]
fn retiring_or_rewording_an_item_never_changes_past_runs() {
    let mut db = Db::open_in_memory().unwrap();
    let weekly = weekly(&mut db, today());
    let past = sign_complete(&mut db, weekly, day(2026, 11, 9));
    let items = checklists::items(db.conn(), weekly).unwrap();
    db.write(|tx| retire_item(tx, items[10].id, "moved to its own list", &stamp()))
        .unwrap();
    let reworded = Item::pass_fail(
        "W01",
        BiText::new(
            "网络运行检查并填写运行日志",
            "Network check, run log written",
        ),
    );
    db.write(|tx| save_item(tx, weekly, Some(items[0].id), None, &reworded, &stamp()))
        .unwrap();
    let again = load(db.conn(), past.id).unwrap().unwrap();
    assert_eq!(again, past);
    let now = open_run(&mut db, weekly, day(2026, 11, 16));
    assert_eq!(now.lines.len(), 10);
    assert_eq!(now.lines[0].item.text.en, "Network check, run log written");
    // An open run follows the template: the reworded item replaces its unanswered old row.
    let reworded = Item::pass_fail("W01", BiText::new("网络检查", "Network check"));
    let current = checklists::items(db.conn(), weekly).unwrap()[0].id;
    db.write(|tx| save_item(tx, weekly, Some(current), None, &reworded, &stamp()))
        .unwrap();
    let now = open_run(&mut db, weekly, day(2026, 11, 16));
    assert_eq!(now.lines.len(), 10);
    assert_eq!(now.lines[0].item.text.en, "Network check");
}

#[test]
fn a_failure_on_an_item_naming_a_device_goes_into_its_history_book() {
    use crate::db::device_log::history;
    use crate::db::devices;
    use crate::domain::record::{Field, Record};
    let mut db = Db::open_in_memory().unwrap();
    let mut values: [String; 17] = Default::default();
    values[Field::AssetTag.index()] = "UPS-01".into();
    values[Field::Name.index()] = "机房 UPS".into();
    values[Field::Status.index()] = "in_use".into();
    let record = Record::parse(&values).unwrap();
    let device = db
        .write(|tx| devices::insert(tx, &record, EventKind::Created, &stamp()))
        .unwrap();
    let weekly = weekly(&mut db, today());
    let ups = Item {
        device_tag: "ups-01".into(),
        ..Item::pass_fail("W13", BiText::new("UPS-01 自检", "UPS-01 self-test"))
    };
    db.write(|tx| save_item(tx, weekly, None, None, &ups, &stamp()))
        .unwrap();
    let run = open_run(&mut db, weekly, day(2026, 11, 16));
    let line = run.lines.last().unwrap();
    db.write(|tx| answer(tx, line.result_id, &fail("电池自检不通过"), &stamp()))
        .unwrap();
    db.write(|tx| want_repair(tx, line.result_id, &stamp()))
        .unwrap();
    let book = history(db.conn(), device).unwrap();
    assert_eq!(book[0].kind, EventKind::Inspection);
    assert_eq!(book[0].reason, "W13: 电池自检不通过");
    assert!(
        load(db.conn(), run.id)
            .unwrap()
            .unwrap()
            .lines
            .last()
            .unwrap()
            .repair_wanted
    );
}

/// A device of the register in `room` of `category`, in use.
fn add_device(db: &mut Db, tag: &str, category: &str, location: &str) -> i64 {
    let name = format!("{tag} 设备");
    crate::db::devices::add_in_use(db, tag, &name, category, location, &stamp())
}

#[test]
fn a_per_device_item_opens_a_line_per_device_and_each_result_goes_into_its_book() {
    use crate::db::device_log::history;
    use crate::domain::checklist::DeviceSet;
    use crate::domain::device::Category;
    let mut db = Db::open_in_memory().unwrap();
    let a1 = add_device(&mut db, "UPS-A1", "ups", "机房A-机柜01");
    let a2 = add_device(&mut db, "UPS-A2", "ups", "机房A-机柜02");
    let b1 = add_device(&mut db, "UPS-B1", "ups", "机房B");
    add_device(&mut db, "SW-A1", "switch", "机房A-机柜01");
    let weekly = weekly(&mut db, today());
    let per_ups = Item {
        devices: Some(DeviceSet {
            category: Some(Category::Ups),
            room: Some("机房A".into()),
        }),
        ..Item::pass_fail(
            "W13",
            BiText::new("UPS 外观、告警灯正常", "UPS looks fine, no alarm"),
        )
    };
    db.write(|tx| save_item(tx, weekly, None, None, &per_ups, &stamp()))
        .unwrap();
    // Room A's two UPS, not room B's, not the switch: one line each, in tag order.
    let run = open_run(&mut db, weekly, day(2026, 11, 16));
    let lines: Vec<_> = run.lines.iter().filter(|l| l.item.code == "W13").collect();
    let tags: Vec<&str> = lines
        .iter()
        .map(|l| l.device.as_ref().unwrap().tag.as_str())
        .collect();
    assert_eq!(tags, ["UPS-A1", "UPS-A2"]);
    let due_now = due(db.conn(), today()).unwrap();
    let week = due_now.iter().find(|d| d.checklist.id == weekly).unwrap();
    assert_eq!(week.total(), 13, "eleven items and two UPS");
    // A second UPS fails; the rest pass; sign-off writes every device line's result.
    db.write(|tx| answer(tx, lines[1].result_id, &fail("告警灯亮"), &stamp()))
        .unwrap();
    db.write(|tx| pass_remaining(tx, run.id, &stamp())).unwrap();
    db.write(|tx| set_log(tx, run.id, "正常", &stamp()))
        .unwrap();
    db.write(|tx| sign(tx, run.id, &stamp())).unwrap();
    let book = history(db.conn(), a1).unwrap();
    assert_eq!(book[0].kind, EventKind::Inspection);
    assert_eq!(book[0].reason, "weekly 2026-W47 W13: pass");
    let book = history(db.conn(), a2).unwrap();
    assert_eq!(book.len(), 2, "added, then the failure: {book:?}");
    assert_eq!(book[0].reason, "W13: 告警灯亮");
    assert!(
        history(db.conn(), b1).unwrap()[0].kind == EventKind::Created,
        "room B's UPS is not in this list"
    );
    // Last week's answer is matched per device.
    let next = open_run(&mut db, weekly, day(2026, 11, 23));
    let a2_line = next
        .lines
        .iter()
        .find(|l| l.device.as_ref().is_some_and(|d| d.id == a2))
        .unwrap();
    assert_eq!(a2_line.previous, Some((Outcome::Fail, String::new())));
}

#[test]
fn a_run_signed_after_its_window_is_late() {
    let mut db = Db::open_in_memory().unwrap();
    let five_s = checklists::list(db.conn())
        .unwrap()
        .into_iter()
        .find(|c| c.code == "5s")
        .unwrap()
        .id;
    // Opened on Wednesday and signed on the Monday after: held to Friday 13:00-18:00.
    let monday = Stamp::new("李四", day(2026, 11, 23).and_hms_opt(9, 10, 0).unwrap());
    let run = open_run(&mut db, five_s, day(2026, 11, 16));
    assert_eq!(
        run.due.map(|d| d.day()),
        Some(day(2026, 11, 20)),
        "the Friday"
    );
    db.write(|tx| pass_remaining(tx, run.id, &monday)).unwrap();
    db.write(|tx| sign(tx, run.id, &monday)).unwrap();
    let run = load(db.conn(), run.id).unwrap().unwrap();
    assert_eq!(run.timing(), Some(Timing::Late));
    let past = past_page(db.conn(), five_s, 0, 10).unwrap();
    assert_eq!(past[0].timing, Some(Timing::Late));
    assert_eq!(past[0].period_end, day(2026, 11, 22));
}

#[test]
fn a_semester_start_entered_in_the_calendar_moves_the_stock_take_period() {
    use crate::db::calendar::{MarkedDay, mark};
    use crate::domain::calendar::DayKind;
    let mut db = Db::open_in_memory().unwrap();
    let semester = |db: &Db| {
        due(db.conn(), today())
            .unwrap()
            .into_iter()
            .find(|d| d.checklist.code == "semester")
            .map(|d| (d.period_start, d.period_end))
            .unwrap()
    };
    // None entered: the autumn semester from 1 September to the spring one on 1 March.
    assert_eq!(semester(&db), (day(2026, 9, 1), day(2027, 2, 28)));
    for (d, kind) in [
        (day(2026, 8, 31), DayKind::SemesterStart),
        (day(2027, 2, 22), DayKind::SemesterStart),
    ] {
        let marked = MarkedDay {
            day: d,
            kind,
            name: "开学".into(),
        };
        db.write(|tx| mark(tx, &marked, &stamp())).unwrap();
    }
    assert_eq!(semester(&db), (day(2026, 8, 31), day(2027, 2, 21)));
}
