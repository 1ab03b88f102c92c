use chrono::{Duration, NaiveDate};

use super::*;
use crate::db::Db;
use crate::domain::reading::{Base, Status, TargetState, Trend};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn stamp(by: &str) -> Stamp {
    Stamp::new(by, day(21).and_hms_opt(9, 0, 0).unwrap())
}

fn by_name(db: &Db, name: &str, scope: &str) -> Metric {
    find_metric(db.conn(), name, scope).unwrap().unwrap()
}

fn set(db: &Db, m: &Metric, d: u32, v: Option<f64>) -> Saved {
    set_reading(db.conn(), m.id, day(d), v, day(21), &stamp("张三")).unwrap()
}

#[test]
fn a_new_database_has_the_website_and_machine_room_sets_in_order() {
    let db = Db::open_in_memory().unwrap();
    let list = metrics(db.conn()).unwrap();
    assert_eq!(list.len(), built_in().len());
    assert_eq!(list[0].name_zh, "索引量");
    let groups: Vec<&str> = list.iter().map(|m| m.group.as_str()).collect();
    assert!(groups.contains(&"网站") && groups.contains(&"机房"));
    let articles = by_name(&db, "Site articles", "发布");
    assert_eq!(articles.target.text(), "6-10");
    let rank = by_name(&db, "自然排名", "官网");
    assert_eq!(rank.direction, Direction::Down);
    assert_eq!(by_name(&db, "room TEMPERATURE", "").decimals, 1);
    assert_eq!(
        db.record_count().unwrap(),
        0,
        "installed metrics are not operator records"
    );
}

#[test]
fn values_are_entered_corrected_and_cleared_with_every_correction_kept() {
    let db = Db::open_in_memory().unwrap();
    let pv = by_name(&db, "PV", "官网");
    assert_eq!(set(&db, &pv, 20, Some(1200.0)), Saved::Added);
    assert_eq!(set(&db, &pv, 20, Some(1200.0)), Saved::Unchanged);
    assert_eq!(set(&db, &pv, 20, Some(1250.0)), Saved::Corrected);
    assert_eq!(set(&db, &pv, 20, None), Saved::Cleared);
    assert_eq!(set(&db, &pv, 20, None), Saved::Unchanged);
    assert!(
        values_between(db.conn(), day(20), day(20))
            .unwrap()
            .is_empty(),
        "cleared is missing"
    );
    assert_eq!(set(&db, &pv, 20, Some(1300.0)), Saved::Added);
    let book: Vec<(Option<f64>, Option<f64>)> = corrections(db.conn(), pv.id, day(20))
        .unwrap()
        .iter()
        .map(|c| (c.old, c.new))
        .collect();
    assert_eq!(
        book,
        vec![
            (Some(1200.0), Some(1250.0)),
            (Some(1250.0), None),
            (None, Some(1300.0))
        ]
    );
    let refused = set_reading(
        db.conn(),
        pv.id,
        day(22),
        Some(1.0),
        day(21),
        &stamp("张三"),
    );
    assert!(
        matches!(refused, Err(ReadingError::FutureDay { .. })),
        "{refused:?}"
    );
    // The database itself keeps the book: no deleting values or rewriting corrections.
    assert!(db.conn().execute("DELETE FROM readings", []).is_err());
    assert!(
        db.conn()
            .execute("UPDATE reading_corrections SET new_value = 1", [])
            .is_err()
    );
}

#[test]
fn metrics_are_added_in_their_group_edited_with_a_version_check_moved_and_retired() {
    let db = Db::open_in_memory().unwrap();
    let s = stamp("李四");
    let mut input = by_name(&db, "IP", "官网").input();
    input.scope = "东校区".into();
    let id = add_metric(db.conn(), &input, &s).unwrap();
    let list = metrics(db.conn()).unwrap();
    let at = list.iter().position(|m| m.id == id).unwrap();
    assert_eq!(
        list[at - 1].group,
        "网站",
        "added after the last 网站 metric"
    );
    assert_eq!(list[at + 1].group, "机房");
    // The same name in the same scope is refused, in either language.
    let taken = add_metric(db.conn(), &input, &s).unwrap_err();
    assert!(matches!(taken, ReadingError::NameTaken { .. }), "{taken:?}");
    assert!(
        taken.message(Lang::En).contains("东校区"),
        "{}",
        taken.message(Lang::En)
    );
    let mut blank = input.clone();
    blank.name_zh = " ".into();
    blank.group.clear();
    assert_eq!(input_problems(&blank).len(), 2);

    let m = metric(db.conn(), id).unwrap().unwrap();
    let mut changed = m.input();
    changed.target = Target::parse(">=100").unwrap();
    edit_metric(db.conn(), id, m.row_version, &changed, &s).unwrap();
    let stale = edit_metric(db.conn(), id, m.row_version, &changed, &s).unwrap_err();
    assert!(matches!(stale, ReadingError::Conflict), "{stale:?}");

    let first = metrics(db.conn()).unwrap()[0].clone();
    assert!(
        !move_metric(db.conn(), first.id, true, &s).unwrap(),
        "already at the top"
    );
    assert!(move_metric(db.conn(), first.id, false, &s).unwrap());
    assert_eq!(metrics(db.conn()).unwrap()[1].id, first.id);

    let m = metric(db.conn(), id).unwrap().unwrap();
    retire_metric(db.conn(), id, m.row_version, "站点合并", &s).unwrap();
    assert!(metrics(db.conn()).unwrap().iter().all(|m| m.id != id));
    // Its name is free again.
    add_metric(db.conn(), &input, &s).unwrap();
}

#[test]
fn the_comparison_reads_each_metric_against_its_base_with_a_trend() {
    let db = Db::open_in_memory().unwrap();
    let rank = by_name(&db, "自然排名", "官网");
    let articles = by_name(&db, "官网文章", "发布");
    let pv = by_name(&db, "PV", "官网");
    for d in 7..=20 {
        set(&db, &rank, d, Some(f64::from(30 - d)));
        set(&db, &pv, d, Some(1000.0));
    }
    set(&db, &articles, 19, Some(8.0));
    set(&db, &articles, 20, Some(4.0));
    set(&db, &pv, 13, Some(500.0));
    let rows = compare_day(db.conn(), day(20), Base::PreviousDay).unwrap();
    let row = |m: &Metric| rows.iter().find(|r| r.metric.id == m.id).unwrap();
    let r = row(&rank);
    assert_eq!(
        (r.comparison.base, r.comparison.value),
        (Some(11.0), Some(10.0))
    );
    assert_eq!(r.comparison.status, Status::Trend(Trend::Better));
    assert_eq!(r.trend.len(), 14);
    assert_eq!(r.trend[13], Some(10.0));
    assert_eq!(r.trend[0], Some(23.0));
    assert_eq!(
        row(&articles).comparison.status,
        Status::Target(TargetState::Below)
    );
    let index = by_name(&db, "索引量", "官网");
    assert_eq!(row(&index).comparison.status, Status::Missing);
    // Against the same weekday last week, PV doubled.
    let week = compare_day(db.conn(), day(20), Base::LastWeek).unwrap();
    let pv_week = week.iter().find(|r| r.metric.id == pv.id).unwrap();
    assert_eq!(pv_week.comparison.change.unwrap().pct, Some(100.0));
    assert!(pv_week.comparison.flagged, "PV alerts beyond 50%");
}

#[test]
fn forgotten_values_are_found_only_for_metrics_in_use() {
    let db = Db::open_in_memory().unwrap();
    let t = by_name(&db, "机房温度", "");
    let h = by_name(&db, "机房湿度", "");
    for d in 1..=20 {
        set(&db, &t, d, Some(22.0));
        if d != 18 {
            set(&db, &h, d, Some(50.0));
        }
    }
    let gaps = gaps(db.conn(), day(21), 7).unwrap();
    // The 21st has neither value yet; the 18th lacks the humidity. Metrics never filled in
    // (the website set) are not counted.
    assert_eq!(
        gaps,
        vec![
            DayGap {
                day: day(21),
                missing: 2,
                expected: 2
            },
            DayGap {
                day: day(18),
                missing: 1,
                expected: 2
            }
        ]
    );
    assert_eq!(missing_on(db.conn(), day(20)).unwrap(), 0);
    assert_eq!(missing_on(db.conn(), day(21)).unwrap(), 2);
    // The Data tab reads both at once, the same whether its day is near the gaps' days or
    // far from them.
    for shown in [day(20), day(21), day(20) - Duration::days(200)] {
        assert_eq!(
            day_view(db.conn(), shown, Base::PreviousDay, day(21), 7).unwrap(),
            (
                compare_day(db.conn(), shown, Base::PreviousDay).unwrap(),
                gaps.clone()
            ),
            "{shown}"
        );
    }
    let chart = series(db.conn(), h.id, day(15), day(20)).unwrap();
    assert_eq!(chart.len(), 5);
    assert_eq!(chart[0].0 + Duration::days(1), chart[1].0);
}
