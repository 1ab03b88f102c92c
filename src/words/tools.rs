//! The words for a refused tool save, loan or return.

use crate::db::tools::ToolError;
use crate::domain::tool::Unavailable;
use crate::i18n::Lang;

/// "held by 王伟 until 2026-11-23" or "damaged": why a tool cannot be lent.
pub fn unavailable_text(code: &str, why: &Unavailable, lang: Lang) -> String {
    match why {
        Unavailable::HeldBy { borrower, due_on } => lang.tf(
            "tool_error.held_by",
            &[
                ("code", &code),
                ("borrower", borrower),
                ("due", &due_on.to_string()),
            ],
        ),
        Unavailable::Status(status) => lang.tf(
            "tool_error.not_lendable",
            &[("code", &code), ("status", &lang.t(status.label_key()))],
        ),
    }
}

impl ToolError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ToolError::Borrowing(problems) => problems
                .iter()
                .map(|p| lang.t(p.label_key()))
                .collect::<Vec<_>>()
                .join("; "),
            ToolError::Approval(e) => e.message(lang),
            ToolError::Unavailable { code, why } => unavailable_text(code, why, lang),
            ToolError::UnknownCode { code } => {
                lang.tf("tool_error.unknown_code", &[("code", code)])
            }
            ToolError::RepeatedCode { code } => {
                lang.tf("tool_error.repeated_code", &[("code", code)])
            }
            ToolError::CodeTaken { code } => lang.tf("tool_error.code_taken", &[("code", code)]),
            ToolError::NeedsCode => lang.t("tool_error.needs_code").to_owned(),
            ToolError::NeedsName => lang.t("tool_error.needs_name").to_owned(),
            ToolError::NeedsKind => lang.t("tool_error.needs_kind").to_owned(),
            ToolError::Text(e) => e.message(lang),
            ToolError::StatusNotSettable { status } => lang.tf(
                "tool_error.status_not_settable",
                &[("status", &lang.t(status.label_key()))],
            ),
            ToolError::StillOut { code, borrower } => lang.tf(
                "tool_error.still_out",
                &[("code", code), ("borrower", borrower)],
            ),
            ToolError::Conflict { code } => lang.tf("tool_error.conflict", &[("code", code)]),
            ToolError::AlreadyReturned => lang.t("tool_error.already_returned").to_owned(),
            ToolError::NeedsLiable => lang.t("tool_error.needs_liable").to_owned(),
            ToolError::NeedsReason => lang.t("tool_error.needs_reason").to_owned(),
            ToolError::AlreadySettled => lang.t("tool_error.already_settled").to_owned(),
            ToolError::NotFound => lang.t("tool_error.not_found").to_owned(),
            ToolError::Repair(e) => e.message(lang),
            ToolError::Db(e) => super::failure_message(e, lang),
        }
    }
}
