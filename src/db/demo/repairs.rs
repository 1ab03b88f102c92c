//! Demo repair log: a year of tickets on devices of the register and on unregistered
//! equipment, most repaired on time, some late, some at a vendor, one rejected by its user and
//! reopened, one found unrepairable; the checklist findings that asked for a repair get their
//! tickets; and the last three weeks' tickets still open in every state.

use crate::domain::permission::Deed;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use rusqlite::Connection;

use super::Lcg;
use crate::db::devices::{self, ListQuery};
use crate::db::repairs::{self, DeviceRef, NewRepair, RepairError};
use crate::db::{Stamp, directory};
use crate::domain::device::Status;
use crate::domain::repair::{
    DamageConfirmation, FaultKind, Outcome, Priority, State, Step, VendorRepair,
};

/// How far back the log goes.
const HISTORY_DAYS: i64 = 365;

/// Symptoms by fault kind, with what fixed them and the part (and its price in yuan) if any.
pub(super) const FAULTS: &[(FaultKind, &str, &str, &str, i64)] = &[
    (
        FaultKind::Hardware,
        "频繁死机，机箱内有异常声响",
        "更换 CPU 风扇，清灰",
        "CPU 风扇",
        45,
    ),
    (
        FaultKind::Hardware,
        "开机无显示",
        "内存条松动，重新插拔并清洁金手指",
        "",
        0,
    ),
    (
        FaultKind::Hardware,
        "硬盘告警灯常亮",
        "更换故障硬盘，RAID 重建完成",
        "硬盘 2TB",
        680,
    ),
    (
        FaultKind::Hardware,
        "打印机卡纸、出纸有黑线",
        "更换定影组件",
        "定影组件",
        320,
    ),
    (
        FaultKind::Hardware,
        "电源无法开机",
        "更换电源",
        "电源 500W",
        260,
    ),
    (
        FaultKind::Software,
        "系统崩溃蓝屏",
        "重装系统并恢复数据，查杀无病毒",
        "",
        0,
    ),
    (
        FaultKind::Software,
        "财务软件无法登录",
        "修复数据库连接配置",
        "",
        0,
    ),
    (
        FaultKind::Software,
        "中毒弹窗，运行缓慢",
        "全盘查杀病毒，更新病毒库",
        "",
        0,
    ),
    (
        FaultKind::Network,
        "无法上网",
        "网线水晶头氧化，重新压制",
        "水晶头",
        2,
    ),
    (
        FaultKind::Network,
        "网口指示灯不亮",
        "更换交换机端口模块",
        "光模块",
        150,
    ),
    (
        FaultKind::Network,
        "IP 地址冲突",
        "按地址分配表重新分配 IP",
        "",
        0,
    ),
    (
        FaultKind::Other,
        "投影仪画面偏色",
        "更换灯泡",
        "投影灯泡",
        450,
    ),
];

pub(super) const VENDORS: &[&str] = &[
    "联想服务站",
    "惠普授权维修中心",
    "华为技术服务",
    "本地电脑城维修部",
];

const UNREGISTERED: &[&str] = &[
    "会议室投影仪",
    "3 楼走廊打印机",
    "门卫室监控电脑",
    "报告厅音响",
];

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

/// How a demo ticket's story goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Story {
    OnTime,
    Late,
    Vendor,
    Rejected,
    Unrepairable,
    /// Still open, stopped in this state.
    OpenAt(State),
}

struct People {
    maintainers: Vec<String>,
    users: Vec<(String, String)>,
    approver: String,
}

fn people(conn: &Connection) -> rusqlite::Result<People> {
    let all = directory::people_with_departments(conn)?;
    let centre = directory::department_names(conn)?
        .into_iter()
        .next()
        .unwrap_or_default();
    let maintainers: Vec<String> = all
        .iter()
        .filter(|(d, _)| *d == centre)
        .map(|(_, n)| n.clone())
        .collect();
    // Outside repairs are approved by the supervisor (001 公司主管领导).
    let approver = super::super::approvals::approvers(conn, Deed::ApproveVendorRepair)?
        .into_iter()
        .next()
        .unwrap_or_default();
    let users = all.into_iter().filter(|(d, _)| *d != centre).collect();
    Ok(People {
        maintainers,
        users,
        approver,
    })
}

/// Write the year of repairs; nothing when the log already has tickets in that year (the large
/// demo's history ends where it begins). Returns how many.
pub fn fill(conn: &Connection, rng: &mut Lcg, today: NaiveDate) -> Result<usize, RepairError> {
    let first = (today - Duration::days(HISTORY_DAYS)).and_time(NaiveTime::MIN);
    if repairs::reported_since(conn, first)? > 0 {
        return Ok(0);
    }
    let folks = people(conn)?;
    if folks.maintainers.len() < 2 || folks.users.is_empty() {
        return Ok(0);
    }
    // Devices in service: the register's other ones cannot be reported.
    let ids = devices::list_ids(conn, &ListQuery::default())?;
    let register: Vec<i64> = devices::by_ids(conn, &ids)?
        .into_iter()
        .filter(|d| {
            matches!(
                d.record.status,
                Status::InUse | Status::Spare | Status::InStock
            )
        })
        .map(|d| d.id)
        .collect();
    let mut added = 0;
    let start = today - Duration::days(HISTORY_DAYS);
    let mut day = start;
    let mut index = 0usize;
    let mut stories = Stories::default();
    let requests = repairs::pending_requests(conn)?;
    let mut requests = requests.into_iter().peekable();
    while day <= today {
        // Findings from the checklists are reported the moment they were found.
        while let Some(request) =
            requests.next_if(|r| r.answered_at.is_none_or(|a| a.date() <= day))
        {
            let when = request.answered_at.unwrap_or(at(day, 17, 30)) + Duration::minutes(10);
            let device = match request.device_tag.as_str() {
                "" => DeviceRef::Unregistered(request.item_text.zh.clone()),
                tag => devices::by_tag(conn, tag)?
                    .map_or(DeviceRef::Unregistered(tag.to_owned()), |d| {
                        DeviceRef::Registered(d.id)
                    }),
            };
            let reporter = if request.answered_by.is_empty() {
                folks.maintainers[0].clone()
            } else {
                request.answered_by.clone()
            };
            let new = NewRepair {
                device,
                reporter,
                department: "信息中心".into(),
                reported_at: when,
                kind: FaultKind::Other,
                description: format!(
                    "{} {}：{}",
                    request.item_code, request.item_text.zh, request.note
                ),
                priority: Priority::High,
                check_result_id: Some(request.result_id),
            };
            let recent = (today - when.date()).num_days() < 3;
            let story = if recent {
                Story::OpenAt(State::InRepair)
            } else {
                Story::OnTime
            };
            if play(conn, rng, &folks, &new, story, index, today)? {
                added += 1;
            }
            index += 1;
        }
        // Two or three faults a week, fewer at weekends.
        let weekend = matches!(day.format("%u").to_string().as_str(), "6" | "7");
        let count = if weekend {
            usize::from(rng.below(6) == 0)
        } else {
            usize::from(rng.below(5) < 2) + usize::from(rng.below(10) == 0)
        };
        for _ in 0..count {
            let reported_at = at(day, 8 + rng.below(9) as u32, rng.below(60) as u32);
            if reported_at > at(today, 8, 0) {
                continue;
            }
            let story = stories.next((today - day).num_days(), rng);
            let (user_dept, user) = folks.users[rng.below(folks.users.len())].clone();
            let fault = FAULTS[rng.below(FAULTS.len())];
            let device = if rng.below(8) == 0 || register.is_empty() {
                DeviceRef::Unregistered(UNREGISTERED[rng.below(UNREGISTERED.len())].to_owned())
            } else {
                DeviceRef::Registered(register[rng.below(register.len())])
            };
            let priority = [
                Priority::Urgent,
                Priority::High,
                Priority::Normal,
                Priority::Normal,
                Priority::Low,
            ][rng.below(5)];
            let new = NewRepair {
                device,
                reporter: user,
                department: user_dept,
                reported_at,
                kind: fault.0,
                description: fault.1.to_owned(),
                priority,
                check_result_id: None,
            };
            if play(conn, rng, &folks, &new, story, index, today)? {
                added += 1;
            }
            index += 1;
        }
        day += Duration::days(1);
    }
    Ok(added)
}

/// Which story the next ticket gets: one rejected and one unrepairable early in the year,
/// one open ticket in each state over the last fortnight, and otherwise mostly on time.
#[derive(Default)]
struct Stories {
    rejected: bool,
    unrepairable: bool,
    open: usize,
}

impl Stories {
    fn next(&mut self, age: i64, rng: &mut Lcg) -> Story {
        const OPEN: [State; 6] = [
            State::AtVendor,
            State::InRepair,
            State::Assessed,
            State::AwaitingConfirmation,
            State::InRepair,
            State::Reported,
        ];
        if age <= 21 {
            let story = OPEN
                .get(self.open)
                .map_or(Story::OnTime, |s| Story::OpenAt(*s));
            self.open += 1;
            return story;
        }
        if age < 330 && !self.rejected {
            self.rejected = true;
            return Story::Rejected;
        }
        if age < 300 && !self.unrepairable {
            self.unrepairable = true;
            return Story::Unrepairable;
        }
        match rng.below(20) {
            0 | 1 => Story::Vendor,
            2..=4 => Story::Late,
            _ => Story::OnTime,
        }
    }
}

/// Report a ticket and take it through its story. `Ok(false)` when the device could not be
/// repaired (the register moved it out of service meanwhile).
fn play(
    conn: &Connection,
    rng: &mut Lcg,
    folks: &People,
    new: &NewRepair,
    story: Story,
    index: usize,
    today: NaiveDate,
) -> Result<bool, RepairError> {
    let mut maintainer = folks.maintainers[index % folks.maintainers.len()].clone();
    let mut other = folks.maintainers[(index + 1) % folks.maintainers.len()].clone();
    // Nobody approves their own action: the supervisor who approves outside repairs does not
    // send one out themselves.
    let vendor_story = matches!(story, Story::Vendor | Story::OpenAt(State::AtVendor));
    if vendor_story && maintainer == folks.approver {
        std::mem::swap(&mut maintainer, &mut other);
    }
    let reporter = Stamp::new(new.reporter.clone(), new.reported_at);
    let id = match repairs::report(conn, new, &reporter) {
        Ok((id, _)) => id,
        Err(RepairError::DeviceUnavailable { .. }) => return Ok(false),
        Err(e) => return Err(e),
    };
    // A fault found at the end of the day is taken up the next morning.
    let start = if new.reported_at.hour() >= 17 {
        at(new.reported_at.date() + Duration::days(1), 8, 10)
    } else {
        new.reported_at
    };
    let mut clock = Clock {
        at: start,
        limit: at(today, 8, 0).max(new.reported_at),
        who: maintainer.clone(),
    };
    let take = |step: Step, stamp: Stamp| -> Result<(), RepairError> {
        let version = repairs::get(conn, id)?.map_or(0, |r| r.row_version);
        repairs::step(conn, id, version, &step, &stamp).map(|_| ())
    };
    let stop_at = match story {
        Story::OpenAt(state) => Some(state),
        _ => None,
    };
    if stop_at == Some(State::Reported) {
        return Ok(true);
    }
    let hours = new.priority.usual_hours();
    let assessed = clock.tick(20 + rng.below(60) as i64);
    take(
        Step::Assess {
            maintainer: maintainer.clone(),
            estimate_at: assessed.at + Duration::hours(hours),
        },
        assessed,
    )?;
    if stop_at == Some(State::Assessed) {
        return Ok(true);
    }
    take(Step::Start, clock.tick(30))?;
    if stop_at == Some(State::InRepair) {
        return Ok(true);
    }
    let fault = FAULTS
        .iter()
        .find(|f| f.1 == new.description)
        .copied()
        .unwrap_or((FaultKind::Other, "", "检查处理完毕，恢复正常", "", 0));
    let vendor = matches!(story, Story::Vendor | Story::OpenAt(State::AtVendor));
    let part = match (fault.3, vendor) {
        ("", true) => "主板",
        (part, _) => part,
    };
    let damage = DamageConfirmation {
        part: part.to_owned(),
        first: maintainer.clone(),
        second: other.clone(),
    };
    let mut returned_on = None;
    if vendor {
        let sent = clock.tick(60);
        take(
            Step::ToVendor {
                vendor: VendorRepair {
                    vendor: VENDORS[index % VENDORS.len()].to_owned(),
                    approver: folks.approver.clone(),
                    sent_on: Some(sent.at.date()),
                    returned_on: None,
                    reference: format!("RMA{}", 240_000 + index * 7),
                },
                damage: damage.clone(),
            },
            sent,
        )?;
        if stop_at == Some(State::AtVendor) {
            return Ok(true);
        }
        returned_on = Some((clock.at + Duration::days(7)).date());
    }
    if story == Story::Unrepairable {
        take(
            Step::GiveUp {
                reason: "主板烧毁，维修费用接近同等新机价值".into(),
            },
            clock.tick(180),
        )?;
        return Ok(true);
    }
    let work_minutes = match (story, vendor) {
        (_, true) => 60 * 24 * 8,
        (Story::Late, _) => hours * 60 + 60 * (2 + rng.below(20) as i64),
        _ => (hours * 60 / 3).max(40),
    };
    let finish = |result: &str| Step::Finish {
        outcome: Outcome {
            result: result.to_owned(),
            parts: fault.3.to_owned(),
            cost: fault.4 * 100,
            charged_department: new.department.clone(),
            human_caused: false,
            liable_person: String::new(),
        },
        damage: damage.clone(),
        returned_on,
    };
    take(finish(fault.2), clock.tick(work_minutes))?;
    if stop_at == Some(State::AwaitingConfirmation) {
        return Ok(true);
    }
    if story == Story::Rejected {
        let user = Stamp::new(new.reporter.clone(), clock.tick(120).at);
        take(
            Step::Reject {
                reason: "用了半天又出现同样问题".into(),
            },
            user,
        )?;
        take(
            finish("更换主板电容，连续运行 48 小时无异常"),
            clock.tick(60 * 26),
        )?;
    }
    let confirmed = clock.tick(60 + rng.below(180) as i64);
    take(
        Step::Confirm {
            by: new.reporter.clone(),
        },
        Stamp::new(new.reporter.clone(), confirmed.at),
    )?;
    Ok(true)
}

/// The demo's clock: each step a little later than the last, never past this morning.
struct Clock {
    at: NaiveDateTime,
    limit: NaiveDateTime,
    who: String,
}

impl Clock {
    fn tick(&mut self, minutes: i64) -> Stamp {
        self.at = (self.at + Duration::minutes(minutes)).min(self.limit);
        Stamp::new(self.who.clone(), self.at)
    }
}
