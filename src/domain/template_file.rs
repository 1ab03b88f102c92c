//! The checklist template file's format (TOML): the three built-in templates under
//! `assets/checklists/` and `jifang import checklist FILE` read the same format; the file's
//! bytes and the words for its problems are the exchange layer's.

use serde::Deserialize;

use serde::de::IgnoredAny;
use toml::Spanned;

use super::checklist::{BiText, Choice, DeviceSet, Item, ItemKind, Template, TemplateProblem};
use super::device::Category;
use super::period::Period;
use super::schedule::{Schedule, Window, parse_weekday};

const DAILY: &str = include_str!("../../assets/checklists/daily.toml");
const WEEKLY: &str = include_str!("../../assets/checklists/weekly.toml");
const FIVE_S: &str = include_str!("../../assets/checklists/5s.toml");
const MONTHLY: &str = include_str!("../../assets/checklists/monthly.toml");
const QUARTERLY: &str = include_str!("../../assets/checklists/quarterly.toml");
const SEMESTER: &str = include_str!("../../assets/checklists/semester.toml");
const YEARLY: &str = include_str!("../../assets/checklists/yearly.toml");

/// The templates installed into a new database, in the order the Checks tab lists them.
pub const BUILT_IN: [&str; 7] = [DAILY, WEEKLY, FIVE_S, MONTHLY, QUARTERLY, SEMESTER, YEARLY];

/// The built-in templates a database made before version 20 lacks: the quarterly and yearly
/// ones (the first schema to take quarters and years).
pub const BUILT_IN_20: [&str; 2] = [QUARTERLY, YEARLY];

/// The built-in templates a database made before version 21 lacks: the Friday-afternoon 5S and
/// the semester stock-take.
pub const BUILT_IN_21: [&str; 2] = [FIVE_S, SEMESTER];

/// Which field a refused value was in: the words for what to write instead are the exchange
/// layer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Period,
    Weekday,
    Window,
    Kind,
    Category,
    Devices,
}

/// Why a text is not a usable template.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateFileError {
    /// Not TOML, or a field of the wrong type; the text names the line.
    Syntax(String),
    /// A value no template may have: unknown period, weekday, window, item kind or category.
    /// `line` counts from 1.
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

#[derive(Deserialize)]
#[serde(untagged)]
enum TextIn {
    One(String),
    Two {
        #[serde(default)]
        zh: String,
        #[serde(default)]
        en: String,
    },
}

impl TextIn {
    fn into_text(self) -> BiText {
        match self {
            TextIn::One(text) => BiText::new(text.trim(), text.trim()),
            TextIn::Two { zh, en } => BiText::new(zh.trim(), en.trim()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceIn {
    #[serde(default)]
    zh: String,
    #[serde(default)]
    en: String,
    #[serde(default)]
    fails: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemIn {
    code: String,
    #[serde(default)]
    kind: Option<String>,
    text: TextIn,
    #[serde(default)]
    unit: Option<TextIn>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    choices: Vec<ChoiceIn>,
    #[serde(default)]
    device: String,
    #[serde(default)]
    category: Option<Spanned<String>>,
    #[serde(default)]
    devices: Option<Spanned<DevicesIn>>,
}

#[derive(Deserialize)]
struct DevicesIn {
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    room: Option<String>,
    /// Anything else is refused with the line, below, rather than by serde's words.
    #[serde(flatten)]
    _rest: std::collections::BTreeMap<String, IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateIn {
    code: String,
    name: TextIn,
    period: Spanned<String>,
    #[serde(default)]
    weekday: Option<Spanned<String>>,
    #[serde(default)]
    window: Option<Spanned<String>>,
    #[serde(default)]
    run_log: bool,
    #[serde(default, rename = "item")]
    items: Vec<ItemIn>,
}

/// Read and check a template.
pub fn parse(text: &str) -> Result<Template, TemplateFileError> {
    let raw: TemplateIn = toml::from_str(text)
        .map_err(|e| TemplateFileError::Syntax(e.to_string().trim().to_owned()))?;
    let line_of = |span: std::ops::Range<usize>| {
        Some(
            text.get(..span.start)
                .map_or(0, |t| t.matches('\n').count())
                + 1,
        )
    };
    let refuse = |item: Option<usize>, field: Field, name: &str, value: &Spanned<String>| {
        TemplateFileError::Value {
            item,
            field,
            what: format!("{name} = \"{}\"", value.get_ref()),
            line: line_of(value.span()),
        }
    };
    let period = Period::parse(raw.period.get_ref())
        .ok_or_else(|| refuse(None, Field::Period, "period", &raw.period))?;
    let mut schedule = Schedule::default();
    if let Some(day) = raw
        .weekday
        .as_ref()
        .filter(|d| !d.get_ref().trim().is_empty())
    {
        schedule.weekday = Some(
            parse_weekday(day.get_ref())
                .ok_or_else(|| refuse(None, Field::Weekday, "weekday", day))?,
        );
    }
    if let Some(window) = raw
        .window
        .as_ref()
        .filter(|w| !w.get_ref().trim().is_empty())
    {
        schedule.window = Some(
            Window::parse(window.get_ref())
                .ok_or_else(|| refuse(None, Field::Window, "window", window))?,
        );
    }
    let mut items = Vec::with_capacity(raw.items.len());
    for (i, item) in raw.items.into_iter().enumerate() {
        let bad = |field: Field, what: String| TemplateFileError::Value {
            item: Some(i),
            field,
            what,
            line: None,
        };
        let kind = match &item.kind {
            None => ItemKind::PassFail,
            Some(k) => {
                ItemKind::parse(k).ok_or_else(|| bad(Field::Kind, format!("kind = \"{k}\"")))?
            }
        };
        let category = match &item.category {
            None => None,
            Some(c) if c.get_ref().trim().is_empty() => None,
            Some(c) => Some(
                Category::parse(c.get_ref())
                    .ok_or_else(|| refuse(Some(i), Field::Category, "category", c))?,
            ),
        };
        let devices = match &item.devices {
            None => None,
            Some(set) => {
                let span = set.span();
                let bad_set = |what: String| TemplateFileError::Value {
                    item: Some(i),
                    field: Field::Devices,
                    what,
                    line: line_of(span.clone()),
                };
                let given = set.get_ref();
                if let Some(key) = given._rest.keys().next() {
                    return Err(bad_set(format!("devices = {{ {key} = … }}")));
                }
                let category =
                    match given.category.as_deref().map(str::trim) {
                        None | Some("") => None,
                        Some(c) => Some(Category::parse(c).ok_or_else(|| {
                            bad_set(format!("devices = {{ category = \"{c}\" }}"))
                        })?),
                    };
                let room = given
                    .room
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned);
                let set = DeviceSet { category, room };
                if set.is_empty() {
                    return Err(bad_set("devices = { }".to_owned()));
                }
                Some(set)
            }
        };
        items.push(Item {
            code: item.code.trim().to_owned(),
            kind,
            text: item.text.into_text(),
            unit: item.unit.map(TextIn::into_text).unwrap_or_default(),
            min: item.min,
            max: item.max,
            choices: item
                .choices
                .into_iter()
                .map(|c| Choice {
                    label: BiText::new(c.zh.trim(), c.en.trim()),
                    fails: c.fails,
                })
                .collect(),
            device_tag: item.device.trim().to_owned(),
            category,
            devices,
        });
    }
    let template = Template {
        code: raw.code.trim().to_owned(),
        name: raw.name.into_text(),
        period,
        run_log: raw.run_log,
        schedule,
        items,
    };
    let problems = template.problems();
    if problems.is_empty() {
        Ok(template)
    } else {
        Err(TemplateFileError::Problems {
            problems,
            codes: template.items.iter().map(|i| i.code.clone()).collect(),
        })
    }
}
