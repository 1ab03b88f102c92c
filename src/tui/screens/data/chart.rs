//! One metric over 30 or 90 days ending with the chosen day: the line (broken where a day has
//! no value), the target band, and the span's lowest, highest, mean and last values.

use chrono::{Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::DataScreen;
use crate::db::readings::{self, Metric};
use crate::domain::reading::{UNIT_WORDS, value_text};
use crate::i18n::Lang;
use crate::text::fit;
use crate::tui::layout::rows;
use crate::tui::screens::Ctx;
use crate::tui::theme;

/// The y-axis labels' width.
const LABELS: u16 = 9;

/// Runs of consecutive days with values, as chart points (x = days from the first day).
fn segments(values: &[(NaiveDate, f64)], first: NaiveDate) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut last: Option<i64> = None;
    for (day, v) in values {
        let x = (*day - first).num_days();
        if last != Some(x - 1) {
            out.push(Vec::new());
        }
        if let Some(run) = out.last_mut() {
            run.push((x as f64, *v));
        }
        last = Some(x);
    }
    out
}

/// The span's summary: lowest, highest, mean, last, and how many days have no value.
fn stats_line(m: &Metric, values: &[(NaiveDate, f64)], span: i64, lang: Lang) -> Line<'static> {
    let d = m.decimals;
    let mut spans = Vec::new();
    let mut push = |label: &str, value: String| {
        spans.push(Span::styled(format!(" {label} "), theme::HINT));
        spans.push(Span::styled(value, theme::TITLE));
    };
    if let Some(last) = values.last() {
        let low = values.iter().map(|(_, v)| *v).fold(f64::INFINITY, f64::min);
        let high = values
            .iter()
            .map(|(_, v)| *v)
            .fold(f64::NEG_INFINITY, f64::max);
        let mean = values.iter().map(|(_, v)| *v).sum::<f64>() / values.len() as f64;
        push(lang.t("data.low"), value_text(low, d));
        push(lang.t("data.high"), value_text(high, d));
        push(lang.t("data.mean"), value_text(mean, d));
        push(lang.t("data.last"), value_text(last.1, d));
    }
    if m.target.is_set() {
        push(lang.t("data.target"), m.target.text());
    }
    let missing = span - values.len() as i64;
    if missing > 0 {
        spans.push(Span::styled(
            format!("  {}", lang.tf("data.days_missing", &[("count", &missing)])),
            theme::BAD,
        ));
    }
    Line::from(spans)
}

pub fn render(screen: &mut DataScreen, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let Some(row) = screen.selected() else {
        return;
    };
    let m = row.metric.clone();
    let day = screen.day(ctx.today);
    let span = screen.span;
    let first = day - Duration::days(span - 1);
    let values = ctx.read(readings::series(ctx.db.conn(), m.id, first, day));
    let name = if m.scope.is_empty() {
        m.name(lang).to_owned()
    } else {
        format!("{} {}", m.name(lang), m.scope)
    };
    let other = if span == 30 { 90 } else { 30 };
    let title = Line::from(vec![
        Span::styled(format!(" {name} "), theme::NOTICE),
        Span::styled(
            format!("{} ", lang.stored_word(&m.unit, &UNIT_WORDS)),
            theme::HINT,
        ),
        Span::styled(
            lang.tf(
                "data.chart_span",
                &[("days", &span), ("first", &first), ("last", &day)],
            ),
            theme::TITLE,
        ),
        Span::styled(
            format!("  w:{}", lang.tf("data.days", &[("days", &other)])),
            theme::HINT,
        ),
    ]);
    frame.render_widget(Paragraph::new(title), rows(area, 0, 1));
    frame.render_widget(
        Paragraph::new(stats_line(&m, &values, span, lang)),
        rows(area, 1, 1),
    );
    let plot_area = rows(area, 2, area.height.saturating_sub(2));
    if values.is_empty() {
        let text = Span::styled(format!("  {}", lang.t("data.no_values")), theme::HINT);
        frame.render_widget(Paragraph::new(text), plot_area);
        return;
    }
    // The y range covers the values and the target band, with a little room.
    let mut low = values.iter().map(|(_, v)| *v).fold(f64::INFINITY, f64::min);
    let mut high = values
        .iter()
        .map(|(_, v)| *v)
        .fold(f64::NEG_INFINITY, f64::max);
    for bound in [m.target.min, m.target.max].into_iter().flatten() {
        low = low.min(bound);
        high = high.max(bound);
    }
    let pad = ((high - low) * 0.05).max(if high == 0.0 { 1.0 } else { high.abs() * 0.05 });
    let (low, high) = (low - pad, high + pad);
    let x_max = (span - 1) as f64;
    let bands: Vec<Vec<(f64, f64)>> = [m.target.min, m.target.max]
        .into_iter()
        .flatten()
        .map(|y| vec![(0.0, y), (x_max, y)])
        .collect();
    let runs = segments(&values, first);
    let points: Vec<(f64, f64)> = runs.iter().flatten().copied().collect();
    let mut datasets: Vec<Dataset> = bands
        .iter()
        .map(|band| {
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme::GOOD)
                .data(band)
        })
        .collect();
    for run in &runs {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme::KEY)
                .data(run),
        );
    }
    datasets.push(
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Scatter)
            .style(theme::KEY)
            .data(&points),
    );
    // No axis labels inside the chart: its axis lines use box-drawing characters, which some
    // CJK terminals draw double width. The labels are drawn beside it instead.
    let chart = Chart::new(datasets)
        .x_axis(Axis::default().bounds([0.0, x_max]))
        .y_axis(Axis::default().bounds([low, high]));
    let plot = Rect {
        x: plot_area.x + LABELS,
        width: plot_area.width.saturating_sub(LABELS),
        height: plot_area.height.saturating_sub(1),
        ..plot_area
    };
    frame.render_widget(chart, plot);
    let label = |v: f64| {
        Span::styled(
            fit(&format!("{:>8}", value_text(v, m.decimals)), LABELS),
            theme::HINT,
        )
    };
    frame.render_widget(Paragraph::new(label(high)), rows(plot_area, 0, 1));
    frame.render_widget(
        Paragraph::new(label(low)),
        rows(plot_area, plot.height.saturating_sub(1), 1),
    );
    let axis = rows(plot_area, plot.height, 1);
    let dates = Rect {
        x: plot.x,
        width: plot.width,
        ..axis
    };
    let width = usize::from(dates.width);
    let left = first.to_string();
    let right = day.to_string();
    let gap = width.saturating_sub(left.len() + right.len());
    let line = format!("{left}{}{right}", " ".repeat(gap));
    frame.render_widget(
        Paragraph::new(Span::styled(line, Style::new().patch(theme::HINT))),
        dates,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_day_breaks_the_line() {
        let d = |n: u32| NaiveDate::from_ymd_opt(2026, 11, n).unwrap();
        let values = [(d(1), 1.0), (d(2), 2.0), (d(4), 4.0)];
        let runs = segments(&values, d(1));
        assert_eq!(runs, vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(3.0, 4.0)]]);
    }
}
