//! Demo tool checkout: 60 tools of 14 kinds in the centre's cabinets, a year of requisitions
//! (mostly the centre's own staff, some other departments with their leader's approval), most
//! returned on time, a few late, one damaged and paid for, and three loans overdue today.

use crate::domain::permission::Deed;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rusqlite::Connection;

use super::{AUTHOR, Lcg};
use crate::db::tools::{self, Return, ToolError, ToolInput};
use crate::db::{Stamp, directory};
use crate::domain::tool::{Borrowing, Condition};

/// Kind, loan days, name, spec, how many.
pub(super) const KINDS: &[(&str, u32, &str, &str, usize)] = &[
    ("万用表", 3, "数字万用表", "FLUKE 17B+", 6),
    ("网线钳", 1, "网线压线钳", "RJ45/RJ11", 8),
    ("测线仪", 1, "网络测线仪", "RJ45 对线", 6),
    ("寻线仪", 3, "寻线仪", "抗干扰型", 4),
    ("光功率计", 3, "光功率计", "-70~+10dBm", 3),
    ("熔接机", 7, "光纤熔接机", "四马达", 2),
    ("螺丝刀套装", 0, "精密螺丝刀套装", "32 件", 8),
    ("梯子", 0, "铝合金人字梯", "2 米", 3),
    ("电烙铁", 1, "恒温电烙铁", "60W", 4),
    ("热风枪", 1, "热风拆焊台", "858D", 2),
    ("笔记本电脑", 7, "维护用笔记本", "ThinkPad E14", 4),
    ("投影仪", 3, "便携投影仪", "1080P", 3),
    ("移动硬盘", 7, "移动硬盘", "2TB USB3.0", 4),
    ("标签机", 3, "标签打印机", "PT-E115B", 3),
];

pub(super) const PURPOSES: &[&str] = &[
    "机房布线整理",
    "办公室网络故障排查",
    "更换配线架模块",
    "电脑维修",
    "光缆熔接",
    "会议保障",
    "设备标签更新",
    "数据备份",
    "弱电间巡检",
    "监控点位调试",
];

pub(super) const PLACES: &[&str] = &["工具柜A", "工具柜B", "机房备件间", "值班室"];

fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN))
}

/// What the demo added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filled {
    pub tools: usize,
    pub loans: usize,
}

/// A loan waiting to come back.
struct Out {
    back_on: NaiveDate,
    code: String,
    condition: Condition,
}

/// Write the inventory and its year of loans; nothing when its first tool is already there.
pub fn fill(conn: &Connection, rng: &mut Lcg, today: NaiveDate) -> Result<Filled, ToolError> {
    if tools::by_code(conn, "GJ-001")?.is_some() {
        return Ok(Filled::default());
    }
    let start = today - Duration::days(365);
    let stamp = Stamp::new(AUTHOR, at(start, 8));
    let mut shelf: Vec<String> = Vec::new();
    for (kind, days, name, spec, count) in KINDS {
        for _ in 0..*count {
            let code = format!("GJ-{:03}", shelf.len() + 1);
            let input = ToolInput {
                code: code.clone(),
                name: (*name).to_owned(),
                kind: (*kind).to_owned(),
                loan_days: Some(*days),
                spec: (*spec).to_owned(),
                place: PLACES[rng.below(PLACES.len())].to_owned(),
                condition: "完好".to_owned(),
                status: None,
            };
            tools::add(conn, &input, &stamp)?;
            shelf.push(code);
        }
    }
    let everyone = directory::people_with_departments(conn)?;
    let centre = directory::department_names(conn)?
        .into_iter()
        .next()
        .unwrap_or_default();
    let staff: Vec<&(String, String)> = everyone.iter().filter(|(d, _)| *d == centre).collect();
    let others: Vec<&(String, String)> = everyone.iter().filter(|(d, _)| *d != centre).collect();
    // Another department's loans are approved by the supervisor (001 公司主管领导).
    let approver = super::super::approvals::approvers(conn, Deed::ApproveOutsideLoan)?
        .into_iter()
        .next()
        .unwrap_or_else(|| "主任".to_owned());
    if staff.is_empty() || others.is_empty() {
        return Ok(Filled {
            tools: shelf.len(),
            loans: 0,
        });
    }

    let mut loans = 0;
    let mut out: Vec<Out> = Vec::new();
    let damage_day = today - Duration::days(20);
    let mut damaged = false;
    let mut day = start;
    while day < today {
        let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let count = if weekday { rng.below(3) } else { 0 };
        for n in 0..count {
            let external = rng.below(5) == 0;
            let (department, borrower) = if external {
                others[rng.below(others.len())]
            } else {
                staff[rng.below(staff.len())]
            };
            let borrowing = borrowing(department, borrower, external, &approver, rng);
            let tools_in_loan = 1 + rng.below(3).min(shelf.len().saturating_sub(1));
            let mut codes = Vec::new();
            for _ in 0..tools_in_loan.min(shelf.len()) {
                codes.push(shelf.swap_remove(rng.below(shelf.len())));
            }
            if codes.is_empty() {
                break;
            }
            let when = at(day, 9 + 2 * n as u32 + rng.below(2) as u32);
            tools::check_out(conn, &borrowing, &codes, when, &Stamp::new(AUTHOR, when))?;
            // Counted as the Tools tab counts loans: one per tool lent.
            loans += codes.len();
            for code in codes {
                let due = tools::by_code(conn, &code)?
                    .and_then(|t| t.holder)
                    .map_or(day, |h| h.due_on);
                // Most come back by the due date; one in ten a few days late.
                let span = (due - day).num_days();
                let back_on = if rng.below(10) == 0 {
                    due + Duration::days(1 + rng.below(3) as i64)
                } else {
                    day + Duration::days(rng.below(span as usize + 1) as i64)
                };
                let condition = if !damaged && day >= damage_day {
                    damaged = true;
                    Condition::Damaged
                } else {
                    Condition::Good
                };
                out.push(Out {
                    back_on,
                    code,
                    condition,
                });
            }
        }
        // In the evening what is due back today comes back (same-day tools included).
        out.sort_by_key(|o| o.back_on);
        while out.first().is_some_and(|o| o.back_on <= day) {
            let o = out.remove(0);
            give_back(conn, &o, at(day, 17))?;
            if o.condition == Condition::Good {
                shelf.push(o.code);
            }
        }
        day += Duration::days(1);
    }
    // What would still be out today is returned on its due date (or today, when due today),
    // so the overdue loans below are the only ones.
    for o in out.drain(..) {
        let due = tools::by_code(conn, &o.code)?
            .and_then(|t| t.holder)
            .map_or(today, |h| h.due_on);
        if due >= today {
            continue;
        }
        give_back(conn, &o, at(due, 17))?;
    }
    // Three loans overdue today: two of the centre's staff, one another department's.
    for (back, who, external) in [(9, 0, false), (6, 1, false), (4, 0, true)] {
        let (department, borrower) = if external {
            others[who]
        } else {
            staff[who % staff.len()]
        };
        let Some(code) = tools::matching_tools(conn, &Default::default(), today)?
            .into_iter()
            .find(|t| {
                t.holder.is_none()
                    && t.status == crate::domain::tool::ToolStatus::Available
                    && t.loan_days <= 3
            })
            .map(|t| t.code)
        else {
            break;
        };
        let when = at(today - Duration::days(back), 10);
        let borrowing = borrowing(department, borrower, external, &approver, rng);
        tools::check_out(conn, &borrowing, &[code], when, &Stamp::new(AUTHOR, when))?;
        loans += 1;
    }
    Ok(Filled {
        tools: KINDS.iter().map(|k| k.4).sum(),
        loans,
    })
}

/// A requisition's header: external borrowers come with the leader's approval.
fn borrowing(
    department: &str,
    borrower: &str,
    external: bool,
    approver: &str,
    rng: &mut Lcg,
) -> Borrowing {
    Borrowing {
        borrower: borrower.to_owned(),
        department: department.to_owned(),
        external,
        approver: if external {
            approver.to_owned()
        } else {
            String::new()
        },
        purpose: PURPOSES[rng.below(PURPOSES.len())].to_owned(),
        due_on: None,
        condition_out: "good".to_owned(),
    }
}

/// Return one demo tool; the damaged one is paid for by its borrower at once.
fn give_back(conn: &Connection, o: &Out, when: NaiveDateTime) -> Result<(), ToolError> {
    let Some(holder) = tools::by_code(conn, &o.code)?.and_then(|t| t.holder) else {
        return Ok(());
    };
    let damaged = o.condition == Condition::Damaged;
    let back = Return {
        condition: o.condition,
        note: if damaged {
            "使用不当，显示屏摔裂".to_owned()
        } else {
            String::new()
        },
        liable_person: if damaged {
            holder.borrower.clone()
        } else {
            String::new()
        },
        amount: if damaged { 12000 } else { 0 },
        settled: damaged,
        repair: false,
    };
    tools::return_item(conn, holder.item_id, &back, &Stamp::new(AUTHOR, when))?;
    Ok(())
}
