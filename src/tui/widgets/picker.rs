//! Pick one value from a list, narrowing it by typing: categories, statuses, rooms, people.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::input::Input;
use crate::tui::theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub title: String,
    /// (value, label)
    options: Vec<(String, String)>,
    filter: Input,
    cursor: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    Nothing,
    Chosen(String),
    Cancelled,
}

impl Picker {
    /// The cursor starts on `current` if it is among the options.
    pub fn new(title: String, options: Vec<(String, String)>, current: &str) -> Picker {
        let cursor = options.iter().position(|(v, _)| v == current).unwrap_or(0);
        Picker {
            title,
            options,
            filter: Input::default(),
            cursor,
        }
    }

    fn visible(&self) -> Vec<&(String, String)> {
        let needle = self.filter.text().to_lowercase();
        self.options
            .iter()
            .filter(|(v, l)| {
                needle.is_empty()
                    || l.to_lowercase().contains(&needle)
                    || v.to_lowercase().contains(&needle)
            })
            .collect()
    }

    /// A key on the pick list a screen holds open: `reopen` gets it back while it stays open;
    /// the value chosen once it closes with one (`None` when it was cancelled).
    pub fn pick(mut self, key: KeyEvent, reopen: impl FnOnce(Picker)) -> Option<String> {
        match self.handle_key(key) {
            Picked::Nothing => {
                reopen(self);
                None
            }
            Picked::Cancelled => None,
            Picked::Chosen(value) => Some(value),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Picked {
        let count = self.visible().len();
        match key.code {
            KeyCode::Esc => return Picked::Cancelled,
            KeyCode::Enter => {
                return self
                    .visible()
                    .get(self.cursor)
                    .map_or(Picked::Nothing, |(v, _)| Picked::Chosen(v.clone()));
            }
            KeyCode::Down | KeyCode::Tab => {
                self.cursor = (self.cursor + 1).min(count.saturating_sub(1))
            }
            KeyCode::Up | KeyCode::BackTab => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::PageDown => self.cursor = (self.cursor + 10).min(count.saturating_sub(1)),
            KeyCode::PageUp => self.cursor = self.cursor.saturating_sub(10),
            _ => {
                if self.filter.handle_key(key) {
                    self.cursor = 0;
                }
            }
        }
        Picked::Nothing
    }

    /// Draw as a full-width panel across the middle of `area`. Full width, because a panel
    /// edge inside a line would cut a double-width character in half.
    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let visible = self.visible();
        let height = (visible.len() as u16 + 2).clamp(3, area.height.min(14));
        let panel = Rect {
            y: area.y + area.height.saturating_sub(height) / 2,
            height,
            ..area
        };
        frame.render_widget(Clear, panel);
        frame.render_widget(Paragraph::new("").style(theme::OVERLAY), panel);
        let title = Line::from(Span::styled(
            format!(" {} ", self.title),
            theme::OVERLAY_TITLE,
        ));
        frame.render_widget(
            Paragraph::new(title).style(theme::OVERLAY_TITLE),
            panel.rows().next().unwrap_or(panel),
        );
        let filter_row = Rect {
            y: panel.y + 1,
            height: 1,
            ..panel
        };
        frame.render_widget(Span::styled("> ", theme::KEY), filter_row);
        self.filter.render(
            frame,
            Rect {
                x: filter_row.x + 2,
                width: filter_row.width.saturating_sub(2),
                ..filter_row
            },
            theme::OVERLAY,
            true,
        );
        let rows = usize::from(height.saturating_sub(2));
        let top = self.cursor.saturating_sub(rows.saturating_sub(1));
        for (i, (_, label)) in visible.iter().enumerate().skip(top).take(rows) {
            let y = panel.y + 2 + (i - top) as u16;
            let style = if i == self.cursor {
                theme::SELECTED
            } else {
                theme::OVERLAY
            };
            let row = Rect {
                y,
                height: 1,
                ..panel
            };
            frame.render_widget(Paragraph::new(format!(" {label}")).style(style), row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn press(p: &mut Picker, code: KeyCode) -> Picked {
        p.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn typing_narrows_and_enter_picks() {
        let options = vec![
            ("server".to_owned(), "服务器".to_owned()),
            ("switch".to_owned(), "交换机".to_owned()),
            ("ups".to_owned(), "UPS".to_owned()),
        ];
        let mut p = Picker::new("类别".into(), options, "switch");
        assert_eq!(
            press(&mut p, KeyCode::Enter),
            Picked::Chosen("switch".into())
        );
        press(&mut p, KeyCode::Char('u'));
        press(&mut p, KeyCode::Char('p'));
        assert_eq!(press(&mut p, KeyCode::Enter), Picked::Chosen("ups".into()));
        assert_eq!(press(&mut p, KeyCode::Esc), Picked::Cancelled);
    }
}
