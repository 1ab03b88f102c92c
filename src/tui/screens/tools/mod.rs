//! The Tools tab (工具领用): two views, the tools (who holds each one, until when) and the
//! loans (overdue first, then open, then history); check-out with a scan loop, returns with
//! liability, and the inventory's add, edit and retire.

mod checkout;
mod detail;
mod forms;
mod returns;
mod table;

use std::io::Write;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{Ctx, Screen};
use crate::db::paging::Place;
use crate::db::sort::Sort;
use crate::db::tools::{self, LoanFilter, LoanQuery, LoanRow, Tool, ToolFilter, ToolQuery};
use crate::domain::month::Month;
use crate::exchange::tools as file;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash};
use crate::tui::keys::{self, KeyHint};
use crate::tui::widgets::audit_trail;
use crate::tui::widgets::input::Input;
use crate::tui::widgets::paged::{self, Exported, Paged, Read, Source};
use crate::tui::widgets::picker::Picker;
use crate::tui::widgets::scrolled;
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
    KeyHint::new("S", "key.sort_list", false),
    KeyHint::new("E", "key.export_list", false),
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
    KeyHint::new("S", "key.sort_list", false),
    KeyHint::new("E", "key.export_list", false),
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
    Sort,
}

/// The columns `S` sorts the view by, with their headers' words.
fn sort_columns(view: View, lang: Lang) -> Vec<(&'static str, &'static str)> {
    let (columns, word): (_, fn(&str) -> &'static str) = match view {
        View::Tools => (tools::TOOL_SORTS, |name| match name {
            "code" => "tools.code",
            "name" => "tools.name",
            "kind" => "tools.kind",
            "status" => "tools.status",
            "holder" => "tools.holder",
            "due" => "tools.due",
            _ => "tools.place",
        }),
        View::Loans => (tools::LOAN_SORTS, |name| match name {
            "number" => "loans.number",
            "out" => "loans.out",
            "code" => "loans.tool",
            "borrower" => "loans.borrower",
            "department" => "loans.department",
            "due" => "loans.due",
            _ => "loans.back",
        }),
    };
    columns
        .iter()
        .map(|(name, _)| (*name, lang.t(word(name))))
        .collect()
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

/// The tools a filter shows on a day (overdue changes with the day).
#[derive(Debug, Clone, PartialEq)]
struct ToolList {
    query: ToolQuery,
    today: NaiveDate,
}

impl Source for ToolList {
    type Row = Tool;
    const EXPORT_NAME: &'static str = "tools";

    fn count(&self, conn: &Connection) -> rusqlite::Result<usize> {
        tools::count_tools(conn, &self.query, self.today)
    }

    fn export(&self, conn: &Connection, lang: Lang, out: &mut dyn Write) -> Exported {
        let list = tools::matching_tools(conn, &self.query, self.today)?;
        out.write_all(&file::tools_csv(&list, self.today, lang))?;
        Ok(list.len())
    }

    fn rows(&self, conn: &Connection, place: Place, rows: usize) -> Option<Read<Tool>> {
        let Place::Down { offset, .. } = place else {
            return None;
        };
        Some(tools::tools_page(
            conn,
            &self.query,
            self.today,
            offset,
            rows,
        ))
    }
}

/// The loans a filter shows on a day.
#[derive(Debug, Clone, PartialEq)]
struct LoanList {
    query: LoanQuery,
    today: NaiveDate,
}

impl Source for LoanList {
    type Row = LoanRow;
    const EXPORT_NAME: &'static str = "loans";

    /// Read on past a loan in the list's own order; sorted by a column, by offset.
    fn keyset(&self) -> bool {
        self.query.sort == Sort::default()
    }

    fn count(&self, conn: &Connection) -> rusqlite::Result<usize> {
        tools::count_loans(conn, &self.query, self.today)
    }

    fn export(&self, conn: &Connection, lang: Lang, out: &mut dyn Write) -> Exported {
        let rows = tools::matching_loans(conn, &self.query, self.today)?;
        out.write_all(&file::loans_csv(&rows, self.today, lang))?;
        Ok(rows.len())
    }

    fn rows(&self, conn: &Connection, place: Place, rows: usize) -> Option<Read<LoanRow>> {
        let keyset = matches!(place, Place::After(_) | Place::Before(_));
        (self.keyset() || !keyset).then(|| tools::loans(conn, &self.query, self.today, place, rows))
    }
}

pub struct ToolsScreen {
    view: View,
    tool_query: ToolQuery,
    loan_query: LoanQuery,
    /// The tool whose history the loans view shows, for the summary line.
    history_of: Option<String>,
    tools: Paged<ToolList>,
    loans: Paged<LoanList>,
    search: Input,
    mode: Mode,
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
            tools: Paged::default(),
            loans: Paged::default(),
            search: Input::default(),
            mode: Mode::List,
            parked_returns: None,
        }
    }

    fn tool_list(&self, ctx: &Ctx) -> ToolList {
        ToolList {
            query: self.tool_query.clone(),
            today: ctx.today,
        }
    }

    fn loan_list(&self, ctx: &Ctx) -> LoanList {
        LoanList {
            query: self.loan_query.clone(),
            today: ctx.today,
        }
    }

    /// Read the rows in view of the list shown (see [`Paged::load`]).
    fn load(&mut self, ctx: &Ctx, rows: usize) {
        match self.view {
            View::Tools => self.tools.load(ctx, &self.tool_list(ctx), rows),
            View::Loans => self.loans.load(ctx, &self.loan_list(ctx), rows),
        }
    }

    /// `E`: the list shown, as its filter has it, into the reports folder.
    fn export(&mut self, ctx: &Ctx) -> Flash {
        match self.view {
            View::Tools => self.tools.export(ctx, &self.tool_list(ctx)),
            View::Loans => self.loans.export(ctx, &self.loan_list(ctx)),
        }
    }

    /// Rows the list shown had room for last frame.
    fn visible(&self) -> usize {
        match self.view {
            View::Tools => self.tools.visible(),
            View::Loans => self.loans.visible(),
        }
    }

    /// The tool under the cursor (in either view), read fresh.
    fn selected_tool(&self, ctx: &Ctx) -> Option<Tool> {
        let id = match self.view {
            View::Tools => self.tools.selected()?.id,
            View::Loans => self.loans.selected()?.tool_id,
        };
        ctx.found(tools::get(ctx.db.conn(), id))
    }

    fn selected_loan(&self) -> Option<&LoanRow> {
        match self.view {
            View::Tools => None,
            View::Loans => self.loans.selected(),
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
        self.loans.go_top();
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
            FilterKind::Sort => {
                let current = match self.view {
                    View::Tools => self.tool_query.sort,
                    View::Loans => self.loan_query.sort,
                };
                let picker = paged::sort_picker(lang, &sort_columns(self.view, lang), current);
                self.mode = Mode::Filter(kind, picker);
                return;
            }
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
                    named(ctx.read(tools::borrowers(conn))),
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
                    named(ctx.read(tools::departments(conn))),
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
                self.tools.go_top();
            }
            FilterKind::Loans => {
                self.loan_query.filter = LoanFilter::parse(value).unwrap_or_default()
            }
            FilterKind::Borrower => self.loan_query.borrower = some(value),
            FilterKind::Department => self.loan_query.department = some(value),
            FilterKind::Sort if self.view == View::Tools => {
                self.tool_query.sort = Sort::parse(value, tools::TOOL_SORTS);
                self.tools.go_top();
                return;
            }
            FilterKind::Sort => self.loan_query.sort = Sort::parse(value, tools::LOAN_SORTS),
        }
        if kind != FilterKind::Tools {
            self.loans.go_top();
        }
    }

    /// `[` and `]`: the month filter steps back and forward; past this month it is cleared.
    fn step_month(&mut self, forward: bool, today: NaiveDate) {
        let this = Month::of(today).first();
        self.loan_query.month = match (self.loan_query.month, forward) {
            (None, false) => Some(this),
            (None, true) => None,
            (Some(m), false) => Some(Month::of(m).previous().first()),
            (Some(m), true) => Some(Month::of(m).next().first()).filter(|n| *n <= this),
        };
        self.loans.go_top();
    }

    fn clear_filters(&mut self) {
        self.tool_query = ToolQuery::default();
        self.loan_query = LoanQuery::default();
        self.history_of = None;
        self.search = Input::default();
        self.tools.go_top();
        self.loans.go_top();
    }

    fn list_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        // Keys act on what the list holds now, not on what the last frame showed.
        self.load(ctx, self.visible());
        let lang = ctx.lang;
        let none = || Some(Action::Flash(Flash::error(lang.t("tools.none_selected"))));
        let moved = match self.view {
            View::Tools => self.tools.move_key(key, ctx),
            View::Loans => self.loans.move_key(key, ctx),
        };
        if moved {
            return Some(Action::Noop);
        }
        match (key.code, self.view) {
            (KeyCode::Char('/'), _) => self.mode = Mode::Search,
            (KeyCode::Char('E'), _) => return Some(Action::Flash(self.export(ctx))),
            (KeyCode::Char('S'), _) => self.open_filter(FilterKind::Sort, ctx),
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
        let searched = paged::search_key(key, &mut self.search);
        if searched.typing() {
            self.mode = Mode::Search;
        }
        if searched.changed() {
            self.set_search();
        }
        Some(Action::Noop)
    }

    /// One search for both views: `/` searches everywhere.
    fn set_search(&mut self) {
        let text = self.search.text().to_owned();
        self.tool_query.search = text.clone();
        self.loan_query.search = text;
        self.tools.go_top();
        self.loans.go_top();
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
            _ => {
                let trail = audit_trail::Target {
                    table: "tools",
                    id: tool.id,
                    label: tool.code,
                };
                let action = scrolled::detail_key(&key, &mut view.scroll, trail);
                self.mode = Mode::Detail(view);
                return action;
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
        self.tools.data_changed();
        self.loans.data_changed();
    }

    fn busy(&self) -> bool {
        self.tools.busy() || self.loans.busy()
    }

    fn take_notice(&mut self, ctx: &Ctx) -> Option<Flash> {
        self.tools
            .take_notice(ctx)
            .or_else(|| self.loans.take_notice(ctx))
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
            Mode::Filter(kind, picker) => {
                if let Some(value) = picker.pick(key, |p| self.mode = Mode::Filter(kind, p)) {
                    self.set_filter(kind, &value);
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
