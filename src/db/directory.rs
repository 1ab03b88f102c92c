//! Departments and people: the directory that owners, borrowers, reporters and approvers come
//! from, kept by hand (a person is added, changed, marked as left, never deleted).

mod people;

pub use people::{
    PEOPLE_SORTS, PeopleQuery, Person, PersonError, PersonInput, add_person, check_person,
    count_people, edit_person, find_person, mark_left, people, person, person_by_number,
};

use rusqlite::{Connection, OptionalExtension, params};

use super::Stamp;

pub use crate::domain::role::{Role, Roles};

/// The department's id, adding it if no department has that name.
pub fn ensure_department(
    conn: &Connection,
    name: &str,
    is_centre: bool,
    stamp: &Stamp,
) -> rusqlite::Result<i64> {
    let existing = conn
        .query_row("SELECT id FROM departments WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO departments (name, is_centre, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?3, ?4)",
        params![name, is_centre, stamp.at_text(), stamp.by],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Add a person unless the department already has someone of that name; true if added.
pub fn ensure_person(
    conn: &Connection,
    name: &str,
    department_id: i64,
    roles: &[Role],
    phone: Option<&str>,
    stamp: &Stamp,
) -> rusqlite::Result<bool> {
    let roles = Roles::new(roles.iter().copied()).keys();
    let added = conn.execute(
        "INSERT INTO people (name, department_id, roles, phone, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)
         ON CONFLICT (department_id, name) DO NOTHING",
        params![name, department_id, roles, phone, stamp.at_text(), stamp.by],
    )?;
    Ok(added == 1)
}

/// Make the department `name` the information centre (its staff borrow tools as insiders and
/// come first in the directory); the one that was is no longer. False when no department has
/// that name.
pub fn set_centre(conn: &Connection, name: &str, stamp: &Stamp) -> rusqlite::Result<bool> {
    let changes: Vec<(i64, bool)> = conn
        .prepare_cached(
            "SELECT id, name = ?1 FROM departments
             WHERE retired_at IS NULL AND is_centre <> (name = ?1)",
        )?
        .query_map([name.trim()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, centre) in &changes {
        super::stamped::set(conn, "departments", "is_centre", *id, centre, stamp)?;
    }
    let known: bool = conn
        .prepare_cached(
            "SELECT count(*) > 0 FROM departments WHERE name = ?1 AND retired_at IS NULL",
        )?
        .query_row([name.trim()], |r| r.get(0))?;
    Ok(known)
}

/// Names of the departments on record, for pick lists.
pub fn department_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM departments WHERE retired_at IS NULL ORDER BY is_centre DESC, id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Names of the people who work here, those who may approve (director, deputy, supervisor,
/// department head) first: for pick lists of owners and approvers.
pub fn people_names(conn: &Connection, approvers_first: bool) -> rusqlite::Result<Vec<String>> {
    let holds = |role: Role| format!("instr(' ' || roles || ' ', ' {} ') > 0", role.key());
    let order = if approvers_first {
        format!(
            "min(CASE WHEN {} THEN 0 WHEN {} THEN 1 WHEN {} THEN 2 WHEN {} THEN 3 ELSE 4 END), min(id)",
            holds(Role::Director),
            holds(Role::Deputy),
            holds(Role::Supervisor),
            holds(Role::DepartmentHead)
        )
    } else {
        "min(id)".to_owned()
    };
    let sql = format!(
        "SELECT name FROM people WHERE retired_at IS NULL AND left_on IS NULL
         GROUP BY name ORDER BY {order}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Every person on record with their department: (department, name).
pub fn people_with_departments(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT d.name, p.name FROM people p JOIN departments d ON d.id = p.department_id
         WHERE p.retired_at IS NULL AND p.left_on IS NULL ORDER BY p.id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// The department of the one person working here under `name`; `None` when nobody is, or when
/// several are (the name alone does not say which).
pub fn department_of(conn: &Connection, name: &str) -> rusqlite::Result<Option<String>> {
    let found: Vec<String> = conn
        .prepare_cached(
            "SELECT d.name FROM people p JOIN departments d ON d.id = p.department_id
             WHERE p.name = ?1 AND p.retired_at IS NULL AND p.left_on IS NULL LIMIT 2",
        )?
        .query_map([name.trim()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match found.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    })
}

/// Whether a person called `name` works in `department`.
pub fn works_in(conn: &Connection, name: &str, department: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT count(*) > 0 FROM people p JOIN departments d ON d.id = p.department_id
         WHERE p.name = ?1 AND d.name = ?2 AND p.retired_at IS NULL AND p.left_on IS NULL",
    )?
    .query_row([name.trim(), department.trim()], |r| r.get(0))
}

/// Departments and people on record, not counting retired ones.
pub fn counts(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM departments WHERE retired_at IS NULL),
                (SELECT count(*) FROM people WHERE retired_at IS NULL)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Whether `name` is the information centre itself (its staff borrow as insiders); `None`
/// when no department has that name.
pub fn is_centre(conn: &Connection, name: &str) -> rusqlite::Result<Option<bool>> {
    conn.prepare_cached("SELECT is_centre FROM departments WHERE name = ?1 AND retired_at IS NULL")?
        .query_row([name.trim()], |r| r.get(0))
        .optional()
}

#[cfg(test)]
mod tests;

/// Whether more than one working person has the name.
pub fn is_namesake(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT count(*) > 1 FROM people
         WHERE name = ?1 AND retired_at IS NULL AND left_on IS NULL",
    )?
    .query_row([name.trim()], |r| r.get(0))
}

/// Tests: `name` works in the information centre holding `roles` (an approver).
#[cfg(test)]
pub fn test_person(conn: &Connection, name: &str, roles: &[Role]) {
    let stamp = Stamp::new("jifang", chrono::NaiveDateTime::default());
    let centre = ensure_department(conn, "信息中心", true, &stamp).unwrap();
    ensure_person(conn, name, centre, roles, None, &stamp).unwrap();
}
