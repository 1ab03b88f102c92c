//! The Data tab (每日数据对比): each metric on the chosen day against its base (Δ, Δ%,
//! target, status, a 14-day trend), the entry grid where a day's figures are typed in one
//! after another, a chart of one metric over 30 or 90 days, and the metrics' own upkeep.

mod chart;
mod forms;
mod table;
#[cfg(test)]
mod tests;

use crate::domain::permission::Deed;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::{Ctx, Screen};
use crate::db::readings::{self, CompareRow, DayGap, Saved};
use crate::domain::reading::{Base, delta_text, parse_value, pct_text, value_text};
use crate::tui::action::{Action, Flash};
use crate::tui::keys::KeyHint;
use crate::tui::widgets::input::Input;
use forms::{FormOutcome, MetricForm};

const COMPARE_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k PgUp/PgDn g/G", "key.move", false),
    KeyHint::new("[ / ]", "key.day_step", true),
    KeyHint::new("{ / }", "key.week_step", false),
    KeyHint::new("b", "key.base", true),
    KeyHint::new("v", "key.entry_grid", true),
    KeyHint::new("Enter", "key.chart", true),
    KeyHint::new("a", "key.add_metric", false),
    KeyHint::new("c", "key.copy_metric", false),
    KeyHint::new("e", "key.edit_metric", false),
    KeyHint::new("x", "key.retire_metric", false),
    KeyHint::new("J / K", "key.reorder", false),
];

const GRID_KEYS: &[KeyHint] = &[
    KeyHint::new("0-9 . -", "key.type_value", true),
    KeyHint::new("Enter", "key.value_next", true),
    KeyHint::new("Del", "key.clear_value", false),
    KeyHint::new("h/l [ / ]", "key.day_step", true),
    KeyHint::new("j/k PgUp/PgDn g/G", "key.move", false),
    KeyHint::new("v", "key.compare_view", true),
    KeyHint::new("a", "key.add_metric", false),
    KeyHint::new("c", "key.copy_metric", false),
    KeyHint::new("e", "key.edit_metric", false),
    KeyHint::new("x", "key.retire_metric", false),
    KeyHint::new("J / K", "key.reorder", false),
];

const TYPING_KEYS: &[KeyHint] = &[
    KeyHint::new("Enter / Down", "key.value_next", true),
    KeyHint::new("Up", "key.value_prev", false),
    KeyHint::new("Esc", "key.cancel", true),
];

const CHART_KEYS: &[KeyHint] = &[
    KeyHint::new("w", "key.chart_span", true),
    KeyHint::new("j/k", "key.chart_metric", true),
    KeyHint::new("[ / ]", "key.day_step", true),
    KeyHint::new("Esc", "key.back", true),
];

/// How many days back the forgotten-entry line looks.
const GAP_DAYS: i64 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Compare,
    Grid,
    Chart,
}

enum Mode {
    Table,
    Form(Box<MetricForm>),
}

/// What the table shows, as read for one day and base.
struct Loaded {
    day: NaiveDate,
    base: Base,
    /// The clock's day and the connection's change count the rows were read for.
    today: NaiveDate,
    changes: u64,
    rows: Vec<CompareRow>,
    gaps: Vec<DayGap>,
}

pub struct DataScreen {
    /// The chosen day; `None` follows the clock (yesterday, as the rule compares the previous
    /// day).
    day: Option<NaiveDate>,
    base: Base,
    view: View,
    /// The chart's span in days: 30 or 90.
    span: i64,
    /// The metric under the cursor, by its index in the table.
    cursor: usize,
    /// The first line shown (group heads count as lines).
    offset: usize,
    /// The value being typed into the grid's chosen-day cell.
    edit: Option<Input>,
    mode: Mode,
    loaded: Option<Loaded>,
    visible_rows: usize,
    /// A value saved by leaving its cell with a key of the shell's: said at the next frame.
    notice: Option<Flash>,
}

impl Default for DataScreen {
    fn default() -> DataScreen {
        DataScreen::new()
    }
}

impl DataScreen {
    pub fn new() -> DataScreen {
        DataScreen {
            day: None,
            base: Base::default(),
            view: View::Compare,
            span: 30,
            cursor: 0,
            offset: 0,
            edit: None,
            mode: Mode::Table,
            loaded: None,
            visible_rows: 10,
            notice: None,
        }
    }

    fn day(&self, today: NaiveDate) -> NaiveDate {
        self.day
            .unwrap_or(today - chrono::Duration::days(1))
            .min(today)
    }

    /// Read the table again when the day, the base or the clock's day changed, or after a
    /// write (this program's, or another's: [`Screen::data_changed`]); not at every visit or
    /// every few seconds: on a million readings each reading is longer than a frame.
    fn load(&mut self, ctx: &Ctx) {
        let day = self.day(ctx.today);
        let conn = ctx.db.conn();
        let changes = conn.total_changes();
        let fresh = self.loaded.as_ref().is_some_and(|l| {
            (l.day, l.base, l.today, l.changes) == (day, self.base, ctx.today, changes)
        });
        if fresh {
            return;
        }
        let yesterday = ctx.today - chrono::Duration::days(1);
        let (rows, gaps) = ctx.read(readings::day_view(
            conn, day, self.base, yesterday, GAP_DAYS,
        ));
        self.cursor = self.cursor.min(rows.len().saturating_sub(1));
        self.loaded = Some(Loaded {
            day,
            base: self.base,
            today: ctx.today,
            changes,
            rows,
            gaps,
        });
    }

    fn rows(&self) -> &[CompareRow] {
        self.loaded.as_ref().map_or(&[], |l| l.rows.as_slice())
    }

    fn selected(&self) -> Option<&CompareRow> {
        self.rows().get(self.cursor)
    }

    fn move_by(&mut self, by: isize) {
        let last = self.rows().len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + by).clamp(0, last.max(0)) as usize;
    }

    fn select_metric(&mut self, id: i64) {
        if let Some(i) = self.rows().iter().position(|r| r.metric.id == id) {
            self.cursor = i;
        }
    }

    /// Move the chosen day; never past today.
    fn step_day(&mut self, by: i64, today: NaiveDate) {
        let day = self.day(today) + chrono::Duration::days(by);
        self.day = Some(day.min(today));
        self.edit = None;
    }

    fn none_selected(ctx: &Ctx) -> Option<Action> {
        Some(Action::Flash(Flash::error(
            ctx.lang.t("data.none_selected"),
        )))
    }

    /// Keys shared by the comparison table and the grid.
    fn table_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        let page = self.visible_rows.max(1) as isize;
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => self.move_by(1),
            KeyCode::Char('k') | KeyCode::Up => self.move_by(-1),
            KeyCode::PageDown => self.move_by(page),
            KeyCode::PageUp => self.move_by(-page),
            KeyCode::Char('g') | KeyCode::Home => self.cursor = 0,
            KeyCode::Char('G') | KeyCode::End => self.cursor = self.rows().len().saturating_sub(1),
            KeyCode::Char('[') => self.step_day(-1, ctx.today),
            KeyCode::Char(']') => self.step_day(1, ctx.today),
            KeyCode::Char('{') => self.step_day(-7, ctx.today),
            KeyCode::Char('}') => self.step_day(7, ctx.today),
            KeyCode::Char('b') => self.base = self.base.next(),
            KeyCode::Char('a') => self.mode = Mode::Form(Box::new(MetricForm::add(ctx))),
            KeyCode::Char(c @ ('c' | 'e' | 'x')) => {
                let Some(row) = self.selected() else {
                    return Self::none_selected(ctx);
                };
                let m = &row.metric;
                let form = match c {
                    'c' => MetricForm::copy(ctx, m),
                    'e' => MetricForm::edit(ctx, m),
                    _ => MetricForm::retire(ctx, m),
                };
                self.mode = Mode::Form(Box::new(form));
            }
            KeyCode::Char(c @ ('J' | 'K')) => {
                let Some(id) = self.selected().map(|r| r.metric.id) else {
                    return Self::none_selected(ctx);
                };
                let moved = ctx.save(Deed::KeepMetrics, |tx, stamp| {
                    readings::move_metric(tx, id, c == 'K', stamp)
                });
                if let Err(e) = moved {
                    return Some(Action::Flash(Flash::error(e.message(ctx.lang))));
                }
                self.loaded = None;
                self.load(ctx);
                self.select_metric(id);
            }
            _ => return None,
        }
        Some(Action::Noop)
    }

    fn compare_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        match key.code {
            KeyCode::Char('v') => self.view = View::Grid,
            KeyCode::Enter => {
                if self.selected().is_none() {
                    return Self::none_selected(ctx);
                }
                self.view = View::Chart;
            }
            _ => return self.table_key(key, ctx),
        }
        Some(Action::Noop)
    }

    fn grid_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.edit.is_some() {
            return self.typing_key(key, ctx);
        }
        match key.code {
            KeyCode::Esc => self.view = View::Compare,
            KeyCode::Char(c) if !ctrl && is_number_char(c) => {
                if self.selected().is_none() {
                    return Self::none_selected(ctx);
                }
                self.edit = Some(Input::new(c.to_string()));
            }
            KeyCode::Enter => {
                let Some(row) = self.selected() else {
                    return Self::none_selected(ctx);
                };
                let m = &row.metric;
                let now = row.comparison.value.map(|v| value_text(v, m.decimals));
                self.edit = Some(Input::new(now.unwrap_or_default()));
            }
            KeyCode::Delete | KeyCode::Backspace => return Some(self.save_value(None, 0, ctx)),
            KeyCode::Char('h') | KeyCode::Left => self.step_day(-1, ctx.today),
            KeyCode::Char('l') | KeyCode::Right => self.step_day(1, ctx.today),
            KeyCode::Char('v') => self.view = View::Compare,
            _ => return self.table_key(key, ctx),
        }
        Some(Action::Noop)
    }

    /// Typing a value: the cell takes only what a number holds, and refuses letters. Enter (or
    /// Down) saves it and drops to the next metric, Up saves and goes back one, Esc forgets it;
    /// any other key saves what was typed and then does what it does in the grid (`]` the next
    /// day, Tab the next tab), so nothing typed is lost and no key is swallowed.
    fn typing_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let input = self.edit.as_mut()?;
        match key.code {
            KeyCode::Esc => self.edit = None,
            KeyCode::Enter | KeyCode::Down => {
                let text = input.text().to_owned();
                return Some(self.save_typed(&text, 1, ctx));
            }
            KeyCode::Up => {
                let text = input.text().to_owned();
                return Some(self.save_typed(&text, -1, ctx));
            }
            KeyCode::Char(c) if !ctrl && is_number_char(c) => {
                input.handle_key(key);
            }
            KeyCode::Char('u' | 'U') if ctrl => {
                input.handle_key(key);
            }
            // A letter is a slip of the hand in a figure: refused, and the figure stays.
            KeyCode::Char(c) if !ctrl && c.is_alphabetic() => {
                return Some(Action::Flash(Flash::error(ctx.lang.t("data.numbers_only"))));
            }
            KeyCode::Backspace
            | KeyCode::Delete
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Home
            | KeyCode::End => {
                input.handle_key(key);
            }
            _ => {
                let text = input.text().to_owned();
                let saved = self.save_typed(&text, 0, ctx);
                if self.edit.is_some() {
                    // Not a number: the cell keeps it, and says why.
                    return Some(saved);
                }
                // The key may be the shell's (Tab): the saved value's message waits for the
                // status bar.
                if let Action::Flash(flash) = saved {
                    self.notice = Some(flash);
                }
                return self.grid_key(key, ctx);
            }
        }
        Some(Action::Noop)
    }

    fn save_typed(&mut self, text: &str, then: isize, ctx: &mut Ctx) -> Action {
        let Some(row) = self.selected() else {
            return Action::Noop;
        };
        if text.trim().is_empty() {
            return self.save_value(None, then, ctx);
        }
        match parse_value(text, row.metric.decimals) {
            Ok(v) => self.save_value(Some(v), then, ctx),
            Err(_) => {
                let message = ctx.lang.tf("metric_error.bad_value", &[("value", &text)]);
                Action::Flash(Flash::error(message))
            }
        }
    }

    /// Write (or clear) the selected metric's value on the chosen day, then move `then` rows.
    fn save_value(&mut self, value: Option<f64>, then: isize, ctx: &mut Ctx) -> Action {
        let Some(row) = self.selected().cloned() else {
            return Self::none_selected(ctx).unwrap_or(Action::Noop);
        };
        let lang = ctx.lang;
        let day = self.day(ctx.today);
        let today = ctx.today;
        let m = &row.metric;
        let saved = ctx.save(Deed::EnterReadings, |tx, stamp| {
            readings::set_reading(tx, m.id, day, value, today, stamp)
        });
        self.edit = None;
        let saved = match saved {
            Ok(s) => s,
            Err(e) => return Action::Flash(Flash::error(e.message(lang))),
        };
        self.loaded = None;
        self.load(ctx);
        self.move_by(then);
        let name = m.name(lang);
        let text = match (saved, value) {
            (Saved::Unchanged, _) => return Action::Noop,
            (Saved::Cleared, _) | (_, None) => {
                lang.tf("data.cleared", &[("name", &name), ("day", &day)])
            }
            (_, Some(v)) => {
                let after = self.rows().iter().find(|r| r.metric.id == m.id);
                let change = after.and_then(|r| r.comparison.change).map_or_else(
                    || lang.t("data.no_base").to_owned(),
                    |c| {
                        let pct = c.pct.map(pct_text).unwrap_or_default();
                        format!("{} {pct}", delta_text(c.delta, m.decimals))
                    },
                );
                let key = if saved == Saved::Corrected {
                    "data.corrected"
                } else {
                    "data.saved"
                };
                let shown = value_text(v, m.decimals);
                let args: [(&str, &dyn std::fmt::Display); 4] = [
                    ("name", &name),
                    ("day", &day),
                    ("value", &shown),
                    ("change", &change),
                ];
                lang.tf(key, &args)
            }
        };
        Action::Flash(Flash::info(text))
    }

    fn chart_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => self.view = View::Compare,
            KeyCode::Char('w') => self.span = if self.span == 30 { 90 } else { 30 },
            KeyCode::Char('j') | KeyCode::Down => self.move_by(1),
            KeyCode::Char('k') | KeyCode::Up => self.move_by(-1),
            KeyCode::Char('[') => self.step_day(-1, ctx.today),
            KeyCode::Char(']') => self.step_day(1, ctx.today),
            KeyCode::Char('{') => self.step_day(-7, ctx.today),
            KeyCode::Char('}') => self.step_day(7, ctx.today),
            _ => return None,
        }
        Some(Action::Noop)
    }
}

impl Screen for DataScreen {
    fn keys(&self) -> &'static [KeyHint] {
        match (&self.mode, self.view) {
            (Mode::Form(_), _) => crate::tui::keys::FORM,
            (_, View::Grid) if self.edit.is_some() => TYPING_KEYS,
            (_, View::Grid) => GRID_KEYS,
            (_, View::Chart) => CHART_KEYS,
            (_, View::Compare) => COMPARE_KEYS,
        }
    }

    fn captures_text(&self) -> bool {
        matches!(self.mode, Mode::Form(_)) || self.edit.is_some()
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        self.load(ctx);
        if let Mode::Form(form) = &mut self.mode {
            return Some(match form.handle_key(key, ctx) {
                FormOutcome::Stay => Action::Noop,
                FormOutcome::Closed => {
                    self.mode = Mode::Table;
                    Action::Noop
                }
                FormOutcome::Saved(flash, id) => {
                    self.mode = Mode::Table;
                    self.loaded = None;
                    self.load(ctx);
                    if let Some(id) = id {
                        self.select_metric(id);
                    }
                    Action::Flash(flash)
                }
            });
        }
        match self.view {
            View::Compare => self.compare_key(key, ctx),
            View::Grid => self.grid_key(key, ctx),
            View::Chart => self.chart_key(key, ctx),
        }
    }

    fn data_changed(&mut self) {
        self.loaded = None;
    }

    fn unsaved(&self) -> bool {
        matches!(&self.mode, Mode::Form(form) if form.unsaved())
            || self.edit.as_ref().is_some_and(|e| !e.text().is_empty())
    }

    fn take_notice(&mut self, _ctx: &Ctx) -> Option<Flash> {
        self.notice.take()
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        self.load(ctx);
        if let Mode::Form(form) = &self.mode {
            form.render(frame, area, ctx.lang);
            return;
        }
        match self.view {
            View::Chart => chart::render(self, frame, area, ctx),
            _ => table::render(self, frame, area, ctx),
        }
    }
}

/// What a number typed into the grid is made of.
fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || c == '-'
}
