//! A page of text taller than its area (a record's detail), scrolled: the scroll is kept
//! within the text, so a key back up moves it at once however far down was asked for.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// Draw `lines` into `area` from line `scroll`, first bringing `scroll` back to the last
/// position that still fills the area.
pub fn render(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>, scroll: &mut u16) {
    let last = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_sub(area.height);
    *scroll = (*scroll).min(last);
    frame.render_widget(Paragraph::new(lines).scroll((*scroll, 0)), area);
}
