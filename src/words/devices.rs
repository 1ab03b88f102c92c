//! The words for a refused save to the register and a refused status change.

use crate::db::devices::SaveError;
use crate::domain::device::{Status, TransitionError};
use crate::i18n::Lang;

impl SaveError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SaveError::Conflict { tag } => lang.tf("save.conflict", &[("tag", tag)]),
            SaveError::DuplicateTag { tag } => lang.tf("save.duplicate_tag", &[("tag", tag)]),
            SaveError::DuplicateIp { ip, holder } => {
                lang.tf("save.duplicate_ip", &[("ip", ip), ("holder", holder)])
            }
            SaveError::ReadOnly { tag } => lang.tf("save.read_only", &[("tag", tag)]),
            SaveError::StatusNeedsAction => lang.t("save.status_needs_action").to_owned(),
            SaveError::Transition(e) => transition_message(e, lang),
            SaveError::NeedsApprover => lang.t("save.needs_approver").to_owned(),
            SaveError::SelfApproved => lang.t("save.self_approved").to_owned(),
            SaveError::NeedsReason => lang.t("save.needs_reason").to_owned(),
            SaveError::NothingToTransfer => lang.t("save.nothing_to_transfer").to_owned(),
            SaveError::NotFound => lang.t("save.not_found").to_owned(),
            SaveError::Stopped => lang.t("import.stopped").to_owned(),
            SaveError::Approval(e) => e.message(lang),
            SaveError::Db(e) => super::failure_message(e, lang),
        }
    }
}

pub fn transition_message(e: &TransitionError, lang: Lang) -> String {
    match e {
        TransitionError::NotAllowed { from, to } => {
            let allowed: Vec<&str> = from.next().iter().map(|s| lang.t(s.label_key())).collect();
            let args: [(&str, &dyn std::fmt::Display); 3] = [
                ("from", &lang.t(from.label_key())),
                ("to", &lang.t(to.label_key())),
                ("allowed", &allowed.join(", ")),
            ];
            lang.tf("save.not_allowed", &args)
        }
        TransitionError::NotInitial { status } => {
            let allowed: Vec<&str> = Status::INITIAL
                .iter()
                .map(|s| lang.t(s.label_key()))
                .collect();
            let args: [(&str, &dyn std::fmt::Display); 2] = [
                ("status", &lang.t(status.label_key())),
                ("allowed", &allowed.join(", ")),
            ];
            lang.tf("save.not_initial", &args)
        }
        TransitionError::NeedsApprover => lang.t("save.needs_approver").to_owned(),
        TransitionError::NeedsDate => lang.t("save.needs_date").to_owned(),
        TransitionError::NeedsScrapReason => lang.t("save.needs_scrap_reason").to_owned(),
    }
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl crate::db::device_log::LineError {
    pub fn message(&self, lang: Lang) -> String {
        use crate::db::device_log::LineError;
        match self {
            LineError::NotByHand | LineError::NeedsText => {
                lang.t("devices.line_needs_text").to_owned()
            }
            LineError::Text(e) => e.message(lang),
            LineError::BadDay => lang.t("devices.line_bad_day").to_owned(),
            LineError::NotFound => lang.t("devices.line_not_found").to_owned(),
            LineError::Removed => lang.t("devices.line_removed").to_owned(),
            LineError::Db(e) => super::failure_message(e, lang),
        }
    }
}
