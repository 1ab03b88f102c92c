//! The Repairs tab (维修记录): open tickets first, then recent ones, filtered and searched; a
//! ticket's detail with its timeline; one key to the next step of the workflow.

mod detail;
mod forms;
mod table;

use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{Ctx, Screen};
use crate::db::paging::Place;
use crate::db::repairs::{self, ListQuery, ListRow, Repair, RepairError, StateFilter};
use crate::db::sort::Sort;
use crate::domain::month::Month;
use crate::domain::repair::{State, StepError, StepKind};
use crate::exchange::repairs as file;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash, Intent, RepairDraft};
use crate::tui::keys::{self, KeyHint};
use crate::tui::widgets::audit_trail;
use crate::tui::widgets::input::Input;
use crate::tui::widgets::paged::{self, Exported, Paged, Read, Source};
use crate::tui::widgets::picker::Picker;
use crate::tui::widgets::scrolled;
use forms::{FormOutcome, RepairForm};

const LIST_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k PgUp/PgDn g/G", "key.move", false),
    KeyHint::new("Enter", "key.open", true),
    KeyHint::new("a", "key.report_repair", true),
    KeyHint::new("n", "key.next_step", true),
    KeyHint::new("v", "key.vendor", false),
    KeyHint::new("x", "key.reject", false),
    KeyHint::new("U", "key.unrepairable", false),
    KeyHint::new("A", "key.amend_ticket", false),
    KeyHint::new("/", "key.search", true),
    KeyHint::new("f", "key.filter_state", true),
    KeyHint::new("w", "key.filter_maintainer", false),
    KeyHint::new("[ / ]", "key.filter_month", false),
    KeyHint::new("S", "key.sort_list", false),
    KeyHint::new("E", "key.export_list", false),
    KeyHint::new("Esc", "key.clear_filters", false),
];

const DETAIL_KEYS: &[KeyHint] = &[
    KeyHint::new("n", "key.next_step", true),
    KeyHint::new("v", "key.vendor", true),
    KeyHint::new("x", "key.reject", true),
    KeyHint::new("U", "key.unrepairable", false),
    KeyHint::new("A", "key.amend_ticket", false),
    KeyHint::new("L", "key.audit_trail", false),
    KeyHint::new("j/k", "key.scroll", false),
    KeyHint::new("Esc", "key.back", true),
];

/// Which filter a pick list sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterKind {
    State,
    Maintainer,
    Sort,
}

/// The columns `S` sorts by, with their headers' words.
fn sort_columns(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let word = |key| lang.t(key);
    repairs::SORTS
        .iter()
        .map(|(name, _)| {
            let key = match *name {
                "ticket" => "repairs.ticket",
                "state" => "repairs.state",
                "device" => "repair_form.device",
                "maintainer" => "repair_form.maintainer",
                "reported" => "repairs.reported_short",
                _ => "repairs.estimate_short",
            };
            (*name, word(key))
        })
        .collect()
}

enum Mode {
    List,
    Search,
    Filter(FilterKind, Picker),
    Detail(Box<detail::Detail>),
    /// A form, and the ticket whose detail it was opened from.
    Form(Box<RepairForm>, Option<i64>),
}

/// The repair list a filter shows at a time: which tickets are late changes with the clock.
#[derive(Debug, Clone)]
struct RepairList {
    query: ListQuery,
    now: NaiveDateTime,
}

/// The same filter; a list of late tickets also the same minute (a ticket becomes late as
/// the clock passes its estimate).
impl PartialEq for RepairList {
    fn eq(&self, other: &RepairList) -> bool {
        let minute = |at: NaiveDateTime| at.and_utc().timestamp() / 60;
        self.query == other.query
            && (self.query.state != StateFilter::Late || minute(self.now) == minute(other.now))
    }
}

impl Source for RepairList {
    type Row = ListRow;
    const EXPORT_NAME: &'static str = "repairs";

    fn keyset(&self) -> bool {
        true
    }

    fn reads_from_end(&self) -> bool {
        true
    }

    fn count(&self, conn: &Connection) -> rusqlite::Result<usize> {
        repairs::count(conn, &self.query, self.now)
    }

    fn export(&self, conn: &Connection, lang: Lang, out: &mut dyn Write) -> Exported {
        let tickets = repairs::matching(conn, &self.query, self.now)?;
        out.write_all(&file::csv(&tickets, self.now, lang))?;
        Ok(tickets.len())
    }

    fn rows(&self, conn: &Connection, place: Place, rows: usize) -> Option<Read<ListRow>> {
        Some(repairs::rows(conn, &self.query, self.now, place, rows))
    }
}

pub struct RepairsScreen {
    query: ListQuery,
    /// The device filter's tag, for the summary line.
    device_tag: Option<String>,
    list: Paged<RepairList>,
    search: Input,
    mode: Mode,
}

impl Default for RepairsScreen {
    fn default() -> RepairsScreen {
        RepairsScreen::new()
    }
}

impl RepairsScreen {
    pub fn new() -> RepairsScreen {
        RepairsScreen {
            query: ListQuery::default(),
            device_tag: None,
            list: Paged::default(),
            search: Input::default(),
            mode: Mode::List,
        }
    }

    /// The list the filter shows now.
    fn source(&self, ctx: &Ctx) -> RepairList {
        RepairList {
            query: self.query.clone(),
            now: ctx.now,
        }
    }

    /// Read the rows in view of the current filter (see [`Paged::load`]).
    fn load(&mut self, ctx: &Ctx, rows: usize) {
        let source = self.source(ctx);
        self.list.load(ctx, &source, rows);
    }

    /// The ticket under the cursor, read fresh.
    fn selected(&self, ctx: &Ctx) -> Option<Repair> {
        let id = self.list.selected()?.id;
        ctx.found(repairs::get(ctx.db.conn(), id))
    }

    fn go_top(&mut self) {
        self.list.go_top();
    }

    fn open_detail(&mut self, id: i64, ctx: &Ctx) {
        if let Some(view) = detail::Detail::load(ctx, id) {
            self.mode = Mode::Detail(Box::new(view));
        }
    }

    fn has_filters(&self) -> bool {
        self.query != ListQuery::default()
    }

    fn open_filter(&mut self, kind: FilterKind, ctx: &Ctx) {
        let lang = ctx.lang;
        let (title, options, current) = match kind {
            FilterKind::Sort => {
                let picker = paged::sort_picker(lang, &sort_columns(lang), self.query.sort);
                self.mode = Mode::Filter(kind, picker);
                return;
            }
            FilterKind::State => {
                let mut options: Vec<(String, String)> = [
                    StateFilter::All,
                    StateFilter::Open,
                    StateFilter::Late,
                    StateFilter::Closed,
                ]
                .iter()
                .map(|f| (f.key().to_owned(), lang.t(filter_label(*f)).to_owned()))
                .collect();
                options.extend(
                    State::ALL
                        .iter()
                        .map(|s| (s.key().to_owned(), lang.t(s.label_key()).to_owned())),
                );
                (
                    lang.t("repairs.filter_state"),
                    options,
                    self.query.state.key().to_owned(),
                )
            }
            FilterKind::Maintainer => {
                let mut options = vec![(String::new(), lang.t("filter.all").to_owned())];
                options.extend(
                    ctx.read(repairs::maintainers(ctx.db.conn()))
                        .into_iter()
                        .map(|m| (m.clone(), m)),
                );
                (
                    lang.t("repair_form.maintainer"),
                    options,
                    self.query.maintainer.clone().unwrap_or_default(),
                )
            }
        };
        self.mode = Mode::Filter(kind, Picker::new(title.to_owned(), options, &current));
    }

    fn set_filter(&mut self, kind: FilterKind, value: &str) {
        match kind {
            FilterKind::State => {
                self.query.state = StateFilter::parse(value).unwrap_or_default();
            }
            FilterKind::Maintainer => {
                self.query.maintainer = Some(value.to_owned()).filter(|v| !v.is_empty());
            }
            FilterKind::Sort => self.query.sort = Sort::parse(value, repairs::SORTS),
        }
        self.go_top();
    }

    /// `[` and `]`: the month filter steps back and forward; past this month it is cleared.
    fn step_month(&mut self, forward: bool, today: NaiveDate) {
        let this = Month::of(today).first();
        self.query.month = match (self.query.month, forward) {
            (None, false) => Some(this),
            (None, true) => None,
            (Some(m), false) => Some(Month::of(m).previous().first()),
            (Some(m), true) => Some(Month::of(m).next().first()).filter(|n| *n <= this),
        };
        self.go_top();
    }

    /// Start the step a key asks for on a ticket: a form, or at once when it needs nothing.
    fn start_step(
        &mut self,
        key: char,
        repair: Repair,
        from_detail: bool,
        ctx: &mut Ctx,
    ) -> Action {
        let lang = ctx.lang;
        let state = repair.flow.state;
        let back = from_detail.then_some(repair.id);
        if key == 'A' {
            if !state.is_final() {
                return Action::Flash(Flash::error(lang.t("repairs.amend_open")));
            }
            self.mode = Mode::Form(Box::new(RepairForm::amend(ctx, &repair)), back);
            return Action::Noop;
        }
        let kind = match key {
            'n' => state.next_step(),
            'v' if state == State::AtVendor => Some(StepKind::FromVendor),
            'v' => Some(StepKind::ToVendor),
            'x' => Some(StepKind::Reject),
            _ => Some(StepKind::GiveUp),
        };
        let refusal = |step: StepKind| {
            let e = RepairError::Step(StepError::NotAllowed { from: state, step });
            Action::Flash(Flash::error(e.message(lang)))
        };
        let Some(kind) = kind else {
            return Action::Flash(Flash::error(
                lang.tf("repair_error.closed", &[("ticket", &repair.ticket)]),
            ));
        };
        if !state.steps().contains(&kind) {
            return refusal(kind);
        }
        match RepairForm::step(ctx, &repair, kind) {
            Some(form) => {
                self.mode = Mode::Form(Box::new(form), back);
                Action::Noop
            }
            None => {
                let flash = forms::start(ctx, &repair);
                if from_detail {
                    self.open_detail(repair.id, ctx);
                }
                Action::Flash(flash)
            }
        }
    }

    fn list_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        // What the keys act on is what the list holds now, not what the last frame showed.
        self.load(ctx, self.list.visible());
        if self.list.move_key(key, ctx) {
            return Some(Action::Noop);
        }
        match key.code {
            KeyCode::Char('/') => self.mode = Mode::Search,
            KeyCode::Char('E') => {
                let source = self.source(ctx);
                return Some(Action::Flash(self.list.export(ctx, &source)));
            }
            KeyCode::Enter => {
                let id = self.selected(ctx)?.id;
                self.open_detail(id, ctx);
            }
            KeyCode::Char('a') => {
                let form = RepairForm::report(ctx, RepairDraft::default());
                self.mode = Mode::Form(Box::new(form), None);
            }
            KeyCode::Char(c @ ('n' | 'v' | 'x' | 'U' | 'A')) => {
                let Some(repair) = self.selected(ctx) else {
                    return Some(Action::Flash(Flash::error(
                        ctx.lang.t("repairs.none_selected"),
                    )));
                };
                return Some(self.start_step(c, repair, false, ctx));
            }
            KeyCode::Char('f') => self.open_filter(FilterKind::State, ctx),
            KeyCode::Char('S') => self.open_filter(FilterKind::Sort, ctx),
            KeyCode::Char('w') => self.open_filter(FilterKind::Maintainer, ctx),
            KeyCode::Char('[') => self.step_month(false, ctx.today),
            KeyCode::Char(']') => self.step_month(true, ctx.today),
            KeyCode::Esc if self.has_filters() => {
                self.query = ListQuery::default();
                self.device_tag = None;
                self.search = Input::default();
                self.go_top();
            }
            _ => return None,
        }
        Some(Action::Noop)
    }

    fn search_key(&mut self, key: KeyEvent) -> Option<Action> {
        if self.list.search(key, &mut self.search).typing() {
            self.mode = Mode::Search;
        }
        self.query.search = self.search.text().to_owned();
        Some(Action::Noop)
    }

    fn detail_key(
        &mut self,
        mut view: Box<detail::Detail>,
        key: KeyEvent,
        ctx: &mut Ctx,
    ) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') if !ctrl => Some(Action::Noop),
            KeyCode::Char(c @ ('n' | 'v' | 'x' | 'U' | 'A')) => {
                let id = view.repair.id;
                self.mode = Mode::Detail(view);
                let Some(repair) = ctx.found(repairs::get(ctx.db.conn(), id)) else {
                    return Some(Action::Noop);
                };
                Some(self.start_step(c, repair, true, ctx))
            }
            _ => {
                let trail = audit_trail::Target {
                    table: "repairs",
                    id: view.repair.id,
                    label: view.repair.ticket.clone(),
                };
                let action = scrolled::detail_key(&key, &mut view.scroll, trail);
                self.mode = Mode::Detail(view);
                action
            }
        }
    }

    fn form_key(
        &mut self,
        mut form: Box<RepairForm>,
        back: Option<i64>,
        key: KeyEvent,
        ctx: &mut Ctx,
    ) -> Option<Action> {
        match form.handle_key(key, ctx) {
            FormOutcome::Stay(action) => {
                self.mode = Mode::Form(form, back);
                Some(action)
            }
            FormOutcome::Closed { back_to } => {
                if let Some(id) = back {
                    self.open_detail(id, ctx);
                }
                Some(back_to.map_or(Action::Noop, Action::SwitchTab))
            }
            FormOutcome::Saved { id, flash, back_to } => {
                let flash = Action::Flash(flash);
                if let Some(tab) = back_to {
                    return Some(Action::Many(vec![flash, Action::SwitchTab(tab)]));
                }
                if back.is_none() {
                    // A new ticket is the newest open one: the top of the default list.
                    self.go_top();
                }
                self.open_detail(id, ctx);
                Some(flash)
            }
        }
    }
}

fn filter_label(filter: StateFilter) -> &'static str {
    match filter {
        StateFilter::All => "repairs.all",
        StateFilter::Open => "repairs.open",
        StateFilter::Closed => "repairs.closed",
        StateFilter::Late => "repairs.late",
        StateFilter::Only(state) => state.label_key(),
    }
}

impl Screen for RepairsScreen {
    fn unsaved(&self) -> bool {
        matches!(&self.mode, Mode::Form(form, _) if form.unsaved())
    }

    fn data_changed(&mut self) {
        self.list.data_changed();
    }

    fn take_notice(&mut self, ctx: &Ctx) -> Option<Flash> {
        self.list.take_notice(ctx)
    }

    fn busy(&self) -> bool {
        self.list.busy()
    }

    fn keys(&self) -> &'static [KeyHint] {
        match &self.mode {
            Mode::List => LIST_KEYS,
            Mode::Search => keys::SEARCH,
            Mode::Filter(..) => keys::PICK,
            Mode::Detail(_) => DETAIL_KEYS,
            Mode::Form(..) => keys::FORM,
        }
    }

    fn captures_text(&self) -> bool {
        matches!(self.mode, Mode::Search | Mode::Filter(..) | Mode::Form(..))
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
            Mode::Form(form, back) => self.form_key(form, back, key, ctx),
        }
    }

    fn open(&mut self, intent: Intent, ctx: &mut Ctx) {
        match intent {
            Intent::ReportRepair(draft) => {
                self.mode = Mode::Form(Box::new(RepairForm::report(ctx, draft)), None);
            }
            Intent::ShowRepair(id) => self.open_detail(id, ctx),
            Intent::RepairsOfDevice { id, tag } => {
                self.query = ListQuery {
                    device_id: Some(id),
                    ..ListQuery::default()
                };
                self.device_tag = Some(tag);
                self.search = Input::default();
                self.go_top();
                self.mode = Mode::List;
            }
        }
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        match &mut self.mode {
            Mode::Detail(view) => {
                view.reload(ctx);
                view.render(frame, area, ctx);
            }
            Mode::Form(form, _) => form.render(frame, area, ctx.lang),
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
