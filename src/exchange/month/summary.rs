//! The month's key figures, computed from the pack's details (the same rows the detail files
//! hold), and the summary file's rows.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::db::month::{EventClass, Pack};
use crate::db::readings::Metric;
use crate::domain::checklist::{BiText, Outcome};
use crate::domain::month::{Month, hours_between, loan_overdue_in, mean, percent, round1};
use crate::domain::period::Period;
use crate::domain::reading::UNIT_WORDS;
use crate::domain::reading::{round, value_text};
use crate::domain::repair::money_text;
use crate::domain::tool::Condition;
use crate::i18n::Lang;

/// One template's month.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateFigures {
    pub name: BiText,
    pub period: Period,
    pub signed: usize,
    pub missed: usize,
    pub failed_items: usize,
}

impl TemplateFigures {
    /// Periods that had to be signed: the signed ones and the ones that passed unsigned.
    pub fn expected(&self) -> usize {
        self.signed + self.missed
    }

    pub fn completion(&self) -> Option<f64> {
        percent(self.signed, self.expected())
    }
}

/// One week of the month (cut to the month).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekFigures {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Runs of periods starting in the week: signed, and passed unsigned.
    pub signed: usize,
    pub missed: usize,
    /// Repairs reported, and repairs finished, in the week.
    pub opened: usize,
    pub finished: usize,
}

impl WeekFigures {
    pub fn completion(&self) -> Option<f64> {
        percent(self.signed, self.signed + self.missed)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepairFigures {
    pub opened: usize,
    /// Repaired (or found unrepairable) in the month: what on-time, MTTR and cost count.
    pub finished: usize,
    pub closed: usize,
    /// Finished tickets that had an estimate, and those done by it.
    pub judged: usize,
    pub on_time: usize,
    pub mttr_hours: Option<f64>,
    /// In fen, by the department charged (empty: none named), largest first.
    pub cost_by_department: Vec<(String, i64)>,
}

impl RepairFigures {
    pub fn on_time_pct(&self) -> Option<f64> {
        percent(self.on_time, self.judged)
    }

    pub fn cost(&self) -> i64 {
        self.cost_by_department.iter().map(|(_, c)| c).sum()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolFigures {
    /// Lent in the month.
    pub lent: usize,
    /// Out at any time in the month (the tools file's rows).
    pub active: usize,
    /// Past due on some day of the month.
    pub overdue: usize,
    /// Came back damaged, or were reported lost, in the month.
    pub damaged: usize,
    pub lost: usize,
    /// Liability for those, in fen.
    pub liability: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceFigures {
    pub in_register: usize,
    pub added: usize,
    pub transferred: usize,
    pub status_changed: usize,
    pub scrapped: usize,
    pub removed: usize,
}

/// One metric's month.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFigures {
    pub metric: Metric,
    pub days: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub last: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub month: Month,
    pub templates: Vec<TemplateFigures>,
    pub weeks: Vec<WeekFigures>,
    pub repairs: RepairFigures,
    pub tools: ToolFigures,
    pub devices: DeviceFigures,
    pub metrics: Vec<MetricFigures>,
}

impl Summary {
    pub fn of(pack: &Pack) -> Summary {
        let month = pack.month;
        let in_month = |d: NaiveDate| month.contains(d);
        let templates = pack
            .templates
            .iter()
            .map(|t| TemplateFigures {
                name: t.checklist.name.clone(),
                period: t.checklist.period,
                signed: t.signed.len(),
                missed: t.missed.len(),
                failed_items: pack
                    .checks
                    .iter()
                    .filter(|c| c.checklist.id == t.checklist.id && c.outcome == Outcome::Fail)
                    .count(),
            })
            .collect();
        let weeks = month
            .weeks()
            .into_iter()
            .map(|(start, end)| {
                let within = |d: NaiveDate| d >= start && d <= end;
                WeekFigures {
                    start,
                    end,
                    signed: pack
                        .templates
                        .iter()
                        .map(|t| t.signed.iter().filter(|d| within(**d)).count())
                        .sum(),
                    missed: pack
                        .templates
                        .iter()
                        .map(|t| t.missed.iter().filter(|m| within(m.period_start)).count())
                        .sum(),
                    opened: pack
                        .repairs
                        .iter()
                        .filter(|r| within(r.flow.reported_at.date()))
                        .count(),
                    finished: pack
                        .repairs
                        .iter()
                        .filter(|r| r.flow.finished_at.is_some_and(|t| within(t.date())))
                        .count(),
                }
            })
            .collect();
        let finished: Vec<_> = pack
            .repairs
            .iter()
            .filter(|r| r.flow.finished_at.is_some_and(|t| in_month(t.date())))
            .collect();
        let judged: Vec<bool> = finished
            .iter()
            .filter_map(|r| r.flow.timeliness(pack.now).on_time())
            .collect();
        let hours: Vec<f64> = finished
            .iter()
            .filter_map(|r| Some(hours_between(r.flow.reported_at, r.flow.finished_at?)))
            .collect();
        let mut cost: BTreeMap<String, i64> = BTreeMap::new();
        for r in &finished {
            let o = &r.flow.outcome;
            if o.cost > 0 {
                *cost
                    .entry(o.charged_department.trim().to_owned())
                    .or_default() += o.cost;
            }
        }
        let mut cost_by_department: Vec<(String, i64)> = cost.into_iter().collect();
        cost_by_department.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let repairs = RepairFigures {
            opened: pack
                .repairs
                .iter()
                .filter(|r| in_month(r.flow.reported_at.date()))
                .count(),
            finished: finished.len(),
            closed: pack
                .repairs
                .iter()
                .filter(|r| r.flow.closed_at.is_some_and(|t| in_month(t.date())))
                .count(),
            judged: judged.len(),
            on_time: judged.iter().filter(|ok| **ok).count(),
            mttr_hours: mean(&hours).map(round1),
            cost_by_department,
        };
        let returned_in_month =
            |l: &&crate::db::tools::LoanRow| l.returned_at.is_some_and(|t| in_month(t.date()));
        let broken = |c: Condition| {
            pack.loans
                .iter()
                .filter(returned_in_month)
                .filter(move |l| l.condition_back == Some(c))
        };
        let tools = ToolFigures {
            lent: pack
                .loans
                .iter()
                .filter(|l| in_month(l.out_at.date()))
                .count(),
            active: pack.loans.len(),
            overdue: pack
                .loans
                .iter()
                .filter(|l| {
                    loan_overdue_in(l.due_on, l.returned_at.map(|t| t.date()), month, pack.until)
                })
                .count(),
            damaged: broken(Condition::Damaged).count(),
            lost: broken(Condition::Lost).count(),
            liability: broken(Condition::Damaged)
                .chain(broken(Condition::Lost))
                .filter_map(|l| l.liability.as_ref().map(|b| b.amount))
                .sum(),
        };
        let count = |class: EventClass| pack.events.iter().filter(|e| e.class == class).count();
        let devices = DeviceFigures {
            in_register: pack.register.len(),
            added: count(EventClass::Added),
            transferred: count(EventClass::Transferred),
            status_changed: count(EventClass::StatusChanged),
            scrapped: count(EventClass::Scrapped),
            removed: count(EventClass::Removed),
        };
        Summary {
            month,
            templates,
            weeks,
            repairs,
            tools,
            devices,
            metrics: metric_figures(pack),
        }
    }
}

fn metric_figures(pack: &Pack) -> Vec<MetricFigures> {
    let mut out: Vec<MetricFigures> = Vec::new();
    for reading in &pack.readings {
        let Some(value) = reading.row.comparison.value else {
            continue;
        };
        let metric = &reading.row.metric;
        match out.iter_mut().find(|m| m.metric.id == metric.id) {
            // Readings come day by day, so the latest seen is the month's last.
            Some(m) => {
                m.days += 1;
                m.min = m.min.min(value);
                m.max = m.max.max(value);
                m.mean += value;
                m.last = value;
            }
            None => out.push(MetricFigures {
                metric: metric.clone(),
                days: 1,
                min: value,
                max: value,
                mean: value,
                last: value,
            }),
        }
    }
    for m in &mut out {
        m.mean /= m.days as f64;
    }
    out.sort_by_key(|m| (m.metric.position, m.metric.id));
    out
}

/// A row of the summary file: a stable key, what it is about, and the value as a plain number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// The catalog key of its name, `month_figure.<code>`.
    pub key: &'static str,
    pub subject: String,
    pub scope: String,
    /// A plain number; empty when there is nothing to compute it from.
    pub value: String,
    pub unit: String,
}

impl Figure {
    /// The stable code scripts and spreadsheet formulas look figures up by:
    /// `checks_completion_pct`, `repairs_mttr_hours`.
    pub fn code(&self) -> &'static str {
        self.key.strip_prefix("month_figure.").unwrap_or(self.key)
    }

    /// The catalog key of the figure's section (checks, repairs, tools, devices, data).
    pub fn section_key(&self) -> &'static str {
        match self.code().split('_').next() {
            Some("checks") => "month.section_checks",
            Some("repairs") => "month.section_repairs",
            Some("tools") => "month.section_tools",
            Some("devices") => "month.section_devices",
            _ => "month.section_data",
        }
    }
}

/// Decimals a metric's mean is given with: one more than its values.
pub fn mean_decimals(metric: &Metric) -> u8 {
    metric.decimals.saturating_add(1).min(4)
}

fn pct(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.1}")).unwrap_or_default()
}

impl Summary {
    /// The summary file's rows, in file order.
    pub fn figures(&self, lang: Lang) -> Vec<Figure> {
        let total = lang.t("month.total").to_owned();
        let mut out = Vec::new();
        let mut push =
            |key: &'static str, subject: &str, scope: &str, value: String, unit: &str| {
                out.push(Figure {
                    key,
                    subject: subject.to_owned(),
                    scope: scope.to_owned(),
                    value,
                    unit: unit.to_owned(),
                })
            };
        let money = lang.t("month.unit_money");
        let mut all = TemplateFigures {
            name: BiText::default(),
            period: Period::Day,
            signed: 0,
            missed: 0,
            failed_items: 0,
        };
        for t in &self.templates {
            all.signed += t.signed;
            all.missed += t.missed;
            all.failed_items += t.failed_items;
        }
        let named = self
            .templates
            .iter()
            .map(|t| (t, t.name.get(lang).to_owned()));
        for (t, name) in named.chain([(&all, total.clone())]) {
            push(
                "month_figure.checks_completion_pct",
                &name,
                "",
                pct(t.completion()),
                "%",
            );
            push(
                "month_figure.checks_expected",
                &name,
                "",
                t.expected().to_string(),
                "",
            );
            push(
                "month_figure.checks_signed",
                &name,
                "",
                t.signed.to_string(),
                "",
            );
            push(
                "month_figure.checks_missed",
                &name,
                "",
                t.missed.to_string(),
                "",
            );
            push(
                "month_figure.checks_failed_items",
                &name,
                "",
                t.failed_items.to_string(),
                "",
            );
        }
        let r = &self.repairs;
        push(
            "month_figure.repairs_opened",
            &total,
            "",
            r.opened.to_string(),
            "",
        );
        push(
            "month_figure.repairs_finished",
            &total,
            "",
            r.finished.to_string(),
            "",
        );
        push(
            "month_figure.repairs_closed",
            &total,
            "",
            r.closed.to_string(),
            "",
        );
        push(
            "month_figure.repairs_on_time_pct",
            &total,
            "",
            pct(r.on_time_pct()),
            "%",
        );
        let hours = lang.t("month.unit_hours");
        push(
            "month_figure.repairs_mttr_hours",
            &total,
            "",
            pct(r.mttr_hours),
            hours,
        );
        for (department, cost) in &r.cost_by_department {
            let name = match department.as_str() {
                "" => lang.t("month.no_department"),
                named => named,
            };
            push(
                "month_figure.repairs_cost",
                name,
                "",
                money_text(*cost),
                money,
            );
        }
        push(
            "month_figure.repairs_cost",
            &total,
            "",
            money_text(r.cost()),
            money,
        );
        let t = &self.tools;
        push(
            "month_figure.tools_lent",
            &total,
            "",
            t.lent.to_string(),
            "",
        );
        push(
            "month_figure.tools_active",
            &total,
            "",
            t.active.to_string(),
            "",
        );
        push(
            "month_figure.tools_overdue",
            &total,
            "",
            t.overdue.to_string(),
            "",
        );
        push(
            "month_figure.tools_damaged",
            &total,
            "",
            t.damaged.to_string(),
            "",
        );
        push(
            "month_figure.tools_lost",
            &total,
            "",
            t.lost.to_string(),
            "",
        );
        push(
            "month_figure.tools_liability",
            &total,
            "",
            money_text(t.liability),
            money,
        );
        let d = &self.devices;
        push(
            "month_figure.devices_in_register",
            &total,
            "",
            d.in_register.to_string(),
            "",
        );
        push(
            "month_figure.devices_added",
            &total,
            "",
            d.added.to_string(),
            "",
        );
        push(
            "month_figure.devices_transferred",
            &total,
            "",
            d.transferred.to_string(),
            "",
        );
        push(
            "month_figure.devices_status_changed",
            &total,
            "",
            d.status_changed.to_string(),
            "",
        );
        push(
            "month_figure.devices_scrapped",
            &total,
            "",
            d.scrapped.to_string(),
            "",
        );
        push(
            "month_figure.devices_removed",
            &total,
            "",
            d.removed.to_string(),
            "",
        );
        for m in &self.metrics {
            let metric = &m.metric;
            let unit = lang.stored_word(&metric.unit, &UNIT_WORDS);
            let (name, scope, unit) = (metric.name(lang), metric.scope.as_str(), unit.as_ref());
            let d = metric.decimals;
            let mean = round(m.mean, mean_decimals(metric));
            push(
                "month_figure.data_days",
                name,
                scope,
                m.days.to_string(),
                "",
            );
            push(
                "month_figure.data_min",
                name,
                scope,
                value_text(m.min, d),
                unit,
            );
            push(
                "month_figure.data_max",
                name,
                scope,
                value_text(m.max, d),
                unit,
            );
            push(
                "month_figure.data_mean",
                name,
                scope,
                value_text(mean, mean_decimals(metric)),
                unit,
            );
            push(
                "month_figure.data_last",
                name,
                scope,
                value_text(m.last, d),
                unit,
            );
        }
        out
    }
}
