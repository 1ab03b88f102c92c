//! Tools as files: the inventory list and the requisition rows (工具领用表) as CSV and JSON, and
//! the inventory import, checked in full before anything is written in one transaction.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use super::sheet::{FileIssue, Sheet, Texts};
use super::table::{self, Column};
use crate::db::Stamp;
use crate::db::tools::{self, LoanRow, Tool, ToolError, ToolInput};
use crate::domain::repair::money_text;
use crate::domain::tool::{Condition, ToolStatus, parse_loan_days};
use crate::i18n::Lang;

/// The tool list: what each tool is, where it is kept, and who holds it until when.
pub const TOOL_COLUMNS: &[Column] = &[
    ("code", "工具编号"),
    ("name", "名称"),
    ("kind", "种类"),
    ("spec", "规格型号"),
    ("place", "存放位置"),
    ("condition", "状况"),
    ("status", "状态"),
    ("loan_days", "借期天数"),
    ("holder", "借用人"),
    ("department", "借用部门"),
    ("due_on", "应还日期"),
    ("days_overdue", "逾期天数"),
];

/// The requisition rows (工具领用表): one per tool lent.
pub const LOAN_COLUMNS: &[Column] = &[
    ("number", "领用单号"),
    ("out_at", "领用时间"),
    ("code", "工具编号"),
    ("tool", "工具名称"),
    ("spec", "规格型号"),
    ("borrower", "领用人"),
    ("department", "部门"),
    ("borrower_type", "借用类型"),
    ("approver", "批准人"),
    ("purpose", "用途"),
    ("condition_out", "领出状况"),
    ("due_on", "应还日期"),
    ("returned_at", "归还时间"),
    ("condition_back", "归还状况"),
    ("return_note", "归还说明"),
    ("days_overdue", "逾期天数"),
    ("liable_person", "责任人"),
    ("amount", "赔偿金额"),
    ("settled", "是否结清"),
    ("repair", "维修工单"),
];

fn is_number(column: &str) -> bool {
    matches!(column, "loan_days" | "days_overdue" | "amount")
}

fn minute(at: Option<NaiveDateTime>) -> String {
    at.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

pub fn tool_cells(t: &Tool, today: NaiveDate, lang: Lang) -> Vec<String> {
    let h = t.holder.as_ref();
    let late = h.map_or(0, |h| crate::domain::tool::days_overdue(h.due_on, today));
    vec![
        t.code.clone(),
        t.name.clone(),
        t.kind.clone(),
        t.spec.clone(),
        t.place.clone(),
        t.condition.clone(),
        lang.t(t.status.label_key()).to_owned(),
        t.loan_days.to_string(),
        h.map_or(String::new(), |h| h.borrower.clone()),
        h.map_or(String::new(), |h| h.department.clone()),
        h.map_or(String::new(), |h| h.due_on.to_string()),
        if h.is_some() {
            late.to_string()
        } else {
            String::new()
        },
    ]
}

pub fn tools_csv(list: &[Tool], today: NaiveDate, lang: Lang) -> Vec<u8> {
    let rows = list.iter().map(|t| tool_cells(t, today, lang));
    table::csv(TOOL_COLUMNS, rows, is_number, lang)
}

pub fn tools_json(list: &[Tool], today: NaiveDate, lang: Lang) -> String {
    table::json(
        TOOL_COLUMNS,
        list,
        |t| tool_cells(t, today, lang),
        |t, key| {
            let h = t.holder.as_ref();
            Some(match key {
                "status" => serde_json::json!(t.status.key()),
                "loan_days" => serde_json::json!(t.loan_days),
                "holder" | "department" | "due_on" if h.is_none() => serde_json::Value::Null,
                "days_overdue" => {
                    serde_json::json!(h.map(|h| crate::domain::tool::days_overdue(h.due_on, today)))
                }
                _ => return None,
            })
        },
    )
}

pub fn loan_cells(r: &LoanRow, today: NaiveDate, lang: Lang) -> Vec<String> {
    let yes_no = |b: bool| {
        lang.t(if b { "answer.yes" } else { "answer.no" })
            .to_owned()
    };
    let b = r.liability.as_ref();
    vec![
        r.number.clone(),
        minute(Some(r.out_at)),
        r.code.clone(),
        r.tool_name.clone(),
        r.spec.clone(),
        r.borrower.clone(),
        r.department.clone(),
        lang.t(if r.external {
            "tool_form.external"
        } else {
            "tool_form.internal"
        })
        .to_owned(),
        r.approver.clone(),
        r.purpose.clone(),
        lang.stored_word(&r.condition_out, &Condition::WORDS)
            .into_owned(),
        r.due_on.to_string(),
        minute(r.returned_at),
        r.condition_back
            .map_or(String::new(), |c| lang.t(c.label_key()).to_owned()),
        r.return_note.clone(),
        r.days_overdue(today).to_string(),
        b.map_or(String::new(), |b| b.liable_person.clone()),
        b.map_or(String::new(), |b| money_text(b.amount)),
        b.map_or(String::new(), |b| yes_no(b.settled_at.is_some())),
        b.and_then(|b| b.repair_ticket.clone()).unwrap_or_default(),
    ]
}

pub fn loans_csv(rows: &[LoanRow], today: NaiveDate, lang: Lang) -> Vec<u8> {
    let cells = rows.iter().map(|r| loan_cells(r, today, lang));
    table::csv(LOAN_COLUMNS, cells, is_number, lang)
}

pub fn loans_json(rows: &[LoanRow], today: NaiveDate, lang: Lang) -> String {
    table::json(
        LOAN_COLUMNS,
        rows,
        |r| loan_cells(r, today, lang),
        |r, key| {
            let b = r.liability.as_ref();
            Some(match key {
                "borrower_type" => {
                    serde_json::json!(if r.external { "external" } else { "internal" })
                }
                "condition_back" => serde_json::json!(r.condition_back.map(|c| c.key())),
                "condition_out" => serde_json::json!(
                    Lang::key_of(&r.condition_out, &Condition::WORDS).unwrap_or(&r.condition_out)
                ),
                "returned_at" if r.returned_at.is_none() => serde_json::Value::Null,
                "days_overdue" => serde_json::json!(r.days_overdue(today)),
                "amount" => serde_json::json!(b.map(|b| b.amount as f64 / 100.0)),
                "settled" => serde_json::json!(b.map(|b| b.settled_at.is_some())),
                "liable_person" | "repair" if b.is_none() => serde_json::Value::Null,
                _ => return None,
            })
        },
    )
}

/// The columns an import reads; the list's other columns (holder, due date) are what lending
/// sets, and are skipped so an exported list imports again.
const IMPORTED: &[&str] = &[
    "code",
    "name",
    "kind",
    "spec",
    "place",
    "condition",
    "status",
    "loan_days",
];
const REQUIRED: &[&str] = &["code", "name", "kind"];

/// What is wrong with an import file or one of its rows.
#[derive(Debug)]
pub enum Issue {
    File(FileIssue),
    Db(String),
    Tool(ToolError),
    BadStatus,
    BadLoanDays,
    RepeatedCode {
        first_line: u64,
    },
    /// The same kind with another loan period on an earlier line.
    KindDays {
        first_line: u64,
    },
}

/// A problem of this import, with where it was found.
pub type Problem = super::sheet::Problem<Issue>;

const TEXTS: Texts = Texts {
    empty: "tool_import.empty",
    missing_column: "tool_import.missing_column",
};

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let reason = match &self.issue {
            Issue::File(issue) => return issue.message(TOOL_COLUMNS, &TEXTS, lang),
            Issue::Db(reason) => return lang.tf("error.db_write", &[("reason", reason)]),
            Issue::Tool(e) => e.message(lang),
            Issue::BadStatus => lang.t("tool_import.bad_status").to_owned(),
            Issue::BadLoanDays => lang.t("tool_error.bad_loan_days").to_owned(),
            Issue::RepeatedCode { first_line } => {
                lang.tf("tool_import.repeated_code", &[("line", first_line)])
            }
            Issue::KindDays { first_line } => {
                lang.tf("tool_import.kind_days", &[("line", first_line)])
            }
        };
        self.located(TOOL_COLUMNS, &reason, lang)
    }
}

/// The tools a file would add, with their lines.
#[derive(Debug, Default)]
pub struct Plan {
    pub adds: Vec<(u64, ToolInput)>,
}

/// Read and check a whole file against the inventory: every problem, in file order.
pub fn plan(conn: &Connection, bytes: &[u8]) -> Result<Plan, Vec<Problem>> {
    let sheet = Sheet::read(bytes, TOOL_COLUMNS, IMPORTED, REQUIRED)
        .map_err(|e| vec![Problem::whole_file(Issue::File(e))])?;
    let mut plan = Plan::default();
    let mut code_lines: HashMap<String, u64> = HashMap::new();
    let mut kind_days: HashMap<String, (u32, u64)> = HashMap::new();
    sheet.check(|row| {
        let line = row.line;
        let status = match row.cell("status").as_str() {
            "" => None,
            text => match ToolStatus::parse(text).filter(|s| ToolStatus::EDITABLE.contains(s)) {
                Some(s) => Some(s),
                None => {
                    row.fail("status", Issue::BadStatus);
                    return Ok(());
                }
            },
        };
        let loan_days = match row.cell("loan_days").as_str() {
            "" => None,
            text => match parse_loan_days(text) {
                Some(d) => Some(d),
                None => {
                    row.fail("loan_days", Issue::BadLoanDays);
                    return Ok(());
                }
            },
        };
        let input = ToolInput {
            code: row.cell("code"),
            name: row.cell("name"),
            kind: row.cell("kind"),
            loan_days,
            spec: row.cell("spec"),
            place: row.cell("place"),
            condition: row.cell("condition"),
            status,
        };
        let input_problems = tools::input_problems(&input);
        if !input_problems.is_empty() {
            for e in input_problems {
                let column = match &e {
                    ToolError::NeedsCode => "code",
                    ToolError::NeedsName => "name",
                    ToolError::NeedsKind => "kind",
                    // The field's catalog key names its column: `text_field.name` is `name`.
                    ToolError::Text(t) => t.field.strip_prefix("text_field.").unwrap_or(t.field),
                    _ => "status",
                };
                row.fail(column, Issue::Tool(e));
            }
            return Ok(());
        }
        let key = input.code.to_lowercase();
        if let Some(first_line) = code_lines.get(&key) {
            let first_line = *first_line;
            row.fail("code", Issue::RepeatedCode { first_line });
            return Ok(());
        }
        code_lines.insert(key, line);
        match tools::by_code(conn, &input.code) {
            Ok(Some(t)) => {
                row.fail("code", Issue::Tool(ToolError::CodeTaken { code: t.code }));
                return Ok(());
            }
            Ok(None) => {}
            Err(e) => return Err(row.fatal("code", Issue::Db(e.to_string()))),
        }
        if let Some(days) = loan_days {
            let kind = input.kind.to_lowercase();
            match kind_days.get(&kind) {
                Some((d, first_line)) if *d != days => {
                    let first_line = *first_line;
                    row.fail("loan_days", Issue::KindDays { first_line });
                    return Ok(());
                }
                Some(_) => {}
                None => {
                    kind_days.insert(kind, (days, line));
                }
            }
        }
        plan.adds.push((line, input));
        Ok(())
    })?;
    Ok(plan)
}

/// Add every tool of a plan in one transaction: all of them, or (on any error) none.
pub fn apply(conn: &mut Connection, plan: &Plan, stamp: &Stamp) -> Result<usize, ToolError> {
    let tx = conn.transaction()?;
    for (_, input) in &plan.adds {
        tools::add(&tx, input, stamp)?;
    }
    tx.commit()?;
    Ok(plan.adds.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::db::tools::{ToolQuery, matching_tools};

    fn stamp() -> Stamp {
        Stamp::new(
            "张三",
            NaiveDate::from_ymd_opt(2026, 11, 21)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        )
    }

    fn import(db: &mut Db, text: &[u8]) -> Result<usize, Vec<String>> {
        let plan = plan(db.conn(), text)
            .map_err(|p| p.iter().map(|p| p.message(Lang::En)).collect::<Vec<_>>())?;
        Ok(apply(db.conn_mut(), &plan, &stamp()).unwrap())
    }

    #[test]
    fn a_gbk_file_with_chinese_headers_imports_and_the_export_imports_again() {
        let mut db = Db::open_in_memory().unwrap();
        let text = "工具编号,名称,种类,规格型号,存放位置,状况,状态,借期天数\n\
                    T-001,数字万用表,万用表,FLUKE 17B+,工具柜A-1,完好,在库,3\n\
                    T-002,铝合金人字梯,梯子,2米,库房,完好,,当天\n\
                    T-003,光纤熔接机,熔接机,,工具柜B,外壳磨损,损坏,7\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(import(&mut db, &gbk), Ok(3));
        let today = stamp().at.date();
        let list = matching_tools(db.conn(), &ToolQuery::default(), today).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!((list[1].kind.as_str(), list[1].loan_days), ("梯子", 0));
        assert_eq!(list[2].status, ToolStatus::Damaged);
        // The exported list (with holder and due columns) is accepted by a fresh inventory.
        let exported = tools_csv(&list, today, Lang::Zh);
        let mut other = Db::open_in_memory().unwrap();
        assert_eq!(import(&mut other, &exported), Ok(3));
        let again = matching_tools(other.conn(), &ToolQuery::default(), today).unwrap();
        let strip = |t: &Tool| {
            (
                t.code.clone(),
                t.kind.clone(),
                t.loan_days,
                t.status,
                t.spec.clone(),
            )
        };
        assert_eq!(
            list.iter().map(strip).collect::<Vec<_>>(),
            again.iter().map(strip).collect::<Vec<_>>()
        );
    }

    #[test]
    fn one_bad_row_refuses_the_whole_file_with_every_problem_named() {
        let mut db = Db::open_in_memory().unwrap();
        import(&mut db, b"code,name,kind\nT-001,Multimeter,Meter\n").unwrap();
        let text = "code,name,kind,status,loan_days\n\
                    T-010,Crimper,Hand tool,,3\n\
                    t-001,Meter 2,Meter,,\n\
                    T-011,,Hand tool,,\n\
                    T-012,Ladder,Ladder,checked_out,\n\
                    T-013,Pliers,hand tool,,5\n\
                    T-010,Again,Hand tool,,\n\
                    T-014,Tester,Meter,,-2\n";
        let problems = import(&mut db, text.as_bytes()).unwrap_err();
        assert_eq!(problems.len(), 6, "{problems:#?}");
        assert!(
            problems[0].starts_with("line 3, code \"t-001\""),
            "{}",
            problems[0]
        );
        assert!(problems[1].contains("line 4, name"), "{}", problems[1]);
        assert!(
            problems[2].contains("line 5, status \"checked_out\""),
            "{}",
            problems[2]
        );
        assert!(problems[3].contains("line 6, loan_days") && problems[3].contains("line 2"));
        assert!(problems[4].contains("line 7, code") && problems[4].contains("line 2"));
        assert!(problems[5].contains("line 8, loan_days"), "{}", problems[5]);
        let count = matching_tools(db.conn(), &ToolQuery::default(), stamp().at.date())
            .unwrap()
            .len();
        assert_eq!(count, 1, "nothing of the refused file was written");
        // A bad character is named in its own column, with its own value.
        let control = import(
            &mut db,
            "code,name,kind\nT-020,Pli\u{1b}[31mers,Hand tool\n".as_bytes(),
        )
        .unwrap_err();
        assert!(
            control[0].starts_with("line 2, name \"Pli\u{1b}[31mers\": Name: contains a control"),
            "{control:?}"
        );
        let missing = import(&mut db, b"name,kind\nx,y\n").unwrap_err();
        assert!(missing[0].contains("code"), "{missing:?}");
        let unknown = import(&mut db, b"code,name,kind,colour\n").unwrap_err();
        assert!(unknown[0].contains("colour"), "{unknown:?}");
    }
}
