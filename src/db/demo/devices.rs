//! Demo devices: a few hundred servers, switches, UPS, PCs and printers across two machine
//! rooms, wiring closets and offices, with a few transfers and scrappings in their history.

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::Connection;

use super::Lcg;
use crate::db::device_log::EventKind;
use crate::db::devices::{self, Transfer};
use crate::db::{Stamp, directory};
use crate::domain::device::{Category, Status};
use crate::domain::record::Record;

/// What each kind of device is, where it stands and how many there are.
pub(super) struct Kind {
    pub(super) category: Category,
    pub(super) code: &'static str,
    pub(super) count: usize,
    pub(super) names: &'static [&'static str],
    pub(super) makes: &'static [(&'static str, &'static str)],
    /// The first three octets of its addresses; `None`: no address.
    pub(super) subnet: Option<[u8; 3]>,
    pub(super) in_machine_room: bool,
    ups: bool,
}

pub(super) const KINDS: &[Kind] = &[
    Kind {
        category: Category::Server,
        code: "SV",
        count: 48,
        names: &[
            "Web 服务器",
            "数据库服务器",
            "邮件服务器",
            "文件服务器",
            "虚拟化主机",
            "备份服务器",
        ],
        makes: &[
            ("浪潮", "NF5280M6"),
            ("华为", "2288H V5"),
            ("戴尔", "PowerEdge R740"),
            ("联想", "ThinkSystem SR650"),
        ],
        subnet: Some([10, 10, 1]),
        in_machine_room: true,
        ups: true,
    },
    Kind {
        category: Category::Storage,
        code: "ST",
        count: 8,
        names: &["存储阵列", "NAS 存储"],
        makes: &[("华为", "OceanStor 5310"), ("群晖", "RS3621xs+")],
        subnet: Some([10, 10, 2]),
        in_machine_room: true,
        ups: true,
    },
    Kind {
        category: Category::Switch,
        code: "SW",
        count: 36,
        names: &["核心交换机", "汇聚交换机", "接入交换机"],
        makes: &[
            ("华为", "S5735-L48T4X"),
            ("新华三", "S5130S-52S"),
            ("锐捷", "RG-S5750"),
        ],
        subnet: Some([10, 10, 0]),
        in_machine_room: false,
        ups: true,
    },
    Kind {
        category: Category::Router,
        code: "RT",
        count: 4,
        names: &["出口路由器", "专线路由器"],
        makes: &[("华为", "AR6140"), ("新华三", "MSR3620")],
        subnet: Some([10, 10, 0]),
        in_machine_room: true,
        ups: true,
    },
    Kind {
        category: Category::Firewall,
        code: "FW",
        count: 4,
        names: &["出口防火墙", "数据中心防火墙"],
        makes: &[("深信服", "AF-1000"), ("华为", "USG6550E")],
        subnet: Some([10, 10, 0]),
        in_machine_room: true,
        ups: true,
    },
    Kind {
        category: Category::Ups,
        code: "UP",
        count: 6,
        names: &["UPS 主机", "UPS 电池柜"],
        makes: &[("山特", "3C3 Pro 60K"), ("施耐德", "Galaxy VS")],
        subnet: Some([10, 10, 3]),
        in_machine_room: true,
        ups: false,
    },
    Kind {
        category: Category::Pc,
        code: "PC",
        count: 170,
        names: &["办公电脑", "值班电脑", "教师电脑"],
        makes: &[
            ("联想", "启天 M437"),
            ("惠普", "ProDesk 480"),
            ("戴尔", "OptiPlex 7090"),
        ],
        subnet: Some([10, 20, 0]),
        in_machine_room: false,
        ups: false,
    },
    Kind {
        category: Category::Printer,
        code: "PR",
        count: 30,
        names: &["激光打印机", "复印一体机"],
        makes: &[
            ("惠普", "LaserJet M405"),
            ("佳能", "iR 2625"),
            ("兄弟", "HL-5595DN"),
        ],
        subnet: Some([10, 20, 200]),
        in_machine_room: false,
        ups: false,
    },
    Kind {
        category: Category::Phone,
        code: "PH",
        count: 14,
        names: &["IP 电话"],
        makes: &[("思科", "CP-7821"), ("华为", "eSpace 7910")],
        subnet: None,
        in_machine_room: false,
        ups: false,
    },
];

pub(super) const OFFICES: &[&str] = &["行政楼", "教学楼A", "教学楼B", "图书馆", "实验楼"];
pub(super) const SUPPLIERS: &[&str] = &["神州数码", "东华软件", "本地代理商", "京东企业购"];

/// Add the demo devices that are not there yet (matched on asset tag); how many were added.
pub fn fill(conn: &Connection, rng: &mut Lcg, stamp: &Stamp) -> rusqlite::Result<usize> {
    let people = directory::people_with_departments(conn)?;
    let centre: Vec<&(String, String)> = people.iter().filter(|p| p.0 == "信息中心").collect();
    let today = stamp.at.date();
    let mut added = 0;
    for kind in KINDS {
        for n in 1..=kind.count {
            let tag = format!("JF-{}-{n:04}", kind.code);
            let (make, model) = kind.makes[rng.below(kind.makes.len())];
            let (department, owner) = if kind.in_machine_room || kind.category == Category::Switch {
                centre[rng.below(centre.len().max(1))].clone()
            } else {
                people[rng.below(people.len().max(1))].clone()
            };
            let location = if kind.in_machine_room {
                let room = if n % 3 == 0 { "机房B" } else { "机房A" };
                format!(
                    "{room}-机柜{:02}-U{:02}",
                    1 + rng.below(12),
                    1 + rng.below(40)
                )
            } else if kind.category == Category::Switch && n > 4 {
                format!("配线间{}-机柜01-U{:02}", 1 + n % 3, 1 + rng.below(20))
            } else if kind.category == Category::Switch {
                format!("机房A-机柜01-U{:02}", 30 + n)
            } else {
                format!(
                    "{}{}",
                    OFFICES[rng.below(OFFICES.len())],
                    101 + rng.below(420)
                )
            };
            let ip_address = kind.subnet.map(|[a, b, c]| {
                let third = if kind.category == Category::Pc {
                    c + (n / 200) as u8 + 1
                } else {
                    c
                };
                let host = match kind.category {
                    Category::Router | Category::Firewall => 240 + n,
                    Category::Pc => n % 200 + 10,
                    _ => n + 10,
                };
                std::net::IpAddr::from([a, b, third, host as u8])
            });
            let mut purchased = NaiveDate::from_ymd_opt(2017 + rng.below(9) as i32, 1, 1)
                .map(|d| d + Duration::days(rng.below(365) as i64));
            // The register was set up with each device on the day it was bought; one in 25
            // is new, bought and registered in the last six weeks.
            let registered = if n % 25 == 7 {
                let day = today - Duration::days((n % 42) as i64);
                purchased = Some(day);
                day
            } else {
                purchased.map_or(today, |p| p.min(today))
            };
            let years = if kind.in_machine_room { 5 } else { 3 };
            let mut warranty = purchased.and_then(|d| d.with_year(d.year() + years));
            // A few warranties run out this month: the register flags them.
            if n % 17 == 0 {
                warranty = Some(today + Duration::days(rng.below(30) as i64));
            }
            // Under repair and at a vendor come from the repair log's open tickets.
            let status = match rng.below(100) {
                0..=79 | 90..=93 => Status::InUse,
                80..=85 => Status::Spare,
                86..=89 => Status::InStock,
                94 => Status::Lent,
                95..=96 => Status::PendingScrap,
                97..=98 => Status::Scrapped,
                _ => Status::Lost,
            };
            let record = Record {
                asset_tag: tag,
                name: kind.names[rng.below(kind.names.len())].to_owned(),
                category: kind.category,
                model: model.to_owned(),
                manufacturer: make.to_owned(),
                serial_no: format!("SN{:010}", rng.below(10_000_000_000)),
                location,
                department,
                owner,
                ip_address,
                mac_address: Some(format!(
                    "00:E0:FC:{:02X}:{:02X}:{:02X}",
                    rng.below(256),
                    rng.below(256),
                    rng.below(256)
                )),
                status,
                purchased_on: purchased,
                warranty_until: warranty.filter(|w| purchased.is_none_or(|p| *w >= p)),
                supplier: SUPPLIERS[rng.below(SUPPLIERS.len())].to_owned(),
                ups_protected: kind.ups,
                notes: String::new(),
            };
            if devices::tag_taken(conn, &record.asset_tag, None)? {
                continue;
            }
            let entered = Stamp::new(stamp.by.clone(), registered.and_time(stamp.at.time()));
            let id = match devices::insert(conn, &record, EventKind::Created, &entered) {
                Ok(id) => id,
                Err(devices::SaveError::Db(e)) => return Err(e),
                // An address an operator already gave out: this demo device goes without.
                Err(_) => continue,
            };
            added += 1;
            // Every tenth PC changed hands once, on a signed transfer slip.
            if kind.category == Category::Pc
                && n % 10 == 0
                && !status.is_final()
                && status != Status::Lost
            {
                let (department, owner) = people[rng.below(people.len())].clone();
                let slip = Transfer {
                    evidence: Default::default(),
                    location: format!(
                        "{}{}",
                        OFFICES[rng.below(OFFICES.len())],
                        101 + rng.below(420)
                    ),
                    department,
                    owner,
                    approver: centre.get(1).map_or(String::new(), |p| p.1.clone()),
                    date: Some((today - Duration::days(rng.below(300) as i64)).max(registered)),
                    reason: "岗位调整".to_owned(),
                };
                let _ = devices::transfer(conn, id, 1, &slip, stamp);
            }
        }
    }
    Ok(added)
}
