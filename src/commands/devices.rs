//! `jifang import devices` and `jifang export devices`.

use std::fmt::Display;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::import::Import;
use crate::db::Db;
use crate::exchange::devices;
use crate::i18n::Lang;

/// Check a file in full, then (unless `dry_run`) write it in one transaction.
pub fn import(mut job: Import, update: bool) -> anyhow::Result<ExitCode> {
    let lang = job.lang;
    let plan = devices::plan(job.db.conn(), job.bytes()?, update);
    let Some(plan) = job.planned(plan, |error| error.lines(lang)) else {
        return Ok(ExitCode::FAILURE);
    };
    let counts = |adds: &usize, updates: &usize| -> [(&str, String); 3] {
        [
            ("adds", adds.to_string()),
            ("updates", updates.to_string()),
            ("unchanged", plan.unchanged.to_string()),
        ]
    };
    if job.dry_run {
        for (_, record) in plan.adds.iter() {
            say!("+ {} {}", record.asset_tag, record.name);
        }
        for u in &plan.updates {
            say!("~ {} {}", u.before.record.asset_tag, u.before.record.name);
            for (field, old, new) in &u.changes {
                say!("    {}: {old:?} -> {new:?}", lang.t(field.label_key()));
            }
        }
        let c = counts(&plan.adds.len(), &plan.updates.len());
        let args: Vec<(&str, &dyn Display)> =
            c.iter().map(|(k, v)| (*k, v as &dyn Display)).collect();
        say!("{}", lang.tf("import.dry_run", &args));
        return Ok(ExitCode::SUCCESS);
    }
    let mut progress = Progress::new(plan.adds.len() + plan.updates.len(), lang);
    // Ctrl-C (or a hang-up, or `kill`) stops the import at its next batch, which then rolls
    // back and says that nothing was written instead of vanishing mid-way.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    let applied = devices::apply(job.db.conn_mut(), &plan, &job.stamp, &mut |done| {
        progress.tell(done) && !stop.load(std::sync::atomic::Ordering::Relaxed)
    });
    progress.end();
    let applied = applied.map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    let c = counts(&applied.added, &applied.updated);
    let mut args: Vec<(&str, &dyn Display)> =
        c.iter().map(|(k, v)| (*k, v as &dyn Display)).collect();
    let shown = job.shown();
    args.push(("file", &shown));
    say!("{}", lang.tf("import.done", &args));
    Ok(ExitCode::SUCCESS)
}

/// How often the progress line is rewritten.
const TELL_EVERY: Duration = Duration::from_millis(250);

/// How far an import has got, on one line of standard error rewritten in place, when that is a
/// terminal and the import takes more than a moment; nothing otherwise (scripts and logs).
struct Progress {
    total: usize,
    lang: Lang,
    shown: bool,
    last: Instant,
    terminal: bool,
}

impl Progress {
    fn new(total: usize, lang: Lang) -> Progress {
        Progress {
            total,
            lang,
            shown: false,
            last: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn tell(&mut self, done: usize) -> bool {
        let last = done == self.total;
        if !self.terminal || !(last && self.shown || self.last.elapsed() >= TELL_EVERY) {
            return true;
        }
        self.last = Instant::now();
        self.shown = true;
        let text = if last {
            // The search index and the commit come after the last device.
            self.lang.t("devices.import_finishing").to_owned()
        } else {
            let percent = done * 100 / self.total.max(1);
            let args: [(&str, &dyn Display); 3] = [
                ("done", &done),
                ("total", &self.total),
                ("percent", &percent),
            ];
            self.lang.tf("import.progress", &args)
        };
        eprint!("\r{text}\x1b[K");
        true
    }

    /// Clear the progress line, if one was shown.
    fn end(&self) {
        if self.shown {
            eprint!("\r\x1b[K");
        }
    }
}

/// Write the register as CSV to `out`, or to standard output.
pub fn export(db: &Db, out: Option<PathBuf>, all: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let (bytes, count) = devices::export(db.conn(), all, lang)?;
    super::write_out(out, &bytes, count, lang)
}

/// A line by hand for a device's history book, as the command line gives it.
pub struct Line {
    pub tag: String,
    /// A kind's key or Chinese name.
    pub kind: String,
    /// Today unless given.
    pub date: Option<chrono::NaiveDate>,
    pub text: String,
}

/// `jifang devices log TAG --kind KIND TEXT`: a line in the device's history book, signed by
/// the operator (a monitoring job can note a degradation).
pub fn log(
    db: &mut crate::db::Db,
    line: &Line,
    stamp: &crate::db::Stamp,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    use crate::db::device_log::{self, EventKind, LineError};
    let Some(kind) = EventKind::by_hand(&line.kind) else {
        let known: Vec<&str> = EventKind::BY_HAND.iter().map(|k| k.key()).collect();
        anyhow::bail!(lang.tf(
            "devices.line_unknown_kind",
            &[("kind", &line.kind), ("known", &known.join(", "))]
        ));
    };
    let Some(device) = crate::db::devices::by_tag(db.conn(), &line.tag)? else {
        anyhow::bail!(LineError::NotFound.message(lang));
    };
    let on = line.date.unwrap_or(stamp.at.date());
    db.write(|tx| device_log::write_line(tx, device.id, kind, on, &line.text, stamp))
        .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
    say!(
        "{}",
        lang.tf("devices.line_added", &[("tag", &device.record.asset_tag)])
    );
    Ok(ExitCode::SUCCESS)
}
