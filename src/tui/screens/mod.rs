//! The tab screens. Each owns its view state, its key table and its drawing.

pub mod pending;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::action::Action;
use super::keys::KeyHint;
use crate::i18n::Lang;

/// What every screen draws with.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub lang: Lang,
    pub today: chrono::NaiveDate,
}

pub trait Screen {
    /// This screen's key table (footer and help come from it).
    fn keys(&self) -> &'static [KeyHint];

    /// `None` lets the key through to the global keys; `Some(Action::Noop)` swallows it.
    fn handle_key(&mut self, key: KeyEvent) -> Option<Action>;

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx);
}
