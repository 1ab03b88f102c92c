//! The Devices tab's forms: add and edit (checked while typing), transfer, status change,
//! removal, and the file prompts of export and import (the import's review is `review.rs`).

use crate::db::approvals;
use crate::domain::permission::Deed;
use crate::tui::widgets::approval;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use super::directory_names;
use super::review::Review;
use crate::db::device_log::EventKind;
use crate::db::devices::{self, Device, SaveError, StatusChange, Transfer};
use crate::domain::device::{Category, ChangeDetails, ScrapReason, Status};
use crate::domain::record::{Field, Record, parse_date};
use crate::exchange;
use crate::i18n::Lang;
use crate::tui::action::{Action, Flash};
use crate::tui::screens::Ctx;
use crate::tui::widgets::form::{Form, FormEvent, FormField, choices, yes_no};

/// What a form is for, with the device it works on.
enum Purpose {
    Add,
    Edit(Device),
    Transfer(Device),
    Status(Device),
    Remove(Device),
    /// A line by hand into the history book.
    Line(Device),
    Import,
}

pub struct Editor {
    purpose: Purpose,
    form: Form,
    /// Opened from the detail view: cancelling goes back there.
    from_detail: bool,
    /// Save was pressed once: from then on empty required fields are marked too.
    tried_save: bool,
    /// The asset tag the new-device form offered: while it stands untouched, choosing another
    /// category offers that category's next tag instead.
    offered_tag: Option<String>,
}

/// Where a key left the form.
pub enum Outcome {
    Stay(Action),
    Cancelled { back_to: Option<i64> },
    Saved { id: i64, flash: Flash },
    Review(Box<Review>),
}

impl Editor {
    /// Something was typed since the form opened.
    pub fn unsaved(&self) -> bool {
        self.form.dirty
    }

    fn new(purpose: Purpose, form: Form, from_detail: bool) -> Editor {
        Editor {
            purpose,
            form,
            from_detail,
            tried_save: false,
            offered_tag: None,
        }
    }

    fn record_form(ctx: &Ctx, title: String, values: [String; 17], status_fixed: bool) -> Form {
        let lang = ctx.lang;
        let conn = ctx.db.conn();
        let (departments, people) = directory_names(ctx);
        let known = |f: Field| ctx.read(devices::known_values(conn, f, 200));
        let merge = |mut a: Vec<String>, b: Vec<String>| {
            for v in b {
                if !a.contains(&v) {
                    a.push(v);
                }
            }
            a
        };
        let fields = Field::ALL
            .iter()
            .zip(values)
            .map(|(field, value)| {
                let label = lang.t(field.label_key()).to_owned();
                match field {
                    Field::Category => FormField::choice(
                        label,
                        &value,
                        choices(&Category::ALL, Category::key, Category::label_key, lang),
                    ),
                    Field::Status if status_fixed => {
                        let shown = Status::parse(&value)
                            .map_or(value.clone(), |s| lang.t(s.label_key()).to_owned());
                        FormField::fixed(label, &shown, lang.t("devices.status_hint").to_owned())
                    }
                    Field::Status => FormField::choice(
                        label,
                        &value,
                        choices(&Status::INITIAL, Status::key, Status::label_key, lang),
                    ),
                    Field::UpsProtected => FormField::choice(label, &value, yes_no(lang)),
                    Field::Department => FormField::text(label, &value)
                        .with_suggestions(merge(departments.clone(), known(Field::Department))),
                    Field::Owner => FormField::text(label, &value)
                        .with_suggestions(merge(people.clone(), known(Field::Owner))),
                    Field::Location | Field::Manufacturer | Field::Supplier | Field::Model => {
                        FormField::text(label, &value).with_suggestions(known(*field))
                    }
                    Field::PurchasedOn | Field::WarrantyUntil => {
                        let mut f = FormField::text(label, &value);
                        f.hint = Some(lang.t("devices.date_hint").to_owned());
                        f
                    }
                    _ => FormField::text(label, &value),
                }
            })
            .collect();
        Form::new(title, fields)
    }

    /// The new-device form, offering the next free asset tag in the register's pattern and,
    /// from the IP table, the chosen subnet's next free address (the table has read every
    /// address in use already; the plain form does not read them on its key).
    pub fn add(ctx: &Ctx, from_detail: bool, address: Option<String>) -> Editor {
        let mut values: [String; 17] = Default::default();
        let tag = devices::next_free_tag(ctx.db.conn(), Category::Pc)
            .ok()
            .flatten();
        values[Field::AssetTag.index()] = tag.clone().unwrap_or_default();
        values[Field::Category.index()] = Category::Pc.key().to_owned();
        values[Field::Status.index()] = Status::InUse.key().to_owned();
        values[Field::UpsProtected.index()] = "no".to_owned();
        values[Field::IpAddress.index()] = address.unwrap_or_default();
        let mut form = Editor::record_form(
            ctx,
            ctx.lang.t("devices.add_title").to_owned(),
            values,
            false,
        );
        if tag.is_some() {
            form.fields[Field::AssetTag.index()].hint =
                Some(ctx.lang.t("devices.tag_offered").to_owned());
            // The name is what is left to type.
            form.focus = Field::Name.index();
        }
        let mut editor = Editor::new(Purpose::Add, form, from_detail);
        editor.offered_tag = tag;
        editor
    }

    /// The category changed while the offered tag stands: offer that category's next tag.
    fn follow_category(&mut self, ctx: &Ctx) {
        let at = Field::AssetTag.index();
        let Some(offered) = &self.offered_tag else {
            return;
        };
        if self.form.value(at) != offered {
            self.offered_tag = None;
            return;
        }
        let category = Category::parse(self.form.value(Field::Category.index()));
        if let Some(next) =
            category.and_then(|c| ctx.found(devices::next_free_tag(ctx.db.conn(), c)))
        {
            self.form.fields[at].input.set(next.clone());
            self.offered_tag = Some(next);
        }
    }

    pub fn edit(ctx: &Ctx, device: Device, from_detail: bool) -> Editor {
        let title = ctx
            .lang
            .tf("devices.edit_title", &[("tag", &device.record.asset_tag)]);
        let mut form = Editor::record_form(ctx, title, device.record.values(), true);
        form.focus = Field::Name.index();
        Editor::new(Purpose::Edit(device), form, from_detail)
    }

    /// The approval's evidence from the form's password and slip fields (from `password_at`),
    /// if it has them; a refused countersignature marks the password field and gives `None`.
    fn evidence(
        &mut self,
        ctx: &mut Ctx,
        deed: Deed,
        approver_at: usize,
        password_at: usize,
    ) -> Option<crate::db::approvals::Evidence> {
        if self.form.fields.len() <= password_at + 1 {
            return Some(Default::default());
        }
        let approver = self.form.value(approver_at).to_owned();
        let password = self.form.value(password_at).to_owned();
        let slip = self.form.value(password_at + 1).to_owned();
        match approval::evidence(ctx, Deed::KeepDevices, deed, &approver, &password, &slip) {
            Ok(evidence) => Some(evidence),
            Err(approval::Refused::Approver(why)) => {
                self.form.fields[approver_at].error = Some(why);
                None
            }
            Err(approval::Refused::Password(why)) => {
                self.form.fields[password_at].input.set("");
                self.form.fields[password_at].error = Some(why);
                None
            }
        }
    }

    /// The field an approval's refusal belongs to: the password where the evidence is wanting
    /// (and the form has it), else the approver.
    fn approval_field(
        &self,
        e: &SaveError,
        approver_at: usize,
        password_at: usize,
    ) -> Option<usize> {
        use crate::db::approvals::ApprovalError::*;
        match e {
            SaveError::Approval(NeedsEvidence | CountersignedByOther)
                if self.form.fields.len() > password_at =>
            {
                Some(password_at)
            }
            SaveError::Approval(_) | SaveError::NeedsApprover | SaveError::SelfApproved => {
                Some(approver_at)
            }
            _ => None,
        }
    }

    pub fn transfer(ctx: &Ctx, device: Device, from_detail: bool) -> Editor {
        let lang = ctx.lang;
        let (departments, people) = directory_names(ctx);
        let approvers = ctx.read(approvals::approvers(ctx.db.conn(), Deed::ApproveTransfer));
        let r = &device.record;
        let locations = ctx.read(devices::known_values(ctx.db.conn(), Field::Location, 200));
        let fields = vec![
            FormField::text(lang.t("field.location").to_owned(), &r.location)
                .with_suggestions(locations),
            FormField::text(lang.t("field.department").to_owned(), &r.department)
                .with_suggestions(departments),
            FormField::text(lang.t("field.owner").to_owned(), &r.owner).with_suggestions(people),
            FormField::text(lang.t("devices.approver").to_owned(), "").with_suggestions(approvers),
            FormField::text(lang.t("devices.date").to_owned(), &ctx.today.to_string()),
            FormField::text(lang.t("devices.reason").to_owned(), ""),
        ]
        .into_iter()
        .chain(approval::fields(ctx))
        .collect();
        let title = lang.tf("devices.transfer_title", &[("tag", &r.asset_tag)]);
        Editor::new(
            Purpose::Transfer(device),
            Form::new(title, fields),
            from_detail,
        )
    }

    pub fn status(ctx: &Ctx, device: Device, from_detail: bool) -> Editor {
        let lang = ctx.lang;
        let next = device.record.status.next();
        // Lending out and scrapping are approved by different roles: both are offered.
        let mut approvers = ctx.read(approvals::approvers(ctx.db.conn(), Deed::ApproveLending));
        for name in ctx.read(approvals::approvers(ctx.db.conn(), Deed::ApproveScrapping)) {
            if !approvers.contains(&name) {
                approvers.push(name);
            }
        }
        let first = next.first().map_or("", |s| s.key());
        let reasons = vec![
            (String::new(), "-".to_owned()),
            (
                "beyond_repair".to_owned(),
                lang.t("scrap.beyond_repair").to_owned(),
            ),
            (
                "repair_cost".to_owned(),
                lang.t("scrap.repair_cost").to_owned(),
            ),
            ("other".to_owned(), lang.t("scrap.other").to_owned()),
        ];
        let mut scrap = FormField::choice(lang.t("devices.scrap_reason").to_owned(), "", reasons);
        scrap.hint = Some(lang.t("devices.scrap_hint").to_owned());
        let mut approver =
            FormField::text(lang.t("devices.approver").to_owned(), "").with_suggestions(approvers);
        approver.hint = Some(lang.t("devices.approver_hint").to_owned());
        let fields = vec![
            FormField::choice(
                lang.t("devices.new_status").to_owned(),
                first,
                choices(next, Status::key, Status::label_key, lang),
            ),
            approver,
            FormField::text(lang.t("devices.date").to_owned(), &ctx.today.to_string()),
            scrap,
            FormField::text(lang.t("devices.reason").to_owned(), ""),
        ]
        .into_iter()
        .chain(approval::fields(ctx))
        .collect();
        let title = lang.tf(
            "devices.status_title",
            &[
                ("tag", &device.record.asset_tag),
                ("status", &lang.t(device.record.status.label_key())),
            ],
        );
        Editor::new(
            Purpose::Status(device),
            Form::new(title, fields),
            from_detail,
        )
    }

    pub fn remove(ctx: &Ctx, device: Device, from_detail: bool) -> Editor {
        let lang = ctx.lang;
        let mut reason = FormField::text(lang.t("devices.reason").to_owned(), "");
        reason.hint = Some(lang.t("devices.remove_hint").to_owned());
        let title = lang.tf("devices.remove_title", &[("tag", &device.record.asset_tag)]);
        Editor::new(
            Purpose::Remove(device),
            Form::new(title, vec![reason]),
            from_detail,
        )
    }

    /// A line by hand into the device's history book: its kind, the day, what happened.
    pub fn line(ctx: &Ctx, device: Device, from_detail: bool) -> Editor {
        let lang = ctx.lang;
        let kinds = choices(
            EventKind::BY_HAND,
            EventKind::key,
            EventKind::label_key,
            lang,
        );
        let mut text = FormField::text(lang.t("devices.line_text").to_owned(), "");
        text.hint = Some(lang.t("devices.line_hint").to_owned());
        let fields = vec![
            FormField::choice(
                lang.t("devices.line_kind").to_owned(),
                EventKind::Maintenance.key(),
                kinds,
            ),
            FormField::text(lang.t("devices.date").to_owned(), &ctx.today.to_string()),
            text,
        ];
        let title = lang.tf("devices.line_title", &[("tag", &device.record.asset_tag)]);
        Editor::new(Purpose::Line(device), Form::new(title, fields), from_detail)
    }

    /// The import prompt, offering `last` (the file imported last) again.
    pub fn import(ctx: &Ctx, last: Option<&Path>) -> Editor {
        let lang = ctx.lang;
        let last = last.map(|p| p.display().to_string()).unwrap_or_default();
        let mut file = FormField::text(lang.t("devices.file").to_owned(), &last);
        file.hint = Some(lang.t("devices.import_hint").to_owned());
        let mut update = FormField::choice(
            lang.t("devices.update_existing").to_owned(),
            "no",
            yes_no(lang),
        );
        update.hint = Some(lang.t("cli.update").to_owned());
        let form = Form::new(
            lang.t("devices.import_title").to_owned(),
            vec![file, update],
        );
        Editor::new(Purpose::Import, form, false)
    }

    fn device_id(&self) -> Option<i64> {
        match &self.purpose {
            Purpose::Edit(d)
            | Purpose::Transfer(d)
            | Purpose::Status(d)
            | Purpose::Remove(d)
            | Purpose::Line(d) => Some(d.id),
            _ => None,
        }
    }

    /// Check the add/edit form against the rules and the register; mark each bad field.
    fn check_record(&mut self, ctx: &Ctx) -> Option<Record> {
        let except = self.device_id();
        let lang = ctx.lang;
        let form = &mut self.form;
        form.clear_errors();
        let mut values: [String; 17] = Default::default();
        for (i, v) in values.iter_mut().enumerate() {
            *v = form.value(i).to_owned();
        }
        if let Purpose::Edit(device) = &self.purpose {
            // The status is shown by name and not edited here.
            values[Field::Status.index()] = device.record.status.key().to_owned();
        }
        let record = match Record::parse(&values) {
            Ok(r) => Some(r),
            Err(errors) => {
                for e in errors {
                    let empty = values[e.field.index()].trim().is_empty();
                    if self.tried_save || !empty {
                        form.fields[e.field.index()].error = Some(e.problem.message(lang));
                    }
                }
                None
            }
        };
        let conn = ctx.db.conn();
        let tag = values[Field::AssetTag.index()].trim();
        if !tag.is_empty() && devices::tag_taken(conn, tag, except).unwrap_or(false) {
            form.fields[Field::AssetTag.index()].error =
                Some(lang.tf("save.duplicate_tag", &[("tag", &tag)]));
        }
        if let Some(r) = &record
            && let Some(ip) = r.ip_address
            && let Ok(Some(holder)) = devices::ip_holder(conn, ip, except)
        {
            form.fields[Field::IpAddress.index()].error =
                Some(lang.tf("save.duplicate_ip", &[("ip", &ip), ("holder", &holder)]));
        }
        record.filter(|_| form.error_count() == 0)
    }

    /// Check a date field; mark it when it is not a date.
    fn date_field(&mut self, index: usize, lang: Lang) -> Option<NaiveDate> {
        let text = self.form.value(index).to_owned();
        let date = parse_date(&text);
        if date.is_none() {
            self.form.fields[index].error = Some(lang.tf("invalid.date", &[("value", &text)]));
        }
        date
    }

    /// Read the device again and start over on what is stored now: after a save was refused
    /// because someone else changed it meanwhile.
    fn reload(&mut self, ctx: &Ctx) -> Outcome {
        let fresh = self
            .device_id()
            .and_then(|id| ctx.found(crate::db::devices::get(ctx.db.conn(), id)));
        let Some(device) = fresh else {
            return Outcome::Stay(Action::Noop);
        };
        let tag = device.record.asset_tag.clone();
        let from_detail = self.from_detail;
        *self = match &self.purpose {
            Purpose::Edit(_) => Editor::edit(ctx, device, from_detail),
            Purpose::Transfer(_) => Editor::transfer(ctx, device, from_detail),
            Purpose::Status(_) => Editor::status(ctx, device, from_detail),
            Purpose::Remove(_) => Editor::remove(ctx, device, from_detail),
            _ => return Outcome::Stay(Action::Noop),
        };
        Outcome::Stay(Action::Flash(Flash::info(
            ctx.lang.tf("save.reloaded", &[("tag", &tag)]),
        )))
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        let ctrl = key
            .modifiers
            .contains(ratatui::crossterm::event::KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('r') && self.device_id().is_some() {
            return self.reload(ctx);
        }
        match self.form.handle_key(key) {
            FormEvent::Nothing => Outcome::Stay(Action::Noop),
            FormEvent::Changed => {
                if matches!(self.purpose, Purpose::Add) {
                    self.follow_category(ctx);
                }
                if matches!(self.purpose, Purpose::Add | Purpose::Edit(_)) {
                    self.check_record(ctx);
                } else {
                    self.form.clear_errors();
                }
                Outcome::Stay(Action::Noop)
            }
            FormEvent::Close => Outcome::Cancelled {
                back_to: self.device_id().filter(|_| self.from_detail),
            },
            FormEvent::Save => {
                self.tried_save = true;
                let outcome = self.save(ctx);
                if let Outcome::Stay(_) = outcome {
                    self.form.focus_first_error();
                }
                outcome
            }
        }
    }

    fn refused(&mut self, error: &SaveError, lang: Lang) -> Outcome {
        let field = match error {
            SaveError::DuplicateTag { .. } => Some(Field::AssetTag.index()),
            SaveError::DuplicateIp { .. } => Some(Field::IpAddress.index()),
            _ => None,
        };
        if let (Some(i), Purpose::Add | Purpose::Edit(_)) = (field, &self.purpose) {
            self.form.fields[i].error = Some(error.message(lang));
        }
        Outcome::Stay(Action::Flash(Flash::error(error.message(lang))))
    }

    fn invalid(&self, lang: Lang) -> Outcome {
        let count = self.form.error_count();
        Outcome::Stay(Action::Flash(Flash::error(
            lang.tf("devices.fix_first", &[("count", &count)]),
        )))
    }

    fn save(&mut self, ctx: &mut Ctx) -> Outcome {
        let lang = ctx.lang;
        match &self.purpose {
            Purpose::Add | Purpose::Edit(_) => {
                let Some(record) = self.check_record(ctx) else {
                    return self.invalid(lang);
                };
                let tag = record.asset_tag.clone();
                let result = match &self.purpose {
                    Purpose::Edit(d) => {
                        let (id, version) = (d.id, d.row_version);
                        ctx.save(Deed::KeepDevices, |tx, stamp| {
                            devices::update(tx, id, version, &record, EventKind::Edited, stamp)
                        })
                        .map(|changed| {
                            (
                                id,
                                if changed {
                                    "devices.saved"
                                } else {
                                    "devices.unchanged"
                                },
                            )
                        })
                    }
                    _ => ctx
                        .save(Deed::KeepDevices, |tx, stamp| {
                            devices::insert(tx, &record, EventKind::Created, stamp)
                        })
                        .map(|id| (id, "devices.added")),
                };
                match result {
                    Ok((id, message)) => Outcome::Saved {
                        id,
                        flash: Flash::info(lang.tf(message, &[("tag", &tag)])),
                    },
                    Err(e) => self.refused(&e, lang),
                }
            }
            Purpose::Transfer(d) => {
                let (id, version, tag) = (d.id, d.row_version, d.record.asset_tag.clone());
                self.form.clear_errors();
                let date = self.date_field(4, lang);
                if self.form.value(3).trim().is_empty() {
                    self.form.fields[3].error = Some(lang.t("save.needs_approver").to_owned());
                }
                if self.form.error_count() > 0 {
                    return self.invalid(lang);
                }
                let Some(evidence) = self.evidence(ctx, Deed::ApproveTransfer, 3, 6) else {
                    return self.invalid(lang);
                };
                let slip = Transfer {
                    location: self.form.value(0).to_owned(),
                    department: self.form.value(1).to_owned(),
                    owner: self.form.value(2).to_owned(),
                    approver: self.form.value(3).to_owned(),
                    evidence,
                    date,
                    reason: self.form.value(5).to_owned(),
                };
                match ctx.save(Deed::KeepDevices, |tx, stamp| {
                    devices::transfer(tx, id, version, &slip, stamp)
                }) {
                    Ok(()) => Outcome::Saved {
                        id,
                        flash: Flash::info(lang.tf("devices.transferred", &[("tag", &tag)])),
                    },
                    Err(e) => {
                        if let Some(i) = self.approval_field(&e, 3, 6) {
                            self.form.fields[i].error = Some(e.message(lang));
                        }
                        self.refused(&e, lang)
                    }
                }
            }
            Purpose::Status(d) => {
                let (id, version, tag) = (d.id, d.row_version, d.record.asset_tag.clone());
                self.form.clear_errors();
                let date = self.date_field(2, lang);
                let Some(to) = Status::parse(self.form.value(0)) else {
                    return self.invalid(lang);
                };
                let note = self.form.value(4).trim().to_owned();
                let scrap_reason = match self.form.value(3) {
                    "beyond_repair" => Some(ScrapReason::BeyondRepair),
                    "repair_cost" => Some(ScrapReason::RepairCostsTooMuch),
                    "other" => Some(ScrapReason::Other(note.clone())),
                    _ => None,
                };
                if self.form.error_count() > 0 {
                    return self.invalid(lang);
                }
                let deed = match to {
                    Status::Scrapped => Deed::ApproveScrapping,
                    _ => Deed::ApproveLending,
                };
                let needs_approval = matches!(to, Status::Lent | Status::Scrapped);
                let evidence = match needs_approval {
                    true => match self.evidence(ctx, deed, 1, 5) {
                        Some(evidence) => evidence,
                        None => return self.invalid(lang),
                    },
                    false => Default::default(),
                };
                let change = StatusChange {
                    evidence,
                    to,
                    details: ChangeDetails {
                        approver: Some(self.form.value(1).to_owned()),
                        date,
                        scrap_reason,
                    },
                    note: if matches!(self.form.value(3), "other") {
                        String::new()
                    } else {
                        note
                    },
                };
                match ctx.save(Deed::KeepDevices, |tx, stamp| {
                    devices::change_status(tx, id, version, &change, stamp)
                }) {
                    Ok(()) => {
                        let status = lang.t(to.label_key());
                        Outcome::Saved {
                            id,
                            flash: Flash::info(lang.tf(
                                "devices.status_changed",
                                &[("tag", &tag), ("status", &status)],
                            )),
                        }
                    }
                    Err(e) => {
                        let index = match &e {
                            SaveError::Approval(_) => self.approval_field(&e, 1, 5),
                            SaveError::Transition(
                                crate::domain::device::TransitionError::NeedsApprover,
                            )
                            | SaveError::SelfApproved => Some(1),
                            SaveError::Transition(
                                crate::domain::device::TransitionError::NeedsScrapReason,
                            ) => Some(3),
                            _ => None,
                        };
                        if let Some(i) = index {
                            self.form.fields[i].error = Some(e.message(lang));
                        }
                        self.refused(&e, lang)
                    }
                }
            }
            Purpose::Line(d) => {
                let (id, tag) = (d.id, d.record.asset_tag.clone());
                self.form.clear_errors();
                let on = self.date_field(1, lang);
                let kind = EventKind::by_hand(self.form.value(0));
                let (Some(on), Some(kind)) = (on, kind) else {
                    return self.invalid(lang);
                };
                let text = self.form.value(2).to_owned();
                match ctx.save(Deed::WriteHistory, |tx, stamp| {
                    crate::db::device_log::write_line(tx, id, kind, on, &text, stamp)
                }) {
                    Ok(()) => Outcome::Saved {
                        id,
                        flash: Flash::info(lang.tf("devices.line_added", &[("tag", &tag)])),
                    },
                    Err(e) => {
                        let at = match e {
                            crate::db::device_log::LineError::BadDay => 1,
                            _ => 2,
                        };
                        self.form.fields[at].error = Some(e.message(lang));
                        self.invalid(lang)
                    }
                }
            }
            Purpose::Remove(d) => {
                let (id, version, tag) = (d.id, d.row_version, d.record.asset_tag.clone());
                let reason = self.form.value(0).to_owned();
                match ctx.save(Deed::KeepDevices, |tx, stamp| {
                    devices::remove(tx, id, version, &reason, stamp)
                }) {
                    Ok(()) => Outcome::Saved {
                        id,
                        flash: Flash::info(lang.tf("devices.removed_done", &[("tag", &tag)])),
                    },
                    Err(e) => {
                        self.form.fields[0].error = Some(e.message(lang));
                        self.refused(&e, lang)
                    }
                }
            }
            Purpose::Import => {
                let path = PathBuf::from(self.form.value(0).trim());
                // Asked here without reading, so a wrong path keeps the prompt open to be
                // corrected; the file is read and checked beside the screen.
                match exchange::input::check(&path) {
                    Ok(()) => {
                        let update = self.form.value(1) == "yes";
                        Outcome::Review(Box::new(Review::new(path, update, ctx)))
                    }
                    Err(problem) => {
                        let message = problem.message(&path, lang);
                        self.form.fields[0].error = Some(message.clone());
                        Outcome::Stay(Action::Flash(Flash::error(message)))
                    }
                }
            }
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        self.form.render(frame, area, lang);
    }
}
