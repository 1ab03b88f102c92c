//! The repair list: a summary line (count and filters), the search line, and the tickets in
//! view. Late tickets are red, tickets awaiting the user's confirmation yellow.

use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Mode, RepairsScreen, filter_label};
use crate::db::repairs::{ListRow, StateFilter};
use crate::domain::repair::{State, Timeliness};
use crate::i18n::Lang;
use crate::tui::layout::rows;
use crate::tui::screens::Ctx;
use crate::tui::text::fit;
use crate::tui::theme;
use crate::tui::widgets::prompt;

/// Column widths for a table `width` wide: ticket, state, device, description, maintainer
/// (0 when left out), reported, estimate.
struct Widths {
    state: u16,
    device: u16,
    description: u16,
    maintainer: u16,
    reported: u16,
}

const TICKET: u16 = 12;
const TIME: u16 = 11;
/// The estimate column: a time and the late mark.
const ESTIMATE: u16 = 12;

fn widths(width: u16) -> Widths {
    let maintainer = if width >= 100 { 8 } else { 0 };
    let device = if width >= 120 { 22 } else { 14 };
    let reported = if width >= 80 { TIME } else { 0 };
    let state = 10;
    // Marker, ticket, state, device, estimate, and the spaces between.
    let fixed = 2 + TICKET + 1 + state + 1 + device + 1 + ESTIMATE + 1;
    let optional: u16 = [maintainer, reported]
        .into_iter()
        .map(|w| if w > 0 { w + 1 } else { 0 })
        .sum();
    let fixed = fixed + optional;
    Widths {
        state,
        device,
        description: width.saturating_sub(fixed).max(6),
        maintainer,
        reported,
    }
}

fn short(at: NaiveDateTime) -> String {
    at.format("%m-%d %H:%M").to_string()
}

fn state_style(state: State) -> Style {
    match state {
        State::AwaitingConfirmation => theme::WARN,
        State::AtVendor => theme::NOTICE,
        State::Unrepairable => theme::BAD,
        State::Closed => theme::MUTED,
        _ => Style::new(),
    }
}

/// The estimate column: the promised time while open, how it ended once closed.
fn estimate_cell(row: &ListRow, now: NaiveDateTime, lang: Lang) -> (String, Style) {
    let timeliness = row.timeliness(now);
    match (row.state.is_final(), timeliness) {
        (_, Timeliness::NoEstimate) => ("-".to_owned(), theme::MUTED),
        (false, Timeliness::Late) => (
            format!("{}!", row.estimate_at.map(short).unwrap_or_default()),
            theme::BAD,
        ),
        (false, _) => (row.estimate_at.map(short).unwrap_or_default(), Style::new()),
        (true, Timeliness::Overran) => (lang.t(timeliness.label_key()).to_owned(), theme::BAD),
        (true, t) => (lang.t(t.label_key()).to_owned(), theme::MUTED),
    }
}

fn summary(screen: &RepairsScreen, lang: Lang) -> Line<'static> {
    let q = &screen.query;
    let mut spans = vec![Span::styled(
        format!(
            " {} ",
            lang.tf(
                if screen.counting {
                    "repairs.counting"
                } else {
                    "repairs.count"
                },
                &[("count", &screen.count)]
            )
        ),
        theme::TITLE,
    )];
    let mut filter = |label: &str, value: String| {
        spans.push(Span::styled(format!(" {label}:"), theme::HINT));
        spans.push(Span::styled(value, theme::NOTICE));
    };
    if q.state != StateFilter::All {
        filter(
            lang.t("repairs.filter_state"),
            lang.t(filter_label(q.state)).to_owned(),
        );
    }
    if let Some(month) = q.month {
        filter(
            lang.t("repairs.filter_month"),
            month.format("%Y-%m").to_string(),
        );
    }
    if let Some(name) = &q.maintainer {
        filter(lang.t("repair_form.maintainer"), name.clone());
    }
    if let Some(tag) = &screen.device_tag {
        filter(lang.t("repair_form.device"), tag.clone());
    }
    Line::from(spans)
}

pub fn render(screen: &mut RepairsScreen, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let searching = matches!(screen.mode, Mode::Search) || !screen.query.search.is_empty();
    let top = 1 + u16::from(searching);
    let body = area.height.saturating_sub(top + 1);
    screen.visible_rows = usize::from(body);
    screen.load(ctx, usize::from(body));
    frame.render_widget(Paragraph::new(summary(screen, lang)), rows(area, 0, 1));
    if searching {
        let focused = matches!(screen.mode, Mode::Search);
        prompt::search(frame, rows(area, 1, 1), &screen.search, focused);
    }
    let w = widths(area.width);
    let mut header = vec![
        fit(lang.t("repairs.ticket"), TICKET),
        fit(lang.t("repairs.state"), w.state),
        fit(lang.t("repair_form.device"), w.device),
        fit(lang.t("repair_form.description"), w.description),
    ];
    if w.maintainer > 0 {
        header.push(fit(lang.t("repair_form.maintainer"), w.maintainer));
    }
    if w.reported > 0 {
        header.push(fit(lang.t("repairs.reported_short"), TIME));
    }
    header.push(fit(lang.t("repairs.estimate_short"), ESTIMATE));
    frame.render_widget(
        Paragraph::new(format!("  {}", header.join(" "))).style(theme::HEADER),
        rows(area, top, 1),
    );
    let list = rows(area, top + 1, body);
    if screen.paging || screen.count == 0 {
        let key = if screen.paging {
            "repairs.searching"
        } else if screen.has_filters() {
            "repairs.none_match"
        } else {
            "repairs.empty"
        };
        frame.render_widget(
            Paragraph::new(format!("  {}", lang.t(key))).style(theme::HINT),
            rows(list, 0, 1),
        );
        return;
    }
    for (i, row) in screen.page.iter().enumerate() {
        let selected = screen.offset + i == screen.cursor;
        let (estimate, estimate_style) = estimate_cell(row, ctx.now, lang);
        let marker = if row.from_check { "c" } else { " " };
        let mut spans = vec![
            Span::styled(format!("{marker} "), theme::HINT),
            Span::raw(fit(&row.ticket, TICKET)),
            Span::raw(" "),
            Span::styled(
                fit(lang.t(row.state.label_key()), w.state),
                state_style(row.state),
            ),
            Span::raw(" "),
            Span::raw(fit(&row.device_text, w.device)),
            Span::raw(" "),
            Span::raw(fit(&row.description, w.description)),
            Span::raw(" "),
        ];
        if w.maintainer > 0 {
            spans.push(Span::raw(fit(&row.maintainer, w.maintainer)));
            spans.push(Span::raw(" "));
        }
        if w.reported > 0 {
            spans.push(Span::raw(fit(&short(row.reported_at), TIME)));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(fit(&estimate, ESTIMATE), estimate_style));
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme::SELECTED);
        } else if row.state.is_final() {
            line = line.style(theme::MUTED);
        }
        frame.render_widget(Paragraph::new(line), rows(list, i as u16, 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_every_width_from_the_smallest() {
        for width in [60u16, 80, 100, 160] {
            let w = widths(width);
            let optional = |w: u16| if w > 0 { w + 1 } else { 0 };
            let used = 2
                + TICKET
                + 1
                + w.state
                + 1
                + w.device
                + 1
                + w.description
                + 1
                + optional(w.maintainer)
                + optional(w.reported)
                + ESTIMATE;
            assert!(used <= width, "{width}: {used}");
            assert!(w.description >= 6);
        }
        assert_eq!(widths(80).maintainer, 0);
        assert_eq!(widths(100).maintainer, 8);
        assert_eq!(
            widths(60).reported,
            0,
            "the estimate matters more than the report time"
        );
    }
}
