//! The words for a refused metric or daily value.

use crate::db::readings::ReadingError;
use crate::i18n::Lang;

impl ReadingError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReadingError::NeedsNameZh => lang.t("metric_error.needs_name_zh").to_owned(),
            ReadingError::NeedsNameEn => lang.t("metric_error.needs_name_en").to_owned(),
            ReadingError::NeedsGroup => lang.t("metric_error.needs_group").to_owned(),
            ReadingError::Text(e) => e.message(lang),
            ReadingError::NameTaken { name, scope } => lang.tf(
                "metric_error.name_taken",
                &[("name", name), ("scope", scope)],
            ),
            ReadingError::Conflict => lang.t("metric_error.conflict").to_owned(),
            ReadingError::NotFound => lang.t("metric_error.not_found").to_owned(),
            ReadingError::FutureDay { day } => lang.tf("metric_error.future_day", &[("day", day)]),
            ReadingError::Db(e) => super::failure_message(e, lang),
        }
    }
}
