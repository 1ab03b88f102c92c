//! One inspection run: answering items in one key each, notes for failures, the run log,
//! sign-off, and amendments to a signed run.

use crate::domain::permission::Deed;
use std::collections::HashMap;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Ctx;
use crate::db::check_runs::{self, Line as RunLine, Run, RunError};
use crate::db::repairs::{self, LinkedTicket};
use crate::domain::checklist::{Answer, ItemKind, Outcome};
use crate::domain::period::Period;
use crate::i18n::Lang;
use crate::text::fit;
use crate::tui::action::{Action, Flash, Intent, RepairDraft};
use crate::tui::layout;
use crate::tui::tabs::Tab;
use crate::tui::theme;
use crate::tui::widgets::input::Input;
use crate::tui::widgets::picker::{Picked, Picker};
use crate::tui::widgets::prompt;

/// An answer being put together over one or more prompts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    /// `None` is the run log (amendments only).
    result_id: Option<i64>,
    code: String,
    outcome: Outcome,
    value: String,
    note: String,
    /// An amendment to a signed run, which also needs a reason.
    amend: bool,
}

/// What the bottom line is asking for.
enum Step {
    Browse,
    /// A reading or a text item's observation.
    Value(Draft, Input),
    Pick(Draft, Picker),
    /// The finding (fail) or reason (n/a), or a note to an amended pass.
    Note(Draft, Input),
    Reason(Draft, Input),
    /// After a failure: `r` asks for a repair.
    Repair(i64, String),
    /// For an amendment: which outcome stands now.
    AmendOutcome(Draft),
    Log(Input),
    ConfirmPassAll,
    ConfirmSign,
}

/// What the screen around the view should do after a key.
pub enum RunEvent {
    Stay(Option<Flash>),
    /// Hand work to another screen (a repair report).
    Act(Action),
    Close,
    /// Not a key of this view: the global keys (tabs, help, quit) may take it.
    Ignored,
}

pub struct RunView {
    pub run: Run,
    /// Repair tickets opened for this run's results, by result id.
    tickets: HashMap<i64, LinkedTicket>,
    cursor: usize,
    offset: usize,
    step: Step,
    visible_rows: usize,
    /// Opened from the past runs: shown, never answered, signed or amended from here.
    read_only: bool,
}

/// Whether the cursor row is the run log (one past the items).
fn log_row(run: &Run) -> Option<usize> {
    run.checklist.run_log.then_some(run.lines.len())
}

impl RunView {
    /// A value, finding, reason or log is being typed.
    pub fn unsaved(&self) -> bool {
        match &self.step {
            Step::Value(_, input)
            | Step::Note(_, input)
            | Step::Reason(_, input)
            | Step::Log(input) => !input.text().is_empty(),
            _ => false,
        }
    }

    pub fn new(run: Run) -> RunView {
        let mut view = RunView {
            tickets: HashMap::new(),
            cursor: 0,
            offset: 0,
            step: Step::Browse,
            visible_rows: 10,
            read_only: false,
            run,
        };
        view.cursor = view.next_open(0).unwrap_or(0);
        view
    }

    /// A past run to read: its answers, amendments and log; the keys only move.
    pub fn read_only(run: Run) -> RunView {
        let mut view = RunView::new(run);
        view.read_only = true;
        view.cursor = 0;
        view
    }

    /// The first unanswered item at or after `from` (wrapping), else the log row if the log
    /// still needs writing.
    fn next_open(&self, from: usize) -> Option<usize> {
        let n = self.run.lines.len();
        (0..n)
            .map(|i| (from + i) % n.max(1))
            .find(|i| self.run.lines.get(*i).is_some_and(|l| l.outcome.is_none()))
            .or_else(|| {
                let needs_log = !self.run.is_signed() && self.run.run_log.trim().is_empty();
                log_row(&self.run).filter(|_| needs_log)
            })
    }

    pub fn captures_text(&self) -> bool {
        matches!(
            self.step,
            Step::Value(..) | Step::Note(..) | Step::Reason(..) | Step::Log(_) | Step::Pick(..)
        )
    }

    pub fn keys(&self) -> &'static [crate::tui::keys::KeyHint] {
        use super::keys;
        match &self.step {
            Step::Browse if self.read_only => keys::READ_ONLY,
            Step::Browse if self.run.is_signed() => keys::SIGNED,
            Step::Browse => keys::RUN,
            Step::Pick(..) => keys::PICK,
            Step::Repair(..) | Step::AmendOutcome(_) | Step::ConfirmPassAll | Step::ConfirmSign => {
                keys::ANSWER_KEY
            }
            _ => keys::PROMPT,
        }
    }

    fn rows(&self) -> usize {
        self.run.lines.len() + usize::from(self.run.checklist.run_log)
    }

    fn line(&self) -> Option<&RunLine> {
        self.run.lines.get(self.cursor)
    }

    pub(super) fn reload(&mut self, ctx: &Ctx) {
        if let Ok(Some(run)) = check_runs::load(ctx.db.conn(), self.run.id) {
            self.run = run;
        }
        self.load_tickets(ctx);
        self.cursor = self.cursor.min(self.rows().saturating_sub(1));
    }

    fn load_tickets(&mut self, ctx: &Ctx) {
        self.tickets = ctx
            .read(repairs::for_run(ctx.db.conn(), self.run.id))
            .into_iter()
            .map(|t| (t.result_id, t))
            .collect();
    }

    /// `r` on a failed item: its repair ticket if it has one, else the report form, filled in
    /// and linked to the item (the request is marked on an open run first).
    fn repair(&mut self, result_id: Option<i64>, ctx: &mut Ctx) -> RunEvent {
        let lang = ctx.lang;
        let line = match result_id {
            Some(id) => self.run.lines.iter().find(|l| l.result_id == id),
            None => self.line(),
        };
        let Some(line) = line else {
            return RunEvent::Stay(None);
        };
        if let Some(ticket) = self.tickets.get(&line.result_id) {
            return RunEvent::Act(Action::Open(Intent::ShowRepair(ticket.repair_id)));
        }
        let (outcome, _, note) = line.effective();
        if outcome != Some(Outcome::Fail) {
            let code = &line.item.code;
            return RunEvent::Stay(Some(Flash::error(
                lang.tf("run.repair_needs_fail", &[("code", code)]),
            )));
        }
        let item = &line.item;
        // What is stored is what the operator wrote or the register holds, never the item's
        // wording in the screen's language: the device the item names (else the operator
        // names it) and the finding (the ticket links to the item itself).
        let device = line.device.as_ref().map(|d| d.tag.clone());
        let draft = RepairDraft {
            device: device.unwrap_or_else(|| item.device_tag.clone()),
            reporter: ctx.operator.to_owned(),
            department: String::new(),
            description: if note.trim().is_empty() {
                item.code.clone()
            } else {
                note.trim().to_owned()
            },
            check_result_id: Some(line.result_id),
            back_to: Some(Tab::Checks),
        };
        let result_id = line.result_id;
        if !self.run.is_signed() && !line.repair_wanted {
            if let Err(e) = ctx.save(Deed::WorkChecks, |tx, stamp| {
                check_runs::want_repair(tx, result_id, stamp)
            }) {
                return RunEvent::Stay(Some(Flash::error(e.message(lang))));
            }
            self.reload(ctx);
        }
        RunEvent::Act(Action::Open(Intent::ReportRepair(draft)))
    }

    fn move_by(&mut self, by: isize) {
        let last = self.rows().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + by).clamp(0, last.max(0)) as usize;
    }

    /// Start answering the item under the cursor: `outcome` is what the key said.
    fn begin(
        &mut self,
        outcome: Outcome,
        amend: bool,
        first_char: Option<char>,
        lang: Lang,
    ) -> Option<Flash> {
        let line = self.line()?;
        let draft = Draft {
            result_id: Some(line.result_id),
            code: line.item.code.clone(),
            outcome,
            value: String::new(),
            note: String::new(),
            amend,
        };
        self.step = match (outcome, line.item.kind) {
            (Outcome::NotApplicable | Outcome::Fail, _) => Step::Note(draft, Input::default()),
            (Outcome::Pass, ItemKind::Number | ItemKind::Text) => Step::Value(
                draft,
                Input::new(first_char.map(String::from).unwrap_or_default()),
            ),
            (Outcome::Pass, ItemKind::Choice) => {
                let options = line
                    .item
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (i.to_string(), c.label.get(lang).to_owned()))
                    .collect();
                Step::Pick(draft, Picker::new(line.item.code.clone(), options, ""))
            }
            (Outcome::Pass, ItemKind::PassFail) if amend => Step::Note(draft, Input::default()),
            (Outcome::Pass, ItemKind::PassFail) => {
                self.step = Step::Browse;
                return None;
            }
        };
        None
    }

    /// Save a finished draft: an answer, or an amendment once it has its reason.
    fn save(&mut self, draft: Draft, ctx: &mut Ctx) -> Option<Flash> {
        let answer = Answer {
            outcome: draft.outcome,
            value: draft.value.clone(),
            note: draft.note.clone(),
        };
        if draft.amend {
            self.step = Step::Reason(draft, Input::default());
            return None;
        }
        let result_id = draft.result_id?;
        let saved = ctx.save(Deed::WorkChecks, |tx, stamp| {
            check_runs::answer(tx, result_id, &answer, stamp)
        });
        self.step = Step::Browse;
        if let Err(e) = saved {
            return Some(Flash::error(e.message(ctx.lang)));
        }
        let at = self.cursor;
        self.reload(ctx);
        self.cursor = self.next_open(at + 1).unwrap_or(at);
        if answer.outcome == Outcome::Fail {
            self.step = Step::Repair(result_id, draft.code);
        }
        None
    }

    fn pass_here(&mut self, ctx: &mut Ctx) -> Option<Flash> {
        let line = self.line()?;
        if line.item.kind != ItemKind::PassFail {
            return self.begin(Outcome::Pass, false, None, ctx.lang);
        }
        let draft = Draft {
            result_id: Some(line.result_id),
            code: line.item.code.clone(),
            outcome: Outcome::Pass,
            value: String::new(),
            note: String::new(),
            amend: false,
        };
        self.save(draft, ctx)
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> RunEvent {
        let step = std::mem::replace(&mut self.step, Step::Browse);
        let flash = match step {
            Step::Browse => return self.browse_key(key, ctx),
            Step::Value(mut draft, mut input) => match key.code {
                KeyCode::Esc => None,
                KeyCode::Enter => self
                    .value_entered(&mut draft, input.text(), ctx)
                    .or_else(|| {
                        if matches!(self.step, Step::Browse) && draft.outcome == Outcome::Pass {
                            self.save(draft, ctx)
                        } else {
                            None
                        }
                    }),
                _ => {
                    input.handle_key(key);
                    self.step = Step::Value(draft, input);
                    None
                }
            },
            Step::Pick(mut draft, mut picker) => match picker.handle_key(key) {
                Picked::Cancelled => None,
                Picked::Nothing => {
                    self.step = Step::Pick(draft, picker);
                    None
                }
                Picked::Chosen(index) => {
                    let index: usize = index.parse().unwrap_or(0);
                    let item = self.line().map(|l| l.item.clone());
                    if let Some(item) = item {
                        draft.outcome = item.judge_choice(index).unwrap_or(Outcome::Pass);
                        draft.value = item
                            .choices
                            .get(index)
                            .map_or(String::new(), |c| c.label.get(ctx.lang).to_owned());
                    }
                    if draft.outcome == Outcome::Fail {
                        self.step = Step::Note(draft, Input::default());
                        None
                    } else {
                        self.save(draft, ctx)
                    }
                }
            },
            Step::Note(mut draft, mut input) => match key.code {
                KeyCode::Esc => None,
                KeyCode::Enter => {
                    draft.note = input.text().trim().to_owned();
                    if draft.outcome != Outcome::Pass && draft.note.is_empty() {
                        self.step = Step::Note(draft, input);
                        Some(Flash::error(RunError::NoteRequired.message(ctx.lang)))
                    } else {
                        self.save(draft, ctx)
                    }
                }
                _ => {
                    input.handle_key(key);
                    self.step = Step::Note(draft, input);
                    None
                }
            },
            Step::Reason(draft, mut input) => match key.code {
                KeyCode::Esc => None,
                KeyCode::Enter => self.amend(draft, input.text(), ctx),
                _ => {
                    input.handle_key(key);
                    self.step = Step::Reason(draft, input);
                    None
                }
            },
            Step::Repair(result_id, _) => {
                if matches!(key.code, KeyCode::Char('r' | 'R')) {
                    return self.repair(Some(result_id), ctx);
                }
                // Any other key goes on with the run, and does what it says.
                return self.browse_key(key, ctx);
            }
            Step::AmendOutcome(mut draft) => {
                let outcome = match key.code {
                    KeyCode::Char(' ' | 'p') => Some(Outcome::Pass),
                    KeyCode::Char('f') => Some(Outcome::Fail),
                    KeyCode::Char('n') => Some(Outcome::NotApplicable),
                    _ => None,
                };
                match (outcome, self.line().map(|l| l.item.kind)) {
                    (Some(Outcome::Pass), Some(ItemKind::Number | ItemKind::Text)) => {
                        self.step = Step::Value(draft, Input::default());
                        None
                    }
                    (Some(outcome), _) => {
                        draft.outcome = outcome;
                        self.step = Step::Note(draft, Input::default());
                        None
                    }
                    (None, _) => None,
                }
            }
            Step::Log(mut input) => match key.code {
                KeyCode::Esc => None,
                KeyCode::Enter => self.log_entered(input.text(), ctx),
                _ => {
                    input.handle_key(key);
                    self.step = Step::Log(input);
                    None
                }
            },
            Step::ConfirmPassAll => {
                if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                    let id = self.run.id;
                    match ctx.save(Deed::WorkChecks, |tx, stamp| {
                        check_runs::pass_remaining(tx, id, stamp)
                    }) {
                        Ok(n) => {
                            self.reload(ctx);
                            self.cursor = self.next_open(0).unwrap_or(self.cursor);
                            Some(Flash::info(ctx.lang.tf("run.passed_all", &[("count", &n)])))
                        }
                        Err(e) => Some(Flash::error(e.message(ctx.lang))),
                    }
                } else {
                    None
                }
            }
            Step::ConfirmSign => {
                if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                    self.sign(ctx)
                } else {
                    None
                }
            }
        };
        RunEvent::Stay(flash)
    }

    /// A reading or an observation was typed: judge it; a reading out of range fails and asks
    /// for the finding. Leaves `Step::Browse` when the draft is ready to save.
    fn value_entered(&mut self, draft: &mut Draft, typed: &str, ctx: &Ctx) -> Option<Flash> {
        let item = self.line()?.item.clone();
        let typed = typed.trim();
        if item.kind == ItemKind::Number {
            let Some((value, outcome)) = item.judge_number(typed) else {
                self.step = Step::Value(draft.clone(), Input::new(typed));
                let range = item.range_text(ctx.lang);
                return Some(Flash::error(
                    ctx.lang
                        .tf("run.not_a_number", &[("value", &typed), ("range", &range)]),
                ));
            };
            draft.value = value;
            draft.outcome = outcome;
        } else {
            if typed.is_empty() {
                self.step = Step::Value(draft.clone(), Input::default());
                return Some(Flash::error(ctx.lang.t("run.text_required")));
            }
            draft.value = typed.to_owned();
        }
        if draft.outcome == Outcome::Fail {
            self.step = Step::Note(draft.clone(), Input::default());
            let range = item.range_text(ctx.lang);
            return Some(Flash::error(ctx.lang.tf(
                "run.out_of_range",
                &[("value", &draft.value), ("range", &range)],
            )));
        }
        if draft.amend {
            self.step = Step::Note(draft.clone(), Input::default());
        }
        None
    }

    fn log_entered(&mut self, text: &str, ctx: &mut Ctx) -> Option<Flash> {
        if self.run.is_signed() {
            if text.trim().is_empty() {
                return None;
            }
            let draft = Draft {
                result_id: None,
                code: String::new(),
                outcome: Outcome::Pass,
                value: String::new(),
                note: text.trim().to_owned(),
                amend: true,
            };
            self.step = Step::Reason(draft, Input::default());
            return None;
        }
        if text.trim().is_empty() && self.run.run_log.trim().is_empty() {
            self.step = Step::Log(Input::default());
            return Some(Flash::error(ctx.lang.t("run.log_nothing")));
        }
        let id = self.run.id;
        match ctx.save(Deed::WorkChecks, |tx, stamp| {
            check_runs::set_log(tx, id, text, stamp)
        }) {
            Ok(()) => {
                self.reload(ctx);
                None
            }
            Err(e) => Some(Flash::error(e.message(ctx.lang))),
        }
    }

    fn amend(&mut self, draft: Draft, reason: &str, ctx: &mut Ctx) -> Option<Flash> {
        if reason.trim().is_empty() {
            self.step = Step::Reason(draft, Input::default());
            return Some(Flash::error(RunError::ReasonRequired.message(ctx.lang)));
        }
        let answer = Answer {
            outcome: draft.outcome,
            value: draft.value,
            note: draft.note,
        };
        let id = self.run.id;
        let result = ctx.save(Deed::WorkChecks, |tx, stamp| {
            check_runs::amend(tx, id, draft.result_id, &answer, reason, stamp)
        });
        match result {
            Ok(()) => {
                self.reload(ctx);
                Some(Flash::info(ctx.lang.t("run.amended")))
            }
            Err(e) => Some(Flash::error(e.message(ctx.lang))),
        }
    }

    fn sign(&mut self, ctx: &mut Ctx) -> Option<Flash> {
        let id = self.run.id;
        match ctx.save(Deed::WorkChecks, |tx, stamp| {
            check_runs::sign(tx, id, stamp)
        }) {
            Ok(()) => {
                self.reload(ctx);
                let label = self.run.checklist.period.label(self.run.period_start);
                Some(Flash::info(ctx.lang.tf("run.signed", &[("label", &label)])))
            }
            Err(e) => Some(self.refuse_sign(&e, ctx.lang)),
        }
    }

    /// Put the cursor where the refusal points (the first open item, the log) and say why.
    fn refuse_sign(&mut self, refusal: &RunError, lang: Lang) -> Flash {
        if *refusal == RunError::LogMissing {
            self.cursor = log_row(&self.run).unwrap_or(self.cursor);
        } else if let Some(open) = self.next_open(0) {
            self.cursor = open;
        }
        Flash::error(refusal.message(lang))
    }

    fn browse_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> RunEvent {
        let signed = self.run.is_signed();
        let on_log = Some(self.cursor) == log_row(&self.run);
        let page = self.visible_rows.max(1) as isize;
        let flash = match key.code {
            KeyCode::Esc => return RunEvent::Close,
            KeyCode::Char('j') | KeyCode::Down => {
                self.move_by(1);
                None
            }
            KeyCode::Char('k') | KeyCode::Up => {
                self.move_by(-1);
                None
            }
            KeyCode::PageDown => {
                self.move_by(page);
                None
            }
            KeyCode::PageUp => {
                self.move_by(-page);
                None
            }
            KeyCode::Char('g') | KeyCode::Home => {
                self.cursor = 0;
                None
            }
            KeyCode::Char('G') | KeyCode::End => {
                self.cursor = self.rows().saturating_sub(1);
                None
            }
            // Reading only: every other key is the program's own (`L` the audit log).
            _ if self.read_only => return RunEvent::Ignored,
            KeyCode::Char('w') if self.run.checklist.run_log => {
                let start = if signed {
                    String::new()
                } else {
                    self.run.run_log.clone()
                };
                self.cursor = log_row(&self.run).unwrap_or(self.cursor);
                self.step = Step::Log(Input::new(start));
                None
            }
            KeyCode::Enter | KeyCode::Char(' ') if on_log => {
                let start = if signed {
                    String::new()
                } else {
                    self.run.run_log.clone()
                };
                self.step = Step::Log(Input::new(start));
                None
            }
            _ if signed => match key.code {
                KeyCode::Char('e') | KeyCode::Enter => {
                    if let Some(line) = self.line() {
                        self.step = Step::AmendOutcome(Draft {
                            result_id: Some(line.result_id),
                            code: line.item.code.clone(),
                            outcome: Outcome::Pass,
                            value: String::new(),
                            note: String::new(),
                            amend: true,
                        });
                    }
                    None
                }
                KeyCode::Char('r') => return self.repair(None, ctx),
                KeyCode::Char(' ' | 'f' | 'n' | 'A' | 's') => {
                    Some(Flash::error(RunError::Signed.message(ctx.lang)))
                }
                _ => return RunEvent::Ignored,
            },
            KeyCode::Char(' ') | KeyCode::Enter => self.pass_here(ctx),
            KeyCode::Char('f') => self.begin(Outcome::Fail, false, None, ctx.lang),
            KeyCode::Char('n') => self.begin(Outcome::NotApplicable, false, None, ctx.lang),
            KeyCode::Char(c @ ('0'..='9' | '-' | '.'))
                if self.line().is_some_and(|l| l.item.kind == ItemKind::Number) =>
            {
                self.begin(Outcome::Pass, false, Some(c), ctx.lang)
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                // A reading typed on the wrong row must not leave the run for another tab.
                let code = self.line().map_or(String::new(), |l| l.item.code.clone());
                Some(Flash::error(
                    ctx.lang.tf("run.not_a_number_item", &[("code", &code)]),
                ))
            }
            KeyCode::Char('r') => return self.repair(None, ctx),
            KeyCode::Char('A') => {
                self.step = Step::ConfirmPassAll;
                None
            }
            // Checked first, asked second: a run that cannot be signed says why at once.
            KeyCode::Char('s') => match check_runs::sign_refusal(&self.run) {
                Some(refusal) => Some(self.refuse_sign(&refusal, ctx.lang)),
                None => {
                    self.step = Step::ConfirmSign;
                    None
                }
            },
            _ => return RunEvent::Ignored,
        };
        RunEvent::Stay(flash)
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        self.load_tickets(ctx);
        if area.height < 4 {
            return;
        }
        let run = &self.run;
        let period = run.checklist.period;
        let width = area.width;
        // Title: the template, its period, progress and state.
        let state = match (&run.signed_at, &run.signed_by) {
            (Some(at), Some(by)) => {
                let at = at.get(5..16).unwrap_or(at);
                let signed = lang.tf("run.signed_by", &[("by", by), ("at", &at)]);
                match crate::words::timing_text(run.timing(), lang) {
                    t if t.is_empty() => signed,
                    t => format!("{signed}  {t}"),
                }
            }
            _ => match run.due {
                Some(due) => format!(
                    "{}  {}",
                    lang.t("run.open"),
                    crate::words::due_time(due, ctx.today, lang)
                ),
                None => lang.t("run.open").to_owned(),
            },
        };
        let title = format!(
            " {}  {}  {}/{}  {}",
            run.checklist.name.get(lang),
            period_text(period, run.period_start, run.period_end),
            run.answered(),
            run.lines.len(),
            state
        );
        let title_style = if run.is_signed() {
            theme::TITLE
        } else {
            theme::NOTICE
        };
        frame.render_widget(
            Paragraph::new(Line::styled(fit(&title, width), title_style)),
            layout::rows(area, 0, 1),
        );
        // Columns: code, item, result, previous period.
        let code_w = 4u16;
        let result_w = 12u16;
        let prev_w = if width >= 70 { 10u16 } else { 0 };
        let text_w = width.saturating_sub(code_w + result_w + prev_w + 4);
        let prev_head = lang.t(match period {
            Period::Workday | Period::Day => "run.previous_day",
            Period::Week => "run.previous_week",
            Period::Month => "run.previous_month",
            Period::Quarter => "run.previous_quarter",
            Period::Semester => "run.previous_semester",
            Period::Year => "run.previous_year",
        });
        let header = format!(
            " {} {} {} {}",
            fit(lang.t("run.code"), code_w),
            fit(lang.t("run.item"), text_w),
            fit(lang.t("run.result"), result_w),
            fit(prev_head, prev_w)
        );
        frame.render_widget(
            Paragraph::new(Line::styled(header, theme::HEADER)),
            layout::rows(area, 1, 1),
        );
        // The bottom two lines: the selected item's note and who answered, or a prompt.
        let list_h = area.height.saturating_sub(4) as usize;
        self.visible_rows = list_h;
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + list_h {
            self.offset = self.cursor + 1 - list_h;
        }
        let mut lines = Vec::new();
        for row in self.offset..(self.offset + list_h).min(self.rows()) {
            let selected = row == self.cursor;
            let line = match run.lines.get(row) {
                Some(l) => item_row(l, lang, (code_w, text_w, result_w, prev_w)),
                None => log_line(run, lang, width),
            };
            lines.push(if selected {
                line.style(theme::SELECTED)
            } else {
                line
            });
        }
        frame.render_widget(Paragraph::new(lines), layout::rows(area, 2, list_h as u16));
        let bottom = layout::bottom(area, 2);
        self.render_bottom(frame, bottom, lang, ctx.operator);
        if let Step::Pick(_, picker) = &self.step {
            picker.render(frame, area);
        }
    }

    fn render_bottom(&self, frame: &mut Frame, area: Rect, lang: Lang, operator: &str) {
        let first = layout::rows(area, 0, 1);
        let second = layout::rows(area, 1, 1);
        let prompt = |key: &str, input: &Input, frame: &mut Frame| {
            prompt::render(frame, first, lang.t(key), input);
        };
        let ask = |text: String, frame: &mut Frame| {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    fit(&format!(" {text}"), area.width),
                    theme::NOTICE,
                )),
                first,
            );
        };
        let code = |d: &Draft| d.code.clone();
        match &self.step {
            Step::Value(d, input) => {
                let range = self
                    .line()
                    .map(|l| l.item.range_text(lang))
                    .unwrap_or_default();
                prompt("run.prompt_value", input, frame);
                ask_hint(frame, second, &format!("{} {range}", code(d)));
            }
            Step::Note(d, input) => {
                let key = match d.outcome {
                    Outcome::Fail => "run.prompt_finding",
                    Outcome::NotApplicable => "run.prompt_reason_na",
                    Outcome::Pass => "run.prompt_note",
                };
                prompt(key, input, frame);
                ask_hint(frame, second, &code(d));
            }
            Step::Reason(d, input) => {
                prompt("run.prompt_amend_reason", input, frame);
                ask_hint(frame, second, &code(d));
            }
            Step::Log(input) => {
                let key = if self.run.is_signed() {
                    "run.prompt_log_amend"
                } else {
                    "run.prompt_log"
                };
                prompt(key, input, frame);
            }
            Step::Repair(_, c) => ask(lang.tf("run.ask_repair", &[("code", c)]), frame),
            Step::AmendOutcome(d) => ask(lang.tf("run.ask_amend", &[("code", &code(d))]), frame),
            Step::ConfirmPassAll => {
                let left = self
                    .run
                    .lines
                    .iter()
                    .filter(|l| l.outcome.is_none() && l.item.kind == ItemKind::PassFail)
                    .count();
                ask(lang.tf("run.ask_pass_all", &[("count", &left)]), frame);
            }
            Step::ConfirmSign => {
                let label = self.run.checklist.period.label(self.run.period_start);
                ask(
                    lang.tf("run.ask_sign", &[("label", &label), ("by", &operator)]),
                    frame,
                );
            }
            Step::Pick(..) | Step::Browse => self.render_selected(frame, first, second, lang),
        }
    }

    /// The note and who answered, for the item under the cursor.
    fn render_selected(&self, frame: &mut Frame, first: Rect, second: Rect, lang: Lang) {
        let Some(line) = self.line() else {
            let text = match self.run.log_amendments.last() {
                Some(a) => amendment_text(Some(a), lang),
                None if self.run.is_signed() => lang.t("run.log_amend_hint").to_owned(),
                None => lang.t("run.log_hint").to_owned(),
            };
            ask_hint(frame, first, &text);
            return;
        };
        let (_, _, note) = line.effective();
        let mut text = line_text(line, lang);
        if !note.is_empty() {
            text = format!("{text}: {note}");
        }
        frame.render_widget(
            Paragraph::new(Span::raw(fit(&format!(" {text}"), first.width))),
            first,
        );
        let mut info = Vec::new();
        if let Some(by) = &line.answered_by {
            info.push(lang.tf("run.answered_by", &[("by", by)]));
        }
        if let Some(t) = self.tickets.get(&line.result_id) {
            let state = lang.t(t.state.label_key());
            info.push(lang.tf(
                "run.repair_ticket",
                &[("ticket", &t.ticket), ("state", &state)],
            ));
        } else if line.repair_wanted {
            info.push(lang.t("run.repair_marked").to_owned());
        }
        if !line.amendments.is_empty() {
            info.push(amendment_text(line.amendments.last(), lang));
        }
        if let Some(d) = &line.device {
            info.push(format!("{} {}", lang.t("field.asset_tag"), d.tag));
        } else if !line.item.device_tag.is_empty() {
            info.push(format!(
                "{} {}",
                lang.t("field.asset_tag"),
                line.item.device_tag
            ));
        } else if let Some(c) = line.item.category {
            info.push(lang.t(c.label_key()).to_owned());
        }
        ask_hint(frame, second, &info.join("  "));
    }

    /// Open the run of the previous (`-1`) or next (`1`) period of the same template, if one
    /// was started.
    pub fn neighbour(&self, by: i32, ctx: &Ctx) -> Result<RunView, Flash> {
        let period = self.run.checklist.period;
        let calendar = ctx.read(crate::db::calendar::work_calendar(ctx.db.conn()));
        let start = if by < 0 {
            period.previous(self.run.period_start, &calendar)
        } else {
            period.next(self.run.period_start, &calendar)
        };
        let label = period.label(start);
        let found = check_runs::find(ctx.db.conn(), self.run.checklist.id, start)
            .ok()
            .flatten()
            .and_then(|id| ctx.found(check_runs::load(ctx.db.conn(), id)));
        let open = if self.read_only {
            RunView::read_only
        } else {
            RunView::new
        };
        found
            .map(open)
            .ok_or_else(|| Flash::error(ctx.lang.tf("run.no_run", &[("label", &label)])))
    }

    pub fn is_browsing(&self) -> bool {
        matches!(self.step, Step::Browse)
    }
}

fn ask_hint(frame: &mut Frame, area: Rect, text: &str) {
    frame.render_widget(
        Paragraph::new(Span::styled(
            fit(&format!(" {text}"), area.width),
            theme::HINT,
        )),
        area,
    );
}

fn amendment_text(a: Option<&check_runs::Amendment>, lang: Lang) -> String {
    a.map_or(String::new(), |a| {
        lang.tf(
            "run.amended_by",
            &[("by", &a.by), ("at", &a.at), ("reason", &a.reason)],
        )
    })
}

/// `2026-W47 (11-16..11-22)`, `2026-11-21`.
pub fn period_text(period: Period, start: chrono::NaiveDate, last: chrono::NaiveDate) -> String {
    let span = period.span_text(start, last);
    if span.is_empty() {
        period.label(start)
    } else {
        format!("{} ({span})", period.label(start))
    }
}

pub fn outcome_style(outcome: Option<Outcome>) -> Style {
    match outcome {
        Some(Outcome::Fail) => theme::BAD,
        Some(Outcome::NotApplicable) | None => theme::MUTED,
        Some(Outcome::Pass) => Style::new(),
    }
}

/// `22 C pass`, `FAIL`, `-`.
fn result_text(outcome: Option<Outcome>, value: &str, unit: &str, lang: Lang) -> String {
    let Some(outcome) = outcome else {
        return "-".to_owned();
    };
    let word = lang.t(outcome.label_key());
    match (value.is_empty(), unit.is_empty()) {
        (true, _) => word.to_owned(),
        (false, true) => format!("{value} {word}"),
        (false, false) => format!("{value} {unit} {word}"),
    }
}

/// The item's words, after the device for a line of a per-device item: `UPS-01 机房 UPS · UPS
/// test and battery discharge done`, so that the lines of one item tell apart when narrow.
fn line_text(line: &RunLine, lang: Lang) -> String {
    let text = line.item.text.get(lang);
    match &line.device {
        Some(d) => format!("{} {} · {text}", d.tag, d.name),
        None => text.to_owned(),
    }
}

fn item_row(
    line: &RunLine,
    lang: Lang,
    (code_w, text_w, result_w, prev_w): (u16, u16, u16, u16),
) -> Line<'static> {
    let item = &line.item;
    let unit = item.unit.get(lang);
    let (outcome, value, _) = line.effective();
    let mut text = line_text(line, lang);
    let range = item.range_text(lang);
    if !range.is_empty() {
        text = format!("{text} [{range}]");
    }
    let mut result = result_text(outcome, value, unit, lang);
    if !line.amendments.is_empty() {
        result.push('*');
    }
    if line.repair_wanted {
        result.push('!');
    }
    let previous = line.previous.as_ref();
    let prev_text = previous.map_or(String::new(), |(o, v)| result_text(Some(*o), v, unit, lang));
    let mut spans = vec![
        Span::raw(format!(" {} ", fit(&item.code, code_w))),
        Span::raw(format!("{} ", fit(&text, text_w))),
        Span::styled(
            format!("{} ", fit(&result, result_w)),
            outcome_style(outcome),
        ),
    ];
    if prev_w > 0 {
        let style = outcome_style(previous.map(|(o, _)| *o));
        spans.push(Span::styled(fit(&prev_text, prev_w), style));
    }
    Line::from(spans)
}

fn log_line(run: &Run, lang: Lang, width: u16) -> Line<'static> {
    let text = if run.run_log.is_empty() {
        lang.t("run.log_empty").to_owned()
    } else {
        run.run_log.clone()
    };
    let mut shown = format!(" {}: {text}", lang.t("run.log"));
    if !run.log_amendments.is_empty() {
        shown.push_str(&format!(" (+{})", run.log_amendments.len()));
    }
    let style = if run.run_log.is_empty() {
        theme::WARN
    } else {
        Style::new()
    };
    Line::styled(fit(&shown, width), style)
}
