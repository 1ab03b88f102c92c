//! Slicing a screen area into lines: the summary, search, header, list and prompt rows every
//! view draws.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::widgets::input::Input;
use super::widgets::prompt;

/// `height` lines of `area` starting `top` lines down, clipped to the area.
pub fn rows(area: Rect, top: u16, height: u16) -> Rect {
    let top = top.min(area.height);
    Rect {
        y: area.y + top,
        height: height.min(area.height - top),
        ..area
    }
}

/// A list screen's lines: a summary, the search line while a search is typed or kept, the
/// column header, and the rows.
pub struct ListAreas {
    pub summary: Rect,
    /// The line under the summary, while a search (or another prompt) is typed or kept.
    pub search: Option<Rect>,
    pub header: Rect,
    pub rows: Rect,
}

impl ListAreas {
    pub fn of(area: Rect, searching: bool) -> ListAreas {
        let top = 1 + u16::from(searching);
        ListAreas {
            summary: rows(area, 0, 1),
            search: searching.then(|| rows(area, 1, 1)),
            header: rows(area, top, 1),
            rows: rows(area, top + 1, area.height.saturating_sub(top + 1)),
        }
    }

    /// Draw the summary and, while searching, the search line (`focused` while it is typed in).
    pub fn draw_top(&self, frame: &mut Frame, summary: Line, search: &Input, focused: bool) {
        frame.render_widget(Paragraph::new(summary), self.summary);
        if let Some(line) = self.search {
            prompt::search(frame, line, search, focused);
        }
    }
}

/// The last `height` lines of `area`.
pub fn bottom(area: Rect, height: u16) -> Rect {
    let height = height.min(area.height);
    rows(area, area.height - height, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_stay_inside_the_area() {
        let area = Rect::new(0, 1, 80, 20);
        assert_eq!(rows(area, 2, 5), Rect::new(0, 3, 80, 5));
        assert_eq!(rows(area, 18, 5), Rect::new(0, 19, 80, 2));
        assert_eq!(bottom(area, 2), Rect::new(0, 19, 80, 2));
        assert_eq!(bottom(area, 30), area);
    }
}
