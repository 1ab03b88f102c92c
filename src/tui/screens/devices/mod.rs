//! The Devices tab (设备台账): the register as a table, a device's detail and history book,
//! the forms that change it, the address allocation table, and CSV import and export.

mod addresses;
mod detail;
mod editor;
mod review;
mod table;

use std::io::Write;
use std::path::PathBuf;

use rusqlite::Connection;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::{Ctx, Screen};
use crate::db::devices::{self, Device, ListQuery, SortKey};
use crate::db::paging::Place;
use crate::db::sort::Sort;
use crate::db::{device_log, directory};
use crate::domain::device::{Category, Status};
use crate::exchange::devices as device_csv;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash, Intent, RepairDraft};
use crate::tui::keys::{self, KeyHint};
use crate::tui::tabs::Tab;
use crate::tui::widgets::audit_trail;
use crate::tui::widgets::input::Input;
use crate::tui::widgets::paged::{self, Exported, Paged, Read, Source};
use crate::tui::widgets::picker::Picker;
use crate::tui::widgets::scrolled;

const LIST_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k PgUp/PgDn g/G", "key.move", false),
    KeyHint::new("Enter", "key.open", true),
    KeyHint::new("/", "key.search", true),
    KeyHint::new("a", "key.add", true),
    KeyHint::new("e", "key.edit", false),
    KeyHint::new("t", "key.transfer", false),
    KeyHint::new("s", "key.change_status", false),
    KeyHint::new("d", "key.remove", false),
    KeyHint::new("R", "key.report_repair", false),
    KeyHint::new("f c l", "key.quick_filters", true),
    KeyHint::new("v", "key.show_archived", false),
    KeyHint::new("S", "key.sort_list", false),
    KeyHint::new("i", "key.addresses", true),
    KeyHint::new("E", "key.export_list", false),
    KeyHint::new("I", "key.import_csv", false),
    KeyHint::new("Esc", "key.clear_filters", false),
];

const DETAIL_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k", "key.scroll", false),
    KeyHint::new("e", "key.edit", true),
    KeyHint::new("t", "key.transfer", true),
    KeyHint::new("s", "key.change_status", true),
    KeyHint::new("a", "key.add_line", true),
    KeyHint::new("d", "key.remove", false),
    KeyHint::new("R", "key.report_repair", false),
    KeyHint::new("w", "key.device_repairs", false),
    KeyHint::new("L", "key.audit_trail", false),
    KeyHint::new("Esc", "key.back", true),
];

const ADDRESS_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k", "key.move", true),
    KeyHint::new("a", "key.add_in_subnet", true),
    KeyHint::new("Esc", "key.back", true),
];

/// Which quick filter a pick list sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterKind {
    Status,
    Category,
    Room,
    Sort,
}

/// The columns `S` sorts the register by, with their fields' words.
fn sort_columns(lang: Lang) -> Vec<(&'static str, &'static str)> {
    SortKey::ALL
        .iter()
        .map(|k| (k.field().key(), lang.t(k.field().label_key())))
        .collect()
}

enum Mode {
    List,
    Search,
    Filter(FilterKind, Picker),
    Detail(Box<detail::Detail>),
    Edit(Box<editor::Editor>),
    Addresses(addresses::Addresses),
    Review(Box<review::Review>),
}

pub struct DevicesScreen {
    query: ListQuery,
    list: Paged<DeviceList>,
    /// Put the cursor on this device after the next read of the list.
    focus_id: Option<i64>,
    search: Input,
    mode: Mode,
    /// The file last imported (or tried): the import prompt offers it again, to finish a
    /// stopped import or retry a refused one.
    last_import: Option<PathBuf>,
    /// The data changed under the open detail (an undo, another program): read it again.
    detail_stale: bool,
}

/// The devices a filter and sort show. Rows are read by position: the first ones along the
/// sort's index, the last ones from the far end in the reverse order.
#[derive(Debug, Clone, PartialEq)]
struct DeviceList(ListQuery);

impl Source for DeviceList {
    type Row = Device;
    const EXPORT_NAME: &'static str = "devices";

    fn count(&self, conn: &Connection) -> rusqlite::Result<usize> {
        devices::list_ids(conn, &self.0).map(|ids| ids.len())
    }

    fn reads_from_end(&self) -> bool {
        true
    }

    fn rows(&self, conn: &Connection, place: Place, rows: usize) -> Option<Read<Device>> {
        devices::rows(conn, &self.0, place, rows)
    }

    fn export(&self, conn: &Connection, lang: Lang, out: &mut dyn Write) -> Exported {
        let (bytes, rows) = device_csv::export_list(conn, &self.0, lang)?;
        out.write_all(&bytes)?;
        Ok(rows)
    }
}

impl Default for DevicesScreen {
    fn default() -> DevicesScreen {
        DevicesScreen::new()
    }
}

impl DevicesScreen {
    pub fn new() -> DevicesScreen {
        DevicesScreen {
            query: ListQuery::default(),
            list: Paged::default(),
            focus_id: None,
            search: Input::default(),
            mode: Mode::List,
            last_import: None,
            detail_stale: false,
        }
    }

    /// Forget what was read: the next frame reads the list again.
    fn reload(&mut self) {
        self.list.data_changed();
    }

    /// Read the rows in view of the current filter and sort (see [`Paged::load`]); a device
    /// to focus is looked for in the whole list and the cursor put on it.
    fn load(&mut self, ctx: &Ctx, rows: usize) {
        if let Some(id) = self.focus_id.take() {
            let ids = ctx.read(devices::list_ids(ctx.db.conn(), &self.query));
            match ids.iter().position(|i| *i == id) {
                Some(at) => self.list.go_to(at),
                None => self.list.go_top(),
            }
        }
        self.list.load(ctx, &DeviceList(self.query.clone()), rows);
    }

    fn selected_id(&self) -> Option<i64> {
        self.list.selected().map(|d| d.id)
    }

    /// The device under the cursor, read fresh from the database.
    fn selected(&mut self, ctx: &Ctx) -> Option<Device> {
        self.load(ctx, self.list.visible());
        let id = self.selected_id()?;
        ctx.found(devices::get(ctx.db.conn(), id))
    }

    fn open_detail(&mut self, device: Device, ctx: &Ctx) {
        let history = ctx.read(device_log::history(ctx.db.conn(), device.id));
        self.mode = Mode::Detail(Box::new(detail::Detail::new(device, history)));
    }

    fn open_filter(&mut self, kind: FilterKind, ctx: &Ctx) {
        let lang = ctx.lang;
        let all = (String::new(), lang.t("filter.all").to_owned());
        let (title, mut options, current) = match kind {
            FilterKind::Sort => {
                // The register's own order is by asset tag.
                let current = Sort {
                    column: Some(self.query.sort.field().key()),
                    descending: self.query.descending,
                };
                let picker = paged::sort_picker(lang, &sort_columns(lang), current);
                self.mode = Mode::Filter(kind, picker);
                return;
            }
            FilterKind::Status => (
                lang.t("field.status"),
                Status::ALL
                    .iter()
                    .map(|s| (s.key().to_owned(), lang.t(s.label_key()).to_owned()))
                    .collect::<Vec<_>>(),
                self.query.status.map(|s| s.key().to_owned()),
            ),
            FilterKind::Category => (
                lang.t("field.category"),
                Category::ALL
                    .iter()
                    .map(|c| (c.key().to_owned(), lang.t(c.label_key()).to_owned()))
                    .collect(),
                self.query.category.map(|c| c.key().to_owned()),
            ),
            FilterKind::Room => (
                lang.t("filter.room"),
                devices::rooms(ctx.db.conn())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| (r.clone(), r))
                    .collect(),
                self.query.location.clone(),
            ),
        };
        options.insert(0, all);
        let picker = Picker::new(title.to_owned(), options, current.as_deref().unwrap_or(""));
        self.mode = Mode::Filter(kind, picker);
    }

    fn set_filter(&mut self, kind: FilterKind, value: &str) {
        let value = Some(value).filter(|v| !v.is_empty());
        match kind {
            FilterKind::Status => {
                self.query.status = value.and_then(Status::parse);
                // Asking for scrapped devices means showing them.
                if self.query.status == Some(Status::Scrapped) {
                    self.query.archived = true;
                }
            }
            FilterKind::Category => self.query.category = value.and_then(Category::parse),
            FilterKind::Room => self.query.location = value.map(str::to_owned),
            // Chosen through [`Self::choose_sort`], which keeps the cursor's device.
            FilterKind::Sort => return,
        }
        self.list.go_top();
    }

    fn has_filters(&self) -> bool {
        self.query.status.is_some()
            || self.query.category.is_some()
            || self.query.location.is_some()
            || !self.query.search.is_empty()
    }

    fn list_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        let lang = ctx.lang;
        // Keys act on what the list holds now, not on what the last frame showed.
        self.load(ctx, self.list.visible());
        if self.list.move_key(key, ctx) {
            return Some(Action::Noop);
        }
        match key.code {
            KeyCode::Char('/') => self.mode = Mode::Search,
            KeyCode::Enter => {
                if let Some(device) = self.selected(ctx) {
                    self.open_detail(device, ctx);
                }
            }
            KeyCode::Char('a') => {
                self.mode = Mode::Edit(Box::new(editor::Editor::add(ctx, false, None)));
            }
            KeyCode::Char(c @ ('e' | 't' | 's' | 'd')) => {
                let device = self.selected(ctx)?;
                return self.start_action(c, device, false, ctx);
            }
            KeyCode::Char('R') => {
                let device = self.selected(ctx)?;
                return Some(report_repair(&device));
            }
            KeyCode::Char('f') => self.open_filter(FilterKind::Status, ctx),
            KeyCode::Char('c') => self.open_filter(FilterKind::Category, ctx),
            KeyCode::Char('l') => self.open_filter(FilterKind::Room, ctx),
            KeyCode::Char('v') => {
                self.query.archived = !self.query.archived;
                self.reload();
                let key = if self.query.archived {
                    "devices.archived_shown"
                } else {
                    "devices.archived_hidden"
                };
                return Some(Action::Flash(Flash::info(lang.t(key))));
            }
            KeyCode::Char('S') => self.open_filter(FilterKind::Sort, ctx),
            KeyCode::Char('r') => self.keep_selection(),
            KeyCode::Char('i') => {
                self.mode = Mode::Addresses(addresses::Addresses::load(ctx));
            }
            KeyCode::Char('E') => {
                let source = DeviceList(self.query.clone());
                return Some(Action::Flash(self.list.export(ctx, &source)));
            }
            KeyCode::Char('I') => {
                let last = self.last_import.as_deref();
                self.mode = Mode::Edit(Box::new(editor::Editor::import(ctx, last)));
            }
            KeyCode::Esc if self.has_filters() => {
                self.keep_selection();
                self.query = ListQuery {
                    sort: self.query.sort,
                    descending: self.query.descending,
                    archived: self.query.archived,
                    ..ListQuery::default()
                };
                self.search = Input::default();
            }
            _ => return None,
        }
        Some(Action::Noop)
    }

    /// `S`'s choice: the register by a field, either way (by asset tag for its own order),
    /// the cursor kept on its device.
    fn choose_sort(&mut self, value: &str) {
        self.keep_selection();
        let (name, way) = value.split_once(':').unwrap_or(("", "asc"));
        self.query.sort = SortKey::ALL
            .into_iter()
            .find(|k| k.field().key() == name)
            .unwrap_or_default();
        self.query.descending = way == "desc";
    }

    /// Read the list anew with the cursor on the device it is on now (as last read), wherever
    /// that device then stands: called before the filter or sort changes.
    fn keep_selection(&mut self) {
        self.focus_id = self.selected_id();
        self.reload();
    }

    /// Open the form of `e`dit, `t`ransfer, `s`tatus, `d`elete (remove) or `a` line by hand
    /// for a device.
    fn start_action(
        &mut self,
        which: char,
        device: Device,
        from_detail: bool,
        ctx: &mut Ctx,
    ) -> Option<Action> {
        if device.is_read_only() {
            let tag = &device.record.asset_tag;
            return Some(Action::Flash(Flash::error(
                ctx.lang.tf("save.read_only", &[("tag", tag)]),
            )));
        }
        let editor = match which {
            'e' => editor::Editor::edit(ctx, device, from_detail),
            't' => editor::Editor::transfer(ctx, device, from_detail),
            's' => editor::Editor::status(ctx, device, from_detail),
            'a' => editor::Editor::line(ctx, device, from_detail),
            _ => editor::Editor::remove(ctx, device, from_detail),
        };
        self.mode = Mode::Edit(Box::new(editor));
        Some(Action::Noop)
    }

    fn search_key(&mut self, key: KeyEvent) -> Option<Action> {
        let searched = paged::search_key(key, &mut self.search);
        match searched {
            // The device under the cursor stays under it as the whole register comes back.
            paged::Searched::Cleared => self.keep_selection(),
            paged::Searched::Typed(_) => self.mode = Mode::Search,
            paged::Searched::Kept => {}
        }
        if searched.changed() {
            self.query.search = self.search.text().to_owned();
            if searched != paged::Searched::Cleared {
                self.list.go_top();
            }
        }
        Some(Action::Noop)
    }
}

impl Screen for DevicesScreen {
    fn keys(&self) -> &'static [KeyHint] {
        match &self.mode {
            Mode::List => LIST_KEYS,
            Mode::Search => keys::SEARCH,
            Mode::Filter(..) => keys::PICK,
            Mode::Detail(_) => DETAIL_KEYS,
            Mode::Edit(_) => keys::FORM,
            Mode::Addresses(_) => ADDRESS_KEYS,
            Mode::Review(review) => review.keys(),
        }
    }

    fn unsaved(&self) -> bool {
        matches!(&self.mode, Mode::Edit(edit) if edit.unsaved())
    }

    fn captures_text(&self) -> bool {
        // The review takes every key too: its footer must not offer `q` to quit or digits.
        matches!(
            self.mode,
            Mode::Search | Mode::Filter(..) | Mode::Edit(_) | Mode::Review(_)
        )
    }

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let mode = std::mem::replace(&mut self.mode, Mode::List);
        match mode {
            Mode::List => self.list_key(key, ctx),
            Mode::Search => self.search_key(key),
            Mode::Filter(kind, picker) => {
                match picker.pick(key, |p| self.mode = Mode::Filter(kind, p)) {
                    Some(value) if kind == FilterKind::Sort => self.choose_sort(&value),
                    Some(value) => self.set_filter(kind, &value),
                    None => {}
                }
                Some(Action::Noop)
            }
            Mode::Detail(mut view) => match key.code {
                KeyCode::Esc | KeyCode::Char('q') if !ctrl => {
                    self.keep_selection();
                    Some(Action::Noop)
                }
                KeyCode::Char(c @ ('e' | 't' | 's' | 'd' | 'a')) => {
                    let device = ctx.found(devices::get(ctx.db.conn(), view.device.id));
                    match device {
                        Some(device) => {
                            self.mode = Mode::Detail(view);
                            self.start_action(c, device, true, ctx)
                        }
                        None => Some(Action::Noop),
                    }
                }
                KeyCode::Char('R') => {
                    let action = report_repair(&view.device);
                    self.mode = Mode::Detail(view);
                    Some(action)
                }
                KeyCode::Char('w') => {
                    let intent = Intent::RepairsOfDevice {
                        id: view.device.id,
                        tag: view.device.record.asset_tag.clone(),
                    };
                    self.mode = Mode::Detail(view);
                    Some(Action::Open(intent))
                }
                _ => {
                    let trail = audit_trail::Target {
                        table: "devices",
                        id: view.device.id,
                        label: view.device.record.asset_tag.clone(),
                    };
                    let action = scrolled::detail_key(&key, &mut view.scroll, trail);
                    self.mode = Mode::Detail(view);
                    action
                }
            },
            Mode::Edit(mut edit) => {
                let outcome = edit.handle_key(key, ctx);
                match outcome {
                    editor::Outcome::Stay(action) => {
                        self.mode = Mode::Edit(edit);
                        Some(action)
                    }
                    editor::Outcome::Cancelled { back_to } => {
                        if let Some(device) =
                            back_to.and_then(|id| ctx.found(devices::get(ctx.db.conn(), id)))
                        {
                            self.open_detail(device, ctx);
                        }
                        Some(Action::Noop)
                    }
                    editor::Outcome::Saved { id, flash } => {
                        self.focus_id = Some(id);
                        self.reload();
                        match ctx.found(devices::get(ctx.db.conn(), id)) {
                            Some(device) if !device.removed => self.open_detail(device, ctx),
                            _ => {}
                        }
                        Some(Action::Flash(flash))
                    }
                    editor::Outcome::Review(review) => {
                        self.last_import = Some(review.path().to_path_buf());
                        self.mode = Mode::Review(review);
                        Some(Action::Noop)
                    }
                }
            }
            Mode::Addresses(mut view) => {
                match key.code {
                    KeyCode::Esc | KeyCode::Char('q') if !ctrl => return Some(Action::Noop),
                    KeyCode::Char('a') => {
                        let address = view.next_free().map(|ip| ip.to_string());
                        let editor = editor::Editor::add(ctx, false, address);
                        self.mode = Mode::Edit(Box::new(editor));
                        return Some(Action::Noop);
                    }
                    KeyCode::Char('j') | KeyCode::Down => view.move_by(1),
                    KeyCode::Char('k') | KeyCode::Up => view.move_by(-1),
                    KeyCode::PageDown => view.move_by(10),
                    KeyCode::PageUp => view.move_by(-10),
                    _ => {
                        self.mode = Mode::Addresses(view);
                        return None;
                    }
                }
                self.mode = Mode::Addresses(view);
                Some(Action::Noop)
            }
            Mode::Review(mut review) => {
                let (keep, action) = review.handle_key(key, ctx);
                if keep {
                    self.mode = Mode::Review(review);
                } else {
                    self.reload();
                }
                Some(action)
            }
        }
    }

    fn busy(&self) -> bool {
        self.list.busy() || matches!(&self.mode, Mode::Review(review) if review.busy())
    }

    fn take_notice(&mut self, ctx: &Ctx) -> Option<Flash> {
        self.list.take_notice(ctx)
    }

    fn data_changed(&mut self) {
        self.reload();
        self.detail_stale = true;
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        if std::mem::take(&mut self.detail_stale)
            && let Mode::Detail(view) = &self.mode
        {
            // An undo or another program changed it: show the device as it is now.
            match ctx.found(devices::get(ctx.db.conn(), view.device.id)) {
                Some(device) => {
                    let history = ctx.read(device_log::history(ctx.db.conn(), device.id));
                    if let Mode::Detail(view) = &mut self.mode {
                        view.refresh(device, history);
                    }
                }
                None => self.mode = Mode::List,
            }
        }
        match &mut self.mode {
            Mode::Detail(view) => view.render(frame, area, ctx),
            Mode::Edit(edit) => edit.render(frame, area, ctx.lang),
            Mode::Addresses(view) => view.render(frame, area, ctx.lang),
            Mode::Review(review) => review.render(frame, area, ctx),
            Mode::List | Mode::Search | Mode::Filter(..) => {
                table::render(self, frame, area, ctx);
                if let Mode::Filter(_, picker) = &self.mode {
                    picker.render(frame, area);
                }
            }
        }
    }
}

/// `R`: report a fault on this device in the Repairs tab, then come back here.
fn report_repair(device: &Device) -> Action {
    Action::Open(Intent::ReportRepair(RepairDraft {
        device: device.record.asset_tag.clone(),
        // The owner is offered as the reporter: the person who uses it noticed the fault.
        reporter: device.record.owner.clone(),
        department: device.record.department.clone(),
        back_to: Some(Tab::Devices),
        ..RepairDraft::default()
    }))
}

/// Suggestions for the form's people and place fields.
fn directory_names(ctx: &Ctx) -> (Vec<String>, Vec<String>) {
    let conn = ctx.db.conn();
    (
        ctx.read(directory::department_names(conn)),
        ctx.read(directory::people_names(conn, false)),
    )
}

#[cfg(test)]
mod tests;
