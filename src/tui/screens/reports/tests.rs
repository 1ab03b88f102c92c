//! The Reports tab driven by keys through the application shell, on the demo as filled on
//! 2026-11-21.

use std::time::Instant;

use chrono::NaiveDateTime;
use ratatui::crossterm::event::KeyCode;

use crate::db::{Db, Stamp};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::tabs::Tab;
use crate::tui::testing::keys::{draw, press, screen, settle};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn app(lang: Lang) -> App {
    let mut db = Db::open_in_memory().unwrap();
    let now = at("2026-11-21 09:00");
    crate::db::demo::fill(db.conn_mut(), &Stamp::new(crate::db::demo::AUTHOR, now)).unwrap();
    let mut app = App::new(db, lang, "王磊".into(), now.date());
    app.tick(now, Instant::now());
    app.apply(crate::tui::action::Action::SwitchTab(Tab::Reports));
    app
}

#[test]
fn the_month_before_opens_with_its_figures_and_weekly_charts() {
    for lang in Lang::ALL {
        let mut app = app(lang);
        insta::assert_snapshot!(format!("october_{lang:?}"), draw(&mut app));
    }
}

#[test]
fn months_step_back_and_forward_but_never_into_the_future() {
    let mut app = app(Lang::En);
    assert!(screen(&mut app).contains("Month report 2026-10 (10-01 to 10-31)"));
    press(&mut app, KeyCode::Char(']'));
    let text = screen(&mut app);
    assert!(text.contains("Month report 2026-11"), "{text}");
    // November runs: weeks still to come have nothing to show, not 0%.
    assert!(
        text.contains("11-23..11-29") && text.contains("     -"),
        "{text}"
    );
    press(&mut app, KeyCode::Char(']'));
    assert!(screen(&mut app).contains("Month report 2026-11"));
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('['));
    }
    assert!(screen(&mut app).contains("Month report 2026-08"));
}

#[test]
fn the_figure_table_scrolls_to_every_figure() {
    let mut app = app(Lang::En);
    let text = screen(&mut app);
    assert!(
        text.contains("completion") && !text.contains("Backup size"),
        "{text}"
    );
    press(&mut app, KeyCode::Char('G'));
    let text = screen(&mut app);
    // The last figure: the last daily metric's last value.
    let last = text
        .lines()
        .rfind(|l| l.starts_with("daily data"))
        .unwrap_or_else(|| panic!("no daily figures at the end\n{text}"));
    assert!(
        last.contains("last") && last.contains("Backup size"),
        "{text}"
    );
    press(&mut app, KeyCode::Char('g'));
    assert!(screen(&mut app).contains("completion"));
}

#[test]
fn on_a_file_the_figures_are_read_off_the_key_path_month_by_month() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut db = Db::open(&path).unwrap();
    let now = at("2026-11-21 09:00");
    crate::db::demo::fill(db.conn_mut(), &Stamp::new(crate::db::demo::AUTHOR, now)).unwrap();
    let hold = crate::db::worker::held::hold(&path);
    let mut app = App::new(db, Lang::En, "王磊".into(), now.date());
    app.tick(now, Instant::now());
    app.apply(crate::tui::action::Action::SwitchTab(Tab::Reports));
    // Ten years of history take seconds to read: the tab shows at once and says so.
    let text = screen(&mut app);
    assert!(
        text.contains("Month report 2026-10") && text.contains("Reading the month's figures…"),
        "{text}"
    );
    assert!(app.busy());
    drop(hold);
    let text = settle(&mut app);
    assert!(!text.contains("Reading") && text.contains("MTTR"), "{text}");
    // Another month is read the same way; the figures follow.
    press(&mut app, KeyCode::Char('['));
    let text = settle(&mut app);
    assert!(
        text.contains("Month report 2026-09") && text.contains("MTTR"),
        "{text}"
    );
}

#[test]
fn at_80_columns_every_headline_figure_shows_and_the_value_heading_sits_over_its_values() {
    for lang in Lang::ALL {
        let mut app = app(lang);
        let text = screen(&mut app);
        let scrapped = lang.t("month_figure.devices_scrapped");
        let line = text
            .lines()
            .find(|l| l.contains(scrapped))
            .unwrap_or_default();
        let after = line.split(scrapped).nth(1).unwrap_or_default().trim_start();
        assert!(
            after.starts_with(|c: char| c.is_ascii_digit()),
            "{lang:?}: the number after {scrapped}: {text}"
        );
        let amount = lang.tf("month.amount", &[("value", &"0.00")]);
        assert!(
            text.contains(amount.trim_start_matches("0.00")),
            "{lang:?}: {text}"
        );
        // The value column's heading ends where the values end, in terminal columns.
        use unicode_width::UnicodeWidthStr;
        let heading = lang.t("reports.col_value");
        let head = text.lines().find(|l| l.contains(heading)).unwrap();
        let head_end = head[..head.find(heading).unwrap() + heading.len()].width();
        let unit = lang.t("reports.col_unit");
        assert!(head.contains(unit), "{head}");
        // A table row: the figure's name in the second column (after the 10-wide section).
        let signed = lang.t("month_figure.checks_signed");
        let row = text
            .lines()
            .find(|l| l.find(signed).is_some_and(|at| l[..at].width() == 11))
            .unwrap_or_else(|| panic!("{text}"));
        let digits_end = row
            .char_indices()
            .rfind(|(_, c)| c.is_ascii_digit())
            .map(|(i, c)| row[..i + c.len_utf8()].width())
            .unwrap();
        assert_eq!(head_end, digits_end, "{lang:?}:\n{head}\n{row}");
    }
}

/// `w` turns the tab to the weekly report (001 "每周向主管领导汇报"): last week, its days as
/// bars, `[`/`]` by week, never into the future; `w` again is back to the month.
#[test]
fn w_shows_the_week_before_and_steps_by_week() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('w'));
    let text = settle(&mut app);
    assert!(
        text.contains("Week report 2026-W46 (11-09 to 11-15)"),
        "{text}"
    );
    press(&mut app, KeyCode::Char(']'));
    assert!(screen(&mut app).contains("Week report 2026-W47 (11-16 to 11-22)"));
    press(&mut app, KeyCode::Char(']'));
    assert!(
        screen(&mut app).contains("Week report 2026-W47"),
        "not into the future"
    );
    press(&mut app, KeyCode::Char('['));
    press(&mut app, KeyCode::Char('['));
    assert!(screen(&mut app).contains("Week report 2026-W45"));
    press(&mut app, KeyCode::Char('w'));
    assert!(screen(&mut app).contains("Month report 2026-10"));
    let mut zh = self::app(Lang::Zh);
    press(&mut zh, KeyCode::Char('w'));
    assert!(settle(&mut zh).contains("2026-W46 周报"));
}
