//! The `?` overlay: every key of the current screen, then the keys that work everywhere.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::i18n::Lang;
use crate::tui::keys::{self, KeyHint};
use crate::tui::theme;

/// Lines of the overlay body, so the caller can clamp scrolling to what exists.
pub fn lines(screen_keys: &[KeyHint], lang: Lang) -> Vec<Line<'static>> {
    let all = screen_keys.iter().chain(keys::GLOBAL);
    let key_width = all.map(|h| h.keys.width()).max().unwrap_or(0) + 3;
    let row = |h: &KeyHint| {
        Line::from(vec![
            Span::styled(format!("  {:<key_width$}", h.keys), theme::KEY),
            Span::raw(lang.t(h.action).to_owned()),
        ])
    };
    let mut out = vec![Line::from(Span::styled(
        format!(" {}", lang.t("help.this_screen")),
        theme::SECTION,
    ))];
    if screen_keys.is_empty() {
        out.push(Line::from(Span::styled(
            format!("  {}", lang.t("help.none")),
            theme::HINT,
        )));
    }
    out.extend(screen_keys.iter().map(row));
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        format!(" {}", lang.t("help.everywhere")),
        theme::SECTION,
    )));
    out.extend(keys::GLOBAL.iter().map(row));
    out
}

/// Draw the overlay over the whole of `area` (the screen body), its lines scrolled by `scroll`.
/// It covers the screen completely: fragments of the screen beside a smaller box read as noise.
pub fn render(frame: &mut Frame, area: Rect, screen_keys: &[KeyHint], scroll: u16, lang: Lang) {
    if area.height < 3 {
        return;
    }
    let body = lines(screen_keys, lang);
    frame.render_widget(Clear, area);
    let title = Rect { height: 1, ..area };
    frame.render_widget(
        Paragraph::new(format!(" {}", lang.t("help.title"))).style(theme::OVERLAY_TITLE),
        title,
    );
    let inner = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    let max_scroll = (body.len() as u16).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(body)
            .style(theme::OVERLAY)
            .scroll((scroll.min(max_scroll), 0)),
        inner,
    );
}
