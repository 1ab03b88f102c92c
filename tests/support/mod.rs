//! Shared helpers for the end-to-end tests: the real binary in a clean environment, and the
//! same binary in a pseudo-terminal whose screen is read back through a vt100 parser.
#![allow(dead_code)] // each test file uses its own part of this module

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_jifang");

/// A scratch home: data and config directories of its own, so no test sees the real ones.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.dir.path().to_path_buf()),
            ("XDG_DATA_HOME", self.path("data")),
            ("XDG_CONFIG_HOME", self.path("config")),
        ]
    }

    pub fn config_file(&self) -> PathBuf {
        self.path("config").join("jifang").join("config.toml")
    }

    /// The binary with a clean, English, operator-less environment.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C");
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        cmd
    }
}

/// Output of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(mut cmd: Command, args: &[&str]) -> Run {
    let out = cmd.args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run the binary on the home's `t.db` as operator 张三.
pub fn jifang(home: &Home, args: &[&str]) -> Run {
    let db = home.path("t.db");
    let mut all = vec!["--db", db.to_str().unwrap(), "--operator", "张三"];
    all.extend_from_slice(args);
    run(home.command(), &all)
}

/// The binary running in a pseudo-terminal.
pub struct Tui {
    pub home: Home,
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    /// Ends once the program has exited and every byte it wrote is on `screen`.
    reader: std::thread::JoinHandle<()>,
}

impl Tui {
    pub fn start(cols: u16, rows: u16, args: &[&str]) -> Tui {
        Tui::start_in(Home::new(), cols, rows, args)
    }

    /// Start on a database first filled by `jifang demo`.
    pub fn start_with_demo(cols: u16, rows: u16, args: &[&str]) -> Tui {
        let home = Home::new();
        let db = home.path("e2e.db");
        let demo = run(home.command(), &["--db", db.to_str().unwrap(), "demo"]);
        assert_eq!(demo.code, 0, "{}", demo.stderr);
        Tui::start_in(home, cols, rows, args)
    }

    pub fn start_in(home: Home, cols: u16, rows: u16, args: &[&str]) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in home.env() {
            cmd.env(k, v);
        }
        cmd.arg("--db");
        cmd.arg(home.path("e2e.db"));
        cmd.args(args);
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = screen.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Ends with EOF or EIO once the program exits and the terminal closes.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        let master = pty.master;
        Tui {
            home,
            screen,
            writer,
            child,
            master,
            reader,
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub fn in_alternate_screen(&self) -> bool {
        self.screen.lock().unwrap().screen().alternate_screen()
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Wait until the screen satisfies `check`; panic with the screen if it never does.
    pub fn wait_until(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let text = self.contents();
            if check(&text) {
                return text;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen was:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_for_all(&[needle])
    }

    /// Wait until every needle is on screen at once. Frames arrive in pieces, so a test never
    /// asserts on text it has not waited for.
    pub fn wait_for_all(&self, needles: &[&str]) -> String {
        self.wait_until(&format!("{needles:?}"), |s| {
            needles.iter().all(|n| s.contains(n))
        })
    }

    /// Resize the terminal, as a window manager or an SSH client does (SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.screen
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    /// Wait for the program to end; its exit code.
    pub fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The last bytes (leaving the alternate screen) may still be in flight.
                while !self.reader.is_finished() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(10));
                }
                assert!(
                    self.reader.is_finished(),
                    "terminal output did not end after exit"
                );
                return status.exit_code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("program did not exit; screen was:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.home.path("e2e.db")
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("terminal sizes are at least 1")
}
