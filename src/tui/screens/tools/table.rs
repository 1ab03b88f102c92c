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
use crate::tui::layout::rows;
use crate::tui::screens::Ctx;
use crate::tui::text::fit;
use crate::tui::theme;
use crate::tui::widgets::prompt;

const CODE: u16 = 8;
const KIND: u16 = 10;
const STATUS: u16 = 11;
const PERSON: u16 = 8;
const DAY: u16 = 5;
const NUMBER: u16 = 12;
/// The due column: a date and the overdue mark.
const DUE: u16 = 7;
const BACK: u16 = 15;

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
        View::Tools => lang.tf("tools.count", &[("count", &screen.tools_at.count)]),
        View::Loans if screen.loans_counting => lang.t("loans.counting").to_owned(),
        View::Loans => lang.tf("tools.loans_count", &[("count", &screen.loans_at.count)]),
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
    Line::from(spans)
}

pub fn render(screen: &mut ToolsScreen, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let searching = matches!(screen.mode, Mode::Search) || !screen.search.text().is_empty();
    let top = 1 + u16::from(searching);
    let body = area.height.saturating_sub(top + 1);
    screen.visible_rows = usize::from(body);
    screen.load(ctx, usize::from(body));
    frame.render_widget(Paragraph::new(summary(screen, lang)), rows(area, 0, 1));
    if searching {
        let focused = matches!(screen.mode, Mode::Search);
        prompt::search(frame, rows(area, 1, 1), &screen.search, focused);
    }
    let header = rows(area, top, 1);
    let list = rows(area, top + 1, body);
    let (count, cursor) = match screen.view {
        View::Tools => (screen.tools_at.count, screen.tools_at.in_page()),
        View::Loans => (screen.loans_at.count, screen.loans_at.in_page()),
    };
    let heading = match screen.view {
        View::Tools => tool_header(area.width, lang),
        View::Loans => loan_header(area.width, lang),
    };
    frame.render_widget(Paragraph::new(heading).style(theme::HEADER), header);
    if screen.view == View::Loans && screen.loans_paging {
        frame.render_widget(
            Paragraph::new(format!("  {}", lang.t("loans.searching"))).style(theme::HINT),
            rows(list, 0, 1),
        );
        return;
    }
    if count == 0 {
        let key = if screen.has_filters() {
            "tools.none_match"
        } else {
            "tools.empty"
        };
        frame.render_widget(
            Paragraph::new(format!("  {}", lang.t(key))).style(theme::HINT),
            rows(list, 0, 1),
        );
        return;
    }
    let lines: Vec<Line> = match screen.view {
        View::Tools => screen
            .tool_page
            .iter()
            .map(|t| tool_line(t, area.width, ctx.today, lang))
            .collect(),
        View::Loans => screen
            .loan_page
            .iter()
            .map(|r| loan_line(r, area.width, ctx.today, lang))
            .collect(),
    };
    for (i, mut line) in lines.into_iter().enumerate() {
        if Some(i) == cursor {
            line = line.style(theme::SELECTED);
        }
        frame.render_widget(Paragraph::new(line), rows(list, i as u16, 1));
    }
}

/// The name column of the tool list takes what the others leave.
fn tool_name_width(width: u16) -> u16 {
    let place = if width >= 80 { 12 } else { 0 };
    let place = if place > 0 { place + 1 } else { 0 };
    let fixed = 2 + CODE + 1 + KIND + 1 + STATUS + 1 + PERSON + 1 + DUE + 1 + place;
    width.saturating_sub(fixed).max(6)
}

fn tool_header(width: u16, lang: Lang) -> String {
    let mut cells = vec![
        fit(lang.t("tools.code"), CODE),
        fit(lang.t("tools.name"), tool_name_width(width)),
        fit(lang.t("tools.kind"), KIND),
        fit(lang.t("tools.status"), STATUS),
        fit(lang.t("tools.holder"), PERSON),
        fit(lang.t("tools.due"), DUE),
    ];
    if width >= 80 {
        cells.push(fit(lang.t("tools.place"), 12));
    }
    format!("  {}", cells.join(" "))
}

fn tool_line(t: &Tool, width: u16, today: NaiveDate, lang: Lang) -> Line<'static> {
    let late = t.overdue(today);
    let (holder, due) = t
        .holder
        .as_ref()
        .map_or((String::new(), String::new()), |h| {
            let mark = if late { "!" } else { "" };
            (h.borrower.clone(), format!("{}{mark}", short(h.due_on)))
        });
    let mut spans = vec![
        Span::styled(if late { "! " } else { "  " }, theme::BAD),
        Span::raw(fit(&t.code, CODE)),
        Span::raw(" "),
        Span::raw(fit(&t.name, tool_name_width(width))),
        Span::raw(" "),
        Span::raw(fit(&t.kind, KIND)),
        Span::raw(" "),
        Span::styled(
            fit(lang.t(t.status.label_key()), STATUS),
            status_style(t.status),
        ),
        Span::raw(" "),
        Span::raw(fit(&holder, PERSON)),
        Span::raw(" "),
        Span::styled(fit(&due, DUE), if late { theme::BAD } else { Style::new() }),
    ];
    if width >= 80 {
        spans.push(Span::raw(" "));
        spans.push(Span::raw(fit(&t.place, 12)));
    }
    let line = Line::from(spans);
    match t.status {
        ToolStatus::Retired => line.style(theme::MUTED),
        _ if late => line.style(theme::BAD),
        _ => line,
    }
}

/// Column widths of the loan list: the tool takes what the others leave; the department
/// shows from 80 columns.
fn loan_tool_width(width: u16) -> (u16, u16) {
    let department = if width >= 80 { PERSON } else { 0 };
    let fixed = 2
        + NUMBER
        + 1
        + PERSON
        + 1
        + DAY
        + 1
        + DAY
        + 1
        + BACK
        + if department > 0 { department + 1 } else { 0 };
    (width.saturating_sub(fixed + 1).max(8), department)
}

fn loan_header(width: u16, lang: Lang) -> String {
    let (tool, department) = loan_tool_width(width);
    let mut cells = vec![
        fit(lang.t("loans.number"), NUMBER),
        fit(lang.t("loans.tool"), tool),
        fit(lang.t("loans.borrower"), PERSON),
    ];
    if department > 0 {
        cells.push(fit(lang.t("loans.department"), department));
    }
    cells.extend([
        fit(lang.t("loans.out"), DAY),
        fit(lang.t("loans.due"), DAY),
        fit(lang.t("loans.back"), BACK),
    ]);
    format!("  {}", cells.join(" "))
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

fn loan_line(r: &LoanRow, width: u16, today: NaiveDate, lang: Lang) -> Line<'static> {
    let (tool, department) = loan_tool_width(width);
    let late = r.is_open() && r.days_overdue(today) > 0;
    let (back, back_style) = back_cell(r, today, lang);
    let mut spans = vec![
        Span::styled(if late { "! " } else { "  " }, theme::BAD),
        Span::raw(fit(&r.number, NUMBER)),
        Span::raw(" "),
        Span::raw(fit(&format!("{} {}", r.code, r.tool_name), tool)),
        Span::raw(" "),
        Span::raw(fit(&r.borrower, PERSON)),
        Span::raw(" "),
    ];
    if department > 0 {
        spans.push(Span::raw(fit(&r.department, department)));
        spans.push(Span::raw(" "));
    }
    spans.extend([
        Span::raw(fit(&short(r.out_at.date()), DAY)),
        Span::raw(" "),
        Span::raw(fit(&short(r.due_on), DAY)),
        Span::raw(" "),
        Span::styled(fit(&back, BACK), back_style),
    ]);
    let line = Line::from(spans);
    if late {
        line.style(theme::BAD)
    } else if !r.is_open() {
        line.style(theme::MUTED)
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_every_width_from_the_smallest() {
        for width in [60u16, 80, 100, 160] {
            let place = if width >= 80 { 13 } else { 0 };
            let used = 2
                + CODE
                + 1
                + tool_name_width(width)
                + 1
                + KIND
                + 1
                + STATUS
                + 1
                + PERSON
                + 1
                + DUE
                + place;
            assert!(used <= width, "tools at {width}: {used}");
            let (tool, department) = loan_tool_width(width);
            let dept = if department > 0 { department + 1 } else { 0 };
            let used = 2 + NUMBER + 1 + tool + 1 + PERSON + 1 + dept + DAY + 1 + DAY + 1 + BACK;
            assert!(used <= width, "loans at {width}: {used}");
            assert!(tool >= 8);
        }
    }
}
