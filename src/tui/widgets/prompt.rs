//! One-line inputs drawn in a view: a question at the bottom (a label and the text being
//! typed), and a list's `/` search line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::input::Input;
use crate::tui::theme;

/// Draw `label` then `input` (with the terminal cursor in it) across `area`'s first line.
pub fn render(frame: &mut Frame, area: Rect, label: &str, input: &Input) {
    let line = Rect { height: 1, ..area };
    let label = format!(" {label} ");
    let w = (label.width() as u16).min(line.width);
    frame.render_widget(Paragraph::new(Span::styled(label, theme::NOTICE)), line);
    input.render(
        frame,
        Rect {
            x: line.x + w,
            width: line.width.saturating_sub(w + 1),
            ..line
        },
        theme::INPUT,
        true,
    );
}

/// A list's search line: ` / ` and the words typed, with the cursor while `focused`.
pub fn search(frame: &mut Frame, row: Rect, input: &Input, focused: bool) {
    let row = Rect { height: 1, ..row };
    frame.render_widget(Span::styled(" / ", theme::KEY), row);
    let text = Rect {
        x: row.x + 3.min(row.width),
        width: row.width.saturating_sub(3),
        ..row
    };
    input.render(frame, text, theme::INPUT, focused);
}
