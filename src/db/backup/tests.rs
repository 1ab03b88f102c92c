use crate::i18n::Lang;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::*;
use crate::db::Db;

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn demo_db(dir: &Path) -> Db {
    let mut db = Db::open(&dir.join("jifang.sqlite")).unwrap();
    let stamp = crate::db::Stamp::new(
        crate::db::demo::AUTHOR,
        day("2026-11-21").and_hms_opt(8, 0, 0).unwrap(),
    );
    crate::db::demo::fill(db.conn_mut(), &stamp).unwrap();
    db
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_backup_made_while_another_program_writes_is_whole_checked_and_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let devices_before = count(db.conn(), "devices");
    // Another operator keeps writing during the backup.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let path = dir.path().join("jifang.sqlite");
        std::thread::spawn(move || {
            let db = Db::open(&path).unwrap();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                db.conn()
                    .execute(
                        "UPDATE people SET name = name, phone = ?1, updated_by = 'w' WHERE id = 1",
                        [n.to_string()],
                    )
                    .unwrap();
                n += 1;
            }
            n
        })
    };
    let target = dir.path().join("b.sqlite");
    let copied = copy_to(db.conn(), &target).unwrap();
    stop.store(true, Ordering::Relaxed);
    assert!(writer.join().unwrap() > 0);
    assert_eq!(copied.path, target);
    assert!(copied.bytes > 100_000, "{copied:?}");
    assert_eq!(verify(&target).unwrap(), migrate::VERSION);
    assert!(std::fs::metadata(&target).unwrap().permissions().readonly());
    let copy = Connection::open_with_flags(&target, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    assert_eq!(count(&copy, "devices"), devices_before);
    let mode: String = copy
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "a backup is one self-contained file");
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");
    // An existing file is never overwritten.
    let again = copy_to(db.conn(), &target).unwrap_err();
    assert!(matches!(again, BackupError::Exists { .. }));
    assert!(again.message(Lang::En).contains("b.sqlite"));
}

#[test]
fn rotation_keeps_seven_days_twelve_months_and_every_year() {
    let names: Vec<String> = (1..=10)
        .map(|d| Kind::Daily.file_name(day(&format!("2026-11-{d:02}"))))
        .chain((1..=12).map(|m| Kind::Monthly.file_name(day(&format!("2025-{m:02}-01")))))
        .chain((1..=2).map(|m| Kind::Monthly.file_name(day(&format!("2026-{m:02}-01")))))
        .chain((2015..=2026).map(|y| Kind::Yearly.file_name(day(&format!("{y}-01-01")))))
        .chain([
            "notes.txt".to_owned(),
            "jifang-2026-11-01-120000.sqlite".to_owned(),
        ])
        .collect();
    assert_eq!(
        expired(&names, Kind::Daily),
        vec![
            "jifang-daily-2026-11-01.sqlite",
            "jifang-daily-2026-11-02.sqlite",
            "jifang-daily-2026-11-03.sqlite"
        ]
    );
    assert_eq!(
        expired(&names, Kind::Monthly),
        vec![
            "jifang-monthly-2025-01.sqlite",
            "jifang-monthly-2025-02.sqlite"
        ]
    );
    assert!(expired(&names, Kind::Yearly).is_empty());
}

#[test]
fn the_first_start_of_a_day_backs_up_once_and_rotates() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    for d in 10..=19 {
        let name = Kind::Daily.file_name(day(&format!("2026-11-{d}")));
        std::fs::write(backups.join(name), b"old").unwrap();
    }
    let first = daily(db.conn(), &backups, day("2026-11-22")).unwrap();
    let made: Vec<String> = first
        .made
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        made,
        [
            "jifang-daily-2026-11-22.sqlite",
            "jifang-monthly-2026-11.sqlite",
            "jifang-yearly-2026.sqlite"
        ]
    );
    assert_eq!(first.removed.len(), 4, "11 daily files, 7 kept");
    assert!(!backups.join("jifang-daily-2026-11-13.sqlite").exists());
    assert!(backups.join("jifang-daily-2026-11-14.sqlite").exists());
    for path in &first.made {
        verify(path).unwrap();
    }
    let second = daily(db.conn(), &backups, day("2026-11-22")).unwrap();
    assert_eq!(second, Daily::default(), "once a day");
    let next_day = daily(db.conn(), &backups, day("2026-11-23")).unwrap();
    assert_eq!(next_day.made.len(), 1, "the month and year have theirs");
}

#[test]
fn copies_left_half_made_by_a_killed_program_are_swept_but_not_one_being_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    let write = |name: &str, old: bool| {
        let path = backups.join(name);
        let file = std::fs::File::create(&path).unwrap();
        std::fs::write(&path, vec![0u8; 4096]).unwrap();
        if old {
            file.set_modified(two_hours_ago).unwrap();
        }
        path
    };
    let killed = write(".jifang-daily-2026-11-21.sqlite.partial-99999-0", true);
    let journal = write(
        ".jifang-daily-2026-11-21.sqlite.partial-99999-0-journal",
        true,
    );
    let running = write(".jifang-daily-2026-11-22.sqlite.partial-99998-0", false);
    let kept_by_operator = write("notes.txt", true);
    let done = daily(db.conn(), &backups, day("2026-11-22")).unwrap();
    assert!(!killed.exists() && !journal.exists());
    assert!(
        running.exists(),
        "another program's copy in the making stays"
    );
    assert!(kept_by_operator.exists(), "other files are never touched");
    assert!(done.removed.contains(&killed), "{:?}", done.removed);
    assert_eq!(done.made.len(), 3);
}

#[test]
fn verify_refuses_foreign_newer_and_damaged_files() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("foreign.sqlite");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    assert!(matches!(
        verify(&foreign),
        Err(BackupError::NotJifang { .. })
    ));
    let newer = dir.path().join("newer.sqlite");
    drop(Db::open(&newer).unwrap());
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", migrate::VERSION + 1)
        .unwrap();
    let err = verify(&newer).unwrap_err();
    assert!(matches!(err, BackupError::TooNew { .. }));
    assert!(err.message(Lang::Zh).contains("newer.sqlite"));
    let damaged = dir.path().join("damaged.sqlite");
    let db = demo_db(dir.path());
    copy_to(db.conn(), &damaged).unwrap();
    let mut bytes = std::fs::read(&damaged).unwrap();
    let mut permissions = std::fs::metadata(&damaged).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&damaged, permissions).unwrap();
    // Scribble over a page in the middle of a table.
    let page = bytes.len() / 4096 / 2 * 4096;
    for b in &mut bytes[page + 100..page + 3000] {
        *b = 0x5A;
    }
    std::fs::write(&damaged, bytes).unwrap();
    assert!(verify(&damaged).is_err());
}

#[test]
fn restore_puts_the_backup_back_under_a_program_that_keeps_the_file_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = demo_db(dir.path());
    let target = dir.path().join("b.sqlite");
    copy_to(db.conn(), &target).unwrap();
    let devices = count(db.conn(), "devices");
    let other = Db::open(&dir.path().join("jifang.sqlite")).unwrap();
    db.conn()
        .execute_batch("UPDATE devices SET name = 'x', updated_by = 'y';")
        .unwrap();
    restore_from(db.conn_mut(), &target).unwrap();
    let names: i64 = other
        .conn()
        .query_row("SELECT count(*) FROM devices WHERE name = 'x'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(names, 0, "the other program reads the restored data");
    assert_eq!(count(other.conn(), "devices"), devices);
    assert!(count(other.conn(), "device_event_changes") > 0);
    assert!(other.health_problems().unwrap().is_empty());
}

#[test]
fn a_full_disk_is_named_as_such() {
    let full = BackupError::Io {
        path: PathBuf::from("/backups/x.sqlite"),
        source: std::io::Error::from_raw_os_error(28),
    };
    assert!(
        full.message(Lang::En).contains("disk is full"),
        "{}",
        full.message(Lang::En)
    );
    assert!(full.message(Lang::Zh).contains("磁盘已满"));
}

#[test]
fn two_backups_in_one_second_both_succeed_under_their_own_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("jifang.sqlite")).unwrap();
    let at = day("2026-11-21").and_hms_opt(9, 30, 15).unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let first = copy_to_new(db.conn(), &backups, |n| manual_name(at, n)).unwrap();
    let second = copy_to_new(db.conn(), &backups, |n| manual_name(at, n)).unwrap();
    assert_eq!(first.path, backups.join("jifang-2026-11-21-093015.sqlite"));
    assert_eq!(
        second.path,
        backups.join("jifang-2026-11-21-093015-2.sqlite")
    );
    assert_eq!(verify(&second.path).unwrap(), migrate::VERSION);
}

fn audit_texts(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT at || operator || table_name || coalesce(new_values, '') FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// A backup of another database numbers its audit rows alike: the replaced rows that differ
/// are carried too, after the restored ones, and the restore is recorded with who and what.
#[test]
fn a_restore_from_another_database_keeps_every_audit_row_of_the_replaced_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = demo_db(dir.path());
    let before = audit_texts(db.conn());
    let elsewhere = tempfile::tempdir().unwrap();
    let other = Db::open(&elsewhere.path().join("other.sqlite")).unwrap();
    let stamp = crate::db::Stamp::new("李娜", day("2026-11-22").and_hms_opt(9, 0, 0).unwrap());
    let mut values: [String; 17] = Default::default();
    values[0] = "ZZ-1".into();
    values[1] = "别处的交换机".into();
    let record = crate::domain::record::Record::parse(&values).unwrap();
    crate::db::devices::insert(
        other.conn(),
        &record,
        crate::db::device_log::EventKind::Created,
        &stamp,
    )
    .unwrap();
    let source = elsewhere.path().join("other-backup.sqlite");
    copy_to(other.conn(), &source).unwrap();
    let restored = audit_texts(other.conn());
    let safety = dir.path().join("safety.sqlite");
    copy_to(db.conn(), &safety).unwrap();
    let restorer = crate::db::Stamp::new("王磊", day("2026-11-23").and_hms_opt(10, 0, 0).unwrap());
    let carried = restore_keeping_audit(&mut db, &source, &safety, &restorer).unwrap();
    assert_eq!(carried as usize, before.len());
    let after = audit_texts(db.conn());
    assert_eq!(after.len(), restored.len() + before.len() + 1);
    assert!(
        after[..restored.len()] == restored[..],
        "the restored rows first"
    );
    assert!(
        after[restored.len()..after.len() - 1] == before[..],
        "then every row of the replaced state, in order"
    );
    let last = after.last().unwrap();
    assert!(
        last.starts_with("2026-11-23 10:00:00王磊restores"),
        "{last}"
    );
    assert!(last.contains("other-backup.sqlite"), "{last}");
    assert!(db.health_problems().unwrap().is_empty());
}
