//! Returns by scan (工具归还): each code scanned comes back in good condition at once, with
//! the borrower and how late shown; `Tab` before a scan marks the next one damaged or lost,
//! which opens the return form for who pays.

use crate::domain::permission::Deed;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::db::tools::{self, Return};
use crate::domain::tool::Condition;
use crate::tui::action::Action;
use crate::tui::layout::rows;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::input::Input;

use super::checkout::render_scanned;
use super::forms::ToolForm;

pub struct ReturnScan {
    scan: Input,
    /// How the next scanned tool comes back.
    next: Condition,
    /// What was returned here, oldest first.
    done: Vec<String>,
    /// The answer to the last scan: a refusal is an error.
    message: Option<(String, bool)>,
}

/// Where a key left the return scan.
pub enum ReturnOutcome {
    Stay(Action),
    Closed,
    /// A damaged or lost tool: its return form asks who pays; the scan waits behind it.
    Form(Box<ToolForm>),
}

impl ReturnScan {
    pub fn new() -> ReturnScan {
        ReturnScan {
            scan: Input::default(),
            next: Condition::Good,
            done: Vec::new(),
            message: None,
        }
    }

    /// A code is being typed.
    pub fn unsaved(&self) -> bool {
        !self.scan.text().is_empty()
    }

    /// The return form opened from here was saved (its message) or cancelled.
    pub fn came_back(&mut self, saved: Option<String>) {
        if let Some(text) = saved {
            self.done.push(text.clone());
            self.message = Some((text, false));
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> ReturnOutcome {
        match key.code {
            KeyCode::Esc => return ReturnOutcome::Closed,
            KeyCode::Tab => {
                self.next = match self.next {
                    Condition::Good => Condition::Damaged,
                    Condition::Damaged => Condition::Lost,
                    Condition::Lost => Condition::Good,
                };
            }
            KeyCode::Enter => return self.take_back(ctx),
            _ => {
                self.scan.handle_key(key);
            }
        }
        ReturnOutcome::Stay(Action::Noop)
    }

    /// Enter on the code line: the tool's open loan is returned, or the line says why not.
    fn take_back(&mut self, ctx: &mut Ctx) -> ReturnOutcome {
        let lang = ctx.lang;
        let code = self.scan.text().trim().to_owned();
        // The line is empty for the next scan whatever the answer.
        self.scan = Input::default();
        if code.is_empty() {
            return ReturnOutcome::Stay(Action::Noop);
        }
        let tool = match tools::by_code(ctx.db.conn(), &code) {
            Ok(Some(tool)) => tool,
            _ => return self.refuse(lang.tf("tool_error.unknown_code", &[("code", &code)])),
        };
        let Some(holder) = tool.holder.clone() else {
            return self.refuse(lang.tf("tools.not_out", &[("code", &tool.code)]));
        };
        let condition = std::mem::replace(&mut self.next, Condition::Good);
        if condition != Condition::Good {
            return match ToolForm::give_back_as(ctx, holder.item_id, condition) {
                Some(form) => ReturnOutcome::Form(Box::new(form)),
                None => self.refuse(lang.t("tool_error.not_found").to_owned()),
            };
        }
        let back = Return {
            condition,
            note: String::new(),
            liable_person: String::new(),
            amount: 0,
            settled: false,
            repair: false,
        };
        let today = ctx.today;
        match ctx.save(Deed::LendTools, |tx, stamp| {
            tools::return_item(tx, holder.item_id, &back, stamp)
        }) {
            Ok(_) => {
                let late = crate::domain::tool::days_overdue(holder.due_on, today);
                let key = if late > 0 {
                    "returns.done_late"
                } else {
                    "returns.done"
                };
                let text = lang.tf(
                    key,
                    &[
                        ("code", &tool.code),
                        ("name", &tool.name),
                        ("borrower", &holder.borrower),
                        ("number", &holder.number),
                        ("days", &late),
                        ("at", &ctx.now.format("%H:%M")),
                    ],
                );
                self.done.push(text.clone());
                self.message = Some((text, false));
            }
            Err(e) => return self.refuse(e.message(lang)),
        }
        ReturnOutcome::Stay(Action::Noop)
    }

    fn refuse(&mut self, text: String) -> ReturnOutcome {
        self.message = Some((text, true));
        ReturnOutcome::Stay(Action::Noop)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        if area.height < 5 {
            return;
        }
        frame.render_widget(
            Span::styled(format!(" {}", lang.t("returns.title")), theme::TITLE),
            rows(area, 0, 1),
        );
        let label = format!(" {} ", lang.t("tool_form.scan"));
        let label_width = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
        frame.render_widget(Span::styled(label, theme::KEY), rows(area, 1, 1));
        let line = rows(area, 1, 1);
        let input_area = Rect {
            x: line.x + label_width,
            width: line.width.saturating_sub(label_width).min(24),
            ..line
        };
        self.scan.render(frame, input_area, theme::INPUT, true);
        let next = lang.tf(
            "returns.next",
            &[("condition", &lang.t(self.next.label_key()))],
        );
        let next_style = if self.next == Condition::Good {
            theme::HINT
        } else {
            theme::WARN
        };
        let after = Rect {
            x: input_area.x + input_area.width + 1,
            width: line
                .width
                .saturating_sub(label_width + input_area.width + 1),
            ..line
        };
        frame.render_widget(Span::styled(next, next_style), after);
        let message = match &self.message {
            Some((text, true)) => Span::styled(format!(" {text}"), theme::FIELD_ERROR),
            Some((text, false)) => Span::styled(format!(" {text}"), theme::NOTICE),
            None => Span::styled(format!(" {}", lang.t("returns.hint")), theme::HINT),
        };
        frame.render_widget(Paragraph::new(Line::from(message)), rows(area, 2, 1));
        let heading = lang.tf("returns.count", &[("count", &self.done.len())]);
        render_scanned(frame, rows(area, 3, area.height - 3), &heading, &self.done);
    }
}
