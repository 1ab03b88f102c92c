//! A checklist template file read from disk (UTF-8 or GB18030) and its problems in the
//! operator's words; the format itself is `domain::template_file`'s.

use super::csv_text::{self, DecodeError};
use crate::domain::checklist::{Template, TemplateProblem};
use crate::domain::template_file::{self, Field, TemplateFileError};
use crate::i18n::Lang;

pub use template_file::BUILT_IN;

/// Why a file is not a usable template.
#[derive(Debug, Clone, PartialEq)]
pub enum FileError {
    /// Not text this program can read (UTF-16, or an unknown encoding).
    Decode(DecodeError),
    /// Not TOML, or a field of the wrong type; the text names the line.
    Syntax(String),
    /// A value no template may have: unknown period, weekday, window, item kind or category.
    Value {
        item: Option<usize>,
        field: Field,
        what: String,
        line: Option<usize>,
    },
    /// Valid TOML, but the template breaks a rule; `codes` are the items' codes, to name them.
    Problems {
        problems: Vec<TemplateProblem>,
        codes: Vec<String>,
    },
}

impl FileError {
    /// The whole report, one problem per line, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let codes = match self {
            FileError::Problems { codes, .. } => codes.as_slice(),
            _ => &[],
        };
        let place = |item: Option<usize>| match item {
            None => lang.t("checklist_file.template").to_owned(),
            Some(i) => {
                let code = codes.get(i).map_or("", String::as_str);
                let place = lang.tf("checklist_file.item", &[("number", &(i + 1))]);
                if code.is_empty() {
                    place
                } else {
                    format!("{place} {code}")
                }
            }
        };
        match self {
            FileError::Decode(e) => e.message(lang),
            FileError::Syntax(text) => lang.tf("checklist_file.syntax", &[("reason", text)]),
            FileError::Value {
                item,
                field,
                what,
                line,
            } => {
                let at = match line {
                    Some(n) => format!(
                        "{}, {}",
                        lang.tf("checklist_file.line", &[("line", n)]),
                        place(*item)
                    ),
                    None => place(*item),
                };
                let write = lang.t(match field {
                    Field::Period => "checklist_file.write_period",
                    Field::Weekday => "checklist_file.write_weekday",
                    Field::Window => "checklist_file.write_window",
                    Field::Kind => "checklist_file.write_kind",
                    Field::Category => "checklist_file.write_category",
                    Field::Devices => "checklist_file.write_devices",
                });
                format!(
                    "{at}: {}; {write}",
                    lang.tf("checklist_file.bad_value", &[("value", what)])
                )
            }
            FileError::Problems { problems, .. } => problems
                .iter()
                .map(|p| format!("{}: {}", place(p.item), lang.t(p.problem.message_key())))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// Read a template file's bytes (UTF-8, with or without BOM, or GB18030).
pub fn parse_bytes(bytes: &[u8]) -> Result<Template, FileError> {
    let text = csv_text::decode(bytes).map_err(FileError::Decode)?;
    parse(&text)
}

/// Read and check a template.
pub fn parse(text: &str) -> Result<Template, FileError> {
    template_file::parse(text).map_err(FileError::from)
}

impl From<TemplateFileError> for FileError {
    fn from(e: TemplateFileError) -> FileError {
        match e {
            TemplateFileError::Syntax(text) => FileError::Syntax(text),
            TemplateFileError::Value {
                item,
                field,
                what,
                line,
            } => FileError::Value {
                item,
                field,
                what,
                line,
            },
            TemplateFileError::Problems { problems, codes } => {
                FileError::Problems { problems, codes }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::{ItemKind, ItemProblem};
    use crate::domain::device::Category;
    use crate::domain::period::Period;
    use unicode_width::UnicodeWidthChar;

    #[test]
    fn built_in_templates_are_valid_and_bilingual() {
        let templates: Vec<Template> = BUILT_IN.iter().map(|t| parse(t).unwrap()).collect();
        let periods: Vec<Period> = templates.iter().map(|t| t.period).collect();
        assert_eq!(
            periods,
            [
                Period::Workday,
                Period::Week,
                Period::Week,
                Period::Month,
                Period::Quarter,
                Period::Semester,
                Period::Year
            ]
        );
        // The weekly run is the 11-item network and equipment inspection with its run log; the
        // 5S is its own template, due on Friday afternoons.
        assert_eq!(templates[1].items.len(), 11);
        assert!(templates[1].run_log);
        assert_eq!(
            templates[2].schedule.keys(),
            ("fri".into(), "13:00-18:00".into())
        );
        // The monthly one starts with the UPS test, one line per UPS.
        assert!(templates[3].items[0].text.zh.contains("UPS"));
        assert_eq!(
            templates[3].items[0]
                .devices
                .as_ref()
                .and_then(|d| d.category),
            Some(Category::Ups)
        );
        for template in &templates {
            for item in &template.items {
                assert!(
                    !item.text.zh.is_empty() && !item.text.en.is_empty(),
                    "{}",
                    item.code
                );
                for c in item.text.zh.chars().chain(item.text.en.chars()) {
                    assert_eq!(c.width(), c.width_cjk(), "ambiguous {c:?} in {}", item.code);
                }
            }
        }
    }

    #[test]
    fn one_language_is_enough_and_kinds_are_read() {
        let t = parse(
            r#"
code = "ups"
name = "UPS 月检"
period = "每月"
[[item]]
code = "U1"
kind = "number"
text = "放电时长"
unit = { zh = "分钟", en = "min" }
min = 10
[[item]]
code = "U2"
kind = "choice"
text = { zh = "告警灯", en = "Alarm lamp" }
choices = [{ zh = "灭", en = "Off" }, { zh = "亮", en = "On", fails = true }]
category = "ups"
"#,
        )
        .unwrap();
        assert_eq!(t.period, Period::Month);
        assert_eq!(t.name.get(Lang::En), "UPS 月检");
        assert_eq!(t.items[0].kind, ItemKind::Number);
        assert_eq!(t.items[0].min, Some(10.0));
        assert_eq!(t.items[1].category, Some(Category::Ups));
        assert!(t.items[1].choices[1].fails);
    }

    #[test]
    fn bad_files_say_where_and_what() {
        let err = parse("code = \"x\"\nname = \"x\"\nperiod = \"fortnight\"\n").unwrap_err();
        assert_eq!(
            err.message(Lang::En),
            "line 3, the template: period = \"fortnight\" is not allowed here; \
             write one of workday, day, week, month, quarter, semester, year"
        );
        let err = parse("code = \"x\"\nname = \"x\"\nperiod = \"week\"\n[[item]]\ncode = \"A\"\n")
            .unwrap_err();
        assert!(
            matches!(err, FileError::Syntax(ref s) if s.contains("line 4")),
            "{err:?}"
        );
        let err = parse(
            "code = \"x\"\nname = \"x\"\nperiod = \"week\"\n[[item]]\ncode = \"A\"\ntext = \"t\"\nkind = \"number\"\n",
        )
        .unwrap_err();
        assert_eq!(
            err,
            FileError::Problems {
                problems: vec![TemplateProblem {
                    item: Some(0),
                    problem: ItemProblem::NumberNeedsRange
                }],
                codes: vec!["A".into()]
            }
        );
        assert_eq!(
            err.message(Lang::En),
            "item 1 A: a number item needs min, max or both (e.g. min = 18, max = 27)"
        );
        let err = parse("code = \"x\"\nname = \"x\"\nperiod = \"week\"\ncolour = 1\n").unwrap_err();
        assert!(
            matches!(err, FileError::Syntax(ref s) if s.contains("colour")),
            "{err:?}"
        );
    }

    #[test]
    fn a_bad_weekday_window_or_device_set_names_its_line_and_what_to_write() {
        let head = "code = \"5s\"\nname = \"5S\"\nperiod = \"week\"\n";
        let err = parse(&format!("{head}weekday = \"friyay\"\n")).unwrap_err();
        assert_eq!(
            err.message(Lang::En),
            "line 4, the template: weekday = \"friyay\" is not allowed here; \
             write mon, tue, wed, thu, fri, sat or sun (or 周一 … 周日)"
        );
        let err = parse(&format!(
            "{head}weekday = \"fri\"\nwindow = \"18:00-13:00\"\n"
        ))
        .unwrap_err();
        assert_eq!(
            err.message(Lang::Zh),
            "第 5 行, 模板: 此处不允许 window = \"18:00-13:00\"; 请把时段写成 13:00-18:00，先早后晚"
        );
        // A weekday on a monthly template, a window on a week with no day.
        let err = parse("code = \"m\"\nname = \"m\"\nperiod = \"month\"\nweekday = \"fri\"\n")
            .unwrap_err();
        assert!(
            err.message(Lang::En).contains("write period = \"week\""),
            "{err:?}"
        );
        let err = parse(&format!("{head}window = \"13:00-18:00\"\n")).unwrap_err();
        assert!(
            err.message(Lang::En).contains("add weekday = \"fri\""),
            "{err:?}"
        );
        let err = parse(&format!(
            "{head}[[item]]\ncode = \"A\"\ntext = \"t\"\ndevices = {{ category = \"toaster\" }}\n"
        ))
        .unwrap_err();
        assert!(
            err.message(Lang::En).starts_with("line 7, item 1"),
            "{err:?}"
        );
        let t = parse(&format!(
            "{head}weekday = \"周五\"\nwindow = \"13:00-18:00\"\n[[item]]\ncode = \"A\"\n\
             text = \"t\"\ndevices = {{ room = \"机房A\" }}\n"
        ))
        .unwrap();
        assert_eq!(t.schedule.keys(), ("fri".into(), "13:00-18:00".into()));
        assert_eq!(t.items[0].devices.as_ref().unwrap().key(), "room=机房A");
    }

    #[test]
    fn a_range_of_nan_or_inf_is_refused() {
        for bound in ["min = nan", "max = inf", "min = -inf\nmax = 5"] {
            let text = format!(
                "code = \"x\"\nname = \"x\"\nperiod = \"week\"\n[[item]]\ncode = \"A\"\ntext = \"t\"\nkind = \"number\"\n{bound}\n"
            );
            let err = parse(&text).unwrap_err();
            assert_eq!(
                err.message(Lang::En),
                "item 1 A: min and max are numbers (e.g. min = 18, max = 27), not nan or inf",
                "{bound}"
            );
        }
    }
}
