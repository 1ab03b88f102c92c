//! The tab screens. Each owns its view state, its key table and its drawing.

pub mod audit_log;
pub mod checks;
pub mod data;
pub mod devices;
pub mod people;
pub mod repairs;
pub mod reports;
pub mod tools;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::action::{Action, Intent};
use super::keys::KeyHint;
use crate::db::job::Job;
use crate::db::{Db, Stamp};
use crate::domain::permission::{Deed, NotPermitted, Table};
use crate::domain::role::Roles;
use crate::error::UserError;
use crate::i18n::Lang;

/// What every screen works with: the language, the clock, who is at the console, and the
/// database.
/// Where a database's reports and list exports go (`jifang paths` shows it).
pub fn reports_dir(db: &Db) -> std::path::PathBuf {
    match db.path() {
        Some(path) => crate::config::reports_dir(path),
        // Only tests run in memory.
        None => std::path::PathBuf::from("reports"),
    }
}

pub struct Ctx<'a> {
    pub lang: Lang,
    pub today: chrono::NaiveDate,
    pub now: chrono::NaiveDateTime,
    pub operator: &'a str,
    pub db: &'a mut Db,
    /// The host number every /24's router holds (the config's `gateway_host`, 1 unless set):
    /// never offered as a free address.
    pub gateway: u8,
    /// Why the last read that failed did, for the status bar (see [`Ctx::read`]).
    pub failed_read: &'a std::cell::RefCell<Option<String>>,
    /// What the one at the console may do.
    pub permit: Permit<'a>,
}

/// What the one at the console may do: anything in open mode; with accounts on, what the
/// permission table gives the roles of the account signed in.
#[derive(Debug, Clone, Copy)]
pub enum Permit<'a> {
    Open,
    Roles { held: &'a Roles, table: &'a Table },
}

impl Permit<'_> {
    pub fn check(&self, deed: Deed) -> Result<(), NotPermitted> {
        match self {
            Permit::Open => Ok(()),
            Permit::Roles { held, table } if table.allows(held, deed) => Ok(()),
            Permit::Roles { table, .. } => Err(NotPermitted {
                deed,
                roles: table.roles(deed),
            }),
        }
    }
}

impl Ctx<'_> {
    /// Who makes a change now, for the rows it writes.
    pub fn stamp(&self) -> Stamp {
        Stamp::new(self.operator, self.now)
    }

    /// A read's value; when it failed, what stands in for it (nothing, zero), with the failure
    /// kept for the status bar: the screen shows what it has, and the operator is told that
    /// something could not be read and why, instead of seeing an empty list.
    pub fn read<T: Default>(&self, read: rusqlite::Result<T>) -> T {
        read.unwrap_or_else(|e| {
            *self.failed_read.borrow_mut() = Some(e.to_string());
            T::default()
        })
    }

    /// A record read by its id: `None` when it is gone, or when the read failed (said in the
    /// status bar, as [`Ctx::read`] does).
    pub fn found<T>(&self, read: rusqlite::Result<Option<T>>) -> Option<T> {
        self.read(read)
    }

    /// Whether accounts are on (someone signed in): approvals then need a countersignature or
    /// a paper slip.
    pub fn accounts_on(&self) -> bool {
        matches!(self.permit, Permit::Roles { .. })
    }

    /// Whether the one at the console may take `deed`; if not, the words saying who may, for a
    /// key that would open a form only to be refused at its save.
    pub fn may(&self, deed: Deed) -> Result<(), String> {
        self.permit
            .check(deed)
            .map_err(|refused| crate::words::refusal(refused.deed, &refused.roles, self.lang))
    }

    /// The one way a screen writes: `work` runs in one transaction, committed if it returns
    /// `Ok` and rolled back (nothing written) if not, with the operator's stamp for the rows
    /// it writes. Whatever must hold for every save is checked here: that the one at the
    /// console may take `deed` (refused, nothing is written and the error names the role).
    pub fn save<T, E: From<rusqlite::Error>>(
        &mut self,
        deed: Deed,
        work: impl FnOnce(&rusqlite::Transaction, &Stamp) -> Result<T, E>,
    ) -> Result<T, E> {
        self.permit
            .check(deed)
            .map_err(|refused| E::from(refused.into_db_error()))?;
        let stamp = self.stamp();
        self.db.write(|tx| work(tx, &stamp))
    }

    /// [`Ctx::save`] for a long write (an import): `work` runs on a job with a connection of
    /// its own (it tells its progress, and stops when told to), or here for an in-memory
    /// database or when no thread can be had. `work` is handed the connection, or why the
    /// job's could not be opened.
    pub fn save_in_background<T, W>(
        &mut self,
        deed: Deed,
        work: W,
    ) -> Result<Saving<T>, NotPermitted>
    where
        T: Send + 'static,
        W: FnOnce(
                Result<&mut rusqlite::Connection, UserError>,
                &Stamp,
                &mut dyn FnMut(usize) -> bool,
            ) -> T
            + Send
            + Clone
            + 'static,
    {
        self.permit.check(deed)?;
        let stamp = self.stamp();
        let login = self.db.login();
        let job = self.db.path().and_then(|path| {
            let (work, stamp) = (work.clone(), stamp.clone());
            Job::start(path, login, move |db, progress| {
                let mut tell = |done| progress.tell(done);
                match db {
                    Ok(mut db) => work(Ok(db.conn_mut()), &stamp, &mut tell),
                    Err(e) => work(Err(e), &stamp, &mut tell),
                }
            })
        });
        Ok(match job {
            Some(job) => Saving::Job(job),
            None => Saving::Done(work(Ok(self.db.conn_mut()), &stamp, &mut |_| true)),
        })
    }
}

/// A long write begun: running on a job, or already done here.
pub enum Saving<T> {
    Job(Job<T>),
    Done(T),
}

pub trait Screen {
    /// This screen's key table for the mode it is in (footer and help come from it).
    fn keys(&self) -> &'static [KeyHint];

    /// True while typed keys are text (a form or a search line): the global single-letter
    /// keys are then not offered in the footer, since they would be typed instead.
    fn captures_text(&self) -> bool {
        false
    }

    /// `None` lets the key through to the global keys; `Some(Action::Noop)` swallows it.
    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action>;

    /// Start what another screen asked for (the shell has switched to this tab).
    fn open(&mut self, _intent: Intent, _ctx: &mut Ctx) {}

    /// True while a form holds typed work that is not saved: quitting then asks first.
    fn unsaved(&self) -> bool {
        false
    }

    /// Another program (or an undo) changed the database: drop anything kept from it, so the
    /// next frame shows what is there now.
    fn data_changed(&mut self) {}

    /// True while work is on its way from a worker (a count): the shell then draws again soon
    /// instead of waiting for a key.
    fn busy(&self) -> bool {
        false
    }

    /// A message this screen's background work left for the status bar (an export written),
    /// taken once. Asked at every frame, whichever tab is open.
    fn take_notice(&mut self, _ctx: &Ctx) -> Option<crate::tui::action::Flash> {
        None
    }

    /// Draw into `area`. Screens read what they show here (only the visible rows), so a
    /// change made in another tab or process shows on the next frame they reload.
    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx);
}

#[cfg(test)]
mod tests {
    /// Screens write only through [`super::Ctx::save`]: the one place every save passes. The
    /// sign-in's own writes (the user-use log, a new password) are made before anyone holds a
    /// role, in the one module that keeps the session.
    #[test]
    fn no_screen_writes_but_through_the_one_gate() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/tui"));
        let mut found = Vec::new();
        for path in crate::i18n::tests::rust_files(dir) {
            let name = path.display().to_string();
            if name.ends_with("tests.rs")
                || name.ends_with("screens/mod.rs")
                || name.ends_with("app/access.rs")
            {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (n, line) in source.lines().enumerate() {
                if line.contains(".write(|") || line.contains("conn_mut()") {
                    found.push(format!("{name}:{}: {}", n + 1, line.trim()));
                }
            }
        }
        assert!(found.is_empty(), "writes past Ctx::save: {found:#?}");
    }
}
