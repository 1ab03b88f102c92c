//! The words for a refused answer, log or sign-off of an inspection run.

use crate::db::check_runs::RunError;
use crate::i18n::Lang;

impl RunError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RunError::Signed => lang.t("run_error.signed").to_owned(),
            RunError::NoteRequired => lang.t("run_error.note_required").to_owned(),
            RunError::ReasonRequired => lang.t("run_error.reason_required").to_owned(),
            RunError::Unanswered(n) => lang.tf("run_error.unanswered", &[("count", n)]),
            RunError::LogMissing => lang.t("run_error.log_missing").to_owned(),
            RunError::NotFound => lang.t("run_error.not_found").to_owned(),
            RunError::Text(e) => e.message(lang),
            RunError::Db(reason) => lang.tf("error.db_write", &[("reason", reason)]),
        }
    }
}

/// For logs and `?` into `anyhow`: the English words.
impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for RunError {}
