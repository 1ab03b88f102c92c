//! The Data tab driven by keys through the application shell, as an operator uses it.

use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::crossterm::event::KeyCode;

use crate::db::readings::{self, Metric};
use crate::db::{Db, Stamp};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::tabs::Tab;
use crate::tui::testing::keys::{ctrl, draw, press, screen, typed};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn metric(app: &App, name: &str, scope: &str) -> Metric {
    readings::find_metric(app.db().conn(), name, scope)
        .unwrap()
        .unwrap()
}

fn value(app: &App, name: &str, scope: &str, d: u32) -> Option<f64> {
    let m = metric(app, name, scope);
    readings::series(app.db().conn(), m.id, day(d), day(d))
        .unwrap()
        .first()
        .map(|(_, v)| *v)
}

/// Two weeks of four metrics up to the 20th (the day compared on the 21st); the room
/// temperature was forgotten on the 18th and ran hot on the 20th.
fn app(lang: Lang) -> App {
    let mut db = Db::open_in_memory().unwrap();
    db.write(|tx| {
        let s = Stamp::new("赵平", at("2026-11-21 08:30"));
        let find =
            |name: &str, scope: &str| readings::find_metric(tx, name, scope).unwrap().unwrap();
        let (pv, articles, rank, temp) = (
            find("PV", "官网"),
            find("官网文章", "发布"),
            find("自然排名", "官网"),
            find("机房温度", ""),
        );
        for d in 7..=20u32 {
            let n = f64::from(d);
            let set = |m: &Metric, v: f64| {
                readings::set_reading(tx, m.id, day(d), Some(v), day(21), &s).unwrap();
            };
            set(&pv, 5000.0 + n * 100.0);
            set(&articles, if d == 20 { 4.0 } else { 8.0 });
            set(&rank, 30.0 - n);
            if d != 18 {
                set(&temp, if d == 20 { 28.4 } else { 22.0 + n / 10.0 });
            }
        }
        Ok::<_, rusqlite::Error>(())
    })
    .unwrap();
    let mut app = App::new(db, lang, "王磊".into(), day(21));
    app.tick(at("2026-11-21 09:00"), Instant::now());
    app.apply(crate::tui::action::Action::SwitchTab(Tab::Data));
    app
}

#[test]
fn compare_grid_and_chart_snapshots() {
    for lang in Lang::ALL {
        let mut app = app(lang);
        insta::assert_snapshot!(format!("compare_{lang:?}"), draw(&mut app));
        press(&mut app, KeyCode::Char('v'));
        insta::assert_snapshot!(format!("grid_{lang:?}"), draw(&mut app));
        press(&mut app, KeyCode::Char('v'));
        // PV is the seventh metric.
        for _ in 0..6 {
            press(&mut app, KeyCode::Char('j'));
        }
        press(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("chart_{lang:?}"), draw(&mut app));
    }
}

#[test]
fn the_comparison_reads_direction_targets_and_thresholds() {
    let mut app = app(Lang::En);
    let text = screen(&mut app);
    let line = |name: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} not in\n{text}"))
            .to_owned()
    };
    // Rank 11 -> 10: down, which is better for a rank.
    assert!(line("Organic rank").contains("better"), "{text}");
    assert!(line("Site articles").contains("below"), "{text}");
    // 23.9 (the 19th) -> 28.4: beyond the 10% alert (flagged `!`), above the 18-27 range.
    let hot = line("Room temperature");
    assert!(hot.contains("+4.5") && hot.contains("+18.8%"), "{hot}");
    assert!(hot.contains("above  !"), "{hot}");
    // Index count has no values: missing, shown as "-", never 0.
    let index = line("Index count");
    assert!(
        index.contains("missing") && !index.contains(" 0 "),
        "{index}"
    );
    assert!(
        text.contains("missing: 11-18(1)"),
        "the forgotten day is called out\n{text}"
    );
    // Against the same day last week, and the 30-day mean.
    press(&mut app, KeyCode::Char('b'));
    let text = screen(&mut app);
    assert!(
        text.contains("same day last week") && text.contains("11-13"),
        "{text}"
    );
    press(&mut app, KeyCode::Char('b'));
    assert!(screen(&mut app).contains("30d avg"));
    // `[` steps back a day; `]` never goes past today.
    press(&mut app, KeyCode::Char('['));
    assert!(screen(&mut app).contains("2026-11-19"));
    for _ in 0..5 {
        press(&mut app, KeyCode::Char(']'));
    }
    assert!(screen(&mut app).contains("2026-11-21"));
}

#[test]
fn typing_a_days_figures_saves_each_and_drops_to_the_next_metric() {
    let mut app = app(Lang::Zh);
    press(&mut app, KeyCode::Char('v'));
    // Index count, backlinks, PR: three figures, three Enters.
    typed(&mut app, "4300");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "1150");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "5");
    press(&mut app, KeyCode::Enter);
    assert_eq!(value(&app, "索引量", "官网", 20), Some(4300.0));
    assert_eq!(value(&app, "外链", "官网", 20), Some(1150.0));
    assert_eq!(value(&app, "PR", "官网", 20), Some(5.0));
    // The cursor is on the rank now: a bad figure is refused and stays to be put right.
    typed(&mut app, "9x");
    assert!(
        screen(&mut app).contains("数值只能输入 0-9 . -"),
        "a letter is refused"
    );
    typed(&mut app, "..");
    press(&mut app, KeyCode::Enter);
    let text = screen(&mut app);
    assert!(text.contains("“9..”不是数字"), "{text}");
    assert_eq!(value(&app, "自然排名", "官网", 20), Some(10.0), "unchanged");
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Enter);
    assert_eq!(value(&app, "自然排名", "官网", 20), Some(9.0));
    let rank = metric(&app, "自然排名", "官网");
    let book = readings::corrections(app.db().conn(), rank.id, day(20)).unwrap();
    assert_eq!((book[0].old, book[0].new), (Some(10.0), Some(9.0)));
    assert_eq!(book[0].by, "王磊");
    // Esc forgets what was typed; Delete clears the value on the chosen day.
    typed(&mut app, "77");
    press(&mut app, KeyCode::Esc);
    assert_eq!(value(&app, "快照天数", "官网", 20), None);
    // Back on the rank, a day earlier (h), Delete clears the 19th.
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char('h'));
    press(&mut app, KeyCode::Delete);
    assert_eq!(value(&app, "自然排名", "官网", 19), None);
    assert!(screen(&mut app).contains("已清除"));
    // Digits are the grid's: the tab did not change.
    assert_eq!(app.tab(), Tab::Data);
}

#[test]
fn the_grid_takes_only_numbers_and_other_keys_keep_their_meaning() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('v'));
    // 1, a slip (t), then ] twice: the 1 is saved on the 20th and the day moves on.
    typed(&mut app, "1t]]");
    assert_eq!(value(&app, "索引量", "官网", 20), Some(1.0));
    let text = screen(&mut app);
    assert!(!text.contains("1t"), "no letter in the cell: {text}");
    assert!(text.contains("2026-11-21"), "] moved the day: {text}");
    // Esc with nothing typed leaves the grid.
    press(&mut app, KeyCode::Esc);
    assert!(
        !screen(&mut app).contains("0-9 . -"),
        "back in the comparison"
    );
    // Tab while typing saves the figure and then switches the tab.
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('['));
    typed(&mut app, "42");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.tab(), Tab::Reports);
    assert_eq!(value(&app, "索引量", "官网", 20), Some(42.0));
    assert!(screen(&mut app).contains("42"), "the save is said");
}

#[test]
fn metrics_are_copied_for_another_site_edited_reordered_and_retired() {
    let mut app = app(Lang::En);
    for _ in 0..6 {
        press(&mut app, KeyCode::Char('j'));
    }
    // `c` on PV: the same metric for the east campus site; the cursor starts on the scope.
    press(&mut app, KeyCode::Char('c'));
    typed(&mut app, "东校区");
    ctrl(&mut app, 's');
    let east = metric(&app, "PV", "东校区");
    assert_eq!(east.direction, metric(&app, "PV", "官网").direction);
    assert!(screen(&mut app).contains("Added metric PV"));
    // The cursor follows the new metric; a bad target is marked and nothing saved.
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..7 {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "10-5");
    ctrl(&mut app, 's');
    let text = screen(&mut app);
    assert!(text.contains("a target is a range"), "{text}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(metric(&app, "PV", "东校区").row_version, east.row_version);
    // K moves it up past the official site's PV.
    let before: Vec<i64> = readings::metrics(app.db().conn())
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    press(&mut app, KeyCode::Char('K'));
    let after: Vec<i64> = readings::metrics(app.db().conn())
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    let at = |list: &[i64]| list.iter().position(|id| *id == east.id).unwrap();
    assert_eq!(at(&after) + 1, at(&before));
    // x retires it with a reason; without one it asks.
    press(&mut app, KeyCode::Char('x'));
    ctrl(&mut app, 's');
    assert!(screen(&mut app).contains("say why"));
    typed(&mut app, "站点合并");
    press(&mut app, KeyCode::Enter);
    assert!(
        readings::find_metric(app.db().conn(), "PV", "东校区")
            .unwrap()
            .is_none()
    );
    assert!(screen(&mut app).contains("Retired metric PV"));
}
