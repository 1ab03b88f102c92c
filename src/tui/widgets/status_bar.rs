//! Bottom line: operator, date and ISO week, database file; at the right the latest message or,
//! the alerts (inspection runs due and missed, repairs past their estimate).

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::domain::calendar::iso_week_label;
use crate::i18n::Lang;
use crate::tui::action::Flash;
use crate::tui::theme;

pub struct StatusInfo<'a> {
    pub operator: &'a str,
    pub today: NaiveDate,
    pub db_name: &'a str,
    pub flash: Option<&'a Flash>,
    /// Why the day's backup failed: shown before the alerts until one succeeds.
    pub backup_failure: Option<&'a str>,
    /// Inspection runs due now and not signed, and missed periods.
    pub checks: (usize, usize),
    /// Open repairs past their estimate.
    pub late_repairs: usize,
    /// Tools out past their due date.
    pub overdue_tools: usize,
    /// Daily metrics in use with no value for yesterday.
    pub missing_readings: usize,
}

pub fn render(frame: &mut Frame, area: Rect, info: &StatusInfo, lang: Lang) {
    let mut spans = vec![
        Span::styled(format!(" {} ", lang.t("status.operator")), theme::STATUS),
        Span::styled(info.operator.to_owned(), theme::STATUS_STRONG),
        Span::styled(
            format!(
                "   {}  {}",
                info.today.format("%Y-%m-%d"),
                iso_week_label(info.today)
            ),
            theme::STATUS,
        ),
        Span::styled(format!("   {} ", info.db_name), theme::STATUS),
    ];
    let alert = info
        .backup_failure
        .map(Flash::error)
        .or_else(|| alert_text(info, lang));
    if let Some(flash) = info.flash.or(alert.as_ref()) {
        let text = format!(" {} ", flash.text);
        // A message matters more than the file name and the date: drop those to make room.
        let width = |spans: &[Span]| spans.iter().map(|s| s.content.width()).sum::<usize>();
        while spans.len() > 2 && width(&spans) + text.width() + 1 > area.width as usize {
            spans.pop();
        }
        let gap = (area.width as usize)
            .saturating_sub(width(&spans) + text.width())
            .max(1);
        spans.push(Span::styled(" ".repeat(gap), theme::STATUS));
        spans.push(Span::styled(
            text,
            if flash.is_error {
                theme::ERROR
            } else {
                theme::INFO
            },
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::STATUS), area);
}

/// The standing alerts: inspection runs due and missed, repairs past their estimate, tools
/// past their due date, yesterday's daily figures not yet entered. Missed runs, late repairs and overdue tools show as errors.
fn alert_text(info: &StatusInfo, lang: Lang) -> Option<Flash> {
    let (due, missed) = info.checks;
    let mut parts = Vec::new();
    if due > 0 || missed > 0 {
        let key = if missed == 0 {
            "status.checks_due"
        } else {
            "status.checks"
        };
        parts.push(lang.tf(key, &[("due", &due), ("missed", &missed)]));
    }
    if info.late_repairs > 0 {
        parts.push(lang.tf("status.repairs_late", &[("count", &info.late_repairs)]));
    }
    if info.overdue_tools > 0 {
        parts.push(lang.tf("status.tools_overdue", &[("count", &info.overdue_tools)]));
    }
    if info.missing_readings > 0 {
        parts.push(lang.tf(
            "status.readings_missing",
            &[("count", &info.missing_readings)],
        ));
    }
    (!parts.is_empty()).then(|| Flash {
        text: parts.join("  "),
        is_error: missed > 0 || info.late_repairs > 0 || info.overdue_tools > 0,
    })
}
