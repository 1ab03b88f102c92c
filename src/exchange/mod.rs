//! Moving data in and out as files operators open in Excel and WPS.

pub mod audit;
pub mod calendar;
pub mod checklist;
pub mod csv_text;
pub mod devices;
pub mod duty;
pub mod handover;
pub mod input;
pub mod month;
pub mod people;
pub mod readings;
pub mod repairs;
pub mod runs;
pub mod sheet;
pub mod table;
pub mod tools;

use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary file [`write_file`] writes before it takes the real name.
fn temp_beside(path: &Path) -> std::io::Result<PathBuf> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    Ok(dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// Refuse to write over the database this process has open (or its `-wal`/`-shm`): the export
/// would replace the register with a CSV file.
pub fn refuse_database(path: &Path) -> Result<(), input::InputProblem> {
    match crate::db::open_files::database_of(path) {
        Some(_) => Err(input::InputProblem::IsDatabase),
        None => Ok(()),
    }
}

/// Remove the temporary files of `path` that programs killed while writing it left behind
/// (`.NAME.PID.tmp` of a process no longer running): a killed `export month` leaves up to one
/// per file of the pack, and nothing else would ever remove them.
fn sweep_stale(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let start = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let pid = file
            .strip_prefix(&start)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !crate::db::place::process_running(pid)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether [`write_file`] can write `path`, found by making (and removing) its temporary file:
/// a long export is asked first, before the operator leaves the prompt.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    guard(path)?;
    let temp = temp_beside(path)?;
    std::fs::File::create(&temp)?;
    std::fs::remove_file(&temp)
}

/// [`refuse_database`] for the writers' own callers, which name the problem in their words
/// first; this is the last line should one not.
fn guard(path: &Path) -> std::io::Result<()> {
    refuse_database(path).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "this is the database jifang has open",
        )
    })
}

/// Write a whole file or nothing: the bytes go to a temporary file beside it, which then
/// replaces the target. A full disk or a crash never leaves half a file under the real name.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_file_with(path, |out| out.write_all(bytes))
}

/// [`write_file`] for a file written a piece at a time by `fill`: a long file is never held
/// whole, and still appears whole or not at all.
pub fn write_file_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> std::io::Result<T> {
    guard(path)?;
    sweep_stale(path);
    let temp = temp_beside(path)?;
    let result = (|| {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&temp)?);
        let filled = fill(&mut file)?;
        let file = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        Ok(filled)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
