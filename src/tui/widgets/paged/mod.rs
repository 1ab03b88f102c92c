//! The one list component: a cursor over a list read one window at a time, its count and the
//! rows in view read by workers when that takes longer than a key may wait, a window next to
//! the rows shown read on from their edge (a keyset), and a failed read kept to be said.
//! What a list holds and how it is read is its [`Source`]; the screen draws the rows.

mod keyset;
mod search;

use std::io::Write;
use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};
use rusqlite::Connection;

use crate::db::paging::{Keyed, Place};
use crate::db::sort::Sort;
use crate::db::worker::{Answer, Worker};
use crate::i18n::Lang;
use crate::tui::action::Flash;
use crate::tui::screens::{Ctx, reports_dir};
use crate::tui::theme;
use crate::tui::widgets::picker::Picker;
use keyset::Neighbour;
pub use search::{Searched, search_key};

/// A read of a list's rows.
pub type Read<R> = rusqlite::Result<Vec<R>>;

/// What one list shows (its filter, search and any time it depends on) and how to read it.
/// Two sources are equal when a count made for one holds for the other: the same filter, and
/// the same minute or day where the list depends on the clock.
pub trait Source: Clone + PartialEq + Send + 'static {
    type Row: Keyed + Clone + Send + 'static;

    /// Whether this list reads past a row ([`Place::After`], [`Place::Before`]): a list may in
    /// its own order, and not when sorted by a column.
    fn keyset(&self) -> bool {
        false
    }

    /// Whether this list reads its last rows without the count ([`Place::End`]).
    fn reads_from_end(&self) -> bool {
        false
    }

    fn count(&self, conn: &Connection) -> rusqlite::Result<usize>;

    /// Up to `rows` rows from `place`, in list order; `None` for a place this list is not read
    /// from (it says which it is in [`Source::keyset`] and [`Source::reads_from_end`]).
    fn rows(&self, conn: &Connection, place: Place, rows: usize) -> Option<Read<Self::Row>>;

    /// The start of an export's file name, e.g. `repairs`.
    const EXPORT_NAME: &'static str;

    /// Every row of the list, in its order, written to `out` as CSV for Excel and WPS; how
    /// many rows.
    fn export(&self, conn: &Connection, lang: Lang, out: &mut dyn Write) -> Exported;
}

/// The window a page was read for: which count it belongs to, its offset and height, and
/// whether it was read from the list's far end.
type Window = (u64, usize, usize, bool);

pub struct Paged<S: Source> {
    /// The list the count was made for, with the connection's change count then.
    counted: Option<(S, u64)>,
    /// Goes up with every new count: windows read for an older one are stale.
    generation: u64,
    cursor: usize,
    offset: usize,
    /// The rows in view, from `offset`.
    page: Vec<S::Row>,
    /// The rows the list holds; while `counting`, the rows known so far.
    count: usize,
    counting: bool,
    /// `G` came before the count: the list shows its last rows, read from the far end, with
    /// the cursor on the last, until the count says which rows those are.
    to_end: bool,
    /// Counts the list off the key path; opened at the first count of a file database.
    counter: Option<Worker<usize>>,
    /// Reads the rows in view when that takes longer than a key may wait.
    pager: Option<Worker<Vec<S::Row>>>,
    paging: bool,
    /// The window `page` was read for.
    paged: Option<Window>,
    /// The generation and offset of the rows in `page` once they are in: a window next to them
    /// is read on from their first or last row.
    shown: Option<(u64, usize)>,
    /// The last read that failed, until one succeeds: the screen says so instead of showing
    /// an empty list.
    failed: Option<String>,
    /// Rows the screen had room for last frame, for the paging keys.
    visible: usize,
    /// An export being written by a worker: its file and its list.
    exporting: Option<(Worker<Written>, PathBuf, S)>,
}

/// How an export ended: the rows written, or why the file could not be.
type Written = Result<usize, String>;

/// What a source's export says: the rows written, or why it stopped.
pub type Exported = Result<usize, ExportError>;

/// Why an export stopped: the list could not be read, or the file not written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Db(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl From<crate::db::audit::ReadError> for ExportError {
    fn from(e: crate::db::audit::ReadError) -> ExportError {
        match e {
            crate::db::audit::ReadError::Db(e) => ExportError::Db(e),
            crate::db::audit::ReadError::Io(e) => ExportError::Io(e),
        }
    }
}

impl<S: Source> Default for Paged<S> {
    fn default() -> Paged<S> {
        Paged {
            counted: None,
            generation: 0,
            cursor: 0,
            offset: 0,
            page: Vec::new(),
            count: 0,
            counting: false,
            to_end: false,
            counter: None,
            pager: None,
            paging: false,
            paged: None,
            shown: None,
            failed: None,
            visible: 10,
            exporting: None,
        }
    }
}

impl<S: Source> Paged<S> {
    /// Read the rows in view of `source` when the list, the window or the data (this program's
    /// writes, or another's: see [`Paged::data_changed`]) changed; an idle frame reads nothing.
    ///
    /// A new list's count is asked of a worker and the first rows are read meanwhile: the list
    /// shows at once and says it is still counting until the count comes.
    pub fn load(&mut self, ctx: &Ctx, source: &S, rows: usize) {
        self.visible = rows.max(1);
        let changes = ctx.db.conn().total_changes();
        let same = self
            .counted
            .as_ref()
            .is_some_and(|(s, c)| *c == changes && s == source);
        if !same {
            self.counted = Some((source.clone(), changes));
            self.generation += 1;
            self.paged = None;
            self.counting = self.ask_count(ctx, source);
            if !self.counting {
                self.count = self.kept(source.count(ctx.db.conn()));
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
        self.fit(rows);
        self.read_window(ctx, rows);
        if self.failed.is_some() {
            // Read again at the next key or frame, count included.
            self.counted = None;
            self.paged = None;
        }
    }

    /// Read the rows in view if they were not read for this window yet.
    fn read_window(&mut self, ctx: &Ctx, rows: usize) {
        let window = (self.generation, self.offset, rows, self.to_end);
        if self.paged == Some(window) {
            if self.paging {
                self.take_page(ctx, rows);
            }
            return;
        }
        self.paged = Some(window);
        let read = self.page_read(rows);
        match ctx.db.quick(read.clone()) {
            Some(page) => {
                // A page still on its way was for another window.
                if std::mem::take(&mut self.paging)
                    && let Some(pager) = self.pager.as_mut()
                {
                    pager.cancel();
                }
                let page = self.kept(page);
                self.show_page(ctx, rows, page);
            }
            None => match Worker::in_slot(&mut self.pager, ctx.db.path()) {
                Some(pager) => {
                    pager.ask(Box::new(read));
                    self.paging = true;
                    self.page.clear();
                }
                None => {
                    let page = self.kept(read(ctx.db.conn()));
                    self.show_page(ctx, rows, page);
                }
            },
        }
    }

    /// Keep the cursor inside the list and in view of `rows` rows.
    fn fit(&mut self, rows: usize) {
        if self.to_end {
            // The rows are read from the far end: the window is the top of that reading.
            self.offset = 0;
            return;
        }
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

    /// The value of a read, or what stands in for it once its failure is kept to be said.
    fn kept<T: Default>(&mut self, read: rusqlite::Result<T>) -> T {
        match read {
            Ok(value) => {
                self.failed = None;
                value
            }
            Err(e) => {
                self.failed = Some(e.to_string());
                T::default()
            }
        }
    }

    /// The read of the rows in view: next to the rows shown, on from their edge; otherwise,
    /// while counting, from the top (or the end after `G`); then from the nearer end.
    fn page_read(
        &self,
        rows: usize,
    ) -> impl Fn(&Connection) -> rusqlite::Result<Vec<S::Row>> + Clone + Send + 'static {
        let source = self.counted.as_ref().map(|(s, _)| s.clone());
        let (offset, count, counting, to_end) =
            (self.offset, self.count, self.counting, self.to_end);
        let neighbour = self.neighbour(rows);
        move |conn| {
            let Some(source) = &source else {
                return Ok(Vec::new());
            };
            // An error `None`: the source does not read on past a row after all.
            let on = |read: Option<rusqlite::Result<Vec<S::Row>>>| match read {
                Some(Ok(rows)) => Ok(rows),
                Some(Err(e)) => Err(Some(e)),
                None => Err(None),
            };
            if let Some(next) = &neighbour {
                match next.read(
                    |last, more| on(source.rows(conn, Place::After(last), more)),
                    |first, more| on(source.rows(conn, Place::Before(first), more)),
                ) {
                    Ok(page) => return Ok(page),
                    Err(Some(e)) => return Err(e),
                    Err(None) => {}
                }
            }
            let down = Place::Down {
                offset,
                of: (!counting).then_some(count),
            };
            let place = if to_end { Place::End } else { down };
            match source.rows(conn, place, rows) {
                Some(read) => read,
                None => source.rows(conn, down, rows).unwrap_or(Ok(Vec::new())),
            }
        }
    }

    /// How the window at `offset` joins the rows shown, when the list has not changed since
    /// they were read, the two overlap or meet, and the source can read on past a row.
    fn neighbour(&self, rows: usize) -> Option<Neighbour<S::Row>> {
        let (generation, shown_at) = self.shown?;
        if generation != self.generation || self.to_end {
            return None;
        }
        if !self.counted.as_ref().is_some_and(|(s, _)| s.keyset()) {
            return None;
        }
        Neighbour::of(&self.page, shown_at, self.offset, rows, Keyed::key)
    }

    /// Show the pager's rows if they have come.
    fn take_page(&mut self, ctx: &Ctx, rows: usize) {
        let page = match self.pager.as_mut().and_then(|p| p.answer(false)) {
            None => return,
            Some(Answer::Done(page)) => page,
            Some(Answer::Failed) => {
                let read = self.page_read(rows)(ctx.db.conn());
                self.kept(read)
            }
        };
        self.paging = false;
        self.show_page(ctx, rows, page);
    }

    /// The rows in view have been read: while counting, a short page is the list's end.
    fn show_page(&mut self, ctx: &Ctx, rows: usize, page: Vec<S::Row>) {
        self.page = page;
        self.shown = self
            .paged
            .filter(|(_, _, _, to_end)| !to_end)
            .map(|(generation, offset, _, _)| (generation, offset));
        if self.to_end {
            self.cursor = self.page.len().saturating_sub(1);
        }
        if !self.counting {
            return;
        }
        self.count = self.count.max(self.offset + self.page.len());
        if self.page.len() < rows.max(1) && !self.to_end {
            self.count = self.offset + self.page.len();
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
            self.paged = None;
            if let Some((source, _)) = self.counted.clone() {
                self.load(ctx, &source, rows);
            }
        }
    }

    /// Ask the worker for the count of `source`; false when there is none (an in-memory
    /// database), and the caller counts itself.
    fn ask_count(&mut self, ctx: &Ctx, source: &S) -> bool {
        let Some(counter) = Worker::in_slot(&mut self.counter, ctx.db.path()) else {
            return false;
        };
        let source = source.clone();
        counter.ask(Box::new(move |conn| source.count(conn)));
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
            _ => match self.counted.clone() {
                Some((source, _)) => {
                    let count = source.count(ctx.db.conn());
                    self.kept(count)
                }
                None => 0,
            },
        };
        self.counting = false;
    }

    /// Move the cursor `by` rows; until the count comes, as far as the next read finds rows.
    pub fn move_by(&mut self, by: isize, ctx: &Ctx) {
        if self.to_end {
            // The last rows are in view but not yet where they are: a step from there needs
            // the count.
            self.take_count(ctx, true);
            if let Some((source, _)) = self.counted.clone() {
                self.load(ctx, &source, self.visible);
            }
        }
        let last = if self.counting {
            isize::MAX / 2
        } else {
            self.count.saturating_sub(1) as isize
        };
        self.cursor = (self.cursor as isize + by).clamp(0, last.max(0)) as usize;
    }

    /// A page down or up: the rows the screen had room for last frame.
    pub fn page_by(&mut self, pages: isize, ctx: &Ctx) {
        self.move_by(pages * self.visible as isize, ctx);
    }

    /// The keys that move along every list alike: `j`/`k` and the arrows, `PgUp`/`PgDn`, `g`/`G`
    /// and `Home`/`End`. False when `key` is none of them.
    pub fn move_key(&mut self, key: KeyEvent, ctx: &Ctx) -> bool {
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => self.move_by(1, ctx),
            KeyCode::Char('k') | KeyCode::Up => self.move_by(-1, ctx),
            KeyCode::PageDown => self.page_by(1, ctx),
            KeyCode::PageUp => self.page_by(-1, ctx),
            KeyCode::Char('g') | KeyCode::Home => self.go_top(),
            KeyCode::Char('G') | KeyCode::End => self.go_end(ctx),
            _ => return false,
        }
        true
    }

    /// Put the cursor on row `index` of the list (a row found again after a save or a sort).
    pub fn go_to(&mut self, index: usize) {
        self.cursor = index;
        self.to_end = false;
    }

    /// `g`: the first row.
    /// A key on the list's search `line` (see [`search_key`]); a change of its words starts
    /// the list again from its top.
    pub fn search(
        &mut self,
        key: KeyEvent,
        line: &mut crate::tui::widgets::input::Input,
    ) -> Searched {
        let searched = search_key(key, line);
        if searched.changed() {
            self.go_top();
        }
        searched
    }

    pub fn go_top(&mut self) {
        self.cursor = 0;
        self.to_end = false;
    }

    /// `G`: the last row; before the count, the last rows are read from the far end where the
    /// source can, and the count is waited for where it cannot.
    pub fn go_end(&mut self, ctx: &Ctx) {
        if !self.counting {
            self.cursor = self.count.saturating_sub(1);
            return;
        }
        if self
            .counted
            .as_ref()
            .is_some_and(|(s, _)| s.reads_from_end())
        {
            self.to_end = true;
        } else {
            self.take_count(ctx, true);
            self.cursor = self.count.saturating_sub(1);
        }
    }

    /// Another program (or this one, elsewhere) changed the data: the next frame counts and
    /// reads again.
    pub fn data_changed(&mut self) {
        self.counted = None;
        self.paged = None;
        self.shown = None;
    }

    /// The row under the cursor.
    pub fn selected(&self) -> Option<&S::Row> {
        self.page.get(self.cursor.checked_sub(self.offset)?)
    }

    /// The rows in view.
    pub fn rows(&self) -> &[S::Row] {
        &self.page
    }

    /// The index in the list of the first row in view.
    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The rows the list holds; while [`Paged::counting`], those known so far.
    pub fn count(&self) -> usize {
        self.count
    }

    pub fn counting(&self) -> bool {
        self.counting
    }

    /// The rows in view are still being read.
    pub fn paging(&self) -> bool {
        self.paging
    }

    /// True while a worker's answer is on its way: the shell draws again soon.
    pub fn busy(&self) -> bool {
        self.counting || self.paging || self.exporting.is_some()
    }

    /// Why the last read failed, until one succeeds.
    pub fn failed(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// Rows the screen had room for last frame.
    pub fn visible(&self) -> usize {
        self.visible
    }

    /// `E`: every row of `source`, in its order, written as CSV into the reports folder by a
    /// worker (here, for an in-memory database); what the status bar says now. The file is
    /// named by the list and the minute, so an export never overwrites another.
    pub fn export(&mut self, ctx: &Ctx, source: &S) -> Flash {
        let lang = ctx.lang;
        if let Some((_, path, _)) = &self.exporting {
            let file = path.display().to_string();
            return Flash::error(lang.tf("list.still_exporting", &[("file", &file)]));
        }
        let name = format!(
            "{}-{}.csv",
            S::EXPORT_NAME,
            ctx.now.format("%Y-%m-%d-%H%M%S")
        );
        let path = reports_dir(ctx.db).join(name);
        let file = path.display().to_string();
        match ctx.db.path().and_then(Worker::open) {
            Some(mut worker) => {
                let (list, target) = (source.clone(), path.clone());
                worker.ask(Box::new(move |conn| {
                    Ok(write_export(conn, &list, &target, lang))
                }));
                self.exporting = Some((worker, path, source.clone()));
                Flash::info(lang.tf("list.exporting", &[("file", &file)]))
            }
            None => written_flash(
                write_export(ctx.db.conn(), source, &path, lang),
                &path,
                lang,
            ),
        }
    }

    /// What the export said once it has ended, for the status bar; taken once.
    pub fn take_notice(&mut self, ctx: &Ctx) -> Option<Flash> {
        let answer = self.exporting.as_mut()?.0.answer(false)?;
        let (_, path, source) = self.exporting.take()?;
        let written = match answer {
            Answer::Done(written) => written,
            // The worker could not read: the export is written here after all.
            Answer::Failed => write_export(ctx.db.conn(), &source, &path, ctx.lang),
        };
        Some(written_flash(written, &path, ctx.lang))
    }
}

/// Read every row of `source` and write them to `path`, its folder made if missing. A read
/// that fails is said like a write that fails: why, and which file.
fn write_export<S: Source>(conn: &Connection, source: &S, path: &Path, lang: Lang) -> Written {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let mut failed = None;
    let written = crate::exchange::write_file_with(path, |out| {
        source.export(conn, lang, out).map_err(|e| {
            let said = std::io::Error::other(e.to_string());
            failed = Some(e);
            said
        })
    });
    written.map_err(|e| failed.map_or_else(|| e.to_string(), |f| f.to_string()))
}

/// What the status bar says of an export that ended.
fn written_flash(written: Written, path: &Path, lang: Lang) -> Flash {
    let file = path.display().to_string();
    match written {
        Ok(count) => Flash::info(lang.tf("list.exported", &[("count", &count), ("file", &file)])),
        Err(reason) => Flash::error(lang.tf(
            "list.export_failed",
            &[("file", &file), ("reason", &reason)],
        )),
    }
}

/// `S`'s pick list: the list's own order, then each of `columns` (a column's name and its
/// word) ascending and descending; the cursor on `current`.
pub fn sort_picker(lang: Lang, columns: &[(&'static str, &str)], current: Sort) -> Picker {
    let mut options = vec![(String::new(), lang.t("list.own_order").to_owned())];
    for (name, word) in columns {
        for descending in [false, true] {
            let sort = Sort {
                column: Some(name),
                descending,
            };
            let way = lang.t(if descending {
                "filter.descending"
            } else {
                "filter.ascending"
            });
            options.push((sort.value(), format!("{word}, {way}")));
        }
    }
    Picker::new(
        lang.t("list.sort_title").to_owned(),
        options,
        &current.value(),
    )
}

/// The sort in the list's summary line: `sorted by: Name, descending`; nothing for the list's
/// own order.
pub fn sort_words(lang: Lang, columns: &[(&'static str, &str)], current: Sort) -> Option<String> {
    let name = current.column?;
    let (_, word) = columns.iter().find(|(n, _)| *n == name)?;
    let way = lang.t(if current.descending {
        "filter.descending"
    } else {
        "filter.ascending"
    });
    Some(format!("{word}, {way}"))
}

/// What a list says where its rows would be, when it has none to show.
pub struct Empty<'a> {
    /// Catalog key: nothing matches the filters (`Esc` clears them).
    pub none_match: &'a str,
    /// Catalog key: there is nothing at all yet.
    pub none: &'a str,
    /// A filter or search is set.
    pub filtered: bool,
}

impl<S: Source> Paged<S> {
    /// Draw, in `area`, why the list shows no rows: its read failed, its rows are still being
    /// read, or there are none (none match the filters, or none at all). False when it has
    /// rows to show, and the screen draws them.
    pub fn render_instead(&self, frame: &mut Frame, area: Rect, lang: Lang, empty: Empty) -> bool {
        if let Some(why) = self.failed() {
            render_failure(
                frame,
                Rect {
                    height: area.height.min(3),
                    ..area
                },
                why,
                lang,
            );
            return true;
        }
        let key = if self.paging() {
            "list.searching"
        } else if self.count() > 0 || self.counting() {
            return false;
        } else if empty.filtered {
            empty.none_match
        } else {
            empty.none
        };
        frame.render_widget(
            Paragraph::new(format!("  {}", lang.t(key))).style(theme::HINT),
            Rect {
                height: area.height.min(1),
                ..area
            },
        );
        true
    }
}

/// Where a list's rows would be: that they could not be read, and why.
pub fn render_failure(frame: &mut Frame, area: Rect, why: &str, lang: Lang) {
    let text = lang.tf("list.read_failed", &[("reason", &why)]);
    frame.render_widget(
        Paragraph::new(format!("  {text}"))
            .style(theme::BAD)
            .wrap(Wrap { trim: false }),
        area,
    );
}
