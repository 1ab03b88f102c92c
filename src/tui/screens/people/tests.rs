//! The People tab, driven by keys through the application shell.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;

use crate::db::directory::{self, PersonInput, Roles};
use crate::db::{Db, Stamp};
use crate::i18n::Lang;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::tabs::Tab;
use crate::tui::testing::keys::{ctrl, draw, press, screen, settle, typed};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
}

/// The centre's director and a duty operator, and a finance department head; on the People tab.
fn app(lang: Lang) -> App {
    let mut db = Db::open_in_memory().unwrap();
    let s = Stamp::new("王磊", today().and_hms_opt(8, 0, 0).unwrap());
    db.write(|tx| {
        directory::ensure_department(tx, "信息中心", true, &s)?;
        for (name, department, roles, number) in [
            ("林霞", "信息中心", "director", "E001"),
            ("赵敏", "信息中心", "duty network_admin", "E002"),
            ("张伟", "财务部", "department_head", ""),
        ] {
            let input = PersonInput {
                name: name.into(),
                department: department.into(),
                roles: Roles::parse(roles).unwrap(),
                phone: String::new(),
                employee_no: number.into(),
            };
            directory::add_person(tx, &input, &s)?;
        }
        Ok::<_, directory::PersonError>(())
    })
    .unwrap();
    let mut app = App::new(db, lang, "王磊".into(), today());
    app.apply(Action::SwitchTab(Tab::People));
    app
}

#[test]
fn people_snapshots() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(lang);
        insta::assert_snapshot!(format!("people_{lang:?}"), draw(&mut app));
        press(&mut app, KeyCode::Char('a'));
        insta::assert_snapshot!(format!("person_form_{lang:?}"), draw(&mut app));
    }
}

/// A person is added with roles typed as the screen shows them; the list says so and shows
/// them in their department, and a role nobody has is refused at its field.
#[test]
fn a_person_is_added_with_roles_and_a_wrong_role_is_refused_at_its_field() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "钱七");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "信息中心");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "maintainer, boss");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("\"boss\" is not a role"), "{s}");
    ctrl(&mut app, 'u');
    typed(&mut app, "network admin, duty operator");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("钱七 added"), "{s}");
    let line = s.lines().find(|l| l.contains("钱七")).unwrap();
    assert!(line.contains("network admin, duty operator"), "{s}");
    assert!(s.contains("4 people"), "{s}");
}

/// Marked as left on a day: gone from the list and the pick lists, back with `v` (muted),
/// never deleted; a second `x` says they already left.
#[test]
fn a_person_marked_as_left_stays_on_record_out_of_the_list() {
    let mut app = app(Lang::En);
    screen(&mut app);
    // The cursor is on 林霞, the first of the centre.
    press(&mut app, KeyCode::Char('x'));
    let s = screen(&mut app);
    assert!(s.contains("林霞 leaves") && s.contains("2026-12-03"), "{s}");
    ctrl(&mut app, 'u');
    typed(&mut app, "2026-11-30");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("Marked as left on 2026-11-30"), "{s}");
    assert!(!s.contains("林霞") || s.contains("left on"), "{s}");
    assert!(s.contains("2 people"), "{s}");
    let names = directory::people_names(app.db().conn(), true).unwrap();
    assert!(!names.contains(&"林霞".to_owned()), "{names:?}");
    press(&mut app, KeyCode::Char('v'));
    let s = settle(&mut app);
    let line = s.lines().find(|l| l.contains("林霞")).unwrap();
    assert!(line.contains("2026-11-30"), "{s}");
}

/// Filtered by department and by role, searched by employee number; Esc clears them all.
#[test]
fn the_list_filters_by_department_and_role_and_searches() {
    let mut app = app(Lang::Zh);
    press(&mut app, KeyCode::Char('d'));
    typed(&mut app, "财务部");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(
        s.contains("1 人") && s.contains("张伟") && !s.contains("林霞"),
        "{s}"
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('r'));
    typed(&mut app, "值班");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("赵敏") && !s.contains("林霞"), "{s}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "e001");
    let s = screen(&mut app);
    assert!(s.contains("林霞") && !s.contains("赵敏"), "{s}");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert!(screen(&mut app).contains("3 人"));
}

/// Enter opens the person to change; the change is saved as read, and the audit trail of the
/// person (`L`) shows it with the field's name in the screen's language.
#[test]
fn a_person_is_changed_and_the_change_is_in_their_audit_trail() {
    let mut app = app(Lang::En);
    screen(&mut app);
    press(&mut app, KeyCode::Enter);
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "13800000001");
    ctrl(&mut app, 's');
    let s = screen(&mut app);
    assert!(s.contains("林霞 saved"), "{s}");
    press(&mut app, KeyCode::Char('L'));
    let s = screen(&mut app);
    assert!(s.contains("Phone") && s.contains("13800000001"), "{s}");
}

/// A directory set up from a sheet does not know which department is the information centre:
/// `c` on one of its people says so, and its staff come first and borrow tools as insiders.
#[test]
fn c_marks_a_persons_department_as_the_information_centre() {
    let mut app = app(Lang::En);
    // The last of the list: 张伟 of 财务部.
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('c'));
    let s = screen(&mut app);
    assert!(s.contains("财务部 is the information centre"), "{s}");
    let conn = app.db().conn();
    assert_eq!(directory::is_centre(conn, "财务部").unwrap(), Some(true));
    assert_eq!(directory::is_centre(conn, "信息中心").unwrap(), Some(false));
    let first = s.lines().nth(3).unwrap_or_default();
    assert!(first.contains("张伟"), "the centre's staff first: {s}");
}

/// `S` sorts the directory by a column either way, like every list; the summary says how.
#[test]
fn the_directory_sorts_by_a_column_either_way() {
    let mut app = app(Lang::En);
    press(&mut app, KeyCode::Char('S'));
    typed(&mut app, "employee no., desc");
    press(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("sorted by:Employee no., descending"), "{s}");
    let names: Vec<&str> = s
        .lines()
        .filter_map(|l| ["林霞", "赵敏", "张伟"].into_iter().find(|n| l.contains(n)))
        .collect();
    assert_eq!(
        names,
        ["赵敏", "林霞", "张伟"],
        "E002, E001, then none: {s}"
    );
}
