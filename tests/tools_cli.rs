//! `jifang tools` and `jifang import tools` as a script, a spreadsheet or an operator with a
//! CSV from Excel uses them.

mod support;

use support::{Home, jifang};

#[test]
fn the_demo_tools_list_and_requisition_rows_as_table_csv_and_json() {
    let home = Home::new();
    let demo = jifang(&home, &["--lang", "en", "demo"]);
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    assert!(demo.stdout.contains("60 tools"), "{}", demo.stdout);

    let overdue = jifang(&home, &["--lang", "zh", "tools", "list", "--overdue"]);
    assert_eq!(overdue.code, 0, "{}", overdue.stderr);
    assert!(overdue.stdout.starts_with("工具编号"), "{}", overdue.stdout);
    assert!(overdue.stdout.contains("共 3 件工具"), "{}", overdue.stdout);
    assert!(overdue.stdout.contains("借出"), "{}", overdue.stdout);

    let out = jifang(
        &home,
        &["--lang", "en", "tools", "list", "--out", "--format", "csv"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("\u{feff}code,name,kind,spec,place,condition,status,")
    );
    assert!(out.stdout.lines().count() >= 4, "{}", out.stdout);

    let loans = jifang(&home, &["tools", "loans", "--format", "json"]);
    assert_eq!(loans.code, 0, "{}", loans.stderr);
    assert!(loans.stdout.contains("\"borrower_type\": \"external\""));
    assert!(
        loans.stdout.contains("\"settled\": true"),
        "the damaged one was paid for"
    );
    let form = jifang(
        &home,
        &["--lang", "zh", "tools", "loans", "--format", "csv"],
    );
    assert!(
        form.stdout
            .starts_with("\u{feff}领用单号,领用时间,工具编号,工具名称,"),
        "the 工具领用表 columns"
    );
    assert!(form.stdout.lines().count() > 200, "a year of loans");

    let bad = jifang(
        &home,
        &["--lang", "en", "tools", "loans", "--state", "late"],
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("use all, open, overdue, returned or unsettled"),
        "{}",
        bad.stderr
    );
}

#[test]
fn importing_tools_is_all_or_nothing_and_reads_gbk() {
    let home = Home::new();
    let good = home.path("tools.csv");
    let text = "工具编号,名称,种类,借期天数\nT-1,数字万用表,万用表,3\nT-2,人字梯,梯子,当天\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(&good, &gbk).unwrap();
    let file = good.to_str().unwrap();
    let dry = jifang(
        &home,
        &["--lang", "en", "import", "tools", file, "--dry-run"],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("2 tools to add. Nothing was written."),
        "{}",
        dry.stdout
    );
    let done = jifang(&home, &["--lang", "en", "import", "tools", file]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(done.stdout.contains("2 tools added"), "{}", done.stdout);
    // Again: both codes are taken, and nothing is added.
    let again = jifang(&home, &["--lang", "en", "import", "tools", file]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("2 problems"), "{}", again.stderr);
    assert!(
        again.stderr.contains("line 2, code \"T-1\""),
        "{}",
        again.stderr
    );
    let list = jifang(&home, &["--lang", "en", "tools", "list"]);
    assert!(list.stdout.contains("2 tools"), "{}", list.stdout);
}
