//! Checklist templates and their items: item kinds, answers, range checks, and what a valid
//! template is.

use std::fmt::Write as _;

use super::device::Category;
use super::period::Period;
use super::schedule::{Schedule, ScheduleProblem};
use super::text::is_refused;
use crate::i18n::Lang;

/// A text in both interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BiText {
    pub zh: String,
    pub en: String,
}

impl BiText {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> BiText {
        BiText {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`, or the other language's when this one is blank.
    pub fn get(&self, lang: Lang) -> &str {
        let (first, other) = match lang {
            Lang::Zh => (&self.zh, &self.en),
            Lang::En => (&self.en, &self.zh),
        };
        if first.is_empty() { other } else { first }
    }

    pub fn is_empty(&self) -> bool {
        self.zh.trim().is_empty() && self.en.trim().is_empty()
    }
}

/// What an item asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    PassFail,
    /// A reading with a unit; outside the allowed range it fails.
    Number,
    /// A written observation.
    Text,
    /// One of a list; some choices count as a failure.
    Choice,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::PassFail,
        ItemKind::Number,
        ItemKind::Text,
        ItemKind::Choice,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ItemKind::PassFail => "pass_fail",
            ItemKind::Number => "number",
            ItemKind::Text => "text",
            ItemKind::Choice => "choice",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ItemKind::PassFail => "item_kind.pass_fail",
            ItemKind::Number => "item_kind.number",
            ItemKind::Text => "item_kind.text",
            ItemKind::Choice => "item_kind.choice",
        }
    }

    pub fn parse(text: &str) -> Option<ItemKind> {
        let t = text.trim().to_lowercase().replace(['-', ' '], "_");
        ItemKind::ALL.into_iter().find(|k| k.key() == t)
    }
}

/// The result of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Pass,
    Fail,
    NotApplicable,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Pass, Outcome::Fail, Outcome::NotApplicable];

    pub fn key(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "na",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Outcome::Pass => "outcome.pass",
            Outcome::Fail => "outcome.fail",
            Outcome::NotApplicable => "outcome.na",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == text)
    }
}

/// One choice of a choice item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: BiText,
    /// Picking it fails the item (e.g. "alarm").
    pub fails: bool,
}

/// One line of a checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Short and stable, e.g. `W01`: matches an item across template edits and imports.
    pub code: String,
    pub kind: ItemKind,
    pub text: BiText,
    pub unit: BiText,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub choices: Vec<Choice>,
    /// An asset tag from the register, when the item is about one device.
    pub device_tag: String,
    /// A device category, when the item is about every device of a kind.
    pub category: Option<Category>,
    /// The devices the item opens into in a run, one line each; `None` for one line.
    pub devices: Option<DeviceSet>,
}

/// The devices an item stands for: those of the register of one category, of one room (the
/// location begins with it: `机房A` holds `机房A-机柜01-U30`), or both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceSet {
    pub category: Option<Category>,
    pub room: Option<String>,
}

impl DeviceSet {
    /// `category=ups;room=机房A`, as stored.
    pub fn key(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.category {
            parts.push(format!("category={}", c.key()));
        }
        if let Some(room) = &self.room {
            parts.push(format!("room={room}"));
        }
        parts.join(";")
    }

    /// Read the stored form back; an empty text is no set.
    pub fn from_key(text: &str) -> Option<DeviceSet> {
        let mut set = DeviceSet::default();
        for part in text.split(';') {
            match part.split_once('=') {
                Some(("category", c)) => set.category = Category::parse(c),
                Some(("room", r)) if !r.trim().is_empty() => set.room = Some(r.trim().to_owned()),
                _ => {}
            }
        }
        (!set.is_empty()).then_some(set)
    }

    pub fn is_empty(&self) -> bool {
        self.category.is_none() && self.room.is_none()
    }
}

/// Longest item code, template code and texts.
pub const CODE_MAX: usize = 16;
pub const TEXT_MAX: usize = 200;

/// What is wrong with an item or a template, for the form or the import report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemProblem {
    CodeMissing,
    CodeTooLong,
    CodeRepeated,
    TextMissing,
    TextTooLong,
    NumberNeedsRange,
    /// `nan` or `inf` (TOML allows both): no reading is ever inside or outside such a bound.
    RangeNotFinite,
    RangeBackwards,
    ChoiceNeedsTwo,
    NoChoiceFails,
    ExtraForKind,
    /// One device (`device`) and a set of devices (`devices`) on the same item.
    DeviceAndDevices,
    /// The template's schedule does not fit its period.
    Schedule(ScheduleProblem),
}

impl ItemProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            ItemProblem::CodeMissing => "checklist_problem.code_missing",
            ItemProblem::CodeTooLong => "checklist_problem.code_too_long",
            ItemProblem::CodeRepeated => "checklist_problem.code_repeated",
            ItemProblem::TextMissing => "checklist_problem.text_missing",
            ItemProblem::TextTooLong => "checklist_problem.text_too_long",
            ItemProblem::NumberNeedsRange => "checklist_problem.number_needs_range",
            ItemProblem::RangeNotFinite => "checklist_problem.range_not_finite",
            ItemProblem::RangeBackwards => "checklist_problem.range_backwards",
            ItemProblem::ChoiceNeedsTwo => "checklist_problem.choice_needs_two",
            ItemProblem::NoChoiceFails => "checklist_problem.no_choice_fails",
            ItemProblem::ExtraForKind => "checklist_problem.extra_for_kind",
            ItemProblem::DeviceAndDevices => "checklist_problem.device_and_devices",
            ItemProblem::Schedule(p) => p.message_key(),
        }
    }
}

fn code_problem(code: &str) -> Option<ItemProblem> {
    let code = code.trim();
    if code.is_empty() {
        Some(ItemProblem::CodeMissing)
    } else if code.chars().count() > CODE_MAX || code.chars().any(|c| is_refused(c, false)) {
        Some(ItemProblem::CodeTooLong)
    } else {
        None
    }
}

fn text_problem(text: &BiText) -> Option<ItemProblem> {
    if text.is_empty() {
        Some(ItemProblem::TextMissing)
    } else if [&text.zh, &text.en]
        .iter()
        .any(|t| t.chars().count() > TEXT_MAX || t.chars().any(|c| is_refused(c, false)))
    {
        Some(ItemProblem::TextTooLong)
    } else {
        None
    }
}

impl Item {
    /// A pass/fail item with no extras.
    pub fn pass_fail(code: &str, text: BiText) -> Item {
        Item {
            code: code.to_owned(),
            kind: ItemKind::PassFail,
            text,
            unit: BiText::default(),
            min: None,
            max: None,
            choices: Vec::new(),
            device_tag: String::new(),
            category: None,
            devices: None,
        }
    }

    /// Everything wrong with this item on its own (repeated codes are the template's check).
    pub fn problems(&self) -> Vec<ItemProblem> {
        let mut out = Vec::new();
        out.extend(code_problem(&self.code));
        out.extend(text_problem(&self.text));
        match self.kind {
            ItemKind::Number => {
                if self.min.is_none() && self.max.is_none() {
                    out.push(ItemProblem::NumberNeedsRange);
                }
                if [self.min, self.max]
                    .iter()
                    .flatten()
                    .any(|v| !v.is_finite())
                {
                    out.push(ItemProblem::RangeNotFinite);
                }
                if let (Some(min), Some(max)) = (self.min, self.max)
                    && min > max
                {
                    out.push(ItemProblem::RangeBackwards);
                }
            }
            ItemKind::Choice => {
                if self.choices.len() < 2 || self.choices.iter().any(|c| c.label.is_empty()) {
                    out.push(ItemProblem::ChoiceNeedsTwo);
                } else if !self.choices.iter().any(|c| c.fails) {
                    out.push(ItemProblem::NoChoiceFails);
                }
            }
            ItemKind::PassFail | ItemKind::Text => {}
        }
        let range_given = self.min.is_some() || self.max.is_some() || !self.unit.is_empty();
        if (self.kind != ItemKind::Number && range_given)
            || (self.kind != ItemKind::Choice && !self.choices.is_empty())
        {
            out.push(ItemProblem::ExtraForKind);
        }
        if self.devices.is_some() && !self.device_tag.trim().is_empty() {
            out.push(ItemProblem::DeviceAndDevices);
        }
        out
    }

    /// The allowed range as shown beside the item: `18-27 C`, `>= 10 min`.
    pub fn range_text(&self, lang: Lang) -> String {
        let unit = self.unit.get(lang);
        let mut text = match (self.min, self.max) {
            (Some(min), Some(max)) => format!("{}-{}", number_text(min), number_text(max)),
            (Some(min), None) => format!(">= {}", number_text(min)),
            (None, Some(max)) => format!("<= {}", number_text(max)),
            (None, None) => String::new(),
        };
        if !unit.is_empty() && !text.is_empty() {
            let _ = write!(text, " {unit}");
        }
        text
    }

    /// Read a typed reading: its stored text and whether it is inside the range. `None` when
    /// it is not a number.
    pub fn judge_number(&self, typed: &str) -> Option<(String, Outcome)> {
        let cleaned = typed.trim().replace(',', ".").replace('\u{2212}', "-");
        let value: f64 = cleaned.parse().ok().filter(|v: &f64| v.is_finite())?;
        let low = self.min.is_some_and(|min| value < min);
        let high = self.max.is_some_and(|max| value > max);
        let outcome = if low || high {
            Outcome::Fail
        } else {
            Outcome::Pass
        };
        Some((number_text(value), outcome))
    }

    /// The outcome of picking choice `index`.
    pub fn judge_choice(&self, index: usize) -> Option<Outcome> {
        self.choices.get(index).map(|c| {
            if c.fails {
                Outcome::Fail
            } else {
                Outcome::Pass
            }
        })
    }
}

/// `18`, `18.5`: no trailing zeros, as an operator writes a reading.
pub fn number_text(value: f64) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// What an operator records for an item. The note is required for a failure (the finding) and
/// for not applicable (the reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub outcome: Outcome,
    pub value: String,
    pub note: String,
}

impl Answer {
    pub fn pass() -> Answer {
        Answer {
            outcome: Outcome::Pass,
            value: String::new(),
            note: String::new(),
        }
    }

    /// Whether the answer can be saved as it is.
    pub fn needs_note(&self) -> bool {
        self.outcome != Outcome::Pass && self.note.trim().is_empty()
    }
}

/// A whole checklist as a file describes it or the template editor saves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub code: String,
    pub name: BiText,
    pub period: Period,
    /// Whether a run carries a free-text log (the weekly 网络运行日志).
    pub run_log: bool,
    /// When in the period a run is due (`weekday`, `window`).
    pub schedule: Schedule,
    pub items: Vec<Item>,
}

/// A problem found in a template: which item (by position, from 0) and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateProblem {
    /// `None` for the template's own fields.
    pub item: Option<usize>,
    pub problem: ItemProblem,
}

impl Template {
    /// Every problem, for every item.
    pub fn problems(&self) -> Vec<TemplateProblem> {
        let mut out: Vec<TemplateProblem> = code_problem(&self.code)
            .into_iter()
            .chain(text_problem(&self.name))
            .chain(
                self.schedule
                    .problem(self.period)
                    .map(ItemProblem::Schedule),
            )
            .map(|problem| TemplateProblem {
                item: None,
                problem,
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        for (i, item) in self.items.iter().enumerate() {
            let mut problems = item.problems();
            if !seen.insert(item.code.trim().to_lowercase()) {
                problems.push(ItemProblem::CodeRepeated);
            }
            out.extend(problems.into_iter().map(|problem| TemplateProblem {
                item: Some(i),
                problem,
            }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(min: Option<f64>, max: Option<f64>) -> Item {
        Item {
            kind: ItemKind::Number,
            min,
            max,
            unit: BiText::new("度", "C"),
            ..Item::pass_fail("E01", BiText::new("机房温度", "Room temperature"))
        }
    }

    #[test]
    fn readings_outside_the_range_fail() {
        let temp = number(Some(18.0), Some(27.0));
        assert_eq!(temp.judge_number("22"), Some(("22".into(), Outcome::Pass)));
        assert_eq!(temp.judge_number("18"), Some(("18".into(), Outcome::Pass)));
        assert_eq!(
            temp.judge_number("27.0"),
            Some(("27".into(), Outcome::Pass))
        );
        assert_eq!(
            temp.judge_number("27,5"),
            Some(("27.5".into(), Outcome::Fail))
        );
        assert_eq!(temp.judge_number("-3"), Some(("-3".into(), Outcome::Fail)));
        assert_eq!(temp.judge_number("warm"), None);
        assert_eq!(temp.judge_number("NaN"), None);
        assert_eq!(temp.judge_number(""), None);
        assert_eq!(temp.range_text(Lang::En), "18-27 C");
        assert_eq!(temp.range_text(Lang::Zh), "18-27 度");
        let runtime = Item {
            unit: BiText::new("分钟", "min"),
            ..number(Some(10.0), None)
        };
        assert_eq!(
            runtime.judge_number("9.5"),
            Some(("9.5".into(), Outcome::Fail))
        );
        assert_eq!(
            runtime.judge_number("45"),
            Some(("45".into(), Outcome::Pass))
        );
        assert_eq!(runtime.range_text(Lang::En), ">= 10 min");
    }

    #[test]
    fn item_problems_say_what_is_wrong() {
        assert_eq!(
            number(None, None).problems(),
            [ItemProblem::NumberNeedsRange]
        );
        assert_eq!(
            number(Some(30.0), Some(20.0)).problems(),
            [ItemProblem::RangeBackwards]
        );
        let mut choice = Item {
            kind: ItemKind::Choice,
            choices: vec![
                Choice {
                    label: BiText::new("正常", "Normal"),
                    fails: false,
                },
                Choice {
                    label: BiText::new("告警", "Alarm"),
                    fails: false,
                },
            ],
            ..Item::pass_fail("W09", BiText::new("UPS 状态", "UPS state"))
        };
        assert_eq!(choice.problems(), [ItemProblem::NoChoiceFails]);
        choice.choices[1].fails = true;
        assert!(choice.problems().is_empty());
        assert_eq!(choice.judge_choice(1), Some(Outcome::Fail));
        assert_eq!(choice.judge_choice(0), Some(Outcome::Pass));
        assert_eq!(choice.judge_choice(2), None);
        let extra = Item {
            min: Some(1.0),
            ..Item::pass_fail("", BiText::default())
        };
        assert_eq!(
            extra.problems(),
            [
                ItemProblem::CodeMissing,
                ItemProblem::TextMissing,
                ItemProblem::ExtraForKind
            ]
        );
    }

    #[test]
    fn templates_refuse_repeated_codes() {
        let template = Template {
            code: "weekly".into(),
            name: BiText::new("每周巡检", "Weekly"),
            period: Period::Week,
            run_log: true,
            schedule: Schedule::default(),
            items: vec![
                Item::pass_fail("W01", BiText::new("a", "a")),
                Item::pass_fail("w01", BiText::new("b", "b")),
            ],
        };
        assert_eq!(
            template.problems(),
            [TemplateProblem {
                item: Some(1),
                problem: ItemProblem::CodeRepeated
            }]
        );
    }

    #[test]
    fn failures_and_not_applicable_need_a_note() {
        assert!(!Answer::pass().needs_note());
        let fail = Answer {
            outcome: Outcome::Fail,
            value: String::new(),
            note: "  ".into(),
        };
        assert!(fail.needs_note());
        let na = Answer {
            outcome: Outcome::NotApplicable,
            note: "机房停电检修".into(),
            ..fail
        };
        assert!(!na.needs_note());
    }

    #[test]
    fn texts_fall_back_to_the_other_language() {
        let t = BiText::new("门窗", "");
        assert_eq!(t.get(Lang::En), "门窗");
        assert_eq!(BiText::new("门窗", "Doors").get(Lang::En), "Doors");
        assert_eq!(number_text(18.0), "18");
        assert_eq!(number_text(-0.0001), "0");
    }
}
