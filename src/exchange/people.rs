//! The directory as a file: people exported as CSV (roles in the file's language) and imported
//! whole or not at all, every problem by line and column, so that a fresh database is set up
//! from the personnel office's sheet in one command.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::sheet::{FileIssue, Sheet, Texts};
use super::table::{self, Column};
use crate::db::Stamp;
use crate::db::directory::{self, Person, PersonError, PersonInput, Roles};
use crate::domain::reading::parse_day;
use crate::i18n::Lang;

/// The directory's columns: who, where, what they may sign for, how to reach them, and since
/// when they are gone.
pub const PEOPLE_COLUMNS: &[Column] = &[
    ("name", "姓名"),
    ("department", "部门"),
    ("roles", "角色"),
    ("phone", "电话"),
    ("employee_no", "工号"),
    ("left_on", "离职日期"),
];

const REQUIRED: &[&str] = &["name", "department"];

/// The roles in the file's language: keys in English, the regulations' names in Chinese; both
/// are read back.
fn roles_text(roles: &Roles, lang: Lang) -> String {
    match lang {
        Lang::En => roles.keys(),
        Lang::Zh => roles
            .iter()
            .map(|r| r.name_zh())
            .collect::<Vec<_>>()
            .join("、"),
    }
}

pub fn person_cells(p: &Person, lang: Lang) -> Vec<String> {
    vec![
        p.name.clone(),
        p.department.clone(),
        roles_text(&p.roles, lang),
        p.phone.clone(),
        p.employee_no.clone(),
        p.left_on.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

pub fn people_csv(people: &[Person], lang: Lang) -> Vec<u8> {
    let rows = people.iter().map(|p| person_cells(p, lang));
    table::csv(PEOPLE_COLUMNS, rows, |_| false, lang)
}

/// What is wrong with an import file or one of its rows.
#[derive(Debug)]
pub enum Issue {
    File(FileIssue),
    Db(String),
    Person(PersonError),
    /// A word in the roles cell names no role.
    UnknownRole(String),
    BadDate,
    /// The same person (name in department, or employee number) on an earlier line.
    Repeated {
        first_line: u64,
    },
}

pub type Problem = super::sheet::Problem<Issue>;

const TEXTS: Texts = Texts {
    empty: "people_import.empty",
    missing_column: "people_import.missing_column",
};

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let reason = match &self.issue {
            Issue::File(issue) => return issue.message(PEOPLE_COLUMNS, &TEXTS, lang),
            Issue::Db(reason) => return lang.tf("error.db_write", &[("reason", reason)]),
            Issue::Person(e) => e.message(lang),
            Issue::UnknownRole(word) => {
                let known: Vec<String> = directory::Role::ALL
                    .iter()
                    .map(|r| format!("{} ({})", r.key(), r.name_zh()))
                    .collect();
                let args: [(&str, &dyn std::fmt::Display); 2] =
                    [("role", word), ("known", &known.join(", "))];
                lang.tf("people_import.unknown_role", &args)
            }
            Issue::BadDate => lang.t("people_import.bad_date").to_owned(),
            Issue::Repeated { first_line } => {
                lang.tf("people_import.repeated", &[("line", first_line)])
            }
        };
        self.located(PEOPLE_COLUMNS, &reason, lang)
    }
}

/// One person of the file: new, or who they are in the directory now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub input: PersonInput,
    pub left_on: Option<NaiveDate>,
    /// The person in the directory the row changes; `None` adds one.
    pub before: Option<Person>,
}

/// What an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    pub adds: Vec<Row>,
    pub changes: Vec<Row>,
    /// Rows that say what the directory already holds.
    pub unchanged: usize,
}

/// Read and check a whole file against the directory: every problem, in file order. A row is
/// the person with its employee number, or else of its name in its department; the others
/// are added.
pub fn plan(conn: &Connection, bytes: &[u8]) -> Result<Plan, Vec<Problem>> {
    let keys: Vec<&str> = PEOPLE_COLUMNS.iter().map(|(key, _)| *key).collect();
    let sheet = Sheet::read(bytes, PEOPLE_COLUMNS, &keys, REQUIRED)
        .map_err(|e| vec![Problem::whole_file(Issue::File(e))])?;
    let mut plan = Plan::default();
    let mut seen_names: HashMap<(String, String), u64> = HashMap::new();
    let mut seen_numbers: HashMap<String, u64> = HashMap::new();
    sheet.check(|row| {
        let line = row.line;
        // Every cell's own problem is said, then the row is passed over.
        let mut bad = false;
        let roles = Roles::parse(&row.cell("roles")).unwrap_or_else(|word| {
            row.fail("roles", Issue::UnknownRole(word));
            bad = true;
            Roles::default()
        });
        let left_on = match row.cell("left_on").as_str() {
            "" => None,
            text => parse_day(text).or_else(|| {
                row.fail("left_on", Issue::BadDate);
                bad = true;
                None
            }),
        };
        for (column, missing) in [
            ("name", PersonError::NeedsName),
            ("department", PersonError::NeedsDepartment),
        ] {
            if row.cell(column).is_empty() {
                row.fail(column, Issue::Person(missing));
                bad = true;
            }
        }
        if bad {
            return Ok(());
        }
        let input = PersonInput {
            name: row.cell("name"),
            department: row.cell("department"),
            roles,
            phone: row.cell("phone"),
            employee_no: row.cell("employee_no"),
        };
        let name_key = (input.department.clone(), input.name.clone());
        if let Some(&first_line) = seen_names.get(&name_key) {
            row.fail("name", Issue::Repeated { first_line });
            return Ok(());
        }
        seen_names.insert(name_key, line);
        if !input.employee_no.is_empty() {
            if let Some(&first_line) = seen_numbers.get(&input.employee_no) {
                row.fail("employee_no", Issue::Repeated { first_line });
                return Ok(());
            }
            seen_numbers.insert(input.employee_no.clone(), line);
        }
        let db = |e: rusqlite::Error| row.fatal("name", Issue::Db(e.to_string()));
        let by_number = match input.employee_no.as_str() {
            "" => None,
            number => directory::person_by_number(conn, number).map_err(db)?,
        };
        let before = match by_number {
            Some(p) => Some(p),
            None => directory::find_person(conn, &input.name, &input.department).map_err(db)?,
        };
        match directory::check_person(conn, &input, before.as_ref().map(|p| p.id)) {
            Ok(()) => {}
            Err(PersonError::Db(e)) => return Err(db(e)),
            Err(e) => {
                let column = match e {
                    PersonError::EmployeeNoTaken { .. } => "employee_no",
                    _ => "name",
                };
                row.fail(column, Issue::Person(e));
                return Ok(());
            }
        }
        let person = Row {
            line,
            input,
            left_on,
            before,
        };
        match &person.before {
            None => plan.adds.push(person),
            Some(p) if p.input() == person.input && (p.left_on.is_some() || left_on.is_none()) => {
                plan.unchanged += 1;
            }
            Some(_) => plan.changes.push(person),
        }
        Ok(())
    })?;
    Ok(plan)
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// Write a plan in one transaction: all of it, or (on any error) none. A person the file says
/// left is marked so on that day; one already marked keeps the day they were marked with.
pub fn apply(conn: &mut Connection, plan: &Plan, stamp: &Stamp) -> Result<Applied, PersonError> {
    let tx = conn.transaction()?;
    for row in &plan.adds {
        let id = directory::add_person(&tx, &row.input, stamp)?;
        if let Some(day) = row.left_on {
            directory::mark_left(&tx, id, 1, day, stamp)?;
        }
    }
    for row in &plan.changes {
        let Some(before) = &row.before else { continue };
        let mut version = before.row_version;
        if before.input() != row.input {
            directory::edit_person(&tx, before.id, version, &row.input, stamp)?;
            version += 1;
        }
        if let (Some(day), None) = (row.left_on, before.left_on) {
            directory::mark_left(&tx, before.id, version, day, stamp)?;
        }
    }
    tx.commit()?;
    Ok(Applied {
        added: plan.adds.len(),
        changed: plan.changes.len(),
        unchanged: plan.unchanged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn stamp() -> Stamp {
        Stamp::at("王磊", "2026-12-03 09:00:00")
    }

    fn import(db: &mut Db, bytes: &[u8]) -> Result<Applied, Vec<String>> {
        let plan = plan(db.conn(), bytes)
            .map_err(|ps| ps.iter().map(|p| p.message(Lang::En)).collect::<Vec<_>>())?;
        Ok(apply(db.conn_mut(), &plan, &stamp()).unwrap())
    }

    fn everyone(db: &Db) -> Vec<Person> {
        let query = directory::PeopleQuery {
            with_left: true,
            ..Default::default()
        };
        directory::people(db.conn(), &query, 0, 100).unwrap()
    }

    /// A fresh database is set up from the personnel office's sheet in GBK with Chinese headers,
    /// and the export in either language reads back as nothing to change.
    #[test]
    fn a_gbk_sheet_sets_up_the_directory_and_its_export_reads_back_unchanged() {
        let mut db = Db::open_in_memory().unwrap();
        let text = "姓名,部门,角色,电话,工号\r\n林霞,信息中心,主任,13800000001,E001\r\n\
                    赵敏,信息中心,网络管理员、值班,,E002\r\n张伟,财务部,部门经理,,\r\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let done = import(&mut db, &gbk).unwrap();
        assert_eq!((done.added, done.changed), (3, 0));
        let people = everyone(&db);
        assert_eq!(people[1].roles.keys(), "network_admin duty");
        assert_eq!(people[2].department, "财务部");
        for lang in [Lang::En, Lang::Zh] {
            let csv = people_csv(&people, lang);
            let again = import(&mut db, &csv).unwrap();
            assert_eq!(
                (again.added, again.changed, again.unchanged),
                (0, 0, 3),
                "{lang:?}"
            );
        }
    }

    /// Every problem of every row, at its line and column, whatever the file's line ends; and
    /// nothing written.
    #[test]
    fn every_problem_is_said_by_line_and_column_and_nothing_is_written() {
        for end in ["\n", "\r\n"] {
            let mut db = Db::open_in_memory().unwrap();
            let text = [
                "name,department,roles,employee_no,left_on",
                "林霞,信息中心,director,E001,",
                "王五,财务部,boss,,",
                "李四,,,,2026-13-01",
                "林霞,信息中心,,,",
                "钱七,财务部,,E001,",
                "",
            ]
            .join(end);
            let problems = import(&mut db, text.as_bytes()).unwrap_err();
            assert_eq!(
                problems,
                [
                    "line 3, roles \"boss\": \"boss\" is not a role; the roles are admin (管理员), \
                     director (主任), deputy (副主任), supervisor (主管领导), department_head \
                     (部门经理), network_admin (网络管理员), maintainer (维护员), duty (值班), \
                     viewer (查看), several separated by spaces or commas",
                    "line 4, left_on \"2026-13-01\": not a date: write it as 2026-11-30",
                    "line 4, department \"\": a person needs a department",
                    "line 5, name \"林霞\": the same person as on line 2",
                    "line 6, employee_no \"E001\": the same person as on line 2",
                ],
                "{end:?}"
            );
            assert!(everyone(&db).is_empty());
        }
    }

    /// A row is the person with its employee number (their name may change), or else of its
    /// name in its department; a left_on marks them as having left that day.
    #[test]
    fn a_row_changes_the_person_it_names_and_marks_who_left() {
        let mut db = Db::open_in_memory().unwrap();
        import(
            &mut db,
            "name,department,employee_no\n林霞,信息中心,E001\n赵敏,信息中心,\n".as_bytes(),
        )
        .unwrap();
        let text = "name,department,roles,employee_no,left_on\n\
                    林霞(新),信息中心,director,E001,\n赵敏,信息中心,,,2026-11-30\n";
        let done = import(&mut db, text.as_bytes()).unwrap();
        assert_eq!((done.added, done.changed), (0, 2));
        let people = everyone(&db);
        assert_eq!(people.len(), 2);
        let lin = people.iter().find(|p| p.employee_no == "E001").unwrap();
        assert_eq!(
            (lin.name.as_str(), lin.roles.keys()),
            ("林霞(新)", "director".to_owned())
        );
        let zhao = people.iter().find(|p| p.name == "赵敏").unwrap();
        assert_eq!(zhao.left_on, NaiveDate::from_ymd_opt(2026, 11, 30));
    }
}
