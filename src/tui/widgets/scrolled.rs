//! A page of text taller than its area (a record's detail), scrolled: the scroll is kept
//! within the text, so a key back up moves it at once however far down was asked for.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::action::Action;
use crate::tui::keys;
use crate::tui::widgets::audit_trail::Target;

/// How far down a record's detail is scrolled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll(u16);

/// The keys every record's detail shares: `L` shows the record's audit trail (`trail`), and
/// the scroll keys scroll it; `None` for any other key.
pub fn detail_key(key: &KeyEvent, scroll: &mut Scroll, trail: Target) -> Option<Action> {
    if key.code == KeyCode::Char('L') {
        return Some(Action::ShowAudit(trail));
    }
    let by = keys::scroll_step(key)?;
    scroll.0 = (i32::from(scroll.0) + by).clamp(0, 10_000) as u16;
    Some(Action::Noop)
}

/// Draw `lines` into `area` from line `scroll`, first bringing `scroll` back to the last
/// position that still fills the area.
pub fn render(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>, scroll: &mut Scroll) {
    let last = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_sub(area.height);
    scroll.0 = scroll.0.min(last);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.0, 0)), area);
}
