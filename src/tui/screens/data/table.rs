//! The comparison table and the entry grid: a summary line (view, day, base, forgotten days),
//! the column heads, and the metrics under a head line per group and scope.

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{DataScreen, View};
use crate::db::readings::{CompareRow, Metric};
use crate::domain::reading::{
    Base, NO_VALUE, Status, TREND_DAYS, Tone, UNIT_WORDS, sparkline, value_text,
};
use crate::exchange::readings::change_texts;
use crate::i18n::Lang;
use crate::text::{fit, fit_right};
use crate::tui::layout::rows;
use crate::tui::screens::Ctx;
use crate::tui::theme;

const NAME: u16 = 20;
/// The grid's name column: narrower, so that seven days fit at 80 columns.
const GRID_NAME: u16 = 16;
const VALUE: u16 = 8;
const DELTA: u16 = 7;
const PCT: u16 = 7;
const TARGET: u16 = 6;
const STATUS: u16 = 7;
/// Two days to a braille cell.
const TREND: u16 = (TREND_DAYS / 2) as u16;
/// A grid column: one day.
const DAY: u16 = 8;
/// Grid columns never reach further back than the trend read for each metric.
const MAX_GRID_DAYS: u16 = TREND_DAYS as u16;

/// One line of the table: a group head, or a metric (by its index in the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Head(usize),
    Metric(usize),
}

/// The table's lines: a head before each run of metrics of one group and scope.
fn lines(rows: &[CompareRow]) -> Vec<Row> {
    let mut out = Vec::new();
    let mut last: Option<(&str, &str)> = None;
    for (i, r) in rows.iter().enumerate() {
        let key = (r.metric.group.as_str(), r.metric.scope.as_str());
        if last != Some(key) {
            out.push(Row::Head(i));
            last = Some(key);
        }
        out.push(Row::Metric(i));
    }
    out
}

fn short(day: NaiveDate) -> String {
    day.format("%m-%d").to_string()
}

pub fn weekday(day: NaiveDate, lang: Lang) -> String {
    let names: Vec<&str> = lang.t("data.weekdays").split(' ').collect();
    let i = day.weekday().num_days_from_monday() as usize;
    names.get(i).copied().unwrap_or("").to_owned()
}

fn tone_style(tone: Tone) -> Style {
    match tone {
        Tone::Good => theme::GOOD,
        Tone::Bad => theme::BAD,
        Tone::Plain => Style::new(),
    }
}

fn summary(screen: &DataScreen, day: NaiveDate, lang: Lang) -> Line<'static> {
    let (view, other) = match screen.view {
        View::Grid => ("data.view_grid", "data.view_compare"),
        _ => ("data.view_compare", "data.view_grid"),
    };
    let mut spans = vec![
        Span::styled(format!(" [{}]", lang.t(view)), theme::NOTICE),
        Span::styled(format!(" v:{} ", lang.t(other)), theme::HINT),
        Span::styled(format!(" {day} {} ", weekday(day, lang)), theme::TITLE),
    ];
    if screen.view == View::Compare {
        spans.push(Span::styled(" b:", theme::HINT));
        spans.push(Span::styled(
            lang.t(screen.base.label_key()).to_owned(),
            theme::NOTICE,
        ));
    }
    let gaps = screen
        .loaded
        .as_ref()
        .map_or(&[][..], |l| l.gaps.as_slice());
    if gaps.is_empty() {
        spans.push(Span::styled(
            format!("  {}", lang.t("data.no_gaps")),
            theme::MUTED,
        ));
    } else {
        spans.push(Span::styled(
            format!("  {}", lang.t("data.gaps")),
            theme::BAD,
        ));
        for g in gaps.iter().take(4) {
            spans.push(Span::styled(
                format!(" {}({})", short(g.day), g.missing),
                theme::BAD,
            ));
        }
    }
    Line::from(spans)
}

/// The name cell: indented under its head, the unit after it when it fits.
fn name_cell(m: &Metric, width: u16, lang: Lang) -> String {
    let name = m.name(lang);
    let unit = lang.stored_word(&m.unit, &UNIT_WORDS);
    let with_unit = format!("  {name} {unit}");
    if m.unit.is_empty() || with_unit.width() > usize::from(width) {
        format!("  {name}")
    } else {
        with_unit
    }
}

fn head_line(m: &Metric) -> Line<'static> {
    let text = if m.scope.is_empty() {
        m.group.clone()
    } else {
        format!("{} {}", m.group, m.scope)
    };
    Line::from(Span::styled(text, theme::GROUP))
}

/// The base column's head: the day it is, or what it averages.
fn base_head(base: Base, day: NaiveDate, lang: Lang) -> String {
    match base {
        Base::Average30 => lang.t("data.avg30_head").to_owned(),
        _ => short(base.days(day).0),
    }
}

fn compare_header(base: Base, day: NaiveDate, lang: Lang) -> Line<'static> {
    // Headings over numbers are right-aligned, as the numbers are.
    let cells = [
        (lang.t("data.metric").to_owned(), NAME, false),
        (base_head(base, day, lang), VALUE, true),
        (short(day), VALUE, true),
        (lang.t("data.delta").to_owned(), DELTA, true),
        (lang.t("data.delta_pct").to_owned(), PCT, true),
        (lang.t("data.target").to_owned(), TARGET, false),
        (lang.t("data.status").to_owned(), STATUS + 1, false),
        (lang.t("data.trend").to_owned(), TREND, false),
    ];
    let text: Vec<String> = cells
        .iter()
        .map(|(t, w, right)| match right {
            true => fit_right(t, *w),
            false => fit(t, *w),
        })
        .collect();
    Line::from(Span::styled(text.join(" "), theme::HEADER))
}

fn compare_line(row: &CompareRow, selected: bool, lang: Lang) -> Line<'static> {
    let m = &row.metric;
    let c = &row.comparison;
    let number = |v: Option<f64>| v.map_or(NO_VALUE.to_owned(), |v| value_text(v, m.decimals));
    let (delta, pct) = change_texts(row);
    let tone = tone_style(c.status.tone());
    let base_style = if selected {
        theme::SELECTED
    } else {
        Style::new()
    };
    let plain = |text: String, width: u16| Span::styled(fit(&text, width), base_style);
    let right = |text: String, width: u16| Span::styled(fit_right(&text, width), base_style);
    let missing = matches!(c.status, Status::Missing);
    let status_style = if selected { base_style } else { tone };
    let flag_style = if selected { base_style } else { theme::BAD };
    let trend_style = if selected { base_style } else { theme::HINT };
    let gap = || Span::styled(" ", base_style);
    Line::from(vec![
        plain(name_cell(m, NAME, lang), NAME),
        gap(),
        right(number(c.base), VALUE),
        gap(),
        Span::styled(
            fit_right(&number(c.value), VALUE),
            if selected || !missing {
                base_style
            } else {
                theme::BAD
            },
        ),
        gap(),
        right(delta, DELTA),
        gap(),
        right(pct, PCT),
        gap(),
        plain(m.target.text(), TARGET),
        gap(),
        Span::styled(fit(lang.t(c.status.label_key()), STATUS), status_style),
        Span::styled(if c.flagged { "!" } else { " " }, flag_style),
        gap(),
        Span::styled(sparkline(&row.trend), trend_style),
    ])
}

/// How many day columns fit beside the names.
fn grid_days(width: u16) -> u16 {
    (width.saturating_sub(GRID_NAME + 1) / (DAY + 1)).clamp(1, MAX_GRID_DAYS)
}

fn grid_header(day: NaiveDate, days: u16, lang: Lang) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!("{} ", fit(lang.t("data.metric"), GRID_NAME)),
        theme::HEADER,
    )];
    for back in (0..i64::from(days)).rev() {
        let d = day - Duration::days(back);
        let style = if back == 0 {
            theme::TAB_ACTIVE
        } else {
            theme::HEADER
        };
        spans.push(Span::styled(fit_right(&short(d), DAY), style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

fn grid_line(row: &CompareRow, days: u16, selected: bool, lang: Lang) -> Line<'static> {
    let m = &row.metric;
    let name_style = if selected { theme::KEY } else { Style::new() };
    let mut spans = vec![Span::styled(
        format!("{} ", fit(&name_cell(m, GRID_NAME, lang), GRID_NAME)),
        name_style,
    )];
    let first = row.trend.len().saturating_sub(usize::from(days));
    for (i, value) in row.trend[first..].iter().enumerate() {
        let chosen = first + i == row.trend.len() - 1;
        let text = value.map_or(NO_VALUE.to_owned(), |v| value_text(v, m.decimals));
        let style = match (chosen, selected, value) {
            (true, true, _) => theme::SELECTED,
            (true, false, None) => theme::BAD,
            (true, false, Some(_)) => tone_style(row.comparison.status.tone()),
            (false, _, None) => theme::MUTED,
            (false, _, Some(_)) => Style::new(),
        };
        spans.push(Span::styled(fit_right(&text, DAY), style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

pub fn render(screen: &mut DataScreen, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let Some(loaded) = screen.loaded.as_ref() else {
        return;
    };
    let day = loaded.day;
    frame.render_widget(Paragraph::new(summary(screen, day, lang)), rows(area, 0, 1));
    let days = grid_days(area.width);
    let header = match screen.view {
        View::Grid => grid_header(day, days, lang),
        _ => compare_header(screen.base, day, lang),
    };
    frame.render_widget(Paragraph::new(header), rows(area, 1, 1));
    let list = rows(area, 2, area.height.saturating_sub(2));
    let table = &loaded.rows;
    if table.is_empty() {
        let text = Span::styled(format!("  {}", lang.t("data.empty")), theme::HINT);
        frame.render_widget(Paragraph::new(text), list);
        return;
    }
    let all = lines(table);
    let height = usize::from(list.height);
    screen.visible_rows = height.saturating_sub(1).max(1);
    // Keep the cursor's line (and its group head, when it is the first of its group) in view.
    let at = all
        .iter()
        .position(|r| *r == Row::Metric(screen.cursor))
        .unwrap_or(0);
    let want_top = if at > 0 && matches!(all[at - 1], Row::Head(_)) {
        at - 1
    } else {
        at
    };
    if want_top < screen.offset {
        screen.offset = want_top;
    } else if height > 0 && at >= screen.offset + height {
        screen.offset = at + 1 - height;
    }
    screen.offset = screen.offset.min(all.len().saturating_sub(height.max(1)));
    let editing = screen.edit.as_ref();
    for (i, line) in all.iter().skip(screen.offset).take(height).enumerate() {
        let y = rows(list, i as u16, 1);
        let drawn = match *line {
            Row::Head(m) => head_line(&table[m].metric),
            Row::Metric(m) => {
                let selected = m == screen.cursor;
                match screen.view {
                    View::Grid => grid_line(&table[m], days, selected, lang),
                    _ => compare_line(&table[m], selected, lang),
                }
            }
        };
        frame.render_widget(Paragraph::new(drawn), y);
        if let (Row::Metric(m), Some(input)) = (*line, editing)
            && m == screen.cursor
            && screen.view == View::Grid
        {
            // The chosen day's cell is the last column.
            let x = y.x + GRID_NAME + 1 + (days - 1) * (DAY + 1);
            let cell = Rect {
                x,
                width: DAY.min((y.x + y.width).saturating_sub(x)),
                ..y
            };
            frame.render_widget(Paragraph::new(" ".repeat(usize::from(DAY))), cell);
            input.render(frame, cell, theme::INPUT, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_fits_seven_days_at_80_columns() {
        assert_eq!(grid_days(80), 7);
        assert_eq!(grid_days(200), MAX_GRID_DAYS);
        assert_eq!(grid_days(10), 1);
    }
}
