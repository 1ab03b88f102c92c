//! `jifang demo`: sample records for trying the program, the small set or ten years of a big
//! campus on top, refused on a database that already holds anyone's work.

use std::fmt::Display;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::Scale;
use crate::db::{Db, Stamp, demo};
use crate::i18n::Lang;

pub fn run(
    db: &mut Db,
    scale: Scale,
    force: bool,
    db_file: &Path,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let existing = db.record_count()?;
    if existing > 0 && !force {
        eprintln!(
            "jifang: {}",
            lang.tf("demo.refused", &[("count", &existing)])
        );
        return Ok(ExitCode::FAILURE);
    }
    // Demo rows are nobody's work: they are stamped as such, and need no operator name.
    let stamp = Stamp::new(demo::AUTHOR, chrono::Local::now().naive_local());
    if scale == Scale::Large {
        let started = std::time::Instant::now();
        let seeded = demo::large::seed(
            db.conn_mut(),
            &stamp,
            demo::large::Size::LARGE,
            &mut |part| {
                let part = lang.t(&format!("demo.part_{part}")).to_owned();
                eprintln!("{}", lang.tf("demo.large_part", &[("part", &part)]));
            },
        )?;
        let seconds = format!("{:.1}", started.elapsed().as_secs_f64());
        let args: [(&str, &dyn Display); 6] = [
            ("seconds", &seconds),
            ("devices", &seeded.devices),
            ("repairs", &seeded.repairs),
            ("loans", &seeded.loans),
            ("results", &seeded.results),
            ("readings", &seeded.readings),
        ];
        say!("{}", lang.tf("demo.large_done", &args));
    }
    let added = demo::fill(db.conn_mut(), &stamp)?;
    let path = db_file.display();
    let args: [(&str, &dyn Display); 9] = [
        ("path", &path),
        ("departments", &added.departments),
        ("people", &added.people),
        ("devices", &added.devices),
        ("runs", &added.runs),
        ("repairs", &added.repairs),
        ("tools", &added.tools),
        ("loans", &added.loans),
        ("readings", &added.readings),
    ];
    say!("{}", lang.tf("demo.done", &args));
    Ok(ExitCode::SUCCESS)
}
