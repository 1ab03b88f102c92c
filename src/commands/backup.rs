//! `jifang backup` and `jifang restore`: copies made and put back through the online backup
//! API, each checked before it counts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDateTime;

use crate::config::Paths;
use crate::db::Db;
use crate::db::audit::chain;
use crate::db::backup::{self, BackupError};
use crate::i18n::Lang;
use crate::text::size_text;

fn failed(e: &BackupError, lang: Lang) -> ExitCode {
    eprintln!("jifang: {}", e.message(lang));
    ExitCode::FAILURE
}

/// Back up to `out`, or to a dated file in the backup folder.
pub fn backup(
    db: &Db,
    paths: &Paths,
    out: Option<PathBuf>,
    now: NaiveDateTime,
    lang: Lang,
) -> ExitCode {
    let copied = match out {
        Some(path) => backup::copy_to(db.conn(), &path),
        None => {
            if let Err(e) = std::fs::create_dir_all(&paths.backup_dir) {
                let e = BackupError::Io {
                    path: paths.backup_dir.clone(),
                    source: e,
                };
                return failed(&e, lang);
            }
            backup::copy_to_new(db.conn(), &paths.backup_dir, |n| {
                backup::manual_name(now, n)
            })
        }
    };
    match copied {
        Ok(copied) => {
            let path = copied.path.display().to_string();
            let size = size_text(copied.bytes);
            say!(
                "{}",
                lang.tf("backup.done", &[("path", &path), ("size", &size)])
            );
            // The chain's head as the copy holds it: `jifang check --against` the copy later
            // shows whether any row up to it is gone.
            let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
            let head = rusqlite::Connection::open_with_flags(&copied.path, flags)
                .and_then(|c| chain::head(&c));
            if let Ok(Some((id, hash))) = head {
                say!(
                    "{}",
                    lang.tf("backup.head", &[("id", &id), ("hash", &hash)])
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => failed(&e, lang),
    }
}

/// Check `file`, keep a safety copy of the database, then restore `file` into it with the
/// audit log whole (the rows written since the backup are carried, and the restore is logged).
pub fn restore(
    paths: &Paths,
    file: &Path,
    signed: &super::sign::Signed,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let stamp = &signed.stamp;
    let shown = file.display().to_string();
    let version = match backup::verify(file) {
        Ok(v) => v,
        Err(e) => return Ok(failed(&e, lang)),
    };
    say!(
        "{}",
        lang.tf(
            "backup.restore_checked",
            &[("path", &shown), ("version", &version)]
        )
    );
    let mut db = Db::open(&paths.db_file).map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    signed.apply(&mut db)?;
    let made = std::fs::create_dir_all(&paths.backup_dir)
        .map_err(|source| BackupError::Io {
            path: paths.backup_dir.clone(),
            source,
        })
        .and_then(|()| {
            backup::copy_to_new(db.conn(), &paths.backup_dir, |n| {
                backup::safety_name(stamp.at, n)
            })
        });
    let safety = match made {
        Ok(copied) => copied.path,
        Err(e) => return Ok(failed(&e, lang)),
    };
    say!(
        "{}",
        lang.tf(
            "backup.restore_safety",
            &[("path", &safety.display().to_string())]
        )
    );
    let carried = match backup::restore_keeping_audit(&mut db, file, &safety, stamp) {
        Ok(carried) => carried,
        Err(e) => return Ok(failed(&e, lang)),
    };
    let health = db.health()?;
    if !health.problems.is_empty() {
        anyhow::bail!("{:?}", health.problems);
    }
    let db_shown = paths.db_file.display().to_string();
    say!(
        "{}",
        lang.tf(
            "backup.restore_done",
            &[("db", &db_shown), ("path", &shown), ("carried", &carried)]
        )
    );
    Ok(ExitCode::SUCCESS)
}
