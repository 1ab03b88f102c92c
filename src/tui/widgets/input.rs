//! A one-line text input: editing keys, and drawing that keeps the cursor in view and puts
//! the terminal cursor there (so input methods place their candidate window right).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use unicode_width::UnicodeWidthChar;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    text: String,
    /// In characters, 0..=len.
    cursor: usize,
}

impl Input {
    pub fn new(text: impl Into<String>) -> Input {
        let text = text.into();
        let cursor = text.chars().count();
        Input { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The same input with every character shown as `*`, the cursor where it was: a password
    /// as drawn.
    pub fn masked(&self) -> Input {
        Input {
            text: "*".repeat(self.text.chars().count()),
            cursor: self.cursor,
        }
    }

    pub fn set(&mut self, text: impl Into<String>) {
        *self = Input::new(text);
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// Apply an editing key; `true` if the text changed. Keys it does not know are ignored,
    /// so the caller can give them their own meaning.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.text.chars().count();
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.text.replace_range(..at, "");
                self.cursor = 0;
                true
            }
            KeyCode::Char('w') if ctrl => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
                self.text.replace_range(from..to, "");
                self.cursor = start;
                from != to
            }
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                false
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = len;
                false
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                true
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                true
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            KeyCode::Home => {
                self.cursor = 0;
                false
            }
            KeyCode::End => {
                self.cursor = len;
                false
            }
            _ => false,
        }
    }

    /// Draw the text in `area` (one line), scrolled so the cursor shows; with `focused` the
    /// terminal cursor is put at the insertion point.
    pub fn render(&self, frame: &mut Frame, area: Rect, style: Style, focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let width = usize::from(area.width);
        let chars: Vec<char> = self
            .text
            .chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .collect();
        let w = |c: &char| c.width().unwrap_or(0);
        // Start far enough right that the cursor (plus one cell for it) fits.
        let mut start = 0;
        let mut before: usize = chars[..self.cursor.min(chars.len())].iter().map(w).sum();
        while before + 1 > width && start < self.cursor {
            before -= w(&chars[start]);
            start += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for c in &chars[start..] {
            if used + w(c) > width {
                break;
            }
            shown.push(*c);
            used += w(c);
        }
        frame.render_widget(Span::styled(shown, style), area);
        if focused {
            let x = area.x + before.min(width.saturating_sub(1)) as u16;
            frame.set_cursor_position(Position::new(x, area.y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(input: &mut Input, keys: &[KeyCode]) {
        for k in keys {
            input.handle_key(KeyEvent::new(*k, KeyModifiers::NONE));
        }
    }

    #[test]
    fn editing_works_on_characters_not_bytes() {
        let mut input = Input::new("机房A");
        typed(
            &mut input,
            &[KeyCode::Left, KeyCode::Backspace, KeyCode::Char('B')],
        );
        assert_eq!(input.text(), "机BA");
        typed(
            &mut input,
            &[
                KeyCode::Home,
                KeyCode::Delete,
                KeyCode::End,
                KeyCode::Char('1'),
            ],
        );
        assert_eq!(input.text(), "BA1");
        input.handle_key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(input.text(), "");
    }

    #[test]
    fn control_keys_are_not_typed() {
        let mut input = Input::default();
        assert!(!input.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
        assert_eq!(input.text(), "");
    }
}
