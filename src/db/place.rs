//! Where a database file may live: a local disk. WAL keeps its shared index in memory mapped
//! by every program that has the file open, which network filesystems do not share between
//! machines; two consoles on one NFS file would corrupt it. Also who else is there: whether
//! the program that left a temporary file beside it is still running.

use std::path::{Path, PathBuf};

/// Filesystem types that reach the disk over a network (as `/proc/self/mountinfo` names them).
const NETWORK: [&str; 13] = [
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "afs",
    "ncpfs",
    "coda",
    "fuse.sshfs",
    "glusterfs",
    "ceph",
    "lustre",
    "9p",
];

/// The network filesystem `path` (or, for a file not made yet, its folder) is on, if any.
pub fn network_filesystem(path: &Path) -> Option<String> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let place = existing_ancestor(path)?;
    let fstype = filesystem_at(&mountinfo, &place)?;
    is_network(&fstype).then_some(fstype)
}

fn existing_ancestor(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    absolute
        .ancestors()
        .find_map(|p| std::fs::canonicalize(p).ok())
}

pub fn is_network(fstype: &str) -> bool {
    NETWORK.contains(&fstype) || fstype.starts_with("nfs")
}

/// The type of the filesystem mounted deepest above `path`, from mountinfo text.
pub fn filesystem_at(mountinfo: &str, path: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mountinfo.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let Some(dash) = fields.iter().position(|f| *f == "-") else {
            continue;
        };
        let (Some(mount_point), Some(fstype)) = (fields.get(4), fields.get(dash + 1)) else {
            continue;
        };
        let mount_point = unescape(mount_point);
        let depth = Path::new(&mount_point).components().count();
        if path.starts_with(&mount_point) && best.as_ref().is_none_or(|(d, _)| depth >= *d) {
            best = Some((depth, (*fstype).to_owned()));
        }
    }
    best.map(|(_, fstype)| fstype)
}

/// mountinfo writes a space as `\040` (and tab, newline, backslash likewise in octal).
fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && i + 3 < bytes.len()
            && let Ok(code) = u8::from_str_radix(&text[i + 1..i + 4], 8)
        {
            out.push(code);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether process `pid` is running on this machine: a temporary file named after a process
/// that is not was left by a killed program, and nothing else will ever remove it.
pub fn process_running(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw
40 22 0:35 / /srv/share rw,relatime shared:20 - nfs4 fs1:/export rw,vers=4.2
41 40 259:3 / /srv/share/local rw,relatime shared:21 - xfs /dev/sdb1 rw
42 22 0:36 / /mnt/office\\040files rw,relatime shared:22 - cifs //nas/office rw
43 22 0:37 / /tmp rw,nosuid shared:23 - tmpfs tmpfs rw";

    #[test]
    fn the_deepest_mount_above_a_path_decides() {
        let at = |p: &str| filesystem_at(MOUNTINFO, Path::new(p)).unwrap();
        assert_eq!(at("/home/li/jifang.sqlite"), "ext4");
        assert_eq!(at("/srv/share/jifang.sqlite"), "nfs4");
        assert_eq!(at("/srv/share/local/jifang.sqlite"), "xfs");
        assert_eq!(at("/mnt/office files/机房.sqlite"), "cifs");
        assert_eq!(at("/tmp/x.sqlite"), "tmpfs");
        // A sibling whose name only starts the same is not under the mount.
        assert_eq!(at("/srv/shared/jifang.sqlite"), "ext4");
    }

    #[test]
    fn network_filesystems_are_recognised() {
        for fs in ["nfs", "nfs4", "cifs", "smb3", "afs", "fuse.sshfs"] {
            assert!(is_network(fs), "{fs}");
        }
        for fs in ["ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs"] {
            assert!(!is_network(fs), "{fs}");
        }
    }

    #[test]
    fn a_local_path_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(network_filesystem(&dir.path().join("new.sqlite")), None);
    }
}
