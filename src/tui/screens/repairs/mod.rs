//! The Repairs tab (维修记录): open tickets first, then recent ones, filtered and searched; a
//! ticket's detail with its timeline; one key to the next step of the workflow.

mod detail;
mod forms;
mod table;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::keyset::Neighbour;
use super::{Ctx, Screen};
use crate::db::repairs::{self, ListQuery, ListRow, Repair, RepairError, StateFilter};
use crate::db::worker::{Answer, Worker};
use crate::domain::period::Period;
use crate::domain::repair::{State, StepError, StepKind};
use crate::tui::action::{Action, Flash, Intent, RepairDraft};
use crate::tui::keys::{self, KeyHint};
use crate::tui::widgets::audit_trail;
use crate::tui::widgets::input::Input;
use crate::tui::widgets::picker::{Picked, Picker};
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
}

enum Mode {
    List,
    Search,
    Filter(FilterKind, Picker),
    Detail(Box<detail::Detail>),
    /// A form, and the ticket whose detail it was opened from.
    Form(Box<RepairForm>, Option<i64>),
}

/// What a count was made for: the filter, the connection's change count and, for the late
/// filter, the minute.
type CountKey = (ListQuery, u64, i64);

pub struct RepairsScreen {
    query: ListQuery,
    /// The device filter's tag, for the summary line.
    device_tag: Option<String>,
    cursor: usize,
    offset: usize,
    /// The rows drawn last frame, from `offset`.
    page: Vec<ListRow>,
    /// The rows the list holds; while `counting`, the rows known so far.
    count: usize,
    counting: bool,
    /// `G` came before the count: the list shows its last rows, read from the far end, with
    /// the cursor on the last, until the count says which rows those are.
    to_end: bool,
    /// Counts the list off the key path; opened at the first count of a file database.
    counter: Option<Worker<usize>>,
    /// Reads the rows in view when that takes longer than a key may wait (a filter whose
    /// first match lies deep in ten years of tickets).
    pager: Option<Worker<Vec<ListRow>>>,
    /// The rows in view are being read by `pager`.
    paging: bool,
    /// The filter, the connection's change count and the minute `count` was made for.
    counted: Option<CountKey>,
    /// The count's key, offset, height and end [`Self::page`] was read for.
    paged: Option<(CountKey, usize, usize, bool)>,
    /// The count's key and the offset of the rows in `page` once they are in: a window next
    /// to them is read on from their first or last ticket instead of from the list's start.
    shown: Option<(CountKey, usize)>,
    search: Input,
    mode: Mode,
    /// Rows the table had room for last frame, for paging keys.
    visible_rows: usize,
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
            cursor: 0,
            offset: 0,
            page: Vec::new(),
            count: 0,
            counting: false,
            to_end: false,
            counter: None,
            pager: None,
            paging: false,
            counted: None,
            paged: None,
            shown: None,
            search: Input::default(),
            mode: Mode::List,
            visible_rows: 10,
        }
    }

    /// Read the rows in view when the filter, the window or the data (this program's writes or
    /// another's, see [`Screen::data_changed`]) changed; an idle frame reads nothing, so a
    /// filter over a million tickets costs once, not four times a second.
    ///
    /// A new filter's count is asked of a worker (see [`Worker`]) and the first rows are read
    /// meanwhile: the list shows at once and says it is still counting until the count comes.
    fn load(&mut self, ctx: &Ctx, rows: usize) {
        let conn = ctx.db.conn();
        // Which open tickets are late changes with the clock.
        let minute = match self.query.state {
            StateFilter::Late => ctx.now.and_utc().timestamp() / 60,
            _ => 0,
        };
        let key = (self.query.clone(), conn.total_changes(), minute);
        if self.counted.as_ref() != Some(&key) {
            self.counted = Some(key.clone());
            self.paged = None;
            self.counting = self.ask_count(ctx);
            if !self.counting {
                self.count = repairs::count(conn, &self.query, ctx.now).unwrap_or(0);
            }
        }
        if self.counting {
            self.take_count(ctx, false);
        }
        if self.to_end && !self.counting {
            // The count has come: the last rows are where it says.
            self.to_end = false;
            self.cursor = usize::MAX;
        }
        if self.to_end {
            // The rows are read from the far end: the window is the top of that reading.
            self.offset = 0;
        } else {
            if !self.counting {
                self.cursor = self.cursor.min(self.count.saturating_sub(1));
            }
            if self.cursor < self.offset {
                self.offset = self.cursor;
            } else if rows > 0 && self.cursor >= self.offset + rows {
                self.offset = self.cursor + 1 - rows;
            }
            if !self.counting {
                self.offset = self.offset.min(self.count.saturating_sub(rows.max(1)));
            }
        }
        let window = (key, self.offset, rows, self.to_end);
        if self.paged.as_ref() == Some(&window) {
            if self.paging {
                self.take_page(ctx, rows);
            }
            return;
        }
        self.paged = Some(window);
        let read = self.page_read(ctx, rows);
        match ctx.db.quick(read.clone()) {
            Some(page) => {
                // A page still on its way was for another window.
                if std::mem::take(&mut self.paging)
                    && let Some(pager) = self.pager.as_mut()
                {
                    pager.cancel();
                }
                self.show_page(ctx, rows, page.unwrap_or_default());
            }
            None => match Worker::in_slot(&mut self.pager, ctx.db.path()) {
                Some(pager) => {
                    pager.ask(Box::new(read));
                    self.paging = true;
                    self.page.clear();
                }
                None => self.show_page(ctx, rows, read(ctx.db.conn()).unwrap_or_default()),
            },
        }
    }

    /// The read of the rows in view: next to the rows shown, on from their edge; otherwise,
    /// while counting, from the top (or the end after `G`); then from the nearer end.
    fn page_read(
        &self,
        ctx: &Ctx,
        rows: usize,
    ) -> impl Fn(&rusqlite::Connection) -> rusqlite::Result<Vec<ListRow>> + Clone + Send + 'static
    {
        let (query, now, offset, count) = (self.query.clone(), ctx.now, self.offset, self.count);
        let (counting, to_end) = (self.counting, self.to_end);
        let neighbour = self.neighbour(rows);
        move |conn| match &neighbour {
            Some(next) => next.read(
                |last, more| repairs::page_after(conn, &query, now, last, more),
                |first, more| repairs::page_before(conn, &query, now, first, more),
            ),
            None if to_end => repairs::last_page(conn, &query, now, rows),
            None if counting => repairs::page(conn, &query, now, offset, rows),
            None => repairs::window(conn, &query, now, offset, rows, count),
        }
    }

    /// How the window at `offset` joins the rows shown, when the list has not changed since
    /// they were read and the two overlap or meet.
    fn neighbour(&self, rows: usize) -> Option<Neighbour<ListRow>> {
        let (key, shown_at) = self.shown.as_ref()?;
        if Some(key) != self.counted.as_ref() || self.to_end {
            return None;
        }
        Neighbour::of(&self.page, *shown_at, self.offset, rows, |r| r.id)
    }

    /// Show the pager's rows if they have come.
    fn take_page(&mut self, ctx: &Ctx, rows: usize) {
        let page = match self.pager.as_mut().and_then(|p| p.answer(false)) {
            None => return,
            Some(Answer::Done(page)) => page,
            Some(Answer::Failed) => self.page_read(ctx, rows)(ctx.db.conn()).unwrap_or_default(),
        };
        self.paging = false;
        self.show_page(ctx, rows, page);
    }

    /// The rows in view have been read: while counting, a short page is the list's end.
    fn show_page(&mut self, ctx: &Ctx, rows: usize, page: Vec<ListRow>) {
        self.page = page;
        self.shown = self
            .paged
            .as_ref()
            .filter(|(_, _, _, to_end)| !to_end)
            .map(|(key, offset, _, _)| (key.clone(), *offset));
        if self.to_end {
            self.cursor = self.page.len().saturating_sub(1);
        }
        if !self.counting {
            return;
        }
        self.count = self.offset + self.page.len();
        if self.page.len() < rows.max(1) {
            if self.page.is_empty() && self.offset > 0 {
                // Moved past the end before the count came: it is needed to go back.
                self.take_count(ctx, true);
            } else {
                // The list ends in view: that is the count.
                self.counting = false;
                if let Some(counter) = self.counter.as_mut() {
                    counter.cancel();
                }
            }
            self.load(ctx, rows);
        }
    }

    /// Ask the worker for the count of the current filter; false when there is none (an
    /// in-memory database), and the caller counts itself.
    fn ask_count(&mut self, ctx: &Ctx) -> bool {
        let Some(counter) = Worker::in_slot(&mut self.counter, ctx.db.path()) else {
            return false;
        };
        let (query, now) = (self.query.clone(), ctx.now);
        counter.ask(Box::new(move |conn| repairs::count(conn, &query, now)));
        self.count = 0;
        true
    }

    /// Take the worker's count if it has come (with `wait`, once it comes).
    fn take_count(&mut self, ctx: &Ctx, wait: bool) {
        let answer = self.counter.as_mut().and_then(|c| c.answer(wait));
        self.count = match answer {
            Some(Answer::Done(n)) => n,
            None if !wait => return,
            // Cut short or failed: count here.
            _ => repairs::count(ctx.db.conn(), &self.query, ctx.now).unwrap_or(0),
        };
        self.counting = false;
    }

    /// The ticket under the cursor, read fresh.
    fn selected(&self, ctx: &Ctx) -> Option<Repair> {
        let row = self.page.get(self.cursor.checked_sub(self.offset)?)?;
        repairs::get(ctx.db.conn(), row.id).ok().flatten()
    }

    fn go_top(&mut self) {
        self.cursor = 0;
        self.to_end = false;
    }

    fn move_cursor(&mut self, by: isize, ctx: &Ctx) {
        if self.to_end {
            // The last rows are in view but not yet where they are: a step from there needs
            // the count. `g`, `G`, Enter and the steps do not.
            self.take_count(ctx, true);
            self.load(ctx, self.visible_rows);
        }
        // Until the count comes, the next read of the list finds where it ends.
        let last = if self.counting {
            isize::MAX / 2
        } else {
            self.count.saturating_sub(1) as isize
        };
        self.cursor = (self.cursor as isize + by).clamp(0, last.max(0)) as usize;
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
                    repairs::maintainers(ctx.db.conn())
                        .unwrap_or_default()
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
        }
        self.go_top();
    }

    /// `[` and `]`: the month filter steps back and forward; past this month it is cleared.
    fn step_month(&mut self, forward: bool, today: NaiveDate) {
        let this = Period::Month.start_of(today);
        self.query.month = match (self.query.month, forward) {
            (None, false) => Some(this),
            (None, true) => None,
            (Some(m), false) => Some(Period::Month.previous(m)),
            (Some(m), true) => Some(Period::Month.next(m)).filter(|n| *n <= this),
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
        self.load(ctx, self.visible_rows);
        let page = self.visible_rows.max(1) as isize;
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => self.move_cursor(1, ctx),
            KeyCode::Char('k') | KeyCode::Up => self.move_cursor(-1, ctx),
            KeyCode::PageDown => self.move_cursor(page, ctx),
            KeyCode::PageUp => self.move_cursor(-page, ctx),
            KeyCode::Char('g') | KeyCode::Home => self.go_top(),
            KeyCode::Char('G') | KeyCode::End if self.counting => self.to_end = true,
            KeyCode::Char('G') | KeyCode::End => self.cursor = self.count.saturating_sub(1),
            KeyCode::Char('/') => self.mode = Mode::Search,
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
        match key.code {
            KeyCode::Enter | KeyCode::Down => self.mode = Mode::List,
            KeyCode::Esc => {
                self.search = Input::default();
                self.query.search.clear();
                self.mode = Mode::List;
            }
            _ => {
                self.mode = Mode::Search;
                if self.search.handle_key(key) {
                    self.query.search = self.search.text().to_owned();
                    self.go_top();
                }
            }
        }
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
            KeyCode::Esc | KeyCode::Char('q') if !ctrl => return Some(Action::Noop),
            KeyCode::Char(c @ ('n' | 'v' | 'x' | 'U' | 'A')) => {
                let id = view.repair.id;
                self.mode = Mode::Detail(view);
                let Some(repair) = repairs::get(ctx.db.conn(), id).ok().flatten() else {
                    return Some(Action::Noop);
                };
                return Some(self.start_step(c, repair, true, ctx));
            }
            KeyCode::Char('L') => {
                let target = audit_trail::Target {
                    table: "repairs",
                    id: view.repair.id,
                    label: view.repair.ticket.clone(),
                };
                self.mode = Mode::Detail(view);
                return Some(Action::ShowAudit(target));
            }
            KeyCode::Char('j') | KeyCode::Down => view.scroll(1),
            KeyCode::Char('k') | KeyCode::Up => view.scroll(-1),
            KeyCode::PageDown | KeyCode::Char(' ') => view.scroll(10),
            KeyCode::PageUp => view.scroll(-10),
            _ => {
                self.mode = Mode::Detail(view);
                return None;
            }
        }
        self.mode = Mode::Detail(view);
        Some(Action::Noop)
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
        self.counted = None;
        self.paged = None;
        self.shown = None;
    }

    fn busy(&self) -> bool {
        self.counting || self.paging
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
            Mode::Filter(kind, mut picker) => {
                match picker.handle_key(key) {
                    Picked::Nothing => self.mode = Mode::Filter(kind, picker),
                    Picked::Cancelled => {}
                    Picked::Chosen(value) => self.set_filter(kind, &value),
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
