use rusqlite::Connection;

use super::*;
use crate::db::audit::{Query, for_each};
use crate::db::migrate::{self, APPLICATION_ID, VERSION};
use crate::db::{Db, Stamp, devices};
use crate::domain::record::{Field, Record};

fn stamp(minute: u32) -> Stamp {
    let at = chrono::NaiveDate::from_ymd_opt(2019, 7, 3)
        .unwrap()
        .and_hms_opt(9, minute, 0)
        .unwrap();
    Stamp::new("张三", at)
}

fn add(db: &mut Db, tag: &str, minute: u32) -> i64 {
    let mut values: [String; 17] = Default::default();
    values[Field::AssetTag.index()] = tag.into();
    values[Field::Name.index()] = "核心交换机".into();
    values[Field::Status.index()] = "in_use".into();
    let record = Record::parse(&values).unwrap();
    db.write(|tx| {
        devices::insert(
            tx,
            &record,
            crate::db::device_log::EventKind::Created,
            &stamp(minute),
        )
    })
    .unwrap()
}

/// A database on file with a few devices, and a plain connection to it: another program, which
/// has the permanent triggers but not jifang's seal.
fn file_with_devices() -> (tempfile::TempDir, Db, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut db = Db::open(&path).unwrap();
    for (i, tag) in ["JF-001", "JF-002", "JF-003"].iter().enumerate() {
        add(&mut db, tag, i as u32);
    }
    let other = Connection::open(&path).unwrap();
    (dir, db, other)
}

#[test]
fn a_database_jifang_wrote_verifies_whole() {
    let (_dir, db, _other) = file_with_devices();
    assert_eq!(verify(db.conn()).unwrap(), vec![]);
    assert_eq!(check_triggers(db.conn()).unwrap(), vec![]);
}

#[test]
fn an_edit_by_another_program_is_found_and_logged_at_the_real_time() {
    let (_dir, db, other) = file_with_devices();
    other
        .execute(
            "UPDATE devices SET location = '别处' WHERE asset_tag = 'JF-002'",
            [],
        )
        .unwrap();
    let found = verify(db.conn()).unwrap();
    let today = chrono::Local::now().date_naive().to_string();
    assert!(
        matches!(found.as_slice(), [Finding::Outside { count: 1, first_at, .. }]
            if first_at.starts_with(&today)),
        "{found:?}"
    );
    // The trail shows it apart from the addition it is stamped alike with.
    let id: i64 = db
        .conn()
        .query_row(
            "SELECT id FROM devices WHERE asset_tag = 'JF-002'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let trail = crate::db::audit::trail(db.conn(), "devices", id).unwrap();
    assert_eq!(trail.len(), 2, "{trail:?}");
    assert!(trail[0].outside && !trail[1].outside);
    let mut entries = Vec::new();
    let query = Query {
        table: Some("devices".into()),
        ..Query::default()
    };
    for_each(db.conn(), &query, |e| {
        entries.push(e);
        Ok(())
    })
    .unwrap();
    let last = entries.last().unwrap();
    assert!(last.outside, "{last:?}");
    assert_eq!(last.at, "2019-07-03 09:01:00", "the row's own stale stamp");
    assert!(last.when().starts_with(&today), "{last:?}");
    // The `--since today` view finds it.
    let since_today = Query {
        since: Some(chrono::Local::now().date_naive()),
        table: Some("devices".into()),
        ..Query::default()
    };
    let mut n = 0;
    for_each(db.conn(), &since_today, |_| {
        n += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(n, 1);
    assert!(entries[..entries.len() - 1].iter().all(|e| !e.outside));
}

#[test]
fn rows_removed_after_dropping_a_trigger_break_the_chain_and_the_trigger_is_put_back() {
    let (_dir, mut db, other) = file_with_devices();
    let ids: Vec<i64> = other
        .prepare("SELECT id FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        other
            .execute("DELETE FROM audit_log WHERE id = ?1", [ids[3]])
            .is_err(),
        "refused while the trigger stands"
    );
    other
        .execute_batch("DROP TRIGGER audit_log_no_delete")
        .unwrap();
    other
        .execute("DELETE FROM audit_log WHERE id = ?1", [ids[3]])
        .unwrap();
    let found = verify(db.conn()).unwrap();
    assert!(
        matches!(found.as_slice(), [Finding::Broken { id, .. }] if *id == ids[4]),
        "{found:?}"
    );
    assert_eq!(
        check_triggers(db.conn()).unwrap(),
        vec![Finding::TriggerMissing("audit_log_no_delete".into())]
    );
    let put_back = repair_triggers(db.conn_mut(), &stamp(30)).unwrap();
    assert_eq!(put_back, vec!["audit_log_no_delete".to_owned()]);
    assert_eq!(check_triggers(db.conn()).unwrap(), vec![]);
    let logged: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE table_name = ?1
             AND json_extract(new_values, '$.trigger') = 'audit_log_no_delete'",
            [TRIGGERS_TABLE],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 1, "the repair is itself in the log");
    assert!(
        other
            .execute("DELETE FROM audit_log WHERE id = ?1", [ids[5]])
            .is_err()
    );
}

#[test]
fn a_sealed_row_cannot_be_resealed_or_rewritten() {
    let (_dir, _db, other) = file_with_devices();
    let rewrite = other.execute(
        "UPDATE audit_log SET hash = zeroblob(32) WHERE id = (SELECT max(id) FROM audit_log)",
        [],
    );
    assert!(rewrite.is_err());
    let rewrite = other.execute(
        "UPDATE audit_log SET operator = 'x' WHERE id = (SELECT max(id) FROM audit_log)",
        [],
    );
    assert!(rewrite.is_err());
}

#[test]
fn a_backup_shows_when_rows_it_had_are_gone() {
    let (dir, mut db, other) = file_with_devices();
    let copy = dir.path().join("copy.db");
    crate::db::backup::copy_to(db.conn(), &copy).unwrap();
    let backup = Connection::open(&copy).unwrap();
    assert_eq!(against(db.conn(), &backup).unwrap(), None);
    add(&mut db, "JF-004", 9);
    assert_eq!(
        against(db.conn(), &backup).unwrap(),
        None,
        "new rows are fine"
    );
    other
        .execute_batch(
            "DROP TRIGGER audit_log_no_delete;
             DELETE FROM audit_log WHERE id >= (SELECT max(id) - 8 FROM audit_log);",
        )
        .unwrap();
    assert!(matches!(
        against(db.conn(), &backup).unwrap(),
        Some(Finding::BackupRowsGone { .. })
    ));
}

/// A database of version 14 with audit rows: the upgrade's first row covers them, and a
/// removal among them afterwards is found.
#[test]
fn rows_from_before_the_upgrade_are_covered_by_the_chains_first_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = Connection::open(&path).unwrap();
        for (index, section) in migrate::sections()[..14].iter().enumerate() {
            conn.execute_batch(section).unwrap();
            migrate::after_section(&conn, index + 1).unwrap();
        }
        for i in 0..50 {
            conn.execute(
                "INSERT INTO audit_log (at, operator, table_name, record_id, action, new_values)
                 VALUES ('2020-01-01 08:00:00', '老王', 'devices', ?1, 'insert', '{}')",
                [i],
            )
            .unwrap();
        }
        conn.pragma_update(None, "user_version", 14).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
    }
    const { assert!(VERSION >= 15) };
    let db = Db::open(&path).unwrap();
    assert_eq!(verify(db.conn()).unwrap(), vec![]);
    let covers: i64 = db
        .conn()
        .query_row(
            "SELECT json_extract(new_values, '$.covers') FROM audit_log WHERE table_name = ?1",
            [START_TABLE],
            |r| r.get(0),
        )
        .unwrap();
    assert!(covers >= 50, "{covers}");
    let other = Connection::open(&path).unwrap();
    other
        .execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 10;")
        .unwrap();
    let found = verify(db.conn()).unwrap();
    assert!(
        matches!(found.as_slice(), [Finding::OlderRowsChanged { covered, found }] if *found == covered - 1),
        "{found:?}"
    );
}

#[test]
fn writes_after_the_bulk_settings_are_sealed_too() {
    let (_dir, mut db, _other) = file_with_devices();
    db.prepare_bulk_writes().unwrap();
    add(&mut db, "JF-010", 40);
    assert_eq!(verify(db.conn()).unwrap(), vec![]);
}

/// A long upgrade says how far it has got, every 100,000 rows, and when it is done.
#[test]
fn the_chains_start_tells_how_many_older_rows_it_has_read() {
    let conn = Connection::open_in_memory().unwrap();
    register(&conn).unwrap();
    conn.execute_batch(
        "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL, operator TEXT NOT NULL,
             table_name TEXT NOT NULL, record_id INTEGER NOT NULL, action TEXT NOT NULL,
             old_values TEXT, new_values TEXT, clock_at TEXT, hash BLOB);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250000)
         INSERT INTO audit_log (at, operator, table_name, record_id, action, new_values)
         SELECT '2020-01-01 08:00:00', '老王', 'devices', i, 'insert', '{}' FROM n;",
    )
    .unwrap();
    let mut heard = Vec::new();
    start(&conn, "2026-12-03 09:00:00", &mut |rows, done| {
        heard.push((rows, done))
    })
    .unwrap();
    assert_eq!(
        heard,
        vec![(100_000, false), (200_000, false), (250_000, true)]
    );
    assert_eq!(verify(&conn).unwrap(), vec![]);
}
