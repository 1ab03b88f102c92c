//! The work calendar as a file: the year's holidays and make-up working days from the official
//! notice, and semester dates, imported whole or not at all with every problem by line and
//! column, and listed.

use std::collections::HashMap;

use rusqlite::Connection;

use super::sheet::{FileIssue, Sheet, Texts};
use super::table::Column;
use crate::db::Stamp;
use crate::db::calendar::{self, MarkedDay};
use crate::domain::calendar::DayKind;
use crate::domain::reading::parse_day;
use crate::i18n::Lang;

pub const CALENDAR_COLUMNS: &[Column] = &[("date", "日期"), ("kind", "类型"), ("name", "名称")];

const REQUIRED: &[&str] = &["date", "kind"];

/// What is wrong with a calendar file or one of its rows.
#[derive(Debug)]
pub enum Issue {
    File(FileIssue),
    Db(String),
    BadDate,
    UnknownKind,
    /// The same day of the same kind, or a holiday and a working day on one day, on an
    /// earlier line.
    Repeated {
        first_line: u64,
    },
}

pub type Problem = super::sheet::Problem<Issue>;

const TEXTS: Texts = Texts {
    empty: "calendar_import.empty",
    missing_column: "calendar_import.missing_column",
};

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let reason = match &self.issue {
            Issue::File(issue) => return issue.message(CALENDAR_COLUMNS, &TEXTS, lang),
            Issue::Db(reason) => return lang.tf("error.db_write", &[("reason", reason)]),
            Issue::BadDate => lang.t("calendar_import.bad_date").to_owned(),
            Issue::UnknownKind => lang.t("calendar_import.unknown_kind").to_owned(),
            Issue::Repeated { first_line } => {
                lang.tf("calendar_import.repeated", &[("line", first_line)])
            }
        };
        self.located(CALENDAR_COLUMNS, &reason, lang)
    }
}

/// What an import would do: the days it marks, and how many the calendar already has so.
#[derive(Debug, Default)]
pub struct Plan {
    pub days: Vec<MarkedDay>,
    pub unchanged: usize,
}

/// Read and check a whole file: every problem, in file order.
pub fn plan(conn: &Connection, bytes: &[u8]) -> Result<Plan, Vec<Problem>> {
    let keys: Vec<&str> = CALENDAR_COLUMNS.iter().map(|(key, _)| *key).collect();
    let sheet = Sheet::read(bytes, CALENDAR_COLUMNS, &keys, REQUIRED)
        .map_err(|e| vec![Problem::whole_file(Issue::File(e))])?;
    let existing = calendar::marked(conn, None)
        .map_err(|e| vec![Problem::whole_file(Issue::Db(e.to_string()))])?;
    let mut plan = Plan::default();
    let mut seen: HashMap<(chrono::NaiveDate, DayKind), u64> = HashMap::new();
    sheet.check(|row| {
        let day = parse_day(&row.cell("date"));
        let kind = DayKind::parse(&row.cell("kind"));
        if day.is_none() {
            row.fail("date", Issue::BadDate);
        }
        if kind.is_none() {
            row.fail("kind", Issue::UnknownKind);
        }
        let (Some(day), Some(kind)) = (day, kind) else {
            return Ok(());
        };
        // A day is a holiday or a working day, not both; a semester mark once each.
        let class = match kind {
            DayKind::Holiday | DayKind::Workday => DayKind::Holiday,
            other => other,
        };
        if let Some(&first_line) = seen.get(&(day, class)) {
            row.fail("date", Issue::Repeated { first_line });
            return Ok(());
        }
        seen.insert((day, class), row.line);
        let marked = MarkedDay {
            day,
            kind,
            name: row.cell("name"),
        };
        if existing.contains(&marked) {
            plan.unchanged += 1;
        } else {
            plan.days.push(marked);
        }
        Ok(())
    })?;
    Ok(plan)
}

/// Write a plan in one transaction: all of it, or none. How many days were marked.
pub fn apply(conn: &mut Connection, plan: &Plan, stamp: &Stamp) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    for day in &plan.days {
        calendar::mark(&tx, day, stamp)?;
    }
    tx.commit()?;
    Ok(plan.days.len())
}

/// The marked days as a table's rows: date, weekday, kind, name.
pub fn rows(days: &[MarkedDay], lang: Lang) -> Vec<[String; 4]> {
    days.iter()
        .map(|d| {
            [
                d.day.to_string(),
                lang.t(&format!(
                    "weekday.{}",
                    chrono::Datelike::weekday(&d.day).num_days_from_monday()
                ))
                .to_owned(),
                lang.t(d.kind.label_key()).to_owned(),
                d.name.clone(),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn import(db: &mut Db, text: &str) -> Result<usize, Vec<String>> {
        let plan = plan(db.conn(), text.as_bytes())
            .map_err(|ps| ps.iter().map(|p| p.message(Lang::En)).collect::<Vec<_>>())?;
        let stamp = Stamp::at("王磊", "2026-09-01 09:00:00");
        Ok(apply(db.conn_mut(), &plan, &stamp).unwrap())
    }

    #[test]
    fn the_notice_is_imported_whole_in_chinese_and_every_problem_is_named() {
        let mut db = Db::open_in_memory().unwrap();
        let bad = "date,kind,name\r\n2026-10-01,holiday,国庆节\r\n2026-13-01,holiday,x\r\n\
                   2026-10-10,vacation,x\r\n2026-10-01,workday,国庆调休\r\n";
        let problems = import(&mut db, bad).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("line 3"), "{problems:?}");
        assert!(
            problems[1].contains("line 4") && problems[1].contains("kind"),
            "{problems:?}"
        );
        assert!(
            problems[2].contains("line 5") && problems[2].contains("line 2"),
            "{problems:?}"
        );
        assert!(
            calendar::marked(db.conn(), None).unwrap().is_empty(),
            "nothing written"
        );
        let good = "日期,类型,名称\n2026-10-01,放假,国庆节\n2026-10-02,放假,国庆节\n\
                    2026-10-10,调休,国庆调休\n2026-09-01,开学,秋季学期\n";
        assert_eq!(import(&mut db, good), Ok(4));
        assert_eq!(
            import(&mut db, good),
            Ok(0),
            "the same file again changes nothing"
        );
        let work = calendar::work_calendar(db.conn()).unwrap();
        assert!(!work.is_working("2026-10-02".parse().unwrap()));
        assert!(work.is_working("2026-10-10".parse().unwrap()));
    }
}
