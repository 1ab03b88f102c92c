//! The month report pack (月报): seven Excel-ready CSV files written into one folder, each
//! whole or not at all.

pub mod summary;

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::table::{self, Column};
use super::{devices, readings, repairs, tools, write_file};
use crate::db::month::{self, CheckLine, DeviceEvent, MissedRun, Pack};
use crate::domain::device::Status;
use crate::domain::history::reason_text;
use crate::domain::month::Month;
use crate::domain::reading::Base;
use crate::i18n::Lang;
use summary::Summary;

/// The files of a pack, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum File {
    Checks,
    Devices,
    DeviceEvents,
    Repairs,
    Tools,
    DailyData,
    Summary,
}

impl File {
    pub const ALL: [File; 7] = [
        File::Checks,
        File::Devices,
        File::DeviceEvents,
        File::Repairs,
        File::Tools,
        File::DailyData,
        File::Summary,
    ];

    fn suffix(self) -> &'static str {
        match self {
            File::Checks => "checks",
            File::Devices => "devices",
            File::DeviceEvents => "device-events",
            File::Repairs => "repairs",
            File::Tools => "tools",
            File::DailyData => "daily-data",
            File::Summary => "summary",
        }
    }

    /// `2026-10-checks.csv`.
    pub fn name(self, month_label: &str) -> String {
        format!("{month_label}-{}.csv", self.suffix())
    }
}

/// The inspection results: every answered item, and one row per missed run.
pub const CHECK_COLUMNS: &[Column] = &[
    ("date", "日期"),
    ("period", "周期"),
    ("template", "巡检表"),
    ("item_code", "项目编号"),
    ("item", "检查项目"),
    ("device", "设备"),
    ("result", "结果"),
    ("value", "读数"),
    ("note", "说明"),
    ("operator", "检查人"),
    ("signed_by", "签字人"),
    ("signed_at", "签字时间"),
    ("timing", "时限"),
    ("amended", "已更正"),
    ("repair", "维修工单"),
];

/// The register's changes in the month.
pub const EVENT_COLUMNS: &[Column] = &[
    ("date", "日期"),
    ("event", "变动"),
    ("asset_tag", "资产编号"),
    ("name", "名称"),
    ("location_from", "原位置"),
    ("location_to", "新位置"),
    ("department_from", "原部门"),
    ("department_to", "新部门"),
    ("owner_from", "原责任人"),
    ("owner_to", "新责任人"),
    ("status_from", "原状态"),
    ("status_to", "新状态"),
    ("reason", "原因"),
    ("approver", "批准人"),
    ("recorded_by", "登记人"),
    ("recorded_at", "登记时间"),
];

/// The key figures: one row each.
pub const SUMMARY_COLUMNS: &[Column] = &[
    ("code", "代码"),
    ("section", "类别"),
    ("figure", "指标"),
    ("subject", "对象"),
    ("scope", "范围"),
    ("value", "数值"),
    ("unit", "单位"),
];

fn no_numbers(_: &str) -> bool {
    false
}

fn yes_no(b: bool, lang: Lang) -> String {
    lang.t(if b { "answer.yes" } else { "answer.no" })
        .to_owned()
}

/// Stored times (`YYYY-MM-DD HH:MM:SS`) as the other files give them, to the minute.
fn minute(stored: &str) -> String {
    stored.chars().take(16).collect()
}

fn check_cells(line: &CheckLine, lang: Lang) -> Vec<String> {
    let period = line.checklist.period;
    vec![
        line.period_start.to_string(),
        period.label(line.period_start),
        line.checklist.name.get(lang).to_owned(),
        line.item_code.clone(),
        line.item.get(lang).to_owned(),
        line.device.clone(),
        lang.t(line.outcome.label_key()).to_owned(),
        line.value.clone(),
        line.note.clone(),
        line.operator.clone(),
        line.signed_by.clone().unwrap_or_default(),
        line.signed_at.as_deref().map(minute).unwrap_or_default(),
        crate::words::timing_text(line.timing, lang),
        yes_no(line.amended, lang),
        line.repair.clone().unwrap_or_default(),
    ]
}

fn missed_cells(missed: &MissedRun, lang: Lang) -> Vec<String> {
    let period = missed.checklist.period;
    let note = missed.started.map_or(String::new(), |(answered, total)| {
        lang.tf(
            "month.missed_started",
            &[("answered", &answered), ("total", &total)],
        )
    });
    let mut cells = vec![String::new(); CHECK_COLUMNS.len()];
    cells[0] = missed.period_start.to_string();
    cells[1] = period.label(missed.period_start);
    cells[2] = missed.checklist.name.get(lang).to_owned();
    cells[6] = lang.t("month.missed").to_owned();
    cells[8] = note;
    cells
}

/// Answered items and missed runs, by date and then in the Checks tab's template order.
pub fn checks_csv(pack: &Pack, lang: Lang) -> Vec<u8> {
    let order = |id: i64| pack.templates.iter().position(|t| t.checklist.id == id);
    let mut rows: Vec<(chrono::NaiveDate, Option<usize>, Vec<String>)> = pack
        .checks
        .iter()
        .map(|l| (l.period_start, order(l.checklist.id), check_cells(l, lang)))
        .collect();
    for t in &pack.templates {
        for m in &t.missed {
            rows.push((m.period_start, order(t.checklist.id), missed_cells(m, lang)));
        }
    }
    // Stable: the items of one run keep their order.
    rows.sort_by_key(|(day, order, _)| (*day, *order));
    table::csv(
        CHECK_COLUMNS,
        rows.into_iter().map(|(_, _, cells)| cells),
        no_numbers,
        lang,
    )
}

fn status_text(key: &str, lang: Lang) -> String {
    Status::parse(key).map_or(key.to_owned(), |s| lang.t(s.label_key()).to_owned())
}

fn event_cells(e: &DeviceEvent, lang: Lang) -> Vec<String> {
    vec![
        e.effective_on.to_string(),
        lang.t(e.class.label_key()).to_owned(),
        e.asset_tag.clone(),
        e.name.clone(),
        e.location.from.clone(),
        e.location.to.clone(),
        e.department.from.clone(),
        e.department.to.clone(),
        e.owner.from.clone(),
        e.owner.to.clone(),
        status_text(&e.status.from, lang),
        status_text(&e.status.to, lang),
        reason_text(&e.reason, lang),
        e.approver.clone(),
        e.by.clone(),
        minute(&e.at),
    ]
}

pub fn events_csv(events: &[DeviceEvent], lang: Lang) -> Vec<u8> {
    let rows = events.iter().map(|e| event_cells(e, lang));
    table::csv(EVENT_COLUMNS, rows, no_numbers, lang)
}

/// The summary file and how many figures it holds.
pub fn summary_csv(summary: &Summary, lang: Lang) -> (Vec<u8>, usize) {
    let figures = summary.figures(lang);
    let count = figures.len();
    let rows = figures.into_iter().map(|f| {
        vec![
            f.code().to_owned(),
            lang.t(f.section_key()).to_owned(),
            lang.t(f.key).to_owned(),
            f.subject,
            f.scope,
            f.value,
            f.unit,
        ]
    });
    let bytes = table::csv(SUMMARY_COLUMNS, rows, |key| key == "value", lang);
    (bytes, count)
}

/// A file's bytes and how many rows (below the header) it holds.
pub fn file_bytes(file: File, pack: &Pack, summary: &Summary, lang: Lang) -> (Vec<u8>, usize) {
    match file {
        File::Checks => (
            checks_csv(pack, lang),
            pack.checks.len() + pack.templates.iter().map(|t| t.missed.len()).sum::<usize>(),
        ),
        File::Devices => (
            devices::records_csv(&pack.register, lang),
            pack.register.len(),
        ),
        File::DeviceEvents => (events_csv(&pack.events, lang), pack.events.len()),
        File::Repairs => (
            repairs::csv(&pack.repairs, pack.now, lang),
            pack.repairs.len(),
        ),
        File::Tools => (
            tools::loans_csv(&pack.loans, pack.now.date(), lang),
            pack.loans.len(),
        ),
        File::DailyData => (
            readings::days_csv(
                pack.readings.iter().map(|r| (r.day, &r.row)),
                Base::PreviousDay,
                lang,
            ),
            pack.readings.len(),
        ),
        File::Summary => summary_csv(summary, lang),
    }
}

/// A file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub rows: usize,
}

/// Why the pack could not be written: the folder or the file, and the system's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    pub path: PathBuf,
    pub reason: String,
    /// Files already written whole before the failure.
    pub written: usize,
}

impl WriteError {
    pub fn message(&self, lang: Lang) -> String {
        let path = self.path.display();
        let args: [(&str, &dyn std::fmt::Display); 3] = [
            ("path", &path),
            ("reason", &self.reason),
            ("written", &self.written),
        ];
        lang.tf("month.write_failed", &args)
    }
}

/// Write every file of the pack into `dir` (made if missing). Each file goes to a temporary
/// name, is synced and then renamed, so no file under a real name is ever half written.
/// `progress` hears each file just written.
pub fn write_pack(
    dir: &Path,
    pack: &Pack,
    lang: Lang,
    mut progress: impl FnMut(&Written),
) -> Result<Vec<Written>, WriteError> {
    let failed = |path: &Path, e: std::io::Error, written: usize| WriteError {
        path: path.to_path_buf(),
        reason: e.to_string(),
        written,
    };
    std::fs::create_dir_all(dir).map_err(|e| failed(dir, e, 0))?;
    let summary = Summary::of(pack);
    let label = pack.month.label();
    let mut done = Vec::new();
    for file in File::ALL {
        let (bytes, rows) = file_bytes(file, pack, &summary, lang);
        let path = dir.join(file.name(&label));
        write_file(&path, &bytes).map_err(|e| failed(&path, e, done.len()))?;
        let written = Written { path, rows };
        progress(&written);
        done.push(written);
    }
    Ok(done)
}

/// One step of an export: a part of the pack being read, or a file just written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// The catalog key of the part ([`month::PARTS`]).
    Reading(&'static str),
    Wrote(&'a Written),
}

/// Why an export stopped.
#[derive(Debug)]
pub enum ExportError {
    Db(rusqlite::Error),
    Write(WriteError),
}

impl ExportError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ExportError::Db(e) => crate::words::failure_message(e, lang),
            ExportError::Write(e) => e.message(lang),
        }
    }
}

/// Read `month` and write its pack into `dir`: what the command line and the Reports tab both
/// run. `progress` hears each step numbered, out of [`STEPS`].
pub fn export(
    conn: &rusqlite::Connection,
    month: Month,
    now: NaiveDateTime,
    dir: &Path,
    lang: Lang,
    mut progress: impl FnMut(usize, Step),
) -> Result<Vec<Written>, ExportError> {
    let mut step = 0;
    let pack = month::read(conn, month, now, |part| {
        step += 1;
        progress(step, Step::Reading(part));
    })
    .map_err(ExportError::Db)?;
    write_pack(dir, &pack, lang, |w| {
        step += 1;
        progress(step, Step::Wrote(w));
    })
    .map_err(ExportError::Write)
}

/// How many steps an export reports.
pub const STEPS: usize = month::PARTS.len() + File::ALL.len();

#[cfg(test)]
mod tests;
