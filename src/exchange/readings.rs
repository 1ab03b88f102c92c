//! Daily data as files: the comparison table as CSV and JSON, and the readings import
//! (`date, metric, scope, value`), checked in full before anything is written in one
//! transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::sheet::{FileIssue, Sheet, Texts};
use super::table::{self, Column};
use crate::db::Stamp;
use crate::db::readings::{self, CompareRow, Metric, ReadingError, Saved};
use crate::domain::reading::{
    Base, NO_VALUE, Status, delta_text, parse_day, parse_number, round, value_text,
};
use crate::i18n::Lang;

/// The comparison table of one day.
pub const COMPARE_COLUMNS: &[Column] = &[
    ("day", "日期"),
    ("group", "分组"),
    ("scope", "范围"),
    ("metric", "指标"),
    ("unit", "单位"),
    ("base", "对比基准"),
    ("base_value", "基准值"),
    ("value", "当日值"),
    ("delta", "变化"),
    ("delta_pct", "变化率%"),
    ("target", "目标"),
    ("status", "状态"),
    ("flagged", "超预警"),
];

fn is_number(column: &str) -> bool {
    matches!(column, "base_value" | "value" | "delta" | "delta_pct")
}

/// One row's cells: numbers plain (no sign, no `%`) so a spreadsheet reads them as numbers;
/// a missing value or percentage is an empty cell, never 0.
pub fn compare_cells(row: &CompareRow, day: NaiveDate, base: Base, lang: Lang) -> Vec<String> {
    let m = &row.metric;
    let c = &row.comparison;
    let number = |v: Option<f64>| v.map(|v| value_text(v, m.decimals)).unwrap_or_default();
    let change = c.change;
    vec![
        day.to_string(),
        m.group.clone(),
        m.scope.clone(),
        m.name(lang).to_owned(),
        m.unit.clone(),
        lang.t(base.label_key()).to_owned(),
        number(c.base),
        number(c.value),
        number(change.map(|c| c.delta)),
        change
            .and_then(|c| c.pct)
            .map(|p| format!("{:.1}", round(p, 1)))
            .unwrap_or_default(),
        m.target.text(),
        lang.t(c.status.label_key()).to_owned(),
        lang.t(if c.flagged { "answer.yes" } else { "answer.no" })
            .to_owned(),
    ]
}

pub fn compare_csv(rows: &[CompareRow], day: NaiveDate, base: Base, lang: Lang) -> Vec<u8> {
    days_csv(rows.iter().map(|r| (day, r)), base, lang)
}

/// Rows of several days in the comparison's columns: the month report's daily figures.
pub fn days_csv<'a>(
    rows: impl IntoIterator<Item = (NaiveDate, &'a CompareRow)>,
    base: Base,
    lang: Lang,
) -> Vec<u8> {
    table::csv(
        COMPARE_COLUMNS,
        rows.into_iter()
            .map(|(day, r)| compare_cells(r, day, base, lang)),
        is_number,
        lang,
    )
}

/// The stable key of a status, for JSON.
fn status_key(status: Status) -> &'static str {
    status
        .label_key()
        .strip_prefix("reading_status.")
        .unwrap_or("missing")
}

pub fn compare_json(rows: &[CompareRow], day: NaiveDate, base: Base, lang: Lang) -> String {
    table::json(
        COMPARE_COLUMNS,
        rows,
        |r| compare_cells(r, day, base, lang),
        |r, key| {
            let c = &r.comparison;
            let d = r.metric.decimals;
            let number = |v: Option<f64>| serde_json::json!(v.map(|v| round(v, d)));
            Some(match key {
                "base" => serde_json::json!(base.key()),
                "base_value" => number(c.base),
                "value" => number(c.value),
                "delta" => number(c.change.map(|c| c.delta)),
                "delta_pct" => {
                    serde_json::json!(c.change.and_then(|c| c.pct).map(|p| round(p, 1)))
                }
                "status" => serde_json::json!(status_key(c.status)),
                "flagged" => serde_json::json!(c.flagged),
                _ => return None,
            })
        },
    )
}

/// The table line of a row for the terminal: the change with its sign, the percentage with
/// `%`, a dash where there is none.
pub fn change_texts(row: &CompareRow) -> (String, String) {
    let dash = || NO_VALUE.to_owned();
    match row.comparison.change {
        None => (dash(), dash()),
        Some(c) => (
            delta_text(c.delta, row.metric.decimals),
            c.pct.map_or_else(dash, crate::domain::reading::pct_text),
        ),
    }
}

/// The columns of a readings file.
pub const READING_COLUMNS: &[Column] = &[
    ("date", "日期"),
    ("metric", "指标"),
    ("scope", "范围"),
    ("value", "数值"),
];

/// What is wrong with a readings file or one of its rows.
#[derive(Debug)]
pub enum Issue {
    File(FileIssue),
    BadDate,
    FutureDate,
    UnknownMetric { scope: String },
    BadValue,
    Repeated { first_line: u64 },
    Db(String),
}

const TEXTS: Texts = Texts {
    empty: "reading_import.empty",
    missing_column: "reading_import.missing_column",
};

/// A problem of this import, with where it was found.
pub type Problem = super::sheet::Problem<Issue>;

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let reason = match &self.issue {
            Issue::File(issue) => return issue.message(READING_COLUMNS, &TEXTS, lang),
            Issue::Db(reason) => return lang.tf("error.db_write", &[("reason", reason)]),
            Issue::BadDate => lang.t("reading_import.bad_date").to_owned(),
            Issue::FutureDate => lang.t("reading_import.future_date").to_owned(),
            Issue::UnknownMetric { scope } => {
                lang.tf("reading_import.unknown_metric", &[("scope", scope)])
            }
            Issue::BadValue => lang.tf("metric_error.bad_value", &[("value", &self.value)]),
            Issue::Repeated { first_line } => {
                lang.tf("reading_import.repeated", &[("line", first_line)])
            }
        };
        self.located(READING_COLUMNS, &reason, lang)
    }
}

/// The values a file holds, checked: (line, metric id, day, value).
#[derive(Debug, Default)]
pub struct Plan {
    pub values: Vec<(u64, i64, NaiveDate, f64)>,
}

/// What applying a plan did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub added: usize,
    pub corrected: usize,
    pub unchanged: usize,
}

/// Read and check a whole file against the metrics in use: every problem, in file order.
pub fn plan(conn: &Connection, bytes: &[u8], today: NaiveDate) -> Result<Plan, Vec<Problem>> {
    // Scope may be left out when every metric of the file has none (the machine-room set).
    const READ: [&str; 4] = ["date", "metric", "scope", "value"];
    let sheet = Sheet::read(bytes, READING_COLUMNS, &READ, &["date", "metric", "value"])
        .map_err(|e| vec![Problem::whole_file(Issue::File(e))])?;
    let mut plan = Plan::default();
    let mut seen: HashMap<(i64, NaiveDate), u64> = HashMap::new();
    let mut known: HashMap<(String, String), Option<Metric>> = HashMap::new();
    sheet.check(|row| {
        let line = row.line;
        let day = match parse_day(&row.cell("date")) {
            None => {
                row.fail("date", Issue::BadDate);
                None
            }
            Some(d) if d > today => {
                row.fail("date", Issue::FutureDate);
                None
            }
            Some(d) => Some(d),
        };
        let (name, scope) = (row.cell("metric"), row.cell("scope"));
        let key = (name.to_lowercase(), scope.to_lowercase());
        let metric = match known.get(&key) {
            Some(m) => m.clone(),
            None => {
                let found = readings::find_metric(conn, &name, &scope)
                    .map_err(|e| row.fatal("metric", Issue::Db(e.to_string())))?;
                known.insert(key, found.clone());
                found
            }
        };
        if metric.is_none() {
            row.fail("metric", Issue::UnknownMetric { scope });
        }
        let value = parse_number(&row.cell("value"));
        if value.is_none() {
            row.fail("value", Issue::BadValue);
        }
        let (Some(day), Some(metric), Some(value)) = (day, metric, value) else {
            return Ok(());
        };
        if let Some(first_line) = seen.get(&(metric.id, day)) {
            let first_line = *first_line;
            row.fail("date", Issue::Repeated { first_line });
            return Ok(());
        }
        seen.insert((metric.id, day), line);
        plan.values
            .push((line, metric.id, day, round(value, metric.decimals)));
        Ok(())
    })?;
    Ok(plan)
}

/// Write every value of a plan in one transaction: all of them, or (on any error) none. A
/// value that differs from one already entered is a correction, recorded as such.
pub fn apply(
    conn: &mut Connection,
    plan: &Plan,
    today: NaiveDate,
    stamp: &Stamp,
) -> Result<Applied, ReadingError> {
    let tx = conn.transaction()?;
    let mut applied = Applied::default();
    for (_, metric, day, value) in &plan.values {
        match readings::set_reading(&tx, *metric, *day, Some(*value), today, stamp)? {
            Saved::Added => applied.added += 1,
            Saved::Corrected => applied.corrected += 1,
            Saved::Unchanged | Saved::Cleared => applied.unchanged += 1,
        }
    }
    tx.commit()?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn import(db: &mut Db, text: &[u8]) -> Result<Applied, Vec<String>> {
        let plan = plan(db.conn(), text, today())
            .map_err(|p| p.iter().map(|p| p.message(Lang::En)).collect::<Vec<_>>())?;
        let stamp = Stamp::new("张三", today().and_hms_opt(9, 0, 0).unwrap());
        Ok(apply(db.conn_mut(), &plan, today(), &stamp).unwrap())
    }

    #[test]
    fn a_gbk_file_with_chinese_headers_and_excel_dates_loads_and_reloads_as_corrections() {
        let mut db = Db::open_in_memory().unwrap();
        let text = "日期,指标,范围,数值\n\
                    2026/11/19,PV,官网,1200\n\
                    2026/11/20,pv,官网,1350\n\
                    2026-11-20,机房温度,,23.46\n\
                    2026-11-20,Organic rank,官网,7\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let done = import(&mut db, &gbk).unwrap();
        assert_eq!((done.added, done.corrected, done.unchanged), (4, 0, 0));
        let rows = readings::compare_day(
            db.conn(),
            today() - chrono::Duration::days(1),
            Base::PreviousDay,
        )
        .unwrap();
        let pv = rows.iter().find(|r| r.metric.name_en == "PV").unwrap();
        assert_eq!(change_texts(pv), ("+150".to_owned(), "+12.5%".to_owned()));
        let t = rows
            .iter()
            .find(|r| r.metric.name_zh == "机房温度")
            .unwrap();
        assert_eq!(
            t.comparison.value,
            Some(23.5),
            "rounded to the metric's one place"
        );
        // The same file again changes nothing; a changed figure is a correction.
        assert_eq!(import(&mut db, &gbk).unwrap().unchanged, 4);
        let again = import(
            &mut db,
            "date,metric,value\n2026-11-20,机房温度,24\n".as_bytes(),
        );
        assert_eq!(again.unwrap().corrected, 1);
    }

    #[test]
    fn one_bad_row_refuses_the_whole_file_with_every_problem_named() {
        let mut db = Db::open_in_memory().unwrap();
        let text = "date,metric,scope,value\n\
                    2026-11-20,PV,官网,1200\n\
                    2026-02-30,PV,官网,1\n\
                    2026-11-19,Visitors,官网,5\n\
                    2026-11-19,IP,官网,１２\n\
                    2026-11-22,IP,官网,3\n\
                    2026-11-20,pv,官网,1300\n\
                    2026-11-18,IP,官网,NaN\n";
        let problems = import(&mut db, text.as_bytes()).unwrap_err();
        assert_eq!(problems.len(), 6, "{problems:#?}");
        assert!(
            problems[0].starts_with("line 3, date \"2026-02-30\""),
            "{}",
            problems[0]
        );
        assert!(
            problems[1].contains("line 4, metric \"Visitors\""),
            "{}",
            problems[1]
        );
        assert!(problems[2].contains("line 5, value"), "{}", problems[2]);
        assert!(problems[3].contains("line 6, date"), "{}", problems[3]);
        assert!(problems[4].contains("line 7") && problems[4].contains("line 2"));
        assert!(
            problems[5].contains("line 8, value \"NaN\""),
            "{}",
            problems[5]
        );
        let stored =
            readings::values_between(db.conn(), today() - chrono::Duration::days(30), today());
        assert!(
            stored.unwrap().is_empty(),
            "nothing of the refused file was written"
        );
        let missing = import(&mut db, b"date,metric\n2026-11-20,PV\n").unwrap_err();
        assert!(missing[0].contains("value"), "{missing:?}");
        let unknown = import(&mut db, b"date,metric,value,note\n").unwrap_err();
        assert!(unknown[0].contains("note"), "{unknown:?}");
    }
}
