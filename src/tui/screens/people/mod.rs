//! The People tab (人员): the directory of people and their departments and roles, searched and
//! filtered on the one list component, added, changed and marked as having left (never
//! deleted: the records they signed name them).

mod forms;

use crate::domain::permission::Deed;
use std::io::Write;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rusqlite::Connection;

use crate::db::directory::{self, PeopleQuery, Person, Role};
use crate::db::paging::Place;
use crate::db::sort::Sort;
use crate::exchange::people as file;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash};
use crate::tui::keys::{self, KeyHint};
use crate::tui::layout::{ListAreas, rows};
use crate::tui::screens::{Ctx, Screen};
use crate::tui::theme;
use crate::tui::widgets::audit_trail;
use crate::tui::widgets::columns::{self as table, Column};
use crate::tui::widgets::input::Input;
use crate::tui::widgets::paged::{self, Exported, Paged, Read, Source};
use crate::tui::widgets::picker::Picker;
use forms::{FormOutcome, PersonForm, roles_words};

const LIST_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k", "key.move", true),
    KeyHint::new("a", "key.add", true),
    KeyHint::new("Enter / e", "key.edit", true),
    KeyHint::new("x", "key.mark_left", true),
    KeyHint::new("/", "key.search", true),
    KeyHint::new("d", "key.filter_department", false),
    KeyHint::new("r", "key.filter_role", false),
    KeyHint::new("S", "key.sort_list", false),
    KeyHint::new("v", "key.show_left", false),
    KeyHint::new("c", "key.mark_centre", false),
    KeyHint::new("E", "key.export_list", false),
    KeyHint::new("L", "key.audit_trail", false),
    KeyHint::new("Esc", "key.clear_filters", false),
];

/// The people a filter shows.
#[derive(Debug, Clone, PartialEq)]
struct PeopleList(PeopleQuery);

impl Source for PeopleList {
    type Row = Person;
    const EXPORT_NAME: &'static str = "people";

    fn count(&self, conn: &Connection) -> rusqlite::Result<usize> {
        directory::count_people(conn, &self.0)
    }

    fn rows(&self, conn: &Connection, place: Place, rows: usize) -> Option<Read<Person>> {
        let Place::Down { offset, .. } = place else {
            return None;
        };
        Some(directory::people(conn, &self.0, offset, rows))
    }

    fn export(&self, conn: &Connection, lang: Lang, out: &mut dyn Write) -> Exported {
        let people = directory::people(conn, &self.0, 0, usize::MAX)?;
        out.write_all(&file::people_csv(&people, lang))?;
        Ok(people.len())
    }
}

/// Which filter a pick list sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterKind {
    Department,
    Role,
    Sort,
}

/// The columns `S` sorts by, with their headers' words.
fn sort_columns(lang: Lang) -> Vec<(&'static str, &'static str)> {
    directory::PEOPLE_SORTS
        .iter()
        .map(|(name, _)| {
            let key = match *name {
                "name" => "people.name",
                "department" => "people.department",
                "roles" => "people.roles",
                "employee_no" => "people.employee_no",
                _ => "people.left_on",
            };
            (*name, lang.t(key))
        })
        .collect()
}

enum Mode {
    List,
    Search,
    Filter(FilterKind, Picker),
    Form(Box<PersonForm>),
}

pub struct PeopleScreen {
    query: PeopleQuery,
    list: Paged<PeopleList>,
    search: Input,
    mode: Mode,
    /// A person just saved: the cursor goes to them once the list is read again.
    focus_id: Option<i64>,
}

impl PeopleScreen {
    pub fn new() -> PeopleScreen {
        PeopleScreen {
            query: PeopleQuery::default(),
            list: Paged::default(),
            search: Input::default(),
            mode: Mode::List,
            focus_id: None,
        }
    }

    fn load(&mut self, ctx: &Ctx, rows: usize) {
        let source = PeopleList(self.query.clone());
        self.list.load(ctx, &source, rows);
        if let Some(id) = self.focus_id.take() {
            self.find(ctx, id, rows);
        }
    }

    /// Put the cursor on the person `id`, wherever the list holds them.
    fn find(&mut self, ctx: &Ctx, id: i64, rows: usize) {
        let all = ctx.read(directory::people(ctx.db.conn(), &self.query, 0, usize::MAX));
        if let Some(at) = all.iter().position(|p| p.id == id) {
            self.list.go_to(at);
            let source = PeopleList(self.query.clone());
            self.list.load(ctx, &source, rows);
        }
    }

    /// The person under the cursor, read fresh.
    fn selected(&self, ctx: &Ctx) -> Option<Person> {
        let id = self.list.selected()?.id;
        ctx.found(directory::person(ctx.db.conn(), id))
    }

    fn has_filters(&self) -> bool {
        self.query != PeopleQuery::default()
    }

    fn open_filter(&mut self, kind: FilterKind, ctx: &Ctx) {
        let lang = ctx.lang;
        if kind == FilterKind::Sort {
            let picker = paged::sort_picker(lang, &sort_columns(lang), self.query.sort);
            self.mode = Mode::Filter(kind, picker);
            return;
        }
        let mut options = vec![(String::new(), lang.t("filter.all").to_owned())];
        let (title, current) = match kind {
            FilterKind::Department => {
                let names = ctx.read(directory::department_names(ctx.db.conn()));
                options.extend(names.into_iter().map(|n| (n.clone(), n)));
                (lang.t("people.department"), self.query.department.clone())
            }
            FilterKind::Role => {
                options.extend(
                    Role::ALL
                        .iter()
                        .map(|r| (r.key().to_owned(), lang.t(r.label_key()).to_owned())),
                );
                let current = self.query.role.map(|r| r.key().to_owned());
                (lang.t("people.roles"), current)
            }
            FilterKind::Sort => return,
        };
        let current = current.unwrap_or_default();
        self.mode = Mode::Filter(kind, Picker::new(title.to_owned(), options, &current));
    }

    fn set_filter(&mut self, kind: FilterKind, value: &str) {
        match kind {
            FilterKind::Department => {
                self.query.department = Some(value.to_owned()).filter(|v| !v.is_empty());
            }
            FilterKind::Role => self.query.role = Role::parse(value),
            FilterKind::Sort => self.query.sort = Sort::parse(value, directory::PEOPLE_SORTS),
        }
        self.list.go_top();
    }

    fn list_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        self.load(ctx, self.list.visible());
        if self.list.move_key(key, ctx) {
            return Some(Action::Noop);
        }
        let lang = ctx.lang;
        match key.code {
            KeyCode::Char('/') => self.mode = Mode::Search,
            KeyCode::Char('a') => {
                let form = PersonForm::add(ctx, self.query.department.as_deref());
                self.mode = Mode::Form(Box::new(form));
            }
            KeyCode::Enter | KeyCode::Char('e' | 'x' | 'L') => {
                let Some(person) = self.selected(ctx) else {
                    return Some(Action::Flash(Flash::error(lang.t("people.none_selected"))));
                };
                let form = match key.code {
                    KeyCode::Char('L') => {
                        return Some(Action::ShowAudit(audit_trail::Target {
                            table: "people",
                            id: person.id,
                            label: person.name,
                        }));
                    }
                    KeyCode::Char('x') if person.left_on.is_some() => {
                        let text = lang.tf("people.already_left", &[("name", &person.name)]);
                        return Some(Action::Flash(Flash::error(text)));
                    }
                    KeyCode::Char('x') => PersonForm::leave(ctx, &person),
                    _ => PersonForm::edit(ctx, &person),
                };
                self.mode = Mode::Form(Box::new(form));
            }
            KeyCode::Char('c') => {
                let Some(person) = self.selected(ctx) else {
                    return Some(Action::Flash(Flash::error(lang.t("people.none_selected"))));
                };
                let department = person.department;
                let saved = ctx.save(Deed::KeepPeople, |tx, stamp| {
                    directory::set_centre(tx, &department, stamp)
                });
                self.list.data_changed();
                let flash = match saved {
                    Ok(_) => {
                        Flash::info(lang.tf("people.centre_set", &[("department", &department)]))
                    }
                    Err(e) => Flash::error(crate::words::failure_message(&e, lang)),
                };
                return Some(Action::Flash(flash));
            }
            KeyCode::Char('d') => self.open_filter(FilterKind::Department, ctx),
            KeyCode::Char('r') => self.open_filter(FilterKind::Role, ctx),
            KeyCode::Char('S') => self.open_filter(FilterKind::Sort, ctx),
            KeyCode::Char('v') => {
                self.query.with_left = !self.query.with_left;
                self.list.go_top();
                let key = if self.query.with_left {
                    "people.left_shown"
                } else {
                    "people.left_hidden"
                };
                return Some(Action::Flash(Flash::info(lang.t(key))));
            }
            KeyCode::Char('E') => {
                let source = PeopleList(self.query.clone());
                return Some(Action::Flash(self.list.export(ctx, &source)));
            }
            KeyCode::Esc if self.has_filters() => {
                self.query = PeopleQuery::default();
                self.search = Input::default();
                self.list.go_top();
            }
            _ => return None,
        }
        Some(Action::Noop)
    }

    fn search_key(&mut self, key: KeyEvent) -> Option<Action> {
        if self.list.search(key, &mut self.search).typing() {
            self.mode = Mode::Search;
        }
        self.query.search = self.search.text().to_owned();
        Some(Action::Noop)
    }

    fn summary(&self, lang: Lang) -> Line<'static> {
        let count = if self.list.counting() {
            lang.t("people.counting").to_owned()
        } else {
            lang.tf("people.count", &[("count", &self.list.count())])
        };
        let mut spans = vec![Span::styled(format!(" {count} "), theme::TITLE)];
        let mut filter = |label: &str, value: String| {
            spans.push(Span::styled(format!(" {label}:"), theme::HINT));
            spans.push(Span::styled(value, theme::NOTICE));
        };
        if let Some(department) = &self.query.department {
            filter(lang.t("people.department"), department.clone());
        }
        if let Some(role) = self.query.role {
            filter(lang.t("people.roles"), lang.t(role.label_key()).to_owned());
        }
        if self.query.with_left {
            filter(
                lang.t("people.left_on"),
                lang.t("people.left_shown_short").to_owned(),
            );
        }
        if let Some(words) = paged::sort_words(lang, &sort_columns(lang), self.query.sort) {
            filter(lang.t("filter.sort"), words);
        }
        Line::from(spans)
    }

    fn render_list(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let searching = matches!(self.mode, Mode::Search) || !self.query.search.is_empty();
        let areas = ListAreas::of(area, searching);
        self.load(ctx, usize::from(areas.rows.height));
        let focused = matches!(self.mode, Mode::Search);
        areas.draw_top(frame, self.summary(lang), &self.search, focused);
        let specs = columns(lang);
        let shown: &[Person] = if self.list.paging() {
            &[]
        } else {
            self.list.rows()
        };
        let cells: Vec<Vec<(String, Style)>> = shown.iter().map(|p| cells(p, lang)).collect();
        let widths = table::draw_header(frame, areas.header, &specs, &table::texts(&cells));
        let empty = paged::Empty {
            none_match: "people.none_match",
            none: "people.none",
            filtered: self.has_filters(),
        };
        if self.list.render_instead(frame, areas.rows, lang, empty) {
            return;
        }
        let cursor = self.list.cursor().checked_sub(self.list.offset());
        for (i, (person, row)) in shown.iter().zip(cells).enumerate() {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(table::cells(&specs, &widths, row));
            let mut line = Line::from(spans);
            if person.left_on.is_some() {
                line = line.style(theme::MUTED);
            }
            if Some(i) == cursor {
                line = line.style(theme::SELECTED);
            }
            frame.render_widget(Paragraph::new(line), rows(areas.rows, i as u16, 1));
        }
    }
}

impl Default for PeopleScreen {
    fn default() -> PeopleScreen {
        PeopleScreen::new()
    }
}

/// The list's columns; the phone and employee number go first when narrow.
fn columns(lang: Lang) -> Vec<Column> {
    vec![
        Column::new(lang.t("people.name"), 4, 12),
        Column::new(lang.t("people.department"), 4, 14),
        Column::new(lang.t("people.roles"), 6, 30),
        Column::new(lang.t("people.phone"), 11, 13).drop(2),
        Column::new(lang.t("people.employee_no"), 4, 12).drop(1),
        Column::new(lang.t("people.left_on"), 10, 10).whole(),
    ]
}

fn cells(p: &Person, lang: Lang) -> Vec<(String, Style)> {
    let plain = |text: String| (text, Style::new());
    vec![
        plain(p.name.clone()),
        plain(p.department.clone()),
        plain(roles_words(&p.roles, lang)),
        plain(p.phone.clone()),
        plain(p.employee_no.clone()),
        plain(p.left_on.map(|d| d.to_string()).unwrap_or_default()),
    ]
}

impl Screen for PeopleScreen {
    fn keys(&self) -> &'static [KeyHint] {
        match &self.mode {
            Mode::List => LIST_KEYS,
            Mode::Search => keys::SEARCH,
            Mode::Filter(..) => keys::PICK,
            Mode::Form(_) => keys::FORM,
        }
    }

    fn captures_text(&self) -> bool {
        !matches!(self.mode, Mode::List)
    }

    fn unsaved(&self) -> bool {
        matches!(&self.mode, Mode::Form(form) if form.unsaved())
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

    fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<Action> {
        match std::mem::replace(&mut self.mode, Mode::List) {
            Mode::List => self.list_key(key, ctx),
            Mode::Search => self.search_key(key),
            Mode::Filter(kind, picker) => {
                if let Some(value) = picker.pick(key, |p| self.mode = Mode::Filter(kind, p)) {
                    self.set_filter(kind, &value);
                }
                Some(Action::Noop)
            }
            Mode::Form(mut form) => match form.handle_key(key, ctx) {
                FormOutcome::Stay(action) => {
                    self.mode = Mode::Form(form);
                    Some(action)
                }
                FormOutcome::Closed => Some(Action::Noop),
                FormOutcome::Saved((id, flash)) => {
                    self.list.data_changed();
                    self.focus_id = Some(id);
                    Some(Action::Flash(flash))
                }
            },
        }
    }

    fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        if let Mode::Form(form) = &self.mode {
            form.render(frame, area, ctx.lang);
            return;
        }
        self.render_list(frame, area, ctx);
        if let Mode::Filter(_, picker) = &self.mode {
            picker.render(frame, area);
        }
    }
}

#[cfg(test)]
mod tests;
