use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;

use crate::db::accounts::{self, NewAccount};
use crate::db::{Db, Stamp};
use crate::domain::account::{Policy, hash};
use crate::domain::role::{Role, Roles};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::testing::keys::{ctrl, press, screen, typed};

/// A database with the account `login` for a person of the centre holding `roles`; its
/// password `pass-word-1` already changed unless `must_change`.
fn db_with(accounts: &[(&str, &str, &[Role])], must_change: bool) -> Db {
    let mut db = Db::open_in_memory().unwrap();
    let stamp = Stamp::at("jifang", "2026-11-20 08:00:00");
    for (login, name, roles) in accounts {
        let new = NewAccount {
            login: (*login).into(),
            name: (*name).into(),
            department: Some("信息中心".into()),
            roles: Roles::new(roles.iter().copied()),
        };
        let first = hash("pass-word-1");
        db.write(|tx| accounts::add(tx, &new, &first, &stamp))
            .unwrap();
        if !must_change {
            db.write(|tx| accounts::set_password(tx, login, &first, false, &stamp))
                .unwrap();
        }
    }
    db
}

fn app_on(db: Db, lang: Lang) -> App {
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let mut app = App::new(db, lang, String::new(), today);
    app.tick(today.and_hms_opt(9, 0, 0).unwrap(), Instant::now());
    app.require_sign_in(Policy::default(), "", "os:tester".into());
    app
}

fn sign_in(app: &mut App, login: &str, password: &str) {
    typed(app, login);
    press(app, KeyCode::Enter);
    typed(app, password);
    press(app, KeyCode::Enter);
}

#[test]
fn nothing_shows_before_sign_in_and_a_first_sign_in_changes_the_password() {
    let mut app = app_on(
        db_with(&[("linxia", "林霞", &[Role::Admin])], true),
        Lang::En,
    );
    let shown = screen(&mut app);
    assert!(shown.contains("Sign in"), "{shown}");
    assert!(
        !shown.contains("Checks") && !shown.contains("Devices"),
        "{shown}"
    );

    sign_in(&mut app, "linxia", "wrong-one");
    assert!(screen(&mut app).contains("Wrong login or password"));
    assert!(app.gated());

    // The login stays; only the password is typed again.
    typed(&mut app, "pass-word-1");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&mut app);
    assert!(shown.contains("New password"), "{shown}");
    assert!(app.gated(), "no data before the password is changed");

    for (new, again) in [
        ("pass-word-1", "pass-word-1"),
        ("short", "short"),
        ("new-pass-2", "other"),
    ] {
        typed(&mut app, new);
        press(&mut app, KeyCode::Enter);
        typed(&mut app, again);
        press(&mut app, KeyCode::Enter);
        assert!(app.gated(), "{new}/{again} was accepted");
    }
    typed(&mut app, "new-pass-2");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "new-pass-2");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&mut app);
    assert!(!app.gated(), "{shown}");
    assert!(
        shown.contains("Checks") && shown.contains("林霞"),
        "{shown}"
    );
    assert!(shown.contains("Password changed"), "{shown}");
}

#[test]
fn five_wrong_passwords_lock_the_account_on_the_sign_in_screen() {
    let mut app = app_on(db_with(&[("wq", "王强", &[Role::Duty])], false), Lang::Zh);
    assert!(screen(&mut app).contains("登录"));
    typed(&mut app, "wq");
    press(&mut app, KeyCode::Enter);
    for _ in 0..5 {
        typed(&mut app, "not-it");
        press(&mut app, KeyCode::Enter);
    }
    let shown = screen(&mut app);
    assert!(shown.contains("连续 5 次登录失败已锁定"), "{shown}");
    typed(&mut app, "pass-word-1");
    press(&mut app, KeyCode::Enter);
    assert!(app.gated(), "the right password waits out the lock");
}

#[test]
fn idle_minutes_lock_the_console_and_the_same_person_finds_their_form_again() {
    let mut app = app_on(
        db_with(&[("linxia", "林霞", &[Role::Admin])], false),
        Lang::En,
    );
    sign_in(&mut app, "linxia", "pass-word-1");
    assert!(!app.gated());
    press(&mut app, KeyCode::Char('7'));
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "赵敏");
    assert!(screen(&mut app).contains("赵敏"));

    let now = app.now;
    app.tick(now, Instant::now() + Duration::from_secs(9 * 60));
    assert!(!app.gated(), "nine minutes is not yet idle");
    app.tick(now, Instant::now() + Duration::from_secs(10 * 60 + 1));
    let shown = screen(&mut app);
    assert!(app.gated(), "{shown}");
    assert!(shown.contains("Locked after 10 idle minutes"), "{shown}");
    assert!(!shown.contains("赵敏"), "the form is hidden while locked");

    typed(&mut app, "pass-word-1");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&mut app);
    assert!(!app.gated(), "{shown}");
    assert!(shown.contains("赵敏"), "the unsaved form is back: {shown}");
}

#[test]
fn another_person_signing_in_at_a_locked_console_starts_afresh() {
    let people: &[(&str, &str, &[Role])] = &[
        ("linxia", "林霞", &[Role::Admin]),
        ("wq", "王强", &[Role::Admin]),
    ];
    let mut app = app_on(db_with(people, false), Lang::En);
    sign_in(&mut app, "linxia", "pass-word-1");
    press(&mut app, KeyCode::Char('7'));
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "赵敏");
    ctrl(&mut app, 'l');
    assert!(app.gated(), "Ctrl-L locks at once");
    let shown = screen(&mut app);
    assert!(
        shown.contains("The console is locked: 林霞 signs in"),
        "{shown}"
    );
    // Clear the login filled in for 林霞 and sign in as someone else.
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Esc);
    sign_in(&mut app, "wq", "pass-word-1");
    let shown = screen(&mut app);
    assert!(!app.gated(), "{shown}");
    assert!(
        !shown.contains("赵敏"),
        "林霞's form is not shown to 王强: {shown}"
    );
    assert!(shown.contains("王强"), "{shown}");
}

#[test]
fn a_refused_action_names_the_role_it_needs_and_writes_nothing() {
    let mut app = app_on(db_with(&[("wq", "王强", &[Role::Duty])], false), Lang::En);
    sign_in(&mut app, "wq", "pass-word-1");
    press(&mut app, KeyCode::Char('7'));
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "赵敏");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "信息中心");
    ctrl(&mut app, 's');
    let shown = screen(&mut app);
    assert!(
        shown.contains("Keeping the directory needs the role admin"),
        "{shown}"
    );
    let added: i64 = app
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM people WHERE name = '赵敏'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(added, 0);
}

#[test]
fn signing_out_is_logged_and_returns_to_the_sign_in_screen() {
    let mut app = app_on(db_with(&[("wq", "王强", &[Role::Duty])], false), Lang::En);
    sign_in(&mut app, "wq", "pass-word-1");
    ctrl(&mut app, 'o');
    assert!(app.gated());
    let kinds: Vec<String> = crate::db::column(
        app.db().conn(),
        "SELECT kind FROM account_events WHERE kind IN ('sign_in', 'sign_out') ORDER BY id",
    );
    assert_eq!(kinds, ["sign_in", "sign_out"]);
}
