//! The checklist template file's format (TOML): the three built-in templates under
//! `assets/checklists/` and `jifang import checklist FILE` read the same format; the file's
//! bytes and the words for its problems are the exchange layer's.

use serde::Deserialize;

use super::checklist::{BiText, Choice, Item, ItemKind, Template, TemplateProblem};
use super::device::Category;
use super::period::Period;

/// The templates installed into a new database, in the order the Checks tab lists them.
pub const BUILT_IN: [&str; 3] = [
    include_str!("../../assets/checklists/daily.toml"),
    include_str!("../../assets/checklists/weekly.toml"),
    include_str!("../../assets/checklists/monthly.toml"),
];

/// The built-in templates of the longer periods, installed by the upgrade to version 20 (the
/// first whose schema takes quarters and years), on new databases and old alike.
pub const BUILT_IN_20: [&str; 2] = [
    include_str!("../../assets/checklists/quarterly.toml"),
    include_str!("../../assets/checklists/yearly.toml"),
];

/// Why a text is not a usable template.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateFileError {
    /// Not TOML, or a field of the wrong type; the text names the line.
    Syntax(String),
    /// A value no template may have: unknown period, item kind or category.
    Value { item: Option<usize>, what: String },
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
    category: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateIn {
    code: String,
    name: TextIn,
    period: String,
    #[serde(default)]
    run_log: bool,
    #[serde(default, rename = "item")]
    items: Vec<ItemIn>,
}

/// Read and check a template.
pub fn parse(text: &str) -> Result<Template, TemplateFileError> {
    let raw: TemplateIn = toml::from_str(text)
        .map_err(|e| TemplateFileError::Syntax(e.to_string().trim().to_owned()))?;
    let period = Period::parse(&raw.period).ok_or_else(|| TemplateFileError::Value {
        item: None,
        what: format!("period = \"{}\"", raw.period),
    })?;
    let mut items = Vec::with_capacity(raw.items.len());
    for (i, item) in raw.items.into_iter().enumerate() {
        let bad = |what: String| TemplateFileError::Value {
            item: Some(i),
            what,
        };
        let kind = match &item.kind {
            None => ItemKind::PassFail,
            Some(k) => ItemKind::parse(k).ok_or_else(|| bad(format!("kind = \"{k}\"")))?,
        };
        let category = match &item.category {
            None => None,
            Some(c) if c.trim().is_empty() => None,
            Some(c) => Some(Category::parse(c).ok_or_else(|| bad(format!("category = \"{c}\"")))?),
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
        });
    }
    let template = Template {
        code: raw.code.trim().to_owned(),
        name: raw.name.into_text(),
        period,
        run_log: raw.run_log,
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
