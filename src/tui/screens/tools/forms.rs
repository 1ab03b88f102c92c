//! The Tools tab's forms: a tool added or edited, retired with a reason, returned (with who
//! pays when it came back damaged or not at all), and a liability settled.

use crate::domain::permission::Deed;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::db::directory;
use crate::db::tools::{self, Liability, Return, Tool, ToolError, ToolInput};
use crate::domain::repair::{money_text, parse_money};
use crate::domain::tool::{Condition, ToolStatus, parse_loan_days};
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash};
use crate::tui::screens::Ctx;
use crate::tui::widgets::form::{FormEvent, FormField, KeyedForm, Kind, Outcome, choices, yes_no};

/// The fields the forms are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum F {
    Code,
    Name,
    Kind,
    LoanDays,
    Spec,
    Place,
    Condition,
    Status,
    Reason,
    Lent,
    Back,
    Note,
    Liable,
    Amount,
    Settled,
    Repair,
}

impl F {
    fn label_key(self) -> &'static str {
        match self {
            F::Code => "tools.code",
            F::Name => "tools.name",
            F::Kind => "tools.kind",
            F::LoanDays => "tools.loan_days",
            F::Spec => "tools.spec",
            F::Place => "tools.place",
            F::Condition => "tools.condition",
            F::Status => "tools.status",
            F::Reason => "tool_form.reason",
            F::Lent => "tool_form.lent",
            F::Back => "tool_form.condition_back",
            F::Note => "tool_form.note",
            F::Liable => "tool_form.liable",
            F::Amount => "tool_form.amount",
            F::Settled => "tool_form.settled",
            F::Repair => "tool_form.open_repair",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Purpose {
    Add,
    Edit { id: i64, version: i64 },
    Retire { id: i64, version: i64, code: String },
    Return { item_id: i64, borrower: String },
    Settle { id: i64, person: String },
}

pub struct ToolForm {
    purpose: Purpose,
    form: KeyedForm<F>,
}

/// Where a key left the form.
pub type FormOutcome = Outcome<Flash>;

impl ToolForm {
    /// Something was typed or chosen since the form opened.
    pub fn unsaved(&self) -> bool {
        self.form.dirty
    }

    fn new(title: String, purpose: Purpose, fields: Vec<(F, FormField)>) -> ToolForm {
        ToolForm {
            purpose,
            form: KeyedForm::new(title, fields),
        }
    }

    fn text(ctx: &Ctx, f: F, value: &str) -> (F, FormField) {
        let lang = ctx.lang;
        let mut field = FormField::text(lang.t(f.label_key()).to_owned(), value);
        match f {
            F::Kind => {
                field.suggestions = ctx
                    .read(tools::kinds(ctx.db.conn()))
                    .into_iter()
                    .map(|(k, _)| k)
                    .collect();
                field.hint = Some(lang.t("tool_form.kind_hint").to_owned());
            }
            F::LoanDays => field.hint = Some(lang.t("tool_form.loan_days_hint").to_owned()),
            F::Liable => {
                field.suggestions = ctx.read(directory::people_names(ctx.db.conn(), false));
            }
            _ => {}
        }
        (f, field)
    }

    fn choice(ctx: &Ctx, f: F, value: &str, options: Vec<(String, String)>) -> (F, FormField) {
        (
            f,
            FormField::choice(ctx.lang.t(f.label_key()).to_owned(), value, options),
        )
    }

    fn tool_fields(ctx: &Ctx, t: Option<&Tool>) -> Vec<(F, FormField)> {
        let value = |get: fn(&Tool) -> String| t.map(get).unwrap_or_default();
        let days = t.map_or(String::new(), |t| t.loan_days.to_string());
        vec![
            Self::text(ctx, F::Code, &value(|t| t.code.clone())),
            Self::text(ctx, F::Name, &value(|t| t.name.clone())),
            Self::text(ctx, F::Kind, &value(|t| t.kind.clone())),
            Self::text(ctx, F::LoanDays, &days),
            Self::text(ctx, F::Spec, &value(|t| t.spec.clone())),
            Self::text(ctx, F::Place, &value(|t| t.place.clone())),
            Self::text(ctx, F::Condition, &value(|t| t.condition.clone())),
        ]
    }

    pub fn add(ctx: &Ctx) -> ToolForm {
        let title = ctx.lang.t("tool_form.add_title").to_owned();
        ToolForm::new(title, Purpose::Add, Self::tool_fields(ctx, None))
    }

    pub fn edit(ctx: &Ctx, tool: &Tool) -> ToolForm {
        let lang = ctx.lang;
        let mut fields = Self::tool_fields(ctx, Some(tool));
        let status = lang.t(tool.status.label_key());
        if ToolStatus::EDITABLE.contains(&tool.status) {
            let options = choices(
                &ToolStatus::EDITABLE,
                ToolStatus::key,
                ToolStatus::label_key,
                lang,
            );
            fields.push(Self::choice(ctx, F::Status, tool.status.key(), options));
        } else {
            let hint = lang.t("tool_form.status_out").to_owned();
            fields.push((
                F::Status,
                FormField::fixed(lang.t("tools.status").to_owned(), status, hint),
            ));
        }
        let title = lang.tf("tool_form.edit_title", &[("code", &tool.code)]);
        let purpose = Purpose::Edit {
            id: tool.id,
            version: tool.row_version,
        };
        ToolForm::new(title, purpose, fields)
    }

    pub fn retire(ctx: &Ctx, tool: &Tool) -> ToolForm {
        let title = ctx
            .lang
            .tf("tool_form.retire_title", &[("code", &tool.code)]);
        let purpose = Purpose::Retire {
            id: tool.id,
            version: tool.row_version,
            code: tool.code.clone(),
        };
        ToolForm::new(title, purpose, vec![Self::text(ctx, F::Reason, "")])
    }

    /// The return form of an open loan item; `None` when it no longer exists.
    pub fn give_back(ctx: &Ctx, item_id: i64) -> Option<ToolForm> {
        let lang = ctx.lang;
        let loan = tools::loan_item(ctx.db.conn(), item_id)
            .ok()
            .flatten()
            .filter(|l| l.is_open())?;
        let lent = format!(
            "{} {} ({}) {} -> {}",
            loan.number,
            loan.borrower,
            loan.department,
            loan.out_at.format("%m-%d %H:%M"),
            loan.due_on
        );
        let conditions = choices(&Condition::ALL, Condition::key, Condition::label_key, lang);
        let fields = vec![
            (
                F::Lent,
                FormField::fixed(lang.t(F::Lent.label_key()).to_owned(), &lent, String::new()),
            ),
            Self::choice(ctx, F::Back, Condition::Good.key(), conditions),
            Self::text(ctx, F::Note, ""),
        ];
        let title = lang.tf(
            "tool_form.return_title",
            &[("code", &loan.code), ("name", &loan.tool_name)],
        );
        let purpose = Purpose::Return {
            item_id,
            borrower: loan.borrower.clone(),
        };
        Some(ToolForm::new(title, purpose, fields))
    }

    /// The return form with the condition already chosen (a damaged or lost return scanned):
    /// the liability fields are open and the cursor is on the note.
    pub fn give_back_as(ctx: &Ctx, item_id: i64, condition: Condition) -> Option<ToolForm> {
        let mut form = ToolForm::give_back(ctx, item_id)?;
        if let Some(at) = form.form.at(F::Back) {
            form.form.fields[at].input.set(condition.key());
        }
        form.follow_condition(ctx);
        if let Some(at) = form.form.at(F::Note) {
            form.form.focus = at;
        }
        Some(form)
    }

    pub fn settle(ctx: &Ctx, code: &str, liability: &Liability) -> ToolForm {
        let lang = ctx.lang;
        let title = lang.tf(
            "tool_form.settle_title",
            &[("person", &liability.liable_person), ("code", &code)],
        );
        let mut amount = Self::text(ctx, F::Amount, &money_text(liability.amount));
        amount.1.label = lang.t("tool_form.paid").to_owned();
        let purpose = Purpose::Settle {
            id: liability.id,
            person: liability.liable_person.clone(),
        };
        ToolForm::new(title, purpose, vec![amount])
    }

    /// Damaged or lost: ask who pays, how much, whether paid, and (damaged) for a repair.
    fn follow_condition(&mut self, ctx: &Ctx) {
        let Purpose::Return { borrower, .. } = &self.purpose else {
            return;
        };
        let borrower = borrower.clone();
        let condition = Condition::parse(&self.form.value(F::Back)).unwrap_or(Condition::Good);
        let wanted: &[F] = match condition {
            Condition::Good => &[],
            Condition::Damaged => &[F::Liable, F::Amount, F::Settled, F::Repair],
            Condition::Lost => &[F::Liable, F::Amount, F::Settled],
        };
        let keep = self
            .form
            .at(F::Note)
            .map_or(self.form.keys().len(), |i| i + 1);
        if self.form.keys()[keep..] == *wanted {
            return;
        }
        self.form.truncate(keep);
        if condition.needs_liability() {
            let lang = ctx.lang;
            let mut more = vec![
                Self::text(ctx, F::Liable, &borrower),
                Self::text(ctx, F::Amount, ""),
                Self::choice(ctx, F::Settled, "no", yes_no(lang)),
            ];
            if condition == Condition::Damaged {
                more.push(Self::choice(ctx, F::Repair, "no", yes_no(lang)));
            }
            for (f, field) in more {
                self.form.push(f, field);
            }
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> FormOutcome {
        let event = self.form.handle_key_last_saves(key);
        match event {
            FormEvent::Nothing => FormOutcome::Stay(Action::Noop),
            FormEvent::Changed => {
                self.follow_condition(ctx);
                FormOutcome::Stay(Action::Noop)
            }
            FormEvent::Close => FormOutcome::Closed,
            FormEvent::Save => self.save(ctx),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        self.form.render(frame, area, lang);
    }

    /// The typed tool, or the first field that is wrong marked.
    fn tool_input(&mut self, ctx: &Ctx) -> Option<ToolInput> {
        let days = self.form.value(F::LoanDays);
        let loan_days = match days.as_str() {
            "" => None,
            text => match parse_loan_days(text) {
                Some(d) => Some(d),
                None => {
                    self.form.set_error(
                        F::LoanDays,
                        ctx.lang.t("tool_error.bad_loan_days").to_owned(),
                    );
                    return None;
                }
            },
        };
        Some(ToolInput {
            code: self.form.value(F::Code),
            name: self.form.value(F::Name),
            kind: self.form.value(F::Kind),
            loan_days,
            spec: self.form.value(F::Spec),
            place: self.form.value(F::Place),
            condition: self.form.value(F::Condition),
            status: self
                .form
                .at(F::Status)
                .filter(|i| self.form.fields[*i].kind != Kind::Fixed)
                .and_then(|_| ToolStatus::parse(&self.form.value(F::Status))),
        })
    }

    fn amount(&mut self, ctx: &Ctx) -> Option<i64> {
        let text = self.form.value(F::Amount);
        let fen = parse_money(&text);
        if fen.is_none() {
            let message = ctx.lang.tf("tool_form.bad_amount", &[("value", &text)]);
            self.form.set_error(F::Amount, message);
        }
        fen
    }

    fn save(&mut self, ctx: &mut Ctx) -> FormOutcome {
        let lang = ctx.lang;
        let result: Result<String, ToolError> = match self.purpose.clone() {
            Purpose::Add | Purpose::Edit { .. } => {
                let Some(input) = self.tool_input(ctx) else {
                    return FormOutcome::Stay(Action::Noop);
                };
                let code = input.code.clone();
                match self.purpose {
                    Purpose::Edit { id, version } => ctx
                        .save(Deed::KeepTools, |tx, stamp| {
                            tools::edit(tx, id, version, &input, stamp)
                        })
                        .map(|()| lang.tf("tools.saved", &[("code", &code)])),
                    _ => ctx
                        .save(Deed::KeepTools, |tx, stamp| tools::add(tx, &input, stamp))
                        .map(|_| lang.tf("tools.added", &[("code", &code)])),
                }
            }
            Purpose::Retire { id, version, code } => {
                let reason = self.form.value(F::Reason);
                ctx.save(Deed::KeepTools, |tx, stamp| {
                    tools::retire(tx, id, version, &reason, stamp)
                })
                .map(|()| lang.tf("tools.retired_done", &[("code", &code)]))
            }
            Purpose::Return { item_id, .. } => {
                let condition =
                    Condition::parse(&self.form.value(F::Back)).unwrap_or(Condition::Good);
                let amount = if condition.needs_liability() {
                    let Some(fen) = self.amount(ctx) else {
                        return FormOutcome::Stay(Action::Noop);
                    };
                    fen
                } else {
                    0
                };
                let back = Return {
                    condition,
                    note: self.form.value(F::Note),
                    liable_person: self.form.value(F::Liable),
                    amount,
                    settled: self.form.value(F::Settled) == "yes",
                    repair: self.form.value(F::Repair) == "yes",
                };
                ctx.save(Deed::LendTools, |tx, stamp| {
                    tools::return_item(tx, item_id, &back, stamp)
                })
                .map(|done| {
                    let status = lang.t(done.status.label_key());
                    match &done.ticket {
                        Some(ticket) => lang.tf(
                            "tools.returned_repair",
                            &[
                                ("code", &done.code),
                                ("status", &status),
                                ("ticket", ticket),
                            ],
                        ),
                        None => lang.tf(
                            "tools.returned",
                            &[("code", &done.code), ("status", &status)],
                        ),
                    }
                })
            }
            Purpose::Settle { id, person } => {
                let Some(fen) = self.amount(ctx) else {
                    return FormOutcome::Stay(Action::Noop);
                };
                ctx.save(Deed::LendTools, |tx, stamp| {
                    tools::settle(tx, id, fen, stamp)
                })
                .map(|()| {
                    lang.tf(
                        "tools.settled",
                        &[("person", &person), ("amount", &money_text(fen))],
                    )
                })
            }
        };
        match result {
            Ok(text) => FormOutcome::Saved(Flash::info(text)),
            Err(error) => {
                let text = error.message(lang);
                let field = match error {
                    ToolError::NeedsCode | ToolError::CodeTaken { .. } => Some(F::Code),
                    ToolError::NeedsName => Some(F::Name),
                    ToolError::NeedsKind => Some(F::Kind),
                    ToolError::StillOut { .. } | ToolError::StatusNotSettable { .. } => {
                        Some(F::Status)
                    }
                    ToolError::NeedsReason => Some(F::Reason),
                    ToolError::NeedsLiable => Some(F::Liable),
                    _ => None,
                };
                match field.filter(|f| self.form.at(*f).is_some()) {
                    Some(f) => {
                        self.form.set_error(f, text);
                        FormOutcome::Stay(Action::Noop)
                    }
                    None => FormOutcome::Stay(Action::Flash(Flash::error(text))),
                }
            }
        }
    }
}
