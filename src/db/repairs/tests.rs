use crate::i18n::Lang;
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::db::device_log::{self, EventKind};
use crate::db::paging::Place;
use crate::db::sort::Sort;
use crate::db::{Db, check_runs, checklists};
use crate::domain::checklist::{Answer, Outcome as CheckOutcome};
use crate::domain::record::{Field, Record};
use crate::domain::repair::{StepKind, Timeliness};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn stamp_at(text: &str) -> Stamp {
    Stamp::new("王强", at(text))
}

fn add_device(db: &Db, tag: &str, status: &str, warranty_until: &str) -> i64 {
    let mut values: [String; 17] = Default::default();
    values[Field::AssetTag.index()] = tag.into();
    values[Field::Name.index()] = "服务器".into();
    values[Field::Status.index()] = status.into();
    values[Field::WarrantyUntil.index()] = warranty_until.into();
    let record = Record::parse(&values).unwrap();
    devices::insert(
        db.conn(),
        &record,
        EventKind::Created,
        &stamp_at("2026-01-01 08:00"),
    )
    .unwrap()
}

fn new_repair(device: DeviceRef, when: &str) -> NewRepair {
    NewRepair {
        device,
        reporter: "赵敏".into(),
        department: "教务处".into(),
        reported_at: at(when),
        kind: FaultKind::Hardware,
        description: "频繁死机".into(),
        priority: Priority::Normal,
        check_result_id: None,
    }
}

fn report_on(db: &mut Db, device: DeviceRef, when: &str) -> i64 {
    let new = new_repair(device, when);
    db.write(|tx| report(tx, &new, &stamp_at(when))).unwrap().0
}

fn take(db: &mut Db, id: i64, s: Step, when: &str) -> Result<State, RepairError> {
    let version = get(db.conn(), id).unwrap().unwrap().row_version;
    db.write(|tx| step(tx, id, version, &s, &stamp_at(when)))
}

fn assess(estimate: &str) -> Step {
    Step::Assess {
        maintainer: "王强".into(),
        estimate_at: at(estimate),
    }
}

fn finish() -> Step {
    Step::Finish {
        outcome: Outcome {
            result: "重装系统".into(),
            cost: 0,
            charged_department: "教务处".into(),
            ..Outcome::default()
        },
        damage: DamageConfirmation::default(),
        returned_on: None,
    }
}

/// Take a ticket reported that morning through assess, start, finish and confirm, on `day`
/// between 09:10 and 10:30 (estimate 17:00).
fn close(db: &mut Db, id: i64, day: &str) {
    take(
        db,
        id,
        assess(&format!("{day} 17:00")),
        &format!("{day} 09:10"),
    )
    .unwrap();
    take(db, id, Step::Start, &format!("{day} 09:20")).unwrap();
    take(db, id, finish(), &format!("{day} 10:00")).unwrap();
    let confirm = Step::Confirm {
        by: "赵敏".into()
    };
    take(db, id, confirm, &format!("{day} 10:30")).unwrap();
}

fn device_status_of(db: &Db, id: i64) -> Status {
    devices::get(db.conn(), id).unwrap().unwrap().record.status
}

#[test]
fn tickets_are_numbered_per_year() {
    let mut db = Db::open_in_memory().unwrap();
    let free = |t: &str| DeviceRef::Unregistered(t.into());
    let a = report_on(&mut db, free("打印机"), "2026-12-31 23:00");
    let b = report_on(&mut db, free("扫描仪"), "2026-12-31 23:30");
    let c = report_on(&mut db, free("投影仪"), "2027-01-01 08:00");
    let ticket = |id| get(db.conn(), id).unwrap().unwrap().ticket;
    assert_eq!(ticket(a), "WX-2026-0001");
    assert_eq!(ticket(b), "WX-2026-0002");
    assert_eq!(ticket(c), "WX-2027-0001");
    assert_eq!(by_ticket(db.conn(), "wx-2026-0002").unwrap().unwrap().id, b);
}

#[test]
fn a_report_needs_a_reporter_a_description_and_a_device_in_service() {
    let mut db = Db::open_in_memory().unwrap();
    let scrapped = add_device(&db, "A-1", "pending_scrap", "");
    let mut new = new_repair(DeviceRef::Unregistered(" ".into()), "2026-11-20 09:00");
    let stamp = stamp_at("2026-11-20 09:00");
    let error = |db: &mut Db, new: &NewRepair| db.write(|tx| report(tx, new, &stamp)).unwrap_err();
    assert!(matches!(error(&mut db, &new), RepairError::NeedsDevice));
    new.device = DeviceRef::Registered(scrapped);
    assert!(matches!(
        error(&mut db, &new),
        RepairError::DeviceUnavailable {
            status: Status::PendingScrap,
            ..
        }
    ));
    new.device = DeviceRef::Unregistered("打印机".into());
    new.reporter = "".into();
    assert!(matches!(error(&mut db, &new), RepairError::NeedsReporter));
    new.reporter = "赵敏".into();
    new.description = " ".into();
    assert!(matches!(
        error(&mut db, &new),
        RepairError::NeedsDescription
    ));
    let count: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM repairs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 0, "nothing half-saved");
}

#[test]
fn the_device_follows_the_repair_and_its_history_book_shows_each_step() {
    let mut db = Db::open_in_memory().unwrap();
    let dev = add_device(&db, "SRV-01", "in_use", "2025-01-01");
    let id = report_on(&mut db, DeviceRef::Registered(dev), "2026-11-20 09:00");
    let repair = get(db.conn(), id).unwrap().unwrap();
    assert_eq!(repair.device_text, "SRV-01 服务器");
    assert_eq!(repair.flow.under_warranty, Some(false));
    assert_eq!(device_status_of(&db, dev), Status::UnderRepair);

    take(&mut db, id, assess("2026-11-22 17:00"), "2026-11-20 10:00").unwrap();
    take(&mut db, id, Step::Start, "2026-11-20 11:00").unwrap();
    crate::db::directory::test_person(
        db.conn(),
        "刘主任",
        &[crate::domain::role::Role::Supervisor],
    );
    let to_vendor = Step::ToVendor {
        vendor: VendorRepair {
            vendor: "联想服务站".into(),
            approver: "刘主任".into(),
            sent_on: NaiveDate::from_ymd_opt(2026, 11, 20),
            returned_on: None,
            reference: "RMA-77".into(),
        },
        damage: DamageConfirmation {
            part: "主板".into(),
            first: "王强".into(),
            second: "李娜".into(),
        },
    };
    // Nobody approves their own action: not the operator sending the device out.
    let mut own = to_vendor.clone();
    if let Step::ToVendor { vendor, .. } = &mut own {
        vendor.approver = stamp_at("2026-11-20 12:00").by;
    }
    let refused = take(&mut db, id, own, "2026-11-20 12:00");
    assert!(
        matches!(refused, Err(RepairError::Step(StepError::SelfApproved))),
        "{refused:?}"
    );
    take(&mut db, id, to_vendor, "2026-11-20 12:00").unwrap();
    assert_eq!(device_status_of(&db, dev), Status::AtVendor);
    take(
        &mut db,
        id,
        Step::FromVendor {
            returned_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        },
        "2026-11-23 09:00",
    )
    .unwrap();
    assert_eq!(device_status_of(&db, dev), Status::UnderRepair);
    take(&mut db, id, finish(), "2026-11-23 10:00").unwrap();
    assert_eq!(
        device_status_of(&db, dev),
        Status::UnderRepair,
        "not back in use until the user confirms"
    );
    take(
        &mut db,
        id,
        Step::Confirm {
            by: "赵敏".into()
        },
        "2026-11-23 11:00",
    )
    .unwrap();
    assert_eq!(device_status_of(&db, dev), Status::InUse);

    let history = device_log::history(db.conn(), dev).unwrap();
    let repair_lines: Vec<String> = history
        .iter()
        .rev()
        .filter(|e| e.kind == EventKind::Repair)
        .map(|e| {
            crate::domain::history::reason_text(e.reason.lines().next().unwrap_or(""), Lang::En)
        })
        .collect();
    assert_eq!(
        repair_lines,
        [
            "WX-2026-0001 Reported",
            "WX-2026-0001 Assessed",
            "WX-2026-0001 In repair",
            "WX-2026-0001 At vendor",
            "WX-2026-0001 In repair",
            "WX-2026-0001 Awaiting confirmation",
            "WX-2026-0001 Closed",
        ]
    );
    let moved: Vec<(String, String)> = history
        .iter()
        .flat_map(|e| e.changes.iter())
        .filter(|c| c.field == Field::Status.key())
        .map(|c| (c.old.clone(), c.new.clone()))
        .collect();
    assert_eq!(
        moved.first().unwrap(),
        &("under_repair".to_owned(), "in_use".to_owned())
    );

    let kinds: Vec<(Option<State>, State, String)> = timeline(db.conn(), id)
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            TimelineEntry::Step { from, to, by, .. } => Some((from, to, by)),
            TimelineEntry::Amended(_) => None,
        })
        .collect();
    assert_eq!(kinds.len(), 7);
    assert_eq!(kinds[0], (None, State::Reported, "王强".to_owned()));
    assert_eq!(kinds[6].1, State::Closed);
}

#[test]
fn a_spare_device_goes_back_to_spare_and_two_tickets_share_one_device() {
    let mut db = Db::open_in_memory().unwrap();
    let dev = add_device(&db, "PC-9", "spare", "");
    let first = report_on(&mut db, DeviceRef::Registered(dev), "2026-11-20 09:00");
    let second = report_on(&mut db, DeviceRef::Registered(dev), "2026-11-20 09:30");
    for id in [first, second] {
        take(&mut db, id, assess("2026-11-21 17:00"), "2026-11-20 10:00").unwrap();
        take(&mut db, id, Step::Start, "2026-11-20 10:05").unwrap();
        take(&mut db, id, finish(), "2026-11-20 11:00").unwrap();
    }
    take(
        &mut db,
        first,
        Step::Confirm {
            by: "赵敏".into()
        },
        "2026-11-20 12:00",
    )
    .unwrap();
    assert_eq!(
        device_status_of(&db, dev),
        Status::UnderRepair,
        "the other ticket is still open"
    );
    take(
        &mut db,
        second,
        Step::Confirm {
            by: "赵敏".into()
        },
        "2026-11-20 12:10",
    )
    .unwrap();
    assert_eq!(device_status_of(&db, dev), Status::Spare);
}

#[test]
fn an_unrepairable_device_is_proposed_for_scrapping() {
    let mut db = Db::open_in_memory().unwrap();
    let dev = add_device(&db, "UPS-2", "in_use", "");
    let id = report_on(&mut db, DeviceRef::Registered(dev), "2026-11-20 09:00");
    take(&mut db, id, assess("2026-11-21 17:00"), "2026-11-20 10:00").unwrap();
    let state = take(
        &mut db,
        id,
        Step::GiveUp {
            reason: "电池组报废".into(),
        },
        "2026-11-20 15:00",
    )
    .unwrap();
    assert_eq!(state, State::Unrepairable);
    assert_eq!(device_status_of(&db, dev), Status::PendingScrap);
    let repair = get(db.conn(), id).unwrap().unwrap();
    assert_eq!(repair.flow.outcome.result, "电池组报废");
}

#[test]
fn a_rejected_result_goes_back_to_repair_and_the_reopening_is_recorded() {
    let mut db = Db::open_in_memory().unwrap();
    let id = report_on(
        &mut db,
        DeviceRef::Unregistered("会议室投影仪".into()),
        "2026-11-20 09:00",
    );
    take(&mut db, id, assess("2026-11-20 17:00"), "2026-11-20 09:10").unwrap();
    take(&mut db, id, Step::Start, "2026-11-20 09:20").unwrap();
    take(&mut db, id, finish(), "2026-11-20 10:00").unwrap();
    take(
        &mut db,
        id,
        Step::Reject {
            reason: "仍然无信号".into(),
        },
        "2026-11-20 11:00",
    )
    .unwrap();
    let repair = get(db.conn(), id).unwrap().unwrap();
    assert_eq!(repair.flow.state, State::InRepair);
    assert_eq!(repair.flow.reopened, 1);
    let rejected = timeline(db.conn(), id).unwrap().into_iter().any(|e| {
        matches!(e, TimelineEntry::Step { from: Some(State::AwaitingConfirmation), to: State::InRepair, note, .. } if note == "仍然无信号")
    });
    assert!(rejected, "the timeline keeps the reason");
    // Finished again after the estimate: the repair was not on time.
    take(&mut db, id, finish(), "2026-11-20 18:00").unwrap();
    let repair = get(db.conn(), id).unwrap().unwrap();
    assert_eq!(
        repair.flow.timeliness(at("2026-11-21 09:00")),
        Timeliness::Overran
    );
}

#[test]
fn a_stale_step_and_a_step_on_a_closed_ticket_are_refused() {
    let mut db = Db::open_in_memory().unwrap();
    let id = report_on(
        &mut db,
        DeviceRef::Unregistered("打印机".into()),
        "2026-11-20 09:00",
    );
    let stale = get(db.conn(), id).unwrap().unwrap().row_version;
    take(&mut db, id, assess("2026-11-20 17:00"), "2026-11-20 09:10").unwrap();
    let error = db
        .write(|tx| step(tx, id, stale, &Step::Start, &stamp_at("2026-11-20 09:20")))
        .unwrap_err();
    assert!(matches!(error, RepairError::Conflict { .. }));
    take(&mut db, id, Step::Start, "2026-11-20 09:20").unwrap();
    take(&mut db, id, finish(), "2026-11-20 10:00").unwrap();
    take(
        &mut db,
        id,
        Step::Confirm {
            by: "赵敏".into()
        },
        "2026-11-20 10:30",
    )
    .unwrap();
    let error = take(&mut db, id, Step::Start, "2026-11-20 11:00").unwrap_err();
    assert_eq!(
        error.message(Lang::En),
        "WX-2026-0001 is closed: correct it with an amendment (A)."
    );
    let refused = db
        .conn()
        .execute("UPDATE repairs SET cost = 1 WHERE id = ?1", [id]);
    assert!(
        refused.is_err(),
        "SQLite itself keeps a closed ticket as it was"
    );
    let not_allowed = RepairError::Step(StepError::NotAllowed {
        from: State::Reported,
        step: StepKind::Finish,
    });
    assert_eq!(
        not_allowed.message(Lang::En),
        "The ticket is Reported: it cannot finish the repair. Possible now: assess."
    );
}

#[test]
fn closed_tickets_are_corrected_by_amendments_that_keep_the_old_value() {
    let mut db = Db::open_in_memory().unwrap();
    let id = report_on(
        &mut db,
        DeviceRef::Unregistered("打印机".into()),
        "2026-11-20 09:00",
    );
    let stamp = stamp_at("2026-11-21 09:00");
    let early = db.write(|tx| amend(tx, id, AmendField::Cost, "10", "补录", &stamp));
    assert!(early.is_err(), "an open ticket is changed by its steps");
    close(&mut db, id, "2026-11-20");

    let bad = db.write(|tx| amend(tx, id, AmendField::Cost, "-3", "补录", &stamp));
    assert!(matches!(bad, Err(RepairError::BadCost { .. })));
    let no_reason = db.write(|tx| amend(tx, id, AmendField::Cost, "35", " ", &stamp));
    assert!(matches!(no_reason, Err(RepairError::NeedsReason)));
    db.write(|tx| amend(tx, id, AmendField::Cost, "35.5", "发票补录", &stamp))
        .unwrap();
    db.write(|tx| amend(tx, id, AmendField::Cost, "36", "发票金额更正", &stamp))
        .unwrap();
    let repair = get(db.conn(), id).unwrap().unwrap();
    assert_eq!(
        repair.flow.outcome.cost, 3600,
        "the newest amendment counts"
    );
    let amended: Vec<(String, String, String)> = timeline(db.conn(), id)
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            TimelineEntry::Amended(a) => Some((a.old_value, a.new_value, a.reason)),
            TimelineEntry::Step { .. } => None,
        })
        .collect();
    assert_eq!(
        amended,
        [
            ("0.00".into(), "35.50".into(), "发票补录".into()),
            ("35.50".into(), "36.00".into(), "发票金额更正".into())
        ]
    );
    let edit = db
        .conn()
        .execute("UPDATE repair_amendments SET new_value = '0'", []);
    assert!(edit.is_err(), "amendments are never edited");
}

#[test]
fn the_list_puts_open_tickets_first_and_filters() {
    let mut db = Db::open_in_memory().unwrap();
    let free = |t: &str| DeviceRef::Unregistered(t.into());
    let old_open = report_on(&mut db, free("打印机"), "2026-10-02 09:00");
    let closed = report_on(&mut db, free("扫描仪"), "2026-11-10 09:00");
    let new_open = report_on(&mut db, free("交换机"), "2026-11-12 09:00");
    close(&mut db, closed, "2026-11-10");
    take(
        &mut db,
        old_open,
        assess("2026-10-03 17:00"),
        "2026-10-02 09:10",
    )
    .unwrap();

    let now = at("2026-11-21 09:00");
    let ids = |q: &ListQuery| -> Vec<i64> {
        rows(db.conn(), q, now, Place::top(0), 50)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect()
    };
    let all = ListQuery::default();
    assert_eq!(ids(&all), [new_open, old_open, closed]);
    assert_eq!(count(db.conn(), &all, now).unwrap(), 3);
    assert_eq!(
        rows(db.conn(), &all, now, Place::top(1), 1).unwrap()[0].id,
        old_open
    );
    let q = |state| ListQuery {
        state,
        ..ListQuery::default()
    };
    assert_eq!(ids(&q(StateFilter::Closed)), [closed]);
    assert_eq!(ids(&q(StateFilter::Late)), [old_open]);
    assert_eq!(ids(&q(StateFilter::Only(State::Reported))), [new_open]);
    assert_eq!(late_count(db.conn(), now).unwrap(), 1);
    let november = ListQuery {
        month: NaiveDate::from_ymd_opt(2026, 11, 1),
        ..ListQuery::default()
    };
    assert_eq!(ids(&november), [new_open, closed]);
    let search = ListQuery {
        search: "WX-2026-0003 交换".into(),
        ..ListQuery::default()
    };
    assert_eq!(ids(&search), [new_open]);
    let by = ListQuery {
        maintainer: Some("王强".into()),
        ..ListQuery::default()
    };
    assert_eq!(ids(&by), [old_open, closed]);
    assert_eq!(maintainers(db.conn()).unwrap(), ["王强"]);
    let row = &rows(db.conn(), &all, now, Place::top(1), 1).unwrap()[0];
    assert_eq!(row.timeliness(now), Timeliness::Late);
}

#[test]
fn a_failed_checklist_item_links_to_its_repair_both_ways() {
    let mut db = Db::open_in_memory().unwrap();
    let stamp = stamp_at("2026-11-20 17:00");
    let weekly = checklists::list(db.conn()).unwrap()[1].id;
    let start = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let run_id = db
        .write(|tx| check_runs::open(tx, weekly, start, &stamp))
        .unwrap();
    let run = check_runs::load(db.conn(), run_id).unwrap().unwrap();
    let line = &run.lines[1];
    let fail = Answer {
        outcome: CheckOutcome::Fail,
        value: String::new(),
        note: "3 号交换机端口闪红".into(),
    };
    db.write(|tx| check_runs::answer(tx, line.result_id, &fail, &stamp))
        .unwrap();
    let mut new = new_repair(
        DeviceRef::Unregistered("3 号交换机".into()),
        "2026-11-20 17:05",
    );
    new.check_result_id = Some(line.result_id);
    let (id, ticket) = db.write(|tx| report(tx, &new, &stamp)).unwrap();
    let repair = get(db.conn(), id).unwrap().unwrap();
    let link = repair.check.expect("the repair names its checklist item");
    assert_eq!((link.run_id, link.period_start), (run_id, start));
    assert_eq!(link.item_code, line.item.code);
    assert_eq!(
        for_run(db.conn(), run_id).unwrap(),
        [LinkedTicket {
            result_id: line.result_id,
            repair_id: id,
            ticket: ticket.clone(),
            state: State::Reported
        }]
    );
    let again = db.write(|tx| report(tx, &new, &stamp)).unwrap_err();
    assert!(
        matches!(again, RepairError::AlreadyReported { ticket: t } if t == ticket),
        "one finding, one ticket"
    );
}

#[test]
fn a_ticket_is_found_by_what_it_says_now_and_a_stale_search_index_is_reported() {
    let mut db = Db::open_in_memory().unwrap();
    let free = |t: &str| DeviceRef::Unregistered(t.into());
    let printer = report_on(&mut db, free("三楼打印机"), "2026-11-02 09:00");
    let scanner = report_on(&mut db, free("扫描仪"), "2026-11-03 09:00");
    let now = at("2026-11-21 09:00");
    let found = |db: &Db, words: &str| -> Vec<i64> {
        let q = ListQuery {
            search: words.into(),
            ..ListQuery::default()
        };
        rows(db.conn(), &q, now, Place::top(0), 50)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(found(&db, "重装系统"), Vec::<i64>::new());
    close(&mut db, printer, "2026-11-02");
    // The result written at the finish step is searchable at once, by three or more
    // characters (the trigram index) and by one or two (a scan).
    assert_eq!(found(&db, "重装系统"), [printer]);
    assert_eq!(found(&db, "三楼打印机 重装"), [printer]);
    assert_eq!(found(&db, "重"), [printer]);
    assert_eq!(found(&db, "wx-2026-0002"), [scanner]);
    assert_eq!(db.health_problems().unwrap(), vec![]);

    // Written past the triggers, the index falls out of step: `jifang check` says which.
    db.conn()
        .execute_batch(
            "DROP TRIGGER repairs_search_update;
             UPDATE repairs SET description = '风扇异响' WHERE id = 2;",
        )
        .unwrap();
    // ... and that the trigger keeping it in step is gone.
    let problems = db.health_problems().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(matches!(&problems[0], crate::db::Problem::Integrity(line)
        if line.contains("checksum mismatch") && line.contains("repairs_search")));
    assert!(problems.contains(&crate::db::Problem::Audit(
        crate::db::audit::chain::Finding::TriggerMissing("repairs_search_update".into())
    )));
}

#[test]
fn rows_loaded_while_the_search_index_pauses_are_found_once_it_resumes() {
    let db = Db::open_in_memory().unwrap();
    crate::db::search::pause(db.conn()).unwrap();
    add_device(&db, "JF-SV-7788", "in_use", "2030-01-01");
    crate::db::search::resume(db.conn()).unwrap();
    assert_eq!(db.health_problems().unwrap(), vec![]);
    let query = devices::ListQuery {
        search: "sv-778".into(),
        ..devices::ListQuery::default()
    };
    assert_eq!(devices::list_ids(db.conn(), &query).unwrap().len(), 1);
    // Kept in step again: a device added now is found too.
    add_device(&db, "JF-SV-7789", "in_use", "2030-01-01");
    assert_eq!(devices::list_ids(db.conn(), &query).unwrap().len(), 2);
    assert_eq!(db.health_problems().unwrap(), vec![]);
}

#[test]
fn the_rows_next_to_a_ticket_are_the_rows_at_the_next_offsets() {
    let mut db = Db::open_in_memory().unwrap();
    let free = |t: &str| DeviceRef::Unregistered(t.into());
    // Tickets reported in the same minute, open and closed: only the id tells them apart.
    let mut tickets = Vec::new();
    for n in 0..9 {
        let when = format!("2026-11-{:02} 09:00", 10 + n % 3);
        let device = if n % 2 == 0 { "打印机" } else { "交换机" };
        tickets.push(report_on(&mut db, free(device), &when));
    }
    for id in [tickets[1], tickets[4], tickets[5]] {
        close(&mut db, id, "2026-11-13");
    }
    let now = at("2026-11-21 09:00");
    for query in [
        ListQuery::default(),
        // A rare word: the rows come through the trigram index.
        ListQuery {
            search: "打印机".into(),
            ..ListQuery::default()
        },
        // Sorted by a column, either way, with ties and empty values: the keyset reads on
        // from a ticket's value in that column and its id.
        ListQuery {
            sort: Sort::parse("device:asc", SORTS),
            ..ListQuery::default()
        },
        ListQuery {
            sort: Sort::parse("device:desc", SORTS),
            ..ListQuery::default()
        },
        ListQuery {
            sort: Sort::parse("estimate:desc", SORTS),
            ..ListQuery::default()
        },
    ] {
        let ids = |rows: Vec<ListRow>| -> Vec<i64> { rows.iter().map(|r| r.id).collect() };
        let full = ids(rows(db.conn(), &query, now, Place::top(0), 50).unwrap());
        assert!(full.len() >= 5, "{query:?}");
        for (at, id) in full.iter().enumerate() {
            for limit in 1..=full.len() + 1 {
                let after = ids(rows(db.conn(), &query, now, Place::After(*id), limit).unwrap());
                let end = full.len().min(at + 1 + limit);
                assert_eq!(after, full[at + 1..end], "after #{at}, {limit} rows");
                let before = ids(rows(db.conn(), &query, now, Place::Before(*id), limit).unwrap());
                assert_eq!(before, full[at.saturating_sub(limit)..at], "before #{at}");
            }
        }
        for offset in 0..full.len() {
            for limit in 1..=full.len() + 1 {
                // Read from the far end where it is nearer: the same rows, in list order.
                let of = Some(full.len());
                let near =
                    ids(rows(db.conn(), &query, now, Place::Down { offset, of }, limit).unwrap());
                let end = full.len().min(offset + limit);
                assert_eq!(near, full[offset..end], "window at {offset}, {limit} rows");
            }
        }
        let last = ids(rows(db.conn(), &query, now, Place::End, 3).unwrap());
        assert_eq!(last, full[full.len() - 3..], "{query:?}");
    }
    // Sorted by device: every 交换机 before every 打印机 (by their stored text), and reversed.
    let devices = |way: &str| -> Vec<String> {
        let query = ListQuery {
            sort: Sort::parse(&format!("device:{way}"), SORTS),
            ..ListQuery::default()
        };
        let rows = rows(db.conn(), &query, now, Place::top(0), 50).unwrap();
        rows.into_iter().map(|r| r.device_text).collect()
    };
    let up = devices("asc");
    let mut sorted = up.clone();
    sorted.sort();
    assert_eq!(up, sorted);
    assert_ne!(up.first(), up.last());
    let mut down = devices("desc");
    down.reverse();
    assert_eq!(down, sorted);
}

/// The user signs the repair record (001): where the directory knows the reporting department,
/// only a person of it may sign the repair off.
#[test]
fn only_a_person_of_the_reporting_department_signs_a_repair_off() {
    let mut db = Db::open_in_memory().unwrap();
    let s = stamp_at("2026-11-20 08:00");
    db.write(|tx| {
        let office = crate::db::directory::ensure_department(tx, "教务处", false, &s)?;
        crate::db::directory::ensure_person(tx, "赵敏", office, &[], None, &s)?;
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    let id = report_on(
        &mut db,
        DeviceRef::Unregistered("打印机".into()),
        "2026-11-20 09:00",
    );
    take(&mut db, id, assess("2026-11-20 17:00"), "2026-11-20 09:10").unwrap();
    take(&mut db, id, Step::Start, "2026-11-20 09:20").unwrap();
    take(&mut db, id, finish(), "2026-11-20 10:00").unwrap();
    let stranger = Step::Confirm {
        by: "路人甲".into(),
    };
    let refused = take(&mut db, id, stranger, "2026-11-20 10:30");
    assert!(
        matches!(
            refused,
            Err(RepairError::Step(StepError::UserNotOfDepartment))
        ),
        "{refused:?}"
    );
    let user = Step::Confirm {
        by: "赵敏".into()
    };
    assert_eq!(
        take(&mut db, id, user, "2026-11-20 10:30").unwrap(),
        State::Closed
    );
}

#[test]
fn the_user_signing_a_repair_off_may_countersign_but_only_as_themselves() {
    use crate::db::accounts::{self, NewAccount};
    use crate::db::approvals::{self, ApprovalError};
    let mut db = Db::open_in_memory().unwrap();
    let dev = add_device(&db, "PC-01", "in_use", "2025-01-01");
    let id = report_on(&mut db, DeviceRef::Registered(dev), "2026-11-20 09:00");
    take(&mut db, id, assess("2026-11-20 17:00"), "2026-11-20 09:10").unwrap();
    take(&mut db, id, Step::Start, "2026-11-20 09:20").unwrap();
    take(&mut db, id, finish(), "2026-11-20 10:00").unwrap();
    let stamp = stamp_at("2026-11-20 10:30");
    for (login, name) in [("zm", "赵敏"), ("wq", "王强")] {
        let new = NewAccount {
            login: login.into(),
            name: name.into(),
            department: Some("教务处".into()),
            ..Default::default()
        };
        let hash = crate::domain::account::hash("their-own-1");
        db.write(|tx| accounts::add(tx, &new, &hash, &stamp))
            .unwrap();
    }
    let sign = |db: &mut Db, name: &str| {
        db.write(|tx| {
            approvals::countersign(tx, name, "their-own-1", "repair_sign_off", stamp.at, "x")
        })
        .unwrap()
        .unwrap()
    };
    let confirm = Step::Confirm {
        by: "赵敏".into()
    };
    let version = get(db.conn(), id).unwrap().unwrap().row_version;
    let others = approvals::Evidence::Countersigned(sign(&mut db, "王强"));
    let refused = db.write(|tx| step_approved(tx, id, version, &confirm, &others, &stamp));
    assert!(
        matches!(
            refused,
            Err(RepairError::Approval(ApprovalError::CountersignedByOther))
        ),
        "{refused:?}"
    );
    let own = approvals::Evidence::Countersigned(sign(&mut db, "赵敏"));
    db.write(|tx| step_approved(tx, id, version, &confirm, &own, &stamp))
        .unwrap();
    let repair = get(db.conn(), id).unwrap().unwrap();
    assert_eq!(repair.flow.confirmed_by, "赵敏");
    assert_eq!(repair.confirmation, "countersigned:zm");
}
