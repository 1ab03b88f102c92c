//! The people of the directory: read by filter a page at a time, added, changed and marked as
//! having left, each with the operator's stamp.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use super::{Role, Roles, ensure_department};
use crate::db::Stamp;
use crate::db::sort::{self, Sort};
use crate::db::stamped::{self, Fields};

/// A person in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub roles: Roles,
    pub phone: String,
    pub employee_no: String,
    /// The day they left; `None` while they work here.
    pub left_on: Option<NaiveDate>,
    pub row_version: i64,
}

impl Person {
    pub fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            department: self.department.clone(),
            roles: self.roles.clone(),
            phone: self.phone.clone(),
            employee_no: self.employee_no.clone(),
        }
    }
}

/// What an operator sets on a person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonInput {
    pub name: String,
    /// A department's name: a new one is added to the directory.
    pub department: String,
    pub roles: Roles,
    pub phone: String,
    pub employee_no: String,
}

/// Why a person could not be saved. Nothing was written.
#[derive(Debug)]
pub enum PersonError {
    NeedsName,
    NeedsDepartment,
    /// The department already has a person of that name.
    NameTaken {
        department: String,
    },
    /// Another person has the employee number.
    EmployeeNoTaken {
        holder: String,
    },
    NotFound,
    /// Someone else saved the person since it was read.
    Conflict,
    AlreadyLeft,
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for PersonError {
    fn from(e: rusqlite::Error) -> PersonError {
        PersonError::Db(e)
    }
}

/// Which people a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleQuery {
    /// Words found in the name, department, phone or employee number.
    pub search: String,
    pub department: Option<String>,
    pub role: Option<Role>,
    /// Those who left too.
    pub with_left: bool,
    pub sort: Sort,
}

/// The columns the directory can be sorted by.
pub const PEOPLE_SORTS: &[sort::Column] = &[
    ("name", "p.name"),
    ("department", "d.name"),
    ("roles", "p.roles"),
    ("employee_no", "p.employee_no"),
    ("left_on", "p.left_on"),
];

impl PeopleQuery {
    fn filter(&self) -> (String, Vec<Value>) {
        let mut sql = String::from(" WHERE p.retired_at IS NULL");
        let mut args: Vec<Value> = Vec::new();
        if !self.with_left {
            sql.push_str(" AND p.left_on IS NULL");
        }
        if let Some(department) = &self.department {
            sql.push_str(" AND d.name = ?");
            args.push(department.clone().into());
        }
        if let Some(role) = self.role {
            sql.push_str(" AND instr(' ' || p.roles || ' ', ?) > 0");
            args.push(format!(" {} ", role.key()).into());
        }
        for word in self.search.split_whitespace() {
            sql.push_str(
                " AND (instr(lower(p.name), ?) OR instr(lower(d.name), ?)
                   OR instr(ifnull(p.phone, ''), ?) OR instr(lower(p.employee_no), ?))",
            );
            let word = Value::from(word.to_lowercase());
            args.extend(std::iter::repeat_n(word, 4));
        }
        (sql, args)
    }
}

const COLUMNS: &str = "SELECT p.id, p.name, d.name, p.roles, ifnull(p.phone, ''), p.employee_no,
    p.left_on, p.row_version FROM people p JOIN departments d ON d.id = p.department_id";

fn person_from(r: &Row) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        department: r.get(2)?,
        roles: Roles::from_keys(&r.get::<_, String>(3)?),
        phone: r.get(4)?,
        employee_no: r.get(5)?,
        left_on: r.get::<_, Option<String>>(6)?.and_then(|d| d.parse().ok()),
        row_version: r.get(7)?,
    })
}

pub fn count_people(conn: &Connection, query: &PeopleQuery) -> rusqlite::Result<usize> {
    let (filter, args) = query.filter();
    let sql = format!(
        "SELECT count(*) FROM people p JOIN departments d ON d.id = p.department_id{filter}"
    );
    conn.prepare_cached(&sql)?
        .query_row(params_from_iter(args), |r| r.get::<_, i64>(0))
        .map(|n| n as usize)
}

/// `limit` people from `offset` of the list: the centre's own first, then department by
/// department in the order they were added, each by name.
pub fn people(
    conn: &Connection,
    query: &PeopleQuery,
    offset: usize,
    limit: usize,
) -> rusqlite::Result<Vec<Person>> {
    let (filter, mut args) = query.filter();
    args.push((limit.min(i64::MAX as usize) as i64).into());
    args.push((offset as i64).into());
    let order = query
        .sort
        .order(PEOPLE_SORTS, "p.id", false)
        .unwrap_or_else(|| "d.is_centre DESC, d.id, p.name, p.id".to_owned());
    let sql = format!("{COLUMNS}{filter} ORDER BY {order} LIMIT ? OFFSET ?");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), person_from)?;
    rows.collect()
}

pub fn person(conn: &Connection, id: i64) -> rusqlite::Result<Option<Person>> {
    conn.prepare_cached(&format!("{COLUMNS} WHERE p.id = ?1"))?
        .query_row([id], person_from)
        .optional()
}

/// The person of that name in that department (who works here or has left), if any.
pub fn find_person(
    conn: &Connection,
    name: &str,
    department: &str,
) -> rusqlite::Result<Option<Person>> {
    conn.prepare_cached(&format!(
        "{COLUMNS} WHERE p.name = ?1 AND d.name = ?2 AND p.retired_at IS NULL"
    ))?
    .query_row([name.trim(), department.trim()], person_from)
    .optional()
}

/// The person with that employee number, if any.
pub fn person_by_number(conn: &Connection, number: &str) -> rusqlite::Result<Option<Person>> {
    conn.prepare_cached(&format!("{COLUMNS} WHERE p.employee_no = ?1"))?
        .query_row([number.trim()], person_from)
        .optional()
}

/// What is wrong with `input` for the person `except` (a new one: `None`), first found first.
pub fn check_person(
    conn: &Connection,
    input: &PersonInput,
    except: Option<i64>,
) -> Result<(), PersonError> {
    if input.name.trim().is_empty() {
        return Err(PersonError::NeedsName);
    }
    if input.department.trim().is_empty() {
        return Err(PersonError::NeedsDepartment);
    }
    if let Some(other) = find_person(conn, &input.name, &input.department)?
        && Some(other.id) != except
    {
        return Err(PersonError::NameTaken {
            department: other.department,
        });
    }
    let number = input.employee_no.trim();
    if !number.is_empty() {
        let holder: Option<(i64, String)> = conn
            .prepare_cached("SELECT id, name FROM people WHERE employee_no = ?1")?
            .query_row([number], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, name)) = holder
            && Some(id) != except
        {
            return Err(PersonError::EmployeeNoTaken { holder: name });
        }
    }
    Ok(())
}

/// A person's typed fields with their department's id, as adding and changing store them.
fn person_fields(
    conn: &Connection,
    input: &PersonInput,
    stamp: &Stamp,
) -> rusqlite::Result<Fields> {
    let department = ensure_department(conn, input.department.trim(), false, stamp)?;
    Ok(Fields::stamped(stamp)
        .text(":name", &input.name)
        .value(":department", department)
        .value(":roles", input.roles.keys())
        .text(":phone", &input.phone)
        .text(":employee_no", &input.employee_no))
}

pub fn add_person(
    conn: &Connection,
    input: &PersonInput,
    stamp: &Stamp,
) -> Result<i64, PersonError> {
    check_person(conn, input, None)?;
    person_fields(conn, input, stamp)?.execute(
        conn,
        "INSERT INTO people (name, department_id, roles, phone, employee_no, created_at,
             created_by, updated_at, updated_by)
         VALUES (:name, :department, :roles, :phone, :employee_no, :at, :by, :at, :by)",
    )?;
    Ok(conn.last_insert_rowid())
}

/// The person as read at `version`, or why they cannot be changed.
fn load_for_change(conn: &Connection, id: i64, version: i64) -> Result<Person, PersonError> {
    let person = person(conn, id)?.ok_or(PersonError::NotFound)?;
    if person.row_version != version {
        return Err(PersonError::Conflict);
    }
    Ok(person)
}

/// Change a person as read at `version`.
pub fn edit_person(
    conn: &Connection,
    id: i64,
    version: i64,
    input: &PersonInput,
    stamp: &Stamp,
) -> Result<(), PersonError> {
    let before = load_for_change(conn, id, version)?;
    check_person(conn, input, Some(id))?;
    person_fields(conn, input, stamp)?
        .value(":id", id)
        .execute(
            conn,
            "UPDATE people SET name = :name, department_id = :department, roles = :roles,
             phone = :phone, employee_no = :employee_no, updated_at = :at, updated_by = :by,
             row_version = row_version + 1
         WHERE id = :id",
        )?;
    crate::db::accounts::roles_changed(conn, id, &before.roles, &input.roles, stamp)?;
    Ok(())
}

/// Mark a person as read at `version` as having left on `on`: kept in the directory (the
/// records they signed name them), offered in no pick list from then on.
pub fn mark_left(
    conn: &Connection,
    id: i64,
    version: i64,
    on: NaiveDate,
    stamp: &Stamp,
) -> Result<(), PersonError> {
    let person = load_for_change(conn, id, version)?;
    if person.left_on.is_some() {
        return Err(PersonError::AlreadyLeft);
    }
    stamped::set(conn, "people", "left_on", id, on.to_string(), stamp)?;
    Ok(())
}
