//! Who is at the console with accounts on: the sign-in screen until someone signs in, the new
//! password a first sign-in asks for, the lock after idle minutes (the work waits for the same
//! person), signing out, and the roles each save is checked against.

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::App;
use crate::db::accounts::{self, Account, Event};
use crate::domain::account::{self as rules, PasswordProblem, Policy};
use crate::domain::permission::Table;
use crate::tui::action::{Action, Flash};
use crate::tui::screens::Permit;
use crate::tui::sign_in::{SignIn, Submitted};

/// The console's state with accounts on.
pub struct Access {
    pub policy: Policy,
    /// Signed in; kept while the console is locked, so that their work waits for them.
    pub account: Option<Account>,
    /// The sign-in screen, while it covers the console.
    pub gate: Option<SignIn>,
    /// The permission table, read at sign-in.
    pub table: Table,
    /// When a key was last pressed: the idle lock counts from here.
    pub last_key: Instant,
    /// The operating system's login, which sign-in attempts are logged under.
    os_login: String,
    /// The password typed at a sign-in that must change it: the new one may not be the same.
    changing_from: Option<String>,
}

impl Access {
    pub fn permit(&self) -> Permit<'_> {
        match &self.account {
            Some(account) => Permit::Roles {
                held: &account.roles,
                table: &self.table,
            },
            // Nobody signed in takes no action (the gate covers the console meanwhile).
            None => Permit::Roles {
                held: &NO_ROLES,
                table: &self.table,
            },
        }
    }
}

static NO_ROLES: crate::domain::role::Roles = crate::domain::role::Roles::none();

impl App {
    /// Accounts are on: nothing is shown before someone signs in (`login` filled in if known).
    pub fn require_sign_in(&mut self, policy: Policy, login: &str, os_login: String) {
        self.operator.clear();
        self.access = Some(Access {
            policy,
            account: None,
            gate: Some(SignIn::credentials(login)),
            table: Table::default(),
            last_key: Instant::now(),
            os_login,
            changing_from: None,
        });
    }

    /// Whether the sign-in screen covers the console.
    pub fn gated(&self) -> bool {
        self.access.as_ref().is_some_and(|a| a.gate.is_some())
    }

    /// A key while the sign-in screen is up: all keys go to it.
    pub(super) fn sign_in_key(&mut self, key: KeyEvent) -> Action {
        let Some(gate) = self.access.as_mut().and_then(|a| a.gate.as_mut()) else {
            return Action::Noop;
        };
        match gate.handle_key(key) {
            None => Action::Noop,
            // Ctrl-C leaves at once, as everywhere; a locked person's unsaved form is lost.
            Some(Submitted::Quit) => {
                self.quit = true;
                Action::Noop
            }
            Some(Submitted::Credentials { login, password }) => {
                self.sign_in(&login, password);
                Action::Noop
            }
            Some(Submitted::NewPassword { new, again }) => {
                self.change_password(new, again);
                Action::Noop
            }
        }
    }

    /// Keys that act on the session: Ctrl-L locks the console now, Ctrl-O signs out.
    pub(super) fn session_key(&mut self, key: KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let access = self.access.as_mut()?;
        access.last_key = Instant::now();
        match key.code {
            KeyCode::Char('l' | 'L') if ctrl => {
                self.lock("Ctrl-L");
                Some(Action::Noop)
            }
            KeyCode::Char('o' | 'O') if ctrl => Some(self.sign_out()),
            _ => None,
        }
    }

    fn refuse(&mut self, why: String) {
        if let Some(gate) = self.access.as_mut().and_then(|a| a.gate.as_mut()) {
            gate.refuse(why);
        }
    }

    fn sign_in(&mut self, login: &str, password: String) {
        let Some(access) = self.access.as_mut() else {
            return;
        };
        let (policy, os) = (access.policy, access.os_login.clone());
        let now = self.now;
        let attempt = accounts::Attempt {
            login,
            password: &password,
            by: &os,
            place: "console",
        };
        // A failed try is logged under the operating system's login: nobody is signed in.
        let outcome = self.db.set_login(Some(os.clone())).and_then(|()| {
            self.db
                .write(|tx| accounts::sign_in(tx, &attempt, now, &policy, Event::SignIn))
        });
        let signed = match outcome {
            Err(e) => return self.refuse(crate::words::failure_message(&e, self.lang)),
            Ok(Err(refused)) => return self.refuse(refused.message(self.lang)),
            Ok(Ok(signed)) => signed,
        };
        let table = match accounts::permissions(self.db.conn()) {
            Ok(table) => table,
            Err(e) => return self.refuse(crate::words::failure_message(&e, self.lang)),
        };
        let account = signed.account;
        let access = self.access.as_mut().expect("accounts are on");
        let same = access.account.as_ref().is_some_and(|a| a.id == account.id);
        let other_was_here = access.account.is_some() && !same;
        access.table = table;
        access.last_key = Instant::now();
        access.account = Some(account.clone());
        let expired = policy
            .expired(account.password_changed_at, now)
            .then_some(policy.password_days);
        access.gate = match signed.must_change {
            true => {
                access.changing_from = Some(password);
                Some(SignIn::new_password(expired))
            }
            false => None,
        };
        if other_was_here {
            // Someone else's console: the one who locked it loses their unsaved work.
            self.start_afresh();
        }
        self.operator = account.name.clone();
        let _ = self.db.set_login(Some(account.login.clone()));
        if !signed.must_change {
            self.say_signed_in();
        }
    }

    fn say_signed_in(&mut self) {
        let Some(account) = self.access.as_ref().and_then(|a| a.account.as_ref()) else {
            return;
        };
        let roles = crate::words::roles_words(&account.roles, self.lang);
        let text = self.lang.tf(
            "sign_in.signed_in",
            &[("name", &account.name), ("roles", &roles)],
        );
        self.flash = Some((Flash::info(text), Instant::now()));
    }

    fn change_password(&mut self, new: String, again: String) {
        let Some(access) = self.access.as_mut() else {
            return;
        };
        let Some(account) = access.account.clone() else {
            return;
        };
        let problem = match new == again {
            false => Err(PasswordProblem::Mismatch),
            true => {
                rules::check_new_password(&new, &account.login, access.changing_from.as_deref())
            }
        };
        if let Err(problem) = problem {
            return self.refuse(crate::words::password_problem(problem, self.lang));
        }
        let hash = rules::hash(&new);
        let stamp = crate::db::Stamp::new(account.name.clone(), self.now);
        let saved = self
            .db
            .write(|tx| accounts::set_password(tx, &account.login, &hash, false, &stamp));
        match saved {
            Err(e) => self.refuse(e.message(self.lang)),
            Ok(changed) => {
                let access = self.access.as_mut().expect("accounts are on");
                access.account = Some(changed);
                access.changing_from = None;
                access.gate = None;
                let text = self.lang.t("sign_in.password_changed").to_owned();
                self.flash = Some((Flash::info(text), Instant::now()));
            }
        }
    }

    /// Lock the console for the one signed in: the sign-in screen covers it, and their work
    /// waits for them.
    fn lock(&mut self, why: &str) {
        let Some(access) = self.access.as_mut() else {
            return;
        };
        let Some(account) = access.account.clone() else {
            return;
        };
        if access.gate.is_some() {
            return;
        }
        let minutes = (why == "idle").then(|| access.policy.idle_minutes_text());
        access.gate = Some(SignIn::locked(&account.login, &account.name, minutes));
        self.help = None;
        if let Err(e) = self.log(&account, Event::ConsoleLocked, why) {
            *self.failed_read.borrow_mut() = Some(e.to_string());
        }
    }

    /// Write `event` of `account` into the user-use log.
    fn log(&mut self, account: &Account, event: Event, detail: &str) -> rusqlite::Result<()> {
        let stamp = crate::db::Stamp::new(account.name.clone(), self.now);
        self.db.write(|tx| {
            accounts::record(tx, Some(account.id), &account.login, event, detail, &stamp)
        })
    }

    /// Sign out: refused while a form holds unsaved work, which would be lost.
    fn sign_out(&mut self) -> Action {
        if self.screens.iter().any(|s| s.unsaved()) {
            let text = self.lang.t("sign_in.unsaved").to_owned();
            return Action::Flash(Flash::error(text));
        }
        let Some(access) = self.access.as_mut() else {
            return Action::Noop;
        };
        let Some(account) = access.account.take() else {
            return Action::Noop;
        };
        access.gate = Some(SignIn::credentials(""));
        if let Err(e) = self.log(&account, Event::SignOut, "console") {
            self.refuse(crate::words::failure_message(&e, self.lang));
        }
        self.start_afresh();
        self.operator.clear();
        Action::Noop
    }

    /// Lock the console once no key was pressed for the configured idle minutes.
    pub(super) fn lock_if_idle(&mut self, now: Instant) {
        let Some(access) = self.access.as_ref() else {
            return;
        };
        let idle = access
            .policy
            .idle_limit()
            .is_some_and(|limit| now.saturating_duration_since(access.last_key) >= limit);
        if idle && access.account.is_some() && access.gate.is_none() {
            self.lock("idle");
        }
    }

    /// The screens as a new session finds them: nobody's forms, filters or undo carried over.
    fn start_afresh(&mut self) {
        self.screens = super::new_screens();
        self.tab = crate::tui::tabs::Tab::Checks;
        self.audit = None;
        self.log_open = false;
        self.help = None;
        self.undo_since = crate::db::audit::last_id(self.db.conn()).unwrap_or_default();
        self.undo_skip.clear();
    }
}

#[cfg(test)]
mod tests;
