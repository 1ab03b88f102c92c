//! One tool in full: what it is, where it is kept, who holds it until when, and every loan of
//! it with how it came back and who paid.

use crate::db::paging::Place;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::table::period_text;
use crate::db::tools::{self, LoanQuery, LoanRow, Tool};
use crate::domain::repair::money_text;
use crate::text::fit;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::scrolled::{self, Scroll};

/// How many of a tool's loans the detail shows (the loans view, `h`, has them all).
const HISTORY: usize = 200;

pub struct Detail {
    pub tool: Tool,
    history: Vec<LoanRow>,
    pub scroll: Scroll,
}

impl Detail {
    pub fn load(ctx: &Ctx, id: i64) -> Option<Detail> {
        let conn = ctx.db.conn();
        let tool = ctx.found(tools::get(conn, id))?;
        let query = LoanQuery {
            tool_id: Some(id),
            ..LoanQuery::default()
        };
        let history = ctx.read(tools::loans(
            conn,
            &query,
            ctx.today,
            Place::top(0),
            HISTORY,
        ));
        Some(Detail {
            tool,
            history,
            scroll: Scroll::default(),
        })
    }

    /// Read the tool again: it may have been lent or returned meanwhile.
    pub fn reload(&mut self, ctx: &Ctx) {
        if let Some(fresh) = Detail::load(ctx, self.tool.id) {
            self.tool = fresh.tool;
            self.history = fresh.history;
        }
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let t = &self.tool;
        let mut lines = vec![Line::from(vec![
            Span::styled(format!(" {} {} ", t.code, t.name), theme::TITLE),
            Span::styled(lang.t(t.status.label_key()).to_owned(), theme::NOTICE),
        ])];
        let mut fields = vec![
            (
                "tools.kind",
                format!("{} ({})", t.kind, period_text(t.loan_days, lang)),
            ),
            ("tools.spec", t.spec.clone()),
            ("tools.place", t.place.clone()),
            ("tools.condition", t.condition.clone()),
        ];
        if let Some(h) = &t.holder {
            fields.push((
                "tools.out_with",
                format!(
                    "{} {} ({}), {} {}",
                    h.number,
                    h.borrower,
                    h.department,
                    lang.t("tools.due"),
                    h.due_on
                ),
            ));
        }
        if let Some(reason) = &t.retired_reason {
            fields.push(("tools.retired_reason", reason.clone()));
        }
        for (key, value) in fields {
            lines.push(Line::from(vec![
                Span::styled(format!(" {}", fit(lang.t(key), 10)), theme::HINT),
                Span::raw(format!(" {value}")),
            ]));
        }
        lines.push(Line::from(Span::styled(
            format!(" {}", lang.t("tools.history")),
            theme::SECTION,
        )));
        if self.history.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  {}", lang.t("tools.no_history")),
                theme::HINT,
            )));
        }
        for r in &self.history {
            let back = match (r.returned_at, r.condition_back) {
                (Some(at), Some(c)) => {
                    format!("-> {} {}", at.format("%Y-%m-%d"), lang.t(c.label_key()))
                }
                _ => match r.days_overdue(ctx.today) {
                    0 => format!("-> {} {}", lang.t("tools.due"), r.due_on),
                    days => lang.tf("tools.days_late", &[("days", &days)]),
                },
            };
            let owed = r.liability.as_ref().map_or(String::new(), |b| {
                let key = if b.settled_at.is_some() {
                    "loans.paid"
                } else {
                    "loans.owes"
                };
                format!(
                    "  {} {}",
                    b.liable_person,
                    lang.tf(key, &[("amount", &money_text(b.amount))])
                )
            });
            let style = if r.is_open() && r.days_overdue(ctx.today) > 0 {
                theme::BAD
            } else {
                ratatui::style::Style::new()
            };
            lines.push(Line::styled(
                format!(
                    "  {} {} {} ({}) {}{owed}",
                    r.number,
                    r.out_at.format("%Y-%m-%d"),
                    r.borrower,
                    r.department,
                    back
                ),
                style,
            ));
        }
        scrolled::render(frame, area, lines, &mut self.scroll);
    }
}
