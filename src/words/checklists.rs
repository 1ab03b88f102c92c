//! The words for a refused edit of a checklist template.

use crate::db::checklists::EditError;

impl EditError {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match self {
            EditError::CodeTaken(code) => lang.tf("checklist_edit.code_taken", &[("code", code)]),
            EditError::Db(reason) => lang.tf("error.db_write", &[("reason", reason)]),
        }
    }
}
