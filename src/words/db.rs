//! The words for a save or read SQLite refused: a full disk, a read-only file, a busy writer.

use crate::db::BUSY_TIMEOUT;

/// A failed write in words: a full disk, a read-only file and a long wait each say what to do;
/// anything else names SQLite's reason. Nothing was saved in every case (the transaction rolled
/// back).
pub fn failure_message(e: &rusqlite::Error, lang: crate::i18n::Lang) -> String {
    use rusqlite::ErrorCode;
    if let rusqlite::Error::UserFunctionError(inner) = e
        && let Some(refused) = inner.downcast_ref::<crate::domain::permission::NotPermitted>()
    {
        return super::refusal(refused.deed, &refused.roles, lang);
    }
    let reason = e.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => lang.t("db_error.disk_full").to_owned(),
        Some(ErrorCode::ReadOnly) => lang.t("db_error.read_only").to_owned(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            lang.tf("db_error.busy", &[("seconds", &BUSY_TIMEOUT.as_secs())])
        }
        Some(ErrorCode::SystemIoFailure | ErrorCode::CannotOpen) => {
            lang.tf("db_error.io", &[("reason", &reason)])
        }
        _ => lang.tf("save.db", &[("reason", &reason)]),
    }
}
