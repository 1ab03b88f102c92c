//! Failures an operator can act on, each rendered as one line in the UI language.

use std::fmt;
use std::path::PathBuf;

use crate::i18n::Lang;

/// Longest operator name we store; longer ones are refused rather than cut.
pub const OPERATOR_MAX_CHARS: usize = 40;

#[derive(Debug)]
pub enum UserError {
    IsDirectory {
        path: PathBuf,
    },
    NoParent {
        dir: PathBuf,
    },
    Unreadable {
        path: PathBuf,
        reason: String,
    },
    EmptyFile {
        path: PathBuf,
    },
    NotSqlite {
        path: PathBuf,
        start: String,
    },
    Foreign {
        path: PathBuf,
    },
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    Corrupt {
        path: PathBuf,
        reason: String,
    },
    Config {
        path: PathBuf,
        reason: String,
    },
    ConfigUnreadable {
        path: PathBuf,
        reason: String,
    },
    NoOperator {
        config: PathBuf,
    },
    BadOperator {
        name: String,
        reason: OperatorProblem,
    },
    Unwritable {
        path: PathBuf,
        reason: String,
    },
    NoDataDir,
    EmptyDbPath,
    NoTerminal {
        reason: String,
    },
    NetworkFilesystem {
        path: PathBuf,
        fstype: String,
    },
    ReadOnly {
        path: PathBuf,
    },
    DiskIo {
        path: PathBuf,
        reason: String,
    },
    /// Another program held the write lock for as long as jifang waits.
    Busy {
        seconds: u64,
    },
    /// A file named for import that cannot be one.
    Input {
        path: PathBuf,
        problem: crate::exchange::input::InputProblem,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorProblem {
    Empty,
    TooLong,
    Control,
}

impl UserError {
    pub fn message(&self, lang: Lang) -> String {
        use UserError::*;
        let shown = |p: &PathBuf| p.display().to_string();
        match self {
            IsDirectory { path } => lang.tf("error.is_directory", &[("path", &shown(path))]),
            NoParent { dir } => lang.tf("error.no_parent", &[("dir", &shown(dir))]),
            Unreadable { path, reason } => lang.tf(
                "error.unreadable",
                &[("path", &shown(path)), ("reason", reason)],
            ),
            EmptyFile { path } => lang.tf("error.empty_file", &[("path", &shown(path))]),
            NotSqlite { path, start } => lang.tf(
                "error.not_sqlite",
                &[("path", &shown(path)), ("start", start)],
            ),
            Foreign { path } => lang.tf("error.foreign", &[("path", &shown(path))]),
            TooNew { path, found, known } => lang.tf(
                "error.too_new",
                &[("path", &shown(path)), ("found", found), ("known", known)],
            ),
            Corrupt { path, reason } => lang.tf(
                "error.corrupt",
                &[("path", &shown(path)), ("reason", reason)],
            ),
            Config { path, reason } => lang.tf(
                "error.config",
                &[("path", &shown(path)), ("reason", reason)],
            ),
            ConfigUnreadable { path, reason } => lang.tf(
                "error.config_unreadable",
                &[("path", &shown(path)), ("reason", reason)],
            ),
            NoOperator { config } => lang.tf("error.no_operator", &[("path", &shown(config))]),
            BadOperator { name, reason } => {
                let why = match reason {
                    OperatorProblem::Empty => lang.t("error.operator_empty").to_owned(),
                    OperatorProblem::TooLong => {
                        lang.tf("error.operator_too_long", &[("max", &OPERATOR_MAX_CHARS)])
                    }
                    OperatorProblem::Control => lang.t("error.operator_control").to_owned(),
                };
                lang.tf(
                    "error.bad_operator",
                    &[("name", &name.escape_debug()), ("reason", &why)],
                )
            }
            Unwritable { path, reason } => lang.tf(
                "error.unwritable",
                &[("path", &shown(path)), ("reason", reason)],
            ),
            NoDataDir => lang.t("error.no_data_dir").to_owned(),
            EmptyDbPath => lang.t("error.empty_db_path").to_owned(),
            NoTerminal { reason } => lang.tf("error.no_terminal", &[("reason", reason)]),
            NetworkFilesystem { path, fstype } => lang.tf(
                "error.network_filesystem",
                &[("path", &shown(path)), ("fstype", fstype)],
            ),
            ReadOnly { path } => lang.tf("error.read_only", &[("path", &shown(path))]),
            DiskIo { path, reason } => lang.tf(
                "error.disk_io",
                &[("path", &shown(path)), ("reason", reason)],
            ),
            Input { path, problem } => problem.message(path, lang),
            Busy { seconds } => lang.tf("db_error.busy", &[("seconds", seconds)]),
        }
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for UserError {}
