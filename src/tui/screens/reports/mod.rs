//! The Reports tab (报表): the chosen month's (or, `w`, week's) key figures with bar charts,
//! every summary figure in a scrolling table, and the pack exported with one key (in the
//! background, with progress, while the screen stays live).

mod draw;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::{Ctx, Screen};
use crate::db::Db;
use crate::db::month;
use crate::db::worker::{Answer, Worker};
use crate::domain::month::Month;
use crate::exchange::month::summary::Summary;
use crate::exchange::month::{STEPS, Step, export as export_pack};
use crate::i18n::Lang;
use crate::tui::action::Action;
use crate::tui::keys::KeyHint;

const KEYS: &[KeyHint] = &[
    KeyHint::new("[ / ]", "key.month_step", true),
    KeyHint::new("e", "key.export_month", true),
    KeyHint::new("w", "key.month_or_week", true),
    KeyHint::new("j/k PgUp/PgDn g/G", "key.scroll", true),
];

/// What an export running in the background reports.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Progress {
    Step(String),
    Done(String),
    Failed(String),
}

/// The last word about an export: progress while it runs, then its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportLine {
    pub text: String,
    pub is_error: bool,
    pub running: bool,
}

struct Loaded {
    month: Month,
    summary: Result<Summary, String>,
}

pub struct ReportsScreen {
    /// `None` follows the clock: the month (or week) before this one, the one a report is
    /// due for.
    month: Option<Month>,
    /// The weekly report is shown rather than the monthly one.
    weekly: bool,
    loaded: Option<Loaded>,
    /// Reads the month's figures off the key path: ten years of history take seconds.
    reader: Option<Worker<Summary>>,
    /// The month the reader was asked for, while its answer is to come.
    asked: Option<Month>,
    /// The month, the day and the connection's change count the figures were asked for;
    /// `None` after another program's write.
    read_for: Option<(Month, NaiveDate, u64)>,
    /// The first line of the figure table shown.
    offset: usize,
    table_rows: usize,
    export: Option<ExportLine>,
    running: Option<Receiver<Progress>>,
}

impl Default for ReportsScreen {
    fn default() -> ReportsScreen {
        ReportsScreen::new()
    }
}

/// The month's figures read on the screen's own connection; a failure in words.
fn read_summary(ctx: &Ctx, month: Month) -> Result<Summary, String> {
    month::read(ctx.db.conn(), month, ctx.now, |_| {})
        .map(|pack| Summary::of(&pack))
        .map_err(|e| ctx.lang.tf("save.db", &[("reason", &e)]))
}

/// Read and write a month's pack, telling `send` each step and how it ended.
fn export(
    conn: &Connection,
    month: Month,
    now: NaiveDateTime,
    dir: &Path,
    lang: Lang,
    send: &mut dyn FnMut(Progress),
) {
    let written = export_pack(conn, month, now, dir, lang, |step, what| {
        let what = match what {
            Step::Reading(part) => lang.t(part).to_owned(),
            Step::Wrote(w) => w
                .path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
        };
        send(Progress::Step(format!("[{step}/{STEPS}] {what}")));
    });
    send(match written {
        Ok(files) => {
            let (label, shown) = (month.label(), dir.display());
            let args: [(&str, &dyn std::fmt::Display); 3] =
                [("month", &label), ("files", &files.len()), ("dir", &shown)];
            Progress::Done(lang.tf(
                if month.is_week() {
                    "month.done_week"
                } else {
                    "month.done"
                },
                &args,
            ))
        }
        Err(e) => Progress::Failed(e.message(lang)),
    });
}

impl ReportsScreen {
    pub fn new() -> ReportsScreen {
        ReportsScreen {
            month: None,
            weekly: false,
            loaded: None,
            offset: 0,
            table_rows: 5,
            export: None,
            running: None,
            reader: None,
            asked: None,
            read_for: None,
        }
    }

    fn month(&self, today: chrono::NaiveDate) -> Month {
        let this = if self.weekly {
            Month::week_of(today)
        } else {
            Month::of(today)
        };
        self.month.unwrap_or(this.previous())
    }

    /// `w`: the weekly report, or back to the monthly one, for the period before this one.
    fn switch_kind(&mut self) {
        self.weekly = !self.weekly;
        self.month = None;
        self.offset = 0;
    }

    /// The figures of the month shown, read again when the month, the day or the data
    /// changed. On a file a worker reads them and the screen says so meanwhile (the last
    /// figures of the same month stay up); an in-memory database is read at once.
    fn load(&mut self, ctx: &Ctx) {
        let month = self.month(ctx.today);
        let want = (month, ctx.today, ctx.db.conn().total_changes());
        if let Some(reader) = self.reader.as_mut()
            && let Some(answer) = reader.answer(false)
            && let Some(month) = self.asked.take()
        {
            let summary = match answer {
                Answer::Done(summary) => Ok(summary),
                // Failed or cut short: read here, which also words the error.
                Answer::Failed => read_summary(ctx, month),
            };
            self.loaded = Some(Loaded { month, summary });
        }
        if self.read_for == Some(want) {
            return;
        }
        self.read_for = Some(want);
        match Worker::in_slot(&mut self.reader, ctx.db.path()) {
            Some(reader) => {
                let now = ctx.now;
                reader.ask(Box::new(move |conn| {
                    month::read(conn, month, now, |_| {}).map(|pack| Summary::of(&pack))
                }));
                self.asked = Some(month);
            }
            None => {
                let summary = read_summary(ctx, month);
                self.loaded = Some(Loaded { month, summary });
            }
        }
    }

    /// The figures to show for `month`: none while another month's are all there is.
    fn shown(&self, month: Month) -> Option<&Result<Summary, String>> {
        self.loaded
            .as_ref()
            .filter(|l| l.month == month)
            .map(|l| &l.summary)
    }

    fn step_month(&mut self, forward: bool, ctx: &Ctx) {
        let month = self.month(ctx.today);
        let next = if forward {
            month.next()
        } else {
            month.previous()
        };
        if next <= month.holding(ctx.today) {
            self.month = Some(next);
            self.offset = 0;
        }
    }

    /// Take what the background export has said since the last look.
    fn poll(&mut self) {
        while let Some(rx) = &self.running {
            match rx.try_recv() {
                Ok(progress) => self.note(progress),
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => self.running = None,
            }
        }
    }

    fn note(&mut self, progress: Progress) {
        let (text, is_error, running) = match progress {
            Progress::Step(text) => (text, false, true),
            Progress::Done(text) => (text, false, false),
            Progress::Failed(text) => (text, true, false),
        };
        self.export = Some(ExportLine {
            text,
            is_error,
            running,
        });
    }

    fn start_export(&mut self, ctx: &mut Ctx) {
        if self.running.is_some() {
            return;
        }
        let (month, now, lang) = (self.month(ctx.today), ctx.now, ctx.lang);
        let dir = super::reports_dir(ctx.db);
        let Some(path) = ctx.db.path().map(Path::to_path_buf) else {
            // In memory there is no file another connection could read: export right here.
            let mut said = Vec::new();
            export(ctx.db.conn(), month, now, &dir, lang, &mut |p| said.push(p));
            for p in said {
                self.note(p);
            }
            return;
        };
        let (tx, rx) = mpsc::channel();
        self.running = Some(rx);
        self.note(Progress::Step(format!("[0/{STEPS}]")));
        // Its own connection: the export reads one snapshot while this one keeps working.
        std::thread::spawn(move || {
            let mut send = |p: Progress| {
                let _ = tx.send(p);
            };
            match Db::open(&path) {
                Ok(db) => export(db.conn(), month, now, &dir, lang, &mut send),
                Err(e) => send(Progress::Failed(e.message(lang))),
            }
        });
    }

    fn scroll(&mut self, by: isize) {
        self.offset = self.offset.saturating_add_signed(by);
    }
}

impl Screen for ReportsScreen {
    fn keys(&self) -> &'static [KeyHint] {
        KEYS
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        self.poll();
        let page = self.table_rows.max(1) as isize;
        match key.code {
            KeyCode::Char('[') => self.step_month(false, ctx),
            KeyCode::Char(']') => self.step_month(true, ctx),
            KeyCode::Char('e') => self.start_export(ctx),
            KeyCode::Char('w') => self.switch_kind(),
            KeyCode::Char('j') | KeyCode::Down => self.scroll(1),
            KeyCode::Char('k') | KeyCode::Up => self.scroll(-1),
            KeyCode::PageDown => self.scroll(page),
            KeyCode::PageUp => self.scroll(-page),
            KeyCode::Char('g') | KeyCode::Home => self.offset = 0,
            KeyCode::Char('G') | KeyCode::End => self.offset = usize::MAX,
            _ => return None,
        }
        Some(Action::Noop)
    }

    fn data_changed(&mut self) {
        self.read_for = None;
    }

    fn busy(&self) -> bool {
        self.asked.is_some()
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        self.poll();
        self.load(ctx);
        draw::render(self, frame, area, ctx);
    }
}
