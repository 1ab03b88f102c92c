//! A keyboard form: labelled fields, `Tab`/`Shift-Tab` between them, choices picked from
//! lists, an error beside each bad field while typing, `Ctrl-S` to save and `Esc` that asks
//! before throwing typed work away.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::input::Input;
use super::picker::{Picked, Picker};
use crate::i18n::Lang;
use crate::tui::theme;

/// The (value, label) options of a choice field from a list of keyed things.
pub fn choices<T: Copy>(
    items: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    lang: Lang,
) -> Vec<(String, String)> {
    items
        .iter()
        .map(|i| (key(*i).to_owned(), lang.t(label(*i)).to_owned()))
        .collect()
}

/// The options of a yes/no choice: the field holds `yes` or `no`.
pub fn yes_no(lang: Lang) -> Vec<(String, String)> {
    vec![
        ("no".to_owned(), lang.t("answer.no").to_owned()),
        ("yes".to_owned(), lang.t("answer.yes").to_owned()),
    ]
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// One of these (value, label) pairs; the field holds the value.
    Choice(Vec<(String, String)>),
    /// Shown, not editable here (with a hint why).
    Fixed,
    /// Typed like text, shown as `*` (a countersigning password).
    Secret,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub label: String,
    pub input: Input,
    pub kind: Kind,
    pub error: Option<String>,
    /// Values offered by `Ctrl-P` for a text field (people, rooms, departments).
    pub suggestions: Vec<String>,
    pub hint: Option<String>,
}

impl FormField {
    pub fn text(label: String, value: &str) -> FormField {
        FormField {
            label,
            input: Input::new(value),
            kind: Kind::Text,
            error: None,
            suggestions: Vec::new(),
            hint: None,
        }
    }

    pub fn choice(label: String, value: &str, options: Vec<(String, String)>) -> FormField {
        FormField {
            kind: Kind::Choice(options),
            ..FormField::text(label, value)
        }
    }

    pub fn secret(label: String, hint: String) -> FormField {
        FormField {
            kind: Kind::Secret,
            hint: Some(hint),
            ..FormField::text(label, "")
        }
    }

    pub fn fixed(label: String, value: &str, hint: String) -> FormField {
        FormField {
            kind: Kind::Fixed,
            hint: Some(hint),
            ..FormField::text(label, value)
        }
    }

    pub fn with_suggestions(mut self, values: Vec<String>) -> FormField {
        self.suggestions = values;
        self
    }

    pub fn value(&self) -> &str {
        self.input.text()
    }

    /// What the operator sees: a choice's label, else the text.
    fn shown(&self) -> String {
        match &self.kind {
            Kind::Choice(options) => options
                .iter()
                .find(|(v, _)| v == self.value())
                .map_or_else(|| self.value().to_owned(), |(_, l)| l.clone()),
            Kind::Secret => "*".repeat(self.value().chars().count()),
            _ => self.value().to_owned(),
        }
    }

    fn options(&self) -> Vec<(String, String)> {
        match &self.kind {
            Kind::Choice(options) => options.clone(),
            _ => self
                .suggestions
                .iter()
                .map(|s| (s.clone(), s.clone()))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<FormField>,
    pub focus: usize,
    pub dirty: bool,
    /// Drawn without a focused field (the cursor is elsewhere on the screen).
    pub idle: bool,
    confirm_discard: bool,
    picker: Option<Picker>,
}

/// Where a key left a form: still open (with what the key asked for), closed unsaved, or
/// saved (with what the save gives the screen: the status bar's message, the record to show).
pub enum Outcome<S> {
    Stay(crate::tui::action::Action),
    Closed,
    Saved(S),
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    Nothing,
    /// A value changed: check the form again.
    Changed,
    Save,
    Close,
}

impl Form {
    pub fn new(title: String, fields: Vec<FormField>) -> Form {
        let focus = fields
            .iter()
            .position(|f| f.kind != Kind::Fixed)
            .unwrap_or(0);
        Form {
            title,
            fields,
            focus,
            dirty: false,
            idle: false,
            confirm_discard: false,
            picker: None,
        }
    }

    /// True while a pick list is open over the form (Enter then chooses).
    pub fn picking(&self) -> bool {
        self.picker.is_some()
    }

    pub fn value(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", |f| f.value())
    }

    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
    }

    pub fn error_count(&self) -> usize {
        self.fields.iter().filter(|f| f.error.is_some()).count()
    }

    /// Put the cursor on the first field with an error.
    pub fn focus_first_error(&mut self) {
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
        }
    }

    fn step(&mut self, forward: bool) {
        let n = self.fields.len();
        for _ in 0..n {
            self.focus = if forward {
                (self.focus + 1) % n
            } else {
                (self.focus + n - 1) % n
            };
            if self.fields[self.focus].kind != Kind::Fixed {
                break;
            }
        }
    }

    fn open_picker(&mut self) {
        let field = &self.fields[self.focus];
        let options = field.options();
        if !options.is_empty() && field.kind != Kind::Fixed {
            self.picker = Some(Picker::new(field.label.clone(), options, field.value()));
        }
    }

    fn cycle_choice(&mut self, by: isize) -> FormEvent {
        let field = &mut self.fields[self.focus];
        let Kind::Choice(options) = &field.kind else {
            return FormEvent::Nothing;
        };
        let n = options.len() as isize;
        let at = options
            .iter()
            .position(|(v, _)| v == field.value())
            .map_or(0, |i| i as isize);
        let next = options[((at + by).rem_euclid(n)) as usize].0.clone();
        field.input.set(next);
        self.dirty = true;
        FormEvent::Changed
    }

    /// What `key` did to the form. An edit, or a save about to be tried, clears the errors
    /// the last save marked: they are checked again on the next save.
    pub fn handle_key(&mut self, key: KeyEvent) -> FormEvent {
        let event = self.key_event(key);
        if matches!(event, FormEvent::Changed | FormEvent::Save) {
            self.clear_errors();
        }
        event
    }

    fn key_event(&mut self, key: KeyEvent) -> FormEvent {
        if let Some(picker) = self.picker.as_mut() {
            match picker.handle_key(key) {
                Picked::Nothing => {}
                Picked::Cancelled => self.picker = None,
                Picked::Chosen(value) => {
                    self.picker = None;
                    self.fields[self.focus].input.set(value);
                    self.dirty = true;
                    self.step(true);
                    return FormEvent::Changed;
                }
            }
            return FormEvent::Nothing;
        }
        if self.confirm_discard {
            self.confirm_discard = false;
            return match key.code {
                KeyCode::Char('y' | 'Y') => FormEvent::Close,
                _ => FormEvent::Nothing,
            };
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('s' | 'S') if ctrl => return FormEvent::Save,
            KeyCode::Char('p' | 'P') if ctrl => self.open_picker(),
            KeyCode::F(2) => self.open_picker(),
            KeyCode::Esc if self.dirty => self.confirm_discard = true,
            KeyCode::Esc => return FormEvent::Close,
            KeyCode::Tab | KeyCode::Down | KeyCode::Enter => self.step(true),
            KeyCode::BackTab | KeyCode::Up => self.step(false),
            _ => {
                let field = &mut self.fields[self.focus];
                match field.kind {
                    Kind::Fixed => {}
                    Kind::Choice(_) => match key.code {
                        KeyCode::Left => return self.cycle_choice(-1),
                        KeyCode::Right | KeyCode::Char(' ') => return self.cycle_choice(1),
                        KeyCode::Char(_) if !ctrl => {
                            self.open_picker();
                            if let Some(p) = self.picker.as_mut() {
                                p.handle_key(key);
                            }
                        }
                        _ => {}
                    },
                    Kind::Text | Kind::Secret => {
                        if field.input.handle_key(key) {
                            self.dirty = true;
                            return FormEvent::Changed;
                        }
                    }
                }
            }
        }
        FormEvent::Nothing
    }

    /// Like [`Form::handle_key`], but `Enter` on the last field saves: short forms then take
    /// few keys (a good return is `r`, `Enter`, `Enter`). A pick list or the discard question
    /// open still gets its `Enter`.
    pub fn handle_key_last_saves(&mut self, key: KeyEvent) -> FormEvent {
        let last = self.fields.iter().rposition(|f| f.kind != Kind::Fixed);
        let idle = self.picker.is_none() && !self.confirm_discard;
        if key.code == KeyCode::Enter && Some(self.focus) == last && idle {
            self.clear_errors();
            return FormEvent::Save;
        }
        self.handle_key(key)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        if area.height < 3 {
            return;
        }
        let title = Line::from(Span::styled(
            format!(" {} ", self.title),
            theme::OVERLAY_TITLE,
        ));
        frame.render_widget(Paragraph::new(title), Rect { height: 1, ..area });
        let label_width = self
            .fields
            .iter()
            .map(|f| f.label.width())
            .max()
            .unwrap_or(0)
            .min(16) as u16
            + 3;
        let rows = usize::from(area.height - 2);
        let top = self.focus.saturating_sub(rows.saturating_sub(1));
        for (i, field) in self.fields.iter().enumerate().skip(top).take(rows) {
            let y = area.y + 1 + (i - top) as u16;
            let focused = i == self.focus && self.picker.is_none() && !self.idle;
            let marker = if field.error.is_some() { "!" } else { " " };
            let label_style = if i == self.focus && !self.idle {
                theme::KEY
            } else {
                theme::TITLE
            };
            let label = Line::from(vec![
                Span::styled(marker, theme::FIELD_ERROR),
                Span::styled(format!("{} ", field.label), label_style),
            ]);
            frame.render_widget(
                Paragraph::new(label),
                Rect {
                    y,
                    height: 1,
                    width: label_width.min(area.width),
                    ..area
                },
            );
            let value_x = area.x + label_width;
            let value_width = area.width.saturating_sub(label_width);
            let value_area = Rect {
                x: value_x,
                y,
                width: value_width,
                height: 1,
            };
            let style = match field.kind {
                Kind::Fixed => theme::MUTED,
                _ if focused => theme::INPUT,
                _ => ratatui::style::Style::new(),
            };
            match field.kind {
                Kind::Text => field.input.render(frame, value_area, style, focused),
                Kind::Secret => field
                    .input
                    .masked()
                    .render(frame, value_area, style, focused),
                _ => {
                    let shown = match field.kind {
                        Kind::Choice(_) => format!("< {} >", field.shown()),
                        _ => field.shown(),
                    };
                    frame.render_widget(Span::styled(shown, style), value_area);
                }
            }
            // The error beside the value when it fits; the bottom line always has it in full.
            if let Some(error) = &field.error {
                let used = (field.shown().width() + 4) as u16;
                if used + 10 < value_width {
                    let at = Rect {
                        x: value_x + used,
                        width: value_width - used,
                        ..value_area
                    };
                    frame.render_widget(Span::styled(error.as_str(), theme::FIELD_ERROR), at);
                }
            }
        }
        let bottom = Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        };
        let focused = &self.fields[self.focus.min(self.fields.len() - 1)];
        let line = if self.idle {
            Span::raw("")
        } else if self.confirm_discard {
            Span::styled(format!(" {} ", lang.t("form.discard")), theme::ERROR)
        } else if let Some(error) = &focused.error {
            Span::styled(format!(" {}: {error}", focused.label), theme::FIELD_ERROR)
        } else if let Some(hint) = &focused.hint {
            Span::styled(format!(" {hint}"), theme::HINT)
        } else if !focused.options().is_empty() {
            Span::styled(format!(" {}", lang.t("form.pick_hint")), theme::HINT)
        } else {
            Span::raw("")
        };
        frame.render_widget(Paragraph::new(Line::from(line)), bottom);
        if let Some(picker) = &self.picker {
            picker.render(frame, area);
        }
    }
}

/// A form whose fields are known by a key of the screen's own (an enum), so a screen reads
/// and marks fields by name, not by position, even when fields come and go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedForm<K> {
    keys: Vec<K>,
    form: Form,
}

impl<K: Copy + PartialEq> KeyedForm<K> {
    pub fn new(title: String, fields: Vec<(K, FormField)>) -> KeyedForm<K> {
        let (keys, fields): (Vec<K>, Vec<FormField>) = fields.into_iter().unzip();
        KeyedForm {
            keys,
            form: Form::new(title, fields),
        }
    }

    pub fn keys(&self) -> &[K] {
        &self.keys
    }

    /// Where the field is in the form, if it has one.
    pub fn at(&self, key: K) -> Option<usize> {
        self.keys.iter().position(|k| *k == key)
    }

    /// The field's text, trimmed; empty when the form has no such field.
    pub fn value(&self, key: K) -> String {
        self.at(key)
            .map_or(String::new(), |i| self.form.value(i).trim().to_owned())
    }

    /// The field's text as typed, untrimmed (a password).
    pub fn raw(&self, key: K) -> String {
        self.at(key)
            .map_or(String::new(), |i| self.form.value(i).to_owned())
    }

    /// Empty the field `key` (a refused password, typed again).
    pub fn clear(&mut self, key: K) {
        if let Some(i) = self.at(key) {
            self.form.fields[i].input.set("");
        }
    }

    /// Mark the field `key` wrong, and put the cursor on the first field marked (in form order):
    /// a refused save leaves the operator where the first thing to fix is.
    pub fn set_error(&mut self, key: K, text: String) {
        if let Some(i) = self.at(key) {
            self.form.fields[i].error = Some(text);
            self.form.focus_first_error();
        }
    }

    /// Keep the first `len` fields.
    pub fn truncate(&mut self, len: usize) {
        self.keys.truncate(len);
        self.form.fields.truncate(len);
    }

    pub fn push(&mut self, key: K, field: FormField) {
        self.keys.push(key);
        self.form.fields.push(field);
    }
}

impl<K> std::ops::Deref for KeyedForm<K> {
    type Target = Form;

    fn deref(&self) -> &Form {
        &self.form
    }
}

impl<K> std::ops::DerefMut for KeyedForm<K> {
    fn deref_mut(&mut self) -> &mut Form {
        &mut self.form
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(form: &mut Form, code: KeyCode, modifiers: KeyModifiers) -> FormEvent {
        form.handle_key(KeyEvent::new(code, modifiers))
    }

    fn form() -> Form {
        let options = vec![("a".into(), "甲".into()), ("b".into(), "乙".into())];
        Form::new(
            "t".into(),
            vec![
                FormField::fixed("id".into(), "1", "fixed".into()),
                FormField::text("name".into(), ""),
                FormField::choice("kind".into(), "a", options),
            ],
        )
    }

    #[test]
    fn focus_skips_fixed_fields_and_choices_cycle() {
        let mut f = form();
        assert_eq!(f.focus, 1);
        press(&mut f, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(f.focus, 2);
        press(&mut f, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(f.focus, 1, "wraps around past the fixed field");
        press(&mut f, KeyCode::BackTab, KeyModifiers::NONE);
        assert_eq!(
            press(&mut f, KeyCode::Right, KeyModifiers::NONE),
            FormEvent::Changed
        );
        assert_eq!(f.value(2), "b");
    }

    #[test]
    fn escape_asks_before_discarding_typed_work() {
        let mut f = form();
        assert_eq!(
            press(&mut f, KeyCode::Char('x'), KeyModifiers::NONE),
            FormEvent::Changed
        );
        assert_eq!(
            press(&mut f, KeyCode::Esc, KeyModifiers::NONE),
            FormEvent::Nothing
        );
        assert_eq!(
            press(&mut f, KeyCode::Char('n'), KeyModifiers::NONE),
            FormEvent::Nothing
        );
        assert_eq!(f.value(1), "x", "answering no keeps the work");
        press(&mut f, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            press(&mut f, KeyCode::Char('y'), KeyModifiers::NONE),
            FormEvent::Close
        );
        assert_eq!(
            press(&mut form(), KeyCode::Esc, KeyModifiers::NONE),
            FormEvent::Close
        );
        assert_eq!(
            press(&mut f, KeyCode::Char('s'), KeyModifiers::CONTROL),
            FormEvent::Save
        );
    }
}
