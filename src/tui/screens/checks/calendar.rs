//! The work calendar (`c` in the Checks overview): the marked days (holidays, make-up working
//! days, semester starts and ends) in date order; `a` marks a day, `x` takes a mark off, `E`
//! exports them in the format `jifang calendar import` reads.

use std::io::Write;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rusqlite::Connection;

use crate::db::calendar::{self, MarkedDay};
use crate::db::paging::Place;
use crate::domain::calendar::DayKind;
use crate::domain::permission::Deed;
use crate::exchange::calendar::CALENDAR_COLUMNS;
use crate::exchange::table;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash};
use crate::tui::keys::KeyHint;
use crate::tui::layout::rows;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::columns::{self as columns_table, Column};
use crate::tui::widgets::form::{Form, FormEvent, FormField};
use crate::tui::widgets::paged::{self, Exported, Paged, Read, Source};

const LIST_KEYS: &[KeyHint] = &[
    KeyHint::new("j/k PgUp/PgDn g/G", "key.move", false),
    KeyHint::new("a", "key.mark_day", true),
    KeyHint::new("x", "key.unmark_day", true),
    KeyHint::new("E", "key.export_list", false),
    KeyHint::new("Esc", "key.back", true),
];

/// Every marked day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marked;

impl Source for Marked {
    type Row = MarkedDay;
    const EXPORT_NAME: &'static str = "calendar";

    fn count(&self, conn: &Connection) -> rusqlite::Result<usize> {
        calendar::marked(conn, None).map(|d| d.len())
    }

    fn rows(&self, conn: &Connection, place: Place, rows: usize) -> Option<Read<MarkedDay>> {
        let Place::Down { offset, .. } = place else {
            return None;
        };
        Some(
            calendar::marked(conn, None)
                .map(|days| days.into_iter().skip(offset).take(rows).collect()),
        )
    }

    /// As `jifang calendar import` reads it: the kind by its key, so the file goes back in.
    fn export(&self, conn: &Connection, lang: Lang, out: &mut dyn Write) -> Exported {
        let days = calendar::marked(conn, None)?;
        let rows = days
            .iter()
            .map(|d| vec![d.day.to_string(), d.kind.key().to_owned(), d.name.clone()]);
        out.write_all(&table::csv(CALENDAR_COLUMNS, rows, |_| false, lang))?;
        Ok(days.len())
    }
}

pub enum CalendarEvent {
    Close,
    Stay(Option<Action>),
    /// Not a key of this view: the program's own keys take it.
    Ignored,
}

pub struct CalendarView {
    list: Paged<Marked>,
    form: Option<Form>,
}

/// Form fields, in order.
const DATE: usize = 0;
const KIND: usize = 1;
const NAME: usize = 2;

fn mark_form(lang: Lang, today: NaiveDate) -> Form {
    let kinds = DayKind::ALL
        .iter()
        .map(|k| (k.key().to_owned(), lang.t(k.label_key()).to_owned()))
        .collect();
    let mut name = FormField::text(lang.t("calendar_view.name").to_owned(), "");
    name.hint = Some(lang.t("calendar_view.name_hint").to_owned());
    Form::new(
        lang.t("calendar_view.mark_title").to_owned(),
        vec![
            FormField::text(lang.t("calendar_view.date").to_owned(), &today.to_string()),
            FormField::choice(
                lang.t("calendar_view.kind").to_owned(),
                DayKind::Holiday.key(),
                kinds,
            ),
            name,
        ],
    )
}

impl CalendarView {
    pub fn new() -> CalendarView {
        CalendarView {
            list: Paged::default(),
            form: None,
        }
    }

    pub fn keys(&self) -> &'static [KeyHint] {
        match self.form {
            Some(_) => super::keys::FORM,
            None => LIST_KEYS,
        }
    }

    pub fn captures_text(&self) -> bool {
        self.form.is_some()
    }

    pub fn unsaved(&self) -> bool {
        self.form.is_some()
    }

    pub fn busy(&self) -> bool {
        self.list.busy()
    }

    pub fn data_changed(&mut self) {
        self.list.data_changed();
    }

    pub fn take_notice(&mut self, ctx: &Ctx) -> Option<Flash> {
        self.list.take_notice(ctx)
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> CalendarEvent {
        if let Some(mut form) = self.form.take() {
            let flash = match form.handle_key_last_saves(key) {
                FormEvent::Close => None,
                FormEvent::Save => self.save(form, ctx),
                _ => {
                    self.form = Some(form);
                    None
                }
            };
            return CalendarEvent::Stay(flash.map(Action::Flash));
        }
        self.list.load(ctx, &Marked, self.list.visible());
        if self.list.move_key(key, ctx) {
            return CalendarEvent::Stay(None);
        }
        let flash = match key.code {
            KeyCode::Char('a') => {
                self.form = Some(mark_form(ctx.lang, ctx.today));
                None
            }
            KeyCode::Char('x') => self.unmark(ctx),
            KeyCode::Char('E') => Some(self.list.export(ctx, &Marked)),
            KeyCode::Esc => return CalendarEvent::Close,
            _ => return CalendarEvent::Ignored,
        };
        CalendarEvent::Stay(flash.map(Action::Flash))
    }

    fn save(&mut self, mut form: Form, ctx: &mut Ctx) -> Option<Flash> {
        let lang = ctx.lang;
        form.clear_errors();
        let day = crate::domain::record::parse_date(form.value(DATE));
        if day.is_none() {
            form.fields[DATE].error = Some(lang.t("calendar_import.bad_date").to_owned());
        }
        let kind = DayKind::parse(form.value(KIND));
        let (Some(day), Some(kind)) = (day, kind) else {
            form.focus_first_error();
            self.form = Some(form);
            return Some(Flash::error(lang.t("template.fix_fields")));
        };
        let marked = MarkedDay {
            day,
            kind,
            name: form.value(NAME).trim().to_owned(),
        };
        match ctx.save(Deed::KeepTemplates, |tx, stamp| {
            calendar::mark(tx, &marked, stamp)
        }) {
            Ok(_) => {
                self.list.data_changed();
                let kind = lang.t(kind.label_key());
                Some(Flash::info(lang.tf(
                    "calendar_view.marked",
                    &[("day", &day), ("kind", &kind)],
                )))
            }
            Err(e) => {
                self.form = Some(form);
                Some(Flash::error(e.to_string()))
            }
        }
    }

    fn unmark(&mut self, ctx: &mut Ctx) -> Option<Flash> {
        let (day, kind) = self.list.selected().map(|d| (d.day, d.kind))?;
        let lang = ctx.lang;
        match ctx.save(Deed::KeepTemplates, |tx, stamp| {
            calendar::unmark(tx, day, kind, stamp)
        }) {
            Ok(_) => {
                self.list.data_changed();
                let kind = lang.t(kind.label_key());
                Some(Flash::info(lang.tf(
                    "calendar_view.unmarked",
                    &[("day", &day), ("kind", &kind)],
                )))
            }
            Err(e) => Some(Flash::error(e.to_string())),
        }
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
        let lang = ctx.lang;
        if let Some(form) = &self.form {
            form.render(frame, area, lang);
            return;
        }
        let body = area.height.saturating_sub(3);
        self.list.load(ctx, &Marked, usize::from(body));
        let title = format!(
            " {}  {}",
            lang.t("calendar_view.title"),
            lang.tf("calendar_import.count", &[("count", &self.list.count())])
        );
        frame.render_widget(
            Paragraph::new(Span::styled(title, theme::TITLE)),
            rows(area, 0, 1),
        );
        let specs = vec![
            Column::new(lang.t("calendar_view.date"), 10, 10),
            Column::new("", 4, 4),
            Column::new(lang.t("calendar_view.kind"), 6, 20),
            Column::new(lang.t("calendar_view.name"), 6, 40),
        ];
        let cells: Vec<Vec<(String, Style)>> =
            crate::exchange::calendar::rows(self.list.rows(), lang)
                .into_iter()
                .map(|r| r.into_iter().map(|c| (c, Style::new())).collect())
                .collect();
        let widths = columns_table::draw_header(
            frame,
            rows(area, 1, 1),
            &specs,
            &columns_table::texts(&cells),
        );
        let place = rows(area, 2, body);
        let empty = paged::Empty {
            none_match: "calendar_view.none",
            none: "calendar_view.none",
            filtered: false,
        };
        if !self.list.render_instead(frame, place, lang, empty) {
            for (i, cells) in cells.into_iter().enumerate() {
                let mut spans = vec![Span::raw("  ")];
                spans.extend(columns_table::cells(&specs, &widths, cells));
                let mut line = Line::from(spans);
                if self.list.offset() + i == self.list.cursor() {
                    line = line.style(theme::SELECTED);
                }
                frame.render_widget(Paragraph::new(line), rows(place, i as u16, 1));
            }
        }
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(" {}", lang.t("calendar_view.hint")),
                theme::HINT,
            )),
            rows(area, area.height.saturating_sub(1), 1),
        );
    }
}
