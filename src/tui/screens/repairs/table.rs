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
use crate::tui::layout::{ListAreas, rows};
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::columns::{self as table, Column};
use crate::tui::widgets::paged;

/// The list's columns: ticket, state, device, description, maintainer, reported, estimate.
/// When narrow the maintainer goes first, then the report time: the estimate says more.
fn columns(lang: Lang) -> Vec<Column> {
    vec![
        Column::new(lang.t("repairs.ticket"), 12, 14),
        Column::new(lang.t("repairs.state"), 6, 22).whole(),
        Column::new(lang.t("repair_form.device"), 10, 26),
        Column::new(lang.t("repair_form.description"), 20, 80),
        Column::new(lang.t("repair_form.maintainer"), 6, 12).drop(2),
        Column::new(lang.t("repairs.reported_short"), 11, 11).drop(1),
        Column::new(lang.t("repairs.estimate_short"), 12, 12),
    ]
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
                if screen.list.counting() {
                    "repairs.counting"
                } else {
                    "repairs.count"
                },
                &[("count", &screen.list.count())]
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
    if let Some(words) = paged::sort_words(lang, &super::sort_columns(lang), q.sort) {
        filter(lang.t("filter.sort"), words);
    }
    Line::from(spans)
}

pub fn render(screen: &mut RepairsScreen, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let searching = matches!(screen.mode, Mode::Search) || !screen.query.search.is_empty();
    let areas = ListAreas::of(area, searching);
    screen.load(ctx, usize::from(areas.rows.height));
    let focused = matches!(screen.mode, Mode::Search);
    areas.draw_top(frame, summary(screen, lang), &screen.search, focused);
    let specs = columns(lang);
    let list_rows = &screen.list;
    let shown = if list_rows.paging() {
        &[][..]
    } else {
        list_rows.rows()
    };
    let cells: Vec<Vec<(String, Style)>> =
        shown.iter().map(|r| row_cells(r, ctx.now, lang)).collect();
    let widths = table::draw_header(frame, areas.header, &specs, &table::texts(&cells));
    let list = areas.rows;
    let empty = paged::Empty {
        none_match: "repairs.none_match",
        none: "repairs.empty",
        filtered: screen.has_filters(),
    };
    if list_rows.render_instead(frame, list, lang, empty) {
        return;
    }
    for (i, (row, cells)) in shown.iter().zip(cells).enumerate() {
        let selected = list_rows.offset() + i == list_rows.cursor();
        let marker = if row.from_check { "c" } else { " " };
        let mut spans = vec![Span::styled(format!("{marker} "), theme::HINT)];
        spans.extend(table::cells(&specs, &widths, cells));
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme::SELECTED);
        } else if row.state.is_final() {
            line = line.style(theme::MUTED);
        }
        frame.render_widget(Paragraph::new(line), rows(list, i as u16, 1));
    }
}

/// One ticket's cells, in the order of [`columns`].
fn row_cells(row: &ListRow, now: NaiveDateTime, lang: Lang) -> Vec<(String, Style)> {
    let plain = |text: &str| (text.to_owned(), Style::new());
    vec![
        plain(&row.ticket),
        (
            lang.t(row.state.label_key()).to_owned(),
            state_style(row.state),
        ),
        plain(&row.device_text),
        plain(&row.description),
        plain(&row.maintainer),
        plain(&short(row.reported_at)),
        estimate_cell(row, now, lang),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn columns_fit_every_width_and_the_state_is_whole_at_120() {
        for lang in [Lang::En, Lang::Zh] {
            let specs = columns(lang);
            let row = |state: State| {
                vec![
                    "WX-2026-0001".to_owned(),
                    lang.t(state.label_key()).to_owned(),
                    "JF-PC-0001 联想 ThinkCentre".to_owned(),
                    "显示器不亮，开机无信号".to_owned(),
                    "王工".to_owned(),
                    "12-01 09:30".to_owned(),
                    "12-03 17:00!".to_owned(),
                ]
            };
            let rows = vec![row(State::AwaitingConfirmation), row(State::Reported)];
            for width in [60u16, 80, 100, 160] {
                let w = table::widths(&specs, &rows, width - 2);
                let used: u16 = w.iter().flatten().map(|w| w + 1).sum::<u16>() + 1;
                assert!(used <= width, "{width}: {used}");
                assert!(w[6].is_some(), "{width}: the estimate always shows");
            }
            let w = table::widths(&specs, &rows, 118);
            assert!(w.iter().all(Option::is_some));
            assert_eq!(
                w[1],
                Some(rows[0][1].width() as u16),
                "{lang:?}: the state is whole"
            );
            assert!(table::header(&specs, &w).contains(&specs[5].header));
        }
    }
}
