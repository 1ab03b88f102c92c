//! Who a command that writes is done by: in open mode the operator named, with the operating
//! system's login beside it; with accounts on, an account signed in with its password and
//! allowed to take the action. Passwords come from the terminal or from a file named in the
//! environment, for scripts.

use std::io::IsTerminal;

use anyhow::bail;

use crate::db::accounts::{self, Account, Event};
use crate::db::{Db, Stamp};
use crate::domain::account::{self, Policy};
use crate::domain::permission::Deed;
use crate::i18n::Lang;

/// The file whose first line is the signing operator's password.
pub const PASSWORD_FILE: &str = "JIFANG_PASSWORD_FILE";
/// The file whose first line is a new password (an account added or reset, a password changed).
pub const NEW_PASSWORD_FILE: &str = "JIFANG_NEW_PASSWORD_FILE";

/// Who a write is by: the stamp its rows carry, and the login its audit rows are written under.
#[derive(Debug, Clone)]
pub struct Signed {
    pub stamp: Stamp,
    pub login: String,
    /// The account, with accounts on.
    pub account: Option<Account>,
}

impl Signed {
    /// Make `db` write its audit rows under this login.
    pub fn apply(&self, db: &mut Db) -> rusqlite::Result<()> {
        db.set_login(Some(self.login.clone()))
    }
}

/// What a sign-in is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Taking an action the permission table names.
    Deed(Deed),
    /// Changing one's own password, which is allowed when it must be changed.
    OwnPassword,
}

/// The operating system's login of whoever runs jifang, as stored.
pub fn os_login() -> String {
    let name = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .or_else(crate::config::account_name)
        .unwrap_or_else(|| format!("uid {}", unsafe_uid()));
    crate::db::os_login(&name)
}

fn unsafe_uid() -> u32 {
    // SAFETY: getuid only reads the process's user id; it cannot fail.
    unsafe { libc::getuid() }
}

/// Sign a write in. Open mode: `open_operator` names who (the OS login goes beside it). With
/// accounts on: `--operator` names the account (its login, or its person's name), the password
/// is read, the account must be let in, its password current, and its roles allow `purpose`.
/// Every sign-in and failure lands in the user-use log; `place` says which command it was.
pub fn sign(
    db: &mut Db,
    purpose: Purpose,
    flag: Option<&str>,
    open_operator: impl FnOnce() -> anyhow::Result<String>,
    place: &str,
    policy: &Policy,
    lang: Lang,
) -> anyhow::Result<Signed> {
    let os = os_login();
    db.set_login(Some(os.clone()))?;
    let now = chrono::Local::now().naive_local();
    if !accounts::enabled(db.conn())? {
        return Ok(Signed {
            stamp: Stamp::new(open_operator()?, now),
            login: os,
            account: None,
        });
    }
    let Some(login) = flag.map(str::trim).filter(|l| !l.is_empty()) else {
        bail!(lang.t("cli_sign.needs_operator").to_owned());
    };
    let login = account_login(db, login)?;
    let password = password(&lang.tf("password.prompt", &[("login", &login)]), lang)?;
    let attempt = accounts::Attempt {
        login: &login,
        password: &password,
        by: &os,
        place,
    };
    let outcome = db.write(|tx| accounts::sign_in(tx, &attempt, now, policy, Event::SignIn))?;
    let signed = match outcome {
        Ok(signed) => signed,
        Err(refused) => bail!(refused.message(lang)),
    };
    let account = signed.account;
    if signed.must_change && purpose != Purpose::OwnPassword {
        bail!(lang.tf("cli_sign.must_change", &[("login", &account.login)]));
    }
    if let Purpose::Deed(deed) = purpose {
        let table = accounts::permissions(db.conn())?;
        if !table.allows(&account.roles, deed) {
            bail!(crate::words::refusal(deed, &table.roles(deed), lang));
        }
    }
    let signed = Signed {
        stamp: Stamp::new(account.name.clone(), now),
        login: account.login.clone(),
        account: Some(account),
    };
    signed.apply(db)?;
    Ok(signed)
}

/// The login `--operator` means: a login, or the name of the one person with an account.
fn account_login(db: &Db, given: &str) -> anyhow::Result<String> {
    if let Some(account) = accounts::by_login(db.conn(), given)? {
        return Ok(account.login);
    }
    let named: Vec<Account> = accounts::list(db.conn())?
        .into_iter()
        .filter(|a| a.name == given)
        .collect();
    Ok(match named.as_slice() {
        [one] => one.login.clone(),
        // Unknown: the sign-in fails and is recorded as typed.
        _ => given.to_owned(),
    })
}

/// The first line of the file named by `variable`, if it is set.
fn from_file(variable: &str, lang: Lang) -> anyhow::Result<Option<String>> {
    let Some(path) = std::env::var_os(variable) else {
        return Ok(None);
    };
    let shown = std::path::Path::new(&path).display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        anyhow::anyhow!(lang.tf(
            "cli_sign.file_unreadable",
            &[("variable", &variable), ("path", &shown), ("reason", &e)]
        ))
    })?;
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        bail!(lang.tf(
            "cli_sign.file_empty",
            &[("variable", &variable), ("path", &shown)]
        ));
    }
    Ok(Some(line.to_owned()))
}

/// Ask on the terminal without echo.
fn ask(prompt: &str, variable: &str, lang: Lang) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() && !std::io::stderr().is_terminal() {
        bail!(lang.tf("cli_sign.no_terminal", &[("variable", &variable)]));
    }
    rpassword::prompt_password(prompt)
        .map_err(|_| anyhow::anyhow!(lang.tf("cli_sign.no_terminal", &[("variable", &variable)])))
}

/// The signing operator's password: from [`PASSWORD_FILE`], else asked.
pub fn password(prompt: &str, lang: Lang) -> anyhow::Result<String> {
    match from_file(PASSWORD_FILE, lang)? {
        Some(password) => Ok(password),
        None => ask(prompt, PASSWORD_FILE, lang),
    }
}

/// A new password for `login`: from [`NEW_PASSWORD_FILE`] (or `fallback`'s file, for the first
/// account, which nobody signs for), else asked twice; checked against the rules.
pub fn new_password(
    login: &str,
    fallback: Option<&str>,
    old: Option<&str>,
    lang: Lang,
) -> anyhow::Result<String> {
    let from = match from_file(NEW_PASSWORD_FILE, lang)? {
        Some(p) => Some(p),
        None => match fallback {
            Some(variable) => from_file(variable, lang)?,
            None => None,
        },
    };
    let password = match from {
        Some(p) => p,
        None => {
            let first = ask(
                &lang.tf("password.prompt_new", &[("login", &login)]),
                NEW_PASSWORD_FILE,
                lang,
            )?;
            let again = ask(lang.t("password.prompt_again"), NEW_PASSWORD_FILE, lang)?;
            if first != again {
                bail!(crate::words::password_problem(
                    account::PasswordProblem::Mismatch,
                    lang
                ));
            }
            first
        }
    };
    account::check_new_password(&password, login, old)
        .map_err(|p| anyhow::anyhow!(crate::words::password_problem(p, lang)))?;
    Ok(password)
}
