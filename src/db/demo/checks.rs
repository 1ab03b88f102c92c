//! Demo inspection history: three months of signed runs of the built-in checklists, with a
//! few failures, one missed week, and this week's run half done.

use crate::domain::calendar::WorkCalendar;
use chrono::{Duration, NaiveDate, NaiveTime};
use rusqlite::Connection;

use super::Lcg;
use crate::db::check_runs::{self, Run};
use crate::db::directory;
use crate::db::{Stamp, checklists};
use crate::domain::checklist::{Answer, ItemKind, Outcome, number_text};
use crate::domain::period::Period;

/// How far back the history goes.
const HISTORY_DAYS: i64 = 91;

/// Findings an operator writes, by item code, with the reading that goes with them.
const FINDINGS: &[(&str, &str, &str)] = &[
    ("D06", "28.5", "2 号空调停机，已通知后勤报修"),
    ("D02", "", "办公室饮水机未断电，已关闭"),
    ("W06", "", "磁盘阵列 2 号盘预警，已联系厂商"),
    ("W03", "", "防火墙日志有境外 IP 扫描，已加黑名单"),
    ("M02", "11", "电池续航不足 15 分钟，申请更换电池组"),
];

/// Runs written and items answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Added {
    pub runs: usize,
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> chrono::NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

/// The week the demo leaves unsigned: five weeks before the current one.
fn missed_week(today: NaiveDate) -> NaiveDate {
    Period::Week.start_of(today, &WorkCalendar::default()) - Duration::weeks(5)
}

/// Answer every item of `run` the way a duty operator would on a normal day; failures come from
/// [`FINDINGS`] when `finding` names one.
fn answer_all(
    conn: &Connection,
    run: &Run,
    finding: Option<&(&str, &str, &str)>,
    rng: &mut Lcg,
    stamp: &Stamp,
) -> anyhow::Result<()> {
    // The finding is about one line: the first device, for an item with a line per device.
    let mut found = false;
    for line in &run.lines {
        let item = &line.item;
        let answer = match finding {
            Some((code, value, note))
                if item.code == *code && !std::mem::replace(&mut found, true) =>
            {
                Answer {
                    outcome: Outcome::Fail,
                    value: (*value).to_owned(),
                    note: (*note).to_owned(),
                }
            }
            _ => fine_answer(item, rng),
        };
        check_runs::answer(conn, line.result_id, &answer, stamp)?;
    }
    Ok(())
}

/// What an inspector writes for an item that is fine.
pub(super) fn fine_answer(item: &crate::domain::checklist::Item, rng: &mut Lcg) -> Answer {
    match item.kind {
        ItemKind::PassFail => Answer::pass(),
        ItemKind::Number => {
            let low = item.min.unwrap_or(0.0);
            let high = item.max.unwrap_or(low + 40.0);
            let mid = low + (high - low) * (0.4 + rng.below(30) as f64 / 100.0);
            Answer {
                value: number_text((mid * 2.0).round() / 2.0),
                ..Answer::pass()
            }
        }
        ItemKind::Text => Answer {
            value: "正常".to_owned(),
            ..Answer::pass()
        },
        ItemKind::Choice => Answer {
            value: item
                .choices
                .first()
                .map_or(String::new(), |c| c.label.zh.clone()),
            ..Answer::pass()
        },
    }
}

/// Fill the history up to `today`. Periods that already have a run are left alone.
pub fn fill(
    conn: &Connection,
    rng: &mut Lcg,
    today: NaiveDate,
    stamp: &Stamp,
) -> anyhow::Result<Added> {
    let staff: Vec<String> = directory::people_with_departments(conn)?
        .into_iter()
        .filter(|(dept, _)| dept == "信息中心")
        .map(|(_, name)| name)
        .collect();
    let mut added = Added::default();
    let from = today - Duration::days(HISTORY_DAYS);
    let calendar = crate::db::calendar::work_calendar(conn)?;
    for checklist in checklists::list(conn)? {
        let period = checklist.period;
        if checklist.active_from > from {
            checklists::set_active_from(conn, checklist.id, from, stamp)?;
        }
        let mut start = period.start_of(from, &calendar);
        let current = period.start_of(today, &calendar);
        let mut index = 0usize;
        while start <= current {
            let this = start;
            start = period.next(start, &calendar);
            index += 1;
            if check_runs::find(conn, checklist.id, this)?.is_some()
                || (checklist.run_log && this == missed_week(today))
                || !period.runs_on(this, &calendar)
            {
                continue;
            }
            // Done on the period's last day (the weekly run on Friday, the monthly one on the
            // 10th, when the UPS test is scheduled).
            let done_on = match checklist.schedule.due(this, &calendar) {
                // A Friday-afternoon list on its day, but now and then on the Monday after.
                Some(due) if index % 6 == 5 => due.day() + Duration::days(3),
                Some(due) => due.day(),
                None => match period {
                    Period::Workday | Period::Day => this,
                    Period::Week => this + Duration::days(4),
                    Period::Month | Period::Quarter | Period::Year => this + Duration::days(9),
                    Period::Semester => period.last_day(this, &calendar) - Duration::days(7),
                },
            };
            let under_way = this == current && (period != Period::Month || done_on > today);
            // Only the weekly inspection is under way: the 5S waits for its Friday.
            if under_way && !checklist.run_log {
                continue;
            }
            let who = staff.get(rng.below(staff.len().max(1))).cloned();
            let who = who.unwrap_or_else(|| stamp.by.clone());
            let work = Stamp::new(who, at(done_on.min(today), 17, 20 + rng.below(30) as u32));
            let run_id = check_runs::open(conn, checklist.id, this, &work)?;
            let Some(run) = check_runs::load(conn, run_id)? else {
                continue;
            };
            added.runs += 1;
            if under_way {
                // This week's run is half done; today's patrol comes at the end of the day.
                for line in run.lines.iter().take(run.lines.len() / 2) {
                    check_runs::answer(conn, line.result_id, &Answer::pass(), &work)?;
                }
                continue;
            }
            // A failure every so often, spread over the templates.
            let finding = FINDINGS
                .iter()
                .filter(|(code, _, _)| run.lines.iter().any(|l| l.item.code == *code))
                .nth(index % 17 / 4)
                .filter(|_| index % 17 == 3 || (period != Period::Day && index % 5 == 2));
            answer_all(conn, &run, finding, rng, &work)?;
            if let Some((code, _, _)) = finding
                && let Some(line) = run.lines.iter().find(|l| l.item.code == *code)
            {
                check_runs::want_repair(conn, line.result_id, &work)?;
            }
            if checklist.run_log {
                let log = format!(
                    "{} 网络运行正常；出口带宽峰值 {}%，无中断。",
                    period.label(this),
                    40 + rng.below(45)
                );
                check_runs::set_log(conn, run_id, &log, &work)?;
            }
            check_runs::sign(conn, run_id, &work)?;
        }
    }
    Ok(added)
}
