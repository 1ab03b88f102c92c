//! The template editor: items of each checklist, added, edited, reordered and retired; new
//! templates; retiring a template.

use crate::domain::permission::Deed;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Ctx;
use crate::db::checklists::{self, Checklist, StoredItem};
use crate::domain::checklist::{
    BiText, Choice, DeviceSet, Item, ItemKind, ItemProblem, Template, number_text,
};
use crate::domain::device::Category;
use crate::domain::period::Period;
use crate::domain::schedule::{Schedule, ScheduleProblem, Window, parse_weekday, weekday_key};
use crate::i18n::Lang;
use crate::text::fit;
use crate::tui::action::Flash;
use crate::tui::layout;
use crate::tui::theme;
use crate::tui::widgets::form::{Form, FormEvent, FormField, yes_no};
use crate::tui::widgets::input::Input;
use crate::tui::widgets::prompt;

/// Item form fields, in order.
const CODE: usize = 0;
const KIND: usize = 1;
const TEXT_ZH: usize = 2;
const TEXT_EN: usize = 3;
const UNIT_ZH: usize = 4;
const UNIT_EN: usize = 5;
const MIN: usize = 6;
const MAX: usize = 7;
const CHOICES: usize = 8;
const DEVICE: usize = 9;
const CATEGORY: usize = 10;
const SET_CATEGORY: usize = 11;
const SET_ROOM: usize = 12;

enum Step {
    Browse,
    Item { form: Form, replacing: Option<i64> },
    Template(Form),
    RetireItem(i64, Input),
    RetireTemplate(Input),
}

pub enum TemplatesEvent {
    Stay(Option<Flash>),
    Close,
    /// Not a key of this view: the global keys may take it.
    Ignored,
}

pub struct Templates {
    lists: Vec<Checklist>,
    current: usize,
    items: Vec<StoredItem>,
    cursor: usize,
    offset: usize,
    step: Step,
}

/// `正常/Normal; !告警/Alarm`: choices as one line, `!` marking those that fail.
fn choices_text(choices: &[Choice]) -> String {
    joined(choices, |c| {
        if c.label.en.is_empty() || c.label.en == c.label.zh {
            c.label.zh.clone()
        } else {
            format!("{}/{}", c.label.zh, c.label.en)
        }
    })
}

/// The choices in the screen's language for the item list (`正常; !告警`); the form edits
/// both languages with [`choices_text`].
fn choices_shown(choices: &[Choice], lang: Lang) -> String {
    joined(choices, |c| c.label.get(lang).to_owned())
}

/// Choices as one line, each `label`led and marked `!` if it fails.
fn joined(choices: &[Choice], label: impl Fn(&Choice) -> String) -> String {
    choices
        .iter()
        .map(|c| format!("{}{}", if c.fails { "!" } else { "" }, label(c)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn parse_choices(text: &str) -> Vec<Choice> {
    text.split([';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            let (fails, t) = match t.strip_prefix(['!', '！']) {
                Some(rest) => (true, rest.trim()),
                None => (false, t),
            };
            let (zh, en) = t.split_once('/').unwrap_or((t, t));
            Choice {
                label: BiText::new(zh.trim(), en.trim()),
                fails,
            }
        })
        .collect()
}

fn item_form(lang: Lang, item: &Item, title: String) -> Form {
    let kinds = ItemKind::ALL
        .iter()
        .map(|k| (k.key().to_owned(), lang.t(k.label_key()).to_owned()))
        .collect();
    let mut categories = vec![(String::new(), lang.t("template.any_device").to_owned())];
    categories.extend(
        Category::ALL
            .iter()
            .map(|c| (c.key().to_owned(), lang.t(c.label_key()).to_owned())),
    );
    let number = |v: Option<f64>| v.map(number_text).unwrap_or_default();
    let mut choices = FormField::text(
        lang.t("template.choices").to_owned(),
        &choices_text(&item.choices),
    );
    choices.hint = Some(lang.t("template.choices_hint").to_owned());
    let set = item.devices.clone().unwrap_or_default();
    let mut room = FormField::text(
        lang.t("template.set_room").to_owned(),
        set.room.as_deref().unwrap_or(""),
    );
    room.hint = Some(lang.t("template.set_hint").to_owned());
    Form::new(
        title,
        vec![
            FormField::text(lang.t("template.code").to_owned(), &item.code),
            FormField::choice(lang.t("template.kind").to_owned(), item.kind.key(), kinds),
            FormField::text(lang.t("template.text_zh").to_owned(), &item.text.zh),
            FormField::text(lang.t("template.text_en").to_owned(), &item.text.en),
            FormField::text(lang.t("template.unit_zh").to_owned(), &item.unit.zh),
            FormField::text(lang.t("template.unit_en").to_owned(), &item.unit.en),
            FormField::text(lang.t("template.min").to_owned(), &number(item.min)),
            FormField::text(lang.t("template.max").to_owned(), &number(item.max)),
            choices,
            FormField::text(lang.t("template.device").to_owned(), &item.device_tag),
            FormField::choice(
                lang.t("template.category").to_owned(),
                item.category.map_or("", Category::key),
                categories.clone(),
            ),
            FormField::choice(
                lang.t("template.set_category").to_owned(),
                set.category.map_or("", Category::key),
                categories,
            ),
            room,
        ],
    )
}

/// Read the item form; on problems, mark the fields and return `None`.
fn read_item_form(form: &mut Form, lang: Lang) -> Option<Item> {
    form.clear_errors();
    let mut bad_number = Vec::new();
    let mut number = |i: usize| -> Option<f64> {
        let t = form.value(i).trim().replace(',', ".");
        if t.is_empty() {
            return None;
        }
        let v = t.parse::<f64>().ok().filter(|v| v.is_finite());
        if v.is_none() {
            bad_number.push(i);
        }
        v
    };
    let min = number(MIN);
    let max = number(MAX);
    let item = Item {
        code: form.value(CODE).trim().to_owned(),
        kind: ItemKind::parse(form.value(KIND)).unwrap_or(ItemKind::PassFail),
        text: BiText::new(form.value(TEXT_ZH).trim(), form.value(TEXT_EN).trim()),
        unit: BiText::new(form.value(UNIT_ZH).trim(), form.value(UNIT_EN).trim()),
        min,
        max,
        choices: parse_choices(form.value(CHOICES)),
        device_tag: form.value(DEVICE).trim().to_owned(),
        category: Category::parse(form.value(CATEGORY)),
        devices: Some(DeviceSet {
            category: Category::parse(form.value(SET_CATEGORY)),
            room: Some(form.value(SET_ROOM).trim().to_owned()).filter(|r| !r.is_empty()),
        })
        .filter(|set| !set.is_empty()),
    };
    for i in bad_number {
        form.fields[i].error = Some(lang.t("template.not_a_number").to_owned());
    }
    for problem in item.problems() {
        let field = match problem {
            ItemProblem::CodeMissing | ItemProblem::CodeTooLong | ItemProblem::CodeRepeated => CODE,
            ItemProblem::TextMissing | ItemProblem::TextTooLong => TEXT_ZH,
            ItemProblem::NumberNeedsRange
            | ItemProblem::RangeNotFinite
            | ItemProblem::RangeBackwards => MIN,
            ItemProblem::ChoiceNeedsTwo | ItemProblem::NoChoiceFails => CHOICES,
            ItemProblem::ExtraForKind => KIND,
            ItemProblem::DeviceAndDevices | ItemProblem::Schedule(_) => SET_CATEGORY,
        };
        form.fields[field].error = Some(lang.t(problem.message_key()).to_owned());
    }
    if form.error_count() > 0 {
        form.focus_first_error();
        return None;
    }
    Some(item)
}

fn template_form(lang: Lang) -> Form {
    let periods = Period::ALL
        .iter()
        .map(|p| (p.key().to_owned(), lang.t(p.label_key()).to_owned()))
        .collect();
    let mut weekdays = vec![(String::new(), lang.t("template.any_day").to_owned())];
    let days = (0..7u8).filter_map(|i| chrono::Weekday::try_from(i).ok());
    weekdays.extend(days.map(|d| {
        (
            weekday_key(d).to_owned(),
            lang.t(&format!("weekday.{}", d.num_days_from_monday()))
                .to_owned(),
        )
    }));
    let mut window = FormField::text(lang.t("template.window").to_owned(), "");
    window.hint = Some(lang.t("template.window_hint").to_owned());
    Form::new(
        lang.t("template.new_title").to_owned(),
        vec![
            FormField::text(lang.t("template.code").to_owned(), ""),
            FormField::text(lang.t("template.name_zh").to_owned(), ""),
            FormField::text(lang.t("template.name_en").to_owned(), ""),
            FormField::choice(lang.t("template.period").to_owned(), "week", periods),
            FormField::choice(lang.t("template.run_log").to_owned(), "no", yes_no(lang)),
            FormField::choice(lang.t("template.weekday").to_owned(), "", weekdays),
            window,
        ],
    )
}

impl Templates {
    /// A form or a reason holds typed work.
    pub fn unsaved(&self) -> bool {
        match &self.step {
            Step::Browse => false,
            Step::Item { form, .. } | Step::Template(form) => form.dirty,
            Step::RetireItem(_, input) | Step::RetireTemplate(input) => !input.text().is_empty(),
        }
    }

    pub fn load(ctx: &Ctx) -> Templates {
        let mut view = Templates {
            lists: Vec::new(),
            current: 0,
            items: Vec::new(),
            cursor: 0,
            offset: 0,
            step: Step::Browse,
        };
        view.reload(ctx, None);
        view
    }

    fn reload(&mut self, ctx: &Ctx, focus: Option<i64>) {
        let conn = ctx.db.conn();
        self.lists = ctx.read(checklists::list(conn));
        self.current = self.current.min(self.lists.len().saturating_sub(1));
        self.items = self
            .lists
            .get(self.current)
            .map(|c| ctx.read(checklists::items(conn, c.id)))
            .unwrap_or_default();
        if let Some(id) = focus
            && let Some(i) = self.items.iter().position(|s| s.id == id)
        {
            self.cursor = i;
        }
        self.cursor = self.cursor.min(self.items.len().saturating_sub(1));
    }

    pub fn captures_text(&self) -> bool {
        !matches!(self.step, Step::Browse)
    }

    pub fn keys(&self) -> &'static [crate::tui::keys::KeyHint] {
        match self.step {
            Step::Browse => super::keys::TEMPLATES,
            Step::Item { .. } | Step::Template(_) => super::keys::FORM,
            _ => super::keys::PROMPT,
        }
    }

    fn checklist(&self) -> Option<&Checklist> {
        self.lists.get(self.current)
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> TemplatesEvent {
        let step = std::mem::replace(&mut self.step, Step::Browse);
        let flash = match step {
            Step::Browse => return self.browse_key(key, ctx),
            Step::Item {
                mut form,
                replacing,
            } => match form.handle_key(key) {
                FormEvent::Close => None,
                FormEvent::Save => self.save_item(form, replacing, ctx),
                _ => {
                    self.step = Step::Item { form, replacing };
                    None
                }
            },
            Step::Template(mut form) => match form.handle_key(key) {
                FormEvent::Close => None,
                FormEvent::Save => self.save_template(form, ctx),
                _ => {
                    self.step = Step::Template(form);
                    None
                }
            },
            Step::RetireItem(id, mut input) => match key.code {
                KeyCode::Esc => None,
                KeyCode::Enter if input.text().trim().is_empty() => {
                    self.step = Step::RetireItem(id, input);
                    Some(Flash::error(ctx.lang.t("template.reason_required")))
                }
                KeyCode::Enter => {
                    let reason = input.text().trim().to_owned();
                    let done = ctx.save(Deed::KeepTemplates, |tx, stamp| {
                        checklists::retire_item(tx, id, &reason, stamp)
                    });
                    self.reload(ctx, None);
                    Some(match done {
                        Ok(()) => Flash::info(ctx.lang.t("template.item_retired")),
                        Err(e) => Flash::error(e.to_string()),
                    })
                }
                _ => {
                    input.handle_key(key);
                    self.step = Step::RetireItem(id, input);
                    None
                }
            },
            Step::RetireTemplate(mut input) => match key.code {
                KeyCode::Esc => None,
                KeyCode::Enter if input.text().trim().is_empty() => {
                    self.step = Step::RetireTemplate(input);
                    Some(Flash::error(ctx.lang.t("template.reason_required")))
                }
                KeyCode::Enter => {
                    let Some(id) = self.checklist().map(|c| c.id) else {
                        return TemplatesEvent::Stay(None);
                    };
                    let reason = input.text().trim().to_owned();
                    let done = ctx.save(Deed::RetireTemplates, |tx, stamp| {
                        checklists::retire(tx, id, &reason, stamp)
                    });
                    self.current = 0;
                    self.reload(ctx, None);
                    Some(match done {
                        Ok(()) => Flash::info(ctx.lang.t("template.template_retired")),
                        Err(e) => Flash::error(e.to_string()),
                    })
                }
                _ => {
                    input.handle_key(key);
                    self.step = Step::RetireTemplate(input);
                    None
                }
            },
        };
        TemplatesEvent::Stay(flash)
    }

    fn save_item(
        &mut self,
        mut form: Form,
        replacing: Option<i64>,
        ctx: &mut Ctx,
    ) -> Option<Flash> {
        let Some(item) = read_item_form(&mut form, ctx.lang) else {
            self.step = Step::Item { form, replacing };
            return Some(Flash::error(ctx.lang.t("template.fix_fields")));
        };
        let list = self.checklist()?.id;
        let after = self.items.get(self.cursor).map(|s| s.id);
        match ctx.save(Deed::KeepTemplates, |tx, stamp| {
            checklists::save_item(tx, list, replacing, after, &item, stamp)
        }) {
            Ok(id) => {
                self.reload(ctx, Some(id));
                Some(Flash::info(
                    ctx.lang.tf("template.item_saved", &[("code", &item.code)]),
                ))
            }
            Err(e) => {
                form.fields[CODE].error = Some(e.message(ctx.lang));
                self.step = Step::Item { form, replacing };
                Some(Flash::error(e.message(ctx.lang)))
            }
        }
    }

    fn save_template(&mut self, mut form: Form, ctx: &mut Ctx) -> Option<Flash> {
        form.clear_errors();
        let window = Window::parse(form.value(6));
        if window.is_none() && !form.value(6).trim().is_empty() {
            form.fields[6].error = Some(ctx.lang.t("checklist_file.write_window").to_owned());
        }
        let template = Template {
            code: form.value(0).trim().to_owned(),
            name: BiText::new(form.value(1).trim(), form.value(2).trim()),
            period: Period::parse(form.value(3)).unwrap_or(Period::Week),
            run_log: form.value(4) == "yes",
            schedule: Schedule {
                weekday: parse_weekday(form.value(5)),
                window,
            },
            items: Vec::new(),
        };
        for p in template.problems() {
            let field = match p.problem {
                ItemProblem::TextMissing | ItemProblem::TextTooLong => 1,
                ItemProblem::Schedule(ScheduleProblem::WeekdayNeedsWeek) => 5,
                ItemProblem::Schedule(ScheduleProblem::WindowNeedsDay) => 6,
                _ => 0,
            };
            form.fields[field].error = Some(ctx.lang.t(p.problem.message_key()).to_owned());
        }
        if checklists::code_taken(ctx.db.conn(), &template.code).unwrap_or(false) {
            let message = ctx
                .lang
                .tf("checklist_edit.code_taken", &[("code", &template.code)]);
            form.fields[0].error = Some(message);
        }
        if form.error_count() > 0 {
            form.focus_first_error();
            self.step = Step::Template(form);
            return Some(Flash::error(ctx.lang.t("template.fix_fields")));
        }
        let today = ctx.today;
        match ctx.save(Deed::KeepTemplates, |tx, stamp| {
            checklists::import(tx, &template, today, stamp)
        }) {
            Ok(_) => {
                self.reload(ctx, None);
                self.current = self
                    .lists
                    .iter()
                    .position(|c| c.code.eq_ignore_ascii_case(&template.code))
                    .unwrap_or(0);
                self.reload(ctx, None);
                Some(Flash::info(
                    ctx.lang
                        .tf("template.template_added", &[("code", &template.code)]),
                ))
            }
            Err(e) => Some(Flash::error(e.to_string())),
        }
    }

    fn browse_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> TemplatesEvent {
        let lang = ctx.lang;
        let flash = match key.code {
            KeyCode::Esc => return TemplatesEvent::Close,
            KeyCode::Char('j') | KeyCode::Down => {
                self.cursor = (self.cursor + 1).min(self.items.len().saturating_sub(1));
                None
            }
            KeyCode::Char('k') | KeyCode::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                None
            }
            KeyCode::Char(']') | KeyCode::Right | KeyCode::Char('l') => {
                if !self.lists.is_empty() {
                    self.current = (self.current + 1) % self.lists.len();
                    self.cursor = 0;
                    self.reload(ctx, None);
                }
                None
            }
            KeyCode::Char('[') | KeyCode::Left | KeyCode::Char('h') => {
                if !self.lists.is_empty() {
                    self.current = (self.current + self.lists.len() - 1) % self.lists.len();
                    self.cursor = 0;
                    self.reload(ctx, None);
                }
                None
            }
            KeyCode::Char('a') if self.checklist().is_some() => {
                let blank = Item::pass_fail("", BiText::default());
                self.step = Step::Item {
                    form: item_form(lang, &blank, lang.t("template.add_title").to_owned()),
                    replacing: None,
                };
                None
            }
            KeyCode::Char('e') | KeyCode::Enter => {
                if let Some(stored) = self.items.get(self.cursor) {
                    let title = lang.tf("template.edit_title", &[("code", &stored.item.code)]);
                    self.step = Step::Item {
                        form: item_form(lang, &stored.item, title),
                        replacing: Some(stored.id),
                    };
                }
                None
            }
            KeyCode::Char(c @ ('K' | 'J')) => {
                if let (Some(list), Some(stored)) = (self.checklist(), self.items.get(self.cursor))
                {
                    let (list, id) = (list.id, stored.id);
                    let by = if c == 'K' { -1 } else { 1 };
                    let _ = ctx.save(Deed::KeepTemplates, |tx, stamp| {
                        checklists::move_item(tx, list, id, by, stamp)
                    });
                    self.reload(ctx, Some(id));
                }
                None
            }
            KeyCode::Char('x') => {
                if let Some(stored) = self.items.get(self.cursor) {
                    self.step = Step::RetireItem(stored.id, Input::default());
                }
                None
            }
            KeyCode::Char('N') => {
                self.step = Step::Template(template_form(lang));
                None
            }
            KeyCode::Char('X') if self.checklist().is_some() => {
                self.step = Step::RetireTemplate(Input::default());
                None
            }
            _ => return TemplatesEvent::Ignored,
        };
        TemplatesEvent::Stay(flash)
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, lang: Lang) {
        match &self.step {
            Step::Item { form, .. } | Step::Template(form) => {
                form.render(frame, area, lang);
                return;
            }
            _ => {}
        }
        if area.height < 4 {
            return;
        }
        // The template tabs: `[` and `]` switch.
        let mut spans = vec![Span::styled(
            format!(" {} ", lang.t("template.title")),
            theme::TITLE,
        )];
        for (i, c) in self.lists.iter().enumerate() {
            let style = if i == self.current {
                theme::SELECTED
            } else {
                theme::HINT
            };
            spans.push(Span::styled(format!(" {} ", c.name.get(lang)), style));
            spans.push(Span::raw(" "));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), layout::rows(area, 0, 1));
        let width = area.width;
        let info = match self.checklist() {
            Some(c) => lang.tf(
                "template.info",
                &[
                    ("code", &c.code),
                    ("period", &lang.t(c.period.label_key())),
                    ("count", &self.items.len()),
                ],
            ),
            None => lang.t("template.none").to_owned(),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(fit(&format!(" {info}"), width), theme::HINT)),
            layout::rows(area, 1, 1),
        );
        let list_h = area.height.saturating_sub(3) as usize;
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + list_h {
            self.offset = self.cursor + 1 - list_h;
        }
        let kind_w = 12u16;
        let text_w = width.saturating_sub(4 + kind_w + 4);
        let lines: Vec<Line> = self
            .items
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(list_h)
            .map(|(i, s)| {
                let mut text = s.item.text.get(lang).to_owned();
                let range = s.item.range_text(lang);
                if !range.is_empty() {
                    text = format!("{text} [{range}]");
                }
                if !s.item.choices.is_empty() {
                    text = format!("{text} [{}]", choices_shown(&s.item.choices, lang));
                }
                let line = Line::raw(format!(
                    " {} {} {}",
                    fit(&s.item.code, 4),
                    fit(&text, text_w),
                    fit(lang.t(s.item.kind.label_key()), kind_w)
                ));
                if i == self.cursor {
                    line.style(theme::SELECTED)
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), layout::rows(area, 2, list_h as u16));
        let bottom = layout::bottom(area, 1);
        let (key, input) = match &self.step {
            Step::RetireItem(_, input) => ("template.prompt_retire_item", input),
            Step::RetireTemplate(input) => ("template.prompt_retire_template", input),
            _ => {
                let hint = lang.t("template.past_runs_kept");
                frame.render_widget(
                    Paragraph::new(Span::styled(fit(&format!(" {hint}"), width), theme::HINT)),
                    bottom,
                );
                return;
            }
        };
        prompt::render(frame, bottom, lang.t(key), input);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_through_one_line() {
        let choices = parse_choices("正常/Normal; !告警/Alarm；！离线");
        assert_eq!(choices.len(), 3);
        assert!(!choices[0].fails && choices[1].fails && choices[2].fails);
        assert_eq!(choices[1].label, BiText::new("告警", "Alarm"));
        assert_eq!(choices[2].label, BiText::new("离线", "离线"));
        assert_eq!(choices_text(&choices), "正常/Normal; !告警/Alarm; !离线");
        assert_eq!(choices_shown(&choices, Lang::Zh), "正常; !告警; !离线");
        assert_eq!(choices_shown(&choices, Lang::En), "Normal; !Alarm; !离线");
        assert_eq!(parse_choices(&choices_text(&choices)), choices);
    }
}
