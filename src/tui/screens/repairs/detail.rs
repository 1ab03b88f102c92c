//! One repair ticket in full: its fields, what the next keys do, and the timeline of every
//! state change and amendment with who and when.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::db::repairs::{self, Repair, TimelineEntry};
use crate::domain::repair::{State, StepKind, Timeliness, money_text};
use crate::i18n::Lang;
use crate::text::fit;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::scrolled::{self, Scroll};

pub struct Detail {
    pub repair: Repair,
    timeline: Vec<TimelineEntry>,
    pub scroll: Scroll,
}

fn minute(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// The key that takes a step from the list and the detail.
fn step_key(step: StepKind, state: State) -> &'static str {
    match step {
        StepKind::ToVendor | StepKind::FromVendor => "v",
        StepKind::Reject => "x",
        StepKind::GiveUp => "u",
        _ if state.next_step() == Some(step) => "n",
        _ => "",
    }
}

impl Detail {
    pub fn load(ctx: &Ctx, id: i64) -> Option<Detail> {
        let conn = ctx.db.conn();
        let repair = ctx.found(repairs::get(conn, id))?;
        let timeline = ctx.read(repairs::timeline(conn, id));
        Some(Detail {
            repair,
            timeline,
            scroll: Scroll::default(),
        })
    }

    /// Read the ticket again: another operator may have moved it on.
    pub fn reload(&mut self, ctx: &Ctx) {
        if let Some(fresh) = Detail::load(ctx, self.repair.id) {
            self.repair = fresh.repair;
            self.timeline = fresh.timeline;
        }
    }

    fn fields(&self, ctx: &Ctx) -> Vec<(&'static str, String)> {
        let lang = ctx.lang;
        let r = &self.repair;
        let f = &r.flow;
        let mut out: Vec<(&'static str, String)> = vec![
            ("repair_form.device", r.device_text.clone()),
            (
                "repair_form.reporter",
                if r.department.is_empty() {
                    r.reporter.clone()
                } else {
                    format!("{} ({})", r.reporter, r.department)
                },
            ),
            ("repair_form.reported_at", minute(f.reported_at)),
            ("repair_form.kind", lang.t(r.kind.label_key()).to_owned()),
            ("repair_form.maintainer", f.maintainer.clone()),
            (
                "repair_form.estimate",
                f.estimate_at.map(minute).unwrap_or_default(),
            ),
            (
                "repairs.started_at",
                f.started_at.map(minute).unwrap_or_default(),
            ),
            (
                "repairs.finished_at",
                f.finished_at.map(minute).unwrap_or_default(),
            ),
            (
                "repairs.warranty",
                match f.under_warranty {
                    Some(true) => lang.t("repairs.in_warranty").to_owned(),
                    Some(false) => lang.t("repairs.out_of_warranty").to_owned(),
                    None => lang.t("repairs.warranty_unknown").to_owned(),
                },
            ),
            (
                "repairs.closed_at",
                f.closed_at.map(minute).unwrap_or_default(),
            ),
        ];
        let o = &f.outcome;
        if !o.parts.is_empty() || o.cost > 0 {
            out.push(("repair_field.parts", o.parts.clone()));
            out.push(("repair_field.cost", money_text(o.cost)));
        }
        if !o.charged_department.is_empty() {
            out.push((
                "repair_field.charged_department",
                o.charged_department.clone(),
            ));
        }
        if o.human_caused {
            out.push(("repair_field.liable_person", o.liable_person.clone()));
        }
        let v = &f.vendor;
        if !v.vendor.is_empty() {
            out.push(("repair_form.vendor", v.vendor.clone()));
            out.push((
                "repair_form.approver",
                with_evidence(&v.approver, &r.vendor_approval, lang),
            ));
            out.push((
                "repair_form.sent_on",
                v.sent_on.map(|d| d.to_string()).unwrap_or_default(),
            ));
            out.push((
                "repair_form.returned_on",
                v.returned_on.map(|d| d.to_string()).unwrap_or_default(),
            ));
            if !v.reference.is_empty() {
                out.push(("repair_form.reference", v.reference.clone()));
            }
        }
        let d = &f.damage;
        if !d.part.is_empty() {
            out.push(("repair_form.damaged_part", d.part.clone()));
            out.push(("repairs.confirmers", format!("{}, {}", d.first, d.second)));
        }
        if !f.confirmed_by.is_empty() {
            let when = f.confirmed_at.map(minute).unwrap_or_default();
            let who = with_evidence(&f.confirmed_by, &r.confirmation, lang);
            out.push(("repairs.confirmed_by", format!("{who} {when}")));
        }
        if f.reopened > 0 {
            out.push(("repairs.reopened", f.reopened.to_string()));
        }
        out
    }

    fn head(&self, ctx: &Ctx) -> Vec<Line<'static>> {
        let lang = ctx.lang;
        let r = &self.repair;
        let state = r.flow.state;
        let timeliness = r.flow.timeliness(ctx.now);
        let timeliness_style = match timeliness {
            Timeliness::Late | Timeliness::Overran => theme::BAD,
            _ => theme::HINT,
        };
        let mut first = vec![
            Span::styled(format!(" {} ", r.ticket), theme::OVERLAY_TITLE),
            Span::styled(format!(" [{}]", lang.t(state.label_key())), theme::NOTICE),
            Span::styled(
                format!("  {}", lang.t(r.priority.label_key())),
                theme::TITLE,
            ),
        ];
        if timeliness != Timeliness::NoEstimate {
            first.push(Span::styled(
                format!("  {}", lang.t(timeliness.label_key())),
                timeliness_style,
            ));
        }
        if state.is_final() {
            first.push(Span::styled(
                format!("  {}", lang.t("repairs.read_only")),
                theme::MUTED,
            ));
        }
        let mut steps = vec![Span::styled(
            format!(" {} ", lang.t("repairs.next")),
            theme::HINT,
        )];
        for step in state.steps() {
            steps.push(Span::styled(step_key(*step, state).to_owned(), theme::KEY));
            steps.push(Span::raw(format!(" {}  ", lang.t(step.label_key()))));
        }
        if state.is_final() {
            steps.push(Span::styled("A", theme::KEY));
            steps.push(Span::raw(format!(" {}", lang.t("key.amend_ticket"))));
        }
        vec![Line::from(first), Line::from(steps)]
    }

    fn timeline_lines(&self, lang: Lang) -> Vec<Line<'static>> {
        let mut lines = vec![Line::from(Span::styled(
            format!(" {}", lang.t("repairs.timeline")),
            theme::SECTION,
        ))];
        for entry in &self.timeline {
            let line = match entry {
                TimelineEntry::Step {
                    from,
                    to,
                    note,
                    at,
                    by,
                } => {
                    let rejected =
                        *to == State::InRepair && *from == Some(State::AwaitingConfirmation);
                    let from =
                        from.map_or(String::new(), |f| format!("{} -> ", lang.t(f.label_key())));
                    let mut spans = vec![
                        Span::styled(format!(" {} ", minute(*at)), theme::HINT),
                        Span::raw(format!("{by}  ")),
                        Span::styled(
                            format!("{from}{}", lang.t(to.label_key())),
                            if rejected { theme::BAD } else { theme::TITLE },
                        ),
                    ];
                    if !note.is_empty() {
                        spans.push(Span::raw(format!("  {}", note.replace('\n', " "))));
                    }
                    Line::from(spans)
                }
                TimelineEntry::Amended(a) => Line::from(vec![
                    Span::styled(format!(" {} ", minute(a.at)), theme::HINT),
                    Span::raw(format!("{}  ", a.by)),
                    Span::styled(lang.t("repairs.amendment").to_owned(), theme::NOTICE),
                    Span::raw(format!(
                        " {}: {} -> {}  ({})",
                        lang.t(a.field.label_key()),
                        a.old_value,
                        a.new_value,
                        a.reason
                    )),
                ]),
            };
            lines.push(line);
        }
        lines
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let mut lines = self.head(ctx);
        let fields = self.fields(ctx);
        let label_w = 12;
        let two = area.width >= 72;
        let half = area.width / 2;
        let pair = |(key, value): &(&'static str, String), width: u16| -> Vec<Span<'static>> {
            vec![
                Span::styled(format!(" {}", fit(lang.t(key), label_w)), theme::HINT),
                Span::raw(format!(
                    " {}",
                    fit(value, width.saturating_sub(label_w + 2))
                )),
            ]
        };
        if two {
            for chunk in fields.chunks(2) {
                let mut spans = pair(&chunk[0], half);
                if let Some(second) = chunk.get(1) {
                    spans.extend(pair(second, half));
                }
                lines.push(Line::from(spans));
            }
        } else {
            lines.extend(fields.iter().map(|f| Line::from(pair(f, area.width))));
        }
        let r = &self.repair;
        // The checklist item a ticket came from, and the long texts, take a whole line each.
        let from_check = r.check.as_ref().map_or(String::new(), |l| l.label(lang));
        let long = [
            ("repairs.from_check", &from_check),
            ("repair_form.description", &r.description),
            ("repair_field.result", &r.flow.outcome.result),
        ];
        for (key, text) in long {
            if !text.is_empty() {
                lines.push(Line::from(vec![
                    Span::styled(format!(" {}", fit(lang.t(key), label_w)), theme::HINT),
                    Span::raw(format!(" {}", text.replace('\n', " "))),
                ]));
            }
        }
        lines.extend(self.timeline_lines(lang));
        scrolled::render(frame, area, lines, &mut self.scroll);
    }
}

/// A name with how it signed, where it did otherwise than by name (`赵副 (countersigned)`).
fn with_evidence(name: &str, stored: &str, lang: Lang) -> String {
    match crate::words::evidence_words(stored, lang) {
        how if how.is_empty() => name.to_owned(),
        how => format!("{name} ({how})"),
    }
}
