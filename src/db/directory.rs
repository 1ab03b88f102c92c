//! Departments and people: the directory that owners, borrowers, reporters and approvers come from.

use rusqlite::{Connection, OptionalExtension, params};

use super::Stamp;

/// What a person may sign for; the regulations name who approves what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Director,
    Deputy,
    Supervisor,
    NetworkAdmin,
    Maintainer,
    Duty,
    Staff,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Director => "director",
            Role::Deputy => "deputy",
            Role::Supervisor => "supervisor",
            Role::NetworkAdmin => "network_admin",
            Role::Maintainer => "maintainer",
            Role::Duty => "duty",
            Role::Staff => "staff",
        }
    }
}

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
    role: Role,
    phone: Option<&str>,
    stamp: &Stamp,
) -> rusqlite::Result<bool> {
    let added = conn.execute(
        "INSERT INTO people (name, department_id, role, phone, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)
         ON CONFLICT (department_id, name) DO NOTHING",
        params![name, department_id, role.key(), phone, stamp.at_text(), stamp.by],
    )?;
    Ok(added == 1)
}

/// Names of the departments on record, for pick lists.
pub fn department_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM departments WHERE retired_at IS NULL ORDER BY is_centre DESC, id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Names of the people on record, those who may approve (director, deputy, supervisor)
/// first: for pick lists of owners and approvers.
pub fn people_names(conn: &Connection, approvers_first: bool) -> rusqlite::Result<Vec<String>> {
    let order = if approvers_first {
        "min(CASE role WHEN 'director' THEN 0 WHEN 'deputy' THEN 1 WHEN 'supervisor' THEN 2 ELSE 3 END), min(id)"
    } else {
        "min(id)"
    };
    let sql =
        format!("SELECT name FROM people WHERE retired_at IS NULL GROUP BY name ORDER BY {order}");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Every person on record with their department: (department, name).
pub fn people_with_departments(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT d.name, p.name FROM people p JOIN departments d ON d.id = p.department_id
         WHERE p.retired_at IS NULL ORDER BY p.id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
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
