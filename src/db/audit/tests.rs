use chrono::NaiveDate;
use serde_json::json;

use super::*;
use crate::db::device_log::EventKind;
use crate::db::paging::Place;
use crate::db::repairs::{self, DeviceRef, NewRepair};
use crate::db::{Db, Stamp, devices};
use crate::domain::record::{Field, Record};
use crate::domain::repair::{FaultKind, Priority};
use crate::i18n::Lang;

fn stamp(by: &str, minute: u32) -> Stamp {
    let at = NaiveDate::from_ymd_opt(2026, 11, 22)
        .unwrap()
        .and_hms_opt(9, minute, 0)
        .unwrap();
    Stamp::new(by, at)
}

fn record(tag: &str, name: &str, location: &str) -> Record {
    let mut values: [String; 17] = Default::default();
    values[Field::AssetTag.index()] = tag.into();
    values[Field::Name.index()] = name.into();
    values[Field::Location.index()] = location.into();
    values[Field::Status.index()] = "in_use".into();
    Record::parse(&values).unwrap()
}

fn add(db: &mut Db, tag: &str, by: &str, minute: u32) -> i64 {
    db.write(|tx| {
        devices::insert(
            tx,
            &record(tag, "核心交换机", "A101"),
            EventKind::Created,
            &stamp(by, minute),
        )
    })
    .unwrap()
}

fn edit(db: &mut Db, id: i64, location: &str, by: &str, minute: u32) {
    let version = devices::get(db.conn(), id).unwrap().unwrap().row_version;
    let tag = devices::get(db.conn(), id)
        .unwrap()
        .unwrap()
        .record
        .asset_tag;
    db.write(|tx| {
        devices::update(
            tx,
            id,
            version,
            &record(&tag, "核心交换机", location),
            EventKind::Edited,
            &stamp(by, minute),
        )
    })
    .unwrap();
}

fn location(db: &Db, id: i64) -> Option<String> {
    devices::get(db.conn(), id)
        .unwrap()
        .map(|d| d.record.location)
}

#[test]
fn every_table_but_the_log_has_insert_update_and_delete_triggers() {
    let db = Db::open_in_memory().unwrap();
    let tables = audited_tables(db.conn()).unwrap();
    assert!(tables.len() >= 21, "{tables:?}");
    for table in tables {
        for what in ["insert", "update", "delete"] {
            let name = format!("audit_{table}_{what}");
            let found: i64 = db
                .conn()
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                    [&name],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(found, 1, "{name}");
        }
    }
}

#[test]
fn an_insert_and_an_edit_are_logged_with_who_when_and_the_changed_values() {
    let mut db = Db::open_in_memory().unwrap();
    let start = last_id(db.conn()).unwrap();
    let id = add(&mut db, "JF-001", "张三", 1);
    edit(&mut db, id, "B202", "李四", 2);
    let trail = trail(db.conn(), "devices", id).unwrap();
    assert_eq!(trail.len(), 2);
    let (edited, created) = (&trail[0], &trail[1]);
    assert_eq!(created.action, Action::Insert);
    assert_eq!(created.operator, "张三");
    assert_eq!(created.at, "2026-11-22 09:01:00");
    assert_eq!(created.new["asset_tag"], json!("JF-001"));
    assert_eq!(created.new["location"], json!("A101"));
    assert!(created.old.is_empty());
    assert_eq!(edited.action, Action::Update);
    assert_eq!(edited.operator, "李四");
    assert_eq!(edited.at, "2026-11-22 09:02:00");
    // Only what changed: the location, not the name or the bookkeeping columns.
    assert_eq!(edited.columns(), vec!["location"]);
    assert_eq!(edited.old["location"], json!("A101"));
    assert_eq!(edited.new["location"], json!("B202"));
    // The history entry written alongside is logged too; its change lines are not logged a
    // second time (the device's own row holds the same values).
    let mut tables = Vec::new();
    for_each(db.conn(), &Query::default(), |e| {
        if e.id > start {
            tables.push(e.table);
        }
        Ok(())
    })
    .unwrap();
    assert!(tables.iter().any(|t| t == "device_events"), "{tables:?}");
    assert!(
        !tables.iter().any(|t| t == "device_event_changes"),
        "{tables:?}"
    );
    // An insert's row holds what the device says, not its empty fields or bookkeeping.
    let mut inserted = None;
    for_each(db.conn(), &Query::default(), |e| {
        if e.table == "devices" && e.action == Action::Insert {
            inserted = Some(e);
        }
        Ok(())
    })
    .unwrap();
    let inserted = inserted.unwrap();
    assert_eq!(inserted.new["asset_tag"], json!("JF-001"));
    for absent in [
        "created_at",
        "updated_by",
        "row_version",
        "id",
        "notes",
        "retired_at",
    ] {
        assert!(!inserted.new.contains_key(absent), "{absent}: {inserted:?}");
    }
}

#[test]
fn a_write_from_any_program_is_logged_and_the_log_itself_refuses_change() {
    let mut db = Db::open_in_memory().unwrap();
    let id = add(&mut db, "JF-001", "张三", 1);
    // Another program (the sqlite3 shell) changes a value behind jifang's back.
    db.conn()
        .execute(
            "UPDATE devices SET name = '被改了', updated_by = 'sqlite3' WHERE id = ?1",
            [id],
        )
        .unwrap();
    let newest = &trail(db.conn(), "devices", id).unwrap()[0];
    assert_eq!(newest.operator, "sqlite3");
    assert_eq!(newest.new["name"], json!("被改了"));
    let before = last_id(db.conn()).unwrap();
    for sql in [
        "UPDATE audit_log SET operator = 'nobody'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ] {
        let err = db.conn().execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("audit rows are never"), "{sql}: {err}");
    }
    assert_eq!(last_id(db.conn()).unwrap(), before);
    let operators: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE operator = 'nobody'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(operators, 0);
}

#[test]
fn a_removal_is_logged_with_the_whole_old_row() {
    let db = Db::open_in_memory().unwrap();
    let id = crate::db::directory::ensure_department(db.conn(), "临时组", false, &stamp("张三", 1))
        .unwrap();
    db.conn()
        .execute("DELETE FROM departments WHERE id = ?1", [id])
        .unwrap();
    let removed = &trail(db.conn(), "departments", id).unwrap()[0];
    assert_eq!(removed.action, Action::Delete);
    assert!(removed.old.contains_key("created_at"));
    assert_eq!(removed.old["name"], json!("临时组"));
    assert!(removed.new.is_empty());
}

#[test]
fn undo_puts_an_edit_back_and_is_itself_logged() {
    let mut db = Db::open_in_memory().unwrap();
    let id = add(&mut db, "JF-001", "张三", 1);
    let since = last_id(db.conn()).unwrap();
    edit(&mut db, id, "B202", "张三", 2);
    let undone = db
        .write(|tx| undo_last(tx, "张三", since, &[], &stamp("张三", 3), true))
        .unwrap();
    assert_eq!(undone.at, "2026-11-22 09:02:00");
    assert_eq!(undone.table, "devices");
    assert_eq!(undone.record_id, id);
    assert_eq!(
        undone.name.as_deref(),
        Some("JF-001"),
        "named as the operator knows it"
    );
    assert_eq!(location(&db, id).as_deref(), Some("A101"));
    let newest = &trail(db.conn(), "devices", id).unwrap()[0];
    assert_eq!(newest.at, "2026-11-22 09:03:00");
    assert_eq!(newest.new["location"], json!("A101"));
    // Once undone (and the undo itself skipped), there is nothing older in this session.
    let skip = [undone.at.clone(), "2026-11-22 09:03:00".to_owned()];
    let again = db.write(|tx| undo_last(tx, "张三", since, &skip, &stamp("张三", 4), true));
    assert!(matches!(again, Err(UndoError::Nothing)), "{again:?}");
}

#[test]
fn undo_of_an_addition_takes_the_device_and_its_history_away() {
    let mut db = Db::open_in_memory().unwrap();
    let since = last_id(db.conn()).unwrap();
    let id = add(&mut db, "JF-009", "张三", 1);
    let undone = db
        .write(|tx| undo_last(tx, "张三", since, &[], &stamp("张三", 2), true))
        .unwrap();
    assert_eq!(undone.record_id, id);
    assert_eq!(location(&db, id), None);
    let history: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM device_events WHERE device_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(history, 0, "the history entry of the addition goes with it");
    assert_eq!(
        undone.rows, 2,
        "the device and its history entry: {undone:?}"
    );
    let lines: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM device_event_changes", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(lines, 0, "the entry's change lines go with it");
    let removed = &trail(db.conn(), "devices", id).unwrap()[0];
    assert_eq!(removed.action, Action::Delete);
    assert_eq!(removed.operator, "张三");
    assert_eq!(removed.at, "2026-11-22 09:02:00");
}

#[test]
fn undo_is_refused_when_someone_else_changed_the_record_since() {
    let mut db = Db::open_in_memory().unwrap();
    let id = add(&mut db, "JF-001", "张三", 1);
    let since = last_id(db.conn()).unwrap();
    edit(&mut db, id, "B202", "张三", 2);
    edit(&mut db, id, "C303", "李四", 3);
    let err = db
        .write(|tx| undo_last(tx, "张三", since, &[], &stamp("张三", 4), true))
        .unwrap_err();
    assert!(matches!(err, UndoError::ChangedSince { .. }), "{err:?}");
    let text = err.message(Lang::En);
    assert!(text.contains("李四") && text.contains("09:03"), "{text}");
    assert_eq!(location(&db, id).as_deref(), Some("C303"));
}

#[test]
fn undo_never_deletes_a_permanent_log_and_leaves_everything_as_it_was() {
    let mut db = Db::open_in_memory().unwrap();
    let id = add(&mut db, "JF-001", "张三", 1);
    let since = last_id(db.conn()).unwrap();
    let new = NewRepair {
        device: DeviceRef::Registered(id),
        reporter: "王五".into(),
        department: String::new(),
        reported_at: stamp("张三", 2).at,
        kind: FaultKind::Hardware,
        description: "不通电".into(),
        priority: Priority::Normal,
        check_result_id: None,
    };
    db.write(|tx| repairs::report(tx, &new, &stamp("张三", 2)))
        .unwrap();
    let logged = last_id(db.conn()).unwrap();
    let err = db
        .write(|tx| undo_last(tx, "张三", since, &[], &stamp("张三", 3), true))
        .unwrap_err();
    assert!(matches!(err, UndoError::Refused { .. }), "{err:?}");
    assert!(err.message(Lang::Zh).contains("无法撤销"));
    assert_eq!(last_id(db.conn()).unwrap(), logged, "nothing half-undone");
    assert_eq!(
        devices::get(db.conn(), id).unwrap().unwrap().record.status,
        crate::domain::device::Status::UnderRepair
    );
}

#[test]
fn a_query_filters_by_day_and_table() {
    let mut db = Db::open_in_memory().unwrap();
    add(&mut db, "JF-001", "张三", 1);
    let count = |query: &Query| {
        let mut n = 0;
        for_each(db.conn(), query, |_| {
            n += 1;
            Ok(())
        })
        .unwrap();
        n
    };
    let devices_only = Query {
        table: Some("devices".into()),
        ..Query::default()
    };
    assert_eq!(count(&devices_only), 1, "one insert carrying every value");
    // The devices' rows: the log's own first row (the chain's start) is stamped with the real
    // day the database was made.
    let tomorrow = Query {
        since: NaiveDate::from_ymd_opt(2026, 11, 23),
        table: Some("devices".into()),
        ..Query::default()
    };
    assert_eq!(count(&tomorrow), 0);
    let today = Query {
        since: NaiveDate::from_ymd_opt(2026, 11, 22),
        ..Query::default()
    };
    assert!(count(&today) >= 3);
}

/// Not audited a second time, a history entry's change lines are protected instead.
#[test]
fn history_lines_are_never_changed_and_go_only_with_their_entry() {
    let mut db = Db::open_in_memory().unwrap();
    add(&mut db, "JF-001", "张三", 1);
    let conn = db.conn();
    assert!(
        conn.execute("UPDATE device_event_changes SET new_value = 'x'", [])
            .is_err()
    );
    assert!(
        conn.execute("DELETE FROM device_event_changes", [])
            .is_err()
    );
    let lines: i64 = conn
        .query_row("SELECT count(*) FROM device_event_changes", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(lines > 0);
}

/// Rows logged before schema 16 hold the whole new row, bookkeeping included; the trail and
/// `jifang audit` read them as they read the lean ones.
#[test]
fn old_and_new_shaped_insert_rows_read_alike() {
    let mut db = Db::open_in_memory().unwrap();
    let id = add(&mut db, "JF-001", "张三", 1);
    let lean = &trail(db.conn(), "devices", id).unwrap()[0];
    db.conn()
        .execute(
            "INSERT INTO audit_log (at, operator, table_name, record_id, action, new_values)
             VALUES ('2019-07-03 09:00:00', '老王', 'devices', 999, 'insert', json_object(
                 'id', 999, 'asset_tag', 'JF-001', 'name', '核心交换机', 'location', 'A101',
                 'status', 'in_use', 'notes', '', 'created_at', '2019-07-03 09:00:00',
                 'created_by', '老王', 'updated_at', '2019-07-03 09:00:00',
                 'updated_by', '老王', 'row_version', 1))",
            [],
        )
        .unwrap();
    let old = &trail(db.conn(), "devices", 999).unwrap()[0];
    let fields = |e: &Entry| -> Vec<String> {
        let mut names: Vec<String> = e.changes().into_iter().map(|c| c.column).collect();
        names.sort();
        names
    };
    assert_eq!(fields(old), ["asset_tag", "location", "name", "status"]);
    assert!(
        fields(lean).starts_with(&["asset_tag".to_owned()]),
        "{lean:?}"
    );
    assert!(!old.outside && !lean.outside);
}

/// The whole log as a list: newest first, filtered by table, operator, day and record, and
/// read on past a row to the same rows an offset gives.
#[test]
fn the_log_lists_newest_first_filters_and_reads_on_past_a_row() {
    let mut db = Db::open_in_memory().unwrap();
    let a = add(&mut db, "JF-SW-0001", "王磊", 1);
    let b = add(&mut db, "JF-SW-0002", "赵平", 2);
    edit(&mut db, a, "B202", "赵平", 3);
    edit(&mut db, b, "C303", "王磊", 4);
    let conn = db.conn();
    let all = log::LogQuery::default();
    let n = log::count(conn, &all).unwrap();
    let whole = log::rows(conn, &all, Place::top(0), n).unwrap();
    assert_eq!(whole.len(), n);
    assert!(whole.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    // Reading on from any row, either way, gives what the offset gives.
    for at in 1..n - 1 {
        let on = log::rows(conn, &all, Place::After(whole[at].id), 2).unwrap();
        let ids: Vec<i64> = on.iter().map(|e| e.id).collect();
        let want: Vec<i64> = whole[at + 1..(at + 3).min(n)]
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, want, "after row {at}");
        let back = log::rows(conn, &all, Place::Before(whole[at].id), at.min(2)).unwrap();
        let ids: Vec<i64> = back.iter().map(|e| e.id).collect();
        let want: Vec<i64> = whole[at - at.min(2)..at].iter().map(|e| e.id).collect();
        assert_eq!(ids, want, "before row {at}");
    }
    // Read from the far end where it is nearer: the same rows, newest first.
    for offset in 0..n {
        let of = Some(n);
        let near = log::rows(conn, &all, Place::Down { offset, of }, 2).unwrap();
        let ids: Vec<i64> = near.iter().map(|e| e.id).collect();
        let want: Vec<i64> = whole[offset..(offset + 2).min(n)]
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, want, "window at {offset}");
    }
    let last: Vec<i64> = log::rows(conn, &all, Place::End, 2)
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(last, vec![whole[n - 2].id, whole[n - 1].id]);
    // By operator and table: 赵平's device rows are the addition of b and the edit of a.
    let zhao = log::LogQuery {
        table: Some("devices".into()),
        operator: Some("赵平".into()),
        ..Default::default()
    };
    let rows = log::rows(conn, &zhao, Place::top(0), 10).unwrap();
    let seen: Vec<(i64, Action)> = rows.iter().map(|e| (e.record_id, e.action)).collect();
    assert_eq!(seen, vec![(a, Action::Update), (b, Action::Insert)]);
    assert_eq!(log::count(conn, &zhao).unwrap(), 2);
    // By record, named as the operator knows it.
    let named = log::find_record(conn, "jf-sw-0002").unwrap();
    assert_eq!(named, Some(("devices".to_owned(), b)));
    assert_eq!(log::find_record(conn, "JF-XX-9999").unwrap(), None);
    let one = log::LogQuery {
        record: named,
        ..Default::default()
    };
    let rows = log::rows(conn, &one, Place::top(0), 10).unwrap();
    assert!(
        rows.iter()
            .all(|e| e.table == "devices" && e.record_id == b)
    );
    assert_eq!(rows.len(), 2);
    // By day: the four saves were on 2026-11-22 (the chain's first row is stamped when the
    // file was made), none the day after.
    let day = |d: u32| log::LogQuery {
        day: NaiveDate::from_ymd_opt(2026, 11, d),
        ..Default::default()
    };
    let on_22 = whole
        .iter()
        .filter(|e| e.at.starts_with("2026-11-22"))
        .count();
    assert!(on_22 >= 4);
    assert_eq!(log::count(conn, &day(22)).unwrap(), on_22);
    assert_eq!(log::count(conn, &day(23)).unwrap(), 0);
    // The chain's first row is jifang's own.
    assert_eq!(
        log::operators(conn).unwrap(),
        vec!["jifang", "王磊", "赵平"]
    );
}
