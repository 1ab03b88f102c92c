//! `jifang demo --scale large`: ten years of a big campus's history (100k devices, a million
//! repair tickets, tool loans, checklist answers and daily readings), written in bulk with
//! cached statements under the same rules as the small demo, before the small demo's own year.

use crate::domain::calendar::WorkCalendar;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use rusqlite::{Connection, params};

use super::devices::{KINDS, OFFICES, SUPPLIERS};
use super::{DEPARTMENTS, GIVEN, Lcg, SURNAMES};
use crate::db::{Stamp, audit, checklists, device_log, tools};

/// How far back the history goes.
const YEARS: i64 = 10;
/// How much history the bulk writes: `Size::LARGE` for `--scale large`, smaller in tests.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Devices added to the small demo's few hundred.
    pub devices: usize,
    pub repairs: usize,
    pub loans: usize,
    /// Tools lent in turn: enough that no tool is ever out twice at once.
    pub tools: usize,
    /// Rooms beyond the centre's own, each with its own daily, weekly and monthly checklists.
    pub rooms: usize,
    /// Rack power meters read every day.
    pub racks: usize,
}

impl Size {
    /// 100k devices with the small demo's; a million repairs and loans; with the built-in
    /// checklists, 24 rooms give about a million answers and 274 racks about a million readings
    /// in ten years.
    pub const LARGE: Size = Size {
        devices: 99_700,
        repairs: 1_000_000,
        loans: 1_000_000,
        tools: 2_000,
        rooms: 24,
        racks: 274,
    };
}

/// The small demo keeps its own stories for its last year (repairs, loans), 91 days (the
/// built-in checklists): the bulk history stops where they begin.
const SMALL_REPAIR_DAYS: i64 = 365;
const SMALL_CHECK_DAYS: i64 = 91;

/// What the bulk history added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seeded {
    pub devices: usize,
    pub repairs: usize,
    pub loans: usize,
    pub results: usize,
    pub readings: usize,
}

/// The tables written in bulk: their audit triggers are set aside while they are, and one
/// audit row per table records the seeding instead of a million.
const BULK_TABLES: &[&str] = &[
    "devices",
    "device_events",
    "repairs",
    "repair_events",
    "tools",
    "tool_loans",
    "tool_loan_items",
    "check_runs",
    "check_results",
    "metrics",
    "readings",
];

/// The stored time form, written digit by digit into the value SQLite is handed: formatting
/// with chrono's patterns, then with `format!`, was a tenth of the run.
fn text(at: NaiveDateTime) -> Stored {
    let (d, t) = (at.date(), at.time());
    let mut out = *b"0000-00-00 00:00:00";
    let mut put = |from: usize, width: usize, mut n: u32| {
        for i in (from..from + width).rev() {
            out[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, d.year() as u32);
    put(5, 2, d.month());
    put(8, 2, d.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    put(17, 2, t.second());
    Stored(out)
}

/// A time in the stored form, `YYYY-MM-DD HH:MM:SS`, bound without allocating.
struct Stored([u8; 19]);

impl rusqlite::ToSql for Stored {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(
            rusqlite::types::ValueRef::Text(&self.0),
        ))
    }
}

fn at(day: NaiveDate, minutes: i64) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) + Duration::minutes(minutes)
}

/// Deterministic names: the same campus on every machine.
fn names(rng: &mut Lcg, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            format!(
                "{}{}",
                SURNAMES[rng.below(SURNAMES.len())],
                GIVEN[rng.below(GIVEN.len())]
            )
        })
        .collect()
}

/// Write the history in one transaction, reporting each part as it starts. Nothing is added
/// when the bulk devices are already there.
pub fn seed(
    conn: &mut Connection,
    stamp: &Stamp,
    size: Size,
    progress: &mut dyn FnMut(&str),
) -> anyhow::Result<Seeded> {
    let today = stamp.at.date();
    // Every reference and every value is valid by construction, and `jifang check` proves it
    // afterwards (its integrity check tests CHECK constraints too): checking each of eleven
    // million rows as it goes cost a fifth of the run. The foreign key switch only takes
    // effect outside a transaction; both are put back before returning.
    conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON")?;
    // A transaction bigger than the page cache spills into the write-ahead log: every later read
    // of a spilled page searches the log's frames, and the commit copies the whole log into the
    // file (together a quarter of the run). A rollback journal writes new pages straight into
    // the file and keeps only the few old ones, equally safe. The mode before is restored.
    let before = journal_mode(conn, "")?;
    // Refused as busy while another program has the file open: the load then stays in the log.
    journal_mode(conn, " = TRUNCATE").ok();
    let seeded = seed_all(conn, stamp, size, today, progress);
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF")?;
    journal_mode(conn, &format!(" = {before}"))?;
    seeded
}

/// `PRAGMA journal_mode` with `set` (empty, or ` = MODE`): the mode in force after it.
fn journal_mode(conn: &Connection, set: &str) -> rusqlite::Result<String> {
    conn.query_row(&format!("PRAGMA journal_mode{set}"), [], |r| r.get(0))
}

fn seed_all(
    conn: &mut Connection,
    stamp: &Stamp,
    size: Size,
    today: NaiveDate,
    progress: &mut dyn FnMut(&str),
) -> anyhow::Result<Seeded> {
    let tx = conn.transaction()?;
    let present: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM devices WHERE asset_tag LIKE 'JF-%-100001')",
        [],
        |r| r.get(0),
    )?;
    if present {
        return Ok(Seeded::default());
    }
    tx.execute_batch("PRAGMA cache_size = -131072")?;
    let first_ids = BULK_TABLES
        .iter()
        .map(|t| Ok((*t, last_id(&tx, t)?)))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for table in BULK_TABLES {
        for what in ["insert", "update", "delete"] {
            tx.execute_batch(&format!(
                "DROP TRIGGER IF EXISTS {}",
                audit::quoted(&format!("audit_{table}_{what}"))
            ))?;
        }
    }
    crate::db::search::pause(&tx)?;
    let indexes = set_indexes_aside(&tx)?;
    let mut rng = Lcg(20161122);
    let staff = names(&mut rng, 40);
    let users = names(&mut rng, 3000);
    let start = today - Duration::days(365 * YEARS + YEARS / 4);
    let campus = Campus {
        start,
        today,
        staff,
        users,
    };
    let mut seeded = Seeded::default();
    progress("devices");
    let devices = devices(&tx, &mut rng, size, &campus)?;
    seeded.devices = devices.len();
    progress("repairs");
    seeded.repairs = repairs(&tx, &mut rng, size.repairs, &campus, &devices)?;
    progress("loans");
    seeded.loans = loans(&tx, &mut rng, size, &campus, stamp)?;
    progress("checks");
    seeded.results = checks(&tx, &mut rng, size.rooms, &campus, stamp)?;
    progress("readings");
    seeded.readings = readings(&tx, &mut rng, size.racks, &campus)?;
    progress("indexes");
    for sql in indexes {
        tx.execute_batch(&sql)?;
    }
    progress("search");
    crate::db::search::resume(&tx)?;
    progress("audit");
    audit::install_triggers(&tx)?;
    for (table, before) in first_ids {
        let last = last_id(&tx, table)?;
        if last > before {
            let summary = serde_json::json!({
                "seeded_by": "jifang demo --scale large",
                "first_id": before + 1,
                "last_id": last,
            });
            tx.execute(
                "INSERT INTO audit_log (at, operator, table_name, record_id, action, new_values)
                 VALUES (?1, ?2, ?3, ?4, 'insert', ?5)",
                params![
                    stamp.at_text(),
                    stamp.by,
                    table,
                    before + 1,
                    summary.to_string()
                ],
            )?;
        }
    }
    tx.commit()?;
    Ok(seeded)
}

/// Drop the bulk tables' own indexes and return the statements that make them again. A
/// million rows inserted into a dozen B-trees at random places cost several times what one
/// sorted build of each index costs afterwards. The unique constraints' own indexes stay.
fn set_indexes_aside(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let tables = BULK_TABLES
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let indexes = conn
        .prepare(&format!(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables})"
        ))?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX {}", audit::quoted(name)))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

fn last_id(conn: &Connection, table: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        &format!("SELECT ifnull(max(id), 0) FROM {}", audit::quoted(table)),
        [],
        |r| r.get(0),
    )
}

/// The span of the history and the people in it.
struct Campus {
    start: NaiveDate,
    today: NaiveDate,
    /// The centre's own staff: the first twelve are its maintainers.
    staff: Vec<String>,
    /// Users in the departments, who report faults and borrow tools.
    users: Vec<String>,
}

/// A registered device the repairs can name.
struct Registered {
    id: i64,
    label: String,
    warranty_until: NaiveDate,
    department: String,
}

fn devices(
    conn: &Connection,
    rng: &mut Lcg,
    size: Size,
    campus: &Campus,
) -> rusqlite::Result<Vec<Registered>> {
    let (start, today, staff, users) = (
        campus.start,
        campus.today,
        &campus.staff[..],
        &campus.users[..],
    );
    let weights: usize = KINDS.iter().map(|k| k.count).sum();
    let mut insert = conn.prepare_cached(
        "INSERT INTO devices (asset_tag, name, category, model, manufacturer, serial_no, location,
             department, owner, ip_address, status, purchased_on, warranty_until, supplier,
             ups_protected, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?16,
             ?17)",
    )?;
    let mut event = conn.prepare_cached(
        "INSERT INTO device_events (device_id, kind, effective_on, created_at, created_by,
             updated_at, updated_by)
         VALUES (?1, 'created', ?2, ?3, ?4, ?3, ?4)",
    )?;
    let span = (today - start).num_days() - 30;
    let first_event = last_id(conn, "device_events")?;
    let mut out = Vec::with_capacity(size.devices);
    for n in 0..size.devices {
        let mut pick = rng.below(weights);
        let kind = KINDS
            .iter()
            .find(|k| {
                let here = pick < k.count;
                pick = pick.saturating_sub(k.count);
                here
            })
            .unwrap_or(&KINDS[0]);
        let number = 100_001 + n;
        let tag = format!("JF-{}-{number}", kind.code);
        let name = kind.names[rng.below(kind.names.len())];
        let (make, model) = kind.makes[rng.below(kind.makes.len())];
        let bought = start + Duration::days(rng.below(span as usize) as i64);
        let warranty = bought + Duration::days(365 * 3);
        let department = if kind.in_machine_room {
            DEPARTMENTS[0]
        } else {
            DEPARTMENTS[rng.below(DEPARTMENTS.len())]
        };
        let location = if kind.in_machine_room {
            format!(
                "B{:02} 机房 {}{:02}",
                1 + n % (size.rooms + 1),
                (b'A' + rng.below(8) as u8) as char,
                1 + rng.below(20)
            )
        } else {
            format!(
                "{} {}{:02}",
                OFFICES[rng.below(OFFICES.len())],
                1 + rng.below(6),
                1 + rng.below(40)
            )
        };
        // One address per device, unique: 172.16.0.0/12 holds all of them.
        let ip = kind.subnet.map(|_| {
            format!(
                "172.{}.{}.{}",
                16 + n / 64_516,
                n / 254 % 254 + 1,
                n % 254 + 1
            )
        });
        // Old equipment waits in stock for scrapping; the rest is in use.
        let status = if bought < start + Duration::days(365) && rng.below(4) == 0 {
            "in_stock"
        } else {
            "in_use"
        };
        let by = &staff[rng.below(staff.len())];
        let registered = at(bought, 9 * 60 + rng.below(480) as i64);
        insert.execute(params![
            tag,
            name,
            kind.category.key(),
            model,
            make,
            format!("SN{:010}", rng.below(10_000_000_000)),
            location,
            department,
            users[rng.below(users.len())],
            ip,
            status,
            bought.to_string(),
            warranty.to_string(),
            SUPPLIERS[rng.below(SUPPLIERS.len())],
            kind.in_machine_room as i64,
            text(registered),
            by,
        ])?;
        let id = conn.last_insert_rowid();
        event.execute(params![id, bought.to_string(), text(registered), by])?;
        out.push(Registered {
            id,
            label: format!("{tag} {name}"),
            warranty_until: warranty,
            department: department.to_owned(),
        });
    }
    device_log::open_books(conn, first_event)?;
    Ok(out)
}

/// A million closed tickets, each with its five steps: reported, assessed, repaired, finished,
/// signed off by its reporter; a line in the device's history book when it names one.
fn repairs(
    conn: &Connection,
    rng: &mut Lcg,
    count: usize,
    campus: &Campus,
    devices: &[Registered],
) -> rusqlite::Result<usize> {
    let (start, today, staff, users) = (
        campus.start,
        campus.today,
        &campus.staff[..],
        &campus.users[..],
    );
    use super::repairs::FAULTS;
    let end = today - Duration::days(SMALL_REPAIR_DAYS);
    let minutes = (end - start).num_minutes();
    let maintainers = &staff[..12];
    let mut insert = conn.prepare_cached(
        "INSERT INTO repairs (ticket, year, seq, device_id, device_text, device_status_before,
             under_warranty, reporter, department, reported_at, category, description, priority,
             state, maintainer, estimate_at, assessed_at, started_at, finished_at, closed_at,
             result, parts, cost, charged_department, damaged_part, confirmer_1, confirmer_2,
             confirmed_by, confirmed_at, created_at, created_by, updated_at, updated_by,
             row_version)
         VALUES (?1, ?2, ?3, ?4, ?5, 'in_use', ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'closed', ?13, ?14,
             ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?7, ?18, ?9, ?7, ?18, ?7, 5)",
    )?;
    let first = last_id(conn, "repairs")?;
    let (mut year, mut seq) = (0, 0);
    for n in 0..count {
        // Evenly through the years, in order, so ticket numbers follow the calendar.
        let day = at(start, minutes * n as i64 / count as i64).date();
        let reported = at(day, 8 * 60 + (n % 600) as i64);
        if reported.year() != year {
            (year, seq) = (reported.year(), 0);
        }
        seq += 1;
        let ticket = format!("WX-{year}-{seq:04}");
        let (kind, symptom, fix, part, price) = FAULTS[rng.below(FAULTS.len())];
        let device = (rng.below(10) > 0).then(|| &devices[rng.below(devices.len())]);
        let (device_id, device_text, department) = match device {
            Some(d) => (Some(d.id), d.label.clone(), d.department.clone()),
            None => (
                None,
                format!("{} 投影仪", OFFICES[rng.below(OFFICES.len())]),
                DEPARTMENTS[rng.below(DEPARTMENTS.len())].to_owned(),
            ),
        };
        let warranty = device.map(|d| (d.warranty_until >= reported.date()) as i64);
        let reporter = &users[rng.below(users.len())];
        let maintainer = &maintainers[rng.below(maintainers.len())];
        let priority = ["normal", "normal", "high", "low", "urgent"][rng.below(5)];
        let assessed = reported + Duration::minutes(10 + rng.below(120) as i64);
        let estimate = assessed + Duration::hours(4 + rng.below(68) as i64);
        let started = assessed + Duration::minutes(5 + rng.below(60) as i64);
        // Nine in ten are finished before the estimate.
        let late = rng.below(10) == 0;
        let finished = if late {
            estimate + Duration::hours(1 + rng.below(48) as i64)
        } else {
            started + (estimate - started) * (1 + rng.below(9) as i32) / 10
        };
        let closed = finished + Duration::minutes(30 + rng.below(1440) as i64);
        let cost = if part.is_empty() { 0 } else { price * 100 };
        let second = &maintainers[(rng.below(maintainers.len() - 1) + 1) % maintainers.len()];
        let (confirmer_1, confirmer_2) = if part.is_empty() {
            ("", "")
        } else {
            (maintainer.as_str(), second.as_str())
        };
        insert.execute(params![
            ticket,
            year,
            seq,
            device_id,
            device_text,
            warranty,
            reporter,
            department,
            text(reported),
            kind.key(),
            symptom,
            priority,
            maintainer,
            text(estimate),
            text(assessed),
            text(started),
            text(finished),
            text(closed),
            fix,
            part,
            cost,
            if cost > 0 { department.as_str() } else { "" },
            part,
            confirmer_1,
            confirmer_2,
        ])?;
    }
    steps_and_book(conn, first)?;
    Ok(count)
}

/// Each ticket's five steps and its line in the device's history book, made from the tickets
/// themselves in two statements: six million rows bound one by one were half the run.
fn steps_and_book(conn: &Connection, after: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO repair_events (repair_id, from_state, to_state, note, created_at, created_by,
             updated_at, updated_by)
         SELECT id, from_state, to_state, note, at, by, at, by FROM (
             SELECT r.id, s.n, s.from_state, s.to_state,
                 CASE s.n WHEN 1 THEN r.description
                     WHEN 2 THEN '-> ' || substr(r.estimate_at, 1, 16)
                     WHEN 3 THEN '' WHEN 4 THEN r.result ELSE r.reporter END AS note,
                 CASE s.n WHEN 1 THEN r.reported_at WHEN 2 THEN r.assessed_at
                     WHEN 3 THEN r.started_at WHEN 4 THEN r.finished_at
                     ELSE r.closed_at END AS at,
                 CASE WHEN s.n IN (1, 5) THEN r.reporter ELSE r.maintainer END AS by
             FROM repairs r CROSS JOIN (SELECT column1 AS n, column2 AS from_state,
                 column3 AS to_state FROM (VALUES (1, '', 'reported'),
                 (2, 'reported', 'assessed'), (3, 'assessed', 'in_repair'),
                 (4, 'in_repair', 'awaiting_confirmation'),
                 (5, 'awaiting_confirmation', 'closed'))) s
             WHERE r.id > ?1)
         ORDER BY id",
        [after],
    )?;
    conn.execute(
        "INSERT INTO device_events (device_id, kind, effective_on, reason, created_at,
             created_by, updated_at, updated_by)
         SELECT device_id, 'repair', substr(closed_at, 1, 10), 'repair:' || ticket || ':closed',
             closed_at, reporter, closed_at, reporter
         FROM repairs WHERE id > ?1 AND device_id IS NOT NULL ORDER BY id",
        [after],
    )?;
    Ok(())
}

/// Two thousand tools lent in turn, a million requisitions, every one returned in time and in
/// good order (the small demo's year carries the overdue and damaged stories).
fn loans(
    conn: &Connection,
    rng: &mut Lcg,
    size: Size,
    campus: &Campus,
    stamp: &Stamp,
) -> anyhow::Result<usize> {
    let (start, today, staff, users) = (
        campus.start,
        campus.today,
        &campus.staff[..],
        &campus.users[..],
    );
    use super::tools::{KINDS as TOOL_KINDS, PLACES, PURPOSES};
    let opened = Stamp::new(stamp.by.clone(), at(start, 8 * 60));
    let mut kinds = Vec::new();
    for (kind, days, _, _, _) in TOOL_KINDS {
        kinds.push(tools::ensure_kind(conn, kind, Some(*days), &opened)?);
    }
    let mut tool = conn.prepare_cached(
        "INSERT INTO tools (code, name, kind_id, spec, place, condition, created_at, created_by,
             updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, '完好', ?6, ?7, ?6, ?7)",
    )?;
    let mut shelf: Vec<(i64, u32)> = Vec::with_capacity(size.tools);
    for n in 0..size.tools {
        let k = n % TOOL_KINDS.len();
        let (_, days, name, spec, _) = TOOL_KINDS[k];
        tool.execute(params![
            format!("GJ-{:04}", 1001 + n),
            name,
            kinds[k],
            spec,
            PLACES[n % PLACES.len()],
            opened.at_text(),
            opened.by,
        ])?;
        shelf.push((conn.last_insert_rowid(), days.max(1)));
    }
    let mut loan = conn.prepare_cached(
        "INSERT INTO tool_loans (number, year, seq, borrower, department, external, approver,
             purpose, out_at, condition_out, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'good', ?9, ?10, ?9, ?10)",
    )?;
    let mut item = conn.prepare_cached(
        "INSERT INTO tool_loan_items (loan_id, tool_id, due_on, returned_at, condition_back,
             created_at, created_by, updated_at, updated_by, row_version)
         VALUES (?1, ?2, ?3, ?4, 'good', ?5, ?6, ?4, ?6, 2)",
    )?;
    let end = today - Duration::days(SMALL_REPAIR_DAYS);
    let minutes = (end - start).num_minutes();
    let approver = &staff[0];
    let (mut year, mut seq) = (0, 0);
    for n in 0..size.loans {
        let day = at(start, minutes * n as i64 / size.loans as i64).date();
        let out = at(day, 8 * 60 + (n % 600) as i64);
        if out.year() != year {
            (year, seq) = (out.year(), 0);
        }
        seq += 1;
        let external = rng.below(5) == 0;
        let (borrower, department) = if external {
            (
                &users[rng.below(users.len())],
                DEPARTMENTS[1 + rng.below(DEPARTMENTS.len() - 1)],
            )
        } else {
            (&staff[rng.below(staff.len())], DEPARTMENTS[0])
        };
        let clerk = &staff[12 + rng.below(staff.len() - 12)];
        loan.execute(params![
            format!("LY-{year}-{seq:04}"),
            year,
            seq,
            borrower,
            department,
            external as i64,
            if external { approver.as_str() } else { "" },
            PURPOSES[rng.below(PURPOSES.len())],
            text(out),
            clerk,
        ])?;
        let loan_id = conn.last_insert_rowid();
        let (tool_id, days) = shelf[n % size.tools];
        let due = day + Duration::days(days as i64);
        let back = at(day, 60 * 24 * rng.below(days as usize + 1) as i64 + 16 * 60);
        let back = back.max(out + Duration::hours(1));
        item.execute(params![
            loan_id,
            tool_id,
            due.to_string(),
            text(back),
            text(out),
            clerk
        ])?;
    }
    Ok(size.loans)
}

/// Each room's daily patrol, weekly network inspection and monthly UPS test over ten years,
/// answered, signed, with a failure now and then.
fn checks(
    conn: &Connection,
    rng: &mut Lcg,
    rooms: usize,
    campus: &Campus,
    stamp: &Stamp,
) -> anyhow::Result<usize> {
    let (start, today, staff) = (campus.start, campus.today, &campus.staff[..]);
    use crate::domain::checklist::{ItemKind, Outcome};
    use crate::domain::period::Period;
    let built_in = checklists::list(conn)?;
    for list in &built_in {
        checklists::set_active_from(conn, list.id, start, stamp)?;
    }
    // The built-in UPS test stands for the UPS of the small demo's room, not every UPS of the
    // campus; the bulk history below has no per-device lines (the rooms' copies are per item).
    conn.execute(
        "UPDATE checklist_items SET devices = devices || ';room=机房A'
         WHERE devices <> '' AND retired_at IS NULL",
        [],
    )?;
    // The rooms' copies of the built-in lists.
    for room in 1..=rooms {
        for list in &built_in {
            conn.execute(
                "INSERT INTO checklists (code, name_zh, name_en, period, run_log, position,
                     active_from, weekday, due_window, created_at, created_by, updated_at,
                     updated_by)
                 SELECT code || '-b' || printf('%02d', ?2), name_zh || '（B' || printf('%02d', ?2)
                     || ' 机房）', name_en || ' (room B' || printf('%02d', ?2) || ')', period,
                     run_log, position + ?2 * 10, active_from, weekday, due_window, ?3, ?4, ?3,
                     ?4
                 FROM checklists WHERE id = ?1",
                params![list.id, room as i64, stamp.at_text(), stamp.by],
            )?;
            let copy = conn.last_insert_rowid();
            conn.execute(
                "INSERT INTO checklist_items (checklist_id, position, code, kind, text_zh,
                     text_en, unit_zh, unit_en, min_value, max_value, choices, device_tag,
                     category, created_at, created_by, updated_at, updated_by)
                 SELECT ?2, position, code, kind, text_zh, text_en, unit_zh, unit_en, min_value,
                     max_value, choices, '', category, ?3, ?4, ?3, ?4
                 FROM checklist_items WHERE checklist_id = ?1 AND retired_at IS NULL",
                params![list.id, copy, stamp.at_text(), stamp.by],
            )?;
        }
    }
    let mut run = conn.prepare_cached(
        "INSERT INTO check_runs (checklist_id, period_start, run_log, signed_at, signed_by,
             created_at, created_by, updated_at, updated_by, row_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5, ?4, ?5, 2)",
    )?;
    let mut result = conn.prepare_cached(
        "INSERT INTO check_results (run_id, item_id, position, outcome, value, answered_at,
             answered_by, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7, ?6, ?7)",
    )?;
    let mut added = 0;
    let calendar = WorkCalendar::default();
    for list in checklists::list(conn)? {
        let items: Vec<_> = checklists::items(conn, list.id)?
            .into_iter()
            .filter(|i| i.item.devices.is_none())
            .collect();
        // The built-in lists' last 91 days are the small demo's; the rooms' run to yesterday.
        let end = if built_in.iter().any(|b| b.id == list.id) {
            list.period
                .start_of(today - Duration::days(SMALL_CHECK_DAYS), &calendar)
        } else {
            list.period.start_of(today, &calendar)
        };
        let mut period = list.period.start_of(start, &calendar);
        while period < end {
            if !list.period.runs_on(period, &calendar) {
                period = list.period.next(period, &calendar);
                continue;
            }
            let done_on = match list.schedule.due(period, &calendar) {
                Some(due) => due.day(),
                None => match list.period {
                    Period::Workday | Period::Day => period,
                    Period::Week => period + Duration::days(4),
                    Period::Month | Period::Quarter | Period::Year => period + Duration::days(9),
                    Period::Semester => list.period.last_day(period, &calendar) - Duration::days(7),
                },
            };
            let who = &staff[12 + rng.below(staff.len() - 12)];
            let signed = at(done_on, 17 * 60 + 20 + rng.below(30) as i64);
            let log = if list.run_log {
                format!(
                    "{} 网络运行正常；出口带宽峰值 {}%，无中断。",
                    list.period.label(period),
                    40 + rng.below(45)
                )
            } else {
                String::new()
            };
            run.execute(params![list.id, period.to_string(), log, text(signed), who])?;
            let run_id = conn.last_insert_rowid();
            for (position, item) in items.iter().enumerate() {
                let mut answer = super::checks::fine_answer(&item.item, rng);
                if item.item.kind == ItemKind::PassFail && rng.below(400) == 0 {
                    answer.outcome = Outcome::Fail;
                }
                result.execute(params![
                    run_id,
                    item.id,
                    position as i64 + 1,
                    answer.outcome.key(),
                    answer.value,
                    text(signed),
                    who
                ])?;
                added += 1;
            }
            period = list.period.next(period, &calendar);
        }
    }
    Ok(added)
}

/// Every rack's daily power reading, ten years to yesterday.
fn readings(
    conn: &Connection,
    rng: &mut Lcg,
    racks: usize,
    campus: &Campus,
) -> rusqlite::Result<usize> {
    let (start, today, staff) = (campus.start, campus.today, &campus.staff[..]);
    let opened = text(at(start, 8 * 60));
    let mut metric = conn.prepare_cached(
        "INSERT INTO metrics (name_zh, name_en, group_name, scope, unit, decimals, direction,
             target_max, alert_pct, position, created_at, created_by, updated_at, updated_by)
         VALUES ('机柜功率', 'Rack power', '机柜', ?1, 'kW', 1, 'neutral', 8.0, 30.0, ?2, ?3, ?4,
             ?3, ?4)",
    )?;
    let mut meters = Vec::with_capacity(racks);
    for n in 0..racks {
        let scope = format!(
            "B{:02}-{}{:02}",
            1 + n / 20,
            (b'A' + (n % 20 / 10) as u8) as char,
            1 + n % 10
        );
        metric.execute(params![scope, 100 + n as i64, opened, staff[0]])?;
        meters.push((conn.last_insert_rowid(), 1.5 + rng.below(40) as f64 / 10.0));
    }
    let mut reading = conn.prepare_cached(
        "INSERT INTO readings (metric_id, day, value, created_at, created_by, updated_at,
             updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
    )?;
    let mut added = 0;
    let mut day = start;
    while day < today {
        let day_text = day.to_string();
        let typed = text(at(day + Duration::days(1), 8 * 60 + 40));
        let who = &staff[12 + rng.below(staff.len() - 12)];
        for (id, base) in &meters {
            let value = (base + (rng.below(21) as f64 - 10.0) / 20.0).max(0.1);
            reading.execute(params![
                id,
                day_text,
                (value * 10.0).round() / 10.0,
                typed,
                who
            ])?;
            added += 1;
        }
        day += Duration::days(1);
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    const SMALL: Size = Size {
        devices: 400,
        repairs: 3_000,
        loans: 2_000,
        tools: 60,
        rooms: 1,
        racks: 3,
    };

    fn stamp() -> Stamp {
        Stamp::new(
            "demo",
            NaiveDate::from_ymd_opt(2026, 11, 21)
                .unwrap()
                .and_hms_opt(8, 0, 0)
                .unwrap(),
        )
    }

    fn number(db: &Db, sql: &str) -> i64 {
        db.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn indexes(db: &Db) -> Vec<(String, String)> {
        let mut stmt = db
            .conn()
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn stored_times_read_as_chrono_writes_them() {
        let at = NaiveDate::from_ymd_opt(2016, 3, 5)
            .unwrap()
            .and_hms_opt(9, 7, 2)
            .unwrap();
        assert_eq!(&text(at).0, b"2016-03-05 09:07:02");
        let late = at + Duration::seconds(86_399 + 24 * 3600 * 300);
        assert_eq!(
            std::str::from_utf8(&text(late).0).unwrap(),
            late.format("%Y-%m-%d %H:%M:%S").to_string()
        );
    }

    #[test]
    fn a_file_loaded_beside_another_program_or_alone_keeps_its_write_ahead_log() {
        let tiny = Size {
            devices: 30,
            repairs: 60,
            loans: 30,
            tools: 10,
            rooms: 0,
            racks: 1,
        };
        for beside in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("jifang.sqlite");
            let mut db = Db::open(&path).unwrap();
            let other = beside.then(|| Db::open(&path).unwrap());
            let log = dir.path().join("jifang.sqlite-wal");
            let mut logged = Vec::new();
            let seeded = seed(db.conn_mut(), &stamp(), tiny, &mut |_| {
                logged.push(log.exists())
            })
            .unwrap();
            assert_eq!(seeded.repairs, 60);
            // Alone, the load writes straight into the file; beside another, into the log.
            assert_eq!(logged, vec![beside; 8], "beside: {beside}");
            assert_eq!(
                journal_mode(db.conn(), "").unwrap(),
                "wal",
                "beside: {beside}"
            );
            if let Some(other) = other {
                assert_eq!(other.record_count().unwrap(), db.record_count().unwrap());
            }
            drop(db);
            assert_eq!(Db::open(&path).unwrap().health_problems().unwrap(), vec![]);
        }
    }

    #[test]
    fn ten_years_of_history_are_whole_valid_indexed_and_audited_again() {
        let mut db = Db::open_in_memory().unwrap();
        let before = indexes(&db);
        let mut parts = Vec::new();
        let seeded = seed(db.conn_mut(), &stamp(), SMALL, &mut |p| {
            parts.push(p.to_owned())
        })
        .unwrap();
        assert_eq!(
            (seeded.devices, seeded.repairs, seeded.loans),
            (400, 3_000, 2_000)
        );
        let days = number(&db, "SELECT count(DISTINCT day) FROM readings");
        assert_eq!(seeded.readings as i64, 3 * days);
        assert!(days > 3_600, "ten years of days: {days}");
        assert!(seeded.results > 10_000, "{}", seeded.results);
        assert_eq!(parts.last().map(String::as_str), Some("audit"));
        // Integrity (CHECK constraints included), references and search indexes are all sound.
        assert_eq!(db.health_problems().unwrap(), vec![]);
        // The indexes set aside for the load are all back, as they were.
        assert_eq!(indexes(&db), before);
        // Every ticket has its five steps in order, and its device's book names it.
        assert_eq!(
            number(
                &db,
                "SELECT count(*) FROM repairs r WHERE (SELECT group_concat(to_state, '>')
                     FROM (SELECT to_state FROM repair_events WHERE repair_id = r.id ORDER BY id))
                     IS NOT 'reported>assessed>in_repair>awaiting_confirmation>closed'
                 OR (SELECT note FROM repair_events WHERE repair_id = r.id ORDER BY id LIMIT 1)
                     IS NOT r.description"
            ),
            0
        );
        assert_eq!(
            number(
                &db,
                "SELECT count(*) FROM repairs r WHERE device_id IS NOT NULL AND NOT EXISTS (
                     SELECT 1 FROM device_events e WHERE e.device_id = r.device_id
                     AND e.reason = 'repair:' || r.ticket || ':closed'
                     AND e.effective_on = substr(r.closed_at, 1, 10))"
            ),
            0
        );
        // No tool is ever out twice at once.
        assert_eq!(
            number(
                &db,
                "SELECT count(*) FROM tool_loan_items a JOIN tool_loans la ON la.id = a.loan_id
                 JOIN tool_loan_items b ON b.tool_id = a.tool_id AND b.id > a.id
                 JOIN tool_loans lb ON lb.id = b.loan_id
                 WHERE lb.out_at < a.returned_at AND la.out_at < b.returned_at"
            ),
            0
        );
        // A search finds a bulk ticket by a word of it.
        let ticket: String = db
            .conn()
            .query_row(
                "SELECT ticket FROM repairs ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let found = crate::db::repairs::ListQuery {
            search: ticket.to_lowercase(),
            ..Default::default()
        };
        let now = stamp().at;
        assert_eq!(
            crate::db::repairs::count(db.conn(), &found, now).unwrap(),
            1
        );
        // One audit row per table records the seeding, and changes are audited again.
        assert_eq!(
            number(
                &db,
                "SELECT count(*) FROM audit_log WHERE new_values LIKE '%jifang demo --scale large%'"
            ),
            BULK_TABLES.len() as i64
        );
        let audited = number(&db, "SELECT count(*) FROM audit_log");
        db.conn()
            .execute("UPDATE devices SET owner = '王伟' WHERE id = 1", [])
            .unwrap();
        assert_eq!(number(&db, "SELECT count(*) FROM audit_log"), audited + 1);
        // CHECK constraints and foreign keys hold again for everyone after.
        let bad = db.conn().execute(
            "UPDATE devices SET status = 'lost in space' WHERE id = 1",
            [],
        );
        assert!(bad.is_err());
        let dangling = db.conn().execute(
            "INSERT INTO device_events (device_id, kind, effective_on, reason, created_at,
                 created_by, updated_at, updated_by)
             VALUES (999999999, 'repair', '2026-01-01', 'x', 'x', 'x', 'x', 'x')",
            [],
        );
        assert!(
            dangling.is_err_and(|e| e.to_string().contains("FOREIGN KEY")),
            "foreign keys are on again"
        );
        // The small demo's year goes on top, and a second seeding adds nothing.
        crate::db::demo::fill(db.conn_mut(), &stamp()).unwrap();
        let again = seed(db.conn_mut(), &stamp(), SMALL, &mut |_| {}).unwrap();
        assert_eq!(again, Seeded::default());
        assert_eq!(db.health_problems().unwrap(), vec![]);
    }
}
