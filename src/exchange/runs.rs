//! A template's past runs as Excel-ready CSV (the Checks tab's past runs, `E`): one row a run,
//! newest period first.

use super::table::{self, Column};
use crate::db::check_runs::PastRun;
use crate::domain::period::Period;
use crate::i18n::Lang;

pub const COLUMNS: &[Column] = &[
    ("period", "周期"),
    ("period_start", "起始日期"),
    ("signed_by", "签字人"),
    ("signed_at", "签字时间"),
    ("timing", "时限"),
    ("passed", "正常"),
    ("failed", "异常"),
    ("not_applicable", "不适用"),
    ("unanswered", "未填"),
    ("total", "项目数"),
];

fn is_number(column: &str) -> bool {
    matches!(
        column,
        "passed" | "failed" | "not_applicable" | "unanswered" | "total"
    )
}

pub fn cells(run: &PastRun, period: Period, lang: Lang) -> Vec<String> {
    vec![
        period.label(run.period_start),
        run.period_start.to_string(),
        run.signed_by.clone().unwrap_or_default(),
        run.signed_at.clone().unwrap_or_default(),
        crate::words::timing_text(run.timing, lang),
        run.passed.to_string(),
        run.failed.to_string(),
        run.not_applicable.to_string(),
        run.unanswered().to_string(),
        run.total.to_string(),
    ]
}

pub fn csv(runs: &[PastRun], period: Period, lang: Lang) -> Vec<u8> {
    let rows = runs.iter().map(|r| cells(r, period, lang));
    table::csv(COLUMNS, rows, is_number, lang)
}
