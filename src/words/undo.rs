//! The words for a refused undo and for the record an undo names.

use super::failure_message;
use crate::db::audit::UndoError;
use crate::i18n::Lang;

impl UndoError {
    pub fn message(&self, lang: Lang) -> String {
        let record = |t: &str, id: i64, name: &Option<String>| record_words(lang, t, id, name);
        match self {
            UndoError::Nothing => lang.t("undo.nothing").to_owned(),
            UndoError::ChangedSince {
                table,
                record_id,
                name,
                by,
                at,
            } => lang.tf(
                "undo.changed_since",
                &[
                    ("record", &record(table, *record_id, name)),
                    ("by", by),
                    ("at", at),
                ],
            ),
            UndoError::Referenced {
                table,
                record_id,
                name,
            } => lang.tf(
                "undo.referenced",
                &[("record", &record(table, *record_id, name))],
            ),
            UndoError::Refused { reason } => lang.tf("undo.refused", &[("reason", reason)]),
            UndoError::Db(e) => failure_message(e, lang),
        }
    }
}

/// A record in words: its kind and the name the operator knows it by ("device JF-PC-0001"),
/// or its number where it has no name.
pub fn record_words(lang: Lang, table: &str, id: i64, name: &Option<String>) -> String {
    let kind = lang.t(&format!("audit_table.{table}")).to_owned();
    match name {
        Some(name) => lang.tf("undo.record_named", &[("kind", &kind), ("name", name)]),
        None => lang.tf("undo.record_numbered", &[("kind", &kind), ("id", &id)]),
    }
}

/// Who wrote an audit row: the operator, with the account's login where it differs from the
/// name, or the operating system's login in open mode.
pub fn who(entry: &crate::db::audit::Entry, lang: crate::i18n::Lang) -> String {
    match entry.login.as_deref() {
        None => entry.operator.clone(),
        Some(login) => match login.strip_prefix("os:") {
            Some(os) if os == entry.operator => entry.operator.clone(),
            Some(os) => lang.tf(
                "audit.os_login",
                &[("operator", &entry.operator), ("os", &os)],
            ),
            None if login == entry.operator => entry.operator.clone(),
            None => format!("{} ({login})", entry.operator),
        },
    }
}

/// [`who`] as short as it can be said, for a narrow column: the login as stored beside the
/// name (`王磊 (os:wl)`, `林霞 (linxia)`).
pub fn who_short(entry: &crate::db::audit::Entry) -> String {
    match entry.login.as_deref() {
        Some(login)
            if login != entry.operator && login.strip_prefix("os:") != Some(&entry.operator) =>
        {
            format!("{} ({login})", entry.operator)
        }
        _ => entry.operator.clone(),
    }
}
