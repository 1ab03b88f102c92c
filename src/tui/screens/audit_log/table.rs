//! The audit log drawn over the tab: a title with the count and filters, the entries in view
//! (when, who, what, which record, what was done, which fields), or one entry opened.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{AuditLogScreen, Mode, table_words};
use crate::db::audit::{self, Action, Entry};
use crate::i18n::Lang;
use crate::text::printable;
use crate::tui::layout::{ListAreas, rows};
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::audit_trail::column_words;
use crate::tui::widgets::columns::{self as table, Column};
use crate::tui::widgets::{paged, prompt};

/// When, who, what kind of record, which one, what was done, and the fields it touched; when
/// narrow the fields go first, then the kind of record.
fn columns(lang: Lang) -> Vec<Column> {
    vec![
        Column::new(lang.t("audit.col_at"), 16, 16),
        Column::new(lang.t("audit.col_operator"), 6, 12),
        Column::new(lang.t("audit.col_table"), 6, 16).drop(2),
        Column::new(lang.t("audit.col_record"), 8, 22),
        Column::new(lang.t("audit.col_action"), 4, 14).whole(),
        Column::new(lang.t("audit.changes"), 10, 80).drop(1),
    ]
}

fn action_words(entry: &Entry, lang: Lang) -> String {
    let done = lang.t(match entry.action {
        Action::Insert => "audit.created",
        Action::Update => "audit.changed",
        Action::Delete => "audit.removed",
    });
    if entry.outside {
        format!("{done} [{}]", lang.t("audit.outside"))
    } else {
        done.to_owned()
    }
}

fn row_cells(ctx: &Ctx, entry: &Entry) -> Vec<String> {
    let lang = ctx.lang;
    let name = audit::record_name(ctx.db.conn(), entry, lang == Lang::Zh)
        .unwrap_or_else(|| format!("#{}", entry.record_id));
    let fields: Vec<String> = entry
        .columns()
        .iter()
        .map(|c| column_words(&entry.table, c, lang))
        .collect();
    let when = entry.when();
    vec![
        when.get(..16).unwrap_or(when).to_owned(),
        printable(&entry.operator),
        table_words(&entry.table, lang),
        printable(&name),
        action_words(entry, lang),
        fields.join(if lang == Lang::Zh { "、" } else { ", " }),
    ]
}

fn summary(screen: &AuditLogScreen, lang: Lang) -> Line<'static> {
    let list = &screen.list;
    let count = if list.counting() {
        lang.t("audit.counting").to_owned()
    } else {
        lang.tf("audit.count", &[("count", &list.count())])
    };
    let mut spans = vec![Span::styled(
        format!(" {}  {count} ", lang.t("audit.log_title")),
        theme::OVERLAY_TITLE,
    )];
    let q = &screen.query;
    let mut filter = |label: &str, value: String| {
        spans.push(Span::styled(format!(" {label}:"), theme::HINT));
        spans.push(Span::styled(value, theme::NOTICE));
    };
    if let Some(t) = &q.table {
        filter(lang.t("audit.col_table"), table_words(t, lang));
    }
    if let Some(name) = &q.operator {
        filter(lang.t("audit.col_operator"), printable(name));
    }
    if let Some(day) = q.day {
        filter(lang.t("audit.col_at"), day.to_string());
    }
    if let Some(name) = &screen.record_name {
        filter(lang.t("audit.col_record"), printable(name));
    }
    Line::from(spans)
}

pub fn render(screen: &mut AuditLogScreen, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
    if area.height < 3 {
        return;
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new("").style(theme::OVERLAY), area);
    let lang = ctx.lang;
    if let Mode::Entry(view) = &screen.mode {
        frame.render_widget(
            Paragraph::new(format!(" {}", view.title)).style(theme::OVERLAY_TITLE),
            rows(area, 0, 1),
        );
        let inner = rows(area, 1, area.height - 1);
        let scroll = view
            .scroll
            .min((view.lines.len() as u16).saturating_sub(inner.height));
        frame.render_widget(
            Paragraph::new(view.lines.clone())
                .style(theme::OVERLAY)
                .scroll((scroll, 0)),
            inner,
        );
        return;
    }
    let typing = matches!(screen.mode, Mode::Record(_));
    let areas = ListAreas::of(area, typing);
    screen
        .list
        .load(ctx, &screen.source(), usize::from(areas.rows.height));
    frame.render_widget(Paragraph::new(summary(screen, lang)), areas.summary);
    if let (Mode::Record(input), Some(line)) = (&screen.mode, areas.search) {
        prompt::render(frame, line, lang.t("audit.record_prompt"), input);
    }
    let list = &screen.list;
    let shown: &[Entry] = if list.paging() { &[] } else { list.rows() };
    let texts: Vec<Vec<String>> = shown.iter().map(|e| row_cells(ctx, e)).collect();
    let specs = columns(lang);
    let widths = table::draw_header(frame, areas.header, &specs, &texts);
    let place = areas.rows;
    let empty = paged::Empty {
        none_match: "audit.none_match",
        none: "audit.none",
        filtered: screen.has_filters(),
    };
    if list.render_instead(frame, place, lang, empty) {
        return;
    }
    for (i, (entry, cells)) in shown.iter().zip(texts).enumerate() {
        let styled = cells.into_iter().map(|c| (c, ratatui::style::Style::new()));
        let mut spans = vec![Span::raw("  ")];
        spans.extend(table::cells(&specs, &widths, styled));
        let mut line = Line::from(spans);
        if list.offset() + i == list.cursor() {
            line = line.style(theme::SELECTED);
        } else if entry.outside {
            line = line.style(theme::BAD);
        }
        frame.render_widget(Paragraph::new(line), rows(place, i as u16, 1));
    }
}
