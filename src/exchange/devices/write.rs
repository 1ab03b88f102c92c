//! Writing a checked import plan in one transaction: a kill, a full disk or Esc at any moment
//! leaves nothing of it or all of it. Another program's save waits for it (see
//! [`crate::db::importing`]).

use rusqlite::Connection;

use super::{Plan, Update};
use crate::db::device_log::EventKind;
use crate::db::devices::{self, SaveError};
use crate::db::{Stamp, importing, search};

/// How many devices an import added and changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub added: usize,
    pub updated: usize,
}

/// Write a plan in one transaction: first the devices that change address (their addresses
/// are freed first, so two of them may swap), then the other changes, then the new devices,
/// indexed for search in one statement. `progress` hears how many devices are written after
/// each change and each batch of new ones; `false` stops the import, and then, as after any
/// error, nothing is written.
pub fn apply(
    conn: &mut Connection,
    plan: &Plan,
    stamp: &Stamp,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<Applied, SaveError> {
    let mut told = 0;
    let mut tell = || {
        told += 1;
        if progress(told) {
            Ok(())
        } else {
            Err(SaveError::Stopped)
        }
    };
    let (movers, others): (Vec<&Update>, Vec<&Update>) = plan
        .updates
        .iter()
        .partition(|u| u.before.record.ip_address != u.after.ip_address);
    let path = conn
        .path()
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from);
    let tx = conn.transaction()?;
    // Once the lock is held (not before: the import itself may have to wait for a writer),
    // others' saves wait for this transaction however long it takes, and say what they wait for.
    let _mark = importing::Mark::set(path.as_deref());
    move_addresses(&tx, &movers, stamp, &mut tell)?;
    for u in others {
        // Each device must still be as the plan read it (another operator may have saved
        // since).
        devices::load_for_change(&tx, u.before.id, u.before.row_version)?;
        devices::update_from(&tx, &u.before, &u.after, EventKind::Imported, stamp)?;
        tell()?;
    }
    let updated = told;
    search::adding(&tx, "devices_search", || {
        let records = plan.adds.iter().map(|(_, record)| record);
        devices::insert_all(&tx, records, EventKind::Imported, stamp, &mut |added| {
            progress(updated + added)
        })
    })?;
    tx.commit()?;
    Ok(Applied {
        added: plan.adds.len(),
        updated: plan.updates.len(),
    })
}

/// The devices that change address: their addresses are freed first, so two of them can swap,
/// then each is written (its history compares with the plan's `before`).
fn move_addresses(
    tx: &rusqlite::Transaction,
    movers: &[&Update],
    stamp: &Stamp,
    tell: &mut dyn FnMut() -> Result<(), SaveError>,
) -> Result<(), SaveError> {
    for u in movers {
        devices::load_for_change(tx, u.before.id, u.before.row_version)?;
    }
    for u in movers {
        devices::release_address(tx, u.before.id, stamp)?;
    }
    for u in movers {
        devices::update_from(tx, &u.before, &u.after, EventKind::Imported, stamp)?;
        tell()?;
    }
    Ok(())
}
