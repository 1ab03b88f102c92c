//! The import's review: what a file would do, checked off the key path, then written by a job
//! that shows how far it has got and can be stopped with nothing written. Only the lines in
//! view are made, so a file of 100,000 devices scrolls as fast as one of ten.

use crate::domain::permission::Deed;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::db::job::{Job, State};
use crate::db::worker::{Answer, Worker};
use crate::exchange::devices::{self as device_csv, Applied, FileProblem, ImportError, Plan};
use crate::exchange::input;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash};
use crate::tui::keys::KeyHint;
use crate::tui::screens::{Ctx, Saving};
use crate::tui::theme;
use crate::tui::widgets::wrap::wrap;

const CHECKING_KEYS: &[KeyHint] = &[KeyHint::new("Esc", "key.cancel", true)];

const CHECKED_KEYS: &[KeyHint] = &[
    KeyHint::new("y", "key.import_now", true),
    KeyHint::new("U", "key.toggle_update", true),
    KeyHint::new("j/k", "key.scroll", false),
    KeyHint::new("Esc", "key.cancel", true),
];

const WRITING_KEYS: &[KeyHint] = &[
    KeyHint::new("Esc", "key.stop_import", true),
    KeyHint::new("j/k", "key.scroll", false),
];

const WRITTEN_KEYS: &[KeyHint] = &[
    KeyHint::new("Esc", "key.back", true),
    KeyHint::new("j/k", "key.scroll", false),
];

/// What the job answers: the counts written, or why nothing was (in the operator's language).
type Written = Result<Applied, String>;

enum Stage {
    /// A worker checks the file against the register.
    Checking(Worker<Result<Plan, ImportError>>),
    Checked(Result<Arc<Plan>, ImportError>),
    Writing {
        plan: Arc<Plan>,
        job: Job<Written>,
        started: Instant,
    },
    /// The import's end, kept on screen until the operator goes back.
    Done {
        plan: Arc<Plan>,
        outcome: Flash,
    },
}

pub struct Review {
    path: PathBuf,
    update: bool,
    stage: Stage,
    scroll: usize,
}

impl Review {
    /// The file under review.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn new(path: PathBuf, update: bool, ctx: &Ctx) -> Review {
        let mut review = Review {
            path,
            update,
            stage: Stage::Checked(Ok(Arc::default())),
            scroll: 0,
        };
        review.check(ctx);
        review
    }

    /// Read and check the file on a worker (a big file takes seconds), or here for an in-memory
    /// database.
    fn check(&mut self, ctx: &Ctx) {
        self.scroll = 0;
        let (path, update) = (self.path.clone(), self.update);
        self.stage = match ctx.db.path().and_then(Worker::open) {
            Some(mut worker) => {
                worker.ask(Box::new(move |conn| Ok(read_and_plan(conn, &path, update))));
                Stage::Checking(worker)
            }
            None => Stage::Checked(read_and_plan(ctx.db.conn(), &path, update).map(Arc::new)),
        };
    }

    /// True while a worker or the job is at work: the screen is drawn again soon.
    pub fn busy(&self) -> bool {
        matches!(self.stage, Stage::Checking(_) | Stage::Writing { .. })
    }

    pub fn keys(&self) -> &'static [KeyHint] {
        match self.stage {
            Stage::Checking(_) => CHECKING_KEYS,
            Stage::Checked(_) => CHECKED_KEYS,
            Stage::Writing { .. } => WRITING_KEYS,
            Stage::Done { .. } => WRITTEN_KEYS,
        }
    }

    /// Take in what the worker or the job has finished.
    fn poll(&mut self, ctx: &Ctx) {
        match &mut self.stage {
            Stage::Checking(worker) => match worker.answer(false) {
                None => {}
                Some(Answer::Done(checked)) => self.stage = Stage::Checked(checked.map(Arc::new)),
                // The worker could not read: check here instead.
                Some(Answer::Failed) => {
                    let checked = read_and_plan(ctx.db.conn(), &self.path, self.update);
                    self.stage = Stage::Checked(checked.map(Arc::new));
                }
            },
            Stage::Writing { plan, job, .. } => {
                let written = match job.state() {
                    State::Running(_) => return,
                    State::Finished(written) => written,
                    State::Lost => Err(ctx.lang.t("import.lost").to_owned()),
                };
                let plan = plan.clone();
                self.finish(plan, written, ctx.lang);
            }
            Stage::Checked(_) | Stage::Done { .. } => {}
        }
    }

    fn finish(&mut self, plan: Arc<Plan>, written: Written, lang: Lang) {
        let outcome = match written {
            Ok(done) => {
                // The title shows the whole path; the outcome must fit the line.
                let shown = self.path.file_name().unwrap_or_default().display();
                let args: [(&str, &dyn Display); 4] = [
                    ("file", &shown),
                    ("adds", &done.added),
                    ("updates", &done.updated),
                    ("unchanged", &plan.unchanged),
                ];
                Flash::info(lang.tf("import.done", &args))
            }
            Err(reason) => Flash::error(reason),
        };
        self.stage = Stage::Done { plan, outcome };
    }

    /// Write the plan on a job with a connection of its own, or here for an in-memory database.
    fn write(&mut self, plan: Arc<Plan>, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let writing = plan.clone();
        let saving =
            ctx.save_in_background(Deed::KeepDevices, move |conn, stamp, tell| -> Written {
                let conn = conn.map_err(|e| e.message(lang))?;
                device_csv::apply(conn, &writing, stamp, tell).map_err(|e| e.message(lang))
            });
        match saving {
            Err(refused) => {
                let words = crate::words::refusal(refused.deed, &refused.roles, lang);
                self.finish(plan, Err(words), lang)
            }
            Ok(Saving::Job(job)) => {
                self.stage = Stage::Writing {
                    plan,
                    job,
                    started: Instant::now(),
                }
            }
            Ok(Saving::Done(written)) => self.finish(plan, written, lang),
        }
    }

    /// `(keep open, action)`
    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> (bool, Action) {
        let lang = ctx.lang;
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => self.scroll += 1,
            KeyCode::Char('k') | KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll += 10,
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::Char('g') | KeyCode::Home => self.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => self.scroll = usize::MAX,
            KeyCode::Esc | KeyCode::Char('q') => match &self.stage {
                Stage::Writing { job, .. } => job.stop(),
                Stage::Done { outcome, .. } => return (false, Action::Flash(outcome.clone())),
                Stage::Checking(_) | Stage::Checked(_) => return (false, Action::Noop),
            },
            KeyCode::Char('U') if matches!(self.stage, Stage::Checked(_)) => {
                self.update = !self.update;
                self.check(ctx);
            }
            KeyCode::Char('y') | KeyCode::Enter => match &self.stage {
                Stage::Checked(Err(_)) => {
                    return (
                        true,
                        Action::Flash(Flash::error(lang.t("devices.import_fix"))),
                    );
                }
                Stage::Checked(Ok(plan)) => {
                    let plan = plan.clone();
                    self.write(plan, ctx);
                }
                Stage::Done { outcome, .. } => return (false, Action::Flash(outcome.clone())),
                Stage::Checking(_) | Stage::Writing { .. } => {}
            },
            _ => {}
        }
        (true, Action::Noop)
    }

    /// The lines above the list: where the import stands, each message whole within `width`.
    fn status(&self, lang: Lang, width: u16) -> Vec<Line<'static>> {
        let line = |text: String, style: Style| {
            let lines = wrap(&text, width.saturating_sub(1));
            lines
                .into_iter()
                .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
                .collect::<Vec<_>>()
        };
        match &self.stage {
            Stage::Checking(_) => line(lang.t("devices.import_checking").to_owned(), theme::NOTICE),
            Stage::Checked(Err(error)) => {
                let count = match error {
                    ImportError::File(_) => 1,
                    ImportError::Rows(rows) => rows.len(),
                };
                let shown = self.path.display();
                let args: [(&str, &dyn Display); 2] = [("file", &shown), ("count", &count)];
                line(lang.tf("import.refused", &args), theme::FIELD_ERROR)
            }
            Stage::Checked(Ok(plan)) => {
                let counts: [(&str, &dyn Display); 3] = [
                    ("adds", &plan.adds.len()),
                    ("updates", &plan.updates.len()),
                    ("unchanged", &plan.unchanged),
                ];
                line(lang.tf("devices.import_ready", &counts), theme::NOTICE)
            }
            Stage::Writing { plan, job, started } => {
                let total = plan.adds.len() + plan.updates.len();
                let done = match job.stopping() {
                    true => None,
                    false => Some(job.done()),
                };
                // Stopping, or past the last device (no stopping then): one line says it all.
                match done {
                    None => line(lang.t("devices.import_stopping").to_owned(), theme::NOTICE),
                    Some(done) if done >= total => {
                        line(lang.t("devices.import_finishing").to_owned(), theme::NOTICE)
                    }
                    Some(done) => [
                        line(
                            writing_text(done, total, started.elapsed().as_secs(), lang),
                            theme::NOTICE,
                        ),
                        line(
                            lang.t("devices.import_writing_note").to_owned(),
                            theme::HINT,
                        ),
                    ]
                    .concat(),
                }
            }
            Stage::Done { outcome, .. } => {
                let style = match outcome.is_error {
                    true => theme::FIELD_ERROR,
                    false => theme::NOTICE,
                };
                [
                    line(outcome.text.clone(), style),
                    line(lang.t("devices.import_back").to_owned(), theme::HINT),
                ]
                .concat()
            }
        }
    }

    /// `rows` lines of the list from `from` on, and how many lines the list has.
    fn body(&self, from: usize, rows: usize, lang: Lang) -> (Vec<Line<'static>>, usize) {
        match &self.stage {
            Stage::Checking(_) => (Vec::new(), 0),
            Stage::Checked(Err(error)) => problem_lines(error, from, rows, lang),
            Stage::Checked(Ok(plan)) | Stage::Writing { plan, .. } | Stage::Done { plan, .. } => {
                plan_lines(plan, from, rows, lang)
            }
        }
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        self.poll(ctx);
        let lang = ctx.lang;
        let update = lang.t(if self.update {
            "answer.yes"
        } else {
            "answer.no"
        });
        let title = Line::from(vec![
            Span::styled(
                format!(" {} ", lang.t("devices.import_title")),
                theme::OVERLAY_TITLE,
            ),
            Span::styled(
                format!(
                    "  {}  {}: {update}",
                    self.path.display(),
                    lang.t("devices.update_existing")
                ),
                theme::HINT,
            ),
        ]);
        frame.render_widget(Paragraph::new(title), Rect { height: 1, ..area });
        let status = self.status(lang, area.width);
        let [_, status_area, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(status.len() as u16),
            Constraint::Fill(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(status), status_area);
        let rows = usize::from(body.height);
        let (_, total) = self.body(0, 0, lang);
        self.scroll = self.scroll.min(total.saturating_sub(rows));
        let (lines, _) = self.body(self.scroll, rows, lang);
        frame.render_widget(Paragraph::new(lines), body);
    }
}

/// "Importing: 34000 of 120016 devices (28%) · about 45 s left"
/// The import file read (only a regular file of a sane size) and checked against the register.
fn read_and_plan(
    conn: &rusqlite::Connection,
    path: &Path,
    update: bool,
) -> Result<Plan, ImportError> {
    let bytes = input::read(path).map_err(|problem| {
        ImportError::File(FileProblem::Input {
            path: path.to_path_buf(),
            problem,
        })
    })?;
    device_csv::plan(conn, bytes, update)
}

fn writing_text(done: usize, total: usize, seconds: u64, lang: Lang) -> String {
    let percent = done * 100 / total.max(1);
    let args: [(&str, &dyn Display); 3] =
        [("done", &done), ("total", &total), ("percent", &percent)];
    let mut text = lang.tf("import.progress", &args);
    if done > 0 && seconds > 0 {
        let left = seconds as usize * (total - done) / done;
        text.push_str(" · ");
        text.push_str(&lang.tf("devices.import_left", &[("seconds", &left)]));
    }
    text
}

/// The plan as lines: `+ tag name` for each device added, `~ tag name` and one line per
/// changed field for each device changed.
fn plan_lines(plan: &Plan, from: usize, rows: usize, lang: Lang) -> (Vec<Line<'static>>, usize) {
    let total = plan.adds.len()
        + plan
            .updates
            .iter()
            .map(|u| 1 + u.changes.len())
            .sum::<usize>();
    let mut lines = Vec::with_capacity(rows.min(total));
    let adds = plan.adds.iter_from(from).take(rows);
    lines.extend(adds.map(|(_, r)| Line::from(format!("   + {} {}", r.asset_tag, r.name))));
    let mut at = plan.adds.len();
    for u in &plan.updates {
        if lines.len() >= rows {
            break;
        }
        let size = 1 + u.changes.len();
        if at + size <= from {
            at += size;
            continue;
        }
        let head = format!(
            "   ~ {} {}",
            u.before.record.asset_tag, u.before.record.name
        );
        let changes = u.changes.iter().map(|(field, old, new)| {
            format!("       {}: {old} -> {new}", lang.t(field.label_key()))
        });
        let wanted = rows - lines.len();
        let skip = from.saturating_sub(at);
        lines.extend(
            std::iter::once(head)
                .chain(changes)
                .skip(skip)
                .take(wanted)
                .map(Line::from),
        );
        at += size;
    }
    (lines, total)
}

/// Why the file was refused, a problem a line.
fn problem_lines(
    error: &ImportError,
    from: usize,
    rows: usize,
    lang: Lang,
) -> (Vec<Line<'static>>, usize) {
    let line = |text: String| Line::from(format!("   {text}"));
    match error {
        ImportError::File(problem) => {
            let lines = (from == 0 && rows > 0).then(|| line(problem.message(lang)));
            (lines.into_iter().collect(), 1)
        }
        ImportError::Rows(problems) => {
            let shown = problems.iter().skip(from).take(rows);
            (
                shown.map(|p| line(p.message(lang))).collect(),
                problems.len(),
            )
        }
    }
}

#[cfg(test)]
mod tests;
