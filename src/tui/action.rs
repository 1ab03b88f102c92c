//! What a key press asks for. Handlers only describe effects; `App::apply` carries them out.

use super::tabs::Tab;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The key was taken and nothing more needs doing.
    Noop,
    Quit,
    SwitchTab(Tab),
    NextTab,
    PrevTab,
    OpenHelp,
    CloseOverlay,
    ScrollHelp(i32),
    Flash(Flash),
}

/// A one-line message in the status bar: the result of an action, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub is_error: bool,
}

impl Flash {
    pub fn info(text: impl Into<String>) -> Flash {
        Flash {
            text: text.into(),
            is_error: false,
        }
    }

    pub fn error(text: impl Into<String>) -> Flash {
        Flash {
            text: text.into(),
            is_error: true,
        }
    }
}
