//! `jifang import devices` and `jifang export devices` as an operator runs them.

mod support;

use support::{Home, jifang};

#[test]
fn a_bad_file_lists_every_problem_and_writes_nothing() {
    let home = Home::new();
    let file = home.path("bad.csv");
    std::fs::write(
        &file,
        "资产编号,名称,IP地址,MAC地址\nA1,交换机,10.0.0.1,\nA2,路由器,10.0.0.300,xx\n",
    )
    .unwrap();
    let out = jifang(
        &home,
        &["--lang", "zh", "import", "devices", file.to_str().unwrap()],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("发现 2 个问题，未导入任何内容"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("第 3 行，IP地址“10.0.0.300”"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("第 3 行，MAC地址“xx”"),
        "{}",
        out.stderr
    );
    let export = jifang(&home, &["--lang", "en", "export", "devices"]);
    assert_eq!(
        export.stdout.lines().count(),
        1,
        "only the header: {}",
        export.stdout
    );
}

#[test]
fn dry_run_shows_the_plan_and_writes_nothing_then_the_import_lands() {
    let home = Home::new();
    let file = home.path("ok.csv");
    std::fs::write(&file, "asset_tag,name,category\nSW-1,Core switch,switch\n").unwrap();
    let path = file.to_str().unwrap();
    let dry = jifang(
        &home,
        &["--lang", "en", "import", "devices", path, "--dry-run"],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(dry.stdout.contains("+ SW-1 Core switch"), "{}", dry.stdout);
    assert!(dry.stdout.contains("Nothing was written."));
    let real = jifang(&home, &["--lang", "en", "import", "devices", path]);
    assert_eq!(real.code, 0, "{}", real.stderr);
    assert!(real.stdout.contains("1 added"), "{}", real.stdout);
    let again = jifang(&home, &["--lang", "en", "import", "devices", path]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("use --update"), "{}", again.stderr);
}

#[test]
fn gbk_file_in_exported_file_out_and_back_in_again() {
    let home = Home::new();
    let gbk = home.path("excel.csv");
    let text = "资产编号,名称,类别,位置,责任人,备注\r\nJF-001,核心交换机,交换机,机房A-机柜01-U40,王五,=1+1\r\n";
    std::fs::write(&gbk, encoding_rs::GBK.encode(text).0).unwrap();
    let out = jifang(&home, &["import", "devices", gbk.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let exported = home.path("out.csv");
    let out = jifang(
        &home,
        &[
            "--lang",
            "zh",
            "export",
            "devices",
            "--out",
            exported.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bytes = std::fs::read(&exported).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.starts_with("\u{feff}资产编号,名称,类别,型号"),
        "{text}"
    );
    assert!(text.contains("JF-001,核心交换机,交换机,"), "{text}");
    assert!(text.contains(",'=1+1\r\n"), "formula guarded: {text}");
    // The exported file goes into a fresh database unchanged.
    let other = Home::new();
    let back = jifang(&other, &["import", "devices", exported.to_str().unwrap()]);
    assert_eq!(back.code, 0, "{}", back.stderr);
    let again = jifang(&other, &["--lang", "zh", "export", "devices"]);
    assert_eq!(
        again.stdout.as_bytes(),
        &std::fs::read(&exported).unwrap()[..]
    );
}

/// `pcs.csv` in `dir`: `rows` PCs tagged JF-PC-00001 onwards.
fn pcs_file(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let file = dir.join("pcs.csv");
    let mut text = String::from("asset_tag,name,category\n");
    for n in 1..=rows {
        text.push_str(&format!("JF-PC-{n:05},办公电脑,pc\n"));
    }
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn an_import_in_a_terminal_shows_how_far_it_got_and_leaves_only_its_result() {
    let files = tempfile::tempdir().unwrap();
    // Enough devices that a debug build on a fast machine still takes several progress steps
    // (one every 250 ms): with 3,000 an idle machine finished before the first.
    let file = pcs_file(files.path(), 20_000);
    let mut tui = support::Tui::start(
        100,
        10,
        &[
            "--lang",
            "en",
            "--operator",
            "王磊",
            "import",
            "devices",
            file.to_str().unwrap(),
        ],
    );
    let during = tui.wait_for("Importing: ");
    assert!(during.contains(" of 20000 devices ("), "{during}");
    let after = tui.wait_for("pcs.csv: 20000 added, 0 changed, 0 unchanged.");
    assert_eq!(tui.exit_code(), 0);
    assert!(
        !after.contains("Importing") && !after.contains("Saving"),
        "the progress line is cleared: {after}"
    );
}

#[test]
fn ctrl_c_stops_an_import_with_nothing_written_and_says_so() {
    let files = tempfile::tempdir().unwrap();
    let file = pcs_file(files.path(), 10_000);
    let args = ["--lang", "en", "--operator", "王磊", "import", "devices"];
    let mut tui = support::Tui::start(100, 10, &[&args[..], &[file.to_str().unwrap()]].concat());
    tui.wait_for("Importing: ");
    tui.send("\x03");
    tui.wait_for("The import was stopped: nothing was written.");
    assert_eq!(tui.exit_code(), 1);
    let db = rusqlite::Connection::open(tui.db_path()).unwrap();
    let stored: i64 = db
        .query_row("SELECT count(*) FROM devices", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0, "what the message says is what the file holds");
}

#[test]
fn a_script_writes_a_line_in_a_history_book_and_a_bad_one_is_refused() {
    let home = Home::new();
    let csv = home.path("d.csv");
    std::fs::write(
        &csv,
        "asset_tag,name,category\nSRV-01,数据库服务器,server\n",
    )
    .unwrap();
    let file = csv.to_str().unwrap();
    assert_eq!(jifang(&home, &["import", "devices", file]).code, 0);
    let args = [
        "devices",
        "log",
        "SRV-01",
        "--kind",
        "degradation",
        "磁盘",
        "响应变慢",
    ];
    let logged = jifang(&home, &args);
    assert_eq!(logged.code, 0, "{}", logged.stderr);
    assert!(logged.stdout.contains("SRV-01"), "{}", logged.stdout);
    let unknown = jifang(&home, &["devices", "log", "SRV-02", "x"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("no device has this asset tag"),
        "{}",
        unknown.stderr
    );
    let kind = jifang(
        &home,
        &["devices", "log", "SRV-01", "--kind", "fixing", "x"],
    );
    assert_eq!(kind.code, 1);
    assert!(
        kind.stderr.contains("maintenance, degradation"),
        "{}",
        kind.stderr
    );
    let conn = rusqlite::Connection::open(home.path("t.db")).unwrap();
    let lines: Vec<(String, String, String)> = conn
        .prepare("SELECT kind, reason, created_by FROM device_events WHERE kind = 'degradation'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        lines,
        [("degradation".into(), "磁盘 响应变慢".into(), "张三".into())]
    );
}
