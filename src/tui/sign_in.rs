//! The sign-in screen: login name and password, or a new password typed twice where it must be
//! changed. It covers the whole console and shows no data; the shell checks what is typed.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme;
use super::widgets::input::Input;
use super::widgets::wrap::wrap;
use crate::domain::account::MIN_PASSWORD_CHARS;
use crate::i18n::Lang;

/// Which question the screen asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Login and password.
    Credentials,
    /// A new password, twice: the first sign-in, a reset, or a password older than so many
    /// days.
    NewPassword { expired: Option<i64> },
}

/// What the operator asked for with a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    Credentials { login: String, password: String },
    NewPassword { new: String, again: String },
    Quit,
}

pub struct SignIn {
    pub ask: Ask,
    fields: [Input; 2],
    focus: usize,
    error: Option<String>,
    /// Locked for this person (their name), after so many idle minutes or (`None`) by a key:
    /// their work waits for them.
    locked_for: Option<(String, Option<String>)>,
}

impl SignIn {
    /// Asking for login and password, the login filled in where known.
    pub fn credentials(login: &str) -> SignIn {
        SignIn {
            ask: Ask::Credentials,
            fields: [Input::new(login), Input::default()],
            focus: usize::from(!login.is_empty()),
            error: None,
            locked_for: None,
        }
    }

    /// The console locked for `name`, whose work waits, after `minutes` idle or by a key.
    pub fn locked(login: &str, name: &str, minutes: Option<String>) -> SignIn {
        SignIn {
            locked_for: Some((name.to_owned(), minutes)),
            ..SignIn::credentials(login)
        }
    }

    pub fn new_password(expired: Option<i64>) -> SignIn {
        SignIn {
            ask: Ask::NewPassword { expired },
            ..SignIn::credentials("")
        }
    }

    /// Why the last try failed; the password fields are emptied for the next one.
    pub fn refuse(&mut self, why: String) {
        self.error = Some(why);
        match self.ask {
            Ask::Credentials => {
                self.fields[1] = Input::default();
                self.focus = 1;
            }
            Ask::NewPassword { .. } => {
                self.fields = [Input::default(), Input::default()];
                self.focus = 0;
            }
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Submitted> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c' | 'C') if ctrl => return Some(Submitted::Quit),
            KeyCode::Tab | KeyCode::Down | KeyCode::BackTab | KeyCode::Up => {
                self.focus = 1 - self.focus;
            }
            KeyCode::Enter if self.focus == 0 => {
                if self.ask == Ask::Credentials && self.fields[0].text().trim().is_empty() {
                    return None;
                }
                self.focus = 1;
            }
            KeyCode::Enter => {
                let [first, second] = [self.fields[0].text(), self.fields[1].text()];
                return Some(match self.ask {
                    Ask::Credentials => Submitted::Credentials {
                        login: first.trim().to_owned(),
                        password: second.to_owned(),
                    },
                    Ask::NewPassword { .. } => Submitted::NewPassword {
                        new: first.to_owned(),
                        again: second.to_owned(),
                    },
                });
            }
            KeyCode::Esc => {
                self.fields[self.focus] = Input::default();
            }
            _ => {
                if self.fields[self.focus].handle_key(key) {
                    self.error = None;
                }
            }
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, db_name: &str, lang: Lang) {
        let width = area.width.min(64);
        let [_, column, _] = Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(width),
            Constraint::Fill(1),
        ])
        .areas(area);
        let [_, boxed, _] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(12),
            Constraint::Fill(2),
        ])
        .areas(column);
        let title = format!(
            " {} - {} ({db_name}) ",
            lang.t("app.name"),
            lang.t("sign_in.title")
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme::TITLE));
        let inner = block.inner(boxed);
        frame.render_widget(block, boxed);
        let rows = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .split(inner);
        let about = match (self.ask, &self.locked_for) {
            (
                Ask::NewPassword {
                    expired: Some(days),
                },
                _,
            ) => lang.tf("sign_in.expired", &[("days", &days)]),
            (Ask::NewPassword { .. }, _) => {
                lang.tf("sign_in.change_hint", &[("min", &MIN_PASSWORD_CHARS)])
            }
            (Ask::Credentials, Some((name, Some(minutes)))) => lang.tf(
                "sign_in.locked_hint",
                &[("minutes", minutes), ("name", name)],
            ),
            (Ask::Credentials, Some((name, None))) => {
                lang.tf("sign_in.locked_by_key", &[("name", name)])
            }
            (Ask::Credentials, None) => lang.t("sign_in.hint").to_owned(),
        };
        let about: Vec<Line> = wrap(&about, inner.width)
            .into_iter()
            .take(2)
            .map(|l| Line::styled(l, theme::HINT))
            .collect();
        frame.render_widget(Paragraph::new(about), rows[0]);
        let labels = match self.ask {
            Ask::Credentials => ["sign_in.login", "sign_in.password"],
            Ask::NewPassword { .. } => ["sign_in.new_password", "sign_in.again"],
        };
        let label_width = 18.min(inner.width / 2);
        for (i, key) in labels.iter().enumerate() {
            let [label, field] =
                Layout::horizontal([Constraint::Length(label_width), Constraint::Fill(1)])
                    .areas(rows[1 + i]);
            frame.render_widget(Paragraph::new(format!("{}:", lang.t(key))), label);
            let secret = self.ask != Ask::Credentials || i == 1;
            let shown = match secret {
                true => self.fields[i].masked(),
                false => self.fields[i].clone(),
            };
            shown.render(frame, field, theme::INPUT, self.focus == i);
        }
        if let Some(error) = &self.error {
            let lines: Vec<Line> = wrap(error, inner.width)
                .into_iter()
                .map(|l| Line::styled(l, theme::FIELD_ERROR))
                .collect();
            frame.render_widget(Paragraph::new(lines), rows[4]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(screen: &mut SignIn, text: &str) {
        for c in text.chars() {
            screen.handle_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn enter_moves_from_login_to_password_and_then_signs_in() {
        let mut screen = SignIn::credentials("");
        assert_eq!(screen.handle_key(key(KeyCode::Enter)), None, "no login yet");
        typed(&mut screen, "linxia");
        assert_eq!(screen.handle_key(key(KeyCode::Enter)), None);
        typed(&mut screen, "secret-1");
        assert_eq!(
            screen.handle_key(key(KeyCode::Enter)),
            Some(Submitted::Credentials {
                login: "linxia".into(),
                password: "secret-1".into()
            })
        );
        screen.refuse("wrong".into());
        typed(&mut screen, "x");
        assert_eq!(
            screen.handle_key(key(KeyCode::Enter)),
            Some(Submitted::Credentials {
                login: "linxia".into(),
                password: "x".into()
            }),
            "a refusal empties the password and keeps the login"
        );
    }
}
