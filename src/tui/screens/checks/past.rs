//! A template's past runs (`h` in the overview): every run newest first with its period, who
//! signed it and when, and its pass / fail / n/a counts; one opened is shown read-only.

use std::io::Write;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rusqlite::Connection;

use super::run::{RunEvent, RunView, period_text};
use crate::db::check_runs::{self, PastRun};
use crate::db::checklists::Checklist;
use crate::db::paging::Place;
use crate::exchange::runs as file;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash};
use crate::tui::keys::KeyHint;
use crate::tui::layout::rows;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::columns::{self as table, Column};
use crate::tui::widgets::paged::{self, Exported, Paged, Read, Source};

/// The runs of one template.
#[derive(Debug, Clone)]
struct PastList(Checklist);

/// The same template's runs.
impl PartialEq for PastList {
    fn eq(&self, other: &PastList) -> bool {
        self.0.id == other.0.id
    }
}

impl Source for PastList {
    type Row = PastRun;
    const EXPORT_NAME: &'static str = "runs";

    fn count(&self, conn: &Connection) -> rusqlite::Result<usize> {
        check_runs::past_count(conn, self.0.id)
    }

    fn rows(&self, conn: &Connection, place: Place, rows: usize) -> Option<Read<PastRun>> {
        let Place::Down { offset, .. } = place else {
            return None;
        };
        Some(check_runs::past_page(conn, self.0.id, offset, rows))
    }

    fn export(&self, conn: &Connection, lang: Lang, out: &mut dyn Write) -> Exported {
        let runs = check_runs::past_page(conn, self.0.id, 0, usize::MAX)?;
        out.write_all(&file::csv(&runs, self.0.period, lang))?;
        Ok(runs.len())
    }
}

/// What a key did to the past runs.
pub enum PastEvent {
    Close,
    Stay(Option<Action>),
    /// Not a key of this view: the program's own keys take it.
    Ignored,
}

pub struct PastRuns {
    source: PastList,
    list: Paged<PastList>,
    open: Option<Box<RunView>>,
    /// The data changed under the open run (an undo, another program): read it again.
    stale: bool,
}

impl PastRuns {
    pub fn new(checklist: Checklist) -> PastRuns {
        PastRuns {
            source: PastList(checklist),
            list: Paged::default(),
            open: None,
            stale: false,
        }
    }

    pub fn keys(&self) -> &'static [KeyHint] {
        match &self.open {
            Some(view) => view.keys(),
            None => super::keys::PAST,
        }
    }

    pub fn busy(&self) -> bool {
        self.list.busy()
    }

    pub fn data_changed(&mut self) {
        self.list.data_changed();
        self.stale = true;
    }

    pub fn take_notice(&mut self, ctx: &Ctx) -> Option<Flash> {
        self.list.take_notice(ctx)
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> PastEvent {
        if let Some(view) = self.open.as_mut() {
            if matches!(key.code, KeyCode::Char('[' | ']')) {
                let by = if key.code == KeyCode::Char('[') {
                    -1
                } else {
                    1
                };
                return PastEvent::Stay(match view.neighbour(by, ctx) {
                    Ok(other) => {
                        **view = other;
                        None
                    }
                    Err(flash) => Some(Action::Flash(flash)),
                });
            }
            return match view.handle_key(key, ctx) {
                RunEvent::Close => {
                    self.open = None;
                    PastEvent::Stay(None)
                }
                RunEvent::Stay(flash) => PastEvent::Stay(flash.map(Action::Flash)),
                RunEvent::Act(action) => PastEvent::Stay(Some(action)),
                RunEvent::Ignored => PastEvent::Ignored,
            };
        }
        // Keys act on what the list holds now, not on what the last frame showed.
        self.list.load(ctx, &self.source, self.list.visible());
        if self.list.move_key(key, ctx) {
            return PastEvent::Stay(None);
        }
        match key.code {
            KeyCode::Enter => {
                let Some(id) = self.list.selected().map(|r| r.id) else {
                    return PastEvent::Stay(None);
                };
                match check_runs::load(ctx.db.conn(), id) {
                    Ok(Some(run)) => self.open = Some(Box::new(RunView::read_only(run))),
                    Ok(None) => {
                        let text = ctx.lang.t("run_error.not_found");
                        return PastEvent::Stay(Some(Action::Flash(Flash::error(text))));
                    }
                    Err(e) => {
                        let text = ctx.lang.tf("list.read_failed", &[("reason", &e)]);
                        return PastEvent::Stay(Some(Action::Flash(Flash::error(text))));
                    }
                }
            }
            KeyCode::Char('E') => {
                let flash = self.list.export(ctx, &self.source.clone());
                return PastEvent::Stay(Some(Action::Flash(flash)));
            }
            KeyCode::Esc => return PastEvent::Close,
            _ => return PastEvent::Ignored,
        }
        PastEvent::Stay(None)
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        if let Some(view) = self.open.as_mut() {
            if std::mem::take(&mut self.stale) {
                view.reload(ctx);
            }
            view.render(frame, area, ctx);
            return;
        }
        let lang = ctx.lang;
        let body = area.height.saturating_sub(2);
        self.list.load(ctx, &self.source, usize::from(body));
        let checklist = &self.source.0;
        let count = if self.list.counting() {
            lang.t("past.counting").to_owned()
        } else {
            lang.tf("past.count", &[("count", &self.list.count())])
        };
        let title = format!(" {}  {count}", checklist.name.get(lang));
        frame.render_widget(
            Paragraph::new(Span::styled(title, theme::TITLE)),
            rows(area, 0, 1),
        );
        let specs = columns(lang);
        let cells: Vec<Vec<(String, Style)>> = self
            .list
            .rows()
            .iter()
            .map(|r| row_cells(r, checklist, lang))
            .collect();
        let widths = table::draw_header(frame, rows(area, 1, 1), &specs, &table::texts(&cells));
        let place = rows(area, 2, body);
        let empty = paged::Empty {
            none_match: "past.none",
            none: "past.none",
            filtered: false,
        };
        if self.list.render_instead(frame, place, lang, empty) {
            return;
        }
        for (i, cells) in cells.into_iter().enumerate() {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(table::cells(&specs, &widths, cells));
            let mut line = Line::from(spans);
            if self.list.offset() + i == self.list.cursor() {
                line = line.style(theme::SELECTED);
            }
            frame.render_widget(Paragraph::new(line), rows(place, i as u16, 1));
        }
    }
}

/// Period, who signed and when, then the counts; the counts of n/a and unanswered go first
/// when narrow.
fn columns(lang: Lang) -> Vec<Column> {
    vec![
        Column::new(lang.t("past.period"), 10, 26),
        Column::new(lang.t("past.signed"), 8, 24).whole(),
        Column::new(lang.t("outcome.pass"), 4, 6).right(),
        Column::new(lang.t("outcome.fail"), 4, 6).right(),
        Column::new(lang.t("outcome.na"), 4, 8).right().drop(2),
        Column::new(lang.t("past.unanswered"), 4, 8).right().drop(1),
    ]
}

fn row_cells(run: &PastRun, checklist: &Checklist, lang: Lang) -> Vec<(String, Style)> {
    let timing = crate::words::timing_text(run.timing, lang);
    let signed = match (&run.signed_by, &run.signed_at) {
        (Some(by), Some(at)) if !timing.is_empty() => (
            format!("{by} {} {timing}", at.get(..16).unwrap_or(at)),
            theme::WARN,
        ),
        (Some(by), Some(at)) => (format!("{by} {}", at.get(..16).unwrap_or(at)), Style::new()),
        _ => (lang.t("past.not_signed").to_owned(), theme::BAD),
    };
    let number = |n: usize, style: Style| (n.to_string(), if n > 0 { style } else { theme::MUTED });
    vec![
        (
            period_text(checklist.period, run.period_start, run.period_end),
            Style::new(),
        ),
        signed,
        number(run.passed, Style::new()),
        number(run.failed, theme::BAD),
        number(run.not_applicable, Style::new()),
        number(run.unanswered(), theme::WARN),
    ]
}
