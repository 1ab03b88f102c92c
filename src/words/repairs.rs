//! The words for a repair ticket's refusals and for its link to a checklist item.

use crate::db::repairs::{CheckLink, RepairError};
use crate::domain::repair::StepError;
use crate::i18n::Lang;

impl RepairError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RepairError::Approval(e) => e.message(lang),
            RepairError::Step(StepError::NotAllowed { from, step }) => {
                let allowed: Vec<&str> =
                    from.steps().iter().map(|s| lang.t(s.label_key())).collect();
                let allowed = if allowed.is_empty() {
                    lang.t("repair_error.nothing_more").to_owned()
                } else {
                    allowed.join(", ")
                };
                let args: [(&str, &dyn std::fmt::Display); 3] = [
                    ("state", &lang.t(from.label_key())),
                    ("step", &lang.t(step.label_key())),
                    ("allowed", &allowed),
                ];
                lang.tf("repair_error.not_allowed", &args)
            }
            RepairError::Step(e) => lang.t(e.label_key()).to_owned(),
            RepairError::Conflict { ticket } => {
                lang.tf("repair_error.conflict", &[("ticket", ticket)])
            }
            RepairError::Closed { ticket } => lang.tf("repair_error.closed", &[("ticket", ticket)]),
            RepairError::NotFound => lang.t("repair_error.not_found").to_owned(),
            RepairError::NeedsDevice => lang.t("repair_error.needs_device").to_owned(),
            RepairError::NeedsReporter => lang.t("repair_error.needs_reporter").to_owned(),
            RepairError::NeedsDescription => lang.t("repair_error.needs_description").to_owned(),
            RepairError::Text(e) => e.message(lang),
            RepairError::NeedsReason => lang.t("repair_error.needs_reason").to_owned(),
            RepairError::DeviceUnavailable { tag, status } => {
                let status = lang.t(status.label_key());
                lang.tf(
                    "repair_error.device_unavailable",
                    &[("tag", tag), ("status", &status)],
                )
            }
            RepairError::DeviceNotFound => lang.t("repair_error.device_not_found").to_owned(),
            RepairError::AlreadyReported { ticket } => {
                lang.tf("repair_error.already_reported", &[("ticket", ticket)])
            }
            RepairError::BadCost { value } => lang.tf("repair_error.bad_cost", &[("value", value)]),
            RepairError::Device(e) => e.message(lang),
            RepairError::Db(e) => super::failure_message(e, lang),
        }
    }
}

impl CheckLink {
    /// "Weekly network inspection 2026-W47 W02": the template, the period and the item.
    pub fn label(&self, lang: Lang) -> String {
        format!(
            "{} {} {}",
            self.checklist.get(lang),
            self.period.label(self.period_start),
            self.item_code
        )
    }
}
