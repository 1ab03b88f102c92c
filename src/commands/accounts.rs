//! `jifang accounts …`: list accounts, add one (the first turns accounts on), set roles, reset
//! a password, lock and unlock, change one's own password, and show or change the permission
//! table.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;

use super::sign::{self, Signed};
use crate::cli::AccountsWhat;
use crate::db::Db;
use crate::db::accounts::{self, Account, NewAccount};
use crate::domain::account::{self as rules, Policy};
use crate::domain::permission::Deed;
use crate::domain::role::Roles;
use crate::i18n::Lang;
use crate::text::fitted;

/// Roles typed on the command line, several words or one list.
fn parse_roles(words: &[String], lang: Lang) -> anyhow::Result<Roles> {
    Roles::parse(&words.join(" ")).map_err(|word| {
        let known: Vec<&str> = crate::domain::role::Role::ALL
            .iter()
            .map(|r| r.key())
            .collect();
        anyhow::anyhow!(lang.tf(
            "accounts.unknown_role",
            &[("role", &word), ("known", &known.join(", "))]
        ))
    })
}

/// An account's state in words: locked, to change its password, or working.
fn state(account: &Account, policy: &Policy, lang: Lang) -> String {
    let now = chrono::Local::now().naive_local();
    if account.left {
        lang.t("accounts.state_left").to_owned()
    } else if account.disabled {
        lang.t("accounts.state_disabled").to_owned()
    } else if account.locked_at(now) {
        lang.t("accounts.state_locked").to_owned()
    } else if account.must_change || policy.expired(account.password_changed_at, now) {
        lang.t("accounts.state_must_change").to_owned()
    } else {
        lang.t("accounts.state_active").to_owned()
    }
}

pub fn list(db: &Db, policy: &Policy, lang: Lang) -> anyhow::Result<ExitCode> {
    let all = accounts::list(db.conn())?;
    let mut out = super::stdout();
    if all.is_empty() {
        writeln!(out, "{}", lang.t("accounts.none"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let widths = [14, 10, 12, 24, 20, 12];
    let header = [
        "accounts.login",
        "accounts.name",
        "accounts.department",
        "accounts.roles",
        "accounts.state",
        "accounts.changed",
    ]
    .map(|k| lang.t(k).to_owned());
    writeln!(out, "{}", fitted(header.iter().zip(widths)))?;
    for a in &all {
        let cells = [
            a.login.clone(),
            a.name.clone(),
            a.department.clone(),
            crate::words::roles_words(&a.roles, lang),
            state(a, policy, lang),
            a.password_changed_at.date().to_string(),
        ];
        writeln!(out, "{}", fitted(cells.iter().zip(widths)))?;
    }
    writeln!(
        out,
        "{}",
        lang.tf("accounts.count", &[("count", &all.len())])
    )?;
    Ok(ExitCode::SUCCESS)
}

/// What an account command changes, once signed (or, for the first account, in open mode).
pub fn run(
    db: &mut Db,
    what: AccountsWhat,
    signed: &Signed,
    policy: &Policy,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let stamp = &signed.stamp;
    let said = |e: accounts::AccountError| anyhow::anyhow!(e.message(lang));
    match what {
        AccountsWhat::List => list(db, policy, lang),
        AccountsWhat::Add {
            name,
            login,
            department,
            roles,
        } => {
            let first = !accounts::enabled(db.conn())?;
            let roles = parse_roles(&roles, lang)?;
            let login = login.unwrap_or_else(|| name.clone());
            if first && !roles.iter().any(|r| r == crate::domain::role::Role::Admin) {
                bail!(lang.t("accounts.first_is_admin").to_owned());
            }
            let fallback = first.then_some(sign::PASSWORD_FILE);
            let password = sign::new_password(&login, fallback, None, lang)?;
            let new = NewAccount {
                login,
                name,
                department,
                roles,
            };
            let hash = rules::hash(&password);
            let added = db
                .write(|tx| accounts::add(tx, &new, &hash, stamp))
                .map_err(said)?;
            let roles = crate::words::roles_words(&added.roles, lang);
            say!(
                "{}",
                lang.tf(
                    "accounts.added",
                    &[
                        ("login", &added.login),
                        ("name", &added.name),
                        ("roles", &roles)
                    ],
                )
            );
            if first {
                say!("{}", lang.t("accounts.turned_on"));
            }
            Ok(ExitCode::SUCCESS)
        }
        AccountsWhat::Role { login, roles } => {
            let roles = parse_roles(&roles, lang)?;
            let changed = db
                .write(|tx| accounts::set_roles(tx, &login, &roles, stamp))
                .map_err(said)?;
            let roles = crate::words::roles_words(&changed.roles, lang);
            say!(
                "{}",
                lang.tf(
                    "accounts.roles_set",
                    &[("login", &changed.login), ("roles", &roles)],
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        AccountsWhat::Reset { login } => {
            let Some(found) = accounts::by_login(db.conn(), &login)? else {
                bail!(said(accounts::AccountError::NoSuchAccount(login)));
            };
            let password = sign::new_password(&found.login, None, None, lang)?;
            let hash = rules::hash(&password);
            db.write(|tx| accounts::set_password(tx, &found.login, &hash, true, stamp))
                .map_err(said)?;
            say!("{}", lang.tf("accounts.reset", &[("login", &found.login)]));
            Ok(ExitCode::SUCCESS)
        }
        AccountsWhat::Lock { login } => lock(db, &login, true, signed, lang),
        AccountsWhat::Unlock { login } => lock(db, &login, false, signed, lang),
        AccountsWhat::Password => {
            let Some(account) = &signed.account else {
                bail!(lang.t("accounts.no_accounts").to_owned());
            };
            let password = sign::new_password(&account.login, None, None, lang)?;
            let hash = rules::hash(&password);
            db.write(|tx| accounts::set_password(tx, &account.login, &hash, false, stamp))
                .map_err(said)?;
            say!("{}", lang.t("sign_in.password_changed"));
            Ok(ExitCode::SUCCESS)
        }
        AccountsWhat::Permissions => permissions(db, lang),
        AccountsWhat::Permit { deed, roles } => {
            let Some(deed) = Deed::parse(&deed) else {
                let known: Vec<&str> = Deed::ALL.iter().map(|d| d.key()).collect();
                bail!(lang.tf(
                    "accounts.unknown_deed",
                    &[("deed", &deed), ("known", &known.join(", "))]
                ));
            };
            let roles = parse_roles(&roles, lang)?;
            db.write(|tx| accounts::set_permission(tx, deed, &roles, stamp))?;
            permissions(db, lang)
        }
    }
}

fn lock(
    db: &mut Db,
    login: &str,
    locked: bool,
    signed: &Signed,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    // An admin locking themselves out would leave nobody to unlock them.
    if locked
        && signed
            .account
            .as_ref()
            .is_some_and(|a| a.login.eq_ignore_ascii_case(login.trim()))
    {
        bail!(lang.t("accounts.lock_self").to_owned());
    }
    let account = db
        .write(|tx| accounts::set_locked(tx, login, locked, &signed.stamp))
        .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    let key = match locked {
        true => "accounts.locked",
        false => "accounts.unlocked",
    };
    say!("{}", lang.tf(key, &[("login", &account.login)]));
    Ok(ExitCode::SUCCESS)
}

/// The permission table: each action, its key, and who may take it.
pub fn permissions(db: &Db, lang: Lang) -> anyhow::Result<ExitCode> {
    let table = accounts::permissions(db.conn())?;
    let mut out = super::stdout();
    for (deed, roles) in table.iter() {
        let cells = [
            deed.key().to_owned(),
            lang.t(&deed.label_key()).to_owned(),
            crate::words::needed_roles_words(roles, lang),
        ];
        writeln!(out, "{}", fitted(cells.iter().zip([18, 34, 40])))?;
    }
    writeln!(out, "{}", lang.t("accounts.admin_may_all"))?;
    Ok(ExitCode::SUCCESS)
}
