//! `jifang people import|export` as the personnel office's sheet from Excel uses them: a fresh
//! database set up in one command, a bad sheet refused whole with every problem.

mod support;

use support::{Home, jifang};

#[test]
fn a_fresh_database_is_set_up_from_a_sheet_and_exported_again() {
    let home = Home::new();
    let sheet = home.path("people.csv");
    std::fs::write(
        &sheet,
        "\u{feff}姓名,部门,角色,电话,工号\r\n林霞,信息中心,主任,13800000001,E001\r\n\
         赵敏,信息中心,网络管理员、值班,,E002\r\n张伟,财务部,部门经理,,\r\n",
    )
    .unwrap();
    let file = sheet.to_str().unwrap();

    let dry = jifang(
        &home,
        &["--lang", "en", "people", "import", file, "--dry-run"],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("3 to add, 0 to change"),
        "{}",
        dry.stdout
    );
    let empty = jifang(&home, &["--lang", "en", "people", "export"]);
    assert_eq!(
        empty.stdout.lines().count(),
        1,
        "nothing written: {}",
        empty.stdout
    );

    let done = jifang(&home, &["--lang", "en", "people", "import", file]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(done.stdout.contains("3 people added"), "{}", done.stdout);

    let zh = jifang(&home, &["--lang", "zh", "people", "export"]);
    assert!(
        zh.stdout
            .starts_with("\u{feff}姓名,部门,角色,电话,工号,离职日期"),
        "{}",
        zh.stdout
    );
    assert!(
        zh.stdout.contains("赵敏,信息中心,网络管理员、值班,,E002,"),
        "{}",
        zh.stdout
    );
    // The same sheet again, through `jifang import people`: nothing to change.
    let again = jifang(&home, &["--lang", "en", "import", "people", file]);
    assert!(
        again
            .stdout
            .contains("0 people added, 0 changed, 3 unchanged"),
        "{}",
        again.stdout
    );
    // Who added them: `jifang audit --by NAME` shows that operator's changes only.
    let by = |name: &str| {
        jifang(
            &home,
            &["--lang", "en", "audit", "--by", name, "--format", "csv"],
        )
    };
    let zhang = by("张三");
    assert_eq!(
        zhang.stdout.lines().count(),
        1 + 5,
        "three people, two departments: {}",
        zhang.stdout
    );
    assert!(
        zhang.stdout.lines().skip(1).all(|l| l.contains(",张三,")),
        "{}",
        zhang.stdout
    );
    assert_eq!(by("李四").stdout.lines().count(), 1, "only the header");
}

#[test]
fn a_bad_sheet_is_refused_whole_with_every_problem_at_its_line() {
    let home = Home::new();
    let sheet = home.path("bad.csv");
    std::fs::write(
        &sheet,
        "name,department,roles\r\n林霞,信息中心,director\r\n王五,财务部,boss\r\n李四,,\r\n",
    )
    .unwrap();
    let out = jifang(
        &home,
        &["--lang", "en", "people", "import", sheet.to_str().unwrap()],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("2 problems; nothing was imported"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("line 3, roles \"boss\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("line 4, department \"\""),
        "{}",
        out.stderr
    );
    let export = jifang(&home, &["--lang", "en", "people", "export"]);
    assert_eq!(export.stdout.lines().count(), 1, "{}", export.stdout);
}
