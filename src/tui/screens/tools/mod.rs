//! The Tools tab (工具领用): two views, the tools (who holds each one, until when) and the
//! loans (overdue first, then open, then history); check-out with a scan loop, returns with
//! liability, and the inventory's add, edit and retire.

mod checkout;
mod detail;
mod forms;
mod returns;
mod table;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use super::keyset::Neighbour;
use super::{Ctx, Screen};
use crate::db::tools::{self, LoanFilter, LoanQuery, LoanRow, Tool, ToolFilter, ToolQuery};
use crate::db::worker::{Answer, Worker};
use crate::domain::period::Period;
use crate::tui::action::{Action, Flash};
use crate::tui::keys::{self, KeyHint};
use crate::tui::widgets::audit_trail;
use crate::tui::widgets::input::Input;
use crate::tui::widgets::picker::{Picked, Picker};
use checkout::{Checkout, CheckoutOutcome};
use forms::{FormOutcome, ToolForm};
use returns::{ReturnOutcome, ReturnScan};

const TOOL_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k PgUp/PgDn g/G", "key.move", false),
    KeyHint::new("Enter", "key.open", true),
    KeyHint::new("o", "key.check_out", true),
    KeyHint::new("i", "key.return_scan", true),
    KeyHint::new("r", "key.return_tool", true),
    KeyHint::new("v", "key.switch_view", true),
    KeyHint::new("a", "key.add_tool", false),
    KeyHint::new("e", "key.edit_tool", false),
    KeyHint::new("x", "key.retire_tool", false),
    KeyHint::new("h", "key.tool_history", false),
    KeyHint::new("/", "key.search", true),
    KeyHint::new("f", "key.filter_tools", false),
    KeyHint::new("Esc", "key.clear_filters", false),
];

const LOAN_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k PgUp/PgDn g/G", "key.move", false),
    KeyHint::new("Enter", "key.open", false),
    KeyHint::new("r", "key.return_tool", true),
    KeyHint::new("i", "key.return_scan", true),
    KeyHint::new("o", "key.check_out", true),
    KeyHint::new("s", "key.settle", false),
    KeyHint::new("v", "key.switch_view", true),
    KeyHint::new("/", "key.search", true),
    KeyHint::new("f", "key.filter_loans", false),
    KeyHint::new("b", "key.filter_borrower", true),
    KeyHint::new("d", "key.filter_department", false),
    KeyHint::new("[ / ]", "key.filter_month", false),
    KeyHint::new("Esc", "key.clear_filters", false),
];

const DETAIL_KEYS: &[KeyHint] = &[
    KeyHint::new("o", "key.check_out", true),
    KeyHint::new("r", "key.return_tool", true),
    KeyHint::new("e", "key.edit_tool", true),
    KeyHint::new("h", "key.tool_history", true),
    KeyHint::new("L", "key.audit_trail", false),
    KeyHint::new("j/k", "key.scroll", false),
    KeyHint::new("Esc", "key.back", true),
];

const CHECKOUT_KEYS: &[KeyHint] = &[
    KeyHint::new("Enter", "key.scan_add", true),
    KeyHint::new("Ctrl-S", "key.check_out_all", true),
    KeyHint::new("Esc", "key.cancel", true),
    KeyHint::new("Tab / Shift-Tab", "key.next_field", true),
    KeyHint::new("Ctrl-D", "key.scan_remove", false),
    KeyHint::new("Ctrl-P", "key.pick", false),
];

const RETURN_KEYS: &[KeyHint] = &[
    KeyHint::new("Enter", "key.return_code", true),
    KeyHint::new("Tab", "key.next_condition", true),
    KeyHint::new("Esc", "key.back", true),
];

/// Which list the tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Tools,
    Loans,
}

/// Which filter a pick list sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterKind {
    Tools,
    Loans,
    Borrower,
    Department,
}

enum Mode {
    List,
    Search,
    Filter(FilterKind, Picker),
    Detail(Box<detail::Detail>),
    Form(Box<ToolForm>),
    Checkout(Box<Checkout>),
    Returns(Box<ReturnScan>),
}

/// What a list's count was read for (query, change count, day), and its rows (offset,
/// height).
type Read<Q> = (Option<(Q, u64, NaiveDate)>, Option<(usize, usize)>);

/// Count a list when its key changed, fit the cursor, and read its visible rows when the
/// count or the window changed.
fn read_window<Q: PartialEq, R>(
    read: &mut Read<Q>,
    at: &mut Window,
    key: (Q, u64, NaiveDate),
    rows: usize,
    page: &mut Vec<R>,
    count: impl FnOnce() -> usize,
    fetch: impl FnOnce(usize) -> Vec<R>,
) {
    if read.0.as_ref() != Some(&key) {
        at.count = count();
        *read = (Some(key), None);
    }
    at.fit(at.count, rows);
    let window = Some((at.offset, rows));
    if read.1 != window {
        *page = fetch(at.offset);
        read.1 = window;
    }
}

/// A cursor over a list read one window at a time.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    cursor: usize,
    offset: usize,
    count: usize,
}

impl Window {
    /// Keep the cursor inside `count` rows and in view of `rows` visible ones.
    fn fit(&mut self, count: usize, rows: usize) {
        self.count = count;
        self.cursor = self.cursor.min(count.saturating_sub(1));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if rows > 0 && self.cursor >= self.offset + rows {
            self.offset = self.cursor + 1 - rows;
        }
        self.offset = self.offset.min(count.saturating_sub(rows.max(1)));
    }

    fn move_by(&mut self, by: isize) {
        let last = self.count.saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + by).clamp(0, last.max(0)) as usize;
    }

    /// The index in the visible page of the cursor's row.
    fn in_page(&self) -> Option<usize> {
        self.cursor.checked_sub(self.offset)
    }
}

pub struct ToolsScreen {
    view: View,
    tool_query: ToolQuery,
    loan_query: LoanQuery,
    /// The tool whose history the loans view shows, for the summary line.
    history_of: Option<String>,
    tools_at: Window,
    loans_at: Window,
    /// What the count and the rows in view were read for (query, change count, day; then
    /// offset and height): nothing is read again while they stay the same.
    tools_read: Read<ToolQuery>,
    loans_read: Read<LoanQuery>,
    tool_page: Vec<Tool>,
    loan_page: Vec<LoanRow>,
    /// Counts a million loans off the key path; opened at the first count of a file database.
    loan_counter: Option<Worker<usize>>,
    /// The loan count is still to come: the list runs as far as the rows read so far.
    loans_counting: bool,
    /// Reads the loans in view when that takes longer than a key may wait (a filter whose
    /// matches lie deep in ten years of loans).
    loan_pager: Option<Worker<Vec<LoanRow>>>,
    /// The loans in view are being read by `loan_pager`.
    loans_paging: bool,
    /// What the loans in `loan_page` were read for (query, change count, day) and their
    /// offset: a window next to them is read on from their first or last loan.
    loans_shown: Option<((LoanQuery, u64, NaiveDate), usize)>,
    search: Input,
    mode: Mode,
    visible_rows: usize,
    /// The return scan waiting behind the return form of a damaged or lost tool.
    parked_returns: Option<Box<ReturnScan>>,
}

impl Default for ToolsScreen {
    fn default() -> ToolsScreen {
        ToolsScreen::new()
    }
}

impl ToolsScreen {
    pub fn new() -> ToolsScreen {
        ToolsScreen {
            view: View::Tools,
            tool_query: ToolQuery::default(),
            loan_query: LoanQuery::default(),
            history_of: None,
            tools_at: Window::default(),
            loans_at: Window::default(),
            tools_read: (None, None),
            loans_read: (None, None),
            tool_page: Vec::new(),
            loan_page: Vec::new(),
            loan_counter: None,
            loans_counting: false,
            loan_pager: None,
            loans_paging: false,
            loans_shown: None,
            search: Input::default(),
            mode: Mode::List,
            parked_returns: None,
            visible_rows: 10,
        }
    }

    /// Count the list in view and read its visible rows when the filter, the window, the day
    /// or the data (this program's writes or another's, see [`Screen::data_changed`]) changed:
    /// an idle frame over a million loans reads nothing.
    fn load(&mut self, ctx: &Ctx, rows: usize) {
        let (conn, today) = (ctx.db.conn(), ctx.today);
        match self.view {
            View::Tools => {
                let query = &self.tool_query;
                let key = (query.clone(), conn.total_changes(), today);
                read_window(
                    &mut self.tools_read,
                    &mut self.tools_at,
                    key,
                    rows,
                    &mut self.tool_page,
                    || tools::count_tools(conn, query, today).unwrap_or(0),
                    |offset| {
                        tools::tools_page(conn, query, today, offset, rows).unwrap_or_default()
                    },
                );
            }
            View::Loans => self.load_loans(ctx, rows),
        }
    }

    /// The loans view's [`Self::load`]. A new filter's count is asked of a worker and the
    /// first rows are read meanwhile, within the key's time; rows that take longer are read
    /// by another worker, and the list says it is searching until they come.
    fn load_loans(&mut self, ctx: &Ctx, rows: usize) {
        let (query, today) = (self.loan_query.clone(), ctx.today);
        let key = (query.clone(), ctx.db.conn().total_changes(), today);
        if self.loans_read.0.as_ref() != Some(&key) {
            self.loans_read = (Some(key), None);
            self.loans_counting = self.ask_loan_count(ctx);
            if !self.loans_counting {
                self.loans_at.count = tools::count_loans(ctx.db.conn(), &query, today).unwrap_or(0);
            }
        }
        if self.loans_counting {
            match self.loan_counter.as_mut().and_then(|c| c.answer(false)) {
                None => {}
                Some(answer) => {
                    self.loans_counting = false;
                    self.loans_at.count = match answer {
                        Answer::Done(n) => n,
                        Answer::Failed => {
                            tools::count_loans(ctx.db.conn(), &query, today).unwrap_or(0)
                        }
                    };
                }
            }
        }
        if self.loans_paging
            && let Some(answer) = self.loan_pager.as_mut().and_then(|p| p.answer(false))
        {
            self.loans_paging = false;
            let page = match answer {
                Answer::Done(page) => page,
                Answer::Failed => {
                    let offset = self.loans_at.offset;
                    tools::loans_page(ctx.db.conn(), &query, today, offset, rows)
                        .unwrap_or_default()
                }
            };
            self.show_loans(ctx, rows, page);
        }
        self.loans_run_on(rows);
        self.loans_at.fit(self.loans_at.count, rows);
        let window = Some((self.loans_at.offset, rows));
        if self.loans_read.1 == window {
            return;
        }
        self.loans_read.1 = window;
        let (offset, count) = (self.loans_at.offset, self.loans_at.count);
        let counting = self.loans_counting;
        let neighbour = self.loans_neighbour(rows);
        // Next to the rows shown, on from their edge; otherwise, while counting, from the top;
        // then from the nearer end.
        let read = move |conn: &rusqlite::Connection| match &neighbour {
            Some(next) => next.read(
                |last, more| tools::loans_after(conn, &query, today, last, more),
                |first, more| tools::loans_before(conn, &query, today, first, more),
            ),
            None if counting => tools::loans_page(conn, &query, today, offset, rows),
            None => tools::loans_window(conn, &query, today, offset, rows, count),
        };
        match ctx.db.quick(read.clone()) {
            Some(page) => {
                if std::mem::take(&mut self.loans_paging)
                    && let Some(pager) = self.loan_pager.as_mut()
                {
                    pager.cancel();
                }
                self.show_loans(ctx, rows, page.unwrap_or_default());
            }
            None => match Worker::in_slot(&mut self.loan_pager, ctx.db.path()) {
                Some(pager) => {
                    pager.ask(Box::new(read));
                    self.loans_paging = true;
                    self.loan_page.clear();
                }
                None => self.show_loans(ctx, rows, read(ctx.db.conn()).unwrap_or_default()),
            },
        }
    }

    /// How the loans window joins the loans shown, when the list has not changed since they
    /// were read and the two overlap or meet.
    fn loans_neighbour(&self, rows: usize) -> Option<Neighbour<LoanRow>> {
        let (key, shown_at) = self.loans_shown.as_ref()?;
        if Some(key) != self.loans_read.0.as_ref() {
            return None;
        }
        let at = self.loans_at.offset;
        Neighbour::of(&self.loan_page, *shown_at, at, rows, |r| r.item_id)
    }

    /// Until the count comes, the list runs one row past the rows read, so the cursor can go
    /// on down and the next rows are read.
    fn loans_run_on(&mut self, rows: usize) {
        if self.loans_counting {
            let seen = self.loans_at.offset + self.loan_page.len();
            let more = usize::from(self.loans_paging || self.loan_page.len() >= rows);
            self.loans_at.count = self.loans_at.count.max(seen + more);
        }
    }

    /// The loans in view have been read: while counting, a short page is the list's end.
    fn show_loans(&mut self, ctx: &Ctx, rows: usize, page: Vec<LoanRow>) {
        self.loan_page = page;
        self.loans_shown = self
            .loans_read
            .0
            .clone()
            .zip(self.loans_read.1.map(|w| w.0));
        self.loans_run_on(rows);
        if self.loans_counting && self.loan_page.len() < rows.max(1) {
            self.loans_at.count = self.loans_at.offset + self.loan_page.len();
            if self.loan_page.is_empty() && self.loans_at.offset > 0 {
                // Moved past the end before the count came: the count says where it is.
                let answer = self.loan_counter.as_mut().and_then(|c| c.answer(true));
                if let Some(Answer::Done(n)) = answer {
                    self.loans_at.count = n;
                }
            } else if let Some(counter) = self.loan_counter.as_mut() {
                counter.cancel();
            }
            self.loans_counting = false;
            self.load_loans(ctx, rows);
        }
    }

    /// Ask the worker for the count of the loan filter; false when there is none (an
    /// in-memory database), and the caller counts itself.
    fn ask_loan_count(&mut self, ctx: &Ctx) -> bool {
        let Some(counter) = Worker::in_slot(&mut self.loan_counter, ctx.db.path()) else {
            return false;
        };
        let (query, today) = (self.loan_query.clone(), ctx.today);
        counter.ask(Box::new(move |conn| {
            tools::count_loans(conn, &query, today)
        }));
        self.loans_at.count = 0;
        true
    }

    fn window(&mut self) -> &mut Window {
        match self.view {
            View::Tools => &mut self.tools_at,
            View::Loans => &mut self.loans_at,
        }
    }

    /// The tool under the cursor (in either view), read fresh.
    fn selected_tool(&self, ctx: &Ctx) -> Option<Tool> {
        let id = match self.view {
            View::Tools => self.tool_page.get(self.tools_at.in_page()?)?.id,
            View::Loans => self.loan_page.get(self.loans_at.in_page()?)?.tool_id,
        };
        tools::get(ctx.db.conn(), id).ok().flatten()
    }

    fn selected_loan(&self) -> Option<&LoanRow> {
        match self.view {
            View::Tools => None,
            View::Loans => self.loan_page.get(self.loans_at.in_page()?),
        }
    }

    fn has_filters(&self) -> bool {
        self.tool_query != ToolQuery::default()
            || self.loan_query != LoanQuery::default()
            || !self.search.text().is_empty()
    }

    fn open_detail(&mut self, id: i64, ctx: &Ctx) {
        if let Some(view) = detail::Detail::load(ctx, id) {
            self.mode = Mode::Detail(Box::new(view));
        }
    }

    /// The loans view with one tool's history.
    fn show_history(&mut self, tool: &Tool) {
        self.loan_query = LoanQuery {
            tool_id: Some(tool.id),
            ..LoanQuery::default()
        };
        self.history_of = Some(tool.code.clone());
        self.loans_at = Window::default();
        self.view = View::Loans;
        self.mode = Mode::List;
    }

    fn start_checkout(&mut self, ctx: &Ctx) {
        let first = self
            .selected_tool(ctx)
            .filter(|t| t.status == crate::domain::tool::ToolStatus::Available);
        self.mode = Mode::Checkout(Box::new(Checkout::new(ctx, first)));
    }

    /// `r`: the return form of the selected tool, or why there is nothing to return.
    /// A return form opened from the return scan goes back to it, with what was saved (the
    /// scan lists it); false when the form was not opened from there.
    fn back_to_returns(&mut self, saved: Option<&str>) -> bool {
        let Some(mut scan) = self.parked_returns.take() else {
            return false;
        };
        scan.came_back(saved.map(str::to_owned));
        self.mode = Mode::Returns(scan);
        true
    }

    fn start_return(&mut self, ctx: &Ctx) -> Action {
        let lang = ctx.lang;
        let item_id = match self.view {
            View::Loans => self
                .selected_loan()
                .filter(|r| r.is_open())
                .map(|r| r.item_id),
            View::Tools => self
                .selected_tool(ctx)
                .and_then(|t| t.holder.map(|h| h.item_id)),
        };
        let Some(item_id) = item_id else {
            return match self.selected_tool(ctx) {
                Some(t) => {
                    Action::Flash(Flash::error(lang.tf("tools.not_out", &[("code", &t.code)])))
                }
                None => Action::Flash(Flash::error(lang.t("tools.none_selected"))),
            };
        };
        match ToolForm::give_back(ctx, item_id) {
            Some(form) => {
                self.mode = Mode::Form(Box::new(form));
                Action::Noop
            }
            None => Action::Flash(Flash::error(lang.t("tool_error.not_found"))),
        }
    }

    fn open_filter(&mut self, kind: FilterKind, ctx: &Ctx) {
        let lang = ctx.lang;
        let all = || vec![(String::new(), lang.t("filter.all").to_owned())];
        let named = |names: Vec<String>| {
            let mut options = all();
            options.extend(names.into_iter().map(|n| (n.clone(), n)));
            options
        };
        let conn = ctx.db.conn();
        let (title, options, current) = match kind {
            FilterKind::Tools => (
                lang.t("tools.filter"),
                ToolFilter::ALL
                    .iter()
                    .map(|f| (f.key().to_owned(), lang.t(f.label_key()).to_owned()))
                    .collect(),
                self.tool_query.filter.key().to_owned(),
            ),
            FilterKind::Loans => (
                lang.t("tools.filter"),
                LoanFilter::ALL
                    .iter()
                    .map(|f| (f.key().to_owned(), lang.t(f.label_key()).to_owned()))
                    .collect(),
                self.loan_query.filter.key().to_owned(),
            ),
            FilterKind::Borrower => {
                // The row's borrower is offered first: their history is one Enter away.
                let current = self
                    .loan_query
                    .borrower
                    .clone()
                    .or_else(|| self.selected_loan().map(|r| r.borrower.clone()))
                    .unwrap_or_default();
                (
                    lang.t("loans.borrower"),
                    named(tools::borrowers(conn).unwrap_or_default()),
                    current,
                )
            }
            FilterKind::Department => {
                let current = self
                    .loan_query
                    .department
                    .clone()
                    .or_else(|| self.selected_loan().map(|r| r.department.clone()))
                    .unwrap_or_default();
                (
                    lang.t("loans.department"),
                    named(tools::departments(conn).unwrap_or_default()),
                    current,
                )
            }
        };
        self.mode = Mode::Filter(kind, Picker::new(title.to_owned(), options, &current));
    }

    fn set_filter(&mut self, kind: FilterKind, value: &str) {
        let some = |v: &str| Some(v.to_owned()).filter(|v| !v.is_empty());
        match kind {
            FilterKind::Tools => {
                self.tool_query.filter = ToolFilter::parse(value).unwrap_or_default();
                self.tools_at = Window::default();
            }
            FilterKind::Loans => {
                self.loan_query.filter = LoanFilter::parse(value).unwrap_or_default()
            }
            FilterKind::Borrower => self.loan_query.borrower = some(value),
            FilterKind::Department => self.loan_query.department = some(value),
        }
        if kind != FilterKind::Tools {
            self.loans_at = Window::default();
        }
    }

    /// `[` and `]`: the month filter steps back and forward; past this month it is cleared.
    fn step_month(&mut self, forward: bool, today: NaiveDate) {
        let this = Period::Month.start_of(today);
        self.loan_query.month = match (self.loan_query.month, forward) {
            (None, false) => Some(this),
            (None, true) => None,
            (Some(m), false) => Some(Period::Month.previous(m)),
            (Some(m), true) => Some(Period::Month.next(m)).filter(|n| *n <= this),
        };
        self.loans_at = Window::default();
    }

    fn clear_filters(&mut self) {
        self.tool_query = ToolQuery::default();
        self.loan_query = LoanQuery::default();
        self.history_of = None;
        self.search = Input::default();
        self.tools_at = Window::default();
        self.loans_at = Window::default();
    }

    fn list_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        // Keys act on what the list holds now, not on what the last frame showed.
        self.load(ctx, self.visible_rows);
        let page = self.visible_rows.max(1) as isize;
        let lang = ctx.lang;
        let none = || Some(Action::Flash(Flash::error(lang.t("tools.none_selected"))));
        match (key.code, self.view) {
            (KeyCode::Char('j') | KeyCode::Down, _) => self.window().move_by(1),
            (KeyCode::Char('k') | KeyCode::Up, _) => self.window().move_by(-1),
            (KeyCode::PageDown, _) => self.window().move_by(page),
            (KeyCode::PageUp, _) => self.window().move_by(-page),
            (KeyCode::Char('g') | KeyCode::Home, _) => self.window().cursor = 0,
            (KeyCode::Char('G') | KeyCode::End, _) => {
                let w = self.window();
                w.cursor = w.count.saturating_sub(1);
            }
            (KeyCode::Char('/'), _) => self.mode = Mode::Search,
            (KeyCode::Char('v'), View::Tools) => self.view = View::Loans,
            (KeyCode::Char('v'), View::Loans) => self.view = View::Tools,
            (KeyCode::Char('o'), _) => self.start_checkout(ctx),
            (KeyCode::Char('i'), _) => self.mode = Mode::Returns(Box::new(ReturnScan::new())),
            (KeyCode::Char('r'), _) => return Some(self.start_return(ctx)),
            (KeyCode::Enter, _) => {
                let Some(tool) = self.selected_tool(ctx) else {
                    return none();
                };
                self.open_detail(tool.id, ctx);
            }
            (KeyCode::Char('a'), View::Tools) => {
                self.mode = Mode::Form(Box::new(ToolForm::add(ctx)));
            }
            (KeyCode::Char(c @ ('e' | 'x' | 'h')), View::Tools) => {
                let Some(tool) = self.selected_tool(ctx) else {
                    return none();
                };
                match c {
                    'e' => self.mode = Mode::Form(Box::new(ToolForm::edit(ctx, &tool))),
                    'x' => return Some(self.start_retire(ctx, &tool)),
                    _ => self.show_history(&tool),
                }
            }
            (KeyCode::Char('s'), View::Loans) => {
                let liability = self.selected_loan().and_then(|r| {
                    r.liability
                        .clone()
                        .filter(|b| b.settled_at.is_none())
                        .map(|b| (r.code.clone(), b))
                });
                let Some((code, liability)) = liability else {
                    return Some(Action::Flash(Flash::error(lang.t("tools.no_liability"))));
                };
                self.mode = Mode::Form(Box::new(ToolForm::settle(ctx, &code, &liability)));
            }
            (KeyCode::Char('f'), View::Tools) => self.open_filter(FilterKind::Tools, ctx),
            (KeyCode::Char('f'), View::Loans) => self.open_filter(FilterKind::Loans, ctx),
            (KeyCode::Char('b'), View::Loans) => self.open_filter(FilterKind::Borrower, ctx),
            (KeyCode::Char('d'), View::Loans) => self.open_filter(FilterKind::Department, ctx),
            (KeyCode::Char('['), View::Loans) => self.step_month(false, ctx.today),
            (KeyCode::Char(']'), View::Loans) => self.step_month(true, ctx.today),
            (KeyCode::Esc, _) if self.has_filters() => self.clear_filters(),
            _ => return None,
        }
        Some(Action::Noop)
    }

    fn start_retire(&mut self, ctx: &Ctx, tool: &Tool) -> Action {
        if let Some(h) = &tool.holder {
            let e = tools::ToolError::StillOut {
                code: tool.code.clone(),
                borrower: h.borrower.clone(),
            };
            return Action::Flash(Flash::error(e.message(ctx.lang)));
        }
        self.mode = Mode::Form(Box::new(ToolForm::retire(ctx, tool)));
        Action::Noop
    }

    fn search_key(&mut self, key: KeyEvent) -> Option<Action> {
        match key.code {
            KeyCode::Enter | KeyCode::Down => self.mode = Mode::List,
            KeyCode::Esc => {
                self.search = Input::default();
                self.set_search();
                self.mode = Mode::List;
            }
            _ => {
                self.mode = Mode::Search;
                if self.search.handle_key(key) {
                    self.set_search();
                }
            }
        }
        Some(Action::Noop)
    }

    /// One search for both views: `/` searches everywhere.
    fn set_search(&mut self) {
        let text = self.search.text().to_owned();
        self.tool_query.search = text.clone();
        self.loan_query.search = text;
        self.tools_at = Window::default();
        self.loans_at = Window::default();
    }

    fn detail_key(
        &mut self,
        mut view: Box<detail::Detail>,
        key: KeyEvent,
        ctx: &mut Ctx,
    ) -> Option<Action> {
        let tool = view.tool.clone();
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return Some(Action::Noop),
            KeyCode::Char('L') => {
                let target = audit_trail::Target {
                    table: "tools",
                    id: tool.id,
                    label: tool.code.clone(),
                };
                self.mode = Mode::Detail(view);
                return Some(Action::ShowAudit(target));
            }
            KeyCode::Char('o') => {
                let first =
                    (tool.status == crate::domain::tool::ToolStatus::Available).then_some(tool);
                self.mode = Mode::Checkout(Box::new(Checkout::new(ctx, first)));
            }
            KeyCode::Char('r') => {
                let Some(h) = &tool.holder else {
                    self.mode = Mode::Detail(view);
                    let text = ctx.lang.tf("tools.not_out", &[("code", &tool.code)]);
                    return Some(Action::Flash(Flash::error(text)));
                };
                if let Some(form) = ToolForm::give_back(ctx, h.item_id) {
                    self.mode = Mode::Form(Box::new(form));
                }
            }
            KeyCode::Char('e') => self.mode = Mode::Form(Box::new(ToolForm::edit(ctx, &tool))),
            KeyCode::Char('h') => self.show_history(&tool),
            KeyCode::Char('j') | KeyCode::Down => {
                view.scroll(1);
                self.mode = Mode::Detail(view);
            }
            KeyCode::Char('k') | KeyCode::Up => {
                view.scroll(-1);
                self.mode = Mode::Detail(view);
            }
            _ => {
                self.mode = Mode::Detail(view);
                return None;
            }
        }
        Some(Action::Noop)
    }
}

impl Screen for ToolsScreen {
    fn unsaved(&self) -> bool {
        match &self.mode {
            Mode::Form(form) => form.unsaved(),
            Mode::Checkout(checkout) => checkout.unsaved(),
            Mode::Returns(scan) => scan.unsaved(),
            _ => false,
        }
    }

    fn data_changed(&mut self) {
        self.tools_read = (None, None);
        self.loans_read = (None, None);
        self.loans_shown = None;
    }

    fn busy(&self) -> bool {
        self.loans_counting || self.loans_paging
    }

    fn keys(&self) -> &'static [KeyHint] {
        match (&self.mode, self.view) {
            (Mode::List, View::Tools) => TOOL_KEYS,
            (Mode::List, View::Loans) => LOAN_KEYS,
            (Mode::Search, _) => keys::SEARCH,
            (Mode::Filter(..), _) => keys::PICK,
            (Mode::Detail(_), _) => DETAIL_KEYS,
            (Mode::Form(_), _) => keys::FORM,
            (Mode::Checkout(_), _) => CHECKOUT_KEYS,
            (Mode::Returns(_), _) => RETURN_KEYS,
        }
    }

    fn captures_text(&self) -> bool {
        matches!(
            self.mode,
            Mode::Search | Mode::Filter(..) | Mode::Form(_) | Mode::Checkout(_) | Mode::Returns(_)
        )
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        let mode = std::mem::replace(&mut self.mode, Mode::List);
        match mode {
            Mode::List => self.list_key(key, ctx),
            Mode::Search => self.search_key(key),
            Mode::Filter(kind, mut picker) => {
                match picker.handle_key(key) {
                    Picked::Nothing => self.mode = Mode::Filter(kind, picker),
                    Picked::Cancelled => {}
                    Picked::Chosen(value) => self.set_filter(kind, &value),
                }
                Some(Action::Noop)
            }
            Mode::Detail(view) => self.detail_key(view, key, ctx),
            Mode::Form(mut form) => match form.handle_key(key, ctx) {
                FormOutcome::Stay(action) => {
                    self.mode = Mode::Form(form);
                    Some(action)
                }
                FormOutcome::Closed => {
                    self.back_to_returns(None);
                    Some(Action::Noop)
                }
                FormOutcome::Saved(flash) if self.back_to_returns(Some(&flash.text)) => {
                    Some(Action::Noop)
                }
                FormOutcome::Saved(flash) => Some(Action::Flash(flash)),
            },
            Mode::Returns(mut scan) => match scan.handle_key(key, ctx) {
                ReturnOutcome::Stay(action) => {
                    self.mode = Mode::Returns(scan);
                    Some(action)
                }
                ReturnOutcome::Closed => Some(Action::Noop),
                ReturnOutcome::Form(form) => {
                    self.parked_returns = Some(scan);
                    self.mode = Mode::Form(form);
                    Some(Action::Noop)
                }
            },
            Mode::Checkout(mut checkout) => match checkout.handle_key(key, ctx) {
                CheckoutOutcome::Stay(action) => {
                    self.mode = Mode::Checkout(checkout);
                    Some(action)
                }
                CheckoutOutcome::Closed => Some(Action::Noop),
                CheckoutOutcome::Saved(flash) => {
                    // The new loans are open and not overdue: shown among the open ones.
                    self.view = View::Loans;
                    Some(Action::Flash(flash))
                }
            },
        }
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        match &mut self.mode {
            Mode::Detail(view) => {
                view.reload(ctx);
                view.render(frame, area, ctx);
            }
            Mode::Form(form) => form.render(frame, area, ctx.lang),
            Mode::Checkout(checkout) => checkout.render(frame, area, ctx),
            Mode::Returns(scan) => scan.render(frame, area, ctx),
            Mode::List | Mode::Search | Mode::Filter(..) => {
                table::render(self, frame, area, ctx);
                if let Mode::Filter(_, picker) = &self.mode {
                    picker.render(frame, area);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
