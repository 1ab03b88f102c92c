//! Accounts: who may sign in, their password hashes (kept apart from the audit log), signing
//! in and out with lockout, and the user-use log of account events. An account is a person of
//! the directory; its roles are the person's.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::Stamp;
use super::directory::{self, PersonInput, Roles};
use crate::domain::account::{self, Policy};
use crate::domain::permission::{Deed, Table};

/// The stored form of a time.
const TIME: &str = "%Y-%m-%d %H:%M:%S";

fn time_text(at: NaiveDateTime) -> String {
    at.format(TIME).to_string()
}

fn parse_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, TIME).ok()
}

/// An account with its person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub person_id: i64,
    pub name: String,
    pub department: String,
    pub roles: Roles,
    pub must_change: bool,
    pub password_changed_at: NaiveDateTime,
    pub failed_attempts: i64,
    pub locked_until: Option<NaiveDateTime>,
    /// Locked by an admin until unlocked.
    pub disabled: bool,
    /// The person has left.
    pub left: bool,
}

impl Account {
    /// Locked now, by an admin or by failures.
    pub fn locked_at(&self, now: NaiveDateTime) -> bool {
        self.disabled || self.locked_until.is_some_and(|until| until > now)
    }
}

const COLUMNS: &str = "SELECT a.id, a.login, a.person_id, p.name, d.name, p.roles, a.must_change,
        a.password_changed_at, a.failed_attempts, a.locked_until, a.disabled,
        p.left_on IS NOT NULL
    FROM accounts a JOIN people p ON p.id = a.person_id
    JOIN departments d ON d.id = p.department_id";

fn account_from(r: &rusqlite::Row) -> rusqlite::Result<Account> {
    let changed: String = r.get(7)?;
    let locked: Option<String> = r.get(9)?;
    Ok(Account {
        id: r.get(0)?,
        login: r.get(1)?,
        person_id: r.get(2)?,
        name: r.get(3)?,
        department: r.get(4)?,
        roles: Roles::from_keys(&r.get::<_, String>(5)?),
        must_change: r.get(6)?,
        // A time another program wrote unreadably counts as long ago: the password expired.
        password_changed_at: parse_time(&changed).unwrap_or_default(),
        failed_attempts: r.get(8)?,
        locked_until: locked.as_deref().and_then(parse_time),
        disabled: r.get(10)?,
        left: r.get(11)?,
    })
}

/// Whether accounts are on: any account exists.
pub fn enabled(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM accounts)", [], |r| r.get(0))
}

/// Every account, by login.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Account>> {
    conn.prepare(&format!("{COLUMNS} ORDER BY lower(a.login)"))?
        .query_map([], account_from)?
        .collect()
}

/// The account of that login (any case).
pub fn by_login(conn: &Connection, login: &str) -> rusqlite::Result<Option<Account>> {
    conn.prepare_cached(&format!("{COLUMNS} WHERE lower(a.login) = lower(?1)"))?
        .query_row([login.trim()], account_from)
        .optional()
}

/// Why an account could not be added or changed. Nothing was written.
#[derive(Debug)]
pub enum AccountError {
    NoLogin,
    /// The login is taken (by that account).
    LoginTaken(String),
    /// Nobody of that name works here, and no department was given to add them in.
    PersonUnknown(String),
    /// Several people have the name: the department says which.
    PersonAmbiguous(String),
    /// The person has an account already.
    PersonHasAccount {
        name: String,
        login: String,
    },
    NoSuchAccount(String),
    Person(directory::PersonError),
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for AccountError {
    fn from(e: rusqlite::Error) -> AccountError {
        AccountError::Db(e)
    }
}

/// A new account: for the person `name` (of `department` where several share the name, or
/// where they are not in the directory yet and are added), signing in as `login`.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub login: String,
    pub name: String,
    pub department: Option<String>,
    /// Roles the person is given besides those they hold.
    pub roles: Roles,
}

/// The kinds of account event, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    SignIn,
    SignOut,
    SignInFailed,
    Locked,
    Unlocked,
    /// The console was locked (idle, or by Ctrl-L), its work kept for the same person.
    ConsoleLocked,
    PasswordChanged,
    PasswordReset,
    RolesChanged,
    AccountAdded,
    /// An approver countersigned another's action with their password.
    Countersigned,
}

impl Event {
    pub fn key(self) -> &'static str {
        match self {
            Event::SignIn => "sign_in",
            Event::SignOut => "sign_out",
            Event::SignInFailed => "sign_in_failed",
            Event::Locked => "locked",
            Event::Unlocked => "unlocked",
            Event::ConsoleLocked => "console_locked",
            Event::PasswordChanged => "password_changed",
            Event::PasswordReset => "password_reset",
            Event::RolesChanged => "roles_changed",
            Event::AccountAdded => "account_added",
            Event::Countersigned => "countersigned",
        }
    }
}

/// Write one event of the user-use log.
pub fn record(
    conn: &Connection,
    account: Option<i64>,
    login: &str,
    event: Event,
    detail: &str,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO account_events (account_id, login, kind, detail, created_at, created_by,
                                     updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
    )?
    .execute(params![
        account,
        login,
        event.key(),
        detail,
        stamp.at_text(),
        stamp.by
    ])?;
    Ok(())
}

/// The one working person of `name`, in `department` if given.
fn person_named(
    conn: &Connection,
    name: &str,
    department: Option<&str>,
) -> Result<Option<directory::Person>, AccountError> {
    if let Some(department) = department {
        return Ok(directory::find_person(conn, name, department)?.filter(|p| p.left_on.is_none()));
    }
    match directory::department_of(conn, name)? {
        Some(department) => Ok(directory::find_person(conn, name, &department)?),
        // Nobody of that name works here, or several do.
        None => match directory::is_namesake(conn, name)? {
            false => Ok(None),
            true => Err(AccountError::PersonAmbiguous(name.trim().to_owned())),
        },
    }
}

/// Add an account with the password hash `hash`, to be changed at first sign-in. The person is
/// added to the directory when `department` is given and nobody there has the name.
pub fn add(
    conn: &Connection,
    new: &NewAccount,
    hash: &str,
    stamp: &Stamp,
) -> Result<Account, AccountError> {
    let login = new.login.trim();
    if login.is_empty() {
        return Err(AccountError::NoLogin);
    }
    if let Some(taken) = by_login(conn, login)? {
        return Err(AccountError::LoginTaken(taken.login));
    }
    let person = match person_named(conn, &new.name, new.department.as_deref())? {
        Some(person) => person,
        None => {
            let Some(department) = &new.department else {
                return Err(AccountError::PersonUnknown(new.name.trim().to_owned()));
            };
            let input = PersonInput {
                name: new.name.clone(),
                department: department.clone(),
                ..Default::default()
            };
            let id = directory::add_person(conn, &input, stamp).map_err(AccountError::Person)?;
            directory::person(conn, id)?
                .ok_or(AccountError::Db(rusqlite::Error::QueryReturnedNoRows))?
        }
    };
    let holder: Option<String> = conn
        .query_row(
            "SELECT login FROM accounts WHERE person_id = ?1",
            [person.id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(login) = holder {
        return Err(AccountError::PersonHasAccount {
            name: person.name,
            login,
        });
    }
    let wanted = Roles::new(person.roles.iter().chain(new.roles.iter()));
    if wanted != person.roles {
        set_person_roles(conn, &person, &wanted, stamp)?;
    }
    conn.execute(
        "INSERT INTO accounts (login, person_id, must_change, password_changed_at, created_at,
                               created_by, updated_at, updated_by)
         VALUES (?1, ?2, 1, ?3, ?3, ?4, ?3, ?4)",
        params![login, person.id, stamp.at_text(), stamp.by],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO account_secrets (account_id, hash) VALUES (?1, ?2)",
        params![id, hash],
    )?;
    record(
        conn,
        Some(id),
        login,
        Event::AccountAdded,
        &wanted.keys(),
        stamp,
    )?;
    by_login(conn, login)?.ok_or(AccountError::NoSuchAccount(login.to_owned()))
}

fn set_person_roles(
    conn: &Connection,
    person: &directory::Person,
    roles: &Roles,
    stamp: &Stamp,
) -> Result<(), AccountError> {
    let input = PersonInput {
        roles: roles.clone(),
        ..person.input()
    };
    directory::edit_person(conn, person.id, person.row_version, &input, stamp)
        .map_err(AccountError::Person)
}

fn existing(conn: &Connection, login: &str) -> Result<Account, AccountError> {
    by_login(conn, login)?.ok_or_else(|| AccountError::NoSuchAccount(login.trim().to_owned()))
}

/// Set the roles of the account's person; the change is an account event too.
pub fn set_roles(
    conn: &Connection,
    login: &str,
    roles: &Roles,
    stamp: &Stamp,
) -> Result<Account, AccountError> {
    let account = existing(conn, login)?;
    let person = directory::person(conn, account.person_id)?
        .ok_or_else(|| AccountError::NoSuchAccount(login.to_owned()))?;
    if person.roles != *roles {
        set_person_roles(conn, &person, roles, stamp)?;
    }
    existing(conn, login)
}

/// A change of the roles of person `person_id` is an account event when they have an account
/// (from the command line and the People tab alike).
pub(crate) fn roles_changed(
    conn: &Connection,
    person_id: i64,
    before: &Roles,
    after: &Roles,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    if before == after {
        return Ok(());
    }
    let account: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, login FROM accounts WHERE person_id = ?1",
            [person_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, login)) = account else {
        return Ok(());
    };
    let detail = format!("{} -> {}", before.keys(), after.keys());
    record(conn, Some(id), &login, Event::RolesChanged, &detail, stamp)
}

/// Set a new password: by its holder (`reset` false: the change they were asked for), or by an
/// admin (`reset` true: to be changed at the next sign-in, and any lock lifted).
pub fn set_password(
    conn: &Connection,
    login: &str,
    hash: &str,
    reset: bool,
    stamp: &Stamp,
) -> Result<Account, AccountError> {
    let account = existing(conn, login)?;
    conn.execute(
        "UPDATE account_secrets SET hash = ?2 WHERE account_id = ?1",
        params![account.id, hash],
    )?;
    let event = match reset {
        true => Event::PasswordReset,
        false => Event::PasswordChanged,
    };
    let set = "must_change = ?2, password_changed_at = ?3, failed_attempts = 0,
               locked_until = CASE WHEN ?2 THEN NULL ELSE locked_until END";
    update(conn, &account, set, reset, event, stamp)
}

/// Lock an account until it is unlocked, or unlock it (its failures forgotten).
pub fn set_locked(
    conn: &Connection,
    login: &str,
    locked: bool,
    stamp: &Stamp,
) -> Result<Account, AccountError> {
    let account = existing(conn, login)?;
    let event = match locked {
        true => Event::Locked,
        false => Event::Unlocked,
    };
    let set = "disabled = ?2, failed_attempts = CASE WHEN ?2 THEN failed_attempts ELSE 0 END,
               locked_until = CASE WHEN ?2 THEN locked_until END";
    update(conn, &account, set, locked, event, stamp)
}

/// Change `account` by `set` (whose `?2` is `flag`), stamped, and log `event`.
fn update(
    conn: &Connection,
    account: &Account,
    set: &str,
    flag: bool,
    event: Event,
    stamp: &Stamp,
) -> Result<Account, AccountError> {
    conn.execute(
        &format!(
            "UPDATE accounts SET {set}, updated_at = ?3, updated_by = ?4,
                 row_version = row_version + 1
             WHERE id = ?1"
        ),
        params![account.id, flag, stamp.at_text(), stamp.by],
    )?;
    record(conn, Some(account.id), &account.login, event, "", stamp)?;
    existing(conn, &account.login)
}

/// Why a sign-in was refused. The failure is recorded; a wrong login and a wrong password are
/// told alike, so nobody learns which logins exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    WrongLoginOrPassword,
    /// Too many failures: locked until then.
    Locked(NaiveDateTime),
    /// Locked by an admin.
    Disabled,
    /// The person has left.
    Left,
    /// An approver without an account cannot countersign (never said of a sign-in, which
    /// would tell who has an account).
    NoAccountToCountersign(String),
}

/// A sign-in that was let in: the account, and whether its password must be changed first
/// (a first sign-in, a reset, or an expired password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub account: Account,
    pub must_change: bool,
}

/// The stored password hash of an account.
fn secret(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT hash FROM account_secrets WHERE account_id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
}

/// A hash of no password, checked when the login is unknown so that a wrong login takes as
/// long as a wrong password.
fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| account::hash("jifang decoy password"))
}

/// A try at a password: whose, the password, who a failure of an unknown login is stamped by,
/// and where it was made (the console, a command, a countersignature).
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub login: &'a str,
    pub password: &'a str,
    pub by: &'a str,
    pub place: &'a str,
}

/// Check an attempt at `now` and record the outcome: `event` (a sign-in, a countersignature)
/// when the password is right, else the failure (five in a row lock the account for fifteen
/// minutes).
pub fn sign_in(
    conn: &Connection,
    attempt: &Attempt,
    now: NaiveDateTime,
    policy: &Policy,
    event: Event,
) -> rusqlite::Result<Result<SignedIn, Refused>> {
    let Attempt {
        login,
        password,
        by,
        place,
    } = *attempt;
    let stamp_of = |who: &str| Stamp::new(who, now);
    let Some(found) = by_login(conn, login)? else {
        account::verify(password, decoy());
        let typed: String = login.trim().chars().take(64).collect();
        record(conn, None, &typed, Event::SignInFailed, "", &stamp_of(by))?;
        return Ok(Err(Refused::WrongLoginOrPassword));
    };
    let stamp = stamp_of(&found.name);
    let barred = match found.locked_until.filter(|u| *u > now) {
        _ if found.left => Some((Refused::Left, "left")),
        _ if found.disabled => Some((Refused::Disabled, "locked")),
        Some(until) => Some((Refused::Locked(until), "locked")),
        None => None,
    };
    if let Some((refused, why)) = barred {
        record(
            conn,
            Some(found.id),
            &found.login,
            Event::SignInFailed,
            why,
            &stamp,
        )?;
        return Ok(Err(refused));
    }
    let right = secret(conn, found.id)?.is_some_and(|hash| account::verify(password, &hash));
    if !right {
        let (count, locked) = account::after_failure(found.failed_attempts, now);
        conn.execute(
            "UPDATE accounts SET failed_attempts = ?2, locked_until = ?3, updated_at = ?4,
                    updated_by = ?5, row_version = row_version + 1
             WHERE id = ?1",
            params![
                found.id,
                count,
                locked.map(time_text),
                stamp.at_text(),
                stamp.by
            ],
        )?;
        record(
            conn,
            Some(found.id),
            &found.login,
            Event::SignInFailed,
            "",
            &stamp,
        )?;
        return Ok(Err(match locked {
            Some(until) => {
                let detail = format!("{} failures", account::MAX_FAILURES);
                record(
                    conn,
                    Some(found.id),
                    &found.login,
                    Event::Locked,
                    &detail,
                    &stamp,
                )?;
                Refused::Locked(until)
            }
            None => Refused::WrongLoginOrPassword,
        }));
    }
    if found.failed_attempts != 0 || found.locked_until.is_some() {
        conn.execute(
            "UPDATE accounts SET failed_attempts = 0, locked_until = NULL, updated_at = ?2,
                    updated_by = ?3, row_version = row_version + 1
             WHERE id = ?1",
            params![found.id, stamp.at_text(), stamp.by],
        )?;
    }
    record(conn, Some(found.id), &found.login, event, place, &stamp)?;
    let account = by_login(conn, login)?.unwrap_or(found);
    let must_change = account.must_change || policy.expired(account.password_changed_at, now);
    Ok(Ok(SignedIn {
        account,
        must_change,
    }))
}

/// The permission table as an admin left it.
pub fn permissions(conn: &Connection) -> rusqlite::Result<Table> {
    let changes: Vec<(String, String)> = conn
        .prepare_cached("SELECT deed, roles FROM permissions")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Table::with_changes(
        changes.iter().map(|(d, r)| (d.as_str(), r.as_str())),
    ))
}

/// Let the holders of `roles` take `deed` (and no one else but admins).
pub fn set_permission(
    conn: &Connection,
    deed: Deed,
    roles: &Roles,
    stamp: &Stamp,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO permissions (deed, roles, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?3, ?4)
         ON CONFLICT (deed) DO UPDATE SET roles = excluded.roles,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by,
             row_version = row_version + 1
         WHERE roles IS NOT excluded.roles",
        params![deed.key(), roles.keys(), stamp.at_text(), stamp.by],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
