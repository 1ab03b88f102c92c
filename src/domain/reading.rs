//! Daily data rules (每日数据对比): metric directions and targets, parsing and showing values,
//! the day-over-day change (Δ, Δ%), what counts as better or worse, and the base a day is
//! compared with.

use chrono::{Duration, NaiveDate};

/// Units stored as a short key that each language writes its own way (the rest, `%`, `GB`,
/// `Mbps`, are the same in both): for [`crate::i18n::Lang::stored_word`].
pub const UNIT_WORDS: [(&str, &str); 2] = [("d", "unit.days"), ("C", "unit.celsius")];

/// Which way a metric should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// More is better (index count, PV).
    Up,
    /// Less is better (organic rank, snapshot age).
    Down,
    /// Neither: only targets and large changes matter (room temperature).
    Neutral,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::Up, Direction::Down, Direction::Neutral];

    pub fn key(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Neutral => "neutral",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Direction::Up => "direction.up",
            Direction::Down => "direction.down",
            Direction::Neutral => "direction.neutral",
        }
    }

    pub fn parse(text: &str) -> Option<Direction> {
        Direction::ALL
            .into_iter()
            .find(|d| d.key().eq_ignore_ascii_case(text.trim()))
    }
}

/// The range a value should stay in: a minimum, a maximum, or both.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Target {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Where a value stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetState {
    Below,
    Met,
    Above,
}

impl TargetState {
    pub fn label_key(self) -> &'static str {
        match self {
            TargetState::Below => "reading_status.below",
            TargetState::Met => "reading_status.met",
            TargetState::Above => "reading_status.above",
        }
    }
}

impl Target {
    pub fn is_set(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }

    pub fn state(&self, value: f64) -> Option<TargetState> {
        if !self.is_set() {
            return None;
        }
        Some(match (self.min, self.max) {
            (Some(min), _) if value < min => TargetState::Below,
            (_, Some(max)) if value > max => TargetState::Above,
            _ => TargetState::Met,
        })
    }

    /// `6-10`, `>=1`, `<=80`, `18-27.5`, or empty: the form in which targets are typed and
    /// shown (no trailing zeros: targets are round numbers, and the column is narrow).
    pub fn text(&self) -> String {
        let v = plain_number;
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => v(a),
            (Some(a), Some(b)) => format!("{}-{}", v(a), v(b)),
            (Some(a), None) => format!(">={}", v(a)),
            (None, Some(b)) => format!("<={}", v(b)),
            (None, None) => String::new(),
        }
    }

    /// Read a target as typed: `6-10` (also `6~10`, `6–10`), `>=1`, `<=80`, a single number
    /// (exactly that), or nothing. `None` when the text is none of these or the range is
    /// backwards.
    pub fn parse(text: &str) -> Option<Target> {
        let t = text.trim();
        if t.is_empty() {
            return Some(Target::default());
        }
        let number = |s: &str| parse_number(s.trim());
        let target = if let Some(rest) = t.strip_prefix(">=").or_else(|| t.strip_prefix('≥')) {
            Target {
                min: Some(number(rest)?),
                max: None,
            }
        } else if let Some(rest) = t.strip_prefix("<=").or_else(|| t.strip_prefix('≤')) {
            Target {
                min: None,
                max: Some(number(rest)?),
            }
        } else if let Some((a, b)) = split_range(t) {
            Target {
                min: Some(number(a)?),
                max: Some(number(b)?),
            }
        } else {
            let v = number(t)?;
            Target {
                min: Some(v),
                max: Some(v),
            }
        };
        match (target.min, target.max) {
            (Some(a), Some(b)) if a > b => None,
            _ => Some(target),
        }
    }
}

/// `a-b`, `a~b`, `a–b`: split at the range mark (a leading minus belongs to the number).
fn split_range(text: &str) -> Option<(&str, &str)> {
    for mark in ['~', '–', '～'] {
        if let Some(parts) = text.split_once(mark) {
            return Some(parts);
        }
    }
    let at = text.char_indices().skip(1).find(|(_, c)| *c == '-')?.0;
    Some((&text[..at], &text[at + 1..]))
}

/// A number without trailing zeros: `18`, `27.5`.
pub fn plain_number(value: f64) -> String {
    let text = format!("{value}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// The most digits a value may have: beyond 15, a double no longer holds every digit.
const MAX_DIGITS: usize = 15;

/// A plain decimal number: optional minus, ASCII digits, at most one point. Thousands
/// separators, exponents, full-width digits, `NaN` and `inf` are refused.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && frac.is_empty()
        || !digits(whole)
        || !digits(frac)
        || whole.len() + frac.len() > MAX_DIGITS
    {
        return None;
    }
    let value: f64 = t.parse().ok()?;
    value.is_finite().then_some(value)
}

/// Why a typed value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueProblem {
    NotANumber,
}

/// A value as typed for a metric with `decimals` places: a plain number, rounded to those
/// places (figures copied from other systems often carry more).
pub fn parse_value(text: &str, decimals: u8) -> Result<f64, ValueProblem> {
    let v = parse_number(text).ok_or(ValueProblem::NotANumber)?;
    Ok(round(v, decimals))
}

pub fn round(value: f64, decimals: u8) -> f64 {
    let scale = 10f64.powi(i32::from(decimals));
    let rounded = (value * scale).round() / scale;
    // No "-0" on screen.
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// A value with the metric's decimal places.
pub fn value_text(value: f64, decimals: u8) -> String {
    format!("{:.*}", usize::from(decimals), round(value, decimals))
}

/// What stands in a table for a value or percentage there is none of (a plain hyphen: dashes
/// are double width in some CJK terminals).
pub const NO_VALUE: &str = "-";

/// A change with its sign always shown: `+3`, `-1.5`, `0`.
pub fn delta_text(delta: f64, decimals: u8) -> String {
    let text = value_text(delta, decimals);
    if round(delta, decimals) > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// A percentage change with its sign: one decimal below 100 (`+12.5%`), whole above
/// (`+240%`), so it stays narrow.
pub fn pct_text(pct: f64) -> String {
    let places = if pct.abs() < 99.95 { 1 } else { 0 };
    let text = format!("{:.*}%", places, round(pct, places as u8));
    if round(pct, 1) > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// How a day's value moved from its base.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub delta: f64,
    /// `None` when the base is zero: no percentage of nothing.
    pub pct: Option<f64>,
}

/// The change from `base` to `value`; `None` when either is missing.
pub fn change(base: Option<f64>, value: Option<f64>) -> Option<Change> {
    let (base, value) = (base?, value?);
    let delta = value - base;
    let pct = (base != 0.0).then(|| delta / base.abs() * 100.0);
    Some(Change { delta, pct })
}

/// Whether a change went the way the metric should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Better,
    Worse,
    Same,
    /// Moved, for a metric with no preferred direction.
    Moved,
}

pub fn trend(direction: Direction, delta: f64, decimals: u8) -> Trend {
    let d = round(delta, decimals);
    match direction {
        _ if d == 0.0 => Trend::Same,
        Direction::Neutral => Trend::Moved,
        Direction::Up if d > 0.0 => Trend::Better,
        Direction::Down if d < 0.0 => Trend::Better,
        _ => Trend::Worse,
    }
}

/// The verdict shown in the status column, and coloured by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No value on the day.
    Missing,
    /// A target is set: where the value stands.
    Target(TargetState),
    /// No target: the change against the base, read with the metric's direction.
    Trend(Trend),
    /// A value but nothing to compare it with.
    NoBase,
}

impl Status {
    pub fn label_key(self) -> &'static str {
        match self {
            Status::Missing => "reading_status.missing",
            Status::Target(t) => t.label_key(),
            Status::Trend(Trend::Better) => "reading_status.better",
            Status::Trend(Trend::Worse) => "reading_status.worse",
            Status::Trend(Trend::Same) => "reading_status.same",
            Status::Trend(Trend::Moved) => "reading_status.moved",
            Status::NoBase => "reading_status.no_base",
        }
    }

    /// Good news (green), bad news (red), or neither.
    pub fn tone(self) -> Tone {
        match self {
            Status::Target(TargetState::Met) | Status::Trend(Trend::Better) => Tone::Good,
            Status::Target(_) | Status::Trend(Trend::Worse) | Status::Missing => Tone::Bad,
            _ => Tone::Plain,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Plain,
}

/// What is known about one metric for comparing: how it should move and what it should be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub direction: Direction,
    pub decimals: u8,
    pub target: Target,
    /// Flag a change larger than this many percent (either way).
    pub alert_pct: Option<f64>,
}

/// One metric on one day against its base.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    pub base: Option<f64>,
    pub value: Option<f64>,
    pub change: Option<Change>,
    pub status: Status,
    /// The change is beyond the metric's alert threshold.
    pub flagged: bool,
}

pub fn compare(rule: &Rule, base: Option<f64>, value: Option<f64>) -> Comparison {
    let change = change(base, value);
    let status = match (value, change) {
        (None, _) => Status::Missing,
        (Some(v), _) if rule.target.is_set() => {
            Status::Target(rule.target.state(v).unwrap_or(TargetState::Met))
        }
        (Some(_), Some(c)) => Status::Trend(trend(rule.direction, c.delta, rule.decimals)),
        (Some(_), None) => Status::NoBase,
    };
    let flagged = match (change.and_then(|c| c.pct), rule.alert_pct) {
        (Some(pct), Some(limit)) => pct.abs() > limit,
        _ => false,
    };
    Comparison {
        base,
        value,
        change,
        status,
        flagged,
    }
}

/// What a day is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Base {
    /// 前一天: the rule in the regulations.
    #[default]
    PreviousDay,
    /// The same weekday a week before (weekends look like weekends).
    LastWeek,
    /// The mean of the 30 days before, over the days that have a value.
    Average30,
}

impl Base {
    pub const ALL: [Base; 3] = [Base::PreviousDay, Base::LastWeek, Base::Average30];

    pub fn key(self) -> &'static str {
        match self {
            Base::PreviousDay => "prev",
            Base::LastWeek => "week",
            Base::Average30 => "avg30",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Base::PreviousDay => "base.prev",
            Base::LastWeek => "base.week",
            Base::Average30 => "base.avg30",
        }
    }

    pub fn parse(text: &str) -> Option<Base> {
        Base::ALL
            .into_iter()
            .find(|b| b.key().eq_ignore_ascii_case(text.trim()))
    }

    pub fn next(self) -> Base {
        let at = Base::ALL.iter().position(|b| *b == self).unwrap_or(0);
        Base::ALL[(at + 1) % Base::ALL.len()]
    }

    /// The first and last day the base of `day` is taken from.
    pub fn days(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Base::PreviousDay => (day - Duration::days(1), day - Duration::days(1)),
            Base::LastWeek => (day - Duration::days(7), day - Duration::days(7)),
            Base::Average30 => (day - Duration::days(30), day - Duration::days(1)),
        }
    }

    /// The base value from a metric's readings (day, value), `None` when there are none
    /// in the base's days.
    pub fn value(self, day: NaiveDate, readings: &[(NaiveDate, f64)]) -> Option<f64> {
        let (first, last) = self.days(day);
        let values: Vec<f64> = readings
            .iter()
            .filter(|(d, _)| (first..=last).contains(d))
            .map(|(_, v)| *v)
            .collect();
        match self {
            Base::Average30 if !values.is_empty() => {
                Some(values.iter().sum::<f64>() / values.len() as f64)
            }
            _ => values.first().copied(),
        }
    }
}

/// How many days a trend line covers.
pub const TREND_DAYS: i64 = 14;

/// Braille dots filling one column of a cell from the bottom: 1 to 4 dots, left and right.
const LEFT: [u32; 4] = [0x40, 0x04, 0x02, 0x01];
const RIGHT: [u32; 4] = [0x80, 0x20, 0x10, 0x08];

/// A sparkline of `values` (oldest first) in braille, two days to a cell: each present value
/// gets 1 to 4 dots by its height between the smallest and largest; a missing day has none, so
/// a forgotten entry shows as a gap. Braille is single-width in every terminal.
pub fn sparkline(values: &[Option<f64>]) -> String {
    let present = values.iter().flatten();
    let low = present.clone().copied().fold(f64::INFINITY, f64::min);
    let high = present.copied().fold(f64::NEG_INFINITY, f64::max);
    let level = |v: f64| -> usize {
        if high > low {
            1 + ((v - low) / (high - low) * 3.0).round() as usize
        } else {
            2
        }
    };
    let dots = |v: Option<f64>, column: &[u32; 4]| -> u32 {
        v.map_or(0, |v| column[..level(v)].iter().sum())
    };
    values
        .chunks(2)
        .map(|pair| {
            let left = dots(pair[0], &LEFT);
            let right = pair.get(1).map_or(0, |v| dots(*v, &RIGHT));
            char::from_u32(0x2800 + left + right).unwrap_or(' ')
        })
        .collect()
}

/// The dates of `count` days ending with `last`, oldest first.
pub fn days_ending(last: NaiveDate, count: i64) -> Vec<NaiveDate> {
    (0..count)
        .rev()
        .map(|back| last - Duration::days(back))
        .collect()
}

/// A date as an import file or a typed field may hold it: `2026-11-21`, or `2026/11/21` and
/// `2026/1/5` as Excel on Chinese Windows rewrites dates when it saves a CSV. Impossible
/// dates (`2026-02-30`) are refused.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let sep = if t.contains('/') { '/' } else { '-' };
    let mut parts = t.split(sep);
    let mut next = |max_len: usize| -> Option<u32> {
        let p = parts.next()?;
        (!p.is_empty() && p.len() <= max_len && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (y, m, d) = (next(4)?, next(2)?, next(2)?);
    if parts.next().is_some() || y < 1000 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
    // The dash form is ISO: padded. The slash form is what Excel writes: either.
    (sep == '/' || t == date.format("%Y-%m-%d").to_string()).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn rule(direction: Direction) -> Rule {
        Rule {
            direction,
            decimals: 0,
            target: Target::default(),
            alert_pct: None,
        }
    }

    #[test]
    fn change_is_blank_without_a_base_and_has_no_percentage_of_zero() {
        assert_eq!(change(None, Some(5.0)), None);
        assert_eq!(change(Some(5.0), None), None);
        assert_eq!(
            change(Some(0.0), Some(7.0)),
            Some(Change {
                delta: 7.0,
                pct: None
            })
        );
        let c = change(Some(200.0), Some(150.0)).unwrap();
        assert_eq!((c.delta, c.pct), (-50.0, Some(-25.0)));
        // A negative base: the percentage follows the direction of the change.
        let c = change(Some(-10.0), Some(-5.0)).unwrap();
        assert_eq!(c.pct, Some(50.0));
        assert_eq!(delta_text(-50.0, 0), "-50");
        assert_eq!(delta_text(2.25, 1), "+2.3");
        assert_eq!(delta_text(0.04, 1), "0.0");
        assert_eq!(pct_text(-25.0), "-25.0%");
        assert_eq!(pct_text(12.345), "+12.3%");
        assert_eq!(pct_text(24580.04), "+24580%");
        assert_eq!(pct_text(-100.0), "-100%");
    }

    #[test]
    fn status_reads_the_change_with_the_metrics_direction() {
        let rank = rule(Direction::Down);
        assert_eq!(
            compare(&rank, Some(8.0), Some(5.0)).status,
            Status::Trend(Trend::Better),
            "a rank going down is good"
        );
        assert_eq!(
            compare(&rank, Some(5.0), Some(8.0)).status.tone(),
            Tone::Bad
        );
        let pv = rule(Direction::Up);
        assert_eq!(
            compare(&pv, Some(100.0), Some(120.0)).status.tone(),
            Tone::Good
        );
        assert_eq!(
            compare(&pv, Some(100.0), Some(100.0)).status,
            Status::Trend(Trend::Same)
        );
        let temperature = rule(Direction::Neutral);
        assert_eq!(
            compare(&temperature, Some(22.0), Some(25.0)).status.tone(),
            Tone::Plain
        );
        assert_eq!(compare(&pv, None, Some(3.0)).status, Status::NoBase);
        assert_eq!(compare(&pv, Some(3.0), None).status, Status::Missing);
        assert_eq!(compare(&pv, Some(3.0), None).status.tone(), Tone::Bad);
    }

    #[test]
    fn targets_decide_the_status_when_set() {
        let mut articles = rule(Direction::Up);
        articles.target = Target::parse("6-10").unwrap();
        let state = |v: f64| compare(&articles, Some(8.0), Some(v)).status;
        assert_eq!(state(5.0), Status::Target(TargetState::Below));
        assert_eq!(state(6.0), Status::Target(TargetState::Met));
        assert_eq!(state(10.0), Status::Target(TargetState::Met));
        assert_eq!(state(11.0), Status::Target(TargetState::Above));
        assert_eq!(state(11.0).tone(), Tone::Bad, "above a range is off target");
        let at_least = Target::parse(">=10").unwrap();
        assert_eq!(at_least.state(40.0), Some(TargetState::Met));
        assert_eq!(at_least.text(), ">=10");
        assert_eq!(Target::parse("<= 80").unwrap().text(), "<=80");
        assert_eq!(Target::parse("18~27.5").unwrap().text(), "18-27.5");
        assert_eq!(Target::parse("1").unwrap().text(), "1");
        assert_eq!(Target::parse("-5--1").unwrap().min, Some(-5.0));
        assert_eq!(Target::parse(""), Some(Target::default()));
        for bad in ["10-6", "abc", ">=", "6-", "1e3"] {
            assert_eq!(Target::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn changes_beyond_the_threshold_are_flagged_either_way() {
        let mut r = rule(Direction::Up);
        r.alert_pct = Some(20.0);
        assert!(!compare(&r, Some(100.0), Some(120.0)).flagged);
        assert!(compare(&r, Some(100.0), Some(121.0)).flagged);
        assert!(compare(&r, Some(100.0), Some(70.0)).flagged);
        assert!(
            !compare(&r, Some(0.0), Some(70.0)).flagged,
            "no percentage from a zero base"
        );
        r.alert_pct = None;
        assert!(!compare(&r, Some(100.0), Some(500.0)).flagged);
    }

    #[test]
    fn the_base_switches_between_yesterday_last_week_and_the_30_day_mean() {
        let readings: Vec<(NaiveDate, f64)> = (1..=20).map(|d| (day(d), f64::from(d))).collect();
        assert_eq!(Base::PreviousDay.value(day(20), &readings), Some(19.0));
        assert_eq!(Base::LastWeek.value(day(20), &readings), Some(13.0));
        // The 30 days before the 20th hold the 1st to the 19th: their mean is 10.
        assert_eq!(Base::Average30.value(day(20), &readings), Some(10.0));
        assert_eq!(Base::PreviousDay.value(day(1), &readings), None);
        let gap: Vec<_> = readings
            .iter()
            .filter(|(d, _)| *d != day(19))
            .copied()
            .collect();
        assert_eq!(
            Base::PreviousDay.value(day(20), &gap),
            None,
            "a missing yesterday is missing, not the day before"
        );
        assert_eq!(Base::PreviousDay.next(), Base::LastWeek);
        assert_eq!(Base::Average30.next(), Base::PreviousDay);
    }

    #[test]
    fn values_are_plain_numbers_rounded_to_the_metrics_places() {
        assert_eq!(parse_value("23.46", 1), Ok(23.5));
        assert_eq!(parse_value(" 1200 ", 0), Ok(1200.0));
        assert_eq!(parse_value("-3", 0), Ok(-3.0));
        assert_eq!(parse_value(".5", 1), Ok(0.5));
        for bad in [
            "", "-", ".", "1,200", "1e3", "NaN", "inf", "１２", "12a", "1.2.3", "--1",
        ] {
            assert_eq!(parse_value(bad, 0), Err(ValueProblem::NotANumber), "{bad}");
        }
        assert!(parse_number("1234567890123456").is_none(), "16 digits");
        assert_eq!(value_text(-0.01, 1), "0.0");
        assert_eq!(value_text(7.0, 2), "7.00");
    }

    #[test]
    fn sparklines_leave_gaps_for_missing_days() {
        let line = sparkline(&[Some(1.0), Some(4.0), None, Some(2.0)]);
        assert_eq!(line.chars().count(), 2);
        let first = line.chars().next().unwrap() as u32 - 0x2800;
        assert_eq!(
            first,
            0x40 + (0x80 | 0x20 | 0x10 | 0x08),
            "lowest 1 dot, highest 4"
        );
        let second = line.chars().nth(1).unwrap() as u32 - 0x2800;
        assert_eq!(second & 0x47, 0, "the missing day has no dots");
        assert_ne!(second, 0);
        assert_eq!(sparkline(&[None, None]), "\u{2800}");
        assert_eq!(sparkline(&[Some(3.0)]).chars().count(), 1);
    }

    #[test]
    fn days_are_iso_or_as_excel_rewrites_them() {
        assert_eq!(parse_day("2026-11-21"), Some(day(21)));
        assert_eq!(parse_day("2026/11/21"), Some(day(21)));
        assert_eq!(parse_day("2026/11/5"), Some(day(5)));
        for bad in [
            "2026-02-30",
            "2026-11-5",
            "21/11/2026",
            "2026.11.21",
            "２０２６-11-21",
            "2026-11-21x",
            "",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert_eq!(days_ending(day(3), 3), vec![day(1), day(2), day(3)]);
    }
}
