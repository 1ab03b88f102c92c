//! `jifang repairs list` on the demo's year of repairs, as a script or a spreadsheet reads it.

mod support;

use support::{Home, jifang};

#[test]
fn the_demo_repairs_list_as_a_table_csv_and_json() {
    let home = Home::new();
    let demo = jifang(&home, &["demo"]);
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    assert!(demo.stdout.contains("repair tickets"), "{}", demo.stdout);

    let open = jifang(&home, &["--lang", "zh", "repairs", "list"]);
    assert_eq!(open.code, 0, "{}", open.stderr);
    let header = open.stdout.lines().next().unwrap();
    assert!(header.starts_with("工单号"), "{header}");
    // The demo leaves a ticket open in each state before closing.
    for state in ["已报修", "已评估", "维修中", "外修", "待确认"] {
        assert!(open.stdout.contains(state), "{state}: {}", open.stdout);
    }
    assert!(!open.stdout.contains("已关闭"), "{}", open.stdout);
    // In English too, every state's word whole, the longest included.
    let en = jifang(&home, &["--lang", "en", "repairs", "list"]);
    assert!(
        en.stdout.contains("Awaiting confirmation "),
        "{}",
        en.stdout
    );

    let csv = jifang(
        &home,
        &[
            "--lang", "en", "repairs", "list", "--state", "all", "--format", "csv",
        ],
    );
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert!(
        csv.stdout.starts_with("\u{feff}ticket,state,device,"),
        "UTF-8 BOM and English keys"
    );
    let rows = csv.stdout.lines().count() - 1;
    assert!(rows >= 100, "a year of repairs, got {rows}");

    let json = jifang(
        &home,
        &["repairs", "list", "--state", "closed", "--format", "json"],
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert!(json.stdout.contains("\"state\": \"closed\""));
    assert!(
        json.stdout.contains("\"reopened\": 1"),
        "the rejected and reopened one"
    );
    assert!(!json.stdout.contains("\"state\": \"in_repair\""));
}

#[test]
fn bad_arguments_say_what_to_write() {
    let home = Home::new();
    let bad = jifang(
        &home,
        &["--lang", "en", "repairs", "list", "--month", "2026-13"],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("write it as YYYY-MM"), "{}", bad.stderr);
    let bad = jifang(
        &home,
        &["--lang", "en", "repairs", "list", "--state", "pending"],
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("use open, closed, late or all"),
        "{}",
        bad.stderr
    );
    let empty = jifang(&home, &["--lang", "en", "repairs", "list"]);
    assert_eq!(empty.code, 0);
    assert!(empty.stdout.contains("Tickets: 0"), "{}", empty.stdout);
}
