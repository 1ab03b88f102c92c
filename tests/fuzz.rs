//! Fuzzing the field parsers and the CSV imports with proptest: whatever the bytes, nothing
//! panics, and whatever is accepted is clean. `cargo test --test fuzz` runs 256 cases each;
//! `PROPTEST_CASES=100000 cargo test --release --test fuzz` is the long run.

use chrono::NaiveDate;
use jifang::db::Db;
use jifang::domain::record::{Field, Record, parse_date};
use jifang::domain::{net, reading};
use jifang::exchange::{csv_text, devices, readings, tools};
use proptest::prelude::*;

/// Text drawn from what hostile files hold: escapes, NUL, full-width forms, CJK, quotes,
/// separators, digits and exponents.
fn hostile_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('\u{1b}'),
            Just('\0'),
            Just('\u{9b}'),
            Just('\u{7}'),
            Just('\n'),
            Just('\t'),
            Just('１'),
            Just('Ａ'),
            Just('－'),
            Just('\u{3000}'),
            Just('机'),
            Just('"'),
            Just(','),
            Just('='),
            Just('-'),
            Just('.'),
            Just('/'),
            Just(':'),
            Just('e'),
            Just('N'),
            proptest::char::range('0', '9'),
            proptest::char::range('a', 'f'),
            any::<char>(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn clean(text: &str, lines: bool) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() && !(lines && matches!(c, '\n' | '\t')))
}

proptest! {
    #[test]
    fn an_accepted_record_is_clean(values in proptest::collection::vec(hostile_text(), 17)) {
        let values: [String; 17] = values.try_into().unwrap();
        if let Ok(record) = Record::parse(&values) {
            for field in Field::ALL {
                let value = record.value(field);
                prop_assert!(clean(&value, field == Field::Notes), "{field:?}: {value:?}");
                prop_assert!(value.chars().count() <= field.max_chars());
            }
            prop_assert!(!record.asset_tag.trim().is_empty());
            prop_assert!(!record.asset_tag.chars().any(jifang::domain::text::is_full_width_form));
        }
    }

    #[test]
    fn a_date_is_read_only_when_it_is_a_real_day(text in hostile_text()) {
        if let Some(day) = parse_date(&text) {
            prop_assert!(text.trim().starts_with(&day.format("%Y").to_string()));
            prop_assert!(text.chars().all(|c| c.is_ascii_digit() || "-/.年月日 ".contains(c)));
        }
    }

    #[test]
    fn a_number_is_finite_plain_and_ascii(text in hostile_text()) {
        if let Some(value) = reading::parse_number(&text) {
            prop_assert!(value.is_finite());
            prop_assert!(text.trim().chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-'));
        }
    }

    #[test]
    fn addresses_are_ascii_and_well_formed(text in hostile_text()) {
        if let Ok(mac) = net::normalize_mac(&text) {
            prop_assert_eq!(mac.len(), 17);
        }
        if net::parse_ip(&text).is_ok() {
            prop_assert!(text.trim().is_ascii());
        }
    }

    #[test]
    fn any_bytes_decode_or_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = csv_text::decode(&bytes);
    }
}

/// Whole files: a known header, then rows of hostile cells, some with the wrong count.
fn hostile_file(header: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let columns = header.split(',').count();
    proptest::collection::vec(
        proptest::collection::vec(hostile_text(), columns - 1..columns + 2),
        0..6,
    )
    .prop_map(move |rows| {
        let mut text = format!("{header}\r\n");
        for row in rows {
            let cells: Vec<String> = row
                .into_iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect();
            text.push_str(&cells.join(","));
            text.push_str("\r\n");
        }
        text.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn device_imports_never_panic_and_plan_only_clean_records(
        bytes in hostile_file("asset_tag,name,category,ip_address,mac_address,purchased_on,notes")
    ) {
        let db = Db::open_in_memory().unwrap();
        if let Ok(plan) = devices::plan(db.conn(), bytes.as_slice(), false) {
            for (_, record) in plan.adds.iter() {
                for field in Field::ALL {
                    prop_assert!(clean(&record.value(field), field == Field::Notes));
                }
            }
        }
    }

    #[test]
    fn tool_and_reading_imports_never_panic(
        tool_bytes in hostile_file("code,name,kind,loan_days"),
        reading_bytes in hostile_file("date,metric,value"),
    ) {
        let db = Db::open_in_memory().unwrap();
        if let Ok(plan) = tools::plan(db.conn(), &tool_bytes) {
            for (_, input) in &plan.adds {
                prop_assert!(clean(&input.code, false) && clean(&input.name, false));
            }
        }
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let _ = readings::plan(db.conn(), &reading_bytes, today);
    }
}

#[test]
fn negative_costs_and_loan_periods_are_refused() {
    use jifang::domain::{repair, tool};
    for text in ["-5", "-0.01", "１２０", "NaN", "1e3"] {
        assert_eq!(repair::parse_money(text), None, "{text}");
    }
    assert_eq!(repair::parse_money("120.50"), Some(12050));
    for text in ["-1", "1.5", "７"] {
        assert_eq!(tool::parse_loan_days(text), None, "{text}");
    }
}
