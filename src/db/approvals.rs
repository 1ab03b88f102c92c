//! Approvals by real people: the approver is a working person of the directory who holds the
//! role the permission table gives the approval, never the one recording the action, and with
//! accounts on either countersigns with their own password or is recorded as approving on
//! paper, by the slip's number.

use chrono::NaiveDateTime;
use rusqlite::Connection;

use super::Stamp;
use super::accounts::{self, Event, Refused};
use crate::domain::account::Policy;
use crate::domain::permission::Deed;
use crate::domain::role::Roles;

/// A countersignature checked a moment ago: made only by [`countersign`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Countersigned {
    login: String,
    name: String,
}

impl Countersigned {
    /// Whose it is: the person's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What shows an approval was given, besides the approver's name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Evidence {
    /// Nothing (open mode).
    #[default]
    None,
    /// The approver typed their password on the spot.
    Countersigned(Countersigned),
    /// The approval is on paper: the slip's number (《调用记录单》 and the like).
    Paper(String),
}

impl Evidence {
    /// As stored beside the approver: `countersigned:LOGIN`, `paper:NUMBER` or nothing.
    pub fn stored(&self) -> String {
        match self {
            Evidence::None => String::new(),
            Evidence::Countersigned(c) => format!("countersigned:{}", c.login),
            Evidence::Paper(number) => format!("paper:{}", number.trim()),
        }
    }
}

/// Why an approval is refused. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApprovalError {
    NeedsApprover,
    /// Nobody working here has the name.
    Unknown(String),
    /// They work here but hold none of these roles.
    LacksRole {
        name: String,
        roles: Roles,
    },
    /// The operator recording the action named themselves.
    SelfApproved,
    /// Accounts are on: the approver countersigns, or the paper slip's number is given.
    NeedsEvidence,
    /// The countersignature is another person's.
    CountersignedByOther,
}

/// Check that `approver` may approve `deed` for this action, and return what is stored of the
/// evidence.
pub fn check(
    conn: &Connection,
    approver: &str,
    deed: Deed,
    evidence: &Evidence,
    stamp: &Stamp,
) -> Result<Result<String, ApprovalError>, rusqlite::Error> {
    if let Err(e) = check_approver(conn, approver, deed, stamp)? {
        return Ok(Err(e));
    }
    let approver = approver.trim();
    if accounts::enabled(conn)? {
        match evidence {
            Evidence::None => return Ok(Err(ApprovalError::NeedsEvidence)),
            Evidence::Paper(number) if number.trim().is_empty() => {
                return Ok(Err(ApprovalError::NeedsEvidence));
            }
            Evidence::Countersigned(c) if c.name != approver => {
                return Ok(Err(ApprovalError::CountersignedByOther));
            }
            _ => {}
        }
    }
    Ok(Ok(evidence.stored()))
}

/// Whether `approver` may approve `deed` for an action `stamp` records, evidence aside: a
/// working person holding the role, not the operator.
pub fn check_approver(
    conn: &Connection,
    approver: &str,
    deed: Deed,
    stamp: &Stamp,
) -> rusqlite::Result<Result<(), ApprovalError>> {
    let approver = approver.trim();
    if approver.is_empty() {
        return Ok(Err(ApprovalError::NeedsApprover));
    }
    if approver == stamp.by.trim() {
        return Ok(Err(ApprovalError::SelfApproved));
    }
    let table = accounts::permissions(conn)?;
    let held: Vec<Roles> = conn
        .prepare_cached(
            "SELECT roles FROM people
             WHERE name = ?1 AND retired_at IS NULL AND left_on IS NULL",
        )?
        .query_map([approver], |r| r.get::<_, String>(0))?
        .map(|keys| keys.map(|k| Roles::from_keys(&k)))
        .collect::<Result<_, _>>()?;
    if held.is_empty() {
        return Ok(Err(ApprovalError::Unknown(approver.to_owned())));
    }
    if !held.iter().any(|roles| table.approves(roles, deed)) {
        return Ok(Err(ApprovalError::LacksRole {
            name: approver.to_owned(),
            roles: table.roles(deed),
        }));
    }
    Ok(Ok(()))
}

/// The working people who may approve `deed`, by name (each once), for pick lists.
pub fn approvers(conn: &Connection, deed: Deed) -> rusqlite::Result<Vec<String>> {
    let table = accounts::permissions(conn)?;
    let people: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT name, roles FROM people
             WHERE retired_at IS NULL AND left_on IS NULL AND roles <> '' ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut names: Vec<String> = Vec::new();
    for (name, roles) in people {
        if table.approves(&Roles::from_keys(&roles), deed) && !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

/// The person `name` countersigns `what` (an approval's key, a repair's sign-off) with their
/// password. A wrong one counts as a failed
/// sign-in of their account (five lock it); both are logged. The caller commits the log even
/// when the countersignature is refused.
pub fn countersign(
    conn: &Connection,
    name: &str,
    password: &str,
    what: &str,
    now: NaiveDateTime,
    by: &str,
) -> rusqlite::Result<Result<Countersigned, Refused>> {
    let login = accounts::list(conn)?
        .into_iter()
        .find(|a| a.name == name.trim() && !a.left)
        .map(|a| a.login);
    let Some(login) = login else {
        return Ok(Err(Refused::NoAccountToCountersign(name.trim().to_owned())));
    };
    let place = format!("countersign: {what}");
    // Expiry does not stop a countersignature: the approver changes it at their next sign-in.
    let policy = Policy {
        password_days: 0,
        ..Policy::default()
    };
    let attempt = accounts::Attempt {
        login: &login,
        password,
        by,
        place: &place,
    };
    let outcome = accounts::sign_in(conn, &attempt, now, &policy, Event::Countersigned)?;
    Ok(outcome.map(|signed| Countersigned {
        login: signed.account.login,
        name: signed.account.name,
    }))
}

#[cfg(test)]
mod tests;
