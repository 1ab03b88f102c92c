//! The audit log over any tab (`L`): every change, newest first, filtered by table, operator,
//! day and record; a row opened shows each field before and after in the screen's words.

mod table;

use std::io::Write;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use rusqlite::Connection;

use super::{Ctx, Screen};
use crate::db::audit::{self, Entry, log};
use crate::db::paging::Place;
use crate::exchange::audit as file;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash};
use crate::tui::keys::{self, KeyHint};
use crate::tui::widgets::audit_trail;
use crate::tui::widgets::input::Input;
use crate::tui::widgets::paged::{Exported, Paged, Read, Source};
use crate::tui::widgets::picker::Picker;

const LIST_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k PgUp/PgDn g/G", "key.move", false),
    KeyHint::new("Enter", "key.open", true),
    KeyHint::new("t", "key.filter_table", true),
    KeyHint::new("w", "key.filter_operator", true),
    KeyHint::new("[ / ]", "key.filter_day", true),
    KeyHint::new("/", "key.filter_record", true),
    KeyHint::new("E", "key.export_list", false),
    KeyHint::new("Esc", "key.clear_filters", false),
    KeyHint::new("L / q", "key.close", true),
    KeyHint::new("? / F1", "key.help", false),
];

const ENTRY_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k", "key.scroll", true),
    KeyHint::new("Esc / q", "key.back", true),
    KeyHint::new("? / F1", "key.help", false),
];

const RECORD_KEYS: &[KeyHint] = &[
    KeyHint::new("Enter", "key.search_done", true),
    KeyHint::new("Esc", "key.cancel", true),
];

/// The entries a filter shows.
#[derive(Debug, Clone, PartialEq)]
struct LogList(log::LogQuery);

impl Source for LogList {
    type Row = Entry;
    const EXPORT_NAME: &'static str = "audit";

    fn keyset(&self) -> bool {
        true
    }

    fn reads_from_end(&self) -> bool {
        true
    }

    fn count(&self, conn: &Connection) -> rusqlite::Result<usize> {
        log::count(conn, &self.0)
    }

    fn rows(&self, conn: &Connection, place: Place, rows: usize) -> Option<Read<Entry>> {
        Some(log::rows(conn, &self.0, place, rows))
    }

    fn export(&self, conn: &Connection, lang: Lang, out: &mut dyn Write) -> Exported {
        let mut rows = file::CsvRows::new(out, lang);
        log::for_each(conn, &self.0, |e| rows.entry(e))?;
        Ok(rows.finish()?)
    }
}

/// Which filter a pick list sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterKind {
    Table,
    Operator,
}

/// One entry opened: its title and lines, scrolled.
struct EntryView {
    title: String,
    lines: Vec<Line<'static>>,
    scroll: u16,
}

enum Mode {
    List,
    Filter(FilterKind, Picker),
    /// Typing the name of a record: an asset tag, a ticket, a tool code, a requisition.
    Record(Input),
    Entry(EntryView),
}

pub struct AuditLogScreen {
    query: log::LogQuery,
    /// The record filter as the operator typed it.
    record_name: Option<String>,
    list: Paged<LogList>,
    mode: Mode,
}

impl Default for AuditLogScreen {
    fn default() -> AuditLogScreen {
        AuditLogScreen::new()
    }
}

/// What a table's rows are called in the screen's language.
fn table_words(table: &str, lang: Lang) -> String {
    let key = format!("audit_table.{table}");
    let word = lang.t(&key);
    if word == key {
        table.to_owned()
    } else {
        word.to_owned()
    }
}

impl AuditLogScreen {
    pub fn new() -> AuditLogScreen {
        AuditLogScreen {
            query: log::LogQuery::default(),
            record_name: None,
            list: Paged::default(),
            mode: Mode::List,
        }
    }

    fn source(&self) -> LogList {
        LogList(self.query.clone())
    }

    fn has_filters(&self) -> bool {
        self.query != log::LogQuery::default()
    }

    fn filtered(&mut self) {
        self.list.go_top();
    }

    fn open_filter(&mut self, kind: FilterKind, ctx: &Ctx) -> Option<Action> {
        let lang = ctx.lang;
        let all = (String::new(), lang.t("filter.all").to_owned());
        let (title, names, current) = match kind {
            FilterKind::Table => {
                let mut tables = audit::audited_tables(ctx.db.conn());
                if let Ok(tables) = &mut tables {
                    // The log's own rows: the chain's first row, and triggers put back.
                    tables.push(audit::TABLE.to_owned());
                    tables.push(audit::chain::TRIGGERS_TABLE.to_owned());
                }
                let options = tables.map(|tables| {
                    tables
                        .into_iter()
                        .map(|t| {
                            let words = table_words(&t, lang);
                            (t, words)
                        })
                        .collect::<Vec<_>>()
                });
                (lang.t("audit.col_table"), options, self.query.table.clone())
            }
            FilterKind::Operator => {
                let options = log::operators(ctx.db.conn())
                    .map(|names| names.into_iter().map(|n| (n.clone(), n)).collect());
                (
                    lang.t("audit.col_operator"),
                    options,
                    self.query.operator.clone(),
                )
            }
        };
        let options = match names {
            Ok(options) => options,
            Err(e) => {
                let text = lang.tf("list.read_failed", &[("reason", &e)]);
                return Some(Action::Flash(Flash::error(text)));
            }
        };
        let options = std::iter::once(all).chain(options).collect();
        let picker = Picker::new(title.to_owned(), options, &current.unwrap_or_default());
        self.mode = Mode::Filter(kind, picker);
        None
    }

    fn set_filter(&mut self, kind: FilterKind, value: String) {
        let value = Some(value).filter(|v| !v.is_empty());
        match kind {
            FilterKind::Table => {
                self.query.table = value;
                self.query.record = None;
                self.record_name = None;
            }
            FilterKind::Operator => self.query.operator = value,
        }
        self.filtered();
    }

    /// `[` and `]`: the day filter steps back and forward; past today it is cleared.
    fn step_day(&mut self, forward: bool, today: NaiveDate) {
        self.query.day = match (self.query.day, forward) {
            (None, false) => Some(today),
            (None, true) => None,
            (Some(d), false) => d.pred_opt(),
            (Some(d), true) => d.succ_opt().filter(|n| *n <= today),
        };
        self.filtered();
    }

    /// The record the operator named, or why there is none.
    fn set_record(&mut self, name: &str, ctx: &Ctx) -> Option<Action> {
        let lang = ctx.lang;
        let name = name.trim();
        if name.is_empty() {
            self.query.record = None;
            self.record_name = None;
            self.filtered();
            return None;
        }
        match log::find_record(ctx.db.conn(), name) {
            Ok(Some(record)) => {
                self.query.table = None;
                self.query.record = Some(record);
                self.record_name = Some(name.to_owned());
                self.filtered();
                None
            }
            Ok(None) => Some(Action::Flash(Flash::error(
                lang.tf("audit.no_record", &[("name", &name)]),
            ))),
            Err(e) => Some(Action::Flash(Flash::error(
                lang.tf("list.read_failed", &[("reason", &e)]),
            ))),
        }
    }

    fn open_entry(&mut self, ctx: &Ctx) {
        let Some(entry) = self.list.selected().cloned() else {
            return;
        };
        let lang = ctx.lang;
        let conn = ctx.db.conn();
        let name = audit::record_name(conn, &entry, lang == Lang::Zh)
            .unwrap_or_else(|| format!("#{}", entry.record_id));
        let what = format!("{} {}", table_words(&entry.table, lang), name);
        self.mode = Mode::Entry(EntryView {
            title: lang.tf("audit.title", &[("what", &what)]),
            lines: audit_trail::lines(conn, std::slice::from_ref(&entry), lang),
            scroll: 0,
        });
    }

    fn list_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        // Keys act on what the list holds now, not on what the last frame showed.
        self.list.load(ctx, &self.source(), self.list.visible());
        if self.list.move_key(key, ctx) {
            return None;
        }
        match key.code {
            KeyCode::Enter => self.open_entry(ctx),
            KeyCode::Char('t') => return self.open_filter(FilterKind::Table, ctx),
            KeyCode::Char('w') => return self.open_filter(FilterKind::Operator, ctx),
            KeyCode::Char('[') => self.step_day(false, ctx.today),
            KeyCode::Char(']') => self.step_day(true, ctx.today),
            KeyCode::Char('/') => {
                let mut input = Input::default();
                input.set(self.record_name.as_deref().unwrap_or_default());
                self.mode = Mode::Record(input);
            }
            KeyCode::Char('E') => {
                let source = self.source();
                return Some(Action::Flash(self.list.export(ctx, &source)));
            }
            KeyCode::Esc if self.has_filters() => {
                self.query = log::LogQuery::default();
                self.record_name = None;
                self.filtered();
            }
            KeyCode::Esc | KeyCode::Char('q' | 'L') => return Some(Action::CloseOverlay),
            KeyCode::Char('?') => return Some(Action::OpenHelp),
            _ => {}
        }
        // The log is over the tab: no key falls through to the screen beneath.
        None
    }
}

impl Screen for AuditLogScreen {
    fn keys(&self) -> &'static [KeyHint] {
        match self.mode {
            Mode::List => LIST_KEYS,
            Mode::Filter(..) => keys::PICK,
            Mode::Record(_) => RECORD_KEYS,
            Mode::Entry(_) => ENTRY_KEYS,
        }
    }

    fn captures_text(&self) -> bool {
        matches!(self.mode, Mode::Filter(..) | Mode::Record(_))
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        let mode = std::mem::replace(&mut self.mode, Mode::List);
        let action = match mode {
            Mode::List => self.list_key(key, ctx),
            Mode::Filter(kind, picker) => {
                if let Some(value) = picker.pick(key, |p| self.mode = Mode::Filter(kind, p)) {
                    self.set_filter(kind, value);
                }
                None
            }
            Mode::Record(mut input) => match key.code {
                KeyCode::Esc => None,
                KeyCode::Enter => {
                    let action = self.set_record(input.text(), ctx);
                    if action.is_some() {
                        // Not found: the name stays to be corrected.
                        self.mode = Mode::Record(input);
                    }
                    action
                }
                _ => {
                    input.handle_key(key);
                    self.mode = Mode::Record(input);
                    None
                }
            },
            Mode::Entry(mut view) => {
                match key.code {
                    KeyCode::Esc | KeyCode::Char('q') => return Some(Action::Noop),
                    KeyCode::Char('?') => {
                        self.mode = Mode::Entry(view);
                        return Some(Action::OpenHelp);
                    }
                    _ if let Some(by) = keys::scroll_step(&key) => {
                        view.scroll = view.scroll.saturating_add_signed(by as i16);
                    }
                    _ => {}
                }
                let last = view.lines.len().saturating_sub(1) as u16;
                view.scroll = view.scroll.min(last);
                self.mode = Mode::Entry(view);
                None
            }
        };
        Some(action.unwrap_or(Action::Noop))
    }

    fn data_changed(&mut self) {
        self.list.data_changed();
    }

    fn busy(&self) -> bool {
        self.list.busy()
    }

    fn take_notice(&mut self, ctx: &Ctx) -> Option<Flash> {
        self.list.take_notice(ctx)
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        table::render(self, frame, area, ctx);
    }
}

#[cfg(test)]
mod tests;
