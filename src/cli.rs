//! Command-line interface: global flags and subcommands. Help text comes from the catalog, in
//! the language `main` found before parsing.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::i18n::{Lang, cli};

/// How a listing prints: a table for people, CSV for spreadsheets, JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Parser)]
#[command(
    name = "jifang",
    version,
    about = cli("cli.about"),
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[arg(short = 'V', long, action = clap::ArgAction::Version, help = cli("cli.version"))]
    version: Option<bool>,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    #[arg(long, global = true, env = "JIFANG_DB", value_name = "PATH", help = cli("cli.db"))]
    pub db: Option<PathBuf>,

    #[arg(long, global = true, value_name = "NAME", help = cli("cli.operator"))]
    pub operator: Option<String>,

    #[arg(long, global = true, value_enum, help = cli("cli.lang"))]
    pub lang: Option<Lang>,

    #[arg(short = 'h', long, global = true, action = clap::ArgAction::Help, help = cli("cli.help"))]
    help: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(about = cli("cli.paths"))]
    Paths,
    #[command(about = cli("cli.demo"))]
    Demo {
        #[arg(long, help = cli("cli.demo_force"))]
        force: bool,
        #[arg(long, value_enum, default_value = "small", help = cli("cli.demo_scale"))]
        scale: Scale,
    },
    #[command(about = cli("cli.check"))]
    Check {
        #[arg(long, help = cli("cli.check_repair"))]
        repair: bool,
        #[arg(long, value_name = "BACKUP", help = cli("cli.check_against"))]
        against: Option<PathBuf>,
    },
    #[command(about = cli("cli.import"))]
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    #[command(about = cli("cli.people"))]
    People {
        #[command(subcommand)]
        what: PeopleWhat,
    },
    #[command(about = cli("cli.checks"))]
    Checks {
        #[command(subcommand)]
        what: ChecksWhat,
    },
    #[command(about = cli("cli.repairs"))]
    Repairs {
        #[command(subcommand)]
        what: RepairsWhat,
    },
    #[command(about = cli("cli.tools"))]
    Tools {
        #[command(subcommand)]
        what: ToolsWhat,
    },
    #[command(about = cli("cli.readings"))]
    Readings {
        #[command(subcommand)]
        what: ReadingsWhat,
    },
    #[command(about = cli("cli.export"))]
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    #[command(about = cli("cli.audit"))]
    Audit {
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, help = cli("cli.audit_since"))]
        since: Option<chrono::NaiveDate>,
        #[arg(long, value_name = "TABLE", help = cli("cli.audit_table"))]
        table: Option<String>,
        #[arg(long, value_name = "NAME", help = cli("cli.audit_by"))]
        by: Option<String>,
        #[arg(long, value_enum, default_value = "table", help = cli("cli.format"))]
        format: Format,
    },
    #[command(about = cli("cli.calendar"))]
    Calendar {
        #[command(subcommand)]
        what: CalendarWhat,
    },
    #[command(about = cli("cli.devices"))]
    Devices {
        #[command(subcommand)]
        what: DevicesWhat,
    },
    #[command(about = cli("cli.duty"))]
    Duty {
        #[command(subcommand)]
        what: DutyWhat,
    },
    #[command(about = cli("cli.accounts"))]
    Accounts {
        #[command(subcommand)]
        what: AccountsWhat,
    },
    #[command(about = cli("cli.backup"))]
    Backup {
        #[arg(long, value_name = "FILE", help = cli("cli.backup_out"))]
        out: Option<PathBuf>,
    },
    #[command(about = cli("cli.restore"))]
    Restore {
        #[arg(value_name = "FILE", help = cli("cli.restore_file"))]
        file: PathBuf,
    },
}

/// How much demo data: a few hundred devices and a year, or a big campus's ten years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    Small,
    Large,
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    #[command(about = cli("cli.import_devices"))]
    Devices {
        #[arg(value_name = "FILE", help = cli("cli.import_file"))]
        file: PathBuf,
        #[arg(long, help = cli("cli.dry_run"))]
        dry_run: bool,
        #[arg(long, help = cli("cli.update"))]
        update: bool,
    },
    #[command(about = cli("cli.import_tools"))]
    Tools {
        #[arg(value_name = "FILE", help = cli("cli.import_file"))]
        file: PathBuf,
        #[arg(long, help = cli("cli.dry_run"))]
        dry_run: bool,
    },
    #[command(about = cli("cli.import_readings"))]
    Readings {
        #[arg(value_name = "FILE", help = cli("cli.import_file"))]
        file: PathBuf,
        #[arg(long, help = cli("cli.dry_run"))]
        dry_run: bool,
    },
    #[command(about = cli("cli.import_people"))]
    People {
        #[arg(value_name = "FILE", help = cli("cli.import_file"))]
        file: PathBuf,
        #[arg(long, help = cli("cli.dry_run"))]
        dry_run: bool,
    },
    #[command(about = cli("cli.import_checklist"))]
    Checklist {
        #[arg(value_name = "FILE", help = cli("cli.import_checklist_file"))]
        file: PathBuf,
        #[arg(long, help = cli("cli.dry_run"))]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ChecksWhat {
    #[command(about = cli("cli.checks_status"))]
    Status {
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, help = cli("cli.checks_date"))]
        date: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RepairsWhat {
    #[command(about = cli("cli.repairs_list"))]
    List {
        #[arg(long, value_name = "open|closed|late|all", default_value = "open", value_parser = parse_state, help = cli("cli.repairs_state"))]
        state: crate::db::repairs::StateFilter,
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month, help = cli("cli.repairs_month"))]
        month: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value = "table", help = cli("cli.format"))]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum ToolsWhat {
    #[command(about = cli("cli.tools_list"))]
    List {
        #[arg(long, conflicts_with = "overdue", help = cli("cli.tools_out"))]
        out: bool,
        #[arg(long, help = cli("cli.tools_overdue"))]
        overdue: bool,
        #[arg(long, value_enum, default_value = "table", help = cli("cli.format"))]
        format: Format,
    },
    #[command(about = cli("cli.tools_loans"))]
    Loans {
        #[arg(long, value_name = "all|open|overdue|returned|unsettled", default_value = "all", value_parser = parse_loan_state, help = cli("cli.loans_state"))]
        state: crate::db::tools::LoanFilter,
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month, help = cli("cli.loans_month"))]
        month: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value = "table", help = cli("cli.format"))]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReadingsWhat {
    #[command(about = cli("cli.readings_compare"))]
    Compare {
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, help = cli("cli.readings_date"))]
        date: Option<chrono::NaiveDate>,
        #[arg(long, value_name = "prev|week|avg30", default_value = "prev", value_parser = parse_base, help = cli("cli.readings_base"))]
        base: crate::domain::reading::Base,
        #[arg(long, value_enum, default_value = "table", help = cli("cli.format"))]
        format: Format,
    },
}

fn parse_base(text: &str) -> Result<crate::domain::reading::Base, String> {
    crate::domain::reading::Base::parse(text)
        .ok_or_else(|| cli("cli.bad_base").replace("{value}", text))
}

fn parse_loan_state(text: &str) -> Result<crate::db::tools::LoanFilter, String> {
    crate::db::tools::LoanFilter::parse(text.trim())
        .ok_or_else(|| cli("cli.bad_loan_state").replace("{value}", text))
}

fn parse_state(text: &str) -> Result<crate::db::repairs::StateFilter, String> {
    use crate::db::repairs::StateFilter;
    match StateFilter::parse(text) {
        Some(
            f @ (StateFilter::Open | StateFilter::Closed | StateFilter::Late | StateFilter::All),
        ) => Ok(f),
        _ => Err(cli("cli.bad_state").replace("{value}", text)),
    }
}

/// `YYYY-MM`: the first day of that month.
fn parse_month(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .ok()
        .filter(|_| text.trim().len() == 7)
        .ok_or_else(|| cli("cli.bad_month").replace("{value}", text))
}

/// `YYYY-Www`: that ISO week.
fn parse_week(text: &str) -> Result<crate::domain::month::Month, String> {
    crate::domain::month::Month::parse_week(text)
        .ok_or_else(|| cli("cli.bad_week").replace("{value}", text))
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::domain::record::parse_date(text)
        .ok_or_else(|| cli("cli.bad_date").replace("{value}", text))
}

#[derive(Debug, Subcommand)]
pub enum PeopleWhat {
    #[command(about = cli("cli.import_people"))]
    Import {
        #[arg(value_name = "FILE", help = cli("cli.import_file"))]
        file: PathBuf,
        #[arg(long, help = cli("cli.dry_run"))]
        dry_run: bool,
    },
    #[command(about = cli("cli.export_people"))]
    Export {
        #[arg(long, value_name = "FILE", help = cli("cli.out"))]
        out: Option<PathBuf>,
        #[arg(long, help = cli("cli.export_people_all"))]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CalendarWhat {
    #[command(about = cli("cli.calendar_import"))]
    Import {
        #[arg(value_name = "FILE", help = cli("cli.import_file"))]
        file: PathBuf,
        #[arg(long, help = cli("cli.dry_run"))]
        dry_run: bool,
    },
    #[command(about = cli("cli.calendar_list"))]
    List {
        #[arg(long, value_name = "YYYY", help = cli("cli.calendar_year"))]
        year: Option<i32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DevicesWhat {
    #[command(about = cli("cli.devices_log"))]
    Log {
        #[arg(value_name = "TAG", help = cli("cli.devices_log_tag"))]
        tag: String,
        #[arg(long, value_name = "KIND", default_value = "other", help = cli("cli.devices_log_kind"))]
        kind: String,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, help = cli("cli.devices_log_date"))]
        date: Option<chrono::NaiveDate>,
        #[arg(value_name = "TEXT", required = true, help = cli("cli.devices_log_text"))]
        text: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DutyWhat {
    /// The work log: `jifang duty log` lists it, `jifang duty log add TEXT` writes an entry.
    #[command(about = cli("cli.duty_log"), args_conflicts_with_subcommands = true)]
    Log {
        #[command(subcommand)]
        add: Option<DutyLogWhat>,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, conflicts_with = "month", help = cli("cli.duty_log_date"))]
        date: Option<chrono::NaiveDate>,
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month, help = cli("cli.duty_log_month"))]
        month: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value = "table", help = cli("cli.format"))]
        format: Format,
    },
    #[command(about = cli("cli.duty_handover"))]
    Handover {
        #[arg(long, value_enum, default_value = "table", help = cli("cli.format"))]
        format: HandoverFormat,
    },
}

/// A handover's parts are lists of different shapes: one table would not hold them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HandoverFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum DutyLogWhat {
    #[command(about = cli("cli.duty_log_add"))]
    Add {
        #[arg(long, value_name = "KIND", default_value = "work", help = cli("cli.duty_log_kind"))]
        kind: String,
        #[arg(long, value_name = "TAG", help = cli("cli.duty_log_device"))]
        device: Option<String>,
        #[arg(value_name = "TEXT", required = true, help = cli("cli.duty_log_text"))]
        text: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountsWhat {
    #[command(about = cli("cli.accounts_list"))]
    List,
    #[command(about = cli("cli.accounts_add"))]
    Add {
        #[arg(value_name = "NAME", help = cli("cli.accounts_name"))]
        name: String,
        #[arg(long, value_name = "LOGIN", help = cli("cli.accounts_login"))]
        login: Option<String>,
        #[arg(long, value_name = "DEPARTMENT", help = cli("cli.accounts_department"))]
        department: Option<String>,
        #[arg(long = "role", value_name = "ROLE", help = cli("cli.accounts_role"))]
        roles: Vec<String>,
    },
    #[command(about = cli("cli.accounts_roles"))]
    Role {
        #[arg(value_name = "LOGIN")]
        login: String,
        #[arg(value_name = "ROLE", required = true, help = cli("cli.accounts_role"))]
        roles: Vec<String>,
    },
    #[command(about = cli("cli.accounts_reset"))]
    Reset {
        #[arg(value_name = "LOGIN")]
        login: String,
    },
    #[command(about = cli("cli.accounts_lock"))]
    Lock {
        #[arg(value_name = "LOGIN")]
        login: String,
    },
    #[command(about = cli("cli.accounts_unlock"))]
    Unlock {
        #[arg(value_name = "LOGIN")]
        login: String,
    },
    #[command(about = cli("cli.accounts_password"))]
    Password,
    #[command(about = cli("cli.accounts_permissions"))]
    Permissions,
    #[command(about = cli("cli.accounts_permit"))]
    Permit {
        #[arg(value_name = "ACTION")]
        deed: String,
        #[arg(value_name = "ROLE", help = cli("cli.accounts_role"))]
        roles: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    #[command(about = cli("cli.export_devices"))]
    Devices {
        #[arg(long, value_name = "FILE", help = cli("cli.out"))]
        out: Option<PathBuf>,
        #[arg(long, help = cli("cli.export_all"))]
        all: bool,
    },
    #[command(about = cli("cli.export_month"))]
    Month {
        #[arg(value_name = "YYYY-MM", value_parser = parse_month)]
        month: chrono::NaiveDate,
        #[arg(long, value_name = "DIR", help = cli("cli.out_dir"))]
        out: Option<PathBuf>,
    },
    #[command(about = cli("cli.export_week"))]
    Week {
        #[arg(value_name = "YYYY-Www", value_parser = parse_week)]
        week: crate::domain::month::Month,
        #[arg(long, value_name = "DIR", help = cli("cli.out_dir"))]
        out: Option<PathBuf>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli =
            Cli::try_parse_from(["jifang", "demo", "--force", "--db", "x.db", "--lang", "zh"])
                .unwrap();
        assert_eq!(cli.global.db.as_deref(), Some(std::path::Path::new("x.db")));
        assert_eq!(cli.global.lang, Some(Lang::Zh));
        assert!(matches!(
            cli.command,
            Some(Command::Demo {
                force: true,
                scale: Scale::Small
            })
        ));
    }

    #[test]
    fn import_and_export_take_their_flags() {
        let cli =
            Cli::try_parse_from(["jifang", "import", "devices", "a.csv", "--dry-run"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Import {
                what: ImportWhat::Devices {
                    dry_run: true,
                    update: false,
                    ..
                }
            })
        ));
        let cli = Cli::try_parse_from(["jifang", "export", "devices", "--all", "--out", "x.csv"])
            .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Export {
                what: ExportWhat::Devices {
                    all: true,
                    out: Some(_)
                }
            })
        ));
    }

    #[test]
    fn checks_status_takes_a_date() {
        let cli =
            Cli::try_parse_from(["jifang", "checks", "status", "--date", "2027-01-03"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Checks { what: ChecksWhat::Status { date: Some(d) } })
                if d.to_string() == "2027-01-03"
        ));
        assert!(
            Cli::try_parse_from(["jifang", "checks", "status", "--date", "2027-02-30"]).is_err()
        );
    }

    #[test]
    fn repairs_list_takes_a_state_a_month_and_a_format() {
        let cli = Cli::try_parse_from([
            "jifang", "repairs", "list", "--state", "closed", "--month", "2026-10", "--format",
            "csv",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Repairs { what: RepairsWhat::List { month: Some(m), .. } })
                if m.to_string() == "2026-10-01"
        ));
        for bad in [
            vec!["--state", "pending"],
            vec!["--month", "2026-13"],
            vec!["--month", "2026-1"],
            vec!["--format", "xml"],
        ] {
            let mut args = vec!["jifang", "repairs", "list"];
            args.extend(bad.iter());
            assert!(Cli::try_parse_from(&args).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn unknown_language_is_refused() {
        assert!(Cli::try_parse_from(["jifang", "--lang", "fr"]).is_err());
    }
}
