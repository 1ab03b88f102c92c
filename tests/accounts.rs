//! Accounts end to end: the first account turns them on, the console signs in (wrong password,
//! lockout, first password change, idle lock and resume, a refused action), and a command
//! that writes is refused without the password.

mod support;

use support::{Home, Run, Tui, run};

/// Run the binary on the home's `e2e.db` (the database the pty tests open) with the
/// environment given (password files).
fn jifang(home: &Home, env: &[(&str, &std::path::Path)], args: &[&str]) -> Run {
    let db = home.path("e2e.db");
    let mut cmd = home.command();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    run(cmd, &all)
}

/// A file holding `password` on its first line, as a script would keep it.
fn password_file(home: &Home, name: &str, password: &str) -> std::path::PathBuf {
    let path = home.path(name);
    std::fs::write(&path, format!("{password}\n")).unwrap();
    path
}

/// Add an account for a new person of the centre, its first password `first-pass-1`; with
/// `changed`, its holder has already changed it to `pass-word-2`.
fn add_account(
    home: &Home,
    signer: Option<&str>,
    name: &str,
    login: &str,
    role: &str,
    changed: bool,
) {
    let first = password_file(home, "first", "first-pass-1");
    let admin = password_file(home, "admin", "pass-word-2");
    let mut args = vec![
        "accounts",
        "add",
        name,
        "--login",
        login,
        "--department",
        "信息中心",
        "--role",
        role,
    ];
    if let Some(signer) = signer {
        args.extend(["--operator", signer]);
    }
    let env: Vec<(&str, &std::path::Path)> = match signer {
        None => vec![("JIFANG_PASSWORD_FILE", &first)],
        Some(_) => vec![
            ("JIFANG_PASSWORD_FILE", &admin),
            ("JIFANG_NEW_PASSWORD_FILE", &first),
        ],
    };
    let added = jifang(home, &env, &args);
    assert_eq!(added.code, 0, "{}", added.stderr);
    if changed {
        let env = [
            ("JIFANG_PASSWORD_FILE", first.as_path()),
            ("JIFANG_NEW_PASSWORD_FILE", admin.as_path()),
        ];
        let changed = jifang(home, &env, &["--operator", login, "accounts", "password"]);
        assert_eq!(changed.code, 0, "{}", changed.stderr);
    }
}

fn count(home: &Home, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(home.path("e2e.db")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_command_that_writes_is_refused_without_the_password_and_writes_nothing() {
    let home = Home::new();
    add_account(&home, None, "林霞", "linxia", "admin", true);
    add_account(&home, Some("linxia"), "王强", "wq", "duty", true);
    let csv = home.path("devices.csv");
    std::fs::write(&csv, "asset_tag,name,category\nA-001,核心交换机,switch\n").unwrap();
    let file = csv.to_str().unwrap();
    let devices = || count(&home, "SELECT count(*) FROM devices");

    let nobody = jifang(&home, &[], &["import", "devices", file]);
    assert_eq!(nobody.code, 1);
    assert!(
        nobody
            .stderr
            .contains("accounts are on: name your account with --operator"),
        "{}",
        nobody.stderr
    );

    // No password file and no terminal to ask on.
    let no_password = jifang(
        &home,
        &[],
        &["--operator", "linxia", "import", "devices", file],
    );
    assert_eq!(no_password.code, 1);
    assert!(
        no_password
            .stderr
            .contains("no terminal to ask the password on"),
        "{}",
        no_password.stderr
    );

    let wrong = password_file(&home, "wrong", "not-the-one");
    let env = [("JIFANG_PASSWORD_FILE", wrong.as_path())];
    let refused = jifang(
        &home,
        &env,
        &["--operator", "linxia", "import", "devices", file],
    );
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("Wrong login or password"),
        "{}",
        refused.stderr
    );

    // The duty operator signs in, but keeping the register is the network admin's.
    let right = home.path("admin");
    let env = [("JIFANG_PASSWORD_FILE", right.as_path())];
    let duty = jifang(
        &home,
        &env,
        &["--operator", "wq", "import", "devices", file],
    );
    assert_eq!(duty.code, 1);
    assert!(
        duty.stderr
            .contains("Keeping the register needs the role network admin"),
        "{}",
        duty.stderr
    );
    assert_eq!(devices(), 0, "nothing was written");

    let done = jifang(
        &home,
        &env,
        &["--operator", "linxia", "import", "devices", file],
    );
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_eq!(devices(), 1);
    // The device's audit row names the account it was written under.
    let by_account = count(
        &home,
        "SELECT count(*) FROM audit_log WHERE table_name = 'devices' AND operator = '林霞' AND login = 'linxia'",
    );
    assert_eq!(by_account, 1);
    // Each failure and sign-in is in the user-use log.
    assert_eq!(
        count(
            &home,
            "SELECT count(*) FROM account_events WHERE kind = 'sign_in_failed'"
        ),
        1
    );
    // The audit log names the account, and the sign-ins are in it: `--operator` filters.
    let audit = jifang(&home, &[], &["--operator", "林霞", "audit"]);
    assert_eq!(audit.code, 0, "{}", audit.stderr);
    assert!(audit.stdout.contains("林霞 (linxia)"), "{}", audit.stdout);
    assert!(audit.stdout.contains("account_events"), "{}", audit.stdout);
    assert!(
        audit.stdout.lines().all(|l| !l.contains("王强 (wq)")),
        "{}",
        audit.stdout
    );
    let listed = jifang(&home, &[], &["accounts", "list"]);
    assert!(
        listed.stdout.contains("linxia") && listed.stdout.contains("duty operator"),
        "{}",
        listed.stdout
    );
}

#[test]
fn the_console_signs_in_after_a_wrong_password_and_changes_the_first_password() {
    let home = Home::new();
    add_account(&home, None, "林霞", "linxia", "admin", false);
    let mut tui = Tui::start_in(home, 80, 24, &[]);
    let shown = tui.wait_for("Sign in");
    assert!(
        !shown.contains("Checks") && !shown.contains("Devices"),
        "{shown}"
    );
    tui.send("linxia\rwrong-pass\r");
    tui.wait_for("Wrong login or password");
    tui.send("first-pass-1\r");
    tui.wait_for("New password again");
    tui.send("new-pass-22\rnew-pass-22\r");
    let shown = tui.wait_for_all(&["Checks", "林霞", "Password changed"]);
    assert!(shown.contains("Devices"), "{shown}");
    tui.send("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn five_wrong_passwords_lock_the_account_for_fifteen_minutes_in_chinese() {
    let home = Home::new();
    add_account(&home, None, "林霞", "linxia", "admin", true);
    let mut tui = Tui::start_in(home, 80, 24, &["--lang", "zh"]);
    tui.wait_for("登录");
    tui.send("linxia\r");
    for _ in 0..5 {
        tui.send("nope-nope\r");
    }
    tui.wait_for("连续 5 次登录失败已锁定");
    tui.send("pass-word-2\r");
    let shown = tui.wait_for("连续 5 次登录失败已锁定");
    assert!(!shown.contains("巡检"), "{shown}");
    tui.send("\x03");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn the_console_locks_when_idle_and_resumes_the_unsaved_form_for_the_same_person() {
    let home = Home::new();
    add_account(&home, None, "林霞", "linxia", "admin", true);
    std::fs::create_dir_all(home.config_file().parent().unwrap()).unwrap();
    std::fs::write(home.config_file(), "idle_minutes = 0.1\n").unwrap();
    let mut tui = Tui::start_in(home, 80, 24, &[]);
    tui.wait_for("Sign in");
    tui.send("linxia\rpass-word-2\r");
    tui.wait_for("Checks");
    tui.send("7");
    tui.wait_for("1 person");
    tui.send("a赵敏");
    tui.wait_for("赵敏");
    // Six idle seconds lock the console; nothing of the form shows meanwhile.
    let locked = tui.wait_for("Locked after 0.1 idle minutes");
    assert!(
        !locked.contains("赵敏") && !locked.contains("New person"),
        "{locked}"
    );
    tui.send("pass-word-2\r");
    tui.wait_for_all(&["New person", "赵敏"]);
    tui.send("\x03y");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn a_refused_action_names_the_role_it_needs() {
    let home = Home::new();
    add_account(&home, None, "林霞", "linxia", "admin", true);
    add_account(&home, Some("linxia"), "王强", "wq", "duty", true);
    let db = home.path("e2e.db");
    let mut tui = Tui::start_in(home, 80, 24, &[]);
    tui.wait_for("Sign in");
    tui.send("wq\rpass-word-2\r");
    tui.wait_for("Checks");
    tui.send("7");
    tui.wait_for("王强");
    tui.send("a赵敏\t信息中心\x13");
    tui.wait_for("Keeping the directory needs the role admin");
    // The form stays open with what was typed: leaving asks first.
    let conn = rusqlite::Connection::open(db).unwrap();
    let added: i64 = conn
        .query_row(
            "SELECT count(*) FROM people WHERE name = '赵敏'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(added, 0);
    tui.send("\x03y");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn a_transfer_is_approved_by_the_deputy_countersigning_with_their_own_password() {
    let home = Home::new();
    add_account(&home, None, "林霞", "linxia", "admin", true);
    add_account(&home, Some("linxia"), "赵副", "zhao", "deputy", true);
    let csv = home.path("devices.csv");
    std::fs::write(
        &csv,
        "asset_tag,name,category,location\nA-001,办公电脑,pc,行政楼301\n",
    )
    .unwrap();
    let admin = home.path("admin");
    let env = [("JIFANG_PASSWORD_FILE", admin.as_path())];
    let file = csv.to_str().unwrap();
    let imported = jifang(
        &home,
        &env,
        &["--operator", "linxia", "import", "devices", file],
    );
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let db = home.path("e2e.db");
    let mut tui = Tui::start_in(home, 80, 24, &[]);
    tui.wait_for("Sign in");
    tui.send("linxia\rpass-word-2\r");
    tui.wait_for("Checks");
    tui.send("2");
    tui.wait_for("A-001");
    // The detail, then the transfer slip: location, then on to the approver.
    tui.send("\rt");
    tui.wait_for("Approver");
    tui.send("\x15行政楼402\t\t\t赵副\t\t\tnot-his-password\x13");
    tui.wait_for("Wrong login or password");
    tui.send("pass-word-2\x13");
    let shown = tui.wait_for("Transferred A-001");
    assert!(shown.contains("赵副 (countersigned)"), "{shown}");
    let conn = rusqlite::Connection::open(db).unwrap();
    let approval: String = conn
        .query_row(
            "SELECT approval FROM device_events WHERE kind = 'transferred'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(approval, "countersigned:zhao");
    let kinds: i64 = conn
        .query_row(
            "SELECT count(*) FROM account_events WHERE login = 'zhao'
             AND kind IN ('countersigned', 'sign_in_failed')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        kinds, 2,
        "the failed and the good countersignature are both logged"
    );
    tui.send("\x03");
    assert_eq!(tui.exit_code(), 0);
}
