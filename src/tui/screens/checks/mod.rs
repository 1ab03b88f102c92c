//! The Checks tab (巡检): what is due now and what was missed, one run at a time with one key
//! per item, and the template editor.

mod calendar;
mod keys;
mod past;
mod run;
mod templates;

use crate::domain::permission::Deed;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Ctx, Screen};
use crate::db::check_runs::{self, Due, Missed, RunSummary};
use crate::db::checklists::Checklist;
use crate::i18n::Lang;
use crate::text::fit;
use crate::tui::action::{Action, Flash};
use crate::tui::keys::KeyHint;
use crate::tui::theme;
use crate::tui::widgets::columns::{self as table, Column};
use calendar::{CalendarEvent, CalendarView};
use past::{PastEvent, PastRuns};
use run::{RunEvent, RunView, period_text};
use templates::{Templates, TemplatesEvent};

enum Mode {
    Overview,
    Calendar(Box<CalendarView>),
    Run(Box<RunView>),
    Templates(Box<Templates>),
    Past(Box<PastRuns>),
}

/// One selectable row of the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    checklist: Checklist,
    period_start: NaiveDate,
    period_end: NaiveDate,
    /// When the current period's run is due, for a template with a weekday or a window.
    due: Option<crate::domain::schedule::DueTime>,
    run: Option<RunSummary>,
    total: usize,
    missed: bool,
}

pub struct ChecksScreen {
    mode: Mode,
    rows: Vec<Row>,
    /// Templates with a rest day today (named, not rows: nothing to open).
    resting: Vec<crate::domain::checklist::BiText>,
    /// Number of due rows at the top of `rows`; the rest are missed.
    due_count: usize,
    cursor: usize,
    offset: usize,
    /// The cursor was placed for this day (it moves to the first open run when the day turns).
    placed_on: Option<NaiveDate>,
    /// The connection's change count and the day `rows` were read for: they are read again
    /// only when data or the day changed (another program's writes: [`Screen::data_changed`]),
    /// not at every frame and key: on ten years of runs each reading is longer than a frame.
    read_for: Option<(u64, NaiveDate)>,
    /// The data changed under an open run (an undo, another program): read it again.
    run_stale: bool,
}

impl Default for ChecksScreen {
    fn default() -> ChecksScreen {
        ChecksScreen::new()
    }
}

impl ChecksScreen {
    pub fn new() -> ChecksScreen {
        ChecksScreen {
            mode: Mode::Overview,
            rows: Vec::new(),
            due_count: 0,
            cursor: 0,
            offset: 0,
            placed_on: None,
            read_for: None,
            resting: Vec::new(),
            run_stale: false,
        }
    }

    fn reload(&mut self, ctx: &Ctx) {
        let conn = ctx.db.conn();
        let read_for = Some((conn.total_changes(), ctx.today));
        if self.read_for == read_for {
            return;
        }
        self.read_for = read_for;
        let due = ctx.read(check_runs::due(conn, ctx.today));
        let missed = ctx.read(check_runs::missed(conn, ctx.today));
        self.resting = ctx
            .read(check_runs::resting(conn, ctx.today))
            .into_iter()
            .map(|c| c.name)
            .collect();
        self.due_count = due.len();
        self.rows = due
            .into_iter()
            .map(|d: Due| Row {
                total: d.total(),
                checklist: d.checklist,
                period_start: d.period_start,
                period_end: d.period_end,
                due: d.due,
                run: d.run,
                missed: false,
            })
            .chain(missed.into_iter().map(|m: Missed| Row {
                total: m.run.as_ref().map_or(0, |r| r.total),
                checklist: m.checklist,
                period_start: m.period_start,
                period_end: m.period_end,
                due: None,
                run: m.run,
                missed: true,
            }))
            .collect();
        if self.placed_on != Some(ctx.today) {
            // The cursor starts on what needs doing next: the first due run not signed.
            self.cursor = self
                .rows
                .iter()
                .position(|r| !r.missed && !r.run.as_ref().is_some_and(RunSummary::is_signed))
                .unwrap_or(0);
            self.placed_on = Some(ctx.today);
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    fn open_selected(&mut self, ctx: &mut Ctx) -> Option<Flash> {
        let row = self.rows.get(self.cursor)?.clone();
        let opened = ctx
            .save(Deed::WorkChecks, |tx, stamp| {
                check_runs::open(tx, row.checklist.id, row.period_start, stamp)
            })
            .and_then(|id| check_runs::load(ctx.db.conn(), id));
        match opened {
            Ok(Some(run)) => {
                self.mode = Mode::Run(Box::new(RunView::new(run)));
                None
            }
            Ok(None) => Some(Flash::error(ctx.lang.t("run_error.not_found"))),
            Err(e) => Some(Flash::error(
                ctx.lang.tf("error.db_write", &[("reason", &e)]),
            )),
        }
    }

    fn overview_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        // What the key acts on is what is true now (another console may have signed meanwhile).
        self.reload(ctx);
        let flash = match key.code {
            KeyCode::Char('j') | KeyCode::Down => {
                self.cursor = (self.cursor + 1).min(self.rows.len().saturating_sub(1));
                None
            }
            KeyCode::Char('k') | KeyCode::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                None
            }
            KeyCode::Char('g') | KeyCode::Home => {
                self.cursor = 0;
                None
            }
            KeyCode::Char('G') | KeyCode::End => {
                self.cursor = self.rows.len().saturating_sub(1);
                None
            }
            KeyCode::Enter | KeyCode::Char(' ') => self.open_selected(ctx),
            KeyCode::Char('t') => {
                self.mode = Mode::Templates(Box::new(Templates::load(ctx)));
                None
            }
            KeyCode::Char('c') => {
                self.mode = Mode::Calendar(Box::new(CalendarView::new()));
                None
            }
            KeyCode::Char('h') => {
                let row = self.rows.get(self.cursor)?;
                self.mode = Mode::Past(Box::new(PastRuns::new(row.checklist.clone())));
                None
            }
            _ => return None,
        };
        Some(flash.map_or(Action::Noop, Action::Flash))
    }

    fn render_overview(&mut self, frame: &mut Frame, area: Rect, lang: Lang) {
        let width = area.width;
        let specs = overview_columns();
        let today = self.read_for.map_or(NaiveDate::MIN, |(_, day)| day);
        let cells: Vec<Vec<(String, Style)>> = self
            .rows
            .iter()
            .map(|r| row_cells(r, today, lang))
            .collect();
        let texts: Vec<Vec<String>> = cells
            .iter()
            .map(|r| r.iter().map(|(t, _)| t.clone()).collect())
            .collect();
        let widths = table::widths(&specs, &texts, width.saturating_sub(1));
        let mut lines: Vec<Line> = Vec::new();
        // Section headings take lines too: the due list first, then missed.
        let mut selected_line = 0;
        lines.push(Line::styled(
            fit(&format!(" {}", lang.t("checks.due_now")), width),
            theme::HEADER,
        ));
        let resting = (!self.resting.is_empty()).then(|| {
            let names: Vec<&str> = self.resting.iter().map(|n| n.get(lang)).collect();
            let text = lang.tf(
                "checks_status.resting",
                &[("names", &names.join(lang.t("permission.and")))],
            );
            Line::styled(fit(&format!(" {text}"), width), theme::HINT)
        });
        for (i, row_cells) in cells.into_iter().enumerate() {
            if i == self.due_count {
                lines.extend(resting.clone());
                let heading = if self.rows.len() > self.due_count {
                    lang.tf(
                        "checks.missed",
                        &[("count", &(self.rows.len() - self.due_count))],
                    )
                } else {
                    lang.t("checks.none_missed").to_owned()
                };
                let style = if self.rows.len() > self.due_count {
                    theme::BAD
                } else {
                    theme::HINT
                };
                lines.push(Line::raw(""));
                lines.push(Line::styled(fit(&format!(" {heading}"), width), style));
            }
            if i == self.cursor {
                selected_line = lines.len();
            }
            let mut spans = vec![Span::raw(" ")];
            spans.extend(table::cells(&specs, &widths, row_cells));
            let line = Line::from(spans);
            lines.push(if i == self.cursor {
                line.style(theme::SELECTED)
            } else {
                line
            });
        }
        if self.rows.len() == self.due_count {
            lines.extend(resting);
            if self.rows.is_empty() {
                lines.push(Line::styled(
                    fit(&format!(" {}", lang.t("checks_status.no_templates")), width),
                    theme::HINT,
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                fit(&format!(" {}", lang.t("checks.none_missed")), width),
                theme::HINT,
            ));
        }
        let height = area.height as usize;
        if selected_line < self.offset {
            self.offset = selected_line.saturating_sub(1);
        } else if selected_line >= self.offset + height {
            self.offset = selected_line + 1 - height;
        }
        let shown: Vec<Line> = lines.into_iter().skip(self.offset).take(height).collect();
        frame.render_widget(Paragraph::new(shown), area);
    }
}

/// The overview's columns, sized from all its rows: template, period, progress, state and
/// failures; the failures go first when narrow.
fn overview_columns() -> Vec<Column> {
    vec![
        Column::new("", 12, 40),
        Column::new("", 10, 23),
        Column::new("", 3, 6).right(),
        Column::new("", 8, 30).whole(),
        Column::new("", 6, 20).drop(1),
    ]
}

/// One template's cells, in the order of [`overview_columns`].
fn row_cells(row: &Row, today: NaiveDate, lang: Lang) -> Vec<(String, Style)> {
    let (state, style): (String, Style) = match &row.run {
        Some(r) if r.is_signed() => {
            let signed = lang.tf(
                "checks.signed",
                &[
                    ("by", &r.signed_by.clone().unwrap_or_default()),
                    (
                        "at",
                        &r.signed_at.as_deref().map(short_date).unwrap_or_default(),
                    ),
                ],
            );
            let timing = check_runs::timing_of(row.due, r.signed_at.as_deref());
            match crate::words::timing_text(timing, lang) {
                t if t.is_empty() => (signed, theme::MUTED),
                t => (format!("{signed} {t}"), theme::WARN),
            }
        }
        _ if !row.missed && row.due.is_some_and(|d| d.day() != today) => (
            // The period column says which week: the day and hours are enough here.
            crate::words::schedule_text(row.checklist.schedule, lang),
            if row.due.is_some_and(|d| d.day() < today) {
                theme::WARN
            } else {
                theme::MUTED
            },
        ),
        Some(r) if r.is_started() => (lang.t("checks_status.open").to_owned(), theme::NOTICE),
        _ if row.missed => (lang.t("checks_status.not_started").to_owned(), theme::BAD),
        _ => (
            lang.t("checks_status.not_started").to_owned(),
            theme::NOTICE,
        ),
    };
    let answered = row.run.as_ref().map_or(0, |r| r.answered);
    let progress = if row.missed && row.run.is_none() {
        String::new()
    } else {
        format!("{answered}/{}", row.total)
    };
    let failed = row.run.as_ref().map_or(0, |r| r.failed);
    let failed_text = if failed > 0 {
        lang.tf("checks_status.failed", &[("count", &failed)])
    } else {
        String::new()
    };
    let plain = |text: String| (text, Style::new());
    vec![
        plain(row.checklist.name.get(lang).to_owned()),
        plain(period_text(
            row.checklist.period,
            row.period_start,
            row.period_end,
        )),
        plain(progress),
        (state, style),
        (failed_text, theme::BAD),
    ]
}

/// `2026-11-10 17:31:00` shown as `11-10`.
fn short_date(stored: &str) -> String {
    stored.get(5..10).unwrap_or(stored).to_owned()
}

impl Screen for ChecksScreen {
    fn keys(&self) -> &'static [KeyHint] {
        match &self.mode {
            Mode::Overview => keys::OVERVIEW,
            Mode::Run(view) => view.keys(),
            Mode::Templates(view) => view.keys(),
            Mode::Past(view) => view.keys(),
            Mode::Calendar(view) => view.keys(),
        }
    }

    fn captures_text(&self) -> bool {
        match &self.mode {
            Mode::Overview => false,
            Mode::Run(view) => view.captures_text(),
            Mode::Templates(view) => view.captures_text(),
            Mode::Past(_) => false,
            Mode::Calendar(view) => view.captures_text(),
        }
    }

    fn unsaved(&self) -> bool {
        match &self.mode {
            Mode::Overview | Mode::Past(_) => false,
            Mode::Run(view) => view.unsaved(),
            Mode::Templates(view) => view.unsaved(),
            Mode::Calendar(view) => view.unsaved(),
        }
    }

    fn data_changed(&mut self) {
        self.read_for = None;
        self.run_stale = true;
        match &mut self.mode {
            Mode::Past(view) => view.data_changed(),
            Mode::Calendar(view) => view.data_changed(),
            _ => {}
        }
    }

    fn busy(&self) -> bool {
        match &self.mode {
            Mode::Past(view) => view.busy(),
            Mode::Calendar(view) => view.busy(),
            _ => false,
        }
    }

    fn take_notice(&mut self, ctx: &Ctx) -> Option<Flash> {
        match &mut self.mode {
            Mode::Past(view) => view.take_notice(ctx),
            Mode::Calendar(view) => view.take_notice(ctx),
            _ => None,
        }
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        match &mut self.mode {
            Mode::Overview => self.overview_key(key, ctx),
            Mode::Run(view) => {
                if view.is_browsing() && matches!(key.code, KeyCode::Char('[' | ']')) {
                    let by = if key.code == KeyCode::Char('[') {
                        -1
                    } else {
                        1
                    };
                    return Some(match view.neighbour(by, ctx) {
                        Ok(other) => {
                            **view = other;
                            Action::Noop
                        }
                        Err(flash) => Action::Flash(flash),
                    });
                }
                match view.handle_key(key, ctx) {
                    RunEvent::Close => {
                        self.mode = Mode::Overview;
                        Some(Action::Noop)
                    }
                    RunEvent::Stay(flash) => Some(flash.map_or(Action::Noop, Action::Flash)),
                    RunEvent::Act(action) => Some(action),
                    RunEvent::Ignored => None,
                }
            }
            Mode::Templates(view) => match view.handle_key(key, ctx) {
                TemplatesEvent::Close => {
                    self.mode = Mode::Overview;
                    Some(Action::Noop)
                }
                TemplatesEvent::Stay(flash) => Some(flash.map_or(Action::Noop, Action::Flash)),
                TemplatesEvent::Ignored => None,
            },
            Mode::Past(view) => match view.handle_key(key, ctx) {
                PastEvent::Close => {
                    self.mode = Mode::Overview;
                    Some(Action::Noop)
                }
                PastEvent::Stay(action) => Some(action.unwrap_or(Action::Noop)),
                PastEvent::Ignored => None,
            },
            Mode::Calendar(view) => match view.handle_key(key, ctx) {
                CalendarEvent::Close => {
                    // The overview reads the calendar again: due and missed follow it.
                    self.read_for = None;
                    self.mode = Mode::Overview;
                    Some(Action::Noop)
                }
                CalendarEvent::Stay(action) => Some(action.unwrap_or(Action::Noop)),
                CalendarEvent::Ignored => None,
            },
        }
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        if std::mem::take(&mut self.run_stale)
            && let Mode::Run(view) = &mut self.mode
        {
            view.reload(ctx);
        }
        match &mut self.mode {
            Mode::Overview => {
                self.reload(ctx);
                self.render_overview(frame, area, ctx.lang);
            }
            Mode::Run(view) => view.render(frame, area, ctx),
            Mode::Templates(view) => view.render(frame, area, ctx.lang),
            Mode::Past(view) => view.render(frame, area, ctx),
            Mode::Calendar(view) => view.render(frame, area, ctx),
        }
    }
}

#[cfg(test)]
mod tests;
