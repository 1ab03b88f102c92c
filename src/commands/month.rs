//! `jifang export month`: the month report pack, with progress on standard error.

use std::fmt::Display;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDateTime;

use crate::db::Db;
use crate::db::month::{self, PARTS};
use crate::domain::month::Month;
use crate::exchange::month::{File, write_pack};
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
        eprintln!("jifang: {}", lang.tf("month.future", &[("month", &label)]));
        return Ok(ExitCode::FAILURE);
    }
    let steps = PARTS.len() + File::ALL.len();
    let mut step = 0;
    let pack = month::read(db.conn(), month, now, |part| {
        step += 1;
        let part = lang.t(part);
        let args: [(&str, &dyn Display); 3] = [("step", &step), ("steps", &steps), ("part", &part)];
        eprintln!("{}", lang.tf("month.reading", &args));
    })?;
    let written = write_pack(dir, &pack, lang, |w| {
        step += 1;
        let file = w.path.display();
        let args: [(&str, &dyn Display); 4] = [
            ("step", &step),
            ("steps", &steps),
            ("file", &file),
            ("rows", &w.rows),
        ];
        eprintln!("{}", lang.tf("month.wrote_file", &args));
    });
    match written {
        Ok(files) => {
            let (label, shown) = (month.label(), dir.display());
            let args: [(&str, &dyn Display); 3] =
                [("month", &label), ("files", &files.len()), ("dir", &shown)];
            eprintln!("{}", lang.tf("month.done", &args));
            for file in files {
                println!("{}", file.path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("jifang: {}", e.message(lang));
            Ok(ExitCode::FAILURE)
        }
    }
}
