//! The tab screens. Each owns its view state, its key table and its drawing.

pub mod audit_log;
pub mod checks;
pub mod data;
pub mod devices;
pub mod repairs;
pub mod reports;
pub mod tools;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::action::{Action, Intent};
use super::keys::KeyHint;
use crate::db::{Db, Stamp};
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
}

impl Ctx<'_> {
    /// Who makes a change now, for the rows it writes.
    pub fn stamp(&self) -> Stamp {
        Stamp::new(self.operator, self.now)
    }
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
