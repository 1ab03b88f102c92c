use super::*;
use crate::db::Db;
use crate::domain::role::Role;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn admin(db: &mut Db) -> Account {
    let new = NewAccount {
        login: "linxia".into(),
        name: "林霞".into(),
        department: Some("信息中心".into()),
        roles: Roles::new([Role::Admin]),
    };
    let stamp = Stamp::at("jifang", "2026-12-01 08:00:00");
    let hash = account::hash("first-password");
    db.write(|tx| add(tx, &new, &hash, &stamp)).unwrap()
}

fn events(db: &Db) -> Vec<(String, String)> {
    db.conn()
        .prepare("SELECT kind, login FROM account_events ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn try_sign_in(db: &mut Db, login: &str, password: &str, now: &str) -> Result<SignedIn, Refused> {
    let attempt = Attempt {
        login,
        password,
        by: "os:root",
        place: "test",
    };
    db.write(|tx| sign_in(tx, &attempt, at(now), &Policy::default(), Event::SignIn))
        .unwrap()
}

#[test]
fn the_first_account_adds_its_person_and_turns_accounts_on() {
    let mut db = Db::open_in_memory().unwrap();
    assert!(!enabled(db.conn()).unwrap());
    let account = admin(&mut db);
    assert!(enabled(db.conn()).unwrap());
    assert_eq!(account.name, "林霞");
    assert_eq!(account.department, "信息中心");
    assert_eq!(account.roles, Roles::new([Role::Admin]));
    assert!(account.must_change);
    assert_eq!(events(&db), [("account_added".into(), "linxia".into())]);
    // The hash is never copied into the log: the secrets table is not audited.
    let logged: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE coalesce(new_values, '') LIKE '%argon2%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 0);
}

#[test]
fn a_login_and_a_person_hold_one_account_each() {
    let mut db = Db::open_in_memory().unwrap();
    admin(&mut db);
    let stamp = Stamp::at("林霞", "2026-12-01 09:00:00");
    let mut again = NewAccount {
        login: "LINXIA".into(),
        name: "王强".into(),
        department: Some("信息中心".into()),
        roles: Roles::default(),
    };
    let taken = db.write(|tx| add(tx, &again, "x", &stamp)).unwrap_err();
    assert!(matches!(taken, AccountError::LoginTaken(login) if login == "linxia"));
    again.login = "lin2".into();
    again.name = "林霞".into();
    let held = db.write(|tx| add(tx, &again, "x", &stamp)).unwrap_err();
    assert!(matches!(held, AccountError::PersonHasAccount { login, .. } if login == "linxia"));
    again.department = None;
    again.name = "无名".into();
    let unknown = db.write(|tx| add(tx, &again, "x", &stamp)).unwrap_err();
    assert!(matches!(unknown, AccountError::PersonUnknown(name) if name == "无名"));
}

#[test]
fn five_wrong_passwords_lock_the_account_for_fifteen_minutes_and_each_is_logged() {
    let mut db = Db::open_in_memory().unwrap();
    admin(&mut db);
    for _ in 0..4 {
        let refused = try_sign_in(&mut db, "linxia", "wrong", "2026-12-01 09:00");
        assert_eq!(refused, Err(Refused::WrongLoginOrPassword));
    }
    let locked = try_sign_in(&mut db, "linxia", "wrong", "2026-12-01 09:00");
    assert_eq!(locked, Err(Refused::Locked(at("2026-12-01 09:15"))));
    // Even the right password waits out the lock.
    let still = try_sign_in(&mut db, "linxia", "first-password", "2026-12-01 09:14");
    assert_eq!(still, Err(Refused::Locked(at("2026-12-01 09:15"))));
    let signed = try_sign_in(&mut db, "LinXia", "first-password", "2026-12-01 09:15").unwrap();
    assert!(signed.must_change, "the first password must be changed");
    let kinds: Vec<String> = events(&db).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        kinds,
        [
            "account_added",
            "sign_in_failed",
            "sign_in_failed",
            "sign_in_failed",
            "sign_in_failed",
            "sign_in_failed",
            "locked",
            "sign_in_failed",
            "sign_in"
        ]
    );
}

#[test]
fn an_unknown_login_fails_like_a_wrong_password_and_is_logged_as_typed() {
    let mut db = Db::open_in_memory().unwrap();
    admin(&mut db);
    let refused = try_sign_in(&mut db, "nobody", "first-password", "2026-12-01 09:00");
    assert_eq!(refused, Err(Refused::WrongLoginOrPassword));
    assert_eq!(
        events(&db).last().unwrap(),
        &("sign_in_failed".into(), "nobody".into())
    );
}

#[test]
fn a_changed_password_signs_in_until_it_expires_and_an_admin_lock_holds_until_unlocked() {
    let mut db = Db::open_in_memory().unwrap();
    admin(&mut db);
    let stamp = Stamp::at("林霞", "2026-12-01 09:00:00");
    let hash = account::hash("second-password");
    db.write(|tx| set_password(tx, "linxia", &hash, false, &stamp))
        .unwrap();
    assert!(try_sign_in(&mut db, "linxia", "first-password", "2026-12-01 09:01").is_err());
    let fresh = try_sign_in(&mut db, "linxia", "second-password", "2026-12-01 09:02").unwrap();
    assert!(!fresh.must_change);
    let old = try_sign_in(&mut db, "linxia", "second-password", "2027-03-01 09:00").unwrap();
    assert!(old.must_change, "90 days on, the password has expired");

    db.write(|tx| set_locked(tx, "linxia", true, &stamp))
        .unwrap();
    let refused = try_sign_in(&mut db, "linxia", "second-password", "2027-03-01 09:00");
    assert_eq!(refused, Err(Refused::Disabled));
    db.write(|tx| set_locked(tx, "linxia", false, &stamp))
        .unwrap();
    assert!(try_sign_in(&mut db, "linxia", "second-password", "2027-03-01 09:01").is_ok());
}

#[test]
fn roles_are_the_persons_and_a_change_is_an_event() {
    let mut db = Db::open_in_memory().unwrap();
    admin(&mut db);
    let stamp = Stamp::at("林霞", "2026-12-01 09:00:00");
    let roles = Roles::new([Role::Admin, Role::NetworkAdmin]);
    let account = db
        .write(|tx| set_roles(tx, "linxia", &roles, &stamp))
        .unwrap();
    assert_eq!(account.roles, roles);
    let person = directory::person(db.conn(), account.person_id)
        .unwrap()
        .unwrap();
    assert_eq!(person.roles, roles);
    let detail: String = db
        .conn()
        .query_row(
            "SELECT detail FROM account_events WHERE kind = 'roles_changed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(detail, "admin -> admin network_admin");
}

#[test]
fn every_audit_row_names_the_login_it_was_written_under() {
    let mut db = Db::open_in_memory().unwrap();
    db.set_login(Some(crate::db::os_login("root"))).unwrap();
    admin(&mut db);
    db.set_login(Some("linxia".into())).unwrap();
    let stamp = Stamp::at("林霞", "2026-12-01 09:00:00");
    db.write(|tx| set_locked(tx, "linxia", false, &stamp))
        .unwrap();
    let logins: Vec<Option<String>> = crate::db::column(
        db.conn(),
        "SELECT DISTINCT login FROM audit_log WHERE table_name <> 'audit_log' ORDER BY id",
    );
    assert_eq!(
        logins,
        [Some("os:root".to_owned()), Some("linxia".to_owned())]
    );
    // The login is sealed into the chain: changing it is found.
    assert!(
        crate::db::audit::chain::verify(db.conn())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_role_changed_on_the_people_tab_is_an_account_event_too() {
    let mut db = Db::open_in_memory().unwrap();
    let account = admin(&mut db);
    let person = directory::person(db.conn(), account.person_id)
        .unwrap()
        .unwrap();
    let input = PersonInput {
        roles: Roles::new([Role::Admin, Role::Director]),
        ..person.input()
    };
    let stamp = Stamp::at("林霞", "2026-12-02 09:00:00");
    db.write(|tx| directory::edit_person(tx, person.id, person.row_version, &input, &stamp))
        .unwrap();
    let details: Vec<String> = crate::db::column(
        db.conn(),
        "SELECT detail FROM account_events WHERE kind = 'roles_changed'",
    );
    assert_eq!(details, ["admin -> admin director"]);
}
