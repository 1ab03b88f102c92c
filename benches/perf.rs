//! `cargo bench`: the figures of README's "Performance" section, measured on the large demo
//! database (`jifang demo --scale large`, made once under `target/bench/`) against the targets.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jifang::db::{Db, Stamp};
use jifang::i18n::Lang;
use jifang::tui::app::App;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const BIN: &str = env!("CARGO_BIN_EXE_jifang");

fn main() {
    // `cargo test --benches` and `cargo bench -- --list` must not spend minutes here.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("large");
    std::fs::create_dir_all(dir.join("home")).unwrap();
    let db = dir.join("jifang.sqlite");
    if !db.exists() {
        let started = Instant::now();
        let out = jifang(&dir, &["--db", path(&db), "demo", "--scale", "large"]);
        println!("{}", out.trim());
        row("demo --scale large", secs(started.elapsed()), "< 60 s");
    }
    println!("\n{:<44} {:>18}  target", "what", "measured");
    // `cargo bench -- exports import` runs only those parts (also: start keys save review memory).
    let named: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |part: &str| named.is_empty() || named.iter().any(|n| n == part);
    if wanted("start") {
        start_to_first_frame(&dir, &db);
    }
    if wanted("keys") {
        keystrokes(&db);
    }
    if wanted("save") {
        save_while_another_writes(&dir, &db);
    }
    if wanted("exports") {
        exports(&dir, &db);
    }
    if wanted("import") {
        import(&dir, &db);
    }
    if wanted("review") {
        import_review(&dir, &db);
    }
    if wanted("memory") {
        peak_memory(&dir, &db);
    }
    if wanted("sign_in") {
        sign_in(&dir);
    }
}

/// What signing in adds to start-up: the password check alone, and Enter on the password to
/// the first frame of data (the check, the user-use log's write, the permission table, the
/// frame), on a database of its own so the large one stays in open mode.
fn sign_in(dir: &Path) {
    use jifang::db::accounts::{self, NewAccount};
    use jifang::domain::account::{self as rules, Policy};
    use jifang::domain::role::{Role, Roles};
    let path = dir.join("sign_in.sqlite");
    // A fresh file each run, its log from the last run gone with it (no connection has it yet).
    for end in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{end}", path.display()));
    }
    let mut db = Db::open(&path).unwrap();
    let stamp = Stamp::new("bench", chrono::Local::now().naive_local());
    let hash = rules::hash("bench-password");
    let new = NewAccount {
        login: "bench".into(),
        name: "测试".into(),
        department: Some("信息中心".into()),
        roles: Roles::new([Role::Admin]),
    };
    db.write(|tx| accounts::add(tx, &new, &hash, &stamp))
        .unwrap();
    db.write(|tx| accounts::set_password(tx, "bench", &hash, false, &stamp))
        .unwrap();
    let checks: Vec<Duration> = (0..10)
        .map(|_| {
            let started = Instant::now();
            assert!(rules::verify("bench-password", &hash));
            started.elapsed()
        })
        .collect();
    row(
        "password check (Argon2id, median of 10)",
        ms(spread(checks).0),
        "<= 50 ms",
    );
    let today = chrono::Local::now().date_naive();
    let mut app = App::new(db, Lang::Zh, String::new(), today);
    app.require_sign_in(Policy::default(), "bench", "os:bench".into());
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut samples = Vec::new();
    for _ in 0..10 {
        term.draw(|f| app.render(f)).unwrap();
        for c in "bench-password".chars() {
            let action = app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            app.apply(action);
        }
        samples.push(press(&mut app, &mut term, KeyCode::Enter));
        assert!(!app.gated(), "the bench's sign-in was refused");
        let action = app.handle_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL));
        app.apply(action);
        let action = app.handle_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
        app.apply(action);
        // The login field after signing out: type it again.
        for c in "\u{8}bench".chars() {
            let code = match c {
                '\u{8}' => KeyCode::Backspace,
                c => KeyCode::Char(c),
            };
            let action = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
            app.apply(action);
        }
        let action = app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        app.apply(action);
    }
    row(
        "sign-in: Enter to first frame (median of 10)",
        ms(spread(samples).0),
        "<= 50 ms",
    );
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn row(what: &str, measured: String, target: &str) {
    println!("{what:<44} {measured:>18}  {target}");
}

/// Median and 99th percentile.
fn spread(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

fn jifang(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("home/data"))
        .env("XDG_CONFIG_HOME", dir.join("home/config"))
        .args(["--operator", "bench", "--lang", "en"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "jifang {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The real program in a pseudo-terminal, its screen kept by a terminal emulator.
struct Pty {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Pty {
    fn start(dir: &Path, db: &Path) -> Pty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", dir.join("home"));
        cmd.env("XDG_DATA_HOME", dir.join("home/data"));
        cmd.env("XDG_CONFIG_HOME", dir.join("home/config"));
        cmd.args(["--db", path(db), "--operator", "bench", "--lang", "zh"]);
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(24).unwrap(),
            std::num::NonZero::new(80).unwrap(),
            0,
        )));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        std::mem::forget(pty.master);
        Pty {
            screen,
            writer,
            child,
        }
    }

    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self
            .screen
            .lock()
            .unwrap()
            .screen()
            .contents()
            .contains(needle)
        {
            assert!(Instant::now() < deadline, "never saw {needle}");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Leave whatever is open and quit; a program still running 20 s later is killed (a stuck
    /// one would otherwise hold a core for the rest of the machine's day).
    fn quit(mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(500));
        self.send("q");
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                eprintln!("the TUI did not quit; killed");
                self.child.kill().unwrap();
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn start_to_first_frame(dir: &Path, db: &Path) {
    let mut samples = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let pty = Pty::start(dir, db);
        pty.wait_for("操作员");
        samples.push(started.elapsed());
        pty.quit();
    }
    let (median, _) = spread(samples);
    row(
        "start to first frame (pty, median of 10)",
        ms(median),
        "<= 150 ms",
    );
}

fn press(app: &mut App, term: &mut Terminal<TestBackend>, code: KeyCode) -> Duration {
    let started = Instant::now();
    let action = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    app.apply(action);
    term.draw(|f| app.render(f)).unwrap();
    started.elapsed()
}

/// Keystroke to finished frame, in the program's own loop with a test terminal.
fn keystrokes(db: &Path) {
    let today = chrono::Local::now().date_naive();
    let mut app = App::new(Db::open(db).unwrap(), Lang::Zh, "bench".into(), today);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| app.render(f)).unwrap();
    let measure = |app: &mut App,
                   term: &mut Terminal<TestBackend>,
                   what: &str,
                   keys: &[KeyCode],
                   target: &str| {
        let samples: Vec<Duration> = keys.iter().map(|k| press(app, term, *k)).collect();
        let (median, p99) = spread(samples);
        row(what, format!("{} / {}", ms(median), ms(p99)), target);
    };
    // Back and forth, so every key moves: rows down, pages down and up, end and start.
    let scrolls = |name: &str, app: &mut App, term: &mut Terminal<TestBackend>| {
        let alternate = |n: usize, a: KeyCode, b: KeyCode| -> Vec<KeyCode> {
            (0..n).map(|i| if i % 2 == 0 { a } else { b }).collect()
        };
        let series = [
            ("scroll one row", vec![KeyCode::Char('j'); 200]),
            (
                "scroll one page",
                alternate(40, KeyCode::PageDown, KeyCode::PageUp),
            ),
            (
                "jump to end / start",
                alternate(20, KeyCode::End, KeyCode::Home),
            ),
        ];
        for (what, keys) in series {
            let label = format!("{name}: {what}");
            measure(app, term, &label, &keys, "16 / 33 ms");
        }
    };
    for (tab, name) in [('2', "devices"), ('3', "repairs"), ('4', "tools")] {
        measure(&mut app, &mut term, "tab switch", &[KeyCode::Char(tab)], "");
        scrolls(name, &mut app, &mut term);
    }
    // The lists over the tabs: the audit log of every change (`L`, millions of rows) and the
    // past runs of the daily patrol (`h` on the Checks tab, ten years of days).
    let lists: [(&[KeyCode], &str); 2] = [
        (&[KeyCode::Char('L')], "audit log"),
        (&[KeyCode::Char('1'), KeyCode::Char('h')], "past runs"),
    ];
    for (open, name) in lists {
        measure(
            &mut app,
            &mut term,
            &format!("{name}: open"),
            open,
            "16 / 33 ms",
        );
        scrolls(name, &mut app, &mut term);
        press(&mut app, &mut term, KeyCode::Esc);
    }
    for (tab, name) in [('5', "daily data"), ('6', "reports")] {
        let label = format!("tab switch, first visit: {name}");
        measure(
            &mut app,
            &mut term,
            &label,
            &[KeyCode::Char(tab)],
            "16 / 33 ms",
        );
    }
    let tabs: Vec<KeyCode> = (0..60)
        .map(|i| KeyCode::Char(['1', '2', '3', '4', '5', '6'][i % 6]))
        .collect();
    measure(
        &mut app,
        &mut term,
        "tab switch (all six, 60 times)",
        &tabs,
        "16 / 33 ms",
    );
    for (tab, name, words, target) in [
        ('2', "devices", "jf-pc-1234", "50 ms"),
        ('3', "repairs", "风扇 wx-2019", "100 ms"),
        ('4', "loans", "李强 ly-2025", "100 ms"),
    ] {
        press(&mut app, &mut term, KeyCode::Char(tab));
        if name == "loans" {
            // The Tools tab's second list: a million loans.
            measure(
                &mut app,
                &mut term,
                "loans: open the list (v), first time",
                &[KeyCode::Char('v')],
                "16 / 33 ms",
            );
        }
        press(&mut app, &mut term, KeyCode::Char('/'));
        let keys: Vec<KeyCode> = words.chars().map(KeyCode::Char).collect();
        measure(
            &mut app,
            &mut term,
            &format!("{name}: filter character \"{words}\""),
            &keys,
            target,
        );
        // Rows and a count made by workers show on a later frame.
        let started = Instant::now();
        while app.busy() {
            std::thread::sleep(Duration::from_millis(1));
            term.draw(|f| app.render(f)).unwrap();
        }
        row(
            &format!("{name}: its rows and count shown after"),
            ms(started.elapsed()),
            "",
        );
        // Down the filtered list, each key timed until its rows are on screen (a worker's
        // included).
        press(&mut app, &mut term, KeyCode::Enter);
        let keys = [vec![KeyCode::Char('j'); 30], vec![KeyCode::PageDown; 10]].concat();
        let samples: Vec<Duration> = keys
            .iter()
            .map(|k| {
                let started = Instant::now();
                press(&mut app, &mut term, *k);
                while app.busy() {
                    std::thread::sleep(Duration::from_millis(1));
                    term.draw(|f| app.render(f)).unwrap();
                }
                started.elapsed()
            })
            .collect();
        let (median, p99) = spread(samples);
        row(
            &format!("{name}: filtered, row/page down"),
            format!("{} / {}", ms(median), ms(p99)),
            "16 / 33 ms",
        );
        press(&mut app, &mut term, KeyCode::Char('/'));
        press(&mut app, &mut term, KeyCode::Esc);
    }
}

/// One device saved again and again while another process imports devices into the same file.
fn save_while_another_writes(dir: &Path, db: &Path) {
    let csv = dir.join("writer.csv");
    let run = std::process::id();
    // The same devices every run, changed: the database does not grow from run to run.
    let mut text = String::from("asset_tag,name,category,notes\n");
    for n in 0..20_000 {
        text.push_str(&format!("BENCH-{n},bench,other,run {run}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let mut writer = Command::new(BIN)
        .args(["--db", path(db), "--operator", "writer", "--lang", "en"])
        .args(["import", "devices", "--update", path(&csv)])
        .env("HOME", dir.join("home"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut conn = Db::open(db).unwrap();
    let id: i64 = conn
        .conn()
        .query_row("SELECT min(id) FROM devices", [], |r| r.get(0))
        .unwrap();
    let mut samples = Vec::new();
    let mut failures = 0;
    // Saves all the while the other program runs: a p99 of a few hundred saves made mostly
    // before or after its writing would hide one save that waited for all of it.
    let deadline = Instant::now() + Duration::from_secs(120);
    while writer.try_wait().unwrap().is_none() && Instant::now() < deadline {
        let stamp = Stamp::new("bench", chrono::Local::now().naive_local());
        let started = Instant::now();
        let saved = conn.write(|tx| {
            tx.execute(
                "UPDATE devices SET notes = ?2, updated_at = ?3, updated_by = 'bench',
                     row_version = row_version + 1 WHERE id = ?1",
                rusqlite::params![id, format!("bench {}", samples.len()), stamp.at_text()],
            )
        });
        samples.push(started.elapsed());
        if saved.is_err() {
            failures += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let writing = writer.wait().unwrap();
    assert!(writing.success(), "the other program's import failed");
    let count = samples.len();
    let longest = samples.iter().max().copied().unwrap_or_default();
    let (median, p99) = spread(samples);
    row(
        "save while another process imports 20k changes",
        format!("{} / {}", ms(median), ms(p99)),
        "p99 <= 50 ms",
    );
    row(
        "  saves made / the longest",
        format!("{count} / {}", ms(longest)),
        "",
    );
    row("  of which failed (locked)", failures.to_string(), "0");
}

/// The better of two runs of `run`, so that whichever of two compared programs reads the file
/// first does not pay for the page cache the other then finds warm.
fn best_of_two(mut run: impl FnMut() -> Option<Duration>) -> Option<Duration> {
    let first = run()?;
    Some(run().map_or(first, |second| first.min(second)))
}

fn exports(dir: &Path, db: &Path) {
    let month = "2021-03";
    let out = dir.join("month");
    let export_month = || {
        let _ = std::fs::remove_dir_all(&out);
        let started = Instant::now();
        jifang(
            dir,
            &[
                "--db",
                path(db),
                "export",
                "month",
                month,
                "--out",
                path(&out),
            ],
        );
        Some(started.elapsed())
    };
    let (first, next) = ("2021-03-01", "2021-04-01");
    let same_rows = format!(
        "SELECT * FROM repairs WHERE reported_at < '{next}' AND (closed_at IS NULL OR closed_at >= '{first}');
         SELECT * FROM tool_loans l JOIN tool_loan_items i ON i.loan_id = l.id
             WHERE l.out_at >= '{first}' AND l.out_at < '{next}';
         SELECT * FROM check_runs r JOIN check_results x ON x.run_id = r.id
             WHERE r.period_start >= '{first}' AND r.period_start < '{next}';
         SELECT * FROM readings WHERE day >= '{first}' AND day < '{next}';"
    );
    // The pack's register as it stood at the month's end is replayed from every change line
    // written up to then: those are its rows.
    let register_rows = format!(
        "SELECT e.device_id, c.field, c.new_value FROM device_event_changes c
             JOIN device_events e ON e.id = c.event_id WHERE e.effective_on < '{next}';"
    );
    let sqlite3 = |sql: &str| -> Option<Duration> {
        best_of_two(|| {
            let started = Instant::now();
            let out = Command::new("sqlite3")
                .args(["-csv", path(db), sql])
                .output();
            out.is_ok_and(|o| o.status.success())
                .then(|| started.elapsed())
        })
    };
    let ratio = |ours: Duration, theirs: Option<Duration>| {
        theirs.map_or("no sqlite3".to_owned(), |t| {
            format!("{:.2}x", ours.as_secs_f64() / t.as_secs_f64())
        })
    };
    let ours = best_of_two(export_month).unwrap_or_default();
    row(&format!("export month {month} (best of two)"), ms(ours), "");
    row(
        "  against sqlite3 -csv of the same rows",
        ratio(ours, sqlite3(&format!("{same_rows}{register_rows}"))),
        "<= 1.2x",
    );
    row(
        "  the same, leaving out the register's",
        ratio(ours, sqlite3(&same_rows)),
        "",
    );
    let file = dir.join("devices.csv");
    let ours = best_of_two(|| {
        let started = Instant::now();
        export_devices(dir, db, &file);
        Some(started.elapsed())
    })
    .unwrap_or_default();
    row("export devices (all 100k, best of two)", ms(ours), "");
    row(
        "  against sqlite3 -csv of the same rows",
        ratio(ours, sqlite3("SELECT * FROM devices")),
        "<= 1.2x",
    );
}

/// `jifang export devices --all` of the large database into `file`.
fn export_devices(dir: &Path, db: &Path, file: &Path) {
    jifang(
        dir,
        &[
            "--db",
            path(db),
            "export",
            "devices",
            "--all",
            "--out",
            path(file),
        ],
    );
}

/// 20,000 short devices with Chinese names and locations: the yardstick file.
fn short_devices(file: &Path) {
    let names = [
        "办公电脑",
        "核心交换机",
        "服务器",
        "打印机",
        "投影仪",
        "值班电脑",
    ];
    let places = ["图书馆", "行政楼", "实验楼", "机房A-机柜", "配线间"];
    let mut text = String::from(
        "asset_tag,name,category,model,manufacturer,location,department,owner,status\n",
    );
    for i in 0..20_000usize {
        text.push_str(&format!(
            "IM-{i:06},{},pc,ThinkCentre M{},联想,{}{},信息中心,张{},in_use\n",
            names[i % names.len()],
            i % 900,
            places[(i * 7) % places.len()],
            i % 500,
            i % 97
        ));
    }
    std::fs::write(file, text).unwrap();
}

/// An empty database at `file`, as `jifang` makes it, with no leftovers beside it.
fn fresh_database(dir: &Path, file: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path(file)));
    }
    jifang(dir, &["--db", path(file), "check"]);
}

/// The 20k short devices imported into an empty database against `sqlite3 .import` of the
/// same file into a plain table, and what each device adds to the file.
fn import_against_sqlite3(dir: &Path) {
    let file = dir.join("short20k.csv");
    short_devices(&file);
    let fresh = dir.join("import20k.sqlite");
    let ours = best_of_two(|| {
        fresh_database(dir, &fresh);
        let started = Instant::now();
        jifang(
            dir,
            &[
                "--db",
                path(&fresh),
                "--operator",
                "bench",
                "import",
                "devices",
                path(&file),
            ],
        );
        Some(started.elapsed())
    })
    .unwrap_or_default();
    // The importer has ended: its connection checkpointed the log into the file.
    let empty = {
        let probe = dir.join("empty.sqlite");
        fresh_database(dir, &probe);
        std::fs::metadata(&probe).map_or(0, |m| m.len())
    };
    let grown = std::fs::metadata(&fresh).map_or(0, |m| m.len()) - empty;
    let plain = dir.join("plain.sqlite");
    let theirs = best_of_two(|| {
        let _ = std::fs::remove_file(&plain);
        let started = Instant::now();
        let out = Command::new("sqlite3")
            .arg(path(&plain))
            .arg(format!(".import --csv {} t", path(&file)))
            .output();
        out.is_ok_and(|o| o.status.success())
            .then(|| started.elapsed())
    });
    row("import devices (20k short, one transaction)", ms(ours), "");
    row(
        "  against sqlite3 .import of the same file",
        theirs.map_or("no sqlite3".to_owned(), |t| {
            format!("{:.1}x", ours.as_secs_f64() / t.as_secs_f64())
        }),
        "<= 10x",
    );
    row(
        "  bytes added per device",
        format!("{}", grown / 20_000),
        "<= 2048",
    );
    let floor = same_rows_by_sqlite3(dir, &plain);
    row(
        "  against sqlite3 writing the same rows",
        floor.map_or("no sqlite3".to_owned(), |t| {
            format!("{:.1}x", ours.as_secs_f64() / t.as_secs_f64())
        }),
        "(its floor)",
    );
}

/// How long `sqlite3` itself takes to write what the import writes, in jifang's schema and
/// with its triggers, set-wise from the table `.import` made: every device, its audit row, its
/// history entry and that entry's audit row and lines, and the search index filled once. No
/// file checks, no plan: what this schema costs whoever writes it.
fn same_rows_by_sqlite3(dir: &Path, plain: &Path) -> Option<Duration> {
    let target = dir.join("floor.sqlite");
    let columns = [
        "asset_tag",
        "name",
        "category",
        "model",
        "manufacturer",
        "location",
        "department",
        "owner",
        "status",
    ];
    let listed = columns.join(", ");
    let fields: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("({}, '{c}')", i + 1))
        .chain(std::iter::once("(16, 'ups_protected')".to_owned()))
        .collect();
    let cases: Vec<String> = columns
        .iter()
        .map(|c| format!("WHEN '{c}' THEN d.{c}"))
        .collect();
    let at = "'2026-12-01 09:00:00', 'bench', '2026-12-01 09:00:00', 'bench'";
    let script = format!(
        "ATTACH '{plain}' AS p;
         BEGIN;
         INSERT INTO search_deferred VALUES ('devices_search');
         INSERT INTO devices ({listed}, created_at, created_by, updated_at, updated_by)
             SELECT {listed}, {at} FROM p.t;
         INSERT INTO device_events (device_id, kind, effective_on, created_at, created_by,
                 updated_at, updated_by)
             SELECT id, 'imported', '2026-12-01', {at} FROM devices ORDER BY id;
         INSERT INTO device_event_changes (event_id, seq, field, new_value)
             SELECT e.id, f.column1, f.column2, CASE f.column2 {} ELSE 'no' END
             FROM device_events e JOIN devices d ON d.id = e.device_id
             CROSS JOIN (VALUES {}) f ORDER BY e.id, f.column1;
         DELETE FROM search_deferred;
         INSERT INTO devices_search (rowid, search_text) SELECT id, search_text FROM devices;
         COMMIT;",
        cases.join(" "),
        fields.join(", "),
        plain = path(plain),
    );
    best_of_two(|| {
        fresh_database(dir, &target);
        let started = Instant::now();
        let out = Command::new("sqlite3")
            .arg(path(&target))
            .arg(&script)
            .output();
        out.is_ok_and(|o| o.status.success() && o.stderr.is_empty())
            .then(|| started.elapsed())
    })
}

/// `from` with every device in a status a new device may have (lent, scrapped, under repair
/// ... are steps with their own approvals, refused on import), written to `to`.
fn as_new_devices(from: &Path, to: &Path) {
    let mut reader = csv::Reader::from_path(from).unwrap();
    let headers = reader.headers().unwrap().clone();
    let status = headers.iter().position(|h| h == "status").unwrap();
    let mut writer = csv::Writer::from_path(to).unwrap();
    writer.write_record(&headers).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let row: Vec<&str> = record
            .iter()
            .enumerate()
            .map(|(i, v)| match (i == status, v) {
                (true, "in_use" | "in_stock" | "spare") | (false, _) => v,
                (true, _) => "in_stock",
            })
            .collect();
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

/// The large database's own device list (120k rows) as new devices, made once.
fn large_device_file(dir: &Path, db: &Path) -> PathBuf {
    let file = dir.join("devices-new.csv");
    if !file.exists() {
        let exported = dir.join("devices.csv");
        if !exported.exists() {
            export_devices(dir, db, &exported);
        }
        as_new_devices(&exported, &file);
    }
    file
}

/// The large database's own device list, imported into an empty one.
fn import(dir: &Path, db: &Path) {
    import_against_sqlite3(dir);
    let file = large_device_file(dir, db);
    let rows = std::fs::read_to_string(&file).unwrap().lines().count() - 1;
    let fresh = dir.join("import.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path(&fresh)));
    }
    let started = Instant::now();
    jifang(
        dir,
        &["--db", path(&fresh), "import", "devices", path(&file)],
    );
    let took = started.elapsed();
    row(
        &format!("import devices ({rows} rows)"),
        format!("{:.0} rows/s", rows as f64 / took.as_secs_f64()),
        ">= 100000 rows/s",
    );
}

/// The import's review in the TUI, on the large database's device list (120k rows) into an
/// empty file: every key is answered at once while the file is checked and written beside it.
fn import_review(dir: &Path, db: &Path) {
    let file = large_device_file(dir, db);
    let fresh = dir.join("review.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path(&fresh)));
    }
    let today = chrono::Local::now().date_naive();
    let mut app = App::new(Db::open(&fresh).unwrap(), Lang::En, "bench".into(), today);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    press(&mut app, &mut term, KeyCode::Char('2'));
    press(&mut app, &mut term, KeyCode::Char('I'));
    for c in path(&file).chars() {
        press(&mut app, &mut term, KeyCode::Char(c));
    }
    let mut keys = Vec::new();
    let started = Instant::now();
    let action = app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.apply(action);
    term.draw(|f| app.render(f)).unwrap();
    keys.push(started.elapsed());
    // Frames drawn while the worker checks, as the program's loop draws them.
    let mut frames = Vec::new();
    let mut until_idle = |app: &mut App, term: &mut Terminal<TestBackend>| {
        let started = Instant::now();
        while app.busy() {
            std::thread::sleep(Duration::from_millis(15));
            let frame = Instant::now();
            term.draw(|f| app.render(f)).unwrap();
            frames.push(frame.elapsed());
        }
        started.elapsed()
    };
    let checked = until_idle(&mut app, &mut term);
    for code in [KeyCode::Char('j'); 60]
        .into_iter()
        .chain([KeyCode::PageDown; 20])
        .chain([KeyCode::End, KeyCode::Home, KeyCode::End])
    {
        keys.push(press(&mut app, &mut term, code));
    }
    keys.push(press(&mut app, &mut term, KeyCode::Char('y')));
    let written = until_idle(&mut app, &mut term);
    let (median, p99) = spread(keys);
    row(
        "import review (120k rows): keys",
        format!("{} / {}", ms(median), ms(p99)),
        "16 / 33 ms",
    );
    let (median, p99) = spread(frames);
    row(
        "import review: frames while checking/writing",
        format!("{} / {}", ms(median), ms(p99)),
        "16 / 33 ms",
    );
    row(
        "import review: checked / written",
        format!("{} / {}", secs(checked), secs(written)),
        "",
    );
    import_memory(dir, &file);
}

/// The TUI's peak resident memory while it imports the 120k-row file from the Devices tab.
fn import_memory(dir: &Path, file: &Path) {
    let fresh = dir.join("memory.sqlite");
    fresh_database(dir, &fresh);
    let mut pty = Pty::start(dir, &fresh);
    pty.wait_for("操作员");
    pty.send("2");
    std::thread::sleep(Duration::from_millis(300));
    pty.send("I");
    std::thread::sleep(Duration::from_millis(300));
    pty.send(path(file));
    pty.send("\x13");
    pty.wait_for("按 y 导入");
    pty.send("y");
    pty.wait_for("已导入");
    let pid = pty.child.process_id().unwrap();
    row(
        "TUI peak memory importing 120k rows",
        vm_hwm(pid),
        "<= 64 MB",
    );
    pty.quit();
}

/// A process's peak resident memory, as `/proc` says it.
fn vm_hwm(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        .unwrap_or_default()
}

/// The TUI's peak resident memory after scrolling, filtering and switching through every tab.
fn peak_memory(dir: &Path, db: &Path) {
    let mut pty = Pty::start(dir, db);
    pty.wait_for("操作员");
    for keys in [
        "2", "G", "/jf-pc", "\x1b", "3", "G", "/风扇", "\x1b", "4", "G", "5", "6", "1",
    ] {
        pty.send(keys);
        // A filter over a million tickets takes a while: an Esc arriving with the next key
        // in one read would be taken for Alt and that key.
        let settle = if keys.starts_with('/') { 3000 } else { 400 };
        std::thread::sleep(Duration::from_millis(settle));
    }
    let pid = pty.child.process_id().unwrap();
    row("TUI peak memory (VmHWM)", vm_hwm(pid), "<= 64 MB");
    pty.quit();
}
