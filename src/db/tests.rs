use std::path::Path;
use std::sync::{Arc, Barrier};

use rusqlite::Connection;

use super::*;
use crate::db::migrate::{APPLICATION_ID, SCHEMA, VERSION, migrate};

fn refusal(path: &Path) -> UserError {
    match Db::open(path) {
        Ok(_) => panic!("{} was opened but should have been refused", path.display()),
        Err(e) => e,
    }
}

/// Opening `contents` must fail and leave the file exactly as it was.
fn refused_untouched(contents: &[u8]) -> UserError {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    std::fs::write(&path, contents).unwrap();
    let err = refusal(&path);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        contents,
        "refused file was modified"
    );
    err
}

fn stamp() -> Stamp {
    Stamp::new(
        "测试员",
        chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    )
}

#[test]
fn new_file_gets_schema_wal_and_full_sync() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let db = Db::open(&path).unwrap();
    let c = db.conn();
    let pragma = |name: &str| {
        c.pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
            .unwrap()
    };
    assert_eq!(
        pragma("user_version"),
        rusqlite::types::Value::Integer(VERSION)
    );
    assert_eq!(
        pragma("application_id"),
        rusqlite::types::Value::Integer(APPLICATION_ID.into())
    );
    assert_eq!(
        pragma("journal_mode"),
        rusqlite::types::Value::Text("wal".into())
    );
    assert_eq!(
        pragma("synchronous"),
        rusqlite::types::Value::Integer(2),
        "FULL is 2"
    );
    assert_eq!(pragma("foreign_keys"), rusqlite::types::Value::Integer(1));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// One small save, as an operator's.
fn save_a_department(db: &mut Db) -> rusqlite::Result<usize> {
    db.write(|tx| {
        tx.execute(
            "INSERT INTO departments (name, created_at, created_by, updated_at, updated_by)
             VALUES ('网络中心', '2026-11-22 08:00:00', 't', '2026-11-22 08:00:00', 't')",
            [],
        )
    })
}

#[test]
fn a_save_waits_for_another_programs_write_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut db = Db::open(&path).unwrap();
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        other.execute_batch("COMMIT").unwrap();
    });
    let saved = save_a_department(&mut db);
    holder.join().unwrap();
    assert_eq!(saved.unwrap(), 1, "saved once the other write was done");
}

/// An import's one transaction may hold the lock for minutes: a save waits past the usual
/// ten seconds while the importer runs, and says once what it waits for.
#[test]
fn a_save_waits_for_an_import_past_the_usual_wait_and_says_so() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut db = Db::open(&path).unwrap();
    let told = Arc::new(AtomicUsize::new(0));
    let heard = told.clone();
    let this = path.clone();
    // The notice is the process's; other tests' waits are told to it too.
    super::importing::on_wait(move |waited_on| {
        if waited_on == this {
            heard.fetch_add(1, Ordering::SeqCst);
        }
    });
    let importer = Connection::open(&path).unwrap();
    let mark = super::importing::Mark::set(Some(&path)).unwrap();
    importer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(BUSY_TIMEOUT + std::time::Duration::from_secs(1));
        importer.execute_batch("COMMIT").unwrap();
        drop(mark);
    });
    let saved = save_a_department(&mut db);
    holder.join().unwrap();
    assert_eq!(saved.unwrap(), 1, "saved once the import was done");
    assert_eq!(told.load(Ordering::SeqCst), 1, "said once");
}

#[test]
fn reopening_keeps_data_and_does_not_migrate_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    {
        let db = Db::open(&path).unwrap();
        directory::ensure_department(db.conn(), "信息中心", true, &stamp()).unwrap();
    }
    let db = Db::open(&path).unwrap();
    assert_eq!(directory::counts(db.conn()).unwrap(), (1, 0));
}

/// Every table, index and trigger definition, in a stable order.
fn objects(c: &Connection) -> Vec<String> {
    c.prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn schema_applies_twice_cleanly() {
    let mut db = Db::open_in_memory().unwrap();
    migrate(db.conn_mut()).unwrap();
    migrate(db.conn_mut()).unwrap();
    // The raw schema text on a blank database creates every object without error.
    let blank = Connection::open_in_memory().unwrap();
    blank.execute_batch(SCHEMA).unwrap();
    // The search indexes and the audit triggers are generated, not written out in the text,
    // and versions 20 and 21 widen a CHECK by code.
    search::install(&blank).unwrap();
    audit::install_triggers(&blank).unwrap();
    crate::db::migrate::after_section(&blank, 20).unwrap();
    crate::db::migrate::after_section(&blank, 21).unwrap();
    assert_eq!(objects(db.conn()), objects(&blank));
}

#[test]
fn upgrading_from_every_older_version_gives_the_new_schema() {
    let fresh = Db::open_in_memory().unwrap();
    let sections = crate::db::migrate::sections();
    assert_eq!(sections.len() as i64, VERSION);
    for old in 1..VERSION {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::audit::chain::register(&conn).unwrap();
        // Made as that version's own binary made it: each section, then what comes with it.
        for (index, section) in sections[..old as usize].iter().enumerate() {
            conn.execute_batch(section).unwrap();
            crate::db::migrate::after_section(&conn, index + 1).unwrap();
        }
        conn.pragma_update(None, "user_version", old).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(objects(&conn), objects(fresh.conn()), "from version {old}");
        assert_eq!(user_version(&conn), VERSION);
    }
}

#[test]
fn every_table_carries_who_when_and_row_version() {
    let db = Db::open_in_memory().unwrap();
    // The audit log's rows are never changed: they carry their own `at` and `operator`.
    let tables = audit::audited_tables(db.conn()).unwrap();
    assert!(tables.len() > 10, "{tables:?}");
    // The user-use log is written once and never changed or retired, like the audit log.
    for table in tables.into_iter().filter(|t| t != "account_events") {
        let columns: Vec<String> = db
            .conn()
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for needed in [
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
            "row_version",
            "retired_at",
        ] {
            assert!(
                columns.iter().any(|c| c == needed),
                "table {table} lacks {needed}"
            );
        }
    }
}

#[test]
fn foreign_keys_are_enforced() {
    let db = Db::open_in_memory().unwrap();
    let err = directory::ensure_person(db.conn(), "王芳", 999, &[], None, &stamp());
    assert!(
        err.is_err(),
        "a person in a missing department was accepted"
    );
}

#[test]
fn refuses_garbage() {
    let err = refused_untouched(b"this is just some text, not a database at all\n");
    assert!(matches!(err, UserError::NotSqlite { .. }), "{err:?}");
    assert!(err.to_string().contains("\"this is just som\""), "{err}");
}

/// A proxy's error page saved as the database, and a file too short to be one.
#[test]
fn refuses_html_and_a_short_file() {
    for bytes in [
        &b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"[..],
        b"SQLite",
    ] {
        let err = refused_untouched(bytes);
        assert!(matches!(err, UserError::NotSqlite { .. }), "{err:?}");
    }
}

#[test]
fn refuses_an_existing_empty_file() {
    let err = refused_untouched(b"");
    assert!(matches!(err, UserError::EmptyFile { .. }), "{err:?}");
}

#[test]
fn refuses_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let err = refusal(dir.path());
    assert!(matches!(err, UserError::IsDirectory { .. }), "{err:?}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "something was written into the folder"
    );
}

#[test]
fn refuses_a_path_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain.txt");
    std::fs::write(&file, "x").unwrap();
    let err = refusal(&file.join("j.db"));
    assert!(matches!(err, UserError::Unreadable { .. }), "{err:?}");
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn refuses_a_missing_folder_instead_of_creating_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = refusal(&dir.path().join("typo").join("j.db"));
    assert!(matches!(err, UserError::NoParent { .. }), "{err:?}");
    assert!(!dir.path().join("typo").exists());
}

#[test]
fn refuses_an_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.db");
    drop(Db::open(&path).unwrap());
    let before = std::fs::read(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&path).is_ok() {
        // Running as root: permissions do not stop reads, so make the file unreadable the way
        // root also cannot get past: a path whose folder part is a file.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = refusal(&path.join("inner.db"));
        assert!(matches!(err, UserError::Unreadable { .. }), "{err:?}");
    } else {
        let err = refusal(&path);
        assert!(matches!(err, UserError::Unreadable { .. }), "{err:?}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn refuses_a_database_from_a_newer_jifang() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Db::open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
        c.pragma_update(None, "user_version", VERSION + 1).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = refusal(&path);
    assert!(
        matches!(err, UserError::TooNew { found, .. } if found == VERSION + 1),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn refuses_another_programs_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = refusal(&path);
    assert!(matches!(err, UserError::Foreign { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn two_processes_creating_one_file_do_not_collide() {
    let dir = tempfile::tempdir().unwrap();
    let path = Arc::new(dir.path().join("race.db"));
    for _ in 0..5 {
        let _ = std::fs::remove_file(&*path);
        let barrier = Arc::new(Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Db::open(&path).map(|_| ()).map_err(|e| e.to_string())
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap().unwrap();
        }
        let db = Db::open(&path).unwrap();
        assert_eq!(user_version(db.conn()), VERSION);
    }
}

/// A new file another program holds the write lock on: SQLite answers the switch to WAL with
/// an immediate BUSY (its deadlock rule skips the busy handler), and the open asks again until
/// the lock is let go, as it waits for any writer.
#[test]
fn opening_a_new_file_another_program_is_writing_waits_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    // As a new file is made: whole and migrated, not yet in WAL mode.
    super::create_new(&path).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        other.execute_batch("COMMIT").unwrap();
    });
    let opened = Db::open(&path).map(|_| ()).map_err(|e| e.to_string());
    release.join().unwrap();
    assert_eq!(opened, Ok(()));
}

#[test]
fn two_writers_wait_for_each_other_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut first = Db::open(&path).unwrap();
    let tx = first.conn_mut().transaction().unwrap();
    directory::ensure_department(&tx, "办公室", false, &stamp()).unwrap();
    let second_path = path.clone();
    let second = std::thread::spawn(move || {
        let mut db = Db::open(&second_path).unwrap();
        let tx = db.conn_mut().transaction()?;
        directory::ensure_department(&tx, "教务处", false, &stamp())?;
        tx.commit()
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    tx.commit().unwrap();
    second
        .join()
        .unwrap()
        .expect("the second writer should wait, not fail");
    assert_eq!(directory::counts(first.conn()).unwrap(), (2, 0));
}

#[test]
fn record_count_and_health() {
    let db = Db::open_in_memory().unwrap();
    assert_eq!(db.record_count().unwrap(), 0);
    let dept = directory::ensure_department(db.conn(), "后勤处", false, &stamp()).unwrap();
    assert!(directory::ensure_person(db.conn(), "赵敏", dept, &[], None, &stamp()).unwrap());
    assert!(!directory::ensure_person(db.conn(), "赵敏", dept, &[], None, &stamp()).unwrap());
    assert_eq!(db.record_count().unwrap(), 2);
    assert_eq!(db.health_problems().unwrap(), vec![]);
    db.conn()
        .pragma_update(None, "foreign_keys", "OFF")
        .unwrap();
    db.conn()
        .execute("UPDATE people SET department_id = 77", [])
        .unwrap();
    assert_eq!(
        db.health_problems().unwrap(),
        vec![Problem::DanglingReference {
            table: "people".into(),
            row: Some(1),
            parent: "departments".into()
        }]
    );
}

/// History lines written before version 17, each with its own id and stamp, read back after
/// the upgrade in the order they were written, in the history book and in the register of a
/// past day; the lean lines keep no stamp of their own.
#[test]
fn history_lines_from_before_version_17_read_back_in_their_order() {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::db::audit::chain::register(&conn).unwrap();
    for (index, section) in crate::db::migrate::sections()[..16].iter().enumerate() {
        conn.execute_batch(section).unwrap();
        crate::db::migrate::after_section(&conn, index + 1).unwrap();
    }
    crate::db::audit::install_triggers(&conn).unwrap();
    conn.execute_batch(
        "INSERT INTO devices (asset_tag, name, location, created_at, created_by, updated_at,
             updated_by) VALUES ('JF-001', '核心交换机', '机房B', '2020-01-01 08:00:00', '老王',
             '2020-03-01 08:00:00', '老王');
         INSERT INTO device_events (id, device_id, kind, effective_on, created_at, created_by,
             updated_at, updated_by) VALUES
             (1, 1, 'created', '2020-01-01', '2020-01-01 08:00:00', '老王', '2020-01-01 08:00:00', '老王'),
             (2, 1, 'transferred', '2020-03-01', '2020-03-01 08:00:00', '老王', '2020-03-01 08:00:00', '老王');
         INSERT INTO device_event_changes (id, event_id, field, old_value, new_value, created_at,
             created_by, updated_at, updated_by) VALUES
             (7, 1, 'name', '', '核心交换机', '2020-01-01 08:00:00', '老王', '2020-01-01 08:00:00', '老王'),
             (8, 1, 'asset_tag', '', 'JF-001', '2020-01-01 08:00:00', '老王', '2020-01-01 08:00:00', '老王'),
             (9, 1, 'location', '', '机房A', '2020-01-01 08:00:00', '老王', '2020-01-01 08:00:00', '老王'),
             (10, 2, 'location', '机房A', '机房B', '2020-03-01 08:00:00', '老王', '2020-03-01 08:00:00', '老王');",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 16).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    migrate(&mut conn).unwrap();

    let history = device_log::history(&conn, 1).unwrap();
    let lines = |i: usize| -> Vec<(String, String, String)> {
        history[i]
            .changes
            .iter()
            .map(|c| (c.field.clone(), c.old.clone(), c.new.clone()))
            .collect()
    };
    assert_eq!(
        lines(1),
        [
            ("name".into(), String::new(), "核心交换机".into()),
            ("asset_tag".into(), String::new(), "JF-001".into()),
            ("location".into(), String::new(), "机房A".into()),
        ]
    );
    assert_eq!(
        lines(0),
        [("location".into(), "机房A".into(), "机房B".into())]
    );
    let in_february =
        month::at_end_of(&conn, chrono::NaiveDate::from_ymd_opt(2020, 2, 29).unwrap()).unwrap();
    assert_eq!(in_february.len(), 1);
    assert_eq!(in_february[0].location, "机房A");
    let columns: Vec<String> = audit::columns_of(&conn, "device_event_changes").unwrap();
    assert_eq!(
        columns,
        ["event_id", "seq", "field", "old_value", "new_value"]
    );
}

/// The schema version a file says it has.
fn user_version(conn: &rusqlite::Connection) -> i64 {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

/// Only `src/db/` speaks SQL: the layers above ask it for data, so a schema change is made in
/// one layer and a query's cost is seen in one place. Tests may set up what they need.
#[test]
fn no_file_outside_db_holds_sql() {
    let src = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let needles = [
        "SELECT ",
        "INSERT INTO",
        "UPDATE ",
        "DELETE FROM",
        "CREATE ",
        "pragma_",
        "execute_batch",
        ".prepare(",
        ".prepare_cached(",
    ];
    let mut found = Vec::new();
    for path in crate::i18n::tests::rust_files(src) {
        let name = path.display().to_string();
        let test_file = name.ends_with("tests.rs") || name.ends_with("testing.rs");
        if name.contains("/src/db/") || name.contains("/tests/") || test_file {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let comment = line.trim_start().starts_with("//");
            if !comment && needles.iter().any(|needle| line.contains(needle)) {
                found.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "SQL outside src/db/: {found:#?}");
}

/// A database of version 20 with the built-in templates of its day: the 5S in the weekly list
/// (W12), the stock-take in the yearly one (T01), one line for the UPS test (M01), and a signed
/// weekly run that answered the 5S.
#[test]
fn the_upgrade_to_21_moves_the_5s_and_the_stock_take_and_keeps_past_runs() {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::db::audit::chain::register(&conn).unwrap();
    let sections = crate::db::migrate::sections();
    for (index, section) in sections[..20].iter().enumerate() {
        conn.execute_batch(section).unwrap();
        crate::db::migrate::after_section(&conn, index + 1).unwrap();
    }
    conn.pragma_update(None, "user_version", 20).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.execute_batch(
        "INSERT INTO checklists (id, code, name_zh, name_en, period, run_log, position,
             active_from, created_at, created_by, updated_at, updated_by)
         VALUES (1, 'weekly', '每周', 'Weekly', 'week', 1, 2, '2026-01-01', 't', 't', 't', 't'),
                (2, 'monthly', '每月', 'Monthly', 'month', 0, 3, '2026-01-01', 't', 't', 't', 't'),
                (3, 'yearly', '年度', 'Yearly', 'year', 0, 5, '2026-01-01', 't', 't', 't', 't');
         INSERT INTO checklist_items (id, checklist_id, position, code, kind, text_zh, text_en,
             category, created_at, created_by, updated_at, updated_by)
         VALUES (1, 1, 1, 'W11', 'pass_fail', '防尘', 'Dust', '', 't', 't', 't', 't'),
                (2, 1, 2, 'W12', 'pass_fail', '周五下午机房 5S 已完成', '5S done', '', 't', 't', 't', 't'),
                (3, 2, 1, 'M01', 'pass_fail', 'UPS 测试及电池放电已完成',
                 'UPS test and battery discharge done', 'ups', 't', 't', 't', 't'),
                (4, 3, 1, 'T01', 'pass_fail', '清点', 'Stock-take', '', 't', 't', 't', 't'),
                (5, 3, 2, 'Y01', 'pass_fail', '年备份', 'Backup', '', 't', 't', 't', 't');
         INSERT INTO check_runs (id, checklist_id, period_start, run_log, signed_at, signed_by,
             created_at, created_by, updated_at, updated_by)
         VALUES (1, 1, '2026-11-09', 'ok', '2026-11-13 17:30:00', '赵敏', 't', 't', 't', 't');
         INSERT INTO check_results (id, run_id, item_id, position, outcome, created_at,
             created_by, updated_at, updated_by)
         VALUES (7, 1, 1, 1, 'pass', 't', 't', 't', 't'), (8, 1, 2, 2, 'pass', 't', 't', 't', 't');",
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    assert_eq!(user_version(&conn), VERSION);
    let live = |list: i64| -> Vec<String> {
        checklists::items(&conn, list)
            .unwrap()
            .into_iter()
            .map(|s| s.item.code)
            .collect()
    };
    assert_eq!(live(1), ["W11"], "the 5S left the weekly list");
    assert_eq!(live(3), ["Y01"], "the stock-take left the yearly list");
    let monthly = checklists::items(&conn, 2).unwrap();
    assert!(
        monthly[0].item.devices.is_some(),
        "the UPS test is per UPS now"
    );
    let codes: Vec<String> = checklists::list(&conn)
        .unwrap()
        .into_iter()
        .map(|c| c.code)
        .collect();
    assert!(codes.contains(&"5s".to_owned()) && codes.contains(&"semester".to_owned()));
    // The signed run kept both its answers, under their ids, W12 included.
    let run = crate::db::check_runs::load(&conn, 1).unwrap().unwrap();
    let kept: Vec<(i64, &str)> = run
        .lines
        .iter()
        .map(|l| (l.result_id, l.item.code.as_str()))
        .collect();
    assert_eq!(kept, [(7, "W11"), (8, "W12")]);
    assert!(run.is_signed());
    // The rebuilt results table is still locked by SQLite once its run is signed.
    assert!(
        conn.execute("UPDATE check_results SET note = 'x' WHERE id = 7", [])
            .is_err()
    );
}
