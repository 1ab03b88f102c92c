//! The People tab's forms: a person added or changed, and marked as having left on a day.

use crate::domain::permission::Deed;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::db::directory::{self, Person, PersonError, PersonInput, Role, Roles};
use crate::domain::reading::parse_day;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash};
use crate::tui::screens::Ctx;
use crate::tui::widgets::form::{FormEvent, FormField, KeyedForm, Outcome};

/// The fields the forms are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum F {
    Name,
    Department,
    Roles,
    Phone,
    EmployeeNo,
    LeftOn,
}

impl F {
    fn label_key(self) -> &'static str {
        match self {
            F::Name => "people.name",
            F::Department => "people.department",
            F::Roles => "people.roles",
            F::Phone => "people.phone",
            F::EmployeeNo => "people.employee_no",
            F::LeftOn => "people.left_on",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Add,
    Edit { id: i64, version: i64 },
    Leave { id: i64, version: i64 },
}

pub struct PersonForm {
    purpose: Purpose,
    form: KeyedForm<F>,
}

/// Where a key left the form; saved: the person's id, and what the status bar says.
pub type FormOutcome = Outcome<(i64, Flash)>;

pub use crate::words::roles_words;

impl PersonForm {
    /// Something was typed since the form opened.
    pub fn unsaved(&self) -> bool {
        self.form.dirty
    }

    fn text(ctx: &Ctx, f: F, value: &str) -> (F, FormField) {
        let lang = ctx.lang;
        let mut field = FormField::text(lang.t(f.label_key()).to_owned(), value);
        match f {
            F::Department => {
                field.suggestions = ctx.read(directory::department_names(ctx.db.conn()));
                field.hint = Some(lang.t("people.department_hint").to_owned());
            }
            F::Roles => {
                let roles = roles_words(&Roles::new(Role::ALL), lang);
                field.hint = Some(lang.tf("people.roles_hint", &[("roles", &roles)]));
            }
            F::LeftOn => field.hint = Some(lang.t("people.left_on_hint").to_owned()),
            _ => {}
        }
        (f, field)
    }

    fn person_fields(ctx: &Ctx, p: Option<&Person>) -> Vec<(F, FormField)> {
        let value = |get: fn(&Person) -> String| p.map(get).unwrap_or_default();
        let roles = p.map_or(String::new(), |p| roles_words(&p.roles, ctx.lang));
        vec![
            Self::text(ctx, F::Name, &value(|p| p.name.clone())),
            Self::text(ctx, F::Department, &value(|p| p.department.clone())),
            Self::text(ctx, F::Roles, &roles),
            Self::text(ctx, F::Phone, &value(|p| p.phone.clone())),
            Self::text(ctx, F::EmployeeNo, &value(|p| p.employee_no.clone())),
        ]
    }

    /// A new person, in `department` when the list is filtered to one.
    pub fn add(ctx: &Ctx, department: Option<&str>) -> PersonForm {
        let mut fields = Self::person_fields(ctx, None);
        for field in &mut fields {
            if let (F::Department, Some(department)) = (field.0, department) {
                *field = Self::text(ctx, F::Department, department);
            }
        }
        PersonForm {
            purpose: Purpose::Add,
            form: KeyedForm::new(ctx.lang.t("people.add_title").to_owned(), fields),
        }
    }

    pub fn edit(ctx: &Ctx, p: &Person) -> PersonForm {
        let title = ctx.lang.tf("people.edit_title", &[("name", &p.name)]);
        PersonForm {
            purpose: Purpose::Edit {
                id: p.id,
                version: p.row_version,
            },
            form: KeyedForm::new(title, Self::person_fields(ctx, Some(p))),
        }
    }

    /// Mark `p` as having left, today unless another day is typed.
    pub fn leave(ctx: &Ctx, p: &Person) -> PersonForm {
        let title = ctx.lang.tf("people.leave_title", &[("name", &p.name)]);
        let day = Self::text(ctx, F::LeftOn, &ctx.today.to_string());
        PersonForm {
            purpose: Purpose::Leave {
                id: p.id,
                version: p.row_version,
            },
            form: KeyedForm::new(title, vec![day]),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> FormOutcome {
        match self.form.handle_key_last_saves(key) {
            FormEvent::Nothing | FormEvent::Changed => FormOutcome::Stay(Action::Noop),
            FormEvent::Close => FormOutcome::Closed,
            FormEvent::Save => self.save(ctx),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        self.form.render(frame, area, lang);
    }

    /// The typed person, or `None` with the roles field marked when a word names no role.
    fn person_input(&mut self, lang: Lang) -> Option<PersonInput> {
        let typed = self.form.value(F::Roles);
        let roles = match parse_roles(&typed) {
            Ok(roles) => roles,
            Err(word) => {
                let message = lang.tf("people.bad_role", &[("role", &word)]);
                self.form.set_error(F::Roles, message);
                return None;
            }
        };
        Some(PersonInput {
            name: self.form.value(F::Name),
            department: self.form.value(F::Department),
            roles,
            phone: self.form.value(F::Phone),
            employee_no: self.form.value(F::EmployeeNo),
        })
    }

    fn save(&mut self, ctx: &mut Ctx) -> FormOutcome {
        let lang = ctx.lang;
        let saved: Result<(i64, String), PersonError> = match self.purpose {
            Purpose::Add | Purpose::Edit { .. } => {
                let Some(input) = self.person_input(lang) else {
                    return FormOutcome::Stay(Action::Noop);
                };
                let name = input.name.trim().to_owned();
                match self.purpose {
                    Purpose::Edit { id, version } => ctx
                        .save(Deed::KeepPeople, |tx, stamp| {
                            directory::edit_person(tx, id, version, &input, stamp)
                        })
                        .map(|()| (id, lang.tf("people.saved", &[("name", &name)]))),
                    _ => ctx
                        .save(Deed::KeepPeople, |tx, stamp| {
                            directory::add_person(tx, &input, stamp)
                        })
                        .map(|id| (id, lang.tf("people.added", &[("name", &name)]))),
                }
            }
            Purpose::Leave { id, version } => {
                let typed = self.form.value(F::LeftOn);
                let Some(day) = parse_day(&typed) else {
                    let message = lang.tf("invalid.date", &[("value", &typed)]);
                    self.form.set_error(F::LeftOn, message);
                    return FormOutcome::Stay(Action::Noop);
                };
                ctx.save(Deed::KeepPeople, |tx, stamp| {
                    directory::mark_left(tx, id, version, day, stamp)
                })
                .map(|()| (id, lang.tf("people.left_done", &[("day", &day)])))
            }
        };
        match saved {
            Ok((id, text)) => FormOutcome::Saved((id, Flash::info(text))),
            Err(e) => {
                let message = e.message(lang);
                let field = match (&e, self.purpose) {
                    (_, Purpose::Leave { .. }) => F::LeftOn,
                    (PersonError::NeedsDepartment, _) => F::Department,
                    (PersonError::EmployeeNoTaken { .. }, _) => F::EmployeeNo,
                    _ => F::Name,
                };
                self.form.set_error(field, message.clone());
                FormOutcome::Stay(Action::Flash(Flash::error(message)))
            }
        }
    }
}

/// Roles as typed in the form: their keys, their Chinese names, or their English words on
/// screen ("network admin"), which are read as their keys first (the longest first, so that
/// "deputy director" is not read as "director").
fn parse_roles(typed: &str) -> Result<Roles, String> {
    let mut words: Vec<(Role, &str)> = Role::ALL
        .iter()
        .map(|r| (*r, Lang::En.t(r.label_key())))
        .collect();
    words.sort_by_key(|(_, word)| std::cmp::Reverse(word.len()));
    let mut text = typed.to_lowercase();
    for (role, word) in words {
        text = text.replace(word, role.key());
    }
    Roles::parse(&text)
}
