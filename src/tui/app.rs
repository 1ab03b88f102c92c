//! The application shell: which tab is open, overlays, messages, and routing keys to screens.

use crate::domain::permission::Deed;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

mod access;

use super::action::{Action, Flash, Intent};
use super::alerts::AlertCounts;
use super::keys;
use super::screens::audit_log::AuditLogScreen;
use super::screens::checks::ChecksScreen;
use super::screens::data::DataScreen;
use super::screens::devices::DevicesScreen;
use super::screens::people::PeopleScreen;
use super::screens::repairs::RepairsScreen;
use super::screens::reports::ReportsScreen;
use super::screens::tools::ToolsScreen;
use super::screens::{Ctx, Screen};
use super::tabs::Tab;
use super::widgets::audit_trail::AuditTrail;
use super::widgets::wrap::wrap;
use super::widgets::{footer, help, status_bar, tab_bar};
use crate::db::backup::{self, Daily};
use crate::db::{Db, audit};
use crate::i18n::Lang;

/// Below this the layout cannot show a table, a footer and the status bar.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// How long a status-bar message stays up.
const FLASH_FOR: Duration = Duration::from_secs(6);

/// How often another program's writes are taken in at most. A big import commits a short step
/// every few dozen milliseconds; reloading every screen after each one would keep the console
/// (and the import, on a 2-core machine) busy for nothing.
const NOTICE_ELSEWHERE_EVERY: Duration = Duration::from_millis(500);

pub struct App {
    pub lang: Lang,
    pub operator: String,
    pub today: NaiveDate,
    /// The gateway's host number in every /24 (see [`Ctx::gateway`]).
    pub gateway: u8,
    /// The local time of the last tick: when changes are stamped.
    now: NaiveDateTime,
    db_name: String,
    db: Db,
    tab: Tab,
    screens: Vec<Box<dyn Screen>>,
    /// `Some(scroll)` while the help overlay is open.
    help: Option<u16>,
    flash: Option<(Flash, Instant)>,
    /// A background notice waiting for the operator's own message to expire: it never hides it.
    queued_flash: Option<Flash>,
    /// The status bar's alerts, counted off the key path.
    alerts: AlertCounts,
    /// One record's audit trail, shown over the screen.
    audit: Option<AuditTrail>,
    /// The whole audit log, shown over the screen while `log_open`; its filters are kept
    /// between openings.
    log: AuditLogScreen,
    log_open: bool,
    /// A read a screen made failed: said in the status bar at the next frame.
    failed_read: std::cell::RefCell<Option<String>>,
    /// The audit log's newest row when the program started: undo reaches back to here.
    undo_since: i64,
    /// Changes already undone, and the undos themselves (by their stamp): never undone again.
    undo_skip: Vec<String>,
    /// `PRAGMA data_version` at the last tick: it moves when another program commits.
    data_version: i64,
    /// When another program's writes were last taken in.
    noticed_at: Option<Instant>,
    /// The day's backup running in the background.
    backup: Option<std::sync::mpsc::Receiver<Result<Daily, String>>>,
    /// Where the day's backups go (none in tests that do not ask), and the day of the last one
    /// started: the first tick of a new day starts the next.
    backup_dir: Option<std::path::PathBuf>,
    backup_day: Option<NaiveDate>,
    /// Why the day's backup failed: stays in the status bar until a backup succeeds.
    backup_failure: Option<String>,
    pub quit: bool,
    /// The last frame was too small to draw the screens: only quit keys act then, so nothing
    /// is typed into a form the operator cannot see.
    too_small: bool,
    /// Quitting was asked for with a form holding unsaved work: the next key answers.
    quit_asked: bool,
    /// Accounts on: who is signed in, and the sign-in screen while it covers the console.
    access: Option<access::Access>,
}

/// Every tab's screen, as a new session finds it.
fn new_screens() -> Vec<Box<dyn Screen>> {
    Tab::ALL
        .iter()
        .map(|t| match t {
            Tab::Checks => Box::new(ChecksScreen::new()) as Box<dyn Screen>,
            Tab::Devices => Box::new(DevicesScreen::new()) as Box<dyn Screen>,
            Tab::Repairs => Box::new(RepairsScreen::new()) as Box<dyn Screen>,
            Tab::Tools => Box::new(ToolsScreen::new()) as Box<dyn Screen>,
            Tab::Data => Box::new(DataScreen::new()) as Box<dyn Screen>,
            Tab::Reports => Box::new(ReportsScreen::new()) as Box<dyn Screen>,
            Tab::People => Box::new(PeopleScreen::new()) as Box<dyn Screen>,
        })
        .collect()
}

impl App {
    pub fn new(db: Db, lang: Lang, operator: String, today: NaiveDate) -> App {
        let db_name = db
            .path()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| ":memory:".to_owned());
        let screens = new_screens();
        let undo_since = audit::last_id(db.conn()).unwrap_or_default();
        let data_version = db.data_version().unwrap_or_default();
        App {
            lang,
            operator,
            today,
            gateway: 1,
            now: today.and_time(chrono::NaiveTime::MIN),
            db_name,
            db,
            tab: Tab::Checks,
            screens,
            help: None,
            flash: None,
            queued_flash: None,
            alerts: AlertCounts::default(),
            audit: None,
            log: AuditLogScreen::new(),
            log_open: false,
            failed_read: std::cell::RefCell::new(None),
            undo_since,
            undo_skip: Vec::new(),
            data_version,
            noticed_at: None,
            backup: None,
            backup_dir: None,
            backup_day: None,
            backup_failure: None,
            quit: false,
            too_small: false,
            quit_asked: false,
            access: None,
        }
    }

    /// Make the day's backup into `dir` on a thread of its own (with its own connection), unless
    /// one was made today, and again on the first tick of every new day: a console left open
    /// over midnight backs up the new day too. The result shows in the status bar.
    pub fn start_daily_backup(&mut self, dir: std::path::PathBuf) {
        self.backup_dir = Some(dir);
        self.backup_if_new_day();
    }

    fn backup_if_new_day(&mut self) {
        let Some(dir) = self.backup_dir.clone() else {
            return;
        };
        let Some(path) = self.db.path().map(|p| p.to_path_buf()) else {
            return;
        };
        if self.backup.is_some() || self.backup_day == Some(self.today) {
            return;
        }
        let today = self.today;
        self.backup_day = Some(today);
        let lang = self.lang;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = Db::open(&path)
                .map_err(|e| e.message(lang))
                .and_then(|db| backup::daily(db.conn(), &dir, today).map_err(|e| e.message(lang)));
            let _ = tx.send(result);
        });
        self.backup = Some(rx);
    }

    /// Whether the day's backup failed, and why.
    pub fn backup_failure(&self) -> Option<&str> {
        self.backup_failure.as_deref()
    }

    fn backup_finished(&mut self) {
        let Some(rx) = &self.backup else { return };
        let Ok(result) = rx.try_recv() else { return };
        self.backup = None;
        match result {
            Ok(daily) => {
                self.backup_failure = None;
                if let Some(made) = daily.made.first() {
                    let path = made.display().to_string();
                    let text = self.lang.tf("backup.daily_done", &[("path", &path)]);
                    let notice = Flash::info(text);
                    if self.flash.is_some() {
                        self.queued_flash = Some(notice);
                    } else {
                        self.flash = Some((notice, Instant::now()));
                    }
                }
            }
            Err(reason) => {
                self.backup_failure =
                    Some(self.lang.tf("backup.daily_failed", &[("reason", &reason)]));
            }
        }
    }

    /// Let every screen know another program changed the data, if one did since last asked
    /// (and not more often than [`NOTICE_ELSEWHERE_EVERY`]).
    fn notice_changes_elsewhere(&mut self, now: Instant) {
        if self
            .noticed_at
            .is_some_and(|at| now.duration_since(at) < NOTICE_ELSEWHERE_EVERY)
        {
            return;
        }
        // Unreadable, it is taken as unchanged: the next look asks again.
        let version = self.db.data_version().unwrap_or(self.data_version);
        if version != self.data_version {
            self.data_version = version;
            self.noticed_at = Some(now);
            self.data_changed();
        }
    }

    fn data_changed(&mut self) {
        self.alerts.outdate();
        for screen in &mut self.screens {
            screen.data_changed();
        }
        self.log.data_changed();
    }

    fn undo(&mut self) {
        let (operator, since) = (self.operator.clone(), self.undo_since);
        let skip = self.undo_skip.clone();
        let zh = self.lang == Lang::Zh;
        let (_, mut ctx) = self.current();
        let stamp = ctx.stamp();
        let result = ctx.save(Deed::Undo, |tx, stamp| {
            audit::undo_last(tx, &operator, since, &skip, stamp, zh)
        });
        let flash = match result {
            Ok(undone) => {
                let record = crate::words::record_words(
                    self.lang,
                    &undone.table,
                    undone.record_id,
                    &undone.name,
                );
                let text = self.lang.tf(
                    "undo.done",
                    &[
                        ("at", &undone.at),
                        ("record", &record),
                        ("rows", &undone.rows),
                    ],
                );
                self.undo_skip.push(undone.at);
                self.undo_skip.push(stamp.at_text());
                self.data_changed();
                Flash::info(text)
            }
            Err(e) => Flash::error(e.message(self.lang)),
        };
        self.flash = Some((flash, Instant::now()));
    }

    /// The database the screens read and write through.
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// True while the open screen or the status bar waits for a worker: the loop then draws
    /// again soon.
    pub fn busy(&self) -> bool {
        self.screens[self.tab.index()].busy()
            || (self.log_open && self.log.busy())
            || self.alerts.waiting()
    }

    pub fn help_open(&self) -> bool {
        self.help.is_some()
    }

    /// Called on every turn of the loop: the date rolls over at midnight (the console stays open
    /// for days) and old messages expire.
    pub fn tick(&mut self, now_local: NaiveDateTime, now: Instant) {
        self.today = now_local.date();
        self.now = now_local;
        self.backup_finished();
        self.backup_if_new_day();
        self.notice_changes_elsewhere(now);
        self.lock_if_idle(now);
        if self
            .flash
            .as_ref()
            .is_some_and(|(_, since)| now.duration_since(*since) > FLASH_FOR)
        {
            self.flash = self.queued_flash.take().map(|f| (f, now));
        }
    }

    /// Keys go to the help overlay if open, then the screen, then the global keys.
    pub fn handle_key(&mut self, key: KeyEvent) -> Action {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if std::mem::take(&mut self.quit_asked) {
            self.flash = None;
            if !ctrl && matches!(key.code, KeyCode::Char('y' | 'Y')) {
                self.quit = true;
            }
            return Action::Noop;
        }
        if self.gated() {
            return self.sign_in_key(key);
        }
        if ctrl && matches!(key.code, KeyCode::Char('c' | 'C')) {
            return Action::Quit;
        }
        if let Some(action) = self.session_key(key) {
            return action;
        }
        if self.too_small {
            return match key.code {
                KeyCode::Char('q') if !ctrl => Action::Quit,
                _ => Action::Noop,
            };
        }
        if let Some(trail) = self.audit.as_mut() {
            match key.code {
                KeyCode::Esc | KeyCode::Char('q' | 'L') => self.audit = None,
                _ if let Some(by) = keys::scroll_step(&key) => trail.scroll_by(by),
                KeyCode::Char('G') | KeyCode::End => trail.scroll_by(trail.line_count() as i32),
                KeyCode::Char('g') | KeyCode::Home => trail.scroll = 0,
                _ => {}
            }
            return Action::Noop;
        }
        if self.help.is_some() {
            return match key.code {
                KeyCode::Esc | KeyCode::Char('?' | 'q') => Action::CloseOverlay,
                KeyCode::Char('j') | KeyCode::Down => Action::ScrollHelp(1),
                KeyCode::Char('k') | KeyCode::Up => Action::ScrollHelp(-1),
                KeyCode::PageDown | KeyCode::Char(' ') => Action::ScrollHelp(10),
                KeyCode::PageUp => Action::ScrollHelp(-10),
                _ => Action::Noop,
            };
        }
        if key.code == KeyCode::F(1) {
            return Action::OpenHelp;
        }
        if self.log_open {
            let (log, mut ctx) = self.log_and_ctx();
            return log.handle_key(key, &mut ctx).unwrap_or(Action::Noop);
        }
        let (screen, mut ctx) = self.current();
        if let Some(action) = screen.handle_key(key, &mut ctx) {
            return action;
        }
        match key.code {
            KeyCode::Char(c) if !ctrl && Tab::from_digit(c).is_some() => {
                Tab::from_digit(c).map_or(Action::Noop, Action::SwitchTab)
            }
            KeyCode::Tab => Action::NextTab,
            KeyCode::BackTab => Action::PrevTab,
            KeyCode::Char('?') => Action::OpenHelp,
            KeyCode::Char('u') if !ctrl => Action::Undo,
            KeyCode::Char('L') => Action::ShowLog,
            KeyCode::Char('q') if !ctrl => Action::Quit,
            _ => Action::Noop,
        }
    }

    /// What the screens' background work finished since the last frame, for the status bar.
    fn take_notices(&mut self) {
        for index in 0..self.screens.len() {
            let (screen, ctx) = self.screen_at(index);
            if let Some(flash) = screen.take_notice(&ctx) {
                self.flash = Some((flash, Instant::now()));
            }
        }
        let (log, ctx) = self.log_and_ctx();
        if let Some(flash) = log.take_notice(&ctx) {
            self.flash = Some((flash, Instant::now()));
        }
        if let Some(reason) = self.failed_read.borrow_mut().take() {
            let text = self.lang.tf("status.read_failed", &[("reason", &reason)]);
            self.flash = Some((Flash::error(text), Instant::now()));
        }
    }

    /// The audit log, and what it works with.
    fn log_and_ctx(&mut self) -> (&mut dyn Screen, Ctx<'_>) {
        self.screen_and_ctx(None)
    }

    /// The open tab's screen, and what it works with.
    fn current(&mut self) -> (&mut dyn Screen, Ctx<'_>) {
        self.screen_and_ctx(Some(self.tab.index()))
    }

    /// The screen of tab `index` (in tab order), and what it works with.
    fn screen_at(&mut self, index: usize) -> (&mut dyn Screen, Ctx<'_>) {
        self.screen_and_ctx(Some(index))
    }

    /// A tab's screen, or (`None`) the audit log over them, and what it works with.
    fn screen_and_ctx(&mut self, tab: Option<usize>) -> (&mut dyn Screen, Ctx<'_>) {
        let screen: &mut dyn Screen = match tab {
            Some(index) => self.screens[index].as_mut(),
            None => &mut self.log,
        };
        let ctx = Ctx {
            lang: self.lang,
            today: self.today,
            now: self.now,
            operator: &self.operator,
            db: &mut self.db,
            gateway: self.gateway,
            failed_read: &self.failed_read,
            permit: self
                .access
                .as_ref()
                .map_or(super::screens::Permit::Open, |a| a.permit()),
        };
        (screen, ctx)
    }

    fn switch_to(&mut self, tab: Tab) {
        if tab != self.tab {
            self.flash = None;
        }
        self.tab = tab;
    }

    /// Carry out an action. The only place that changes the shell's state.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Noop => {}
            Action::Quit if self.screens.iter().any(|s| s.unsaved()) => {
                self.quit_asked = true;
                let text = self.lang.t("app.quit_unsaved");
                self.flash = Some((Flash::error(text), Instant::now()));
            }
            Action::Quit => self.quit = true,
            // A message is about the tab it came from: it does not follow to another.
            Action::SwitchTab(tab) => self.switch_to(tab),
            Action::NextTab => self.switch_to(self.tab.next()),
            Action::PrevTab => self.switch_to(self.tab.prev()),
            Action::OpenHelp => self.help = Some(0),
            Action::CloseOverlay if self.help.is_some() => self.help = None,
            Action::CloseOverlay => self.log_open = false,
            Action::ShowLog => {
                self.help = None;
                self.log_open = true;
            }
            Action::ScrollHelp(by) => {
                if let Some(scroll) = self.help.as_mut() {
                    let shown = if self.log_open {
                        self.log.keys()
                    } else {
                        self.screens[self.tab.index()].keys()
                    };
                    let lines = help::lines(shown, self.lang).len() as i32;
                    *scroll = (*scroll as i32 + by).clamp(0, lines.max(1) - 1) as u16;
                }
            }
            Action::Flash(flash) => self.flash = Some((flash, Instant::now())),
            Action::Open(intent) => {
                self.help = None;
                self.tab = match intent {
                    Intent::ReportRepair(_)
                    | Intent::ShowRepair(_)
                    | Intent::RepairsOfDevice { .. } => Tab::Repairs,
                };
                let (screen, mut ctx) = self.current();
                screen.open(intent, &mut ctx);
            }
            Action::Many(actions) => {
                // A message said with a move to another tab (a report saved, back to where it
                // was raised) goes with it: the move first, then the message.
                let (flashes, rest): (Vec<Action>, Vec<Action>) = actions
                    .into_iter()
                    .partition(|a| matches!(a, Action::Flash(_)));
                for action in rest.into_iter().chain(flashes) {
                    self.apply(action);
                }
            }
            Action::Undo => self.undo(),
            Action::ShowAudit(target) => {
                self.audit = Some(AuditTrail::load(self.db.conn(), &target, self.lang));
            }
        }
    }

    pub fn render(&mut self, frame: &mut Frame) {
        let area = frame.area();
        self.too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
        if self.too_small {
            render_too_small(frame, area, self.lang);
            return;
        }
        // Nothing of the data shows before someone signs in.
        if let Some(gate) = self.access.as_ref().and_then(|a| a.gate.as_ref()) {
            gate.render(frame, area, &self.db_name, self.lang);
            return;
        }
        let [tabs_area, body, footer_area, status_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        tab_bar::render(frame, tabs_area, self.tab, self.lang);
        let (screen, mut ctx) = self.current();
        screen.render(frame, body, &mut ctx);
        if self.log_open {
            let (log, mut ctx) = self.log_and_ctx();
            log.render(frame, body, &mut ctx);
        }
        self.take_notices();
        let index = self.tab.index();
        let screen_keys = if self.log_open {
            self.log.keys()
        } else {
            self.screens[index].keys()
        };
        let captures_text = if self.log_open {
            self.log.captures_text()
        } else {
            self.screens[index].captures_text()
        };
        if self.help.is_some() || self.audit.is_some() {
            footer::render(frame, footer_area, &[keys::HELP], "?", self.lang);
        } else if self.log_open && !captures_text {
            // The log is over the tab: the tab's and the global keys do not reach it.
            footer::render(frame, footer_area, &[screen_keys], "?", self.lang);
        } else if captures_text {
            footer::render(
                frame,
                footer_area,
                &[screen_keys, keys::TYPING],
                "F1",
                self.lang,
            );
        } else {
            footer::render(
                frame,
                footer_area,
                &[screen_keys, keys::GLOBAL],
                "?",
                self.lang,
            );
        }
        let alerts = self
            .alerts
            .get(&self.db, self.today, self.now, &self.failed_read);
        let info = status_bar::StatusInfo {
            checks: alerts.checks,
            late_repairs: alerts.late_repairs,
            overdue_tools: alerts.overdue_tools,
            missing_readings: alerts.missing_readings,
            operator: &self.operator,
            today: self.today,
            db_name: &self.db_name,
            flash: self.flash.as_ref().map(|(f, _)| f),
            backup_failure: self.backup_failure.as_deref(),
        };
        status_bar::render(frame, status_area, &info, self.lang);
        if let Some(scroll) = self.help {
            help::render(frame, body, screen_keys, scroll, self.lang);
        }
        if let Some(trail) = &self.audit {
            trail.render(frame, body);
        }
    }
}

fn render_too_small(frame: &mut Frame, area: Rect, lang: Lang) {
    let need = format!("{MIN_WIDTH}x{MIN_HEIGHT}");
    let have = format!("{}x{}", area.width, area.height);
    let text = lang.tf("screen.too_small", &[("need", &need), ("have", &have)]);
    let lines: Vec<Line> = wrap(&text, area.width)
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests;
