use chrono::NaiveDate;
use rusqlite::Connection;

use super::*;
use crate::db::migrate;
use crate::db::{Db, Stamp};

fn stamp() -> Stamp {
    Stamp::at("王磊", "2026-12-03 09:00:00")
}

fn input(name: &str, department: &str, roles: &str, number: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        department: department.into(),
        roles: Roles::parse(roles).unwrap(),
        phone: "13800000000".into(),
        employee_no: number.into(),
    }
}

fn names(db: &Db, query: &PeopleQuery) -> Vec<String> {
    people(db.conn(), query, 0, 100)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect()
}

/// A person is added with their roles and number, changed, found by filter and search, and
/// marked as having left: kept in the directory, gone from pick lists.
#[test]
fn people_are_added_changed_filtered_and_marked_as_left() {
    let mut db = Db::open_in_memory().unwrap();
    let s = stamp();
    let (lin, zhao) = db
        .write(|tx| {
            ensure_department(tx, "信息中心", true, &s)?;
            let lin = add_person(tx, &input("林霞", "信息中心", "主任", "E001"), &s)?;
            let zhao = add_person(tx, &input("赵敏", "信息中心", "duty network_admin", ""), &s)?;
            // A new department is added with its first person.
            add_person(tx, &input("张伟", "财务部", "部门经理", "E007"), &s)?;
            Ok::<_, PersonError>((lin, zhao))
        })
        .unwrap();
    let all = PeopleQuery::default();
    assert_eq!(names(&db, &all), ["林霞", "赵敏", "张伟"]);
    assert_eq!(count_people(db.conn(), &all).unwrap(), 3);
    let duty = PeopleQuery {
        role: Some(Role::Duty),
        ..PeopleQuery::default()
    };
    assert_eq!(names(&db, &duty), ["赵敏"]);
    let finance = PeopleQuery {
        department: Some("财务部".into()),
        ..PeopleQuery::default()
    };
    assert_eq!(names(&db, &finance), ["张伟"]);
    let search = PeopleQuery {
        search: "e00".into(),
        ..PeopleQuery::default()
    };
    assert_eq!(names(&db, &search), ["林霞", "张伟"]);

    // Refused: the same name twice in a department, a number someone else has.
    let twice = db.write(|tx| add_person(tx, &input("林霞", "信息中心", "", ""), &s));
    assert!(
        matches!(twice, Err(PersonError::NameTaken { .. })),
        "{twice:?}"
    );
    let taken = db.write(|tx| add_person(tx, &input("钱七", "信息中心", "", "E007"), &s));
    assert!(
        matches!(&taken, Err(PersonError::EmployeeNoTaken { holder }) if holder == "张伟"),
        "{taken:?}"
    );
    let nameless = db.write(|tx| add_person(tx, &input(" ", "信息中心", "", ""), &s));
    assert!(
        matches!(nameless, Err(PersonError::NeedsName)),
        "{nameless:?}"
    );

    // Changed as read; a second change from the same reading is a conflict.
    let read = person(db.conn(), zhao).unwrap().unwrap();
    let mut changed = read.input();
    changed.roles = Roles::parse("duty").unwrap();
    db.write(|tx| edit_person(tx, zhao, read.row_version, &changed, &s))
        .unwrap();
    let stale = db.write(|tx| edit_person(tx, zhao, read.row_version, &changed, &s));
    assert!(matches!(stale, Err(PersonError::Conflict)), "{stale:?}");
    let now = person(db.conn(), zhao).unwrap().unwrap();
    assert_eq!(now.roles.keys(), "duty");

    // Left: out of the list and the pick lists, in the list of everyone, never deleted.
    let lin_read = person(db.conn(), lin).unwrap().unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    db.write(|tx| mark_left(tx, lin, lin_read.row_version, day, &s))
        .unwrap();
    assert_eq!(names(&db, &all), ["赵敏", "张伟"]);
    assert!(
        !people_names(db.conn(), true)
            .unwrap()
            .contains(&"林霞".to_owned())
    );
    let everyone = PeopleQuery {
        with_left: true,
        ..PeopleQuery::default()
    };
    assert_eq!(names(&db, &everyone), ["林霞", "赵敏", "张伟"]);
    assert_eq!(person(db.conn(), lin).unwrap().unwrap().left_on, Some(day));
    let again = person(db.conn(), lin).unwrap().unwrap();
    let twice = db.write(|tx| mark_left(tx, lin, again.row_version, day, &s));
    assert!(matches!(twice, Err(PersonError::AlreadyLeft)), "{twice:?}");
}

/// A database of version 17: each person's one role becomes one of their roles
/// ('staff' none), with the audit triggers as that version's binary had made them.
#[test]
fn the_upgrade_keeps_each_persons_role_among_their_roles() {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::db::audit::chain::register(&conn).unwrap();
    let sections = migrate::sections();
    let old = 17;
    for (index, section) in sections[..old].iter().enumerate() {
        conn.execute_batch(section).unwrap();
        migrate::after_section(&conn, index + 1).unwrap();
    }
    crate::db::audit::install_triggers(&conn).unwrap();
    conn.pragma_update(None, "user_version", old as i64)
        .unwrap();
    conn.pragma_update(None, "application_id", migrate::APPLICATION_ID)
        .unwrap();
    conn.execute_batch(
        "INSERT INTO departments (name, is_centre, created_at, created_by, updated_at, updated_by)
             VALUES ('信息中心', 1, '2026-01-01', 'x', '2026-01-01', 'x');
         INSERT INTO people (name, department_id, role, created_at, created_by, updated_at,
             updated_by)
             VALUES ('林霞', 1, 'director', '2026-01-01', 'x', '2026-01-01', 'x'),
                    ('杨明', 1, 'staff', '2026-01-01', 'x', '2026-01-01', 'x');",
    )
    .unwrap();
    migrate::migrate(&mut conn).unwrap();
    let roles: Vec<(String, String)> = conn
        .prepare("SELECT name, roles FROM people ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        roles,
        [
            ("林霞".to_owned(), "director".to_owned()),
            ("杨明".to_owned(), String::new())
        ]
    );
}
