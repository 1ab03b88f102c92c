//! Key tables: each screen has one, and it feeds both the footer hints and the `?` help overlay.

/// One row of a key table: the keys as printed, and the catalog key of what they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHint {
    pub keys: &'static str,
    pub action: &'static str,
    /// Shown in the footer as well as in help (the footer has room for the common ones only).
    pub footer: bool,
}

impl KeyHint {
    pub const fn new(keys: &'static str, action: &'static str, footer: bool) -> KeyHint {
        KeyHint {
            keys,
            action,
            footer,
        }
    }
}

/// How far a key scrolls a page of text (a detail, a trail, an opened entry): `j`/`k` and the
/// arrows a line, `PgDn`/`Space` and `PgUp` ten; `None` for any other key.
pub fn scroll_step(key: &ratatui::crossterm::event::KeyEvent) -> Option<i32> {
    use ratatui::crossterm::event::KeyCode;
    match key.code {
        KeyCode::Char('j') | KeyCode::Down => Some(1),
        KeyCode::Char('k') | KeyCode::Up => Some(-1),
        KeyCode::PageDown | KeyCode::Char(' ') => Some(10),
        KeyCode::PageUp => Some(-10),
        _ => None,
    }
}

/// Keys that work on every screen (unless a text field has the focus).
pub const GLOBAL: &[KeyHint] = &[
    KeyHint::new("1-7", "key.jump_tab", false),
    KeyHint::new("Tab / Shift-Tab", "key.cycle_tab", false),
    KeyHint::new("? / F1", "key.help", true),
    KeyHint::new("u", "key.undo", false),
    KeyHint::new("L", "key.audit_log", false),
    KeyHint::new("Esc", "key.close", false),
    KeyHint::new("q", "key.quit", true),
    KeyHint::new("Ctrl-C", "key.force_quit", false),
    KeyHint::new("Ctrl-L", "key.lock", false),
    KeyHint::new("Ctrl-O", "key.sign_out", false),
];

/// Keys inside the help overlay.
pub const HELP: &[KeyHint] = &[
    KeyHint::new("j/k PgUp/PgDn", "key.scroll", true),
    KeyHint::new("Esc / ?", "key.close", true),
];

/// Global keys that still work while a form or search line takes the typing.
pub const TYPING: &[KeyHint] = &[
    KeyHint::new("F1", "key.help", true),
    KeyHint::new("Ctrl-C", "key.force_quit", false),
];

/// While typing a search line.
pub const SEARCH: &[KeyHint] = &[
    KeyHint::new("Enter", "key.search_done", true),
    KeyHint::new("Esc", "key.search_clear", true),
];

/// In a pick list.
pub const PICK: &[KeyHint] = &[
    KeyHint::new("Up/Down", "key.move", false),
    KeyHint::new("Enter", "key.choose", true),
    KeyHint::new("abc", "key.narrow", true),
    KeyHint::new("Esc", "key.cancel", true),
];

/// In a form.
pub const FORM: &[KeyHint] = &[
    KeyHint::new("Ctrl-S", "key.save", true),
    KeyHint::new("Esc", "key.cancel", true),
    KeyHint::new("Tab / Shift-Tab", "key.next_field", true),
    KeyHint::new("Ctrl-P", "key.pick", true),
];
