//! Top line: the six numbered tabs, the active one highlighted, the program name at the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::i18n::Lang;
use crate::tui::tabs::Tab;
use crate::tui::theme;

pub fn render(frame: &mut Frame, area: Rect, active: Tab, lang: Lang) {
    let mut spans = Vec::new();
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let title = lang.t(tab.title_key());
        if *tab == active {
            spans.push(Span::styled(
                format!(" {} {title} ", i + 1),
                theme::TAB_ACTIVE,
            ));
        } else {
            spans.push(Span::styled(format!(" {}", i + 1), theme::TAB_NUMBER));
            spans.push(Span::styled(format!(" {title} "), theme::BAR));
        }
    }
    let brand = format!(" {} ", lang.t("app.name"));
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let free = (area.width as usize).saturating_sub(used);
    if free >= brand.width() {
        spans.push(Span::styled(" ".repeat(free - brand.width()), theme::BAR));
        spans.push(Span::styled(brand, theme::BRAND));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::BAR), area);
}
