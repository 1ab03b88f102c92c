//! The words for a backup or restore that failed.

use std::path::PathBuf;

use crate::db::backup::{BackupError, is_disk_full};
use crate::i18n::Lang;

impl BackupError {
    /// A full disk says so; so does every other failure, with the file it concerns.
    pub fn message(&self, lang: Lang) -> String {
        let shown = |p: &PathBuf| p.display().to_string();
        match self {
            BackupError::Io { path, source } if is_disk_full(source) => {
                lang.tf("backup.disk_full", &[("path", &shown(path))])
            }
            BackupError::Db { path, source }
                if source.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) =>
            {
                lang.tf("backup.disk_full", &[("path", &shown(path))])
            }
            BackupError::Io { path, source } => lang.tf(
                "backup.io",
                &[("path", &shown(path)), ("reason", &source.to_string())],
            ),
            BackupError::Db { path, source } => lang.tf(
                "backup.io",
                &[("path", &shown(path)), ("reason", &source.to_string())],
            ),
            BackupError::Damaged { path, found } => lang.tf(
                "backup.damaged",
                &[("path", &shown(path)), ("found", found)],
            ),
            BackupError::Exists { path } => lang.tf("backup.exists", &[("path", &shown(path))]),
            BackupError::NotJifang { path } => {
                lang.tf("backup.not_jifang", &[("path", &shown(path))])
            }
            BackupError::TooNew { path, found, known } => lang.tf(
                "backup.too_new",
                &[("path", &shown(path)), ("found", found), ("known", known)],
            ),
        }
    }
}
