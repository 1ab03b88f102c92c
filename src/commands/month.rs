//! `jifang export month`: the month report pack, with progress on standard error.

use std::fmt::Display;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDateTime;

use crate::db::Db;
use crate::domain::month::Month;
use crate::exchange::month::{STEPS, Step, export as export_pack};
use crate::i18n::Lang;

pub fn export(
    db: &Db,
    month: Month,
    dir: &Path,
    now: NaiveDateTime,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    if month.first() > now.date() {
        let label = month.label();
        eprintln!(
            "jifang: {}",
            lang.tf(
                if month.is_week() {
                    "month.future_week"
                } else {
                    "month.future"
                },
                &[("month", &label)]
            )
        );
        return Ok(ExitCode::FAILURE);
    }
    let written = export_pack(db.conn(), month, now, dir, lang, |step, what| {
        let steps = &STEPS;
        let line = match what {
            Step::Reading(part) => {
                let part = lang.t(part);
                let args: [(&str, &dyn Display); 3] =
                    [("step", &step), ("steps", steps), ("part", &part)];
                lang.tf("month.reading", &args)
            }
            Step::Wrote(w) => {
                let file = w.path.display();
                let args: [(&str, &dyn Display); 4] = [
                    ("step", &step),
                    ("steps", steps),
                    ("file", &file),
                    ("rows", &w.rows),
                ];
                lang.tf("month.wrote_file", &args)
            }
        };
        eprintln!("{line}");
    });
    match written {
        Ok(files) => {
            let (label, shown) = (month.label(), dir.display());
            let args: [(&str, &dyn Display); 3] =
                [("month", &label), ("files", &files.len()), ("dir", &shown)];
            eprintln!(
                "{}",
                lang.tf(
                    if month.is_week() {
                        "month.done_week"
                    } else {
                        "month.done"
                    },
                    &args
                )
            );
            for file in files {
                say!("{}", file.path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("jifang: {}", e.message(lang));
            Ok(ExitCode::FAILURE)
        }
    }
}
