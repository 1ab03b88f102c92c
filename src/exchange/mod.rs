//! Moving data in and out as files operators open in Excel and WPS.

pub mod checklist;
pub mod csv_text;
pub mod devices;
pub mod month;
pub mod readings;
pub mod repairs;
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

/// Whether [`write_file`] can write `path`, found by making (and removing) its temporary file:
/// a long export is asked first, before the operator leaves the prompt.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    let temp = temp_beside(path)?;
    std::fs::File::create(&temp)?;
    std::fs::remove_file(&temp)
}

/// Write a whole file or nothing: the bytes go to a temporary file beside it, which then
/// replaces the target. A full disk or a crash never leaves half a file under the real name.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = temp_beside(path)?;
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
