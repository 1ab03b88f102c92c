//! Nothing lost, nothing silently changed: the audit log, backups and restore, several writers
//! at once, SIGKILL in the middle of bulk writes, a full disk, a read-only file, hostile input.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use support::{Home, jifang};

const HEADER: &str = "asset_tag,name,category,model,manufacturer,serial_no,location,department,owner,ip_address,mac_address,status,purchased_on,warranty_until,supplier,ups_protected,notes";

/// A device CSV of `n` rows with tags `PREFIX-0001` ...
fn devices_csv(prefix: &str, n: usize) -> String {
    let mut text = format!("{HEADER}\r\n");
    for i in 1..=n {
        text.push_str(&format!(
            "{prefix}-{i:04},交换机{i},switch,S5735,华为,SN{i},机房A-{i},信息中心,王伟,,,in_use,2024-01-01,2027-01-01,华为,yes,\r\n"
        ));
    }
    text
}

fn write(home: &Home, name: &str, text: &str) -> String {
    let path = home.path(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

fn sql(home: &Home, query: &str) -> String {
    let conn = rusqlite::Connection::open_with_flags(
        home.path("t.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.query_row(query, [], |r| r.get::<_, rusqlite::types::Value>(0))
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .unwrap()
}

fn audit_rows(home: &Home) -> String {
    sql(home, "SELECT count(*) FROM audit_log")
}

#[test]
fn the_audit_log_prints_as_a_table_csv_and_json_and_names_bad_arguments() {
    let home = Home::new();
    let file = write(&home, "d.csv", &devices_csv("JF", 2));
    assert_eq!(jifang(&home, &["import", "devices", &file]).code, 0);
    // The log as anyone reads it: here `--operator` would name whose changes to list.
    let db = home.path("t.db");
    let jifang = |_: &Home, args: &[&str]| {
        let mut all = vec!["--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        support::run(home.command(), &all)
    };
    let table = jifang(&home, &["audit", "--table", "devices"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("张三"), "{}", table.stdout);
    assert!(table.stdout.contains("asset_tag: JF-0001"));
    assert!(
        table.stdout.contains("location: 机房A-1"),
        "{}",
        table.stdout
    );
    assert!(!table.stdout.contains("device_events"));
    let csv = jifang(&home, &["audit", "--format", "csv", "--lang", "en"]);
    assert!(csv.stdout.starts_with(
        "\u{feff}id,at,operator,table,record_id,action,old_values,new_values,clock_at,outside,login\r\n"
    ));
    assert!(csv.stdout.contains(",devices,1,insert,"));
    let json = jifang(
        &home,
        &["audit", "--format", "json", "--since", "2000-01-01"],
    );
    let lines: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() > 4);
    // Every row but the log's own first one (the chain's start, written by jifang itself).
    assert_eq!(lines[0]["table"], "audit_log");
    assert!(lines[1..].iter().all(|l| l["operator"] == "张三"));
    // Each names the login it was written under: 张三 typed in open mode, beside the OS's.
    assert!(
        lines[1..]
            .iter()
            .all(|l| l["login"].as_str().is_some_and(|s| s.starts_with("os:")))
    );
    let by = jifang(
        &home,
        &["--operator", "nobody", "audit", "--format", "json"],
    );
    assert_eq!(by.stdout, "", "--operator names whose changes to list");
    assert!(
        lines
            .iter()
            .any(|l| l["table"] == "devices" && l["new_values"]["owner"] == "王伟")
    );
    let future = jifang(
        &home,
        &["audit", "--since", "2999-01-01", "--format", "json"],
    );
    assert_eq!(future.stdout, "");
    let unknown = jifang(&home, &["audit", "--table", "passwords"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("no table named 'passwords'"),
        "{}",
        unknown.stderr
    );
    assert!(unknown.stderr.contains("devices"));
    let bad_day = jifang(&home, &["audit", "--since", "2026-02-30"]);
    assert_eq!(bad_day.code, 2, "{}", bad_day.stderr);
}

#[test]
fn a_backup_restores_exactly_and_the_replaced_data_is_kept_in_a_safety_copy() {
    let home = Home::new();
    let first = write(&home, "a.csv", &devices_csv("OLD", 3));
    assert_eq!(jifang(&home, &["import", "devices", &first]).code, 0);
    let out = home.path("b.sqlite");
    let backup = jifang(&home, &["backup", "--out", out.to_str().unwrap()]);
    assert_eq!(backup.code, 0, "{}", backup.stderr);
    assert!(
        backup.stdout.contains("written and checked"),
        "{}",
        backup.stdout
    );
    // Backups are never overwritten.
    let again = jifang(&home, &["backup", "--out", out.to_str().unwrap()]);
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains("never overwritten"),
        "{}",
        again.stderr
    );
    let later = write(&home, "b.csv", &devices_csv("NEW", 2));
    assert_eq!(jifang(&home, &["import", "devices", &later]).code, 0);
    assert_eq!(sql(&home, "SELECT count(*) FROM devices"), "5");
    let audit_before = sql(
        &home,
        "SELECT group_concat(id || at || new_values, '|') FROM audit_log",
    );
    let rows_before: i64 = audit_rows(&home).parse().unwrap();

    let restore = jifang(&home, &["restore", out.to_str().unwrap()]);
    assert_eq!(restore.code, 0, "{}", restore.stderr);
    assert!(restore.stdout.contains("checked: a whole jifang database"));
    assert_eq!(sql(&home, "SELECT count(*) FROM devices"), "3");
    // The audit log keeps every row it held, in order, and one more for the restore.
    let rows_after: i64 = audit_rows(&home).parse().unwrap();
    assert_eq!(rows_after, rows_before + 1);
    let kept_rows = sql(
        &home,
        &format!(
            "SELECT group_concat(id || at || new_values, '|') FROM
             (SELECT * FROM audit_log ORDER BY id LIMIT {rows_before})"
        ),
    );
    assert_eq!(kept_rows, audit_before);
    let logged = jifang(&home, &["audit", "--table", "restores"]);
    assert!(logged.stdout.contains("张三"), "{}", logged.stdout);
    assert!(logged.stdout.contains("b.sqlite"), "{}", logged.stdout);
    assert!(
        logged.stdout.contains("before-restore"),
        "{}",
        logged.stdout
    );
    let in_backup: i64 = rusqlite::Connection::open(&out)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    let said = format!("keeps its {} later row(s)", rows_before - in_backup);
    assert!(restore.stdout.contains(&said), "{}", restore.stdout);
    assert_eq!(jifang(&home, &["check"]).stdout.trim(), "ok");
    // The safety copy holds what the restore replaced.
    let safety: Vec<_> = std::fs::read_dir(home.path("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(safety.len(), 1, "{safety:?}");
    let kept = rusqlite::Connection::open(&safety[0]).unwrap();
    let devices: i64 = kept
        .query_row("SELECT count(*) FROM devices", [], |r| r.get(0))
        .unwrap();
    assert_eq!(devices, 5);
}

#[test]
fn restore_refuses_what_is_not_a_whole_jifang_database_and_changes_nothing() {
    let home = Home::new();
    let file = write(&home, "a.csv", &devices_csv("JF", 2));
    assert_eq!(jifang(&home, &["import", "devices", &file]).code, 0);
    let before = audit_rows(&home);
    let text = write(&home, "notes.txt", "not a database\n");
    let foreign = home.path("other.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let newer = home.path("newer.sqlite");
    let out = jifang(&home, &["backup", "--out", newer.to_str().unwrap()]);
    assert_eq!(out.code, 0);
    let mut permissions = std::fs::metadata(&newer).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&newer, permissions).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    for (file, says) in [
        (text.as_str(), "notes.txt"),
        (foreign.to_str().unwrap(), "not a jifang database"),
        (newer.to_str().unwrap(), "newer jifang"),
        ("/nonexistent/b.sqlite", "b.sqlite"),
    ] {
        let run = jifang(&home, &["restore", file]);
        assert_eq!(run.code, 1, "{file}");
        assert!(run.stderr.contains(says), "{file}: {}", run.stderr);
    }
    assert_eq!(audit_rows(&home), before, "nothing changed");
    assert!(
        !home.path("backups").exists(),
        "no safety copy for a refused file"
    );
}

#[test]
fn a_read_only_database_is_refused_with_the_reason() {
    let home = Home::new();
    assert_eq!(jifang(&home, &["check"]).code, 0);
    let db = home.path("t.db");
    let mut permissions = std::fs::metadata(&db).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&db, permissions).unwrap();
    for args in [&["check"][..], &["export", "devices"], &["audit"]] {
        let run = jifang(&home, args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(run.stderr.contains("is read-only"), "{}", run.stderr);
        assert!(run.stderr.contains("write access"));
    }
}

#[test]
fn hostile_rows_are_refused_with_a_reason_and_nothing_is_saved() {
    let home = Home::new();
    assert_eq!(jifang(&home, &["check"]).code, 0);
    let row = |cells: &[(usize, &str)]| {
        let mut values = vec![String::new(); 17];
        values[0] = "JF-1".into();
        values[1] = "交换机".into();
        for (i, v) in cells {
            values[*i] = (*v).to_owned();
        }
        format!("{HEADER}\r\n{}\r\n", values.join(","))
    };
    let long = "x".repeat(300);
    let cases: Vec<(String, &str)> = vec![
        (row(&[(12, "2026-02-30")]), "not a date"),
        (row(&[(12, "03/02/2026")]), "not a date"),
        (row(&[(12, "2026-02")]), "not a date"),
        (row(&[(12, "２０２６-02-03")]), "not a date"),
        (row(&[(0, "JF－１")]), "half-width"),
        (row(&[(0, "")]), "required"),
        (row(&[(1, &long)]), "too long"),
        (row(&[(1, "a\u{1b}[2Jb")]), "control character"),
        (row(&[(1, "na\u{0}me")]), "control character"),
        (row(&[(9, "10.0.0.256")]), "not an IPv4"),
        (row(&[(10, "00:11:22:33:44")]), "not a MAC"),
        (format!("{HEADER}\r\nJF-1,x,pc\r\n"), "has 3 columns"),
        (
            format!("{HEADER}\r\n{},extra\r\n", row(&[]).lines().nth(1).unwrap()),
            "has 18 columns",
        ),
    ];
    let before = audit_rows(&home);
    for (text, says) in &cases {
        let file = write(&home, "h.csv", text);
        let run = jifang(&home, &["import", "devices", &file]);
        assert_eq!(run.code, 1, "{says}: {}", run.stdout);
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
        assert!(!run.stderr.contains('\u{1b}'), "no live escape is echoed");
    }
    let bytes = [HEADER.as_bytes(), b"\r\nJF-1,\xff\xfe\x80\x81,pc\r\n"].concat();
    let path = home.path("bad.csv");
    std::fs::write(&path, bytes).unwrap();
    let run = jifang(&home, &["import", "devices", path.to_str().unwrap()]);
    assert!(
        run.stderr.contains("neither UTF-8 nor GBK"),
        "{}",
        run.stderr
    );
    // Tools and daily values refuse the same.
    let tools = write(&home, "t.csv", "code,name,kind\nT\u{1b}1,扳手,五金\n");
    assert!(
        jifang(&home, &["import", "tools", &tools])
            .stderr
            .contains("control character")
    );
    for value in ["NaN", "1e309", "１２", "inf", "1,200", ""] {
        let readings = write(
            &home,
            "r.csv",
            &format!("date,metric,scope,value\n2026-11-20,Index count,官网,\"{value}\"\n"),
        );
        let run = jifang(&home, &["import", "readings", &readings]);
        assert_eq!(run.code, 1, "{value}: {}", run.stdout);
        assert!(
            run.stderr.contains("not a number") || value.is_empty(),
            "{}",
            run.stderr
        );
    }
    assert_eq!(audit_rows(&home), before, "nothing was saved");
}

#[test]
fn several_writers_and_readers_at_once_never_lose_an_update_or_see_locked() {
    let home = Home::new();
    assert_eq!(jifang(&home, &["check"]).code, 0);
    let db = home.path("t.db");
    let mut children = Vec::new();
    for w in 0..4 {
        let file = write(
            &home,
            &format!("w{w}.csv"),
            &devices_csv(&format!("W{w}"), 150),
        );
        let mut cmd = home.command();
        cmd.args([
            "--db",
            db.to_str().unwrap(),
            "--operator",
            &format!("op{w}"),
        ])
        .args(["import", "devices", &file]);
        children.push(
            cmd.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
    }
    for r in 0..3 {
        let mut cmd = home.command();
        let out = home.path(&format!("e{r}.csv"));
        cmd.args(["--db", db.to_str().unwrap()]).args([
            "export",
            "devices",
            "--out",
            out.to_str().unwrap(),
        ]);
        children.push(
            cmd.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
    }
    let mut cmd = home.command();
    cmd.args(["--db", db.to_str().unwrap(), "backup"]);
    children.push(
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
    }
    assert_eq!(sql(&home, "SELECT count(*) FROM devices"), "600");
    assert_eq!(
        sql(
            &home,
            "SELECT count(DISTINCT operator) FROM audit_log WHERE table_name = 'devices'"
        ),
        "4"
    );
}

/// `JIFANG_KILL_ROUNDS=200 cargo test --release --test safety sigkill` for a longer run.
#[test]
fn sigkill_at_random_moments_during_bulk_writes_leaves_every_record_whole() {
    let rounds: u32 = std::env::var("JIFANG_KILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(6);
    let home = Home::new();
    assert_eq!(jifang(&home, &["check"]).code, 0);
    let db = home.path("t.db");
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let (mut complete, mut none) = (0, 0);
    for round in 0..rounds {
        let file = write(&home, "k.csv", &devices_csv(&format!("K{round}"), 1500));
        let mut cmd = home.command();
        cmd.args(["--db", db.to_str().unwrap(), "--operator", "k"])
            .args(["import", "devices", &file]);
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis((seed >> 33) % 1500));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_eq!(
            jifang(&home, &["check"]).stdout.trim(),
            "ok",
            "round {round}"
        );
        let count: i64 = sql(
            &home,
            &format!("SELECT count(*) FROM devices WHERE asset_tag LIKE 'K{round}-%'"),
        )
        .parse()
        .unwrap();
        // One transaction: killed at any moment, an import left all of its devices or none.
        assert!(
            count == 0 || count == 1500,
            "round {round}: {count} devices"
        );
        complete += usize::from(count == 1500);
        none += usize::from(count == 0);
        if count == 0 {
            let again = jifang(&home, &["import", "devices", &file]);
            assert_eq!(again.code, 0, "round {round}: {}", again.stderr);
            assert_eq!(
                sql(
                    &home,
                    &format!("SELECT count(*) FROM devices WHERE asset_tag LIKE 'K{round}-%'")
                ),
                "1500"
            );
        }
        // A device is there whole: with its details and its history entry, never half.
        assert_eq!(
            sql(
                &home,
                "SELECT count(*) FROM devices WHERE location = '' OR model = ''"
            ),
            "0"
        );
        assert_eq!(
            sql(
                &home,
                "SELECT count(*) FROM devices d WHERE NOT EXISTS
                 (SELECT 1 FROM device_events e WHERE e.device_id = d.id)"
            ),
            "0"
        );
        assert_eq!(
            sql(
                &home,
                "SELECT count(*) FROM audit_log WHERE table_name = 'devices' AND action = 'insert'"
            ),
            sql(&home, "SELECT count(*) FROM devices")
        );
    }
    eprintln!(
        "{rounds} rounds: {complete} imports finished before the kill, {none} killed with nothing written"
    );
}

/// A full disk, made with a small tmpfs in a private mount namespace. Where the machine does
/// not allow that (no `unshare`, no privilege), the test says so and checks nothing else.
#[test]
fn a_full_disk_during_backup_export_and_save_is_named_and_leaves_nothing_half_written() {
    let probe = Command::new("unshare")
        .args(["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: this machine cannot mount a small tmpfs in a private namespace");
        return;
    }
    let home = Home::new();
    let file = write(&home, "d.csv", &devices_csv("JF", 600));
    assert_eq!(jifang(&home, &["import", "devices", &file]).code, 0);
    let full = home.path("full");
    std::fs::create_dir(&full).unwrap();
    let script = r#"
        mount -t tmpfs -o size=1m tmpfs "$FULL" || exit 99
        "$BIN" --db "$FULL/s.db" --operator x check > /dev/null
        echo "== backup"; "$BIN" --db "$DB" --operator x backup --out "$FULL/b.sqlite" 2>&1; echo "rc=$?"
        ls -A "$FULL"
        dd if=/dev/zero of="$FULL/filler" bs=1k 2>/dev/null
        echo "== export"; "$BIN" --db "$DB" export month 2026-10 --out "$FULL/m" 2>&1; echo "rc=$?"
        ls -A "$FULL/m" 2>/dev/null
        rm -f "$FULL/filler"
        # Leave room to open the database, not to import 600 devices into it.
        dd if=/dev/zero of="$FULL/filler" bs=1k count=$(( $(df --output=avail -k "$FULL" | tail -1) - 200 )) 2>/dev/null
        echo "== save"; "$BIN" --db "$FULL/s.db" --operator x import devices "$CSV" 2>&1; echo "rc=$?"
        rm -f "$FULL/filler"
        echo "== after"; "$BIN" --db "$FULL/s.db" check 2>&1; "$BIN" --db "$FULL/s.db" audit --table devices 2>&1 | tail -1
    "#;
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", script])
        .env("FULL", &full)
        .env("BIN", support::BIN)
        .env("DB", home.path("t.db"))
        .env("CSV", &file)
        .env("LANG", "C")
        .env("HOME", home.path(""))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let section = |name: &str| {
        text.split("== ")
            .find(|s| s.starts_with(name))
            .unwrap_or_default()
            .to_owned()
    };
    let backup = section("backup");
    assert!(backup.contains("disk is full"), "{text}");
    assert!(backup.contains("rc=1"));
    // The folder holds only the database made before: no backup, no temporary or journal file.
    assert_eq!(
        backup.split("rc=1").nth(1).map(str::trim),
        Some("s.db"),
        "{text}"
    );
    let export = section("export");
    assert!(export.contains("rc=1"), "{text}");
    assert!(
        !export.contains(".csv\n") || export.contains("files were already"),
        "{text}"
    );
    assert!(
        export.to_lowercase().contains("no space") || export.contains("disk is full"),
        "{text}"
    );
    let save = section("save");
    assert!(save.contains("rc=1"), "{text}");
    assert!(save.contains("disk is full: nothing was saved"), "{text}");
    let after = section("after");
    assert!(after.contains("ok"), "{text}");
    assert!(
        after.contains("0 audit entries"),
        "nothing half-saved: {text}"
    );
}

/// A pipe, a device, a folder, a huge file and the database itself are refused at once with
/// what to do; none is read, and the database is left as it was.
#[test]
fn only_a_regular_import_file_is_read() {
    let home = Home::new();
    let file = write(&home, "d.csv", &devices_csv("JF", 1));
    assert_eq!(jifang(&home, &["import", "devices", &file]).code, 0);
    let fifo = home.path("pipe.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let big = home.path("big.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    let db = home.path("t.db");
    let cases = [
        (fifo.to_str().unwrap(), "not a regular file"),
        ("/dev/zero", "not a regular file"),
        (home.dir.path().to_str().unwrap(), "is a folder"),
        (big.to_str().unwrap(), "more than the 256.0 MB"),
        (db.to_str().unwrap(), "is the jifang database itself"),
    ];
    for (path, says) in cases {
        for kind in ["devices", "tools", "readings"] {
            let started = std::time::Instant::now();
            let run = jifang(&home, &["import", kind, path]);
            assert_eq!(run.code, 1, "{kind} {path}: {}", run.stderr);
            assert!(run.stderr.contains(says), "{kind} {path}: {}", run.stderr);
            assert!(started.elapsed() < Duration::from_secs(5), "{kind} {path}");
        }
    }
    let export = jifang(&home, &["export", "devices", "--out", db.to_str().unwrap()]);
    assert_eq!(export.code, 1, "{}", export.stderr);
    assert!(export.stderr.contains("is the jifang database itself"));
    assert_eq!(sql(&home, "SELECT count(*) FROM devices"), "1");
}

/// While another program holds the write lock (`BEGIN IMMEDIATE` in sqlite3, a long import),
/// reading commands work at once beside it, and a write waits, then says that another program
/// is writing and that nothing was saved, never that the file is damaged.
#[test]
fn reading_works_beside_another_programs_write_and_a_waiting_write_says_so() {
    let home = Home::new();
    let file = write(&home, "d.csv", &devices_csv("JF", 2));
    assert_eq!(jifang(&home, &["import", "devices", &file]).code, 0);
    let writer = rusqlite::Connection::open(home.path("t.db")).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let backup = home.path("copy.sqlite");
    for args in [
        vec!["check"],
        vec!["export", "devices"],
        vec!["backup", "--out", backup.to_str().unwrap()],
        vec!["checks", "status"],
        vec!["tools", "list"],
    ] {
        let started = std::time::Instant::now();
        let run = jifang(&home, &args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{args:?} waited for the writer"
        );
    }
    let more = write(&home, "more.csv", &devices_csv("ZZ", 1));
    let run = jifang(&home, &["import", "devices", &more]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("another program is writing to the database; waited 10 s; nothing was saved"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("restore"), "{}", run.stderr);
    writer.execute_batch("ROLLBACK").unwrap();
    assert_eq!(sql(&home, "SELECT count(*) FROM devices"), "2");
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The register holds people's phone numbers: the database, its logs, backups, exports and
/// reports are created for the owner only, or the owner's group when the config says so.
#[test]
fn new_files_are_the_owners_only_unless_shared_with_the_group() {
    for (shared, file_mode, dir_mode) in [(false, 0o600, 0o700), (true, 0o660, 0o770)] {
        let home = Home::new();
        std::fs::create_dir_all(home.config_file().parent().unwrap()).unwrap();
        std::fs::write(home.config_file(), format!("share_with_group = {shared}\n")).unwrap();
        let data = home.path("data");
        std::fs::create_dir(&data).unwrap();
        let db = data.join("t.db");
        let db_arg = db.to_str().unwrap();
        let month = chrono::Local::now().date_naive() - chrono::Days::new(40);
        let month = month.format("%Y-%m").to_string();
        let export = home.path("register.csv");
        for args in [
            vec!["demo"],
            vec!["backup"],
            vec!["export", "devices", "--out", export.to_str().unwrap()],
            vec!["export", "month", &month],
        ] {
            let run = support::run(home.command(), &[&["--db", db_arg][..], &args].concat());
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        }
        assert_eq!(mode(&db), file_mode, "database (shared {shared})");
        assert_eq!(mode(&export), file_mode, "export");
        let backups = data.join("backups");
        assert_eq!(mode(&backups), dir_mode, "backup folder");
        for backup in std::fs::read_dir(&backups).unwrap() {
            // Backups are read-only as well.
            assert_eq!(mode(&backup.unwrap().path()), file_mode & 0o440, "backup");
        }
        let reports = data.join("reports");
        assert_eq!(mode(&reports), dir_mode, "reports folder");
        for entry in std::fs::read_dir(&reports).unwrap() {
            let path = entry.unwrap().path();
            let expected = if path.is_dir() { dir_mode } else { file_mode };
            assert_eq!(mode(&path), expected, "{}", path.display());
        }
    }
}

/// A database in a folder its user may not write (the -wal and -shm cannot be made) is refused
/// as read-only, with what to do, never as a damaged file to restore.
#[test]
fn a_database_in_a_read_only_folder_is_refused_as_read_only() {
    let home = Home::new();
    let folder = home.path("shared");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("t.db");
    let made = support::run(home.command(), &["--db", db.to_str().unwrap(), "demo"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    // As root, permissions do not bind: the check runs as nobody, who owns the file.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        let owned = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(home.dir.path())
            .status()
            .unwrap();
        assert!(owned.success());
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    for args in [
        vec!["check"],
        vec!["checks", "status"],
        vec!["export", "devices"],
    ] {
        let mut cmd = if root {
            let mut c = Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                support::BIN,
            ]);
            c
        } else {
            Command::new(support::BIN)
        };
        cmd.env_clear()
            .env("LANG", "C")
            .env("HOME", home.dir.path())
            .args(["--db", db.to_str().unwrap()])
            .args(&args);
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("is read-only"), "{args:?}: {stderr}");
        assert!(!stderr.contains("restore a backup"), "{args:?}: {stderr}");
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Another program put escapes in a stored value (`sqlite3`, a script): printed to a terminal,
/// jifang shows them as escapes and never lets them act (OSC 52 writes the clipboard, ESC
/// recolours or clears); written to a pipe or a file, the CSV keeps the bytes as stored.
#[test]
fn stored_escapes_never_reach_a_terminal() {
    use std::io::Read;
    let home = Home::new();
    let file = write(&home, "d.csv", &devices_csv("JF", 1));
    assert_eq!(jifang(&home, &["import", "devices", &file]).code, 0);
    let hostile = "交换机\u{1b}]52;c;ZWNobyBoaQ==\u{7}\u{1b}[2J\u{202e}";
    rusqlite::Connection::open(home.path("t.db"))
        .unwrap()
        .execute("UPDATE devices SET name = ?1", [hostile])
        .unwrap();
    let piped = jifang(&home, &["export", "devices"]);
    assert!(
        piped.stdout.contains(hostile),
        "a pipe gets the stored bytes"
    );

    let pty = portable_pty::native_pty_system()
        .openpty(portable_pty::PtySize {
            rows: 24,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = portable_pty::CommandBuilder::new(support::BIN);
    cmd.env_clear();
    cmd.env("LANG", "C");
    for (k, v) in home.env() {
        cmd.env(k, v);
    }
    let db = home.path("t.db");
    for arg in [
        "--db",
        db.to_str().unwrap(),
        "--operator",
        "张三",
        "export",
        "devices",
    ] {
        cmd.arg(arg);
    }
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = reader.read(&mut buf) {
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
    }
    assert!(child.wait().unwrap().success());
    let text = String::from_utf8_lossy(&seen);
    assert!(
        text.contains("交换机\\u{1b}]52;c;ZWNobyBoaQ==\\u{7}"),
        "{text}"
    );
    assert!(text.contains("\\u{202e}"), "{text}");
    assert!(!seen.contains(&0x1b) && !seen.contains(&0x07), "{text:?}");
}
