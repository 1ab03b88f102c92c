use crate::db::paging::Place;
use crate::i18n::Lang;
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::db::Db;
use crate::domain::tool::Unavailable;

fn at(day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, day)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn stamp(d: u32) -> Stamp {
    Stamp::new("张三", at(d, 9))
}

fn tool(code: &str, kind: &str, days: u32) -> ToolInput {
    ToolInput {
        code: code.into(),
        name: format!("{kind}{code}"),
        kind: kind.into(),
        loan_days: Some(days),
        place: "工具柜A".into(),
        condition: "完好".into(),
        ..ToolInput::default()
    }
}

/// Four tools: two multimeters lent for 3 days, a ladder for the same day, a splicer for 7.
fn inventory() -> Db {
    let db = Db::open_in_memory().unwrap();
    for (code, kind, days) in [
        ("T-001", "万用表", 3),
        ("T-002", "万用表", 3),
        ("T-003", "梯子", 0),
        ("T-004", "熔接机", 7),
    ] {
        add(db.conn(), &tool(code, kind, days), &stamp(1)).unwrap();
    }
    db
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| c.to_string()).collect()
}

fn lend(db: &mut Db, who: &str, list: &[&str], when: NaiveDateTime) -> (i64, String) {
    let s = Stamp::new("张三", when);
    db.write(|tx| check_out(tx, &Borrowing::internal(who), &codes(list), when, &s))
        .unwrap()
}

fn open_item(db: &Db, code: &str) -> i64 {
    by_code(db.conn(), code)
        .unwrap()
        .unwrap()
        .holder
        .unwrap()
        .item_id
}

fn good() -> Return {
    Return {
        condition: Condition::Good,
        note: String::new(),
        liable_person: String::new(),
        amount: 0,
        settled: false,
        repair: false,
    }
}

#[test]
fn one_requisition_lends_several_tools_each_due_by_its_kind() {
    let mut db = inventory();
    let (_, number) = lend(&mut db, "王伟", &["t-001", "T-003", "T-004"], at(20, 10));
    assert_eq!(number, "LY-2026-0001");
    let due = |code: &str| {
        let t = by_code(db.conn(), code).unwrap().unwrap();
        assert_eq!(t.status, ToolStatus::CheckedOut);
        let h = t.holder.unwrap();
        assert_eq!(
            (h.borrower.as_str(), h.number.as_str()),
            ("王伟", "LY-2026-0001")
        );
        h.due_on
    };
    assert_eq!(due("T-001"), day(23), "multimeters: 3 days");
    assert_eq!(due("T-003"), day(20), "the ladder comes back the same day");
    assert_eq!(due("T-004"), day(27));
    // One date typed in the form holds for every tool.
    let s = stamp(20);
    let mut b = Borrowing::internal("李娜");
    b.due_on = Some(day(21));
    db.write(|tx| check_out(tx, &b, &codes(&["T-002"]), at(20, 11), &s))
        .unwrap();
    assert_eq!(
        by_code(db.conn(), "T-002")
            .unwrap()
            .unwrap()
            .holder
            .unwrap()
            .due_on,
        day(21)
    );
    let err = db
        .write(|tx| check_out(tx, &Borrowing::internal("王伟"), &[], at(20, 12), &s))
        .unwrap_err();
    assert!(
        matches!(&err, ToolError::Borrowing(p) if p == &[BorrowingProblem::NoTools]),
        "{err:?}"
    );
}

#[test]
fn a_tool_already_out_is_refused_naming_who_holds_it_and_nothing_is_written() {
    let mut db = inventory();
    lend(&mut db, "王伟", &["T-001"], at(20, 10));
    let s = stamp(20);
    let err = db
        .write(|tx| {
            check_out(
                tx,
                &Borrowing::internal("李娜"),
                &codes(&["T-002", "T-001"]),
                at(20, 11),
                &s,
            )
        })
        .unwrap_err();
    match &err {
        ToolError::Unavailable {
            code,
            why: Unavailable::HeldBy { borrower, due_on },
        } => assert_eq!(
            (code.as_str(), borrower.as_str(), *due_on),
            ("T-001", "王伟", day(23))
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        err.message(Lang::Zh).contains("王伟"),
        "{}",
        err.message(Lang::Zh)
    );
    assert_eq!(
        by_code(db.conn(), "T-002").unwrap().unwrap().status,
        ToolStatus::Available,
        "the other tool was not lent either"
    );
    let loans: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM tool_loans", [], |r| r.get(0))
        .unwrap();
    assert_eq!(loans, 1);
    // Below the program, SQLite refuses a second open loan of the same tool.
    let raw = db.conn().execute(
        "INSERT INTO tool_loan_items (loan_id, tool_id, due_on, created_at, created_by,
             updated_at, updated_by) VALUES (1, 1, '2026-11-30', 'x', 'x', 'x', 'x')",
        [],
    );
    assert!(raw.is_err());
    // The same code twice in one list, and codes nobody knows.
    let err = db
        .write(|tx| {
            check_out(
                tx,
                &Borrowing::internal("李娜"),
                &codes(&["T-002", "t-002"]),
                at(20, 11),
                &s,
            )
        })
        .unwrap_err();
    assert!(matches!(err, ToolError::RepeatedCode { .. }), "{err:?}");
    let err = db
        .write(|tx| {
            check_out(
                tx,
                &Borrowing::internal("李娜"),
                &codes(&["X-9"]),
                at(20, 11),
                &s,
            )
        })
        .unwrap_err();
    assert!(matches!(err, ToolError::UnknownCode { .. }), "{err:?}");
}

#[test]
fn another_department_borrows_only_with_an_approver() {
    let mut db = inventory();
    let s = stamp(20);
    let external = Borrowing {
        department: "财务部".into(),
        external: true,
        ..Borrowing::internal("赵敏")
    };
    let err = db
        .write(|tx| check_out(tx, &external, &codes(&["T-001"]), at(20, 10), &s))
        .unwrap_err();
    assert!(
        matches!(&err, ToolError::Borrowing(p) if p == &[BorrowingProblem::NeedsApprover]),
        "{err:?}"
    );
    assert_eq!(
        by_code(db.conn(), "T-001").unwrap().unwrap().status,
        ToolStatus::Available
    );
    crate::db::directory::test_person(
        db.conn(),
        "刘主任",
        &[crate::domain::role::Role::Supervisor],
    );
    let approved = Borrowing {
        approver: "刘主任".into(),
        ..external
    };
    db.write(|tx| check_out(tx, &approved, &codes(&["T-001"]), at(20, 10), &s))
        .unwrap();
    // SQLite itself holds the rule too.
    let raw = db.conn().execute(
        "INSERT INTO tool_loans (number, year, seq, borrower, external, approver, out_at,
             created_at, created_by, updated_at, updated_by)
         VALUES ('LY-X', 2026, 99, '赵敏', 1, '', 'x', 'x', 'x', 'x', 'x')",
        [],
    );
    assert!(raw.is_err());
}

#[test]
fn overdue_loans_are_counted_and_listed_first() {
    let mut db = inventory();
    lend(&mut db, "王伟", &["T-004"], at(10, 9)); // due 17th
    lend(&mut db, "李娜", &["T-001"], at(19, 9)); // due 22nd
    lend(&mut db, "赵敏", &["T-003"], at(20, 9)); // due 20th
    lend(&mut db, "王伟", &["T-002"], at(2, 9));
    let item = open_item(&db, "T-002");
    db.write(|tx| return_item(tx, item, &good(), &stamp(4)))
        .unwrap();
    assert_eq!(overdue_count(db.conn(), day(20)).unwrap(), 1);
    assert_eq!(
        overdue_count(db.conn(), day(21)).unwrap(),
        2,
        "the ladder is late tomorrow"
    );
    let q = LoanQuery::default();
    let rows = loans(db.conn(), &q, day(21), Place::top(0), 10).unwrap();
    let order: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(order, ["T-004", "T-003", "T-001", "T-002"]);
    assert_eq!(count_loans(db.conn(), &q, day(21)).unwrap(), 4);
    assert_eq!(rows[0].days_overdue(day(21)), 4);
    let overdue = LoanQuery {
        filter: LoanFilter::Overdue,
        ..LoanQuery::default()
    };
    assert_eq!(count_loans(db.conn(), &overdue, day(21)).unwrap(), 2);
    let by_wang = LoanQuery {
        borrower: Some("王伟".into()),
        month: Some(day(1)),
        ..LoanQuery::default()
    };
    assert_eq!(count_loans(db.conn(), &by_wang, day(21)).unwrap(), 2);
    let searched = LoanQuery {
        search: "熔接 王".into(),
        ..LoanQuery::default()
    };
    assert_eq!(count_loans(db.conn(), &searched, day(21)).unwrap(), 1);
    let tools_overdue = ToolQuery {
        filter: ToolFilter::Overdue,
        ..ToolQuery::default()
    };
    let late = tools_page(db.conn(), &tools_overdue, day(21), 0, 10).unwrap();
    assert_eq!(late.len(), 2);
    assert!(late.iter().all(|t| t.overdue(day(21))));
    let held_by_li = ToolQuery {
        search: "李娜".into(),
        ..ToolQuery::default()
    };
    assert_eq!(count_tools(db.conn(), &held_by_li, day(21)).unwrap(), 1);
}

#[test]
fn a_return_sets_the_status_and_damage_opens_a_liability_and_a_repair() {
    let mut db = inventory();
    lend(&mut db, "王伟", &["T-001", "T-002", "T-004"], at(18, 9));
    let item = open_item(&db, "T-001");
    let back = db
        .write(|tx| return_item(tx, item, &good(), &stamp(20)))
        .unwrap();
    assert_eq!((back.status, back.ticket), (ToolStatus::Available, None));
    assert!(
        by_code(db.conn(), "T-001")
            .unwrap()
            .unwrap()
            .holder
            .is_none()
    );
    let err = db
        .write(|tx| return_item(tx, item, &good(), &stamp(20)))
        .unwrap_err();
    assert!(matches!(err, ToolError::AlreadyReturned));

    let damaged = Return {
        condition: Condition::Damaged,
        note: "表笔断裂".into(),
        liable_person: String::new(),
        amount: 8000,
        settled: false,
        repair: true,
    };
    let item = open_item(&db, "T-002");
    let err = db
        .write(|tx| return_item(tx, item, &damaged, &stamp(20)))
        .unwrap_err();
    assert!(matches!(err, ToolError::NeedsLiable));
    assert!(
        by_code(db.conn(), "T-002")
            .unwrap()
            .unwrap()
            .holder
            .is_some(),
        "nothing saved"
    );
    let damaged = Return {
        liable_person: "王伟".into(),
        ..damaged
    };
    let back = db
        .write(|tx| return_item(tx, item, &damaged, &stamp(20)))
        .unwrap();
    assert_eq!(back.status, ToolStatus::Damaged);
    let ticket = back.ticket.expect("a repair was asked for");
    let repair = crate::db::repairs::by_ticket(db.conn(), &ticket)
        .unwrap()
        .unwrap();
    assert!(
        repair.device_text.starts_with("T-002"),
        "{}",
        repair.device_text
    );
    assert_eq!(repair.description, "表笔断裂");
    let row = loans::item(db.conn(), item).unwrap().unwrap();
    let liability = row.liability.unwrap();
    assert_eq!((liability.amount, liability.settled_at), (8000, None));
    assert_eq!(liability.repair_ticket.as_deref(), Some(ticket.as_str()));
    // A damaged tool is not lent until someone sets it back to available.
    let s = stamp(21);
    let err = db
        .write(|tx| {
            check_out(
                tx,
                &Borrowing::internal("李娜"),
                &codes(&["T-002"]),
                at(21, 9),
                &s,
            )
        })
        .unwrap_err();
    assert!(
        matches!(
            &err,
            ToolError::Unavailable {
                why: Unavailable::Status(ToolStatus::Damaged),
                ..
            }
        ),
        "{err:?}"
    );
    let unsettled = LoanQuery {
        filter: LoanFilter::Unsettled,
        ..LoanQuery::default()
    };
    assert_eq!(count_loans(db.conn(), &unsettled, day(21)).unwrap(), 1);
    db.write(|tx| settle(tx, liability.id, 6000, &s)).unwrap();
    assert_eq!(count_loans(db.conn(), &unsettled, day(21)).unwrap(), 0);
    let err = db.write(|tx| settle(tx, liability.id, 1, &s)).unwrap_err();
    assert!(matches!(err, ToolError::AlreadySettled));
    let paid = loans::item(db.conn(), item)
        .unwrap()
        .unwrap()
        .liability
        .unwrap();
    assert_eq!(paid.amount, 6000);

    let lost = Return {
        condition: Condition::Lost,
        liable_person: "王伟".into(),
        amount: 150000,
        settled: true,
        repair: true,
        note: String::new(),
    };
    let item = open_item(&db, "T-004");
    let back = db
        .write(|tx| return_item(tx, item, &lost, &stamp(21)))
        .unwrap();
    assert_eq!(
        (back.status, back.ticket),
        (ToolStatus::Lost, None),
        "nothing to repair"
    );
}

#[test]
fn a_tool_out_cannot_be_retired_or_set_to_another_status() {
    let mut db = inventory();
    lend(&mut db, "王伟", &["T-001"], at(20, 9));
    let t = by_code(db.conn(), "T-001").unwrap().unwrap();
    let s = stamp(20);
    let err = db
        .write(|tx| retire(tx, t.id, t.row_version, "报废", &s))
        .unwrap_err();
    assert!(matches!(err, ToolError::StillOut { .. }), "{err:?}");
    let mut input = tool("T-001", "万用表", 5);
    input.status = Some(ToolStatus::Lost);
    let err = db
        .write(|tx| edit(tx, t.id, t.row_version, &input, &s))
        .unwrap_err();
    assert!(matches!(err, ToolError::StillOut { .. }), "{err:?}");
    // Editing what it is, not where it is, works, and the kind's period changes for all.
    input.status = None;
    input.spec = "FLUKE 17B+".into();
    db.write(|tx| edit(tx, t.id, t.row_version, &input, &s))
        .unwrap();
    let two = by_code(db.conn(), "T-002").unwrap().unwrap();
    assert_eq!(two.loan_days, 5);
    // A stale version is refused.
    let err = db
        .write(|tx| edit(tx, t.id, t.row_version, &input, &s))
        .unwrap_err();
    assert!(matches!(err, ToolError::Conflict { .. }), "{err:?}");
    db.write(|tx| retire(tx, two.id, two.row_version, "量程失准", &s))
        .unwrap();
    let retired = get(db.conn(), two.id).unwrap().unwrap();
    assert_eq!(retired.status, ToolStatus::Retired);
    assert_eq!(retired.retired_reason.as_deref(), Some("量程失准"));
    assert_eq!(
        count_tools(db.conn(), &ToolQuery::default(), day(20)).unwrap(),
        3
    );
    let err = db
        .write(|tx| add(tx, &tool("t-002", "万用表", 3), &s))
        .unwrap_err();
    assert!(
        matches!(err, ToolError::CodeTaken { .. }),
        "codes are unique whatever the case"
    );
}

#[test]
fn every_window_of_the_loan_list_is_open_by_due_date_then_returned_newest_first() {
    let mut db = inventory();
    let give_back = |db: &mut Db, code: &str, d: u32| {
        let item = open_item(db, code);
        db.write(|tx| return_item(tx, item, &good(), &stamp(d)))
            .unwrap();
    };
    // Two requisitions lent at the same minute, one of two tools: only the item tells apart.
    lend(&mut db, "王伟", &["T-001", "T-002"], at(3, 9));
    lend(&mut db, "李娜", &["T-003"], at(3, 9));
    for code in ["T-001", "T-002", "T-003"] {
        give_back(&mut db, code, 5);
    }
    lend(&mut db, "赵敏", &["T-004"], at(8, 9)); // due 15th: overdue on the 21st
    lend(&mut db, "王伟", &["T-001"], at(10, 9)); // due 13th: overdue
    // Due 22nd, 19th and 19th: two open loans alike but for the item.
    add(db.conn(), &tool("T-005", "梯子", 0), &stamp(1)).unwrap();
    lend(&mut db, "李娜", &["T-002", "T-003", "T-005"], at(19, 9));
    give_back(&mut db, "T-002", 20);
    let today = day(21);
    let all = loans(db.conn(), &LoanQuery::default(), today, Place::top(0), 100).unwrap();
    // The order, worked out here rather than by SQLite.
    let mut expected = all.clone();
    expected.sort_by_key(|r| {
        let open = r.returned_at.is_none();
        (
            !open,
            open.then_some(r.due_on),
            std::cmp::Reverse((r.out_at, r.item_id)),
        )
    });
    assert_eq!(all, expected);
    assert_eq!(all.len(), 8);
    let codes: Vec<&str> = all.iter().take(4).map(|r| r.code.as_str()).collect();
    assert_eq!(
        codes,
        ["T-001", "T-004", "T-005", "T-003"],
        "open, by due date"
    );
    for query in [
        LoanQuery::default(),
        LoanQuery {
            filter: LoanFilter::Open,
            ..LoanQuery::default()
        },
        LoanQuery {
            filter: LoanFilter::Returned,
            ..LoanQuery::default()
        },
        LoanQuery {
            tool_id: Some(all[0].tool_id),
            ..LoanQuery::default()
        },
        LoanQuery {
            search: "王伟".into(),
            ..LoanQuery::default()
        },
        LoanQuery {
            active_in: Some(crate::domain::month::Month::of(day(1))),
            ..LoanQuery::default()
        },
    ] {
        let full = loans(db.conn(), &query, today, Place::top(0), 100).unwrap();
        let wanted: Vec<&LoanRow> = expected
            .iter()
            .filter(|r| full.iter().any(|f| f.item_id == r.item_id))
            .collect();
        assert_eq!(full.iter().collect::<Vec<_>>(), wanted, "{query:?}");
        assert_eq!(count_loans(db.conn(), &query, today).unwrap(), full.len());
        for offset in 0..=full.len() {
            for limit in 1..=full.len() + 1 {
                let got = loans(db.conn(), &query, today, Place::top(offset), limit).unwrap();
                let end = full.len().min(offset + limit);
                assert_eq!(
                    got,
                    full[offset.min(end)..end],
                    "{query:?} {offset} {limit}"
                );
                // The same window read from the nearer end of a counted list.
                let total = full.len();
                let near = loans(
                    db.conn(),
                    &query,
                    today,
                    Place::Down {
                        offset,
                        of: Some(total),
                    },
                    limit,
                )
                .unwrap();
                assert_eq!(near, got, "{query:?} {offset} {limit} of {total}");
            }
        }
        // Read on from any loan of the list, or of the whole list (a row just returned, say),
        // either way: the same rows as counted from the start.
        for (at, row) in all.iter().enumerate() {
            let place = full.iter().position(|f| f.item_id == row.item_id);
            for limit in 1..=full.len() + 1 {
                let after =
                    loans(db.conn(), &query, today, Place::After(row.item_id), limit).unwrap();
                let before =
                    loans(db.conn(), &query, today, Place::Before(row.item_id), limit).unwrap();
                // Where the loan would stand in this list: after the rows that precede it.
                let next = place.map_or_else(
                    || full.iter().filter(|f| precedes(f, row, &expected)).count(),
                    |p| p + 1,
                );
                let previous = place.unwrap_or(next);
                let end = full.len().min(next + limit);
                assert_eq!(after, full[next..end], "{query:?} after #{at}, {limit}");
                let start = previous.saturating_sub(limit);
                assert_eq!(
                    before,
                    full[start..previous],
                    "{query:?} before #{at}, {limit}"
                );
            }
        }
    }
}

/// Whether `a` comes before `b` in the whole list `order`.
fn precedes(a: &LoanRow, b: &LoanRow, order: &[LoanRow]) -> bool {
    let at = |r: &LoanRow| order.iter().position(|o| o.item_id == r.item_id);
    at(a) < at(b)
}

/// The borrower's department in the directory decides: one outside the information centre
/// borrows as another department with its approval, whatever the form said (given, or found
/// from the borrower's name); and nobody approves their own action.
#[test]
fn a_loan_outside_the_centre_needs_approval_and_never_the_operators_own() {
    let mut db = inventory();
    let s = stamp(20);
    db.write(|tx| {
        crate::db::directory::ensure_department(tx, "信息中心", true, &s)?;
        let finance = crate::db::directory::ensure_department(tx, "财务部", false, &s)?;
        crate::db::directory::ensure_person(tx, "张伟", finance, &[], None, &s)?;
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    let try_out = |db: &mut Db, b: &Borrowing| {
        db.write(|tx| check_out(tx, b, &codes(&["T-001"]), at(20, 10), &stamp(20)))
    };
    let mut inside = Borrowing::internal("张伟");
    inside.department = "财务部".into();
    let refused = try_out(&mut db, &inside);
    assert!(
        matches!(&refused, Err(ToolError::Borrowing(p)) if p == &[BorrowingProblem::OutsideCentre]),
        "{refused:?}"
    );
    // No department typed: the directory's says where the borrower is.
    inside.department.clear();
    let refused = try_out(&mut db, &inside);
    assert!(
        matches!(&refused, Err(ToolError::Borrowing(p)) if p == &[BorrowingProblem::OutsideCentre]),
        "{refused:?}"
    );
    let mut outside = Borrowing::internal("张伟");
    outside.department = "财务部".into();
    outside.external = true;
    outside.approver = "张三".into();
    let refused = try_out(&mut db, &outside);
    assert!(
        matches!(&refused, Err(ToolError::Borrowing(p)) if p == &[BorrowingProblem::ApprovedByOperator]),
        "{refused:?}"
    );
    // The approver is a leader of the directory holding the role, not a name typed.
    outside.approver = "刘主任".into();
    let unknown = try_out(&mut db, &outside);
    assert!(
        matches!(&unknown, Err(ToolError::Approval(_))),
        "{unknown:?}"
    );
    crate::db::directory::test_person(
        db.conn(),
        "刘主任",
        &[crate::domain::role::Role::Supervisor],
    );
    assert!(try_out(&mut db, &outside).is_ok());
    // The centre's own staff still borrow as insiders.
    let mut own = Borrowing::internal("赵敏");
    own.department = "信息中心".into();
    let lent = db.write(|tx| check_out(tx, &own, &codes(&["T-002"]), at(20, 11), &stamp(20)));
    assert!(lent.is_ok(), "{lent:?}");
}
