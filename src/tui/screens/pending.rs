//! A tab whose own issue has not landed yet: it says so plainly, and what the tab will be for.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Ctx, Screen};
use crate::tui::action::Action;
use crate::tui::keys::KeyHint;
use crate::tui::tabs::Tab;
use crate::tui::theme;

pub struct PendingScreen {
    tab: Tab,
}

impl PendingScreen {
    pub fn new(tab: Tab) -> PendingScreen {
        PendingScreen { tab }
    }
}

impl Screen for PendingScreen {
    fn keys(&self) -> &'static [KeyHint] {
        &[]
    }

    fn handle_key(&mut self, _key: KeyEvent, _ctx: &mut Ctx) -> Option<Action> {
        None
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let lines = vec![
            Line::from(Span::styled(lang.t(self.tab.title_key()), theme::TITLE)),
            Line::default(),
            Line::from(lang.t(self.tab.about_key())),
            Line::default(),
            Line::from(Span::styled(lang.t("screen.not_built"), theme::NOTICE)),
            Line::from(Span::styled(lang.t("screen.not_built_hint"), theme::HINT)),
        ];
        let height = (lines.len() as u16 + 2).min(area.height);
        let top = area.y + area.height.saturating_sub(height) / 3;
        let text_area = Rect {
            y: top,
            height,
            ..area.inner(ratatui::layout::Margin::new(2, 0))
        };
        let paragraph = Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true });
        frame.render_widget(paragraph, text_area);
    }
}
