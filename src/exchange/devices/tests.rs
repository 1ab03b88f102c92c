use chrono::NaiveDate;

use super::*;
use crate::db::device_log::EventKind;
use crate::db::{Db, Stamp, search};
use crate::domain::device::{Category, Status};

fn stamp() -> Stamp {
    let at = NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    Stamp::new("导入员", at)
}

fn import(db: &mut Db, csv: &str, update: bool) -> Result<Applied, Vec<String>> {
    let plan = plan(db.conn(), csv.as_bytes(), update).map_err(|e| e.lines(Lang::En))?;
    Ok(apply(db.conn_mut(), &plan, &stamp(), &mut |_| true).unwrap())
}

/// Every device, scrapped and removed ones too.
fn all_devices(db: &Db) -> Vec<devices::Device> {
    let query = ListQuery {
        archived: true,
        ..ListQuery::default()
    };
    let ids = devices::list_ids(db.conn(), &query).unwrap();
    devices::by_ids(db.conn(), &ids).unwrap()
}

fn all_records(db: &Db) -> Vec<Record> {
    all_devices(db).into_iter().map(|d| d.record).collect()
}

#[test]
fn chinese_headers_and_labels_import() {
    let mut db = Db::open_in_memory().unwrap();
    let csv = "资产编号,名称,类别,位置,IP地址,MAC地址,状态,保修截止,UPS保护\n\
               JF-SW-01,核心交换机,交换机,机房A-机柜01-U40,10.0.0.1,00-11-22-33-44-55,在用,2027/6/30,是\n";
    assert_eq!(
        import(&mut db, csv, false),
        Ok(Applied {
            added: 1,
            updated: 0
        })
    );
    let r = &all_records(&db)[0];
    assert_eq!(r.category, Category::Switch);
    assert_eq!(r.status, Status::InUse);
    assert_eq!(r.mac_address.as_deref(), Some("00:11:22:33:44:55"));
    assert_eq!(r.value(Field::WarrantyUntil), "2027-06-30");
    assert!(r.ups_protected);
}

#[test]
fn gbk_files_from_excel_import() {
    let mut db = Db::open_in_memory().unwrap();
    let csv = "资产编号,名称,责任人\r\nJF-PC-07,办公电脑,张三\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let plan = plan(db.conn(), gbk.into_owned(), false).unwrap();
    apply(db.conn_mut(), &plan, &stamp(), &mut |_| true).unwrap();
    assert_eq!(all_records(&db)[0].owner, "张三");
}

#[test]
fn every_problem_is_listed_with_line_column_and_value_and_nothing_is_written() {
    let mut db = Db::open_in_memory().unwrap();
    import(
        &mut db,
        "asset_tag,name,ip_address\nOLD-1,旧设备,10.0.0.5\n",
        false,
    )
    .unwrap();
    let csv = "asset_tag,name,ip_address,status,purchased_on\n\
               A-1,好设备,10.0.0.1,in_use,2024-01-01\n\
               A-2,,10.0.0.256,broken,2024-13-01\n\
               A-3,重复地址,10.0.0.1,,\n\
               a-1,重复编号,,,\n\
               OLD-1,已存在,,,\n\
               A-4,占用地址,10.0.0.5,,\n";
    let problems = import(&mut db, csv, false).unwrap_err();
    assert_eq!(
        problems,
        vec![
            "line 3, name \"\": required",
            "line 3, ip_address \"10.0.0.256\": '10.0.0.256' is not an IPv4 or IPv6 address (e.g. 10.1.20.33)",
            "line 3, status \"broken\": unknown status \"broken\"; use one of in_stock, in_use, spare, under_repair, at_vendor, lent, pending_scrap, scrapped, lost or the Chinese name",
            "line 3, purchased_on \"2024-13-01\": \"2024-13-01\" is not a date; write YYYY-MM-DD, e.g. 2026-03-05",
            "line 4, ip_address \"10.0.0.1\": the same IP address is on line 2",
            "line 5, asset_tag \"a-1\": the same asset tag is on line 2",
            "line 6, asset_tag \"OLD-1\": already in the register; use --update to change existing devices",
            "line 7, ip_address \"10.0.0.5\": already used by OLD-1 旧设备",
        ]
    );
    assert_eq!(
        all_records(&db).len(),
        1,
        "nothing of the bad file was written"
    );
    // Saved by Excel with CRLF line ends: the same lines.
    let crlf = import(&mut db, &csv.replace('\n', "\r\n"), false).unwrap_err();
    assert_eq!(crlf, problems);
}

#[test]
fn header_problems_are_named() {
    let db = Db::open_in_memory().unwrap();
    let err = |csv: &str| {
        plan(db.conn(), csv.as_bytes(), false)
            .unwrap_err()
            .lines(Lang::En)
    };
    assert_eq!(
        err(""),
        vec![FileProblem::Sheet(FileIssue::Empty).message(Lang::En)]
    );
    assert!(err("asset_tag,price\n")[0].starts_with("unknown column \"price\""));
    assert!(err("name,名称\n")[0].contains("appears twice"));
    assert!(err("name\nx\n")[0].contains("no asset_tag (资产编号) column"));
    assert!(err("asset_tag,name\n\"x,y\n")[0].starts_with("line"));
}

#[test]
fn update_changes_only_the_columns_given_and_can_swap_addresses() {
    let mut db = Db::open_in_memory().unwrap();
    import(
        &mut db,
        "asset_tag,name,ip_address,owner\nA,甲,10.0.0.1,张三\nB,乙,10.0.0.2,李四\n",
        false,
    )
    .unwrap();
    let again = import(&mut db, "asset_tag,ip_address\nA,10.0.0.9\n", false);
    assert!(
        again
            .unwrap_err()
            .iter()
            .any(|p| p.contains("use --update"))
    );
    let csv = "asset_tag,ip_address\nA,10.0.0.2\nB,10.0.0.1\n";
    let plan = plan(db.conn(), csv.as_bytes(), true).unwrap();
    assert_eq!(plan.updates.len(), 2);
    assert_eq!(
        plan.updates[0].changes,
        vec![(Field::IpAddress, "10.0.0.1".into(), "10.0.0.2".into())]
    );
    apply(db.conn_mut(), &plan, &stamp(), &mut |_| true).unwrap();
    let records = all_records(&db);
    assert_eq!(records[0].value(Field::IpAddress), "10.0.0.2");
    assert_eq!(records[0].owner, "张三", "columns not in the file are kept");
    assert_eq!(records[1].value(Field::IpAddress), "10.0.0.1");
    // The same file again changes nothing.
    let plan = super::plan(db.conn(), csv.as_bytes(), true).unwrap();
    assert_eq!((plan.updates.len(), plan.unchanged), (0, 2));
}

#[test]
fn exported_formulas_are_guarded() {
    let mut db = Db::open_in_memory().unwrap();
    import(
        &mut db,
        "asset_tag,name,notes\nA,\"'=HYPERLINK(\"\"http://x\"\")\",-3 dBm\n",
        false,
    )
    .unwrap();
    let r = &all_records(&db)[0];
    assert_eq!(r.name, "=HYPERLINK(\"http://x\")");
    let (bytes, count) = export(db.conn(), false, Lang::En).unwrap();
    assert_eq!(count, 1);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with("\u{feff}asset_tag,name,category,"));
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains(",'-3 dBm"), "{text}");
}

/// A small deterministic generator, so a failing case is reproducible from its seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }

    fn text(&mut self, max: u64, multiline: bool) -> String {
        const POOL: &[char] = &[
            'a', 'Z', '0', '机', '房', '柜', '=', '+', '-', '@', '\'', ',', '"', ' ', '/', '.',
            ';', '，', '“',
        ];
        let len = self.next(max + 1);
        let mut s: String = (0..len)
            .map(|_| {
                if multiline && self.next(8) == 0 {
                    ['\n', '\t'][self.next(2) as usize]
                } else {
                    POOL[self.next(POOL.len() as u64) as usize]
                }
            })
            .collect();
        s = s.trim().to_owned();
        s
    }

    fn date(&mut self) -> Option<NaiveDate> {
        (self.next(3) > 0).then(|| {
            NaiveDate::from_ymd_opt(2015 + self.next(12) as i32, 1, 1).unwrap()
                + chrono::Duration::days(self.next(365) as i64)
        })
    }

    fn record(&mut self, i: usize) -> Record {
        let purchased_on = self.date();
        let warranty_until =
            purchased_on.map(|d| d + chrono::Duration::days(self.next(2000) as i64));
        Record {
            // Asset tags are half-width only (a full-width comma is refused in them).
            asset_tag: format!("T{i}{}", self.text(6, false).replace('，', ","))
                .trim()
                .to_owned(),
            name: format!("N{}", self.text(20, false)).trim().to_owned(),
            category: Category::ALL[self.next(10) as usize],
            model: self.text(10, false),
            manufacturer: self.text(10, false),
            serial_no: self.text(10, false),
            location: self.text(20, false),
            department: self.text(10, false),
            owner: self.text(6, false),
            ip_address: (self.next(2) == 0)
                .then(|| std::net::IpAddr::from([10, (i / 250) as u8, (i % 250) as u8, 1])),
            mac_address: (self.next(2) == 0).then(|| {
                let b: Vec<String> = (0..6).map(|_| format!("{:02X}", self.next(256))).collect();
                b.join(":")
            }),
            status: Status::ALL[self.next(9) as usize],
            purchased_on,
            warranty_until,
            supplier: self.text(10, false),
            ups_protected: self.next(2) == 0,
            notes: self.text(40, true),
        }
    }
}

/// A register written out and read back in is the same register: into an empty database (its
/// devices in the statuses a new device is entered with), and into the same database with
/// update on (every status: nothing changes).
#[test]
fn export_then_import_gives_back_exactly_the_same_register() {
    for (seed, lang) in [(1, Lang::En), (2, Lang::Zh), (3, Lang::Zh), (4, Lang::En)] {
        let mut maker = Gen(seed);
        let all: Vec<Record> = (0..150).map(|i| maker.record(i)).collect();
        let entered: Vec<Record> = all
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut r = r.clone();
                if !Status::INITIAL.contains(&r.status) {
                    r.status = Status::INITIAL[i % 3];
                }
                r
            })
            .collect();
        for (records, update) in [(&entered, false), (&all, true)] {
            let mut source = Db::open_in_memory().unwrap();
            let tx = source.conn_mut().transaction().unwrap();
            for r in records {
                // Generated values must themselves be valid: they pass through the same parser.
                assert_eq!(Record::parse(&r.values()).as_ref(), Ok(r), "seed {seed}");
                devices::insert(&tx, r, EventKind::Created, &stamp()).unwrap();
            }
            tx.commit().unwrap();
            let source_books = opening_entries(&source);
            let (bytes, count) = export(source.conn(), true, lang).unwrap();
            assert_eq!(count, records.len());
            let mut target = match update {
                true => source,
                false => Db::open_in_memory().unwrap(),
            };
            let before = all_records(&target);
            let plan = plan(target.conn(), bytes.as_slice(), update)
                .unwrap_or_else(|e| panic!("seed {seed}: {:?}", e.lines(Lang::En)));
            if update {
                assert_eq!(plan.unchanged, count, "seed {seed}");
            }
            apply(target.conn_mut(), &plan, &stamp(), &mut |_| true).unwrap();
            let expected = if update { before } else { records.clone() };
            let mut got = all_records(&target);
            let mut expected = expected;
            got.sort_by(|a, b| a.asset_tag.cmp(&b.asset_tag));
            expected.sort_by(|a, b| a.asset_tag.cmp(&b.asset_tag));
            assert_eq!(got, expected, "seed {seed}");
            if !update {
                // Written in bulk, each history book opens with the lines a device added by
                // hand gets: the same fields, values and order.
                assert_eq!(opening_entries(&target), source_books, "seed {seed}");
            }
        }
    }
}

/// Each device's first history entry, by asset tag: its field, old and new value lines.
fn opening_entries(db: &Db) -> std::collections::BTreeMap<String, Vec<(String, String, String)>> {
    all_devices(db)
        .into_iter()
        .map(|d| {
            let book = crate::db::device_log::history(db.conn(), d.id).unwrap();
            let first = book.last().expect("a history entry");
            let lines = first
                .changes
                .iter()
                .map(|c| (c.field.clone(), c.old.clone(), c.new.clone()))
                .collect();
            (d.record.asset_tag, lines)
        })
        .collect()
}

#[test]
fn imported_devices_are_found_by_a_rare_word_and_later_saves_keep_the_index_in_step() {
    let mut db = Db::open_in_memory().unwrap();
    let mut csv = String::from("asset_tag,name\n");
    for n in 0..50 {
        csv.push_str(&format!("JF-PC-{n:04},办公电脑\n"));
    }
    csv.push_str("JF-SV-0001,Quokka 服务器\n");
    import(&mut db, &csv, false).unwrap();
    let found = |db: &Db, word: &str| -> Vec<String> {
        let query = ListQuery {
            search: word.into(),
            ..ListQuery::default()
        };
        let ids = devices::list_ids(db.conn(), &query).unwrap();
        devices::by_ids(db.conn(), &ids)
            .unwrap()
            .into_iter()
            .map(|d| d.record.asset_tag)
            .collect()
    };
    assert_eq!(found(&db, "quokka"), ["JF-SV-0001"]);
    // The index is whole, and a device added after the import is indexed as it is saved.
    assert_eq!(
        search::out_of_step(db.conn()).unwrap(),
        Vec::<String>::new()
    );
    import(&mut db, "asset_tag,name\nJF-SV-0002,Wombat 服务器\n", false).unwrap();
    let mut values: [String; 17] = Default::default();
    values[Field::AssetTag.index()] = "JF-SV-0003".into();
    values[Field::Name.index()] = "Numbat 存储".into();
    let record = Record::parse(&values).unwrap();
    devices::insert(db.conn(), &record, EventKind::Created, &stamp()).unwrap();
    assert_eq!(found(&db, "wombat"), ["JF-SV-0002"]);
    assert_eq!(found(&db, "numbat"), ["JF-SV-0003"]);
    assert_eq!(
        search::out_of_step(db.conn()).unwrap(),
        Vec::<String>::new()
    );
}

/// `n` PCs as an import file, tagged JF-PC-00000 onwards.
fn pcs_csv(n: usize) -> String {
    let mut csv = String::from("asset_tag,name,category\n");
    for i in 0..n {
        csv.push_str(&format!("JF-PC-{i:05},办公电脑,pc\n"));
    }
    csv
}

#[test]
fn another_programs_saves_wait_for_a_big_import_and_none_lands_in_the_middle() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut db = Db::open(&path).unwrap();
    let csv = pcs_csv(1_500);
    let plan = plan(db.conn(), csv.as_bytes(), false).unwrap();
    let told = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicBool::new(false));
    let colleague = {
        let (told, finished, path) = (told.clone(), finished.clone(), path.clone());
        std::thread::spawn(move || {
            let mut db = Db::open(&path).unwrap();
            let mut seen = Vec::new();
            while !finished.load(Ordering::SeqCst) {
                // A device of its own: the trigram index takes it in as it is saved, while
                // the import indexes its own devices step by step.
                let mut values: [String; 17] = Default::default();
                values[Field::AssetTag.index()] = format!("JF-SW-{:04}", seen.len());
                values[Field::Name.index()] = "Wallaby 交换机".into();
                let record = Record::parse(&values).unwrap();
                db.write(|tx| devices::insert(tx, &record, EventKind::Created, &stamp()))
                    .unwrap();
                // How far the import had got when this save was committed.
                seen.push(told.load(Ordering::SeqCst));
            }
            seen
        })
    };
    let applied = apply(db.conn_mut(), &plan, &stamp(), &mut |n| {
        told.store(n, Ordering::SeqCst);
        true
    })
    .unwrap();
    finished.store(true, Ordering::SeqCst);
    let seen = colleague.join().unwrap();
    assert_eq!(applied.added, 1_500);
    // One transaction: a save commits before the import began or after it ended, never between.
    assert!(
        seen.iter().all(|&n| n == 0 || n == 1_500),
        "a save went in while the import was being written: {seen:?}"
    );
    assert!(seen.contains(&1_500), "the colleague saved after: {seen:?}");
    assert_eq!(all_records(&db).len(), 1_500 + seen.len());
    assert_eq!(
        search::out_of_step(db.conn()).unwrap(),
        Vec::<String>::new()
    );
    let query = ListQuery {
        search: "wallaby".into(),
        ..ListQuery::default()
    };
    let found = devices::list_ids(db.conn(), &query).unwrap();
    assert_eq!(found.len(), seen.len(), "every colleague's device is found");
    let held: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM search_deferred", [], |r| r.get(0))
        .unwrap();
    assert_eq!(held, 0, "the index is not left held back");
}

#[test]
fn a_stopped_import_writes_nothing_and_the_same_file_then_goes_in_whole() {
    let mut db = Db::open_in_memory().unwrap();
    let before = crate::db::audit::last_id(db.conn()).unwrap();
    let csv = pcs_csv(300);
    let first = plan(db.conn(), csv.as_bytes(), false).unwrap();
    let stopped = apply(db.conn_mut(), &first, &stamp(), &mut |n| n < 200).unwrap_err();
    assert!(
        matches!(stopped, devices::SaveError::Stopped),
        "{stopped:?}"
    );
    assert_eq!(all_records(&db).len(), 0, "nothing of it is written");
    assert_eq!(crate::db::audit::last_id(db.conn()).unwrap(), before);
    assert_eq!(
        stopped.message(Lang::En),
        "The import was stopped: nothing was written."
    );
    let again = plan(db.conn(), csv.as_bytes(), false).unwrap();
    assert_eq!(again.adds.len(), 300);
    apply(db.conn_mut(), &again, &stamp(), &mut |_| true).unwrap();
    assert_eq!(all_records(&db).len(), 300);
    let events: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM device_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events, 300, "one import entry in each history book");
}

/// A new device is entered as the form enters it: in stock, in use or spare. Lent, scrapped,
/// pending scrap and the rest are steps that ask for an approver, a reason and a date, so an
/// import cannot skip them, for new devices or with --update.
#[test]
fn an_import_keeps_the_lifecycle_rules_of_the_forms() {
    let mut db = Db::open_in_memory().unwrap();
    import(&mut db, "asset_tag,name\nOLD-1,旧设备\n", false).unwrap();
    let csv = "asset_tag,name,status\n\
               A-1,借出的,lent\n\
               A-2,已报废,scrapped\n\
               A-3,待报废,待报废\n\
               A-4,维修中,under_repair\n\
               A-5,库存,in_stock\n";
    let problems = import(&mut db, csv, false).unwrap_err();
    let refused = "a new device is entered as In stock, In use, Spare, not";
    assert_eq!(problems.len(), 4, "{problems:?}");
    for (i, problem) in problems.iter().enumerate() {
        let line = format!("line {}, status ", i + 2);
        assert!(problem.starts_with(&line), "{problem}");
        assert!(problem.contains(refused), "{problem}");
    }
    let update = "asset_tag,name,status\nOLD-1,旧设备,scrapped\n";
    let problems = import(&mut db, update, true).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("line 2, status \"scrapped\""),
        "{problems:?}"
    );
    assert_eq!(all_records(&db).len(), 1, "nothing was written");
    import(&mut db, "asset_tag,name,status\nA-5,库存,in_stock\n", false).unwrap();
    assert_eq!(all_records(&db).len(), 2);
}

/// Dates no one means are refused with the plausible years; a huge cell is quoted short.
#[test]
fn implausible_dates_are_refused_and_huge_values_quoted_short() {
    let mut db = Db::open_in_memory().unwrap();
    let huge = "名".repeat(1_000_000);
    let csv = format!(
        "asset_tag,name,purchased_on,warranty_until\n\
         A-1,交换机,0000-01-01,9999-12-31\n\
         A-2,{huge},2024-01-01,2027-01-01\n"
    );
    let problems = import(&mut db, &csv, false).unwrap_err();
    assert_eq!(
        problems[..2],
        [
            "line 2, purchased_on \"0000-01-01\": \"0000-01-01\" is outside the years 1950 to 2100; check the year",
            "line 2, warranty_until \"9999-12-31\": \"9999-12-31\" is outside the years 1950 to 2100; check the year",
        ]
    );
    assert_eq!(problems.len(), 3, "{:?}", &problems[..2]);
    assert!(
        problems[2].starts_with("line 3, name \"名名"),
        "{}",
        &problems[2][..40]
    );
    assert!(problems[2].chars().count() < 200, "{}", problems[2].len());
}
