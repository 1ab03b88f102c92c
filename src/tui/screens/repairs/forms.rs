//! The Repairs tab's forms: the fault report (from this tab, a device or a failed checklist
//! item), each workflow step asking only for what it needs, and amendments to closed tickets.

use crate::domain::permission::Deed;
use crate::tui::widgets::approval;
use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use crate::db::devices::{self, Device, ListQuery as DeviceQuery};
use crate::db::directory;
use crate::db::repairs::{self, AmendField, DeviceRef, NewRepair, Repair, RepairError};
use crate::domain::record::parse_date;
use crate::domain::repair::{
    DamageConfirmation, FaultKind, Outcome, Priority, State, Step, StepError, StepKind,
    VendorRepair, money_text, parse_money, parse_when,
};
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash, RepairDraft};
use crate::tui::screens::Ctx;
use crate::tui::tabs::Tab;
use crate::tui::widgets::form::{self, FormEvent, FormField, KeyedForm, choices};

/// The fields the forms are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum F {
    Device,
    Reporter,
    Department,
    FaultKind,
    Priority,
    Description,
    ReportedAt,
    Maintainer,
    Estimate,
    Result,
    Parts,
    Cost,
    Charged,
    HumanCaused,
    Liable,
    Part,
    Confirmer1,
    Confirmer2,
    Vendor,
    Approver,
    SentOn,
    Reference,
    ReturnedOn,
    UserName,
    Reason,
    AmendWhich,
    Value,
    /// With accounts on: the approver's countersigning password, and the paper slip's number.
    ApproverPassword,
    Slip,
    /// With accounts on: the user signing off may countersign with their own password.
    UserPassword,
    /// A line shown, not asked.
    Shown,
}

impl F {
    fn label_key(self) -> &'static str {
        match self {
            F::Device => "repair_form.device",
            F::Reporter => "repair_form.reporter",
            F::Department => "repair_form.department",
            F::FaultKind => "repair_form.kind",
            F::Priority => "repair_form.priority",
            F::Description => "repair_form.description",
            F::ReportedAt => "repair_form.reported_at",
            F::Maintainer => "repair_form.maintainer",
            F::Estimate => "repair_form.estimate",
            F::Result => "repair_field.result",
            F::Parts => "repair_field.parts",
            F::Cost => "repair_field.cost",
            F::Charged => "repair_field.charged_department",
            F::HumanCaused => "repair_form.human_caused",
            F::Liable => "repair_field.liable_person",
            F::Part => "repair_form.damaged_part",
            F::Confirmer1 => "repair_form.confirmer_1",
            F::Confirmer2 => "repair_form.confirmer_2",
            F::Vendor => "repair_form.vendor",
            F::Approver => "repair_form.approver",
            F::SentOn => "repair_form.sent_on",
            F::Reference => "repair_form.reference",
            F::ReturnedOn => "repair_form.returned_on",
            F::UserName => "repair_form.user_name",
            F::Reason => "repair_form.reason",
            F::AmendWhich => "repair_form.amend_field",
            F::Value => "repair_form.new_value",
            F::ApproverPassword => "approval.password",
            F::Slip => "approval.slip",
            F::UserPassword => "approval.user_password",
            F::Shown => "repair_field.result",
        }
    }
}

/// What a form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Purpose {
    Report {
        check_result_id: Option<i64>,
    },
    Step {
        id: i64,
        version: i64,
        kind: StepKind,
    },
    Amend {
        id: i64,
    },
}

pub struct RepairForm {
    purpose: Purpose,
    form: KeyedForm<F>,
    /// The tab the form was opened from, to go back to when it closes.
    back_to: Option<Tab>,
}

/// Where a key left the form.
pub enum FormOutcome {
    Stay(Action),
    Closed {
        back_to: Option<Tab>,
    },
    Saved {
        id: i64,
        flash: Flash,
        back_to: Option<Tab>,
    },
}

fn minute(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// Builds a form field by field, remembering which is which.
struct Builder<'a, 'b> {
    ctx: &'a Ctx<'b>,
    fields: Vec<(F, FormField)>,
    people: Vec<String>,
    departments: Vec<String>,
}

impl<'a, 'b> Builder<'a, 'b> {
    fn new(ctx: &'a Ctx<'b>) -> Builder<'a, 'b> {
        let conn = ctx.db.conn();
        Builder {
            ctx,
            fields: Vec::new(),
            people: ctx.read(directory::people_names(conn, false)),
            departments: ctx.read(directory::department_names(conn)),
        }
    }

    fn label(&self, f: F) -> String {
        self.ctx.lang.t(f.label_key()).to_owned()
    }

    fn text(mut self, f: F, value: &str) -> Self {
        let mut field = FormField::text(self.label(f), value);
        match f {
            F::Reporter
            | F::Maintainer
            | F::Liable
            | F::Confirmer1
            | F::Confirmer2
            | F::UserName => field.suggestions = self.people.clone(),
            F::Approver => {
                let conn = self.ctx.db.conn();
                let deed = Deed::ApproveVendorRepair;
                field.suggestions = self.ctx.read(crate::db::approvals::approvers(conn, deed));
            }
            F::Department | F::Charged => field.suggestions = self.departments.clone(),
            _ => {}
        }
        let hint = match f {
            F::Estimate | F::ReportedAt => Some("repair_form.time_hint"),
            F::SentOn | F::ReturnedOn => Some("repair_form.date_hint"),
            F::Cost => Some("repair_form.cost_hint"),
            F::Part | F::Confirmer1 | F::Confirmer2 => Some("repair_form.confirm_hint"),
            F::Device => Some("repair_form.device_hint"),
            _ => None,
        };
        if field.hint.is_none() {
            field.hint = hint.map(|k| self.ctx.lang.t(k).to_owned());
        }
        self.fields.push((f, field));
        self
    }

    /// The countersigning password and the paper slip, where accounts are on.
    fn approval(mut self) -> Self {
        let [password, slip]: [FormField; 2] = match approval::fields(self.ctx).try_into() {
            Ok(fields) => fields,
            Err(_) => return self,
        };
        self.fields.push((F::ApproverPassword, password));
        self.fields.push((F::Slip, slip));
        self
    }

    /// The signing-off user's own password, where accounts are on (optional).
    fn user_countersign(mut self) -> Self {
        if self.ctx.accounts_on() {
            let lang = self.ctx.lang;
            let field = FormField::secret(
                self.label(F::UserPassword),
                lang.t("approval.user_password_hint").to_owned(),
            );
            self.fields.push((F::UserPassword, field));
        }
        self
    }

    fn choice(mut self, f: F, value: &str, options: Vec<(String, String)>) -> Self {
        let field = FormField::choice(self.label(f), value, options);
        self.fields.push((f, field));
        self
    }

    fn fixed(mut self, label: &str, value: &str, hint: &str) -> Self {
        let field = FormField::fixed(self.ctx.lang.t(label).to_owned(), value, hint.to_owned());
        self.fields.push((F::Shown, field));
        self
    }

    fn yes_no(self, f: F, yes: bool) -> Self {
        let options = form::yes_no(self.ctx.lang);
        self.choice(f, if yes { "yes" } else { "no" }, options)
    }

    fn damage(self, repair: &Repair) -> Self {
        let d = &repair.flow.damage;
        self.text(F::Part, &d.part)
            .text(F::Confirmer1, &d.first)
            .text(F::Confirmer2, &d.second)
    }

    fn build(self, title: String, purpose: Purpose, back_to: Option<Tab>) -> RepairForm {
        RepairForm {
            purpose,
            form: KeyedForm::new(title, self.fields),
            back_to,
        }
    }
}

impl RepairForm {
    /// Something was typed or chosen since the form opened.
    pub fn unsaved(&self) -> bool {
        self.form.dirty
    }

    /// The report form (报修), filled in from a draft.
    pub fn report(ctx: &Ctx, draft: RepairDraft) -> RepairForm {
        let lang = ctx.lang;
        let mut form = Builder::new(ctx)
            .text(F::Device, &draft.device)
            .text(F::Reporter, &draft.reporter)
            .text(F::Department, &draft.department)
            .choice(
                F::FaultKind,
                FaultKind::Hardware.key(),
                choices(&FaultKind::ALL, FaultKind::key, FaultKind::label_key, lang),
            )
            .choice(
                F::Priority,
                Priority::Normal.key(),
                choices(&Priority::ALL, Priority::key, Priority::label_key, lang),
            )
            .text(F::Description, &draft.description)
            .text(F::ReportedAt, &minute(ctx.now))
            .build(
                lang.t("repair_form.report_title").to_owned(),
                Purpose::Report {
                    check_result_id: draft.check_result_id,
                },
                draft.back_to,
            );
        form.describe_device(ctx);
        if draft.department.is_empty()
            && let Some(device) = resolve_device(ctx, &draft.device)
            && let Some(i) = form.form.at(F::Department)
        {
            form.form.fields[i]
                .input
                .set(device.record.department.clone());
        }
        // The cursor starts on the first empty field: what the draft could not fill in.
        if let Some(at) = form.form.fields.iter().position(|f| f.value().is_empty()) {
            form.form.focus = at;
        }
        form
    }

    /// The form of one step on a ticket; `None` for a step that needs nothing (start).
    pub fn step(ctx: &Ctx, repair: &Repair, kind: StepKind) -> Option<RepairForm> {
        let lang = ctx.lang;
        let flow = &repair.flow;
        let out_of_warranty = flow.under_warranty != Some(true);
        let b = Builder::new(ctx);
        let b = match kind {
            StepKind::Start => return None,
            StepKind::Assess => {
                let estimate = ctx.now + chrono::Duration::hours(repair.priority.usual_hours());
                b.text(F::Maintainer, ctx.operator)
                    .text(F::Estimate, &minute(estimate))
            }
            StepKind::ToVendor => {
                let b = b
                    .text(F::Vendor, &flow.vendor.vendor)
                    .text(F::Approver, &flow.vendor.approver)
                    .text(F::SentOn, &ctx.today.to_string())
                    .text(F::Reference, &flow.vendor.reference)
                    .approval();
                if out_of_warranty { b.damage(repair) } else { b }
            }
            StepKind::FromVendor => b.text(F::ReturnedOn, &ctx.today.to_string()),
            StepKind::Finish => {
                let mut b = b;
                if flow.state == State::AtVendor {
                    b = b.text(F::ReturnedOn, &ctx.today.to_string());
                }
                let charged = if flow.outcome.charged_department.is_empty() {
                    repair.department.as_str()
                } else {
                    flow.outcome.charged_department.as_str()
                };
                b = b
                    .text(F::Result, &flow.outcome.result)
                    .text(F::Parts, &flow.outcome.parts)
                    .text(F::Cost, &cost_text(flow.outcome.cost))
                    .text(F::Charged, charged)
                    .yes_no(F::HumanCaused, flow.outcome.human_caused)
                    .text(F::Liable, &flow.outcome.liable_person);
                // Confirmed when it went to the vendor: not asked again.
                if out_of_warranty && flow.damage.second.is_empty() {
                    b.damage(repair)
                } else {
                    b
                }
            }
            StepKind::Confirm => b
                .fixed(
                    "repair_field.result",
                    &flow.outcome.result,
                    lang.t("repair_form.confirm_read"),
                )
                .text(F::UserName, &repair.reporter)
                .user_countersign(),
            StepKind::Reject | StepKind::GiveUp => b.text(F::Reason, ""),
        };
        let title = lang.tf(
            "repair_form.step_title",
            &[
                ("ticket", &repair.ticket),
                ("step", &lang.t(kind.label_key())),
            ],
        );
        Some(b.build(
            title,
            Purpose::Step {
                id: repair.id,
                version: repair.row_version,
                kind,
            },
            None,
        ))
    }

    /// The amendment form of a closed ticket.
    pub fn amend(ctx: &Ctx, repair: &Repair) -> RepairForm {
        let lang = ctx.lang;
        let first = AmendField::Result;
        let mut form = Builder::new(ctx)
            .choice(
                F::AmendWhich,
                first.key(),
                choices(
                    &AmendField::ALL,
                    AmendField::key,
                    AmendField::label_key,
                    lang,
                ),
            )
            .text(F::Value, &first.value(&repair.flow.outcome))
            .text(F::Reason, "")
            .build(
                lang.tf("repair_form.amend_title", &[("ticket", &repair.ticket)]),
                Purpose::Amend { id: repair.id },
                None,
            );
        form.form.focus = 1;
        form
    }

    /// Under the device field: which register entry the text names, or that it names none.
    fn describe_device(&mut self, ctx: &Ctx) {
        let Some(i) = self.form.at(F::Device) else {
            return;
        };
        let lang = ctx.lang;
        let text = self.form.value(F::Device);
        let hint = match resolve_device(ctx, &text) {
            Some(d) => lang.tf(
                "repair_form.device_found",
                &[
                    ("tag", &d.record.asset_tag),
                    ("name", &d.record.name),
                    ("status", &lang.t(d.record.status.label_key())),
                ],
            ),
            None if text.is_empty() => lang.t("repair_form.device_hint").to_owned(),
            None => lang.t("repair_form.device_free").to_owned(),
        };
        self.form.fields[i].hint = Some(hint);
    }

    /// Devices matching what is typed, for `Ctrl-P` on the device field (at most 50).
    fn offer_devices(&mut self, ctx: &Ctx) {
        let Some(i) = self.form.at(F::Device) else {
            return;
        };
        let query = DeviceQuery {
            search: self.form.value(F::Device),
            ..DeviceQuery::default()
        };
        let conn = ctx.db.conn();
        let ids = ctx.read(devices::list_ids(conn, &query));
        let found = ctx.read(devices::by_ids(conn, &ids[..ids.len().min(50)]));
        self.form.fields[i].suggestions =
            found.iter().map(|d| d.record.asset_tag.clone()).collect();
    }

    /// When the amended field changes, the value shown is that field's current one.
    fn refill_amend_value(&mut self, ctx: &Ctx) {
        let Purpose::Amend { id } = self.purpose else {
            return;
        };
        let which = AmendField::ALL
            .into_iter()
            .find(|f| f.key() == self.form.value(F::AmendWhich));
        if let (Some(which), Some(i), Ok(Some(repair))) = (
            which,
            self.form.at(F::Value),
            repairs::get(ctx.db.conn(), id),
        ) {
            self.form.fields[i]
                .input
                .set(which.value(&repair.flow.outcome));
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let on_device = self.form.at(F::Device) == Some(self.form.focus);
        if on_device
            && ((ctrl && matches!(key.code, KeyCode::Char('p' | 'P'))) || key.code == KeyCode::F(2))
        {
            self.offer_devices(ctx);
        }
        // Enter on the last field saves: a one-field step is one line and one key.
        let event = self.form.handle_key_last_saves(key);
        match event {
            FormEvent::Nothing => FormOutcome::Stay(Action::Noop),
            FormEvent::Changed => {
                if self.form.at(F::AmendWhich) == Some(self.form.focus) {
                    self.refill_amend_value(ctx);
                }
                self.describe_device(ctx);
                FormOutcome::Stay(Action::Noop)
            }
            FormEvent::Close => FormOutcome::Closed {
                back_to: self.back_to,
            },
            FormEvent::Save => self.save(ctx),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        self.form.render(frame, area, lang);
    }

    fn save(&mut self, ctx: &mut Ctx) -> FormOutcome {
        let lang = ctx.lang;
        let result: Result<(i64, String), RepairError> = match self.purpose.clone() {
            Purpose::Report { check_result_id } => {
                let Some(new) = self.new_repair(ctx, check_result_id) else {
                    return FormOutcome::Stay(Action::Noop);
                };
                ctx.save(Deed::ReportFault, |tx, stamp| {
                    repairs::report(tx, &new, stamp)
                })
                .map(|(id, ticket)| (id, lang.tf("repairs.reported", &[("ticket", &ticket)])))
            }
            Purpose::Step { id, version, kind } => {
                let Some(step) = self.step_input(kind, ctx) else {
                    return FormOutcome::Stay(Action::Noop);
                };
                let evidence = match &step {
                    Step::ToVendor { vendor, .. }
                        if self.form.at(F::ApproverPassword).is_some() =>
                    {
                        let password = self.form.raw(F::ApproverPassword);
                        let slip = self.form.value(F::Slip);
                        let deed = Deed::ApproveVendorRepair;
                        let approver = vendor.approver.clone();
                        match approval::evidence(
                            ctx,
                            Deed::WorkRepairs,
                            deed,
                            &approver,
                            &password,
                            &slip,
                        ) {
                            Ok(evidence) => evidence,
                            Err(approval::Refused::Approver(why)) => {
                                self.form.set_error(F::Approver, why);
                                return FormOutcome::Stay(Action::Noop);
                            }
                            Err(approval::Refused::Password(why)) => {
                                self.form.set_error(F::ApproverPassword, why);
                                self.form.clear(F::ApproverPassword);
                                return FormOutcome::Stay(Action::Noop);
                            }
                        }
                    }
                    Step::Confirm { by } if !self.form.raw(F::UserPassword).is_empty() => {
                        let password = self.form.raw(F::UserPassword);
                        let what = "repair_sign_off";
                        match approval::countersigned(ctx, Deed::WorkRepairs, by, &password, what) {
                            Ok(evidence) => evidence,
                            Err(why) => {
                                self.form.set_error(F::UserPassword, why);
                                self.form.clear(F::UserPassword);
                                return FormOutcome::Stay(Action::Noop);
                            }
                        }
                    }
                    _ => Default::default(),
                };
                ctx.save(Deed::WorkRepairs, |tx, stamp| {
                    repairs::step_approved(tx, id, version, &step, &evidence, stamp)
                })
                .map(|state| (id, stepped_text(ctx, id, state)))
            }
            Purpose::Amend { id } => {
                let which = AmendField::ALL
                    .into_iter()
                    .find(|f| f.key() == self.form.value(F::AmendWhich))
                    .unwrap_or(AmendField::Result);
                let (value, reason) = (self.form.value(F::Value), self.form.value(F::Reason));
                ctx.save(Deed::WorkRepairs, |tx, stamp| {
                    repairs::amend(tx, id, which, &value, &reason, stamp)
                })
                .map(|()| (id, lang.t("repairs.amended").to_owned()))
            }
        };
        match result {
            Ok((id, text)) => FormOutcome::Saved {
                id,
                flash: Flash::info(text),
                back_to: self.back_to,
            },
            Err(error) => {
                let text = error.message(lang);
                match error_field(&error, self) {
                    Some(f) => self.form.set_error(f, text.clone()),
                    None => return FormOutcome::Stay(Action::Flash(Flash::error(text))),
                }
                FormOutcome::Stay(Action::Flash(Flash::error(text)))
            }
        }
    }

    fn new_repair(&mut self, ctx: &Ctx, check_result_id: Option<i64>) -> Option<NewRepair> {
        let lang = ctx.lang;
        let Some(reported_at) = parse_when(&self.form.value(F::ReportedAt), ctx.now) else {
            self.form
                .set_error(F::ReportedAt, lang.t("repair_form.bad_time").to_owned());
            return None;
        };
        let text = self.form.value(F::Device);
        let device = match resolve_device(ctx, &text) {
            Some(d) => DeviceRef::Registered(d.id),
            None => DeviceRef::Unregistered(text),
        };
        let reporter = self.form.value(F::Reporter);
        let mut department = self.form.value(F::Department);
        if department.is_empty() {
            department = ctx
                .read(directory::people_with_departments(ctx.db.conn()))
                .into_iter()
                .find(|(_, name)| *name == reporter)
                .map(|(dept, _)| dept)
                .unwrap_or_default();
        }
        Some(NewRepair {
            device,
            reporter,
            department,
            reported_at,
            kind: FaultKind::parse(&self.form.value(F::FaultKind)).unwrap_or(FaultKind::Other),
            description: self.form.value(F::Description),
            priority: Priority::parse(&self.form.value(F::Priority)).unwrap_or(Priority::Normal),
            check_result_id,
        })
    }

    fn date(&mut self, f: F, lang: Lang) -> Result<Option<chrono::NaiveDate>, ()> {
        let text = self.form.value(f);
        if text.is_empty() {
            return Ok(None);
        }
        match parse_date(&text) {
            Some(d) => Ok(Some(d)),
            None => {
                self.form
                    .set_error(f, lang.tf("repair_form.bad_date", &[("value", &text)]));
                Err(())
            }
        }
    }

    fn damage(&self) -> DamageConfirmation {
        DamageConfirmation {
            part: self.form.value(F::Part),
            first: self.form.value(F::Confirmer1),
            second: self.form.value(F::Confirmer2),
        }
    }

    fn step_input(&mut self, kind: StepKind, ctx: &Ctx) -> Option<Step> {
        let lang = ctx.lang;
        Some(match kind {
            StepKind::Assess => {
                let text = self.form.value(F::Estimate);
                let Some(estimate_at) = parse_when(&text, ctx.now) else {
                    self.form
                        .set_error(F::Estimate, lang.t("repair_form.bad_time").to_owned());
                    return None;
                };
                Step::Assess {
                    maintainer: self.form.value(F::Maintainer),
                    estimate_at,
                }
            }
            StepKind::Start => Step::Start,
            StepKind::ToVendor => {
                let sent_on = self.date(F::SentOn, lang).ok()?;
                Step::ToVendor {
                    vendor: VendorRepair {
                        vendor: self.form.value(F::Vendor),
                        approver: self.form.value(F::Approver),
                        sent_on,
                        returned_on: None,
                        reference: self.form.value(F::Reference),
                    },
                    damage: self.damage(),
                }
            }
            StepKind::FromVendor => {
                let Some(returned_on) = self.date(F::ReturnedOn, lang).ok()? else {
                    self.form.set_error(
                        F::ReturnedOn,
                        lang.t(StepError::NeedsReturnDate.label_key()).to_owned(),
                    );
                    return None;
                };
                Step::FromVendor { returned_on }
            }
            StepKind::Finish => {
                let returned_on = self.date(F::ReturnedOn, lang).ok()?;
                let cost_text = self.form.value(F::Cost);
                let Some(cost) = parse_money(&cost_text) else {
                    self.form.set_error(
                        F::Cost,
                        RepairError::BadCost { value: cost_text }.message(lang),
                    );
                    return None;
                };
                Step::Finish {
                    outcome: Outcome {
                        result: self.form.value(F::Result),
                        parts: self.form.value(F::Parts),
                        cost,
                        charged_department: self.form.value(F::Charged),
                        human_caused: self.form.value(F::HumanCaused) == "yes",
                        liable_person: self.form.value(F::Liable),
                    },
                    damage: self.damage(),
                    returned_on,
                }
            }
            StepKind::Confirm => Step::Confirm {
                by: self.form.value(F::UserName),
            },
            StepKind::Reject => Step::Reject {
                reason: self.form.value(F::Reason),
            },
            StepKind::GiveUp => Step::GiveUp {
                reason: self.form.value(F::Reason),
            },
        })
    }
}

/// A cost as the form shows it: empty for nothing yet.
fn cost_text(fen: i64) -> String {
    if fen == 0 {
        String::new()
    } else {
        money_text(fen)
    }
}

/// The register entry a typed device names: its asset tag, or its IP address.
fn resolve_device(ctx: &Ctx, text: &str) -> Option<Device> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let conn = ctx.db.conn();
    if let Ok(Some(d)) = devices::by_tag(conn, text) {
        return Some(d);
    }
    let ip = text.parse::<std::net::IpAddr>().ok()?;
    let (id, _) = ctx.found(devices::address_holder(conn, ip))?;
    ctx.found(devices::get(conn, id))
}

/// The field a refusal is about, if the form has it.
fn error_field(error: &RepairError, form: &RepairForm) -> Option<F> {
    use crate::db::approvals::ApprovalError::{CountersignedByOther, NeedsEvidence};
    let f = match error {
        RepairError::Approval(NeedsEvidence | CountersignedByOther)
            if form.form.at(F::ApproverPassword).is_some() =>
        {
            F::ApproverPassword
        }
        RepairError::Approval(CountersignedByOther) if form.form.at(F::UserPassword).is_some() => {
            F::UserPassword
        }
        RepairError::Approval(_) => F::Approver,
        RepairError::Step(e) => match e {
            StepError::NeedsMaintainer => F::Maintainer,
            StepError::NeedsEstimate | StepError::EstimateBeforeReport => F::Estimate,
            StepError::NeedsVendor => F::Vendor,
            StepError::NeedsApprover | StepError::SelfApproved => F::Approver,
            StepError::NeedsSentDate => F::SentOn,
            StepError::NeedsReturnDate | StepError::ReturnBeforeSent => F::ReturnedOn,
            StepError::NeedsResult => F::Result,
            StepError::NeedsDamagedPart => F::Part,
            StepError::NeedsTwoConfirmers if form.form.value(F::Confirmer1).is_empty() => {
                F::Confirmer1
            }
            StepError::NeedsTwoConfirmers | StepError::SameConfirmer => F::Confirmer2,
            StepError::NeedsLiablePerson => F::Liable,
            StepError::NeedsUserName | StepError::UserNotOfDepartment => F::UserName,
            StepError::NeedsReason => F::Reason,
            StepError::NotAllowed { .. } => return None,
        },
        RepairError::NeedsDevice
        | RepairError::DeviceUnavailable { .. }
        | RepairError::DeviceNotFound => F::Device,
        RepairError::NeedsReporter => F::Reporter,
        RepairError::NeedsDescription => F::Description,
        RepairError::NeedsReason => F::Reason,
        RepairError::BadCost { .. } => {
            if form.form.at(F::Cost).is_some() {
                F::Cost
            } else {
                F::Value
            }
        }
        _ => return None,
    };
    form.form.at(f).map(|_| f)
}

/// The flash after a step: the ticket and where it is now.
fn stepped_text(ctx: &Ctx, id: i64, state: State) -> String {
    let lang = ctx.lang;
    let ticket = ctx
        .found(repairs::get(ctx.db.conn(), id))
        .map(|r| r.ticket)
        .unwrap_or_default();
    let key = if state == State::Unrepairable {
        "repairs.unrepairable"
    } else {
        "repairs.stepped"
    };
    lang.tf(
        key,
        &[("ticket", &ticket), ("state", &lang.t(state.label_key()))],
    )
}

/// Take the start step at once (it needs nothing typed).
pub fn start(ctx: &mut Ctx, repair: &Repair) -> Flash {
    let (id, version) = (repair.id, repair.row_version);
    match ctx.save(Deed::WorkRepairs, |tx, stamp| {
        repairs::step(tx, id, version, &Step::Start, stamp)
    }) {
        Ok(state) => Flash::info(stepped_text(ctx, id, state)),
        Err(e) => Flash::error(e.message(ctx.lang)),
    }
}
