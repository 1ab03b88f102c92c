//! `jifang import …`: the import session every kind of file goes through (its file read, a
//! refused file's problems printed, whether only to check it) and which kind it is.

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rusqlite::Connection;

use crate::cli::ImportWhat;
use crate::db::{Db, Stamp};
use crate::error::UserError;
use crate::i18n::Lang;

/// One import asked for: the database in its bulk-write settings, the file, whether only to
/// check it (`--dry-run`), who imports, and the words to say it in.
pub struct Import {
    pub db: Db,
    pub path: PathBuf,
    pub dry_run: bool,
    pub stamp: Stamp,
    pub lang: Lang,
}

/// Import the file `what` names, of its kind.
pub fn run(what: ImportWhat, db: Db, stamp: Stamp, lang: Lang) -> anyhow::Result<ExitCode> {
    let (path, dry_run) = match &what {
        ImportWhat::Devices { file, dry_run, .. }
        | ImportWhat::Tools { file, dry_run }
        | ImportWhat::Readings { file, dry_run }
        | ImportWhat::People { file, dry_run }
        | ImportWhat::Checklist { file, dry_run } => (file.clone(), *dry_run),
    };
    let job = Import {
        db,
        path,
        dry_run,
        stamp,
        lang,
    };
    match what {
        ImportWhat::Devices { update, .. } => super::devices::import(job, update),
        ImportWhat::Tools { .. } => job.run(super::tools::ToolFile(lang)),
        ImportWhat::Readings { .. } => {
            let today = job.stamp.at.date();
            job.run(super::readings::ReadingFile { today, lang })
        }
        ImportWhat::People { .. } => job.run(super::people::PeopleFile(lang)),
        ImportWhat::Checklist { .. } => super::checks::import(job),
    }
}

/// A kind of file that is checked whole, then written whole: what the import session needs of
/// it, in the operator's words (the kind holds their language).
pub trait FileKind {
    type Plan;

    /// What the file would do, or every problem found in it, one a line.
    fn plan(&self, conn: &Connection, bytes: &[u8]) -> Result<Self::Plan, Vec<String>>;

    /// What `--dry-run` says: a line a record, then what it comes to.
    fn preview(&self, plan: &Self::Plan) -> Vec<String>;

    /// The catalog key of what an import says it wrote: `{file}` and the counts of `apply`.
    const DONE: &'static str;

    /// Write it all in one transaction: how many of each were written, or why nothing was.
    fn apply(&self, conn: &mut Connection, plan: &Self::Plan, stamp: &Stamp) -> Written;
}

/// How many records of each kind an import wrote (`added`, `changed`…), or why it wrote none.
pub type Written = Result<Vec<(&'static str, usize)>, String>;

impl Import {
    /// Check the file whole, then write it whole; with `--dry-run`, say what it would do.
    pub fn run<K: FileKind>(mut self, kind: K) -> anyhow::Result<ExitCode> {
        let lang = self.lang;
        let plan = kind.plan(self.db.conn(), &self.bytes()?);
        let Some(plan) = self.planned(plan, |lines| lines) else {
            return Ok(ExitCode::FAILURE);
        };
        if self.dry_run {
            for line in kind.preview(&plan) {
                say!("{line}");
            }
            return Ok(ExitCode::SUCCESS);
        }
        let counts = kind
            .apply(self.db.conn_mut(), &plan, &self.stamp)
            .map_err(anyhow::Error::msg)?;
        let file = self.shown();
        let mut args: Vec<(&str, &dyn Display)> = vec![("file", &file)];
        args.extend(counts.iter().map(|(name, n)| (*name, n as &dyn Display)));
        say!("{}", lang.tf(K::DONE, &args));
        Ok(ExitCode::SUCCESS)
    }

    /// The file's bytes (standard input's for `-`), or why it cannot be read.
    pub fn bytes(&self) -> Result<Vec<u8>, UserError> {
        read_input(&self.path)
    }

    /// The file's name as the operator gave it.
    pub fn shown(&self) -> std::path::Display<'_> {
        self.path.display()
    }

    /// The plan made of the file; when the file was refused, `None` with every problem
    /// printed on standard error, each on its own line as `words` puts it.
    pub fn planned<P, E>(
        &self,
        plan: Result<P, E>,
        words: impl FnOnce(E) -> Vec<String>,
    ) -> Option<P> {
        match plan {
            Ok(plan) => Some(plan),
            Err(problems) => {
                print_refusal(&self.path, words(problems), self.lang);
                None
            }
        }
    }
}

/// The bytes of a file to import, or why it cannot be read.
pub fn read_input(path: &Path) -> Result<Vec<u8>, UserError> {
    crate::exchange::input::read(path).map_err(|problem| UserError::Input {
        path: path.to_path_buf(),
        problem,
    })
}

/// Say that an import file was refused, with every problem on its own line.
fn print_refusal(path: &Path, lines: Vec<String>, lang: Lang) {
    let shown = path.display();
    let args: [(&str, &dyn Display); 2] = [("file", &shown), ("count", &lines.len())];
    eprintln!("jifang: {}", lang.tf("import.refused", &args));
    for line in lines {
        eprintln!("  {}", crate::text::printable(&line));
    }
}
