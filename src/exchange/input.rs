//! Reading a file an operator names for import: a regular file only (a FIFO would block, a
//! device would never end), never bigger than [`MAX_BYTES`], never the database this process
//! has open (reading it with `std::fs` would drop the connection's locks on it).

use std::fs::{File, Metadata};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use crate::db::open_files;
use crate::i18n::Lang;

/// The biggest import file read: ten times the register of the largest centre as CSV.
pub const MAX_BYTES: u64 = 256 << 20;

/// Why a file cannot be imported, before a byte of it is read as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    /// The system's reason: missing, no permission, ...
    Io(String),
    Folder,
    /// A named pipe, a device or a socket: reading could block or never end.
    NotAFile,
    TooBig {
        bytes: u64,
    },
    /// The database itself, or its `-wal`/`-shm`.
    IsDatabase,
}

impl InputProblem {
    pub fn message(&self, path: &Path, lang: Lang) -> String {
        let shown = path.display().to_string();
        match self {
            InputProblem::Io(reason) => {
                lang.tf("error.unreadable", &[("path", &shown), ("reason", reason)])
            }
            InputProblem::Folder => lang.tf("input.folder", &[("path", &shown)]),
            InputProblem::NotAFile => lang.tf("input.not_a_file", &[("path", &shown)]),
            InputProblem::TooBig { bytes } => {
                let size = crate::text::size_text(*bytes);
                let max = crate::text::size_text(MAX_BYTES);
                lang.tf(
                    "input.too_big",
                    &[("path", &shown), ("size", &size), ("max", &max)],
                )
            }
            InputProblem::IsDatabase => lang.tf("input.is_database", &[("path", &shown)]),
        }
    }
}

fn judge(meta: &Metadata) -> Result<(), InputProblem> {
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(InputProblem::Folder);
    }
    if kind.is_fifo() || kind.is_block_device() || kind.is_char_device() || kind.is_socket() {
        return Err(InputProblem::NotAFile);
    }
    if meta.len() > MAX_BYTES {
        return Err(InputProblem::TooBig { bytes: meta.len() });
    }
    Ok(())
}

fn io(e: std::io::Error) -> InputProblem {
    InputProblem::Io(e.to_string())
}

/// Whether `path` could be imported, asked without opening it: a prompt asks this and stays
/// open to have the path corrected.
pub fn check(path: &Path) -> Result<(), InputProblem> {
    if open_files::database_of(path).is_some() {
        return Err(InputProblem::IsDatabase);
    }
    judge(&std::fs::metadata(path).map_err(io)?)
}

/// The bytes of the import file at `path`.
pub fn read(path: &Path) -> Result<Vec<u8>, InputProblem> {
    check(path)?;
    // Non-blocking, so a FIFO put there since the check opens at once; it is then refused by
    // what the open file is, not what the name was.
    let mut file = File::options()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    judge(&meta)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file)
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(InputProblem::TooBig {
            bytes: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_regular_file_of_a_sane_size_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("d.csv");
        std::fs::write(&file, "asset_tag\r\nA-1\r\n").unwrap();
        assert_eq!(read(&file).unwrap(), b"asset_tag\r\nA-1\r\n");
        assert_eq!(read(dir.path()), Err(InputProblem::Folder));
        assert_eq!(read(Path::new("/dev/zero")), Err(InputProblem::NotAFile));
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        assert_eq!(read(&fifo), Err(InputProblem::NotAFile));
        let big = dir.path().join("big.csv");
        let f = File::create(&big).unwrap();
        f.set_len(MAX_BYTES + 1).unwrap();
        assert_eq!(
            read(&big),
            Err(InputProblem::TooBig {
                bytes: MAX_BYTES + 1
            })
        );
        assert!(matches!(
            read(&dir.path().join("none.csv")),
            Err(InputProblem::Io(_))
        ));
    }

    #[test]
    fn the_open_database_and_its_log_are_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let _db = crate::db::Db::open(&path).unwrap();
        assert_eq!(read(&path), Err(InputProblem::IsDatabase));
        assert_eq!(
            read(&dir.path().join("t.db-wal")),
            Err(InputProblem::IsDatabase)
        );
        let text = InputProblem::IsDatabase.message(&path, Lang::En);
        assert!(text.contains("t.db"), "{text}");
    }
}
