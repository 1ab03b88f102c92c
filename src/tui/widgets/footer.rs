//! Footer line: the keys of the current screen that matter most, then help and quit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::Lang;
use crate::tui::keys::KeyHint;
use crate::tui::theme;

pub fn render(frame: &mut Frame, area: Rect, tables: &[&[KeyHint]], lang: Lang) {
    let mut spans = vec![Span::raw(" ")];
    for hint in tables.iter().flat_map(|t| t.iter()).filter(|h| h.footer) {
        spans.push(Span::styled(hint.keys, theme::KEY));
        spans.push(Span::styled(
            format!(" {}   ", lang.t(hint.action)),
            theme::HINT,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
