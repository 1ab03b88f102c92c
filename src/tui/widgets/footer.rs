//! Footer line: the keys of the current screen that matter most, then help and quit; whole
//! hints only, and `? more` where the rest does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::i18n::Lang;
use crate::tui::keys::KeyHint;
use crate::tui::theme;

const GAP: &str = "  ";

/// `more_key` opens the help that lists every key (`?`, or `F1` while typing).
pub fn render(frame: &mut Frame, area: Rect, tables: &[&[KeyHint]], more_key: &str, lang: Lang) {
    let line = Line::from(spans(tables, more_key, area.width, lang));
    frame.render_widget(Paragraph::new(line), area);
}

fn spans(tables: &[&[KeyHint]], more_key: &str, width: u16, lang: Lang) -> Vec<Span<'static>> {
    let hints: Vec<(&str, &str)> = tables
        .iter()
        .flat_map(|t| t.iter())
        .filter(|h| h.footer)
        .map(|h| (h.keys, lang.t(h.action)))
        .collect();
    let cost = |keys: &str, words: &str| keys.width() + 1 + words.width() + GAP.len();
    let more = (more_key, lang.t("key.more"));
    let total: usize = hints.iter().map(|(k, w)| cost(k, w)).sum();
    let room = usize::from(width).saturating_sub(1);
    // Everything fits, or the hints that do and then the key to the rest.
    let (budget, cut) = if total <= room + GAP.len() {
        (usize::MAX, false)
    } else {
        (room.saturating_sub(cost(more.0, more.1)), true)
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 0;
    for (keys, words) in hints {
        let need = cost(keys, words);
        if used + need > budget {
            break;
        }
        used += need;
        push(&mut spans, keys, words);
    }
    if cut {
        push(&mut spans, more.0, more.1);
    }
    spans
}

fn push(spans: &mut Vec<Span<'static>>, keys: &str, words: &str) {
    spans.push(Span::styled(keys.to_owned(), theme::KEY));
    spans.push(Span::styled(format!(" {words}{GAP}"), theme::HINT));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keys::{FORM, GLOBAL};

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn hints_are_whole_and_the_rest_is_one_key_away() {
        for lang in Lang::ALL {
            for width in [40u16, 60, 80, 120] {
                let line = text(&spans(&[FORM, GLOBAL], "?", width, lang));
                assert!(line.width() <= usize::from(width), "{width}: {line}");
                for hint in FORM.iter().chain(GLOBAL).filter(|h| h.footer) {
                    let words = lang.t(hint.action);
                    let whole = format!("{} {words}", hint.keys);
                    // A hint is there whole or not at all.
                    assert!(
                        line.contains(&whole) || !line.contains(words),
                        "{width}: {line}"
                    );
                }
                let all_fit = FORM
                    .iter()
                    .chain(GLOBAL)
                    .filter(|h| h.footer)
                    .all(|h| line.contains(lang.t(h.action)));
                let more = format!("? {}", lang.t("key.more"));
                assert_eq!(!all_fit, line.contains(&more), "{width}: {line}");
            }
        }
    }
}
