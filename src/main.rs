//! `jifang`: pick the help language, parse the command line, run it, report failures.

use std::process::ExitCode;

use clap::Parser;
use jifang::cli::Cli;
use jifang::error::UserError;
use jifang::{commands, config, i18n};

fn main() -> ExitCode {
    // Before anything is created; the config may then widen it to the group.
    config::restrict_new_files(false);
    let args: Vec<String> = std::env::args().collect();
    let early = config::early_lang(&args, |name| std::env::var(name).ok());
    i18n::set_cli_lang(early);
    let cli = Cli::parse();
    let fallback = cli.global.lang.unwrap_or(early);
    match commands::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            // `jifang tools list | head`: the reader has what it wanted; nothing went wrong.
            let closed_pipe = failure.error.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if closed_pipe {
                return ExitCode::SUCCESS;
            }
            let lang = failure.lang.unwrap_or(fallback);
            let database = failure
                .error
                .chain()
                .find_map(|e| e.downcast_ref::<rusqlite::Error>())
                .filter(|e| {
                    use rusqlite::ErrorCode::*;
                    matches!(
                        e.sqlite_error_code(),
                        Some(DatabaseBusy | DatabaseLocked | DiskFull | ReadOnly | SystemIoFailure)
                    )
                });
            let text = match (failure.error.downcast_ref::<UserError>(), database) {
                (Some(user), _) => user.message(lang),
                // A wait for another program, a full disk: what happened and what to do.
                (None, Some(db)) => jifang::words::failure_message(db, lang),
                (None, None) => format!("{:#}", failure.error),
            };
            // Messages may quote what a file or the command line held: never a live escape.
            let text = jifang::text::printable(&text);
            eprintln!("jifang: {}: {text}", lang.t("error.prefix"));
            ExitCode::FAILURE
        }
    }
}
