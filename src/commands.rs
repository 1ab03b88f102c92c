//! The subcommands behind the CLI, each printing in the operator's language.

/// `println!` for what a command says on standard output, which may be closed (`| head`,
/// `| true`): nobody reads the line then, and the work goes on to its end instead of panicking
/// half-way. Listings write with `?` instead and stop at a closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!($crate::commands::stdout(), $($arg)*);
    }};
}

mod accounts;
mod audit;
mod backup;
mod calendar;
mod check;
mod checks;
mod demo;
mod devices;
mod duty;
mod import;
mod month;
mod people;
mod readings;
pub mod repairs;
pub mod sign;
mod table;
mod tools;

use std::process::ExitCode;

use crate::cli::{
    AccountsWhat, CalendarWhat, ChecksWhat, Cli, Command, DevicesWhat, DutyLogWhat, DutyWhat,
    ExportWhat, ImportWhat, PeopleWhat, ReadingsWhat, RepairsWhat, ToolsWhat,
};
use crate::config::{self, Config, Paths};
use crate::db::{Db, Stamp};
use crate::domain::permission::Deed;
use crate::error::UserError;
use crate::i18n::Lang;
use crate::tui;
use sign::{Purpose, Signed};

/// Standard output as every command writes it. On a terminal, what a stored value holds never
/// steers it: control characters other than line breaks and tabs, and invisible formatting,
/// are written as their escapes (`\u{1b}`). A pipe or a file gets the bytes as they are, so a
/// CSV written there reads back the same.
pub struct Out {
    inner: std::io::StdoutLock<'static>,
    terminal: bool,
}

pub fn stdout() -> Out {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    Out {
        inner: stdout.lock(),
        terminal,
    }
}

impl std::io::Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.terminal {
            // Each write is a whole piece of text (a formatted part, a whole CSV).
            true => {
                let text = String::from_utf8_lossy(buf);
                let shown = crate::text::printable_lines(&text);
                self.inner.write_all(shown.as_bytes())?;
            }
            false => self.inner.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// An error, with the language to report it in once that is known.
pub struct Failure {
    pub error: anyhow::Error,
    /// `None` when the failure came before the language was known.
    pub lang: Option<Lang>,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure {
            error: e.into(),
            lang: None,
        }
    }
}

/// Run what the command line asks for.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let paths = Paths::resolve(cli.global.db.as_deref())?;
    let config = Config::load(&paths.config_file)?;
    if config.share_with_group == Some(true) {
        config::restrict_new_files(true);
    }
    let lang = config::resolve_lang(cli.global.lang, &config, env);
    if cli.command.is_some() {
        let waiting = lang.t("status.waiting_import").to_owned();
        crate::db::importing::on_wait(move |_| eprintln!("jifang: {waiting}"));
    }
    // Before the TUI takes the screen too: a long upgrade says how far it has got.
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        crate::db::migrate::on_progress(move |rows, done| {
            eprint!(
                "\rjifang: {}",
                lang.tf("upgrade.sealing", &[("rows", &rows)])
            );
            if done {
                eprintln!();
            }
        });
    }
    let with_lang = |e: UserError| Failure {
        error: e.into(),
        lang: Some(lang),
    };
    // The database every command but `paths` works on, a failure said in the operator's words.
    let open = || Db::open(&paths.db_file).map_err(with_lang);
    let localized = |e: anyhow::Error| Failure {
        error: e,
        lang: Some(lang),
    };
    // Who is named in open mode: `--operator`, the config, the login.
    let named = || {
        config::resolve_operator(
            cli.global.operator.as_deref(),
            &config,
            &paths.config_file,
            env,
            config::account_name,
        )
    };
    let operator = || named().map_err(with_lang);
    let policy = config.policy();
    // Who a write is by: the operator named (open mode) or the account signed in and allowed.
    let sign = |db: &mut Db, purpose: Purpose, place: &str| -> Result<Signed, Failure> {
        let open_operator = || named().map_err(anyhow::Error::from);
        let flag = cli.global.operator.as_deref();
        sign::sign(db, purpose, flag, open_operator, place, &policy, lang).map_err(localized)
    };
    // A command that writes on a connection of its own: signed on one first, which is closed
    // before the command opens its own.
    let signed_apart = |purpose: Purpose, place: &str| -> Result<Signed, Failure> {
        let mut db = open()?;
        sign(&mut db, purpose, place)
    };
    // An import is one big transaction: it gets the settings for bulk writes.
    let import_session = |deed: Deed, place: &str| -> Result<(Db, Stamp), Failure> {
        let mut db = open()?;
        db.prepare_bulk_writes().map_err(|e| localized(e.into()))?;
        let signed = sign(&mut db, Purpose::Deed(deed), place)?;
        Ok((db, signed.stamp))
    };
    match cli.command {
        Some(Command::Paths) => {
            paths_say(&paths, lang);
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { repair, against }) => {
            let signed = match repair {
                true => Some(signed_apart(
                    Purpose::Deed(Deed::Restore),
                    "check --repair",
                )?),
                false => None,
            };
            check::run(&paths.db_file, signed, against.as_deref(), lang).map_err(localized)
        }
        Some(Command::Demo { force, scale }) => {
            let mut db = open()?;
            sign(&mut db, Purpose::Deed(Deed::Restore), "demo")?;
            demo::run(&mut db, scale, force, &paths.db_file, lang).map_err(localized)
        }
        Some(Command::Import { what }) => {
            let (deed, place) = match &what {
                ImportWhat::Devices { .. } => (Deed::KeepDevices, "import devices"),
                ImportWhat::Tools { .. } => (Deed::KeepTools, "import tools"),
                ImportWhat::Readings { .. } => (Deed::EnterReadings, "import readings"),
                ImportWhat::People { .. } => (Deed::KeepPeople, "import people"),
                ImportWhat::Checklist { .. } => (Deed::KeepTemplates, "import checklist"),
            };
            let (db, stamp) = import_session(deed, place)?;
            import::run(what, db, stamp, lang).map_err(localized)
        }
        Some(Command::People {
            what: PeopleWhat::Import { file, dry_run },
        }) => {
            let (db, stamp) = import_session(Deed::KeepPeople, "people import")?;
            let what = ImportWhat::People { file, dry_run };
            import::run(what, db, stamp, lang).map_err(localized)
        }
        Some(Command::People {
            what: PeopleWhat::Export { out, all },
        }) => {
            let db = open()?;
            people::export(&db, out, all, lang).map_err(localized)
        }
        Some(Command::Checks {
            what: ChecksWhat::Status { date },
        }) => {
            let db = open()?;
            let today = date.unwrap_or_else(|| chrono::Local::now().date_naive());
            say!("{}", checks::status_report(&db, today, lang)?);
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Repairs {
            what:
                RepairsWhat::List {
                    state,
                    month,
                    format,
                },
        }) => {
            let db = open()?;
            let now = chrono::Local::now().naive_local();
            repairs::list(&db, state, month, format, now, lang).map_err(localized)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Tools {
            what:
                ToolsWhat::List {
                    out,
                    overdue,
                    format,
                },
        }) => {
            let db = open()?;
            let filter = match (out, overdue) {
                (_, true) => crate::db::tools::ToolFilter::Overdue,
                (true, _) => crate::db::tools::ToolFilter::Out,
                _ => crate::db::tools::ToolFilter::InUse,
            };
            let today = chrono::Local::now().date_naive();
            tools::list(&db, filter, format, today, lang).map_err(localized)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Tools {
            what:
                ToolsWhat::Loans {
                    state,
                    month,
                    format,
                },
        }) => {
            let db = open()?;
            let today = chrono::Local::now().date_naive();
            tools::loans(&db, state, month, format, today, lang).map_err(localized)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Readings {
            what: ReadingsWhat::Compare { date, base, format },
        }) => {
            let db = open()?;
            // The rule compares the previous day: that is the day reported unless told.
            let day = date
                .unwrap_or_else(|| chrono::Local::now().date_naive() - chrono::Duration::days(1));
            readings::compare(&db, day, base, format, lang).map_err(localized)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export {
            what: ExportWhat::Devices { out, all },
        }) => {
            let db = open()?;
            devices::export(&db, out, all, lang).map_err(localized)
        }
        Some(Command::Export {
            what: ExportWhat::Month { month, out },
        }) => {
            let db = open()?;
            let dir = out.unwrap_or_else(|| paths.reports_dir.clone());
            let month = crate::domain::month::Month::of(month);
            month::export(&db, month, &dir, chrono::Local::now().naive_local(), lang)
                .map_err(localized)
        }
        Some(Command::Export {
            what: ExportWhat::Week { week, out },
        }) => {
            let db = open()?;
            let dir = out.unwrap_or_else(|| paths.reports_dir.clone());
            month::export(&db, week, &dir, chrono::Local::now().naive_local(), lang)
                .map_err(localized)
        }
        Some(Command::Audit {
            since,
            table,
            by,
            format,
        }) => {
            let db = open()?;
            // A read needs no sign-in: here `--operator` names whose changes to list.
            let query = crate::db::audit::Query {
                since,
                table,
                record_id: None,
                operator: by.or(cli.global.operator.clone()),
            };
            audit::print(&db, &query, format, lang).map_err(localized)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Backup { out }) => {
            let db = open()?;
            let now = chrono::Local::now().naive_local();
            Ok(backup::backup(&db, &paths, out, now, lang))
        }
        Some(Command::Restore { file }) => {
            let signed = signed_apart(Purpose::Deed(Deed::Restore), "restore")?;
            backup::restore(&paths, &file, &signed, lang).map_err(localized)
        }
        Some(Command::Calendar {
            what: CalendarWhat::Import { file, dry_run },
        }) => {
            let (db, stamp) = import_session(Deed::KeepTemplates, "calendar import")?;
            let job = import::Import {
                db,
                path: file,
                dry_run,
                stamp,
                lang,
            };
            job.run(calendar::CalendarFile(lang)).map_err(localized)
        }
        Some(Command::Calendar {
            what: CalendarWhat::List { year },
        }) => {
            let db = open()?;
            calendar::list(&db, year, lang).map_err(localized)
        }
        Some(Command::Devices {
            what:
                DevicesWhat::Log {
                    tag,
                    kind,
                    date,
                    text,
                },
        }) => {
            let mut db = open()?;
            let signed = sign(&mut db, Purpose::Deed(Deed::WriteHistory), "devices log")?;
            let line = devices::Line {
                tag,
                kind,
                date,
                text: text.join(" "),
            };
            devices::log(&mut db, &line, &signed.stamp, lang).map_err(localized)
        }
        Some(Command::Duty {
            what:
                DutyWhat::Log {
                    add: Some(DutyLogWhat::Add { kind, device, text }),
                    ..
                },
        }) => {
            let mut db = open()?;
            let signed = sign(&mut db, Purpose::Deed(Deed::WriteDutyLog), "duty log add")?;
            duty::add(&mut db, &kind, device, &text.join(" "), &signed.stamp, lang)
                .map_err(localized)
        }
        Some(Command::Duty {
            what:
                DutyWhat::Log {
                    add: None,
                    date,
                    month,
                    format,
                },
        }) => {
            let db = open()?;
            // A day, a month, or today.
            let (from, to) = match (date, month) {
                (Some(day), _) => (day, day),
                (None, Some(first)) => {
                    let month = crate::domain::month::Month::of(first);
                    (month.first(), month.last())
                }
                (None, None) => {
                    let today = chrono::Local::now().date_naive();
                    (today, today)
                }
            };
            duty::list(&db, from, to, format, lang).map_err(localized)
        }
        Some(Command::Duty {
            what: DutyWhat::Handover { format },
        }) => {
            let db = open()?;
            duty::handover(&db, format, chrono::Local::now().naive_local(), lang).map_err(localized)
        }
        Some(Command::Accounts {
            what: AccountsWhat::List,
        }) => {
            let db = open()?;
            accounts::list(&db, &policy, lang).map_err(localized)
        }
        Some(Command::Accounts {
            what: AccountsWhat::Permissions,
        }) => {
            let db = open()?;
            accounts::permissions(&db, lang).map_err(localized)
        }
        Some(Command::Accounts { what }) => {
            let mut db = open()?;
            let purpose = match what {
                AccountsWhat::Password => Purpose::OwnPassword,
                _ => Purpose::Deed(Deed::ManageAccounts),
            };
            let signed = sign(&mut db, purpose, "accounts")?;
            accounts::run(&mut db, what, &signed, &policy, lang).map_err(localized)
        }
        None => {
            let mut db = open()?;
            let accounts_on =
                crate::db::accounts::enabled(db.conn()).map_err(|e| localized(e.into()))?;
            // With accounts on, who is at the console is whoever signs in.
            let operator = match accounts_on {
                true => String::new(),
                false => operator()?,
            };
            db.set_login(Some(sign::os_login()))
                .map_err(|e| localized(e.into()))?;
            let today = chrono::Local::now().date_naive();
            let mut app = tui::app::App::new(db, lang, operator, today);
            if accounts_on {
                let login = cli.global.operator.as_deref().unwrap_or("");
                app.require_sign_in(policy, login, sign::os_login());
            }
            app.gateway = config.gateway_host.unwrap_or(1);
            app.start_daily_backup(paths.backup_dir.clone());
            tui::run(&mut app).map_err(|e| Failure {
                error: e,
                lang: Some(lang),
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `jifang paths`: where this database's files are.
fn paths_say(paths: &Paths, lang: Lang) {
    say!("{}: {}", lang.t("paths.database"), paths.db_file.display());
    say!(
        "{}: {}",
        lang.t("paths.config"),
        paths.config_file.display()
    );
    say!(
        "{}: {}",
        lang.t("paths.backups"),
        paths.backup_dir.display()
    );
    say!(
        "{}: {}",
        lang.t("paths.reports"),
        paths.reports_dir.display()
    );
}

/// An export's bytes written to `out` (what was written said on standard error), or to
/// standard output.
fn write_out(
    out: Option<std::path::PathBuf>,
    bytes: &[u8],
    count: usize,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    match out {
        Some(path) => {
            crate::exchange::refuse_database(&path).map_err(|problem| UserError::Input {
                path: path.clone(),
                problem,
            })?;
            crate::exchange::write_file(&path, bytes).map_err(|e| UserError::Unwritable {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            let shown = path.display();
            let args: [(&str, &dyn std::fmt::Display); 2] = [("count", &count), ("file", &shown)];
            eprintln!("{}", lang.tf("import.exported", &args));
        }
        None => std::io::Write::write_all(&mut stdout(), bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}
