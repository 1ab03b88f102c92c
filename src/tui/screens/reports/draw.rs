//! Drawing the Reports tab: title and export line, one line of key figures per section, the
//! weekly bar charts side by side, and the table of every summary figure.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::ReportsScreen;
use crate::domain::repair::money_text;
use crate::exchange::month::summary::{Summary, WeekFigures};
use crate::i18n::Lang;
use crate::text::{fit, fit_right};
use crate::tui::layout::rows;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use unicode_width::UnicodeWidthStr;

/// A full bar cell: braille, which every terminal draws one column wide (block elements are
/// ambiguous width and break CJK terminals).
const BAR: char = '⣿';
/// Week labels: `10-05..10-11`.
const WEEK: u16 = 12;

fn short(day: chrono::NaiveDate) -> String {
    day.format("%m-%d").to_string()
}

fn pct(value: Option<f64>) -> String {
    value.map_or("-".to_owned(), |v| format!("{v:.1}%"))
}

/// `label value` pairs after a section name, two spaces apart.
/// A section's figures, as many whole `label value` pairs a line as `width` holds, the rest
/// on lines under them: no figure is cut off at 80 columns.
fn figures_line(section: &str, pairs: &[(&str, String)], width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let mut lines = Vec::new();
    let mut spans = vec![Span::styled(fit(section, SECTION), theme::HEADER)];
    let mut used = usize::from(SECTION);
    for (label, value) in pairs {
        let need = label.width() + 1 + value.width() + 2;
        if used + need > width && spans.len() > 1 {
            lines.push(Line::from(std::mem::take(&mut spans)));
            spans.push(Span::raw(" ".repeat(usize::from(SECTION))));
            used = usize::from(SECTION);
        }
        spans.push(Span::raw(format!("{label} ")));
        spans.push(Span::styled(value.clone(), theme::TITLE));
        spans.push(Span::raw("  "));
        used += need;
    }
    lines.push(Line::from(spans));
    lines
}

fn headline(summary: &Summary, width: u16, lang: Lang) -> Vec<Line<'static>> {
    let t = |key: &str| lang.t(key).to_owned();
    let mut checks = (0, 0, 0);
    for f in &summary.templates {
        checks.0 += f.signed;
        checks.1 += f.missed;
        checks.2 += f.failed_items;
    }
    let r = &summary.repairs;
    let tools = &summary.tools;
    let d = &summary.devices;
    let money = |fen: i64| lang.tf("month.amount", &[("value", &money_text(fen))]);
    [
        figures_line(
            lang.t("month.section_checks"),
            &[
                (
                    lang.t("month_figure.checks_completion_pct"),
                    pct(crate::domain::month::percent(checks.0, checks.0 + checks.1)),
                ),
                (lang.t("month_figure.checks_signed"), checks.0.to_string()),
                (lang.t("month_figure.checks_missed"), checks.1.to_string()),
                (
                    lang.t("month_figure.checks_failed_items"),
                    checks.2.to_string(),
                ),
            ],
            width,
        ),
        figures_line(
            lang.t("month.section_repairs"),
            &[
                (lang.t("month_figure.repairs_opened"), r.opened.to_string()),
                (
                    lang.t("month_figure.repairs_finished"),
                    r.finished.to_string(),
                ),
                (
                    lang.t("month_figure.repairs_on_time_pct"),
                    pct(r.on_time_pct()),
                ),
                (
                    lang.t("reports.mttr"),
                    r.mttr_hours.map_or("-".to_owned(), |h| {
                        format!("{h:.1}{}", lang.t("month.unit_hours"))
                    }),
                ),
                (lang.t("month_figure.repairs_cost"), money(r.cost())),
            ],
            width,
        ),
        figures_line(
            lang.t("month.section_tools"),
            &[
                (lang.t("month_figure.tools_lent"), tools.lent.to_string()),
                (
                    lang.t("month_figure.tools_overdue"),
                    tools.overdue.to_string(),
                ),
                (
                    lang.t("month_figure.tools_damaged"),
                    tools.damaged.to_string(),
                ),
                (lang.t("month_figure.tools_lost"), tools.lost.to_string()),
                (
                    lang.t("month_figure.tools_liability"),
                    money(tools.liability),
                ),
            ],
            width,
        ),
        figures_line(
            &t("month.section_devices"),
            &[
                (lang.t("reports.in_register"), d.in_register.to_string()),
                (lang.t("month_figure.devices_added"), d.added.to_string()),
                (
                    lang.t("month_figure.devices_transferred"),
                    d.transferred.to_string(),
                ),
                (
                    lang.t("month_figure.devices_status_changed"),
                    d.status_changed.to_string(),
                ),
                (
                    lang.t("month_figure.devices_scrapped"),
                    d.scrapped.to_string(),
                ),
            ],
            width,
        ),
    ]
    .concat()
}

/// A bar of `value` out of `max` in `width` cells; at least one cell for anything above zero.
fn bar(value: usize, max: usize, width: u16) -> String {
    if value == 0 || max == 0 {
        return String::new();
    }
    let cells = (value * usize::from(width))
        .div_ceil(max)
        .clamp(1, usize::from(width));
    BAR.to_string().repeat(cells)
}

/// `11-23..11-29`; a week report's bars are days: `11-23 Mon`.
fn week_label(w: &WeekFigures, lang: Lang) -> String {
    if w.start == w.end {
        let day = chrono::Datelike::weekday(&w.start).num_days_from_monday();
        format!("{} {}", short(w.start), lang.t(&format!("weekday.{day}")))
    } else {
        format!("{}..{}", short(w.start), short(w.end))
    }
}

/// The chart's title, by week or, for a week report, by day.
fn chart_title(weeks: &[WeekFigures], key: &str, lang: Lang) -> String {
    // A month's week may be one day long (November 2026 begins on a Sunday): seven bars of
    // one day each are a week report's.
    let by_day = weeks.len() == 7 && weeks.iter().all(|w| w.start == w.end);
    lang.t(&format!("{key}{}", if by_day { "_by_day" } else { "" }))
        .to_owned()
}

/// Checklist completion per week: a bar to 100%.
fn completion_chart(weeks: &[WeekFigures], width: u16, lang: Lang) -> Vec<Line<'static>> {
    let room = width.saturating_sub(WEEK + 1 + 7);
    let mut out = vec![Line::styled(
        chart_title(weeks, "reports.completion_chart", lang),
        theme::HEADER,
    )];
    for w in weeks {
        let done = w.completion();
        let style = match done {
            Some(p) if p >= 100.0 => theme::GOOD,
            Some(_) => theme::BAD,
            None => theme::MUTED,
        };
        let filled = done.map_or(0, |p| (p * f64::from(room) / 100.0).round() as usize);
        let cells = if done.is_some_and(|p| p > 0.0) {
            filled.max(1)
        } else {
            0
        };
        out.push(Line::from(vec![
            Span::raw(format!("{} ", fit(&week_label(w, lang), WEEK))),
            Span::styled(fit(&BAR.to_string().repeat(cells), room), style),
            Span::raw(format!(" {:>6}", pct(done))),
        ]));
    }
    out
}

/// Repairs reported and repaired per week, side by side on one scale.
fn repairs_chart(weeks: &[WeekFigures], width: u16, lang: Lang) -> Vec<Line<'static>> {
    let room = width.saturating_sub(WEEK + 1 + 8) / 2;
    let max = weeks
        .iter()
        .map(|w| w.opened.max(w.finished))
        .max()
        .unwrap_or(0);
    let title = Line::from(vec![
        Span::styled(
            chart_title(weeks, "reports.repairs_chart", lang),
            theme::HEADER,
        ),
        Span::raw("  "),
        Span::styled(BAR.to_string(), theme::WARN),
        Span::raw(format!(" {}  ", lang.t("month_figure.repairs_opened"))),
        Span::styled(BAR.to_string(), theme::GOOD),
        Span::raw(format!(" {}", lang.t("month_figure.repairs_finished"))),
    ]);
    let mut out = vec![title];
    for w in weeks {
        out.push(Line::from(vec![
            Span::raw(format!("{} ", fit(&week_label(w, lang), WEEK))),
            Span::styled(fit(&bar(w.opened, max, room), room), theme::WARN),
            Span::raw(format!("{:>3} ", w.opened)),
            Span::styled(fit(&bar(w.finished, max, room), room), theme::GOOD),
            Span::raw(format!("{:>3}", w.finished)),
        ]));
    }
    out
}

/// Column widths of the figure table.
const SECTION: u16 = 10;
const FIGURE: u16 = 17;
const SUBJECT: u16 = 28;
const VALUE: u16 = 11;

fn table_line(cells: [&str; 5], style: Style) -> Line<'static> {
    let text = format!(
        "{} {} {} {} {}",
        fit(cells[0], SECTION),
        fit(cells[1], FIGURE),
        fit(cells[2], SUBJECT),
        fit_right(cells[3], VALUE),
        cells[4],
    );
    Line::styled(text, style)
}

pub fn render(screen: &mut ReportsScreen, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.lang;
    let month = screen.month(ctx.today);
    let title = lang.tf(
        if month.is_week() {
            "reports.title_week"
        } else {
            "reports.title"
        },
        &[
            ("month", &month.label()),
            ("first", &short(month.first())),
            ("last", &short(month.last())),
        ],
    );
    frame.render_widget(
        Paragraph::new(Line::styled(title, theme::TITLE)),
        rows(area, 0, 1),
    );
    let export = match &screen.export {
        Some(line) if line.is_error => Line::styled(line.text.clone(), theme::FIELD_ERROR),
        Some(line) if line.running => Line::styled(line.text.clone(), theme::NOTICE),
        Some(line) => Line::styled(line.text.clone(), theme::GOOD),
        None => {
            let dir = crate::tui::screens::reports_dir(ctx.db);
            Line::styled(
                lang.tf("reports.export_hint", &[("dir", &dir.display())]),
                theme::HINT,
            )
        }
    };
    frame.render_widget(Paragraph::new(export), rows(area, 1, 1));
    let summary = match screen.shown(month) {
        Some(Ok(summary)) => summary,
        Some(Err(message)) => {
            frame.render_widget(
                Paragraph::new(Line::styled(message.clone(), theme::FIELD_ERROR)),
                rows(area, 3, 1),
            );
            return;
        }
        None => {
            frame.render_widget(
                Paragraph::new(Line::styled(lang.t("reports.reading"), theme::NOTICE)),
                rows(area, 3, 1),
            );
            return;
        }
    };
    let head = headline(summary, area.width, lang);
    let head_height = head.len() as u16;
    frame.render_widget(Paragraph::new(head), rows(area, 2, head_height));
    let charts_top = 3 + head_height;
    let chart_height = summary.weeks.len() as u16 + 1;
    let half = area.width / 2;
    let left = Rect {
        width: half.saturating_sub(1),
        ..rows(area, charts_top, chart_height)
    };
    let right = Rect {
        x: area.x + half + 1,
        width: area.width - half - 1,
        ..rows(area, charts_top, chart_height)
    };
    frame.render_widget(
        Paragraph::new(completion_chart(&summary.weeks, left.width, lang)),
        left,
    );
    frame.render_widget(
        Paragraph::new(repairs_chart(&summary.weeks, right.width, lang)),
        right,
    );
    let table_top = charts_top + chart_height + 1;
    let table = rows(area, table_top, area.height.saturating_sub(table_top));
    if table.height < 2 {
        return;
    }
    let figures = summary.figures(lang);
    screen.table_rows = usize::from(table.height - 1);
    let last_start = figures.len().saturating_sub(screen.table_rows);
    screen.offset = screen.offset.min(last_start);
    let head = [
        lang.t("reports.col_section"),
        lang.t("reports.col_figure"),
        lang.t("reports.col_subject"),
        lang.t("reports.col_value"),
        lang.t("reports.col_unit"),
    ];
    let mut lines = vec![table_line(head, theme::HEADER)];
    for f in figures.iter().skip(screen.offset).take(screen.table_rows) {
        let subject = if f.scope.is_empty() {
            f.subject.clone()
        } else {
            format!("{} ({})", f.subject, f.scope)
        };
        let value = if f.value.is_empty() { "-" } else { &f.value };
        lines.push(table_line(
            [
                lang.t(f.section_key()),
                lang.t(f.key),
                &subject,
                value,
                &f.unit,
            ],
            Style::new(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), table);
}
