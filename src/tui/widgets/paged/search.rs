//! A list's search line: the keys typed into it, and what they did to the search.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::tui::widgets::input::Input;

/// What a key did on a list's search line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Searched {
    /// `Enter` or `↓`: the search is kept, and the list takes the keys again.
    Kept,
    /// `Esc`: the line is emptied, and the list takes the keys again.
    Cleared,
    /// Anything else is typed; the line keeps the keys. Whether the text changed.
    Typed(bool),
}

impl Searched {
    /// Whether the line keeps the keys.
    pub fn typing(self) -> bool {
        matches!(self, Searched::Typed(_))
    }

    /// Whether the search's words changed: the list is read again from its top.
    pub fn changed(self) -> bool {
        matches!(self, Searched::Cleared | Searched::Typed(true))
    }
}

/// Apply `key` to the search `line`.
pub fn search_key(key: KeyEvent, line: &mut Input) -> Searched {
    match key.code {
        KeyCode::Enter | KeyCode::Down => Searched::Kept,
        KeyCode::Esc => {
            *line = Input::default();
            Searched::Cleared
        }
        _ => Searched::Typed(line.handle_key(key)),
    }
}
