//! The two lists of the Tools tab: a summary line (view, count, filters), the search line, and
//! the rows in view. Overdue loans are red with `!`; returned ones muted.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Mode, ToolsScreen, View};
use crate::db::tools::{LoanFilter, LoanRow, Tool, ToolFilter};
use crate::domain::repair::money_text;
use crate::domain::tool::{Condition, ToolStatus};
use crate::i18n::Lang;
use crate::tui::layout::{ListAreas, rows};
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::columns::{self as table, Column};
use crate::tui::widgets::paged;

fn short(day: NaiveDate) -> String {
    day.format("%m-%d").to_string()
}

fn status_style(status: ToolStatus) -> Style {
    match status {
        ToolStatus::CheckedOut => theme::NOTICE,
        ToolStatus::Damaged | ToolStatus::Lost => theme::BAD,
        ToolStatus::Retired => theme::MUTED,
        ToolStatus::Available => Style::new(),
    }
}

/// The loan period as words: "same day", "3 days".
pub fn period_text(days: u32, lang: Lang) -> String {
    match days {
        0 => lang.t("tools.same_day").to_owned(),
        d => lang.tf("tools.days", &[("days", &d)]),
    }
}

fn summary(screen: &ToolsScreen, lang: Lang) -> Line<'static> {
    let (view, other) = match screen.view {
        View::Tools => ("tools.view_tools", "tools.view_loans"),
        View::Loans => ("tools.view_loans", "tools.view_tools"),
    };
    let count = match screen.view {
        View::Tools if screen.tools.counting() => lang.t("tools.counting").to_owned(),
        View::Tools => lang.tf("tools.count", &[("count", &screen.tools.count())]),
        View::Loans if screen.loans.counting() => lang.t("loans.counting").to_owned(),
        View::Loans => lang.tf("tools.loans_count", &[("count", &screen.loans.count())]),
    };
    let mut spans = vec![
        Span::styled(format!(" [{}]", lang.t(view)), theme::NOTICE),
        Span::styled(format!(" v:{} ", lang.t(other)), theme::HINT),
        Span::styled(format!(" {count} "), theme::TITLE),
    ];
    let mut filter = |label: &str, value: String| {
        spans.push(Span::styled(format!(" {label}:"), theme::HINT));
        spans.push(Span::styled(value, theme::NOTICE));
    };
    match screen.view {
        View::Tools => {
            let f = screen.tool_query.filter;
            if f != ToolFilter::InUse {
                filter(lang.t("tools.filter"), lang.t(f.label_key()).to_owned());
            }
        }
        View::Loans => {
            let q = &screen.loan_query;
            if q.filter != LoanFilter::All {
                filter(
                    lang.t("tools.filter"),
                    lang.t(q.filter.label_key()).to_owned(),
                );
            }
            if let Some(code) = &screen.history_of {
                filter(lang.t("loans.tool"), code.clone());
            }
            if let Some(name) = &q.borrower {
                filter(lang.t("loans.borrower"), name.clone());
            }
            if let Some(name) = &q.department {
                filter(lang.t("loans.department"), name.clone());
            }
            if let Some(month) = q.month {
                filter(
                    lang.t("loans.filter_month"),
                    month.format("%Y-%m").to_string(),
                );
            }
        }
    }
    let sort = match screen.view {
        View::Tools => screen.tool_query.sort,
        View::Loans => screen.loan_query.sort,
    };
    if let Some(words) = paged::sort_words(lang, &super::sort_columns(screen.view, lang), sort) {
        filter(lang.t("filter.sort"), words);
    }
    Line::from(spans)
}

pub fn render(screen: &mut ToolsScreen, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let searching = matches!(screen.mode, Mode::Search) || !screen.search.text().is_empty();
    let areas = ListAreas::of(area, searching);
    screen.load(ctx, usize::from(areas.rows.height));
    let focused = matches!(screen.mode, Mode::Search);
    areas.draw_top(frame, summary(screen, lang), &screen.search, focused);
    let list = areas.rows;
    let in_page = |cursor: usize, offset: usize| cursor.checked_sub(offset);
    let (cursor, paging) = match screen.view {
        View::Tools => {
            let l = &screen.tools;
            (in_page(l.cursor(), l.offset()), l.paging())
        }
        View::Loans => {
            let l = &screen.loans;
            (in_page(l.cursor(), l.offset()), l.paging())
        }
    };
    let (specs, shown): (Vec<Column>, Vec<Row>) = match screen.view {
        View::Tools => (
            tool_columns(lang),
            screen
                .tools
                .rows()
                .iter()
                .filter(|_| !paging)
                .map(|t| tool_row(t, ctx.today, lang))
                .collect(),
        ),
        View::Loans => (
            loan_columns(lang),
            screen
                .loans
                .rows()
                .iter()
                .filter(|_| !paging)
                .map(|r| loan_row(r, ctx.today, lang))
                .collect(),
        ),
    };
    let cells: Vec<Vec<(String, Style)>> = shown.iter().map(|r| r.cells.clone()).collect();
    let widths = table::draw_header(frame, areas.header, &specs, &table::texts(&cells));
    let empty = paged::Empty {
        none_match: "tools.none_match",
        none: "tools.empty",
        filtered: screen.has_filters(),
    };
    let instead = match screen.view {
        View::Tools => screen.tools.render_instead(frame, list, lang, empty),
        View::Loans => screen.loans.render_instead(frame, list, lang, empty),
    };
    if instead {
        return;
    }
    for (i, row) in shown.into_iter().enumerate() {
        let mut spans = vec![Span::styled(if row.late { "! " } else { "  " }, theme::BAD)];
        spans.extend(table::cells(&specs, &widths, row.cells));
        let mut line = Line::from(spans).style(row.style);
        if Some(i) == cursor {
            line = line.style(theme::SELECTED);
        }
        frame.render_widget(Paragraph::new(line), rows(list, i as u16, 1));
    }
}

/// One line of either list: overdue or not, its cells and the style of the whole line.
struct Row {
    late: bool,
    cells: Vec<(String, Style)>,
    style: Style,
}

/// The tool list's columns; the place goes first when narrow.
fn tool_columns(lang: Lang) -> Vec<Column> {
    vec![
        Column::new(lang.t("tools.code"), 6, 12),
        Column::new(lang.t("tools.name"), 8, 32),
        Column::new(lang.t("tools.kind"), 4, 12).drop(2),
        Column::new(lang.t("tools.status"), 6, 12).whole(),
        Column::new(lang.t("tools.holder"), 4, 10),
        Column::new(lang.t("tools.due"), 6, 6),
        Column::new(lang.t("tools.place"), 6, 20).drop(1),
    ]
}

fn tool_row(t: &Tool, today: NaiveDate, lang: Lang) -> Row {
    let late = t.overdue(today);
    let (holder, due) = t
        .holder
        .as_ref()
        .map_or((String::new(), String::new()), |h| {
            let mark = if late { "!" } else { "" };
            (h.borrower.clone(), format!("{}{mark}", short(h.due_on)))
        });
    let plain = |text: &str| (text.to_owned(), Style::new());
    let cells = vec![
        plain(&t.code),
        plain(&t.name),
        plain(&t.kind),
        (
            lang.t(t.status.label_key()).to_owned(),
            status_style(t.status),
        ),
        plain(&holder),
        (due, if late { theme::BAD } else { Style::new() }),
        plain(&t.place),
    ];
    let style = match t.status {
        ToolStatus::Retired => theme::MUTED,
        _ if late => theme::BAD,
        _ => Style::new(),
    };
    Row { late, cells, style }
}

/// The loan list's columns; the department goes first when narrow.
fn loan_columns(lang: Lang) -> Vec<Column> {
    vec![
        Column::new(lang.t("loans.number"), 8, 14),
        Column::new(lang.t("loans.tool"), 10, 36),
        Column::new(lang.t("loans.borrower"), 4, 10),
        Column::new(lang.t("loans.department"), 4, 14).drop(1),
        Column::new(lang.t("loans.out"), 5, 5),
        Column::new(lang.t("loans.due"), 5, 5),
        Column::new(lang.t("loans.back"), 6, 20).whole(),
    ]
}

/// The last column: when it came back and how, or how late it is.
fn back_cell(r: &LoanRow, today: NaiveDate, lang: Lang) -> (String, Style) {
    match (r.returned_at, r.condition_back) {
        (None, _) => match r.days_overdue(today) {
            0 => (lang.t("loans.open").to_owned(), theme::NOTICE),
            days => (lang.tf("tools.days_late", &[("days", &days)]), theme::BAD),
        },
        (Some(_), Some(c)) if c != Condition::Good => {
            let owed = r.liability.as_ref().map_or(String::new(), |b| {
                let mark = if b.settled_at.is_some() { "" } else { "!" };
                format!(" {}{mark}", money_text(b.amount))
            });
            (format!("{}{owed}", lang.t(c.label_key())), theme::BAD)
        }
        (Some(at), _) => (short(at.date()), theme::MUTED),
    }
}

fn loan_row(r: &LoanRow, today: NaiveDate, lang: Lang) -> Row {
    let late = r.is_open() && r.days_overdue(today) > 0;
    let plain = |text: &str| (text.to_owned(), Style::new());
    let cells = vec![
        plain(&r.number),
        plain(&format!("{} {}", r.code, r.tool_name)),
        plain(&r.borrower),
        plain(&r.department),
        plain(&short(r.out_at.date())),
        plain(&short(r.due_on)),
        back_cell(r, today, lang),
    ];
    let style = if late {
        theme::BAD
    } else if !r.is_open() {
        theme::MUTED
    } else {
        Style::new()
    };
    Row { late, cells, style }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Row]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.cells.iter().map(|(t, _)| t.clone()).collect())
            .collect()
    }

    #[test]
    fn columns_fit_every_width_and_a_name_is_only_as_wide_as_it_needs() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let tool = Tool {
            id: 1,
            code: "GJ-001".into(),
            name: "数字万用表".into(),
            kind: "测量".into(),
            loan_days: 3,
            spec: String::new(),
            place: "工具柜A-2层".into(),
            condition: String::new(),
            status: ToolStatus::Available,
            row_version: 1,
            retired_reason: None,
            holder: None,
        };
        for lang in [Lang::En, Lang::Zh] {
            let specs = tool_columns(lang);
            let rows = texts(&[tool_row(&tool, today, lang)]);
            for width in [60u16, 80, 100, 160] {
                let w = table::widths(&specs, &rows, width - 2);
                let used: u16 = w.iter().flatten().map(|w| w + 1).sum::<u16>() + 1;
                assert!(used <= width, "tools at {width}: {used}");
            }
            let w = table::widths(&specs, &rows, 118);
            assert!(w.iter().all(Option::is_some), "{w:?}");
            assert!(w[1].unwrap() <= 10, "the name column is {w:?}");
            let specs = loan_columns(lang);
            for width in [60u16, 80, 100, 160] {
                let w = table::widths::<Vec<String>>(&specs, &[], width - 2);
                let used: u16 = w.iter().flatten().map(|w| w + 1).sum::<u16>() + 1;
                assert!(used <= width, "loans at {width}: {used}");
            }
        }
    }
}
