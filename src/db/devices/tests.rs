use crate::i18n::Lang;
use chrono::NaiveDate;

use super::*;
use crate::db::Db;
use crate::domain::device::Category;

fn stamp() -> Stamp {
    let at = NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap();
    Stamp::new("张三", at)
}

fn record(tag: &str, name: &str, ip: Option<&str>) -> Record {
    let mut values: [String; 17] = Default::default();
    values[Field::AssetTag.index()] = tag.into();
    values[Field::Name.index()] = name.into();
    values[Field::IpAddress.index()] = ip.unwrap_or("").into();
    values[Field::Status.index()] = "in_use".into();
    Record::parse(&values).unwrap()
}

fn add(db: &Db, tag: &str, name: &str, ip: Option<&str>) -> i64 {
    insert(
        db.conn(),
        &record(tag, name, ip),
        EventKind::Created,
        &stamp(),
    )
    .unwrap()
}

fn scrap(db: &Db, id: i64) {
    crate::db::directory::test_person(
        db.conn(),
        "李主任",
        &[crate::domain::role::Role::DepartmentHead],
    );
    let version = |db: &Db| get(db.conn(), id).unwrap().unwrap().row_version;
    let to_pending = StatusChange {
        evidence: Default::default(),
        to: Status::PendingScrap,
        details: ChangeDetails::default(),
        note: String::new(),
    };
    change_status(db.conn(), id, version(db), &to_pending, &stamp()).unwrap();
    let scrapped = StatusChange {
        evidence: Default::default(),
        to: Status::Scrapped,
        details: ChangeDetails {
            approver: Some("李主任".into()),
            date: NaiveDate::from_ymd_opt(2026, 11, 20),
            scrap_reason: Some(ScrapReason::BeyondRepair),
        },
        note: "主板烧毁".into(),
    };
    // The operator cannot approve their own scrapping.
    let mut own = scrapped.clone();
    own.details.approver = Some(stamp().by);
    let refused = change_status(db.conn(), id, version(db), &own, &stamp());
    assert!(
        matches!(refused, Err(SaveError::SelfApproved)),
        "{refused:?}"
    );
    change_status(db.conn(), id, version(db), &scrapped, &stamp()).unwrap();
}

#[test]
fn asset_tags_are_unique_whatever_the_case() {
    let db = Db::open_in_memory().unwrap();
    add(&db, "JF-001", "核心交换机", None);
    let err = insert(
        db.conn(),
        &record("jf-001", "x", None),
        EventKind::Created,
        &stamp(),
    );
    assert!(
        matches!(err, Err(SaveError::DuplicateTag { .. })),
        "{err:?}"
    );
}

#[test]
fn two_devices_in_the_register_never_share_an_address() {
    let db = Db::open_in_memory().unwrap();
    let first = add(&db, "A1", "服务器甲", Some("10.1.1.10"));
    let err = insert(
        db.conn(),
        &record("A2", "服务器乙", Some("10.1.1.10")),
        EventKind::Created,
        &stamp(),
    )
    .unwrap_err();
    assert_eq!(
        err.message(Lang::En),
        "IP 10.1.1.10 is already used by A1 服务器甲"
    );
    // The database itself refuses, not only the check before the write.
    let raw = db.conn().execute(
        "INSERT INTO devices (asset_tag, name, ip_address, status, created_at, created_by,
             updated_at, updated_by) VALUES ('A3', 'x', '10.1.1.10', 'in_use', '', '', '', '')",
        [],
    );
    assert!(raw.is_err());
    // Scrapping frees the address for another device.
    scrap(&db, first);
    add(&db, "A2", "服务器乙", Some("10.1.1.10"));
    assert_eq!(
        ip_holder(db.conn(), "10.1.1.10".parse().unwrap(), None).unwrap(),
        Some("A2 服务器乙".into())
    );
}

#[test]
fn ipv6_addresses_collide_however_they_were_written() {
    let db = Db::open_in_memory().unwrap();
    add(&db, "A1", "x", Some("2001:DB8:0:0::1"));
    let err = insert(
        db.conn(),
        &record("A2", "y", Some("2001:db8::1")),
        EventKind::Created,
        &stamp(),
    );
    assert!(matches!(err, Err(SaveError::DuplicateIp { .. })));
}

#[test]
fn an_edit_is_recorded_with_old_and_new_values() {
    let db = Db::open_in_memory().unwrap();
    let id = add(&db, "A1", "旧名称", None);
    let mut r = get(db.conn(), id).unwrap().unwrap().record;
    r.name = "新名称".into();
    assert!(update(db.conn(), id, 1, &r, EventKind::Edited, &stamp()).unwrap());
    let device = get(db.conn(), id).unwrap().unwrap();
    assert_eq!(device.record.name, "新名称");
    assert_eq!(device.row_version, 2);
    let history = device_log::history(db.conn(), id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].kind, EventKind::Edited);
    assert_eq!(
        history[0].changes,
        vec![device_log::Change {
            field: "name".into(),
            old: "旧名称".into(),
            new: "新名称".into()
        }]
    );
    assert_eq!(history[1].kind, EventKind::Created);
    // Saving the same values again changes nothing and writes no entry.
    assert!(!update(db.conn(), id, 2, &r, EventKind::Edited, &stamp()).unwrap());
    assert_eq!(device_log::history(db.conn(), id).unwrap().len(), 2);
}

#[test]
fn a_stale_edit_is_refused_instead_of_overwriting() {
    let db = Db::open_in_memory().unwrap();
    let id = add(&db, "A1", "x", None);
    let mut r = record("A1", "mine", None);
    update(db.conn(), id, 1, &r, EventKind::Edited, &stamp()).unwrap();
    r.name = "theirs".into();
    let err = update(db.conn(), id, 1, &r, EventKind::Edited, &stamp());
    assert!(matches!(err, Err(SaveError::Conflict { .. })));
    assert_eq!(get(db.conn(), id).unwrap().unwrap().record.name, "mine");
}

#[test]
fn an_edit_cannot_change_the_status_but_an_import_may_where_no_approval_is_needed() {
    let db = Db::open_in_memory().unwrap();
    let id = add(&db, "A1", "x", None);
    let mut r = record("A1", "x", None);
    r.status = Status::Spare;
    let err = update(db.conn(), id, 1, &r, EventKind::Edited, &stamp());
    assert!(matches!(err, Err(SaveError::StatusNeedsAction)));
    assert!(update(db.conn(), id, 1, &r, EventKind::Imported, &stamp()).unwrap());
    r.status = Status::Lent;
    let err = update(db.conn(), id, 2, &r, EventKind::Imported, &stamp());
    assert!(matches!(
        err,
        Err(SaveError::Transition(TransitionError::NeedsApprover))
    ));
}

#[test]
fn a_transfer_needs_an_approver_and_records_the_slip() {
    let db = Db::open_in_memory().unwrap();
    let id = add(&db, "A1", "x", None);
    let mut slip = Transfer {
        evidence: Default::default(),
        location: "机房B-机柜01".into(),
        department: "教务处".into(),
        owner: "王五".into(),
        approver: String::new(),
        date: NaiveDate::from_ymd_opt(2026, 11, 18),
        reason: "教务系统迁移".into(),
    };
    use crate::db::approvals::ApprovalError;
    use crate::domain::role::Role;
    let err = transfer(db.conn(), id, 1, &slip, &stamp());
    assert!(matches!(
        err,
        Err(SaveError::Approval(ApprovalError::NeedsApprover))
    ));
    // Nobody approves their own action: not the operator recording the transfer.
    slip.approver = stamp().by;
    let own = transfer(db.conn(), id, 1, &slip, &stamp());
    assert!(
        matches!(own, Err(SaveError::Approval(ApprovalError::SelfApproved))),
        "{own:?}"
    );
    // Free text is refused: the approver is a person of the directory with the role.
    slip.approver = "路人甲".into();
    let stranger = transfer(db.conn(), id, 1, &slip, &stamp());
    assert!(
        matches!(
            stranger,
            Err(SaveError::Approval(ApprovalError::Unknown(_)))
        ),
        "{stranger:?}"
    );
    crate::db::directory::test_person(db.conn(), "钱工", &[Role::Maintainer]);
    slip.approver = "钱工".into();
    let lacking = transfer(db.conn(), id, 1, &slip, &stamp());
    assert!(
        matches!(
            lacking,
            Err(SaveError::Approval(ApprovalError::LacksRole { .. }))
        ),
        "{lacking:?}"
    );
    crate::db::directory::test_person(db.conn(), "赵副总", &[Role::Deputy]);
    slip.approver = "赵副总".into();
    transfer(db.conn(), id, 1, &slip, &stamp()).unwrap();
    let event = &device_log::history(db.conn(), id).unwrap()[0];
    assert_eq!(event.kind, EventKind::Transferred);
    assert_eq!(event.approver, "赵副总");
    assert_eq!(event.effective_on.to_string(), "2026-11-18");
    assert_eq!(event.changes.len(), 3);
    let again = transfer(db.conn(), id, 2, &slip, &stamp());
    assert!(matches!(again, Err(SaveError::NothingToTransfer)));
}

#[test]
fn scrapped_devices_are_read_only_and_keep_their_reason() {
    let db = Db::open_in_memory().unwrap();
    let id = add(&db, "A1", "x", Some("10.0.0.1"));
    scrap(&db, id);
    let device = get(db.conn(), id).unwrap().unwrap();
    assert!(device.is_read_only());
    let err = update(
        db.conn(),
        id,
        device.row_version,
        &device.record,
        EventKind::Edited,
        &stamp(),
    );
    assert!(matches!(err, Err(SaveError::ReadOnly { .. })));
    let event = &device_log::history(db.conn(), id).unwrap()[0];
    assert_eq!(event.approver, "李主任");
    assert_eq!(
        crate::domain::history::reason_text(event.reason.lines().next().unwrap(), Lang::Zh),
        "主要部件严重损坏，无升级和维修价值"
    );
    assert!(event.reason.ends_with("主板烧毁"));
}

#[test]
fn removal_needs_a_reason_and_keeps_the_record() {
    let db = Db::open_in_memory().unwrap();
    let id = add(&db, "A1", "x", Some("10.0.0.1"));
    assert!(matches!(
        remove(db.conn(), id, 1, "  ", &stamp()),
        Err(SaveError::NeedsReason)
    ));
    remove(db.conn(), id, 1, "重复登记", &stamp()).unwrap();
    let device = get(db.conn(), id).unwrap().unwrap();
    assert!(device.removed);
    assert_eq!(
        list_ids(db.conn(), &ListQuery::default()).unwrap(),
        Vec::<i64>::new()
    );
    let all = ListQuery {
        archived: true,
        ..ListQuery::default()
    };
    assert_eq!(list_ids(db.conn(), &all).unwrap(), vec![id]);
    assert_eq!(
        device_log::history(db.conn(), id).unwrap()[0].reason,
        "重复登记"
    );
    // The address is free again; the tag stays taken.
    add(&db, "A2", "y", Some("10.0.0.1"));
    assert!(tag_taken(db.conn(), "a1", None).unwrap());
}

#[test]
fn the_list_filters_searches_and_sorts() {
    let db = Db::open_in_memory().unwrap();
    let mut core = record("SW-01", "核心交换机", Some("10.0.0.10"));
    core.category = Category::Switch;
    core.location = "机房A-机柜01-U40".into();
    let core = insert(db.conn(), &core, EventKind::Created, &stamp()).unwrap();
    let mut web = record("SV-02", "Web 服务器", Some("10.0.0.9"));
    web.category = Category::Server;
    web.location = "机房B-机柜02".into();
    web.owner = "李四".into();
    let web = insert(db.conn(), &web, EventKind::Created, &stamp()).unwrap();
    let plain = add(&db, "PC-03", "办公电脑", None);
    let ids = |q: ListQuery| list_ids(db.conn(), &q).unwrap();
    assert_eq!(ids(ListQuery::default()), vec![plain, web, core]);
    let by_ip = ListQuery {
        sort: SortKey::Ip,
        ..ListQuery::default()
    };
    assert_eq!(ids(by_ip.clone()), vec![web, core, plain]);
    assert_eq!(
        ids(ListQuery {
            descending: true,
            ..by_ip
        }),
        vec![plain, core, web]
    );
    let search = |text: &str| {
        ids(ListQuery {
            search: text.into(),
            ..ListQuery::default()
        })
    };
    assert_eq!(search("交换"), vec![core]);
    assert_eq!(search("web"), vec![web]);
    assert_eq!(search("李四 机房b"), vec![web]);
    assert_eq!(search("服务器"), vec![web]);
    assert_eq!(search("switch"), vec![core]);
    assert_eq!(search("10.0.0.1"), vec![core]);
    assert_eq!(search("nothing"), Vec::<i64>::new());
    let room = ListQuery {
        location: Some("机房A".into()),
        ..ListQuery::default()
    };
    assert_eq!(ids(room), vec![core]);
    assert_eq!(rooms(db.conn()).unwrap(), vec!["机房A", "机房B"]);
    let servers = ListQuery {
        category: Some(Category::Server),
        ..ListQuery::default()
    };
    assert_eq!(ids(servers), vec![web]);
    let shown = by_ids(db.conn(), &[core, web]).unwrap();
    assert_eq!(shown[0].id, core);
    assert_eq!(shown[1].record.owner, "李四");
}

#[test]
fn the_next_free_tag_steps_over_numbers_of_another_width() {
    let db = Db::open_in_memory().unwrap();
    // Two digits, then three from 100 on: by the index "A-99" sorts above "A-160".
    for n in (100..=160).chain(50..=99) {
        add(&db, &format!("A-{n}"), "PC", None);
    }
    let next = next_free_tag(db.conn(), Category::Other).unwrap();
    assert_eq!(next.as_deref(), Some("A-161"));
    add(&db, "B-0007", "PC", None);
    let next = next_free_tag(db.conn(), Category::Other).unwrap();
    assert_eq!(
        next.as_deref(),
        Some("B-0008"),
        "the newest device's pattern"
    );
}

#[test]
fn a_line_by_hand_is_of_its_kinds_not_after_today_and_never_on_a_removed_device() {
    use crate::db::device_log::{LineError, write_line};
    let db = Db::open_in_memory().unwrap();
    let id = add(&db, "A1", "x", None);
    let today = stamp().at.date();
    let line = |kind, on, text: &str| write_line(db.conn(), id, kind, on, text, &stamp());
    assert!(matches!(
        line(EventKind::Edited, today, "x"),
        Err(LineError::NotByHand)
    ));
    assert!(matches!(
        line(EventKind::Use, today, "  "),
        Err(LineError::NeedsText)
    ));
    let tomorrow = today.succ_opt().unwrap();
    assert!(matches!(
        line(EventKind::Use, tomorrow, "x"),
        Err(LineError::BadDay)
    ));
    assert!(matches!(
        line(EventKind::Use, today, "a\u{1b}[2J"),
        Err(LineError::Text(_))
    ));
    for &kind in EventKind::BY_HAND {
        line(kind, today, "装了 Office 2021").unwrap();
    }
    let history = device_log::history(db.conn(), id).unwrap();
    assert_eq!(
        history.len(),
        7,
        "six lines and the entry that added the device"
    );
    assert_eq!(history[0].by, "张三");
    remove(db.conn(), id, 1, "录入错误", &stamp()).unwrap();
    assert!(matches!(
        line(EventKind::Use, today, "x"),
        Err(LineError::Removed)
    ));
}

/// A database of version 19 takes the new kinds of history line after the upgrade: the CHECK
/// is widened in place, and every table that refers to the history stays as it was.
#[test]
fn the_upgrade_to_version_20_lets_the_history_book_take_lines_by_hand() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    crate::db::audit::chain::register(&conn).unwrap();
    let sections = crate::db::migrate::sections();
    for (index, section) in sections[..19].iter().enumerate() {
        conn.execute_batch(section).unwrap();
        crate::db::migrate::after_section(&conn, index + 1).unwrap();
    }
    crate::db::audit::install_triggers(&conn).unwrap();
    conn.pragma_update(None, "user_version", 19).unwrap();
    let refused = conn.execute(
        "INSERT INTO device_events (device_id, kind, effective_on, created_at, created_by,
             updated_at, updated_by) VALUES (1, 'maintenance', '2026-01-01', 'x', 'x', 'x', 'x')",
        [],
    );
    assert!(refused.is_err(), "version 19 has no such kind");
    crate::db::migrate::migrate(&mut conn).unwrap();
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'device_events'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(sql.contains("'software_removed', 'use', 'other')"), "{sql}");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let old = conn.execute(
        "INSERT INTO device_events (device_id, kind, effective_on, created_at, created_by,
             updated_at, updated_by) VALUES (1, 'bogus', '2026-01-01', 'x', 'x', 'x', 'x')",
        [],
    );
    assert!(
        old.is_err(),
        "the CHECK still refuses what no version knows"
    );
}
