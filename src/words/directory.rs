//! The words for a refused save in the directory.

use crate::db::directory::PersonError;
use crate::i18n::Lang;

impl PersonError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            PersonError::NeedsName => lang.t("person_error.needs_name").to_owned(),
            PersonError::NeedsDepartment => lang.t("person_error.needs_department").to_owned(),
            PersonError::NameTaken { department } => {
                lang.tf("person_error.name_taken", &[("department", department)])
            }
            PersonError::EmployeeNoTaken { holder } => {
                lang.tf("person_error.employee_no_taken", &[("holder", holder)])
            }
            PersonError::NotFound => lang.t("person_error.not_found").to_owned(),
            PersonError::Conflict => lang.t("person_error.conflict").to_owned(),
            PersonError::AlreadyLeft => lang.t("person_error.already_left").to_owned(),
            PersonError::Db(e) => super::failure_message(e, lang),
        }
    }
}
