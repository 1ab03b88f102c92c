//! What a handover gathers, as JSON for scripts (`jifang duty handover --format json`) and as
//! lines for the terminal; each part keeps the columns its own tab's export has.

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use crate::db::handover::Gathered;
use crate::i18n::Lang;

fn metric_name(m: &crate::db::readings::Metric, lang: Lang) -> &str {
    if lang == Lang::En {
        &m.name_en
    } else {
        &m.name_zh
    }
}

fn parsed(text: String) -> Value {
    serde_json::from_str(&text).unwrap_or(Value::Array(Vec::new()))
}

/// Each part a list of objects: repairs and loans as their exports give them, runs, figures
/// and failures with the fields a reader needs.
pub fn json(g: &Gathered, now: NaiveDateTime, lang: Lang) -> Value {
    let today = now.date();
    let due: Vec<Value> = g
        .runs_due
        .iter()
        .map(|d| {
            json!({
                "template": d.checklist.name.get(lang),
                "code": d.checklist.code,
                "period": d.checklist.period.label(d.period_start),
                "period_start": d.period_start.to_string(),
                "answered": d.answered(),
                "total": d.total(),
            })
        })
        .collect();
    let missed: Vec<Value> = g
        .runs_missed
        .iter()
        .map(|m| {
            json!({
                "template": m.checklist.name.get(lang),
                "code": m.checklist.code,
                "period": m.checklist.period.label(m.period_start),
                "period_start": m.period_start.to_string(),
                "answered": m.run.as_ref().map_or(0, |r| r.answered),
            })
        })
        .collect();
    let readings: Vec<Value> = g
        .readings_missing
        .iter()
        .map(|m| {
            let name = metric_name(m, lang);
            json!({ "metric": name, "group": m.group, "scope": m.scope, "unit": m.unit })
        })
        .collect();
    let failed: Vec<Value> = g
        .failed_today
        .iter()
        .map(|f| {
            json!({
                "template": f.template.get(lang),
                "item_code": f.item_code,
                "item": f.item.get(lang),
                "device": f.device,
                "note": f.note,
                "operator": f.answered_by,
            })
        })
        .collect();
    json!({
        "open_repairs": parsed(super::repairs::json(&g.open_repairs, now, lang)),
        "overdue_tools": parsed(super::tools::loans_json(&g.overdue_tools, today, lang)),
        "tools_out": parsed(super::tools::loans_json(&g.tools_out, today, lang)),
        "runs_due": due,
        "runs_missed": missed,
        "readings_missing": readings,
        "failed_today": failed,
    })
}

/// One line an item: `WX-2026-0106  JF-SV-0005 文件服务器  硬盘告警灯常亮`.
pub fn lines(g: &Gathered, now: NaiveDateTime, lang: Lang) -> Vec<(&'static str, Vec<String>)> {
    let repairs = g
        .open_repairs
        .iter()
        .map(|r| {
            let late = if r.flow.timeliness(now) == crate::domain::repair::Timeliness::Late {
                format!("  {}", lang.t("handover.late"))
            } else {
                String::new()
            };
            format!("{}  {}  {}{late}", r.ticket, r.device_text, r.description)
        })
        .collect();
    let loan = |l: &crate::db::tools::LoanRow| {
        let due = l.due_on;
        format!(
            "{}  {} {}  {}  {due}",
            l.number, l.code, l.tool_name, l.borrower
        )
    };
    let runs_due = g
        .runs_due
        .iter()
        .map(|d| {
            format!(
                "{}  {}  {}/{}",
                d.checklist.period.label(d.period_start),
                d.checklist.name.get(lang),
                d.answered(),
                d.total()
            )
        })
        .collect();
    let missed = g
        .runs_missed
        .iter()
        .map(|m| {
            format!(
                "{}  {}",
                m.checklist.period.label(m.period_start),
                m.checklist.name.get(lang)
            )
        })
        .collect();
    let readings = g
        .readings_missing
        .iter()
        .map(|m| {
            let name = metric_name(m, lang);
            format!("{name}  {}", m.scope)
        })
        .collect();
    let failed = g
        .failed_today
        .iter()
        .map(|f| {
            format!(
                "{} {}  {}  {}",
                f.item_code,
                f.item.get(lang),
                f.device,
                f.note
            )
        })
        .collect();
    vec![
        ("open_repairs", repairs),
        ("overdue_tools", g.overdue_tools.iter().map(loan).collect()),
        ("tools_out", g.tools_out.iter().map(loan).collect()),
        ("runs_due", runs_due),
        ("runs_missed", missed),
        ("readings_missing", readings),
        ("failed_today", failed),
    ]
}
