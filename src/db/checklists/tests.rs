use chrono::NaiveDate;

use super::*;
use crate::db::Db;
use crate::domain::checklist::ItemKind;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn stamp() -> Stamp {
    Stamp::new("李四", day(2026, 11, 21).and_hms_opt(17, 40, 0).unwrap())
}

fn codes(db: &Db, checklist_id: i64) -> Vec<String> {
    items(db.conn(), checklist_id)
        .unwrap()
        .into_iter()
        .map(|s| s.item.code)
        .collect()
}

#[test]
fn a_new_database_has_the_seven_built_in_templates() {
    let db = Db::open_in_memory().unwrap();
    let lists = list(db.conn()).unwrap();
    let names: Vec<&str> = lists.iter().map(|c| c.name.zh.as_str()).collect();
    assert_eq!(
        names,
        [
            "每日下班巡查",
            "每周网络与设备巡检",
            "周五下午机房 5S",
            "每月巡检（UPS 测试）",
            "每季度耗材计划",
            "学期期末器材清点",
            "年度检查（年备份）"
        ]
    );
    assert_eq!(lists[0].period, Period::Workday);
    assert_eq!(lists[1].period, Period::Week);
    assert!(lists[1].run_log);
    assert_eq!(
        lists[2].schedule.keys(),
        ("fri".into(), "13:00-18:00".into())
    );
    assert_eq!(lists[5].period, Period::Semester);
    assert_eq!(codes(&db, lists[0].id).len(), 9);
    assert_eq!(codes(&db, lists[1].id).len(), 11);
    let monthly = items(db.conn(), lists[3].id).unwrap();
    assert!(monthly[0].item.devices.is_some(), "one line per UPS");
    assert_eq!(monthly[0].item.code, "M01");
    assert_eq!(monthly[1].item.kind, ItemKind::Number);
    assert_eq!(monthly[4].item.choices.len(), 3);
    assert!(monthly[4].item.choices[2].fails);
}

#[test]
fn importing_a_changed_file_updates_the_template_by_item_code() {
    let mut db = Db::open_in_memory().unwrap();
    let text = r#"
code = "weekly"
name = { zh = "每周巡检", en = "Weekly" }
period = "week"
run_log = true
[[item]]
code = "W02"
text = { zh = "核心交换机及上联链路状态正常", en = "Core switches and uplinks normal" }
category = "switch"
[[item]]
code = "W01"
text = "网络运行检查（新措辞）"
[[item]]
code = "X1"
text = "新增项目"
"#;
    let template = file::parse(text).unwrap();
    let weekly = list(db.conn()).unwrap()[1].id;
    let imported = db
        .write(|tx| import(tx, &template, day(2026, 11, 21), &stamp()))
        .unwrap();
    assert_eq!(
        imported,
        Imported {
            new_template: false,
            items_added: 1,
            items_changed: 1,
            items_retired: 9,
            items_unchanged: 1,
        }
    );
    assert_eq!(codes(&db, weekly), ["W02", "W01", "X1"]);
    assert_eq!(list(db.conn()).unwrap()[1].name.en, "Weekly");
    // A new code is a new template, listed last.
    let mut other = template.clone();
    other.code = "network".into();
    let imported = db
        .write(|tx| import(tx, &other, day(2026, 11, 21), &stamp()))
        .unwrap();
    assert!(imported.new_template);
    assert_eq!(list(db.conn()).unwrap().len(), 8);
}

#[test]
fn the_editor_adds_edits_moves_and_retires_items() {
    let mut db = Db::open_in_memory().unwrap();
    let daily = list(db.conn()).unwrap()[0].id;
    let first = items(db.conn(), daily).unwrap()[0].clone();
    let new = Item::pass_fail("D10", BiText::new("空调运行正常", "AC running"));
    let added = db
        .write(|tx| save_item(tx, daily, None, Some(first.id), &new, &stamp()))
        .unwrap();
    assert_eq!(codes(&db, daily)[..3], ["D01", "D10", "D02"]);
    // The same code twice is refused, whatever the case.
    let clash = Item::pass_fail("d10", BiText::new("x", "x"));
    assert_eq!(
        db.write(|tx| save_item(tx, daily, None, None, &clash, &stamp())),
        Err(EditError::CodeTaken("d10".into()))
    );
    // Editing keeps the place and the code; the old row is retired, not changed.
    let edited = Item::pass_fail(
        "D10",
        BiText::new("空调、新风运行正常", "AC and fresh air running"),
    );
    let new_id = db
        .write(|tx| save_item(tx, daily, Some(added), None, &edited, &stamp()))
        .unwrap();
    assert_ne!(new_id, added);
    assert_eq!(codes(&db, daily)[..3], ["D01", "D10", "D02"]);
    assert_eq!(
        items(db.conn(), daily).unwrap()[1].item.text.en,
        "AC and fresh air running"
    );
    assert!(
        db.write(|tx| move_item(tx, daily, new_id, -1, &stamp()))
            .unwrap()
    );
    assert!(
        !db.write(|tx| move_item(tx, daily, new_id, -1, &stamp()))
            .unwrap()
    );
    assert_eq!(codes(&db, daily)[..2], ["D10", "D01"]);
    db.write(|tx| retire_item(tx, new_id, "no AC in room 2", &stamp()))
        .unwrap();
    assert_eq!(codes(&db, daily).len(), 9);
    assert!(!codes(&db, daily).contains(&"D10".to_owned()));
}
