//! `jifang demo`: a realistic data set (Chinese names, departments, roles) for trying things out.

mod checks;
mod devices;
pub mod large;
mod readings;
mod repairs;
mod tools;

use rusqlite::Connection;

use crate::db::Stamp;
use crate::db::directory::{self, Role};

/// The name demo rows are created by.
pub const AUTHOR: &str = "demo";

/// Departments of a typical school or company information centre's users. The first is the
/// centre itself: its staff are internal borrowers and maintainers.
const DEPARTMENTS: &[&str] = &[
    "信息中心",
    "办公室",
    "财务部",
    "人事部",
    "教务处",
    "学生处",
    "后勤处",
    "图书馆",
    "招生办",
    "保卫处",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀兰", "霞", "平", "刚", "建华", "晓东", "海燕", "志强", "丽娟", "文博", "雪梅", "俊杰",
    "子涵", "宇航", "欣怡",
];

/// The centre's own staff and what they sign for (roles named in the regulations): the first
/// network administrator also keeps the accounts, the second is on the duty roster too.
const CENTRE_ROLES: &[&[Role]] = &[
    &[Role::Director],
    &[Role::Deputy],
    &[Role::Supervisor],
    &[Role::NetworkAdmin, Role::Admin],
    &[Role::NetworkAdmin, Role::Duty],
    &[Role::Maintainer],
    &[Role::Maintainer],
    &[Role::Maintainer],
    &[Role::Duty],
    &[Role::Duty],
];

/// What `jifang demo` added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Added {
    pub departments: usize,
    pub people: usize,
    pub devices: usize,
    pub runs: usize,
    pub repairs: usize,
    pub tools: usize,
    pub loans: usize,
    pub readings: usize,
}

/// Write the demo data set in one transaction. Running it again adds nothing twice: rows are
/// matched on their natural keys (department name; person name within a department).
pub fn fill(conn: &mut Connection, stamp: &Stamp) -> anyhow::Result<Added> {
    let tx = conn.transaction()?;
    let mut rng = Lcg(20261121);
    let mut added = Added::default();
    let (departments_before, _) = directory::counts(&tx)?;
    for (i, name) in DEPARTMENTS.iter().enumerate() {
        let dept = directory::ensure_department(&tx, name, i == 0, stamp)?;
        let roles: Vec<&[Role]> = if i == 0 {
            CENTRE_ROLES.to_vec()
        } else {
            // Each user department: a head who approves, and a few responsible persons.
            let mut r: Vec<&[Role]> = vec![&[Role::DepartmentHead]];
            r.extend(std::iter::repeat_n(&[][..], 2 + rng.below(4)));
            r
        };
        for role in roles {
            let name = format!(
                "{}{}",
                SURNAMES[rng.below(SURNAMES.len())],
                GIVEN[rng.below(GIVEN.len())]
            );
            let phone = format!(
                "1{}{:09}",
                [3, 5, 8][rng.below(3)],
                rng.below(1_000_000_000)
            );
            if directory::ensure_person(&tx, &name, dept, role, Some(&phone), stamp)? {
                added.people += 1;
            }
        }
    }
    added.departments = (directory::counts(&tx)?.0 - departments_before) as usize;
    added.devices = devices::fill(&tx, &mut rng, stamp)?;
    added.runs = checks::fill(&tx, &mut rng, stamp.at.date(), stamp)?.runs;
    added.repairs = repairs::fill(&tx, &mut rng, stamp.at.date())
        .map_err(|e| anyhow::anyhow!("the demo data was refused: {e:?}"))?;
    let filled = tools::fill(&tx, &mut rng, stamp.at.date())
        .map_err(|e| anyhow::anyhow!("the demo data was refused: {e:?}"))?;
    added.tools = filled.tools;
    added.loans = filled.loans;
    added.readings = readings::fill(&tx, &mut rng, stamp.at.date())
        .map_err(|e| anyhow::anyhow!("the demo data was refused: {e:?}"))?;
    tx.commit()?;
    Ok(added)
}

/// A small fixed-seed generator: the demo is the same on every machine, so screenshots and
/// bug reports made on it agree.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn stamp() -> Stamp {
        Stamp::new(
            "demo",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
                .unwrap()
                .and_hms_opt(8, 0, 0)
                .unwrap(),
        )
    }

    #[test]
    fn demo_fills_departments_and_people_once() {
        let mut db = Db::open_in_memory().unwrap();
        let first = fill(db.conn_mut(), &stamp()).unwrap();
        assert_eq!(first.departments, DEPARTMENTS.len());
        assert!(first.people >= 35, "only {} people", first.people);
        assert!(first.devices >= 300, "only {} devices", first.devices);
        let again = fill(db.conn_mut(), &stamp()).unwrap();
        assert_eq!(again, Added::default(), "a second run duplicated rows");
        let centre_director: i64 = db
            .conn()
            .query_row(
                "SELECT count(*) FROM people p JOIN departments d ON d.id = p.department_id
                 WHERE d.is_centre = 1 AND p.roles = 'director'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(centre_director, 1);
        // The loans said are the loans the Tools tab counts: one per tool lent.
        let lent: i64 = db
            .conn()
            .query_row("SELECT count(*) FROM tool_loan_items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(first.loans as i64, lent);
        assert!(db.health_problems().unwrap().is_empty());
        // Three months of inspections: one missed week, a few failures, this week half done.
        // The daily patrol on working days only: some 65 of them, 13 weeks, 3 months.
        assert!(first.runs > 75, "only {} runs", first.runs);
        let today = stamp().at.date();
        let missed = crate::db::check_runs::missed(db.conn(), today).unwrap();
        assert_eq!(missed.len(), 1);
        assert_eq!(
            missed[0].checklist.period,
            crate::domain::period::Period::Week
        );
        let due = crate::db::check_runs::due(db.conn(), today).unwrap();
        let week = due
            .iter()
            .find(|d| d.checklist.period == crate::domain::period::Period::Week)
            .unwrap();
        assert_eq!((week.answered(), week.total()), (5, 11));
        let from = today - chrono::Duration::days(120);
        let failed = crate::db::check_runs::failures_since(db.conn(), from).unwrap();
        assert!((3..=20).contains(&failed), "{failed} failures");
        // Sixty tools, a year of loans, three overdue today, one damaged and paid for.
        assert_eq!(first.tools, 60);
        assert!(first.loans > 200, "only {} loans", first.loans);
        let conn = db.conn();
        assert_eq!(crate::db::tools::overdue_count(conn, today).unwrap(), 3);
        let paid = crate::db::tools::LoanQuery::default();
        let rows = crate::db::tools::matching_loans(conn, &paid, today).unwrap();
        let liabilities: Vec<_> = rows.iter().filter_map(|r| r.liability.as_ref()).collect();
        assert_eq!(liabilities.len(), 1);
        assert!(liabilities[0].settled_at.is_some());
        assert!(rows.iter().any(|r| r.external && !r.approver.is_empty()));
        // 120 days of daily data: yesterday complete, a forgotten entry three days ago, the
        // PV typed wrong and corrected, the air conditioner's bad night flagged.
        assert!(first.readings > 1900, "only {} readings", first.readings);
        let yesterday = today - chrono::Duration::days(1);
        assert_eq!(crate::db::readings::missing_on(conn, yesterday).unwrap(), 0);
        let gaps = crate::db::readings::gaps(conn, yesterday, 14).unwrap();
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert_eq!((gaps[0].missing, gaps[0].expected), (2, 17));
        let pv = crate::db::readings::find_metric(conn, "PV", "官网")
            .unwrap()
            .unwrap();
        let book = crate::db::readings::corrections(conn, pv.id, yesterday).unwrap();
        assert_eq!(book.len(), 1);
        let hot = today - chrono::Duration::days(9);
        let base = crate::domain::reading::Base::PreviousDay;
        let rows = crate::db::readings::compare_day(conn, hot, base).unwrap();
        let t = rows
            .iter()
            .find(|r| r.metric.name_en == "Room temperature")
            .unwrap();
        assert!(t.comparison.flagged, "{t:?}");
    }
}
