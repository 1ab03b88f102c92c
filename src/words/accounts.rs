//! The words for accounts: a refused account change, a refused sign-in, a refused password,
//! and an action refused for want of a role.

use crate::db::accounts::{AccountError, Refused};
use crate::db::approvals::ApprovalError;
use crate::domain::account::{MIN_PASSWORD_CHARS, PasswordProblem};
use crate::domain::permission::Deed;
use crate::domain::role::Roles;
use crate::i18n::Lang;

impl AccountError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AccountError::NoLogin => lang.t("account_error.no_login").to_owned(),
            AccountError::LoginTaken(login) => {
                lang.tf("account_error.login_taken", &[("login", login)])
            }
            AccountError::PersonUnknown(name) => {
                lang.tf("account_error.person_unknown", &[("name", name)])
            }
            AccountError::PersonAmbiguous(name) => {
                lang.tf("account_error.person_ambiguous", &[("name", name)])
            }
            AccountError::PersonHasAccount { name, login } => lang.tf(
                "account_error.person_has_account",
                &[("name", name), ("login", login)],
            ),
            AccountError::NoSuchAccount(login) => {
                lang.tf("account_error.no_such_account", &[("login", login)])
            }
            AccountError::Person(e) => e.message(lang),
            AccountError::Db(e) => super::failure_message(e, lang),
        }
    }
}

impl Refused {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Refused::WrongLoginOrPassword => lang.t("sign_in.wrong").to_owned(),
            Refused::Locked(until) => {
                let until = until.format("%H:%M").to_string();
                lang.tf("sign_in.locked", &[("until", &until)])
            }
            Refused::Disabled => lang.t("sign_in.disabled").to_owned(),
            Refused::Left => lang.t("sign_in.left").to_owned(),
            Refused::NoAccountToCountersign(name) => {
                lang.tf("approval.no_account", &[("name", name)])
            }
        }
    }
}

pub fn password_problem(problem: PasswordProblem, lang: Lang) -> String {
    match problem {
        PasswordProblem::TooShort => lang.tf("password.too_short", &[("min", &MIN_PASSWORD_CHARS)]),
        PasswordProblem::IsLogin => lang.t("password.is_login").to_owned(),
        PasswordProblem::Unchanged => lang.t("password.unchanged").to_owned(),
        PasswordProblem::Mismatch => lang.t("password.mismatch").to_owned(),
    }
}

/// The roles someone holds, as words in a list (as a form shows and reads them back).
pub fn roles_words(roles: &Roles, lang: Lang) -> String {
    let words: Vec<&str> = roles.iter().map(|r| lang.t(r.label_key())).collect();
    words.join(lang.t("permission.and"))
}

/// The roles of which one is needed, as words ("deputy or director"); "admin" where none but
/// admins may.
pub fn needed_roles_words(roles: &Roles, lang: Lang) -> String {
    let words: Vec<&str> = roles.iter().map(|r| lang.t(r.label_key())).collect();
    match words.is_empty() {
        true => lang.t("role.admin").to_owned(),
        false => words.join(lang.t("permission.or")),
    }
}

/// "Adding a device needs the role network admin": what was refused and who may.
pub fn refusal(deed: Deed, roles: &Roles, lang: Lang) -> String {
    lang.tf(
        "permission.refused",
        &[
            ("deed", &lang.t(&deed.label_key())),
            ("roles", &needed_roles_words(roles, lang)),
        ],
    )
}

impl ApprovalError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApprovalError::NeedsApprover => lang.t("approval.needs_approver").to_owned(),
            ApprovalError::Unknown(name) => lang.tf("approval.unknown", &[("name", name)]),
            ApprovalError::LacksRole { name, roles } => lang.tf(
                "approval.lacks_role",
                &[("name", name), ("roles", &needed_roles_words(roles, lang))],
            ),
            ApprovalError::SelfApproved => lang.t("approval.self_approved").to_owned(),
            ApprovalError::NeedsEvidence => lang.t("approval.needs_evidence").to_owned(),
            ApprovalError::CountersignedByOther => {
                lang.t("approval.countersigned_by_other").to_owned()
            }
        }
    }
}

/// How an approval was given, as stored beside the approver, in words: countersigned, or the
/// paper slip's number; nothing in open mode.
pub fn evidence_words(stored: &str, lang: Lang) -> String {
    if stored.starts_with("countersigned:") {
        lang.t("approval.countersigned").to_owned()
    } else if let Some(number) = stored.strip_prefix("paper:") {
        lang.tf("approval.paper", &[("number", &number)])
    } else {
        String::new()
    }
}
