//! Writing a checked import plan in short steps, so that other operators' saves go on while a
//! big file is written, and saying what was written when it stops part-way.

use std::fmt::Display;

use rusqlite::Connection;

use super::{Plan, Update};
use crate::db::device_log::EventKind;
use crate::db::devices::{self, SaveError};
use crate::db::{Stamp, search, steps};
use crate::i18n::Lang;

/// How many devices an import added and changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub added: usize,
    pub updated: usize,
}

/// An import that stopped part-way: what it wrote, what it did not, and why.
#[derive(Debug)]
pub struct Unfinished {
    pub written: Applied,
    pub left: usize,
    pub error: SaveError,
}

impl Unfinished {
    pub fn message(&self, lang: Lang) -> String {
        let Applied { added, updated } = self.written;
        if added + updated == 0 {
            // "Stopped: nothing was written", or the reason for a refusal.
            return self.error.message(lang);
        }
        // Only the failed step was not saved: the cause, not "nothing was saved".
        let reason = match &self.error {
            SaveError::Db(e) => crate::db::failure_cause(e, lang),
            other => other.message(lang),
        };
        let args: [(&str, &dyn Display); 4] = [
            ("added", &added),
            ("updated", &updated),
            ("left", &self.left),
            ("reason", &reason),
        ];
        match self.error {
            SaveError::Stopped => lang.tf("import.stopped_part", &args),
            _ => lang.tf("import.failed_part", &args),
        }
    }
}

/// Write a plan in short transactions ([`steps::in_steps`]): a save by another operator waits
/// for one step, not for the whole file. First the devices that change address, all in one
/// step (two of them may swap addresses), then the other changes, then the new devices.
/// `progress` hears how many devices are written after each one; `false` stops the import
/// after the steps already committed, and so does an error: [`Unfinished`] says what stays.
pub fn apply(
    conn: &mut Connection,
    plan: &Plan,
    stamp: &Stamp,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<Applied, Unfinished> {
    let mut told = 0;
    let mut tell = || {
        told += 1;
        if progress(told) {
            Ok(())
        } else {
            Err(SaveError::Stopped)
        }
    };
    let total = plan.adds.len() + plan.updates.len();
    let unfinished = |written: Applied, error| Unfinished {
        written,
        left: total - written.added - written.updated,
        error,
    };
    let (movers, others): (Vec<&Update>, Vec<&Update>) = plan
        .updates
        .iter()
        .partition(|u| u.before.record.ip_address != u.after.ip_address);
    let mut written = Applied {
        added: 0,
        updated: 0,
    };
    if !movers.is_empty() {
        move_addresses(conn, &movers, stamp, &mut tell).map_err(|e| unfinished(written, e))?;
        written.updated = movers.len();
    }
    let changed = steps::in_steps(conn, &others, |tx, step| {
        for u in step {
            // Each device must still be as the plan read it (another operator may have saved
            // since).
            devices::load_for_change(tx, u.before.id, u.before.row_version)?;
            devices::update_from(tx, &u.before, &u.after, EventKind::Imported, stamp)?;
            tell()?;
        }
        Ok(())
    });
    match changed {
        Ok(n) => written.updated += n,
        Err(part) => {
            written.updated += part.committed;
            return Err(unfinished(written, part.error));
        }
    }
    let added = steps::in_steps(conn, &plan.adds, |tx, step| {
        search::adding(tx, "devices_search", || {
            for (_, record) in step {
                devices::insert(tx, record, EventKind::Imported, stamp)?;
                tell()?;
            }
            Ok::<_, SaveError>(())
        })
    });
    match added {
        Ok(n) => written.added = n,
        Err(part) => {
            written.added = part.committed;
            return Err(unfinished(written, part.error));
        }
    }
    Ok(written)
}

/// The devices that change address, in one transaction: their addresses are freed first, so
/// two of them can swap, then each is written (its history compares with the plan's `before`).
fn move_addresses(
    conn: &mut Connection,
    movers: &[&Update],
    stamp: &Stamp,
    tell: &mut dyn FnMut() -> Result<(), SaveError>,
) -> Result<(), SaveError> {
    let tx = conn.transaction()?;
    for u in movers {
        devices::load_for_change(&tx, u.before.id, u.before.row_version)?;
    }
    for u in movers {
        devices::release_address(&tx, u.before.id, stamp)?;
    }
    for u in movers {
        devices::update_from(&tx, &u.before, &u.after, EventKind::Imported, stamp)?;
        tell()?;
    }
    tx.commit()?;
    Ok(())
}
