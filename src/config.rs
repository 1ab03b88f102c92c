//! Where files live, the TOML config file, and who the operator is and which language they read.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{OPERATOR_MAX_CHARS, OperatorProblem, UserError};
use crate::i18n::Lang;

pub const DB_FILE_NAME: &str = "jifang.db";
const CONFIG_FILE_NAME: &str = "config.toml";

/// The files jifang reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub db_file: PathBuf,
    pub config_file: PathBuf,
    /// Beside the database, so a database given with `--db` keeps its own backups.
    pub backup_dir: PathBuf,
    /// Where month reports go unless told otherwise: beside the database too.
    pub reports_dir: PathBuf,
}

impl Paths {
    /// `db` comes from `--db` or `JIFANG_DB` (clap merges the two); without it the database
    /// lives in the platform data directory, which is created if missing. An explicit path's
    /// folder is never created: a typo should not quietly start a new, empty register.
    pub fn resolve(db: Option<&Path>) -> Result<Paths, UserError> {
        let dirs = project_dirs();
        let config_file = config_file();
        let db_file = match db {
            Some(p) if p.as_os_str().is_empty() => return Err(UserError::EmptyDbPath),
            Some(p) => p.to_path_buf(),
            None => {
                let data_dir = dirs.as_ref().ok_or(UserError::NoDataDir)?.data_dir();
                std::fs::create_dir_all(data_dir).map_err(|e| UserError::Unreadable {
                    path: data_dir.to_path_buf(),
                    reason: e.to_string(),
                })?;
                data_dir.join(DB_FILE_NAME)
            }
        };
        let backup_dir = db_file.parent().unwrap_or(Path::new(".")).join("backups");
        let reports_dir = reports_dir(&db_file);
        Ok(Paths {
            db_file,
            config_file,
            backup_dir,
            reports_dir,
        })
    }
}

/// The folder month reports of the database `db_file` go to: `reports` beside it.
pub fn reports_dir(db_file: &Path) -> PathBuf {
    db_file.parent().unwrap_or(Path::new(".")).join("reports")
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "jifang")
}

/// The config file in the platform config directory (it may not exist).
pub fn config_file() -> PathBuf {
    match project_dirs() {
        Some(d) => d.config_dir().join(CONFIG_FILE_NAME),
        None => PathBuf::from(CONFIG_FILE_NAME),
    }
}

/// The settings file. Unknown keys are refused so a misspelt setting is noticed, not ignored.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub operator: Option<String>,
    pub lang: Option<Lang>,
    /// New files readable and writable by the owner's group too (0660, folders 0770), for a
    /// team that shares one database under one group; otherwise the owner's only.
    pub share_with_group: Option<bool>,
    /// The host number of each /24's gateway (1 unless set; 0: none), never offered as free.
    pub gateway_host: Option<u8>,
    /// Days a password lasts with accounts on (90 unless set; 0: for ever).
    pub password_days: Option<u32>,
    /// Idle minutes before the console locks with accounts on (10 unless set; 0: never; a
    /// fraction such as 0.5 for seconds).
    pub idle_minutes: Option<f64>,
}

static SHARED_WITH_GROUP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The mode a new database gets: SQLite creates files 0644 less the mask, which would leave
/// a shared group unable to write.
pub fn new_database_mode() -> u32 {
    match SHARED_WITH_GROUP.load(std::sync::atomic::Ordering::Relaxed) {
        true => 0o660,
        false => 0o600,
    }
}

/// Make every file and folder this process creates from now on (the database and its logs,
/// backups, exports, reports) the owner's only, or the owner's group's too: the register holds
/// people's phone numbers, and the regulations keep asset and information records from view.
pub fn restrict_new_files(share_with_group: bool) {
    let mask = if share_with_group { 0o007 } else { 0o077 };
    SHARED_WITH_GROUP.store(share_with_group, std::sync::atomic::Ordering::Relaxed);
    // SAFETY: umask only sets the process's file mode mask; it cannot fail.
    unsafe {
        libc::umask(mask);
    }
}

impl Config {
    /// The sign-in policy: the config's numbers where set, the regulations' defaults otherwise.
    pub fn policy(&self) -> crate::domain::account::Policy {
        let default = crate::domain::account::Policy::default();
        crate::domain::account::Policy {
            password_days: self.password_days.map_or(default.password_days, i64::from),
            idle_seconds: self
                .idle_minutes
                .filter(|m| m.is_finite() && *m >= 0.0)
                .map_or(default.idle_seconds, |m| (m * 60.0).round() as i64),
        }
    }

    /// A missing file is an empty config; a broken one is an error that names the line.
    pub fn load(path: &Path) -> Result<Config, UserError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text).map_err(|reason| UserError::Config {
                path: path.to_path_buf(),
                reason,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(UserError::ConfigUnreadable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }),
        }
    }

    fn parse(text: &str) -> Result<Config, String> {
        // toml's message starts "TOML parse error at line N, column M" and shows the line.
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())
    }
}

/// The login name of the user running the program, from the account database (`getpwuid_r`).
pub fn account_name() -> Option<String> {
    // SAFETY: getpwuid_r writes the entry into `entry` and its strings into `buf`, both ours
    // and alive for the call; `found` is null or points at `entry`.
    unsafe {
        let uid = libc::getuid();
        let mut entry: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 16 * 1024];
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut entry, buf.as_mut_ptr(), buf.len(), &mut found);
        if rc != 0 || found.is_null() || entry.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(entry.pw_name);
        name.to_str().ok().map(str::to_owned)
    }
}

/// `--lang`, else the config file, else the locale, else English.
pub fn resolve_lang(
    flag: Option<Lang>,
    config: &Config,
    env: impl Fn(&str) -> Option<String>,
) -> Lang {
    flag.or(config.lang)
        .or_else(|| Lang::from_locale(env))
        .unwrap_or_default()
}

/// `--operator`, else the config file, else the login name from the environment, else the
/// running user's name in the system's account database (cron, `su` without `-` and some
/// containers set no `USER`). The result is trimmed and checked: it is written into every
/// record, so it must be a printable name of sane length.
pub fn resolve_operator(
    flag: Option<&str>,
    config: &Config,
    config_path: &Path,
    env: impl Fn(&str) -> Option<String>,
    account: impl Fn() -> Option<String>,
) -> Result<String, UserError> {
    let login = || {
        ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|v| env(v).filter(|s| !s.is_empty()))
    };
    let name = flag
        .map(str::to_owned)
        .or_else(|| config.operator.clone())
        .or_else(login)
        .or_else(|| account().filter(|s| !s.is_empty()))
        .ok_or_else(|| UserError::NoOperator {
            config: config_path.to_path_buf(),
        })?;
    let trimmed = name.trim();
    let problem = if trimmed.is_empty() {
        Some(OperatorProblem::Empty)
    } else if trimmed.chars().count() > OPERATOR_MAX_CHARS {
        Some(OperatorProblem::TooLong)
    } else if trimmed
        .chars()
        .any(|c| crate::domain::text::is_refused(c, false))
    {
        Some(OperatorProblem::Control)
    } else {
        None
    };
    match problem {
        Some(reason) => Err(UserError::BadOperator { name, reason }),
        None => Ok(trimmed.to_owned()),
    }
}

/// The language to print `--help` in, found before clap has parsed anything: a `--lang` in
/// argv, else the config file (errors ignored here; they are reported after parsing), else the
/// locale.
pub fn early_lang(args: &[String], env: impl Fn(&str) -> Option<String>) -> Lang {
    let from_args = args.iter().enumerate().find_map(|(i, a)| {
        let value = a.strip_prefix("--lang=").or_else(|| {
            (a == "--lang")
                .then(|| args.get(i + 1).map(String::as_str))
                .flatten()
        })?;
        match value {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    });
    let config = || Config::load(&config_file()).ok().and_then(|c| c.lang);
    from_args
        .or_else(config)
        .or_else(|| Lang::from_locale(env))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn missing_config_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Config::load(&dir.path().join("none.toml")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn the_sign_in_policy_comes_from_the_config_or_the_regulations() {
        let c = Config::parse("password_days = 30\nidle_minutes = 0.5\n").unwrap();
        let policy = c.policy();
        assert_eq!((policy.password_days, policy.idle_seconds), (30, 30));
        let whole = Config::parse("idle_minutes = 15\n").unwrap().policy();
        assert_eq!((whole.password_days, whole.idle_seconds), (90, 900));
        assert!(Config::parse("idle_minutes = \"ten\"\n").is_err());
    }

    #[test]
    fn config_sets_operator_and_language() {
        let c = Config::parse("operator = \"王磊\"\nlang = \"zh\"\n").unwrap();
        assert_eq!(c.operator.as_deref(), Some("王磊"));
        assert_eq!(c.lang, Some(Lang::Zh));
    }

    #[test]
    fn broken_config_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "operator = \"Li\"\nlang = \"fr\"\n").unwrap();
        let err = Config::load(&path).unwrap_err().message(Lang::En);
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("config.toml"), "{err}");
    }

    #[test]
    fn misspelt_setting_is_refused() {
        let err = Config::parse("operater = \"Li\"\n").unwrap_err();
        assert!(err.contains("line 1") && err.contains("operater"), "{err}");
    }

    #[test]
    fn language_flag_beats_config_beats_locale() {
        let zh_locale = |name: &str| (name == "LANG").then(|| "zh_CN.UTF-8".to_owned());
        let en_config = Config {
            lang: Some(Lang::En),
            ..Config::default()
        };
        assert_eq!(resolve_lang(Some(Lang::Zh), &en_config, no_env), Lang::Zh);
        assert_eq!(resolve_lang(None, &en_config, zh_locale), Lang::En);
        assert_eq!(resolve_lang(None, &Config::default(), zh_locale), Lang::Zh);
        assert_eq!(resolve_lang(None, &Config::default(), no_env), Lang::En);
    }

    #[test]
    fn operator_flag_beats_config_beats_login() {
        let login = |name: &str| (name == "USER").then(|| "liwei".to_owned());
        let config = Config {
            operator: Some("张伟".into()),
            ..Config::default()
        };
        let p = Path::new("c.toml");
        assert_eq!(
            resolve_operator(Some(" 王芳 "), &config, p, login, || None).unwrap(),
            "王芳"
        );
        assert_eq!(
            resolve_operator(None, &config, p, login, || None).unwrap(),
            "张伟"
        );
        assert_eq!(
            resolve_operator(None, &Config::default(), p, login, || None).unwrap(),
            "liwei"
        );
        assert!(matches!(
            resolve_operator(None, &Config::default(), p, no_env, || None),
            Err(UserError::NoOperator { .. })
        ));
        // No USER, LOGNAME or USERNAME: the account database names the user.
        assert_eq!(
            resolve_operator(None, &Config::default(), p, no_env, || Some("ops".into())).unwrap(),
            "ops"
        );
    }

    #[test]
    fn unusable_operator_names_are_refused() {
        let p = Path::new("c.toml");
        let problem =
            |name: &str| match resolve_operator(Some(name), &Config::default(), p, no_env, || None)
            {
                Err(UserError::BadOperator { reason, .. }) => Some(reason),
                _ => None,
            };
        assert_eq!(problem("   "), Some(OperatorProblem::Empty));
        assert_eq!(problem(&"x".repeat(41)), Some(OperatorProblem::TooLong));
        assert_eq!(problem("Li\u{1b}[31m"), Some(OperatorProblem::Control));
        assert_eq!(problem(&"李".repeat(40)), None);
    }

    #[test]
    fn explicit_db_path_is_kept_and_backups_sit_beside_it() {
        let p = Paths::resolve(Some(Path::new("/srv/jf/main.db"))).unwrap();
        assert_eq!(p.db_file, Path::new("/srv/jf/main.db"));
        assert_eq!(p.backup_dir, Path::new("/srv/jf/backups"));
        assert_eq!(p.reports_dir, Path::new("/srv/jf/reports"));
        assert!(matches!(
            Paths::resolve(Some(Path::new(""))),
            Err(UserError::EmptyDbPath)
        ));
    }

    #[test]
    fn early_language_reads_the_flag_in_both_spellings() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            early_lang(&args(&["jifang", "--lang", "zh", "--help"]), no_env),
            Lang::Zh
        );
        assert_eq!(
            early_lang(&args(&["jifang", "--lang=zh"]), no_env),
            Lang::Zh
        );
        let zh_locale = |name: &str| (name == "LANG").then(|| "zh_CN.UTF-8".to_owned());
        assert_eq!(
            early_lang(&args(&["jifang", "--lang", "en"]), zh_locale),
            Lang::En
        );
    }
}
