//! The words for a refused work-log entry.

use crate::db::duty::LogError;
use crate::i18n::Lang;

impl LogError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LogError::NeedsText => lang.t("duty.needs_text").to_owned(),
            LogError::Text(e) => e.message(lang),
            LogError::NoDevice(tag) => lang.tf("duty.no_device", &[("tag", tag)]),
            LogError::NoEntry(n) => lang.tf("duty.no_entry", &[("number", n)]),
            LogError::Db(e) => crate::words::failure_message(e, lang),
        }
    }
}
