use chrono::{NaiveDate, NaiveDateTime};

use super::*;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn confirmed() -> DamageConfirmation {
    DamageConfirmation {
        part: "硬盘".into(),
        first: "张伟".into(),
        second: "李娜".into(),
    }
}

/// A step of each kind with everything it needs.
fn complete(kind: StepKind) -> Step {
    match kind {
        StepKind::Assess => Step::Assess {
            maintainer: "王强".into(),
            estimate_at: at("2026-11-20 17:00"),
        },
        StepKind::Start => Step::Start,
        StepKind::ToVendor => Step::ToVendor {
            vendor: VendorRepair {
                vendor: "联想服务站".into(),
                approver: "刘主任".into(),
                sent_on: Some(day("2026-11-20")),
                returned_on: None,
                reference: "RMA-1".into(),
            },
            damage: confirmed(),
        },
        StepKind::FromVendor => Step::FromVendor {
            returned_on: day("2026-11-25"),
        },
        StepKind::Finish => Step::Finish {
            outcome: Outcome {
                result: "更换硬盘".into(),
                parts: "硬盘".into(),
                cost: 45_000,
                ..Outcome::default()
            },
            damage: confirmed(),
            returned_on: Some(day("2026-11-25")),
        },
        StepKind::Confirm => Step::Confirm {
            by: "赵敏".into()
        },
        StepKind::Reject => Step::Reject {
            reason: "仍然死机".into(),
        },
        StepKind::GiveUp => Step::GiveUp {
            reason: "主板烧毁".into(),
        },
    }
}

fn ticket_in(state: State) -> Ticket {
    let mut t = Ticket::new(at("2026-11-20 09:00"), Some(false));
    t.state = state;
    if state == State::AtVendor {
        t.vendor.sent_on = Some(day("2026-11-20"));
    }
    t
}

#[test]
fn every_allowed_step_is_taken_and_every_other_refused() {
    let now = at("2026-11-20 10:00");
    let mut allowed = 0;
    for state in State::ALL {
        for kind in StepKind::ALL {
            let result = advance(&ticket_in(state), &complete(kind), now);
            if state.steps().contains(&kind) {
                allowed += 1;
                let after = result.unwrap_or_else(|e| panic!("{state:?} {kind:?}: {e:?}"));
                let expected = match kind {
                    StepKind::Assess => State::Assessed,
                    StepKind::Start | StepKind::FromVendor | StepKind::Reject => State::InRepair,
                    StepKind::ToVendor => State::AtVendor,
                    StepKind::Finish => State::AwaitingConfirmation,
                    StepKind::Confirm => State::Closed,
                    StepKind::GiveUp => State::Unrepairable,
                };
                assert_eq!(after.state, expected, "{state:?} {kind:?}");
            } else {
                assert_eq!(
                    result,
                    Err(StepError::NotAllowed {
                        from: state,
                        step: kind
                    }),
                    "{state:?} {kind:?}"
                );
            }
        }
    }
    assert_eq!(allowed, 11, "the table of allowed steps changed");
}

#[test]
fn the_usual_path_runs_from_report_to_close() {
    let mut t = Ticket::new(at("2026-11-20 09:00"), Some(true));
    let mut now = at("2026-11-20 09:30");
    let mut path = vec![t.state];
    while let Some(kind) = t.state.next_step() {
        t = advance(&t, &complete(kind), now).unwrap();
        now += chrono::Duration::hours(1);
        path.push(t.state);
    }
    assert_eq!(
        path,
        [
            State::Reported,
            State::Assessed,
            State::InRepair,
            State::AwaitingConfirmation,
            State::Closed
        ]
    );
    assert_eq!(t.maintainer, "王强");
    assert_eq!(t.confirmed_by, "赵敏");
    assert_eq!(t.assessed_at, Some(at("2026-11-20 09:30")));
    assert_eq!(t.started_at, Some(at("2026-11-20 10:30")));
    assert_eq!(t.finished_at, Some(at("2026-11-20 11:30")));
    assert_eq!(t.closed_at, Some(at("2026-11-20 12:30")));
    assert_eq!(t.timeliness(now), Timeliness::OnTime);
}

#[test]
fn each_step_asks_for_what_it_needs() {
    let now = at("2026-11-20 10:00");
    let reported = ticket_in(State::Reported);
    let assess = |maintainer: &str, estimate: &str| Step::Assess {
        maintainer: maintainer.into(),
        estimate_at: at(estimate),
    };
    assert_eq!(
        advance(&reported, &assess(" ", "2026-11-21 09:00"), now),
        Err(StepError::NeedsMaintainer)
    );
    assert_eq!(
        advance(&reported, &assess("王强", "2026-11-19 09:00"), now),
        Err(StepError::EstimateBeforeReport)
    );

    let in_repair = ticket_in(State::InRepair);
    let Step::ToVendor { vendor, damage } = complete(StepKind::ToVendor) else {
        unreachable!()
    };
    let to_vendor = |v: VendorRepair, d: DamageConfirmation| Step::ToVendor {
        vendor: v,
        damage: d,
    };
    let cases = [
        (
            VendorRepair {
                vendor: String::new(),
                ..vendor.clone()
            },
            StepError::NeedsVendor,
        ),
        (
            VendorRepair {
                approver: String::new(),
                ..vendor.clone()
            },
            StepError::NeedsApprover,
        ),
        (
            VendorRepair {
                sent_on: None,
                ..vendor.clone()
            },
            StepError::NeedsSentDate,
        ),
    ];
    for (v, error) in cases {
        assert_eq!(
            advance(&in_repair, &to_vendor(v, damage.clone()), now),
            Err(error)
        );
    }

    let finish = |result: &str, human: bool, liable: &str| Step::Finish {
        outcome: Outcome {
            result: result.into(),
            human_caused: human,
            liable_person: liable.into(),
            ..Outcome::default()
        },
        damage: DamageConfirmation::default(),
        returned_on: None,
    };
    assert_eq!(
        advance(&in_repair, &finish("", false, ""), now),
        Err(StepError::NeedsResult)
    );
    assert_eq!(
        advance(&in_repair, &finish("重装系统", true, ""), now),
        Err(StepError::NeedsLiablePerson)
    );
    let done = advance(&in_repair, &finish("重装系统", false, "不该留下"), now).unwrap();
    assert_eq!(
        done.outcome.liable_person, "",
        "no liable person without fault"
    );
    assert_eq!(
        advance(&ticket_in(State::AtVendor), &finish("修好", false, ""), now),
        Err(StepError::NeedsReturnDate),
        "a ticket at a vendor says when it came back"
    );
    let waiting = ticket_in(State::AwaitingConfirmation);
    assert_eq!(
        advance(&waiting, &Step::Confirm { by: " ".into() }, now),
        Err(StepError::NeedsUserName)
    );
    assert_eq!(
        advance(&waiting, &Step::Reject { reason: "".into() }, now),
        Err(StepError::NeedsReason)
    );
    assert_eq!(
        advance(&in_repair, &Step::GiveUp { reason: "".into() }, now),
        Err(StepError::NeedsReason)
    );
}

#[test]
fn out_of_warranty_two_different_people_confirm_the_damaged_part() {
    let now = at("2026-11-20 10:00");
    let with_parts = |damage: DamageConfirmation| Step::Finish {
        outcome: Outcome {
            result: "更换电源".into(),
            parts: "电源".into(),
            ..Outcome::default()
        },
        damage,
        returned_on: None,
    };
    let out = ticket_in(State::InRepair);
    let one = DamageConfirmation {
        second: String::new(),
        ..confirmed()
    };
    let same = DamageConfirmation {
        second: "张伟".into(),
        ..confirmed()
    };
    let no_part = DamageConfirmation {
        part: String::new(),
        ..confirmed()
    };
    assert_eq!(
        advance(&out, &with_parts(one.clone()), now),
        Err(StepError::NeedsTwoConfirmers)
    );
    assert_eq!(
        advance(&out, &with_parts(same), now),
        Err(StepError::SameConfirmer)
    );
    assert_eq!(
        advance(&out, &with_parts(no_part), now),
        Err(StepError::NeedsDamagedPart)
    );
    let done = advance(&out, &with_parts(confirmed()), now).unwrap();
    assert_eq!(done.damage, confirmed());

    let mut unknown = out.clone();
    unknown.under_warranty = None;
    assert_eq!(
        advance(&unknown, &with_parts(one.clone()), now),
        Err(StepError::NeedsTwoConfirmers),
        "an unknown warranty counts as out of warranty"
    );
    let mut covered = out.clone();
    covered.under_warranty = Some(true);
    assert!(advance(&covered, &with_parts(one.clone()), now).is_ok());

    // The vendor step asks out of warranty, and then finishing does not ask again.
    let Step::ToVendor { vendor, .. } = complete(StepKind::ToVendor) else {
        unreachable!()
    };
    assert_eq!(
        advance(
            &out,
            &Step::ToVendor {
                vendor: vendor.clone(),
                damage: one.clone()
            },
            now
        ),
        Err(StepError::NeedsTwoConfirmers)
    );
    let at_vendor = advance(
        &out,
        &Step::ToVendor {
            vendor,
            damage: confirmed(),
        },
        now,
    )
    .unwrap();
    let finish = Step::Finish {
        outcome: Outcome {
            result: "厂家更换主板".into(),
            parts: "主板".into(),
            ..Outcome::default()
        },
        damage: DamageConfirmation::default(),
        returned_on: Some(day("2026-11-19")),
    };
    assert_eq!(
        advance(&at_vendor, &finish, now),
        Err(StepError::ReturnBeforeSent)
    );
    let Step::Finish { outcome, .. } = finish else {
        unreachable!()
    };
    let done = advance(
        &at_vendor,
        &Step::Finish {
            outcome,
            damage: DamageConfirmation::default(),
            returned_on: Some(day("2026-11-27")),
        },
        now,
    )
    .unwrap();
    assert_eq!(done.vendor.returned_on, Some(day("2026-11-27")));
    assert_eq!(
        done.damage,
        confirmed(),
        "the confirmation made at sending is kept"
    );
}

#[test]
fn a_rejected_result_reopens_the_repair_and_is_counted() {
    let now = at("2026-11-20 10:00");
    let mut waiting = ticket_in(State::AwaitingConfirmation);
    waiting.finished_at = Some(at("2026-11-20 09:50"));
    let reopened = advance(
        &waiting,
        &Step::Reject {
            reason: "仍然死机".into(),
        },
        now,
    )
    .unwrap();
    assert_eq!(reopened.state, State::InRepair);
    assert_eq!(reopened.reopened, 1);
    assert_eq!(
        reopened.finished_at, None,
        "the rejected finish does not count"
    );
}

#[test]
fn timeliness_compares_the_finish_with_the_estimate() {
    let mut t = ticket_in(State::Reported);
    let now = at("2026-11-22 09:00");
    assert_eq!(t.timeliness(now), Timeliness::NoEstimate);
    t.state = State::InRepair;
    t.estimate_at = Some(at("2026-11-21 17:00"));
    assert_eq!(
        t.timeliness(at("2026-11-21 17:00")),
        Timeliness::OnTrack,
        "at the estimate is still on time"
    );
    assert_eq!(t.timeliness(now), Timeliness::Late);
    t.state = State::AwaitingConfirmation;
    t.finished_at = Some(at("2026-11-21 16:59"));
    assert_eq!(t.timeliness(now), Timeliness::OnTime);
    assert_eq!(Timeliness::OnTime.on_time(), Some(true));
    t.finished_at = Some(at("2026-11-21 17:01"));
    assert_eq!(t.timeliness(now), Timeliness::Overran);
    assert_eq!(Timeliness::Overran.on_time(), Some(false));
    assert_eq!(Timeliness::OnTrack.on_time(), None);
}

#[test]
fn tickets_money_and_states_read_and_print() {
    assert_eq!(ticket_number(2026, 1), "WX-2026-0001");
    assert_eq!(ticket_number(2026, 12345), "WX-2026-12345");
    assert_eq!(parse_money("120"), Some(12_000));
    assert_eq!(parse_money("120.5"), Some(12_050));
    assert_eq!(parse_money(" 1,200.05 "), Some(120_005));
    assert_eq!(parse_money("¥8"), Some(800));
    assert_eq!(parse_money(""), Some(0));
    for bad in [
        "-5",
        "1.234",
        "abc",
        "1e9",
        "NaN",
        "１２",
        ".5",
        "99999999999",
    ] {
        assert_eq!(parse_money(bad), None, "{bad}");
    }
    assert_eq!(money_text(120_005), "1200.05");
    assert_eq!(money_text(0), "0.00");
    for s in State::ALL {
        assert_eq!(State::parse(s.key()), Some(s));
    }
    assert_eq!(State::parse("待确认"), Some(State::AwaitingConfirmation));
    assert_eq!(State::parse("nonsense"), None);
}

#[test]
fn the_device_follows_its_open_repairs() {
    use Status::*;
    assert_eq!(device_status(InUse, &[State::Reported], InUse), UnderRepair);
    assert_eq!(
        device_status(UnderRepair, &[State::InRepair, State::AtVendor], InUse),
        AtVendor
    );
    assert_eq!(device_status(AtVendor, &[], InUse), InUse);
    assert_eq!(device_status(UnderRepair, &[], Spare), Spare);
    assert_eq!(device_status(UnderRepair, &[], InStock), InStock);
    assert_eq!(
        device_status(UnderRepair, &[], Lent),
        InUse,
        "a lent device comes back into use, not out on loan again"
    );
    assert_eq!(
        device_status(PendingScrap, &[State::InRepair], InUse),
        PendingScrap
    );
    assert_eq!(device_status(InUse, &[], InUse), InUse, "nothing to undo");
}

#[test]
fn times_are_typed_fully_as_a_time_today_or_from_now() {
    let now = at("2026-11-20 09:15");
    assert_eq!(
        parse_when("2026-11-22 17:00", now),
        Some(at("2026-11-22 17:00"))
    );
    assert_eq!(parse_when("17:30", now), Some(at("2026-11-20 17:30")));
    assert_eq!(parse_when("+4h", now), Some(at("2026-11-20 13:15")));
    assert_eq!(parse_when("+2d", now), Some(at("2026-11-22 09:15")));
    for bad in [
        "",
        "+",
        "+x",
        "+3w",
        "2026-02-30 10:00",
        "25:00",
        "tomorrow",
        "+99999d",
    ] {
        assert_eq!(parse_when(bad, now), None, "{bad}");
    }
}
