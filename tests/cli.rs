//! The command line as an operator or a cron job uses it: paths, demo, check, refusals, help.

mod support;

use support::{Home, run};

#[test]
fn version_and_help_on_every_command() {
    let home = Home::new();
    let v = run(home.command(), &["--version"]);
    assert_eq!(v.code, 0);
    assert_eq!(
        v.stdout.trim(),
        format!("jifang {}", env!("CARGO_PKG_VERSION"))
    );
    for args in [
        &["--help"][..],
        &["paths", "--help"],
        &["demo", "--help"],
        &["check", "--help"],
    ] {
        let en = run(home.command(), args);
        assert_eq!(en.code, 0, "{args:?}");
        assert!(
            en.stdout.contains("Usage: jifang"),
            "{args:?}: {}",
            en.stdout
        );
        assert!(
            en.stdout.contains("--db <PATH>"),
            "{args:?}: global flags missing"
        );
    }
    let top = run(home.command(), &["--help"]).stdout;
    assert!(
        top.contains(
            "Check the database (integrity, references, search indexes, the audit log's chain"
        ),
        "{top}"
    );
    let zh = run(home.command(), &["--lang", "zh", "--help"]).stdout;
    assert!(
        zh.contains("检查数据库（完整性、外键") && zh.contains("显示帮助"),
        "{zh}"
    );
    let mut zh_locale = home.command();
    zh_locale.env("LANG", "zh_CN.UTF-8");
    assert!(
        run(zh_locale, &["demo", "--help"])
            .stdout
            .contains("向数据库写入一套演示数据")
    );
}

#[test]
fn paths_follow_flag_then_env_then_data_dir() {
    let home = Home::new();
    let default = run(home.command(), &["paths"]);
    assert_eq!(default.code, 0);
    let data_db = home.path("data").join("jifang").join("jifang.db");
    assert!(
        default
            .stdout
            .contains(&format!("database: {}", data_db.display())),
        "{}",
        default.stdout
    );
    assert!(
        default
            .stdout
            .contains(&format!("config: {}", home.config_file().display()))
    );
    assert!(default.stdout.contains("backups: "));
    assert!(
        home.path("data").join("jifang").is_dir(),
        "data directory not created"
    );

    let mut with_env = home.command();
    with_env.env("JIFANG_DB", home.path("env.db"));
    let from_env = run(with_env, &["paths"]);
    assert!(
        from_env
            .stdout
            .contains(&format!("database: {}", home.path("env.db").display()))
    );

    let mut both = home.command();
    both.env("JIFANG_DB", home.path("env.db"));
    let db_flag = home.path("flag.db");
    let from_flag = run(
        both,
        &["paths", "--db", db_flag.to_str().unwrap(), "--lang", "zh"],
    );
    assert!(
        from_flag
            .stdout
            .contains(&format!("数据库: {}", db_flag.display())),
        "{}",
        from_flag.stdout
    );
}

#[test]
fn demo_refuses_a_non_empty_database_unless_forced() {
    let home = Home::new();
    let db = home.path("demo.db");
    let db = db.to_str().unwrap();
    let first = run(home.command(), &["demo", "--db", db]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.contains("10 departments"), "{}", first.stdout);
    let second = run(home.command(), &["demo", "--db", db]);
    assert_ne!(second.code, 0);
    assert!(
        second.stderr.contains("already holds") && second.stderr.contains("--force"),
        "{}",
        second.stderr
    );
    let forced = run(home.command(), &["demo", "--db", db, "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced.stdout.contains("0 departments, 0 people"),
        "forcing duplicated rows: {}",
        forced.stdout
    );
    let check = run(home.command(), &["check", "--db", db]);
    assert_eq!((check.code, check.stdout.trim()), (0, "ok"));
}

#[test]
fn check_reports_dangling_references_and_fails() {
    let home = Home::new();
    let db = home.path("bad.db");
    assert_eq!(
        run(home.command(), &["demo", "--db", db.to_str().unwrap()]).code,
        0
    );
    break_a_reference(&db);
    let check = run(home.command(), &["check", "--db", db.to_str().unwrap()]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stdout.contains(" found in "), "{}", check.stdout);
    assert!(
        check
            .stdout
            .contains("table people, row 1: refers to a missing row in departments"),
        "{}",
        check.stdout
    );
}

/// Break a foreign key behind jifang's back, as a damaged or hand-edited file would.
fn break_a_reference(db: &std::path::Path) {
    let db = jifang::db::Db::open(db).unwrap();
    db.conn()
        .pragma_update(None, "foreign_keys", "OFF")
        .unwrap();
    db.conn()
        .execute("UPDATE people SET department_id = 9999 WHERE id = 1", [])
        .unwrap();
}

#[test]
fn refusals_leave_the_file_untouched_and_explain_in_the_operators_language() {
    let home = Home::new();
    let cases: [(&str, &[u8], &str, &str); 3] = [
        (
            "garbage.db",
            b"not a database, just notes\n",
            "is not a SQLite database",
            "不是 SQLite 数据库",
        ),
        (
            "page.db",
            b"<html><body>Login</body></html>",
            "is not a SQLite database",
            "不是 SQLite 数据库",
        ),
        ("empty.db", b"", "is an empty file", "是空文件"),
    ];
    for (name, bytes, en, zh) in cases {
        let path = home.path(name);
        std::fs::write(&path, bytes).unwrap();
        for (lang, expected) in [("en", en), ("zh", zh)] {
            for command in [&["check"][..], &["demo"], &[]] {
                let mut args = command.to_vec();
                args.extend([
                    "--db",
                    path.to_str().unwrap(),
                    "--lang",
                    lang,
                    "--operator",
                    "tester",
                ]);
                let out = run(home.command(), &args);
                assert_ne!(out.code, 0, "{name} {args:?} was accepted");
                assert!(
                    out.stderr.contains(expected),
                    "{name} {lang}: {}",
                    out.stderr
                );
                assert_eq!(
                    out.stderr.lines().count(),
                    1,
                    "one line expected: {}",
                    out.stderr
                );
            }
        }
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was modified");
        let mut names: Vec<String> = std::fs::read_dir(home.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut written: Vec<String> = cases
            .iter()
            .map(|c| c.0.to_owned())
            .take_while(|n| n != name)
            .collect();
        written.push(name.to_owned());
        written.sort();
        assert_eq!(names, written, "files appeared beside {name}");
    }
}

#[test]
fn a_directory_or_a_missing_folder_is_refused() {
    let home = Home::new();
    let dir = run(
        home.command(),
        &["check", "--db", home.dir.path().to_str().unwrap()],
    );
    assert_ne!(dir.code, 0);
    assert!(dir.stderr.contains("is a directory"), "{}", dir.stderr);
    let missing = home.path("nope").join("j.db");
    let out = run(
        home.command(),
        &["check", "--db", missing.to_str().unwrap()],
    );
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
    assert!(!home.path("nope").exists());
}

#[test]
fn a_broken_config_names_the_line() {
    let home = Home::new();
    std::fs::create_dir_all(home.config_file().parent().unwrap()).unwrap();
    std::fs::write(
        home.config_file(),
        "operator = \"王磊\"\nlang = \"zh\"\ntheme = dark\n",
    )
    .unwrap();
    let out = run(
        home.command(),
        &["check", "--db", home.path("j.db").to_str().unwrap()],
    );
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("config.toml"), "{}", out.stderr);
    assert!(out.stderr.contains("line 3"), "{}", out.stderr);
}

#[test]
fn config_sets_the_language_of_messages() {
    let home = Home::new();
    std::fs::create_dir_all(home.config_file().parent().unwrap()).unwrap();
    std::fs::write(home.config_file(), "lang = \"zh\"\n").unwrap();
    let out = run(home.command(), &["paths"]);
    assert!(out.stdout.contains("数据库: "), "{}", out.stdout);
    let flag = run(home.command(), &["paths", "--lang", "en"]);
    assert!(flag.stdout.contains("database: "), "{}", flag.stdout);
}

/// Cron, `su` without `-` and some containers set no `USER` or `LOGNAME`: the running user's
/// account names the operator, in the audit log as everywhere.
#[test]
fn without_user_in_the_environment_the_account_names_the_operator() {
    let home = Home::new();
    let db = home.path("j.db");
    let db = db.to_str().unwrap();
    let csv = home.path("d.csv");
    std::fs::write(&csv, "asset_tag,name\r\nZZ-1,交换机\r\n").unwrap();
    let import = run(
        home.command(),
        &["--db", db, "import", "devices", csv.to_str().unwrap()],
    );
    assert_eq!(import.code, 0, "{}", import.stderr);
    let me = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let me = String::from_utf8_lossy(&me.stdout).trim().to_owned();
    let audit = run(home.command(), &["--db", db, "audit", "--format", "csv"]);
    assert!(
        audit.stdout.contains(&format!(",{me},devices,")),
        "{}",
        audit.stdout
    );
}

/// A user with no account (a container's random uid) and no `USER`: the TUI says how to name
/// the operator. Switching to such a uid needs root; as another user only the account case
/// above is tried, and this says so.
#[test]
fn the_tui_without_any_operator_name_explains_how_to_name_one() {
    let home = Home::new();
    let setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output();
    if current_uid() != 0 || setpriv.is_err() {
        eprintln!(
            "not root or no setpriv: cannot run as a uid with no account; the account case is tried"
        );
        return;
    }
    let mut cmd = std::process::Command::new("setpriv");
    cmd.args([
        "--reuid=54321",
        "--regid=54321",
        "--clear-groups",
        support::BIN,
    ]);
    cmd.env_clear()
        .env("LANG", "C")
        .env("HOME", home.dir.path());
    std::fs::set_permissions(
        home.dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .unwrap();
    let out = run(cmd, &["--db", home.path("j.db").to_str().unwrap()]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("--operator NAME"), "{}", out.stderr);
}

fn current_uid() -> u32 {
    let out = std::process::Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// `jifang check | true`: a command whose standard output is already closed exits quietly, with
/// no panic and no backtrace, and still does its work.
#[test]
fn every_command_exits_quietly_when_stdout_is_closed() {
    let home = Home::new();
    let db = home.path("t.db");
    let db = db.to_str().unwrap();
    let demo = run(home.command(), &["--db", db, "demo"]);
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    let csv = home.path("d.csv");
    std::fs::write(&csv, "asset_tag,name\r\nZZ-1,交换机\r\n").unwrap();
    let month = chrono::Local::now().date_naive() - chrono::Days::new(40);
    let month = month.format("%Y-%m").to_string();
    let out = home.path("reports");
    let commands: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["paths"],
        vec!["checks", "status"],
        vec!["backup"],
        vec!["backup"],
        vec!["export", "month", &month, "--out", out.to_str().unwrap()],
        vec!["import", "devices", "--dry-run", csv.to_str().unwrap()],
        vec!["export", "devices"],
        vec!["tools", "list"],
        vec!["repairs", "list"],
        vec!["duty", "log", "--month", &month],
        vec!["export", "week", "2026-W47", "--out", out.to_str().unwrap()],
        vec!["audit"],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut cmd = home.command();
        cmd.args(["--db", db, "--operator", "张三"]).args(&args);
        cmd.stdout(writer);
        let output = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
    let backups = std::fs::read_dir(home.path("backups")).unwrap().count();
    assert_eq!(backups, 2, "both backups were made");
}

/// Tampering as it is done with the `sqlite3` shell: a plain connection, without jifang's seal.
#[test]
fn check_finds_tampering_done_past_the_triggers_and_repair_puts_them_back() {
    let home = Home::new();
    let db = home.path("t.db");
    let path = db.to_str().unwrap();
    assert_eq!(run(home.command(), &["demo", "--db", path]).code, 0);
    let backup = home.path("before.db");
    let made = run(
        home.command(),
        &["backup", "--db", path, "--out", backup.to_str().unwrap()],
    );
    assert!(made.stdout.contains("up to row"), "{}", made.stdout);
    let sqlite = rusqlite::Connection::open(&db).unwrap();
    let lock: String = sqlite
        .query_row(
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'repairs'
             AND sql LIKE '%RAISE%' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    sqlite
        .execute_batch(&format!(
            "DROP TRIGGER audit_log_no_delete;
             DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 5);
             DELETE FROM audit_log WHERE id = 300;
             DROP TRIGGER \"{lock}\";
             UPDATE repairs SET result = 'rewritten' WHERE state = 'closed';"
        ))
        .unwrap();
    let check = run(
        home.command(),
        &["check", "--db", path, "--against", backup.to_str().unwrap()],
    );
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    for said in [
        "audit row 301 (",
        "does not verify",
        "written outside jifang",
        "audit_log_no_delete is missing",
        &format!("{lock} is missing"),
        "rows the backup had are gone",
    ] {
        assert!(check.stdout.contains(said), "{said}: {}", check.stdout);
    }
    let repaired = run(home.command(), &["check", "--db", path, "--repair"]);
    assert_eq!(repaired.code, 1, "the broken chain stays found");
    assert!(
        repaired
            .stdout
            .contains("put back the trigger audit_log_no_delete"),
        "{}",
        repaired.stdout
    );
    assert!(
        !repaired.stdout.contains("is missing"),
        "{}",
        repaired.stdout
    );
    let logged = run(
        home.command(),
        &["audit", "--db", path, "--table", "triggers"],
    );
    assert!(
        logged.stdout.contains("audit_log_no_delete"),
        "{}",
        logged.stdout
    );
    let outside = run(
        home.command(),
        &["audit", "--db", path, "--table", "repairs"],
    );
    assert!(
        outside.stdout.contains("[outside jifang]"),
        "{}",
        outside.stdout
    );
}
