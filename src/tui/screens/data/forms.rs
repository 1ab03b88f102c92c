//! The Data tab's forms: a metric added (blank, or copied for another site), edited, or
//! retired with a reason.

use crate::domain::permission::Deed;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::db::readings::{self, MAX_DECIMALS, Metric, MetricInput, ReadingError};
use crate::domain::reading::{Direction, Target, parse_number, plain_number};
use crate::i18n::Lang;
use crate::tui::action::Flash;
use crate::tui::screens::Ctx;
use crate::tui::widgets::form::{FormEvent, FormField, KeyedForm, choices};

/// The fields of the forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum F {
    NameZh,
    NameEn,
    Group,
    Scope,
    Unit,
    Decimals,
    Direction,
    Target,
    Alert,
    Reason,
}

impl F {
    fn label_key(self) -> &'static str {
        match self {
            F::NameZh => "metric_form.name_zh",
            F::NameEn => "metric_form.name_en",
            F::Group => "metric_form.group",
            F::Scope => "metric_form.scope",
            F::Unit => "metric_form.unit",
            F::Decimals => "metric_form.decimals",
            F::Direction => "metric_form.direction",
            F::Target => "metric_form.target",
            F::Alert => "metric_form.alert",
            F::Reason => "metric_form.reason",
        }
    }

    fn hint_key(self) -> Option<&'static str> {
        match self {
            F::Scope => Some("metric_form.scope_hint"),
            F::Target => Some("metric_form.target_hint"),
            F::Alert => Some("metric_form.alert_hint"),
            F::Decimals => Some("metric_form.decimals_hint"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Purpose {
    Add,
    Edit { id: i64, version: i64 },
    Retire { id: i64, version: i64, name: String },
}

pub struct MetricForm {
    purpose: Purpose,
    form: KeyedForm<F>,
}

/// Where a key left the form.
pub enum FormOutcome {
    Stay,
    Closed,
    /// Saved: the message, and the metric to put the cursor on (none once retired).
    Saved(Flash, Option<i64>),
}

impl MetricForm {
    /// Something was typed or chosen since the form opened.
    pub fn unsaved(&self) -> bool {
        self.form.dirty
    }

    fn fields(ctx: &Ctx, m: Option<&MetricInput>) -> Vec<(F, FormField)> {
        let lang = ctx.lang;
        let (groups, scopes) = ctx.read(readings::groups_and_scopes(ctx.db.conn()));
        let text = |f: F, value: String| {
            let mut field = FormField::text(lang.t(f.label_key()).to_owned(), &value);
            field.hint = f.hint_key().map(|k| lang.t(k).to_owned());
            match f {
                F::Group => field.suggestions = groups.clone(),
                F::Scope => field.suggestions = scopes.clone(),
                _ => {}
            }
            (f, field)
        };
        let get = |read: fn(&MetricInput) -> String| m.map(read).unwrap_or_default();
        let directions = choices(&Direction::ALL, Direction::key, Direction::label_key, lang);
        let direction = m.map_or(Direction::Up, |m| m.direction);
        vec![
            text(F::NameZh, get(|m| m.name_zh.clone())),
            text(F::NameEn, get(|m| m.name_en.clone())),
            text(F::Group, get(|m| m.group.clone())),
            text(F::Scope, get(|m| m.scope.clone())),
            text(F::Unit, get(|m| m.unit.clone())),
            text(
                F::Decimals,
                m.map_or("0".to_owned(), |m| m.decimals.to_string()),
            ),
            (
                F::Direction,
                FormField::choice(
                    lang.t(F::Direction.label_key()).to_owned(),
                    direction.key(),
                    directions,
                ),
            ),
            text(F::Target, get(|m| m.target.text())),
            text(
                F::Alert,
                get(|m| m.alert_pct.map(plain_number).unwrap_or_default()),
            ),
        ]
    }

    pub fn add(ctx: &Ctx) -> MetricForm {
        let title = ctx.lang.t("metric_form.add_title").to_owned();
        MetricForm {
            purpose: Purpose::Add,
            form: KeyedForm::new(title, Self::fields(ctx, None)),
        }
    }

    /// A new metric like `m` (the same figure on another campus site): the cursor starts on
    /// the scope.
    pub fn copy(ctx: &Ctx, m: &Metric) -> MetricForm {
        let title = ctx
            .lang
            .tf("metric_form.copy_title", &[("name", &m.name(ctx.lang))]);
        let mut form = KeyedForm::new(title, Self::fields(ctx, Some(&m.input())));
        if let Some(i) = form.at(F::Scope) {
            form.focus = i;
            form.fields[i].input.set("");
        }
        MetricForm {
            purpose: Purpose::Add,
            form,
        }
    }

    pub fn edit(ctx: &Ctx, m: &Metric) -> MetricForm {
        let title = ctx
            .lang
            .tf("metric_form.edit_title", &[("name", &m.name(ctx.lang))]);
        MetricForm {
            purpose: Purpose::Edit {
                id: m.id,
                version: m.row_version,
            },
            form: KeyedForm::new(title, Self::fields(ctx, Some(&m.input()))),
        }
    }

    pub fn retire(ctx: &Ctx, m: &Metric) -> MetricForm {
        let lang = ctx.lang;
        let name = m.name(lang).to_owned();
        let title = lang.tf("metric_form.retire_title", &[("name", &name)]);
        let mut reason = FormField::text(lang.t(F::Reason.label_key()).to_owned(), "");
        reason.hint = Some(lang.t("metric_form.retire_hint").to_owned());
        MetricForm {
            purpose: Purpose::Retire {
                id: m.id,
                version: m.row_version,
                name,
            },
            form: KeyedForm::new(title, vec![(F::Reason, reason)]),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> FormOutcome {
        let event = self.form.handle_key_last_saves(key);
        match event {
            FormEvent::Nothing | FormEvent::Changed => FormOutcome::Stay,
            FormEvent::Close => FormOutcome::Closed,
            FormEvent::Save => self.save(ctx),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        self.form.render(frame, area, lang);
    }

    /// The typed metric, with every field that is wrong marked.
    fn input(&mut self, lang: Lang) -> Option<MetricInput> {
        let decimals = self
            .form
            .value(F::Decimals)
            .parse::<u8>()
            .ok()
            .filter(|d| *d <= MAX_DECIMALS);
        if decimals.is_none() {
            self.form
                .set_error(F::Decimals, lang.t("metric_error.bad_decimals").to_owned());
        }
        let target = Target::parse(&self.form.value(F::Target));
        if target.is_none() {
            self.form
                .set_error(F::Target, lang.t("metric_error.bad_target").to_owned());
        }
        let alert = match self.form.value(F::Alert).trim_end_matches('%') {
            "" => Some(None),
            text => parse_number(text).filter(|v| *v > 0.0).map(Some),
        };
        if alert.is_none() {
            self.form
                .set_error(F::Alert, lang.t("metric_error.bad_alert").to_owned());
        }
        let input = MetricInput {
            name_zh: self.form.value(F::NameZh),
            name_en: self.form.value(F::NameEn),
            group: self.form.value(F::Group),
            scope: self.form.value(F::Scope),
            unit: self.form.value(F::Unit),
            decimals: decimals.unwrap_or(0),
            direction: Direction::parse(&self.form.value(F::Direction)).unwrap_or(Direction::Up),
            target: target.unwrap_or_default(),
            alert_pct: alert.flatten(),
        };
        for problem in readings::input_problems(&input) {
            let f = match problem {
                ReadingError::NeedsNameZh => F::NameZh,
                ReadingError::NeedsNameEn => F::NameEn,
                _ => F::Group,
            };
            self.form.set_error(f, problem.message(lang));
        }
        (self.form.error_count() == 0).then_some(input)
    }

    fn save(&mut self, ctx: &mut Ctx) -> FormOutcome {
        let lang = ctx.lang;
        let purpose = self.purpose.clone();
        let result = match &purpose {
            Purpose::Retire { id, version, name } => {
                let reason = self.form.value(F::Reason);
                if reason.is_empty() {
                    self.form
                        .set_error(F::Reason, lang.t("metric_error.needs_reason").to_owned());
                    return FormOutcome::Stay;
                }
                ctx.save(Deed::KeepMetrics, |tx, stamp| {
                    readings::retire_metric(tx, *id, *version, &reason, stamp)
                })
                .map(|()| {
                    let text = lang.tf("data.retired", &[("name", name)]);
                    (text, None)
                })
            }
            Purpose::Add | Purpose::Edit { .. } => {
                let Some(input) = self.input(lang) else {
                    return FormOutcome::Stay;
                };
                let name = input.name(lang).to_owned();
                match purpose {
                    Purpose::Edit { id, version } => ctx
                        .save(Deed::KeepMetrics, |tx, stamp| {
                            readings::edit_metric(tx, id, version, &input, stamp)
                        })
                        .map(|()| (lang.tf("data.edited", &[("name", &name)]), Some(id))),
                    _ => ctx
                        .save(Deed::KeepMetrics, |tx, stamp| {
                            readings::add_metric(tx, &input, stamp)
                        })
                        .map(|id| (lang.tf("data.added", &[("name", &name)]), Some(id))),
                }
            }
        };
        match result {
            Ok((text, id)) => FormOutcome::Saved(Flash::info(text), id),
            Err(e) => {
                let f = match e {
                    ReadingError::NameTaken { .. } | ReadingError::NeedsNameZh => F::NameZh,
                    ReadingError::NeedsNameEn => F::NameEn,
                    ReadingError::NeedsGroup => F::Group,
                    _ => F::Reason,
                };
                let message = e.message(lang);
                if self.form.at(f).is_some() {
                    self.form.set_error(f, message);
                } else {
                    let first = self.form.keys()[0];
                    self.form.set_error(first, message);
                }
                FormOutcome::Stay
            }
        }
    }
}
