//! The month pack as files: a fixed demo month, hostile and Chinese text in every text column,
//! and a month with nothing in it.

use chrono::{NaiveDate, NaiveDateTime};

use super::{File, write_pack};
use crate::db::month;
use crate::db::{Db, Stamp};
use crate::domain::month::Month;
use crate::i18n::Lang;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn october() -> Month {
    Month::parse("2026-10").unwrap()
}

/// The files written for `month` as text (BOM checked and dropped), in pack order.
fn pack_files(db: &Db, month: Month, now: NaiveDateTime, lang: Lang) -> Vec<(String, String)> {
    let pack = month::read(db.conn(), month, now, |_| {}).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let written = write_pack(dir.path(), &pack, lang, |_| {}).unwrap();
    assert_eq!(written.len(), File::ALL.len());
    written
        .iter()
        .map(|w| {
            let bytes = std::fs::read(&w.path).unwrap();
            assert!(
                bytes.starts_with(b"\xEF\xBB\xBF"),
                "{:?} has no BOM",
                w.path
            );
            let name = w.path.file_name().unwrap().to_string_lossy().into_owned();
            (name, String::from_utf8(bytes[3..].to_vec()).unwrap())
        })
        .collect()
}

fn rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The demo as filled on 2026-11-21: its October, the month before, as a report shows it.
fn demo() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    let stamp = Stamp::new(crate::db::demo::AUTHOR, at("2026-11-21 09:00"));
    crate::db::demo::fill(db.conn_mut(), &stamp).unwrap();
    db
}

/// Each file's first rows and its row count; the summary whole.
fn digest(files: &[(String, String)]) -> String {
    let mut out = String::new();
    for (name, text) in files {
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        out.push_str(&format!("== {name}: {} rows\n", lines.len() - 1));
        let shown = if name.ends_with("summary.csv") {
            lines.len()
        } else {
            4
        };
        for line in lines.iter().take(shown) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn the_demo_october_pack_in_both_languages() {
    let db = demo();
    for lang in Lang::ALL {
        let files = pack_files(&db, october(), at("2026-11-21 09:00"), lang);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "2026-10-checks.csv",
                "2026-10-devices.csv",
                "2026-10-device-events.csv",
                "2026-10-repairs.csv",
                "2026-10-tools.csv",
                "2026-10-daily-data.csv",
                "2026-10-summary.csv"
            ]
        );
        insta::assert_snapshot!(format!("demo_october_{lang:?}"), digest(&files));
    }
}

#[test]
fn the_register_at_month_end_is_replayed_from_the_history_book() {
    let db = demo();
    let now = at("2026-11-21 09:00");
    // This month's register, read back from the history book, is the register as it is.
    let pack = month::read(db.conn(), Month::parse("2026-11").unwrap(), now, |_| {}).unwrap();
    let (current, _) = crate::exchange::devices::export(db.conn(), false, Lang::En).unwrap();
    assert_eq!(
        crate::exchange::devices::records_csv(&pack.register, Lang::En),
        current
    );
    // At the end of October the devices registered in November were not there yet.
    let october = month::read(db.conn(), october(), now, |_| {}).unwrap();
    let added_since = pack
        .events
        .iter()
        .filter(|e| e.class == month::EventClass::Added)
        .count();
    assert!(added_since > 0, "the demo registers devices in November");
    assert!(october.register.len() < pack.register.len());
    for e in pack
        .events
        .iter()
        .filter(|e| e.class == month::EventClass::Added)
    {
        assert!(
            october.register.iter().all(|r| r.asset_tag != e.asset_tag),
            "{} was registered on {}",
            e.asset_tag,
            e.effective_on
        );
    }
}

const FORMULAS: [&str; 4] = [
    "=HYPERLINK(\"http://x\",\"点我\")",
    "+机房A",
    "-负责人",
    "@王伟",
];

/// Every kind of record of October, with formulas and Chinese in its text fields.
fn hostile() -> Db {
    use crate::db::{check_runs, checklists, devices, readings, repairs, tools};
    use crate::domain::checklist::{Answer, Outcome};
    use crate::domain::device::{Category, Status};
    use crate::domain::reading::{Direction, Target};
    use crate::domain::record::Record;
    use crate::domain::repair::{FaultKind, Priority};
    use crate::domain::tool::Borrowing;

    let [f1, f2, f3, f4] = FORMULAS.map(str::to_owned);
    let mut db = Db::open_in_memory().unwrap();
    let s = |t: &str| Stamp::new(f4.clone(), at(t));
    db.write(|tx| -> anyhow::Result<()> {
        let record = Record {
            asset_tag: "JF-1".into(),
            name: f1.clone(),
            category: Category::Server,
            model: f2.clone(),
            manufacturer: f3.clone(),
            serial_no: f4.clone(),
            location: f1.clone(),
            department: f2.clone(),
            owner: f3.clone(),
            ip_address: None,
            mac_address: None,
            status: Status::InUse,
            purchased_on: None,
            warranty_until: None,
            supplier: f4.clone(),
            ups_protected: false,
            notes: f1.clone(),
        };
        let id = devices::insert(
            tx,
            &record,
            crate::db::device_log::EventKind::Created,
            &s("2026-10-02 09:00"),
        )
        .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
        // Even an approver's name may hold a formula: a person of the directory so named.
        crate::db::directory::test_person(tx, &f1, &[crate::domain::role::Role::Deputy]);
        let slip = devices::Transfer {
            evidence: Default::default(),
            location: f2.clone(),
            department: f3.clone(),
            owner: f4.clone(),
            approver: f1.clone(),
            date: NaiveDate::from_ymd_opt(2026, 10, 3),
            reason: f2.clone(),
        };
        devices::transfer(tx, id, 1, &slip, &s("2026-10-03 09:00"))
            .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
        let new = repairs::NewRepair {
            device: repairs::DeviceRef::Registered(id),
            reporter: f1.clone(),
            department: f2.clone(),
            reported_at: at("2026-10-05 10:00"),
            kind: FaultKind::Hardware,
            description: f3.clone(),
            priority: Priority::Normal,
            check_result_id: None,
        };
        repairs::report(tx, &new, &s("2026-10-05 10:00"))
            .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
        let tool = tools::ToolInput {
            code: "T-1".into(),
            name: f1.clone(),
            kind: f2.clone(),
            spec: f3.clone(),
            place: f4.clone(),
            condition: f1.clone(),
            ..Default::default()
        };
        tools::add(tx, &tool, &s("2026-10-01 08:00"))
            .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
        crate::db::directory::test_person(tx, &f3, &[crate::domain::role::Role::Supervisor]);
        let borrowing = Borrowing {
            borrower: f2.clone(),
            department: f3.clone(),
            external: true,
            approver: f3.clone(),
            purpose: f1.clone(),
            due_on: NaiveDate::from_ymd_opt(2026, 10, 9),
            condition_out: f2.clone(),
        };
        tools::check_out(
            tx,
            &borrowing,
            &["T-1".into()],
            at("2026-10-06 09:00"),
            &s("2026-10-06 09:00"),
        )
        .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
        let daily = checklists::list(tx)?
            .into_iter()
            .find(|c| c.period == crate::domain::period::Period::Workday)
            .unwrap();
        let run = check_runs::open(
            tx,
            daily.id,
            NaiveDate::from_ymd_opt(2026, 10, 7).unwrap(),
            &s("2026-10-07 17:00"),
        )?;
        let loaded = check_runs::load(tx, run)?.unwrap();
        let answer = Answer {
            outcome: Outcome::Fail,
            value: String::new(),
            note: f3.clone(),
        };
        check_runs::answer(
            tx,
            loaded.lines[0].result_id,
            &answer,
            &s("2026-10-07 17:05"),
        )
        .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
        let metric = readings::MetricInput {
            name_zh: f2.clone(),
            name_en: f1.clone(),
            group: f3.clone(),
            scope: f4.clone(),
            unit: f1.clone(),
            decimals: 0,
            direction: Direction::Up,
            target: Target::default(),
            alert_pct: None,
        };
        let m = readings::add_metric(tx, &metric, &s("2026-10-01 08:00"))
            .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
        for (d, v) in [(7, 10.0), (8, 4.0)] {
            let day = NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
            readings::set_reading(tx, m, day, Some(v), day, &s("2026-10-08 09:00"))
                .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
        }
        Ok(())
    })
    .unwrap();
    db
}

#[test]
fn formulas_in_any_text_column_are_guarded_and_chinese_survives() {
    let db = hostile();
    for lang in Lang::ALL {
        let files = pack_files(&db, october(), at("2026-11-01 09:00"), lang);
        for (name, text) in &files {
            for (line, row) in rows(text).iter().enumerate() {
                for cell in row {
                    let first = cell.chars().next();
                    let is_number = cell.parse::<f64>().is_ok();
                    assert!(
                        !matches!(first, Some('=' | '+' | '@' | '\t' | '\r'))
                            && (first != Some('-') || is_number),
                        "{lang:?} {name} line {}: unguarded cell {cell:?}",
                        line + 1
                    );
                }
            }
            if name.ends_with("summary.csv") {
                continue;
            }
            let cells: Vec<String> = rows(text).into_iter().flatten().collect();
            assert!(
                FORMULAS.iter().any(|f| cells.contains(&format!("'{f}"))),
                "{lang:?} {name} holds none of the payloads:\n{text}"
            );
        }
        let cells: Vec<String> = files.iter().flat_map(|(_, t)| rows(t)).flatten().collect();
        for payload in FORMULAS {
            let guarded = format!("'{payload}");
            assert!(
                cells.contains(&guarded),
                "{lang:?}: {guarded} is in no file"
            );
        }
        assert!(cells.iter().any(|c| c.contains("点我")));
    }
}

#[test]
fn an_empty_month_still_writes_every_file_with_its_header() {
    let db = Db::open_in_memory().unwrap();
    for lang in Lang::ALL {
        let files = pack_files(&db, october(), at("2026-11-21 09:00"), lang);
        assert_eq!(files.len(), 7);
        for (name, text) in &files {
            let rows = rows(text);
            assert!(!rows.is_empty(), "{name} has no header");
            if name.ends_with("summary.csv") {
                // The key figures are all there, at zero; a rate with nothing to divide is empty.
                let rate = rows.iter().find(|r| r[0] == "repairs_on_time_pct").unwrap();
                assert_eq!(rate[5], "");
                let added = rows.iter().find(|r| r[0] == "devices_added").unwrap();
                assert_eq!(added[5], "0");
            } else {
                assert_eq!(rows.len(), 1, "{name}: {text}");
            }
        }
    }
}

#[test]
fn a_line_written_by_hand_is_among_the_months_device_events_by_its_kind() {
    use crate::db::device_log::{EventKind, write_line};
    use crate::domain::record::{Field, Record};
    let db = Db::open_in_memory().unwrap();
    let s = Stamp::new("王强", at("2026-10-20 09:00"));
    let mut values: [String; 17] = Default::default();
    values[Field::AssetTag.index()] = "SRV-9".into();
    values[Field::Name.index()] = "数据库服务器".into();
    values[Field::Status.index()] = "in_use".into();
    let record = Record::parse(&values).unwrap();
    let id = crate::db::devices::insert(db.conn(), &record, EventKind::Created, &s).unwrap();
    let on = NaiveDate::from_ymd_opt(2026, 10, 20).unwrap();
    write_line(
        db.conn(),
        id,
        EventKind::Degradation,
        on,
        "磁盘响应变慢",
        &s,
    )
    .unwrap();
    let files = pack_files(&db, october(), at("2026-11-01 08:00"), Lang::Zh);
    let events = files
        .iter()
        .find(|(name, _)| name.contains("events") || name.contains("变动"))
        .map(|(_, text)| text.clone())
        .unwrap_or_default();
    let line = events
        .lines()
        .find(|l| l.contains("磁盘响应变慢"))
        .unwrap_or_else(|| panic!("{files:?}"));
    assert!(
        line.contains("性能劣化") && line.contains("SRV-9"),
        "{line}"
    );
}
