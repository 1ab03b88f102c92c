//! The repair log as CSV (Excel-ready: UTF-8 with BOM, formula-guarded text) and JSON, with
//! one documented column order for both.

use chrono::{NaiveDate, NaiveDateTime};

use super::table::{self, Column};
use crate::db::repairs::Repair;
use crate::domain::repair::money_text;
use crate::i18n::Lang;

/// The columns, in order: the English key (CSV header with `--lang en`, JSON field) and the
/// Chinese header.
pub const COLUMNS: &[Column] = &[
    ("ticket", "工单号"),
    ("state", "状态"),
    ("device", "设备"),
    ("reporter", "报修人"),
    ("department", "部门"),
    ("reported_at", "报修时间"),
    ("fault_kind", "故障类型"),
    ("priority", "优先级"),
    ("description", "故障现象"),
    ("maintainer", "维护员"),
    ("estimate_at", "预计完成"),
    ("started_at", "开始维修"),
    ("finished_at", "维修完成"),
    ("closed_at", "关闭时间"),
    ("on_time", "是否及时"),
    ("result", "处理结果"),
    ("parts", "更换部件"),
    ("cost", "费用"),
    ("charged_department", "费用承担部门"),
    ("human_caused", "人为损坏"),
    ("liable_person", "责任人"),
    ("vendor", "外修厂商"),
    ("vendor_approver", "外修批准人"),
    ("vendor_sent_on", "送修日期"),
    ("vendor_returned_on", "返回日期"),
    ("vendor_reference", "送修单号"),
    ("damaged_part", "损坏部件"),
    ("confirmer_1", "确认人1"),
    ("confirmer_2", "确认人2"),
    ("confirmed_by", "签字用户"),
    ("confirmed_at", "签字时间"),
    ("reopened", "退回次数"),
    ("check", "来自巡检"),
];

fn time(at: Option<NaiveDateTime>) -> String {
    at.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// One ticket's cells in column order. Words (state, kind, yes/no) are in `lang`; numbers
/// are plain numbers, times `YYYY-MM-DD HH:MM`.
pub fn cells(r: &Repair, now: NaiveDateTime, lang: Lang) -> Vec<String> {
    let f = &r.flow;
    let o = &f.outcome;
    let yes_no = |b: bool| {
        lang.t(if b { "answer.yes" } else { "answer.no" })
            .to_owned()
    };
    let on_time = f.timeliness(now).on_time().map(yes_no).unwrap_or_default();
    let check = r.check.as_ref().map_or(String::new(), |c| c.label(lang));
    vec![
        r.ticket.clone(),
        lang.t(f.state.label_key()).to_owned(),
        r.device_text.clone(),
        r.reporter.clone(),
        r.department.clone(),
        time(Some(f.reported_at)),
        lang.t(r.kind.label_key()).to_owned(),
        lang.t(r.priority.label_key()).to_owned(),
        r.description.clone(),
        f.maintainer.clone(),
        time(f.estimate_at),
        time(f.started_at),
        time(f.finished_at),
        time(f.closed_at),
        on_time,
        o.result.clone(),
        o.parts.clone(),
        money_text(o.cost),
        o.charged_department.clone(),
        yes_no(o.human_caused),
        o.liable_person.clone(),
        f.vendor.vendor.clone(),
        f.vendor.approver.clone(),
        date(f.vendor.sent_on),
        date(f.vendor.returned_on),
        f.vendor.reference.clone(),
        f.damage.part.clone(),
        f.damage.first.clone(),
        f.damage.second.clone(),
        f.confirmed_by.clone(),
        time(f.confirmed_at),
        f.reopened.to_string(),
        check,
    ]
}

/// Columns that hold numbers: never formula-guarded.
fn is_number(column: &str) -> bool {
    matches!(column, "cost" | "reopened")
}

/// The tickets as CSV bytes.
pub fn csv(repairs: &[Repair], now: NaiveDateTime, lang: Lang) -> Vec<u8> {
    let rows = repairs.iter().map(|r| cells(r, now, lang));
    table::csv(COLUMNS, rows, is_number, lang)
}

/// The tickets as a JSON array of objects keyed by the English column keys, in column order.
/// For scripts the words are stable keys (`in_repair`, `hardware`), money and counts numbers,
/// yes/no booleans (`on_time` is null while it cannot be judged yet).
pub fn json(repairs: &[Repair], now: NaiveDateTime, lang: Lang) -> String {
    table::json(
        COLUMNS,
        repairs,
        |r| cells(r, now, lang),
        |r, key| {
            Some(match key {
                "state" => serde_json::json!(r.flow.state.key()),
                "fault_kind" => serde_json::json!(r.kind.key()),
                "priority" => serde_json::json!(r.priority.key()),
                "on_time" => serde_json::json!(r.flow.timeliness(now).on_time()),
                "human_caused" => serde_json::json!(r.flow.outcome.human_caused),
                "cost" => serde_json::json!(r.flow.outcome.cost as f64 / 100.0),
                "reopened" => serde_json::json!(r.flow.reopened),
                _ => return None,
            })
        },
    )
}
