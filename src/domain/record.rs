//! A device's register entry: its fields, how each is read from text (form or CSV) and
//! written back, validation with every problem named, and what changed between two versions.

use std::net::IpAddr;

use chrono::Datelike as _;
use chrono::NaiveDate;

use super::device::{Category, Status};
use super::net::{normalize_mac, parse_ip};
use crate::i18n::Lang;

/// The register's fields, in CSV column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    AssetTag,
    Name,
    Category,
    Model,
    Manufacturer,
    SerialNo,
    Location,
    Department,
    Owner,
    IpAddress,
    MacAddress,
    Status,
    PurchasedOn,
    WarrantyUntil,
    Supplier,
    UpsProtected,
    Notes,
}

impl Field {
    pub const ALL: [Field; 17] = [
        Field::AssetTag,
        Field::Name,
        Field::Category,
        Field::Model,
        Field::Manufacturer,
        Field::SerialNo,
        Field::Location,
        Field::Department,
        Field::Owner,
        Field::IpAddress,
        Field::MacAddress,
        Field::Status,
        Field::PurchasedOn,
        Field::WarrantyUntil,
        Field::Supplier,
        Field::UpsProtected,
        Field::Notes,
    ];

    pub fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    /// The English CSV header and the name history entries store.
    pub fn key(self) -> &'static str {
        match self {
            Field::AssetTag => "asset_tag",
            Field::Name => "name",
            Field::Category => "category",
            Field::Model => "model",
            Field::Manufacturer => "manufacturer",
            Field::SerialNo => "serial_no",
            Field::Location => "location",
            Field::Department => "department",
            Field::Owner => "owner",
            Field::IpAddress => "ip_address",
            Field::MacAddress => "mac_address",
            Field::Status => "status",
            Field::PurchasedOn => "purchased_on",
            Field::WarrantyUntil => "warranty_until",
            Field::Supplier => "supplier",
            Field::UpsProtected => "ups_protected",
            Field::Notes => "notes",
        }
    }

    /// The Chinese CSV header. A file format, so fixed here; the catalog's Chinese field
    /// labels are tested to match it.
    pub fn header_zh(self) -> &'static str {
        match self {
            Field::AssetTag => "资产编号",
            Field::Name => "名称",
            Field::Category => "类别",
            Field::Model => "型号",
            Field::Manufacturer => "厂商",
            Field::SerialNo => "序列号",
            Field::Location => "位置",
            Field::Department => "部门",
            Field::Owner => "责任人",
            Field::IpAddress => "IP地址",
            Field::MacAddress => "MAC地址",
            Field::Status => "状态",
            Field::PurchasedOn => "购置日期",
            Field::WarrantyUntil => "保修截止",
            Field::Supplier => "供应商",
            Field::UpsProtected => "UPS保护",
            Field::Notes => "备注",
        }
    }

    /// The catalog key of the field's on-screen label.
    pub fn label_key(self) -> &'static str {
        match self {
            Field::AssetTag => "field.asset_tag",
            Field::Name => "field.name",
            Field::Category => "field.category",
            Field::Model => "field.model",
            Field::Manufacturer => "field.manufacturer",
            Field::SerialNo => "field.serial_no",
            Field::Location => "field.location",
            Field::Department => "field.department",
            Field::Owner => "field.owner",
            Field::IpAddress => "field.ip_address",
            Field::MacAddress => "field.mac_address",
            Field::Status => "field.status",
            Field::PurchasedOn => "field.purchased_on",
            Field::WarrantyUntil => "field.warranty_until",
            Field::Supplier => "field.supplier",
            Field::UpsProtected => "field.ups_protected",
            Field::Notes => "field.notes",
        }
    }

    /// A CSV header cell: the English key or the Chinese label, any case, spaces ignored.
    pub fn from_header(text: &str) -> Option<Field> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        Field::ALL
            .into_iter()
            .find(|f| f.key().eq_ignore_ascii_case(&t) || f.header_zh().eq_ignore_ascii_case(&t))
    }

    /// The longest value the field takes, in characters.
    pub fn max_chars(self) -> usize {
        match self {
            Field::Notes => 2000,
            Field::Name | Field::Location => 100,
            _ => 60,
        }
    }

    /// Free text, as opposed to a value with a fixed form (dates, addresses, choices).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Field::AssetTag
                | Field::Name
                | Field::Model
                | Field::Manufacturer
                | Field::SerialNo
                | Field::Location
                | Field::Department
                | Field::Owner
                | Field::Supplier
                | Field::Notes
        )
    }
}

/// One device as the register holds it, every value checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub asset_tag: String,
    pub name: String,
    pub category: Category,
    pub model: String,
    pub manufacturer: String,
    pub serial_no: String,
    pub location: String,
    pub department: String,
    pub owner: String,
    pub ip_address: Option<IpAddr>,
    pub mac_address: Option<String>,
    pub status: Status,
    pub purchased_on: Option<NaiveDate>,
    pub warranty_until: Option<NaiveDate>,
    pub supplier: String,
    pub ups_protected: bool,
    pub notes: String,
}

/// What is wrong with one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong { max: usize },
    ControlCharacter,
    BadCategory(String),
    BadStatus(String),
    BadIp(String),
    BadMac(String),
    BadDate(String),
    BadYesNo(String),
    WarrantyBeforePurchase,
    FullWidth,
}

/// A problem with a named field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let value = |v: &str| super::text::shortened(v).into_owned();
        match self {
            Problem::Required => lang.t("invalid.required").to_owned(),
            Problem::TooLong { max } => lang.tf("invalid.too_long", &[("max", max)]),
            Problem::ControlCharacter => lang.t("invalid.control").to_owned(),
            Problem::BadCategory(v) => {
                let choices = Category::ALL.map(|c| c.key()).join(", ");
                lang.tf(
                    "invalid.category",
                    &[("value", &value(v)), ("choices", &choices)],
                )
            }
            Problem::BadStatus(v) => {
                let choices = Status::ALL.map(|s| s.key()).join(", ");
                lang.tf(
                    "invalid.status",
                    &[("value", &value(v)), ("choices", &choices)],
                )
            }
            Problem::BadIp(v) => lang.tf("address.bad_ip", &[("value", &value(v))]),
            Problem::BadMac(v) => lang.tf("address.bad_mac", &[("value", &value(v))]),
            Problem::BadDate(v) if is_implausible_date(v) => {
                let args: [(&str, &dyn std::fmt::Display); 3] = [
                    ("value", &value(v)),
                    ("from", YEARS.start()),
                    ("to", YEARS.end()),
                ];
                lang.tf("invalid.date_range", &args)
            }
            Problem::BadDate(v) => lang.tf("invalid.date", &[("value", &value(v))]),
            Problem::BadYesNo(v) => lang.tf("invalid.yes_no", &[("value", &value(v))]),
            Problem::WarrantyBeforePurchase => lang.t("invalid.warranty_order").to_owned(),
            Problem::FullWidth => lang.t("invalid.full_width").to_owned(),
        }
    }
}

/// The years a date in the register may fall in: a purchase in 0000 or a warranty to 9999 is a
/// typing or spreadsheet error, not a date anyone means.
pub const YEARS: std::ops::RangeInclusive<i32> = 1950..=2100;

/// Read a date as operators and spreadsheets write it: `2026-03-05`, `2026/3/5` (what Excel
/// saves after touching a date), `2026.3.5`, or `2026年3月5日`, in [`YEARS`].
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_any_date(text).filter(|d| YEARS.contains(&d.year()))
}

/// Whether `text` is a real date outside [`YEARS`]: said so, not "not a date".
pub fn is_implausible_date(text: &str) -> bool {
    parse_any_date(text).is_some_and(|d| !YEARS.contains(&d.year()))
}

fn parse_any_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str, min: usize, max: usize| -> Option<u32> {
        let ok = (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| s.parse().ok()).flatten()
    };
    let y = i32::try_from(number(y, 4, 4)?).ok()?;
    let m = number(m, 1, 2)?;
    let d = number(d, 1, 2)?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Yes or no, in the forms spreadsheets and people use. Blank is no.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "是" | "有" => Some(true),
        "no" | "n" | "false" | "0" | "否" | "无" | "" => Some(false),
        _ => None,
    }
}

impl Record {
    /// Check every value of a form or CSV row (texts in [`Field::ALL`] order) and build the
    /// record, or list every problem found.
    pub fn parse(values: &[String; 17]) -> Result<Record, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field, problem| errors.push(FieldError { field, problem });
        let get = |f: Field| values[f.index()].as_str();
        for field in Field::ALL {
            let value = get(field);
            if value.chars().count() > field.max_chars() {
                fail(
                    field,
                    Problem::TooLong {
                        max: field.max_chars(),
                    },
                );
            }
            if value
                .chars()
                .any(|c| super::text::is_refused(c, field == Field::Notes))
            {
                fail(field, Problem::ControlCharacter);
            }
            let code = field == Field::AssetTag;
            if code && value.chars().any(super::text::is_full_width_form) {
                fail(field, Problem::FullWidth);
            }
        }
        let text = |f: Field| get(f).trim().to_owned();
        for field in [Field::AssetTag, Field::Name] {
            if get(field).trim().is_empty() {
                fail(field, Problem::Required);
            }
        }
        let category = match get(Field::Category).trim() {
            "" => Some(Category::Other),
            v => Category::parse(v).or_else(|| {
                fail(Field::Category, Problem::BadCategory(v.to_owned()));
                None
            }),
        };
        let status = match get(Field::Status).trim() {
            "" => Some(Status::InStock),
            v => Status::parse(v).or_else(|| {
                fail(Field::Status, Problem::BadStatus(v.to_owned()));
                None
            }),
        };
        let ip_address = match get(Field::IpAddress).trim() {
            "" => None,
            v => parse_ip(v)
                .map_err(|_| fail(Field::IpAddress, Problem::BadIp(v.to_owned())))
                .ok(),
        };
        let mac_address = match get(Field::MacAddress).trim() {
            "" => None,
            v => normalize_mac(v)
                .map_err(|_| fail(Field::MacAddress, Problem::BadMac(v.to_owned())))
                .ok(),
        };
        let mut date = |field: Field| match get(field).trim() {
            "" => None,
            v => parse_date(v).or_else(|| {
                fail(field, Problem::BadDate(v.to_owned()));
                None
            }),
        };
        let purchased_on = date(Field::PurchasedOn);
        let warranty_until = date(Field::WarrantyUntil);
        if let (Some(bought), Some(until)) = (purchased_on, warranty_until)
            && until < bought
        {
            fail(Field::WarrantyUntil, Problem::WarrantyBeforePurchase);
        }
        let ups_protected = parse_yes_no(get(Field::UpsProtected)).unwrap_or_else(|| {
            let v = get(Field::UpsProtected).trim().to_owned();
            fail(Field::UpsProtected, Problem::BadYesNo(v));
            false
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Record {
            asset_tag: text(Field::AssetTag),
            name: text(Field::Name),
            category: category.unwrap_or(Category::Other),
            model: text(Field::Model),
            manufacturer: text(Field::Manufacturer),
            serial_no: text(Field::SerialNo),
            location: text(Field::Location),
            department: text(Field::Department),
            owner: text(Field::Owner),
            ip_address,
            mac_address,
            status: status.unwrap_or(Status::InStock),
            purchased_on,
            warranty_until,
            supplier: text(Field::Supplier),
            ups_protected,
            // Notes keep their inner line breaks; only the ends are trimmed.
            notes: get(Field::Notes).trim().to_owned(),
        })
    }

    /// A field's value as text: what the form shows, the CSV holds, and history records.
    /// [`Record::parse`] reads it back to the same record.
    pub fn value(&self, field: Field) -> String {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        match field {
            Field::AssetTag => self.asset_tag.clone(),
            Field::Name => self.name.clone(),
            Field::Category => self.category.key().to_owned(),
            Field::Model => self.model.clone(),
            Field::Manufacturer => self.manufacturer.clone(),
            Field::SerialNo => self.serial_no.clone(),
            Field::Location => self.location.clone(),
            Field::Department => self.department.clone(),
            Field::Owner => self.owner.clone(),
            Field::IpAddress => self.ip_address.map(|ip| ip.to_string()).unwrap_or_default(),
            Field::MacAddress => self.mac_address.clone().unwrap_or_default(),
            Field::Status => self.status.key().to_owned(),
            Field::PurchasedOn => date(self.purchased_on),
            Field::WarrantyUntil => date(self.warranty_until),
            Field::Supplier => self.supplier.clone(),
            Field::UpsProtected => if self.ups_protected { "yes" } else { "no" }.to_owned(),
            Field::Notes => self.notes.clone(),
        }
    }

    /// Every value, in [`Field::ALL`] order.
    pub fn values(&self) -> [String; 17] {
        Field::ALL.map(|f| self.value(f))
    }

    /// The fields that differ from `newer`, with the old and new text.
    pub fn changes_to(&self, newer: &Record) -> Vec<(Field, String, String)> {
        Field::ALL
            .into_iter()
            .filter_map(|f| {
                let (old, new) = (self.value(f), newer.value(f));
                (old != new).then_some((f, old, new))
            })
            .collect()
    }
}

/// How a device's warranty stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warranty {
    Unknown,
    Valid,
    /// Ends within [`WARRANTY_WARNING_DAYS`]; the days left (0 = ends today).
    EndingIn(i64),
    Expired,
}

/// How far ahead a warranty end is flagged.
pub const WARRANTY_WARNING_DAYS: i64 = 30;

pub fn warranty(until: Option<NaiveDate>, today: NaiveDate) -> Warranty {
    match until {
        None => Warranty::Unknown,
        Some(end) if end < today => Warranty::Expired,
        Some(end) if (end - today).num_days() <= WARRANTY_WARNING_DAYS => {
            Warranty::EndingIn((end - today).num_days())
        }
        Some(_) => Warranty::Valid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn blank() -> [String; 17] {
        Default::default()
    }

    fn with(pairs: &[(Field, &str)]) -> [String; 17] {
        let mut v = blank();
        for (f, text) in pairs {
            v[f.index()] = (*text).to_owned();
        }
        v
    }

    fn problems(values: &[String; 17]) -> Vec<(Field, Problem)> {
        Record::parse(values)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn headers_read_in_both_languages() {
        for f in Field::ALL {
            assert_eq!(Field::from_header(f.key()), Some(f));
            assert_eq!(Field::from_header(f.header_zh()), Some(f));
        }
        assert_eq!(Field::from_header(" IP 地址 "), Some(Field::IpAddress));
        assert_eq!(Field::from_header("Asset_Tag"), Some(Field::AssetTag));
        assert_eq!(Field::from_header("price"), None);
    }

    #[test]
    fn catalog_labels_match_the_file_format() {
        let keys: Vec<&str> = crate::i18n::keys().collect();
        for f in Field::ALL {
            assert!(keys.contains(&f.label_key()), "{}", f.label_key());
            assert_eq!(Lang::Zh.t(f.label_key()), f.header_zh());
        }
        for c in Category::ALL {
            assert!(keys.contains(&c.label_key()), "{}", c.label_key());
            assert_eq!(Lang::Zh.t(c.label_key()), c.label_zh());
        }
        for s in Status::ALL {
            assert!(keys.contains(&s.label_key()), "{}", s.label_key());
            assert_eq!(Lang::Zh.t(s.label_key()), s.label_zh());
        }
    }

    #[test]
    fn a_minimal_device_needs_only_tag_and_name() {
        let r = Record::parse(&with(&[
            (Field::AssetTag, " JF-001 "),
            (Field::Name, "核心交换机"),
        ]))
        .unwrap();
        assert_eq!(r.asset_tag, "JF-001");
        assert_eq!(r.category, Category::Other);
        assert_eq!(r.status, Status::InStock);
        assert!(!r.ups_protected);
        assert_eq!(
            problems(&blank()),
            vec![
                (Field::AssetTag, Problem::Required),
                (Field::Name, Problem::Required)
            ]
        );
    }

    #[test]
    fn every_bad_value_is_named_at_once() {
        let values = with(&[
            (Field::AssetTag, "A1"),
            (Field::Name, "x"),
            (Field::Category, "toaster"),
            (Field::IpAddress, "10.0.0.256"),
            (Field::MacAddress, "00:11:22"),
            (Field::Status, "broken"),
            (Field::PurchasedOn, "2026-02-30"),
            (Field::UpsProtected, "maybe"),
        ]);
        let found: Vec<Field> = problems(&values).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            found,
            vec![
                Field::Category,
                Field::Status,
                Field::IpAddress,
                Field::MacAddress,
                Field::PurchasedOn,
                Field::UpsProtected
            ]
        );
    }

    #[test]
    fn choices_accept_chinese_labels_and_spreadsheet_forms() {
        let r = Record::parse(&with(&[
            (Field::AssetTag, "A1"),
            (Field::Name, "x"),
            (Field::Category, "服务器"),
            (Field::Status, "在用"),
            (Field::UpsProtected, "是"),
            (Field::PurchasedOn, "2024/3/5"),
            (Field::WarrantyUntil, "2027年3月5日"),
            (Field::MacAddress, "0011.22aa.bbcc"),
            (Field::IpAddress, "2001:DB8::1"),
        ]))
        .unwrap();
        assert_eq!(r.category, Category::Server);
        assert_eq!(r.status, Status::InUse);
        assert!(r.ups_protected);
        assert_eq!(r.value(Field::PurchasedOn), "2024-03-05");
        assert_eq!(r.value(Field::WarrantyUntil), "2027-03-05");
        assert_eq!(r.value(Field::MacAddress), "00:11:22:AA:BB:CC");
        assert_eq!(r.value(Field::IpAddress), "2001:db8::1");
        for yes in ["yes", "TRUE", "1", "是", "Y"] {
            assert_eq!(parse_yes_no(yes), Some(true), "{yes}");
        }
        for no in ["no", "false", "0", "否", ""] {
            assert_eq!(parse_yes_no(no), Some(false), "{no}");
        }
    }

    #[test]
    fn dates_are_checked_for_real_days_and_order() {
        assert_eq!(
            parse_date("2026-11-21"),
            NaiveDate::from_ymd_opt(2026, 11, 21)
        );
        assert_eq!(
            parse_date("2028-2-29"),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        for bad in [
            "2026-13-01",
            "2027-02-29",
            "21/11/2026",
            "26-11-21",
            "2026-11",
            "soon",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        let values = with(&[
            (Field::AssetTag, "A1"),
            (Field::Name, "x"),
            (Field::PurchasedOn, "2026-05-01"),
            (Field::WarrantyUntil, "2025-05-01"),
        ]);
        assert_eq!(
            problems(&values),
            vec![(Field::WarrantyUntil, Problem::WarrantyBeforePurchase)]
        );
    }

    #[test]
    fn control_characters_and_overlong_values_are_refused() {
        let long = "长".repeat(101);
        let values = with(&[
            (Field::AssetTag, "A\u{1b}[2J"),
            (Field::Name, &long),
            (Field::Notes, "line one\nline two"),
        ]);
        assert_eq!(
            problems(&values),
            vec![
                (Field::AssetTag, Problem::ControlCharacter),
                (Field::Name, Problem::TooLong { max: 100 })
            ]
        );
    }

    #[test]
    fn values_parse_back_to_the_same_record_and_changes_are_listed() {
        let a = Record::parse(&with(&[
            (Field::AssetTag, "A1"),
            (Field::Name, "UPS 主机"),
            (Field::Category, "ups"),
            (Field::IpAddress, "10.1.1.9"),
            (Field::UpsProtected, "yes"),
        ]))
        .unwrap();
        assert_eq!(Record::parse(&a.values()).unwrap(), a);
        let mut b = a.clone();
        b.location = "机房A-机柜03-U12".into();
        b.ip_address = None;
        assert_eq!(
            a.changes_to(&b),
            vec![
                (Field::Location, String::new(), "机房A-机柜03-U12".into()),
                (Field::IpAddress, "10.1.1.9".into(), String::new()),
            ]
        );
    }

    #[test]
    fn warranty_is_flagged_thirty_days_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let day = |d: i64| Some(today + chrono::Duration::days(d));
        assert_eq!(warranty(None, today), Warranty::Unknown);
        assert_eq!(warranty(day(-1), today), Warranty::Expired);
        assert_eq!(warranty(day(0), today), Warranty::EndingIn(0));
        assert_eq!(warranty(day(30), today), Warranty::EndingIn(30));
        assert_eq!(warranty(day(31), today), Warranty::Valid);
    }
}
