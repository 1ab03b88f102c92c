//! One device in full: every field, the warranty in words, and its history book newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::db::device_log::{Event, EventKind};
use crate::db::devices::Device;
use crate::domain::device::{Category, Status};
use crate::domain::record::{Field, Warranty, warranty};
use crate::i18n::Lang;
use crate::text::fit;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::scrolled::{self, Scroll};

pub struct Detail {
    pub device: Device,
    history: Vec<Event>,
    pub scroll: Scroll,
}

impl Detail {
    pub fn new(device: Device, history: Vec<Event>) -> Detail {
        Detail {
            device,
            history,
            scroll: Scroll::default(),
        }
    }

    /// The device and its history as they read now, where the operator had scrolled to.
    pub fn refresh(&mut self, device: Device, history: Vec<Event>) {
        self.device = device;
        self.history = history;
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let r = &self.device.record;
        let mut lines = Vec::new();
        let state = if self.device.removed {
            lang.t("devices.removed")
        } else {
            lang.t(r.status.label_key())
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", r.asset_tag), theme::OVERLAY_TITLE),
            Span::styled(format!(" {}  ", r.name), theme::TITLE),
            Span::styled(format!("[{state}]"), theme::NOTICE),
            if self.device.is_read_only() {
                Span::styled(format!("  {}", lang.t("devices.read_only")), theme::MUTED)
            } else {
                Span::raw("")
            },
        ]));
        // Two columns of fields when there is room, one otherwise.
        let fields: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|f| !matches!(f, Field::AssetTag | Field::Name | Field::Notes))
            .collect();
        let half = area.width / 2;
        let two = area.width >= 72;
        let label_w = 12;
        let pair = |f: Field| -> Vec<Span<'static>> {
            let value = shown_value(&self.device, f, lang, ctx);
            let style = match (f, warranty(r.warranty_until, ctx.today)) {
                (Field::WarrantyUntil, Warranty::Expired) => theme::BAD,
                (Field::WarrantyUntil, Warranty::EndingIn(_)) => theme::WARN,
                _ => ratatui::style::Style::new(),
            };
            let value_w = if two {
                half - label_w - 2
            } else {
                area.width - label_w - 2
            };
            vec![
                Span::styled(
                    format!(" {}", fit(lang.t(f.label_key()), label_w)),
                    theme::HINT,
                ),
                Span::styled(format!(" {}", fit(&value, value_w)), style),
            ]
        };
        if two {
            let rows = fields.len().div_ceil(2);
            for i in 0..rows {
                let mut spans = pair(fields[i]);
                if let Some(f) = fields.get(i + rows) {
                    spans.extend(pair(*f));
                }
                lines.push(Line::from(spans));
            }
        } else {
            lines.extend(fields.iter().map(|f| Line::from(pair(*f))));
        }
        if !r.notes.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {}", fit(lang.t("field.notes"), label_w)),
                    theme::HINT,
                ),
                Span::raw(format!(" {}", r.notes.replace(['\n', '\t'], " "))),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!(" {} ({})", lang.t("devices.history"), self.history.len()),
            theme::HEADER,
        )));
        for event in &self.history {
            lines.extend(event_lines(event, lang));
        }
        scrolled::render(frame, area, lines, &mut self.scroll);
    }
}

/// A field as the detail view shows it: names for choices, the warranty with days left.
fn shown_value(device: &Device, field: Field, lang: Lang, ctx: &Ctx) -> String {
    let r = &device.record;
    match field {
        Field::Category => lang.t(r.category.label_key()).to_owned(),
        Field::Status => lang.t(r.status.label_key()).to_owned(),
        Field::UpsProtected => lang
            .t(if r.ups_protected {
                "answer.yes"
            } else {
                "answer.no"
            })
            .to_owned(),
        Field::WarrantyUntil => {
            let date = r.value(field);
            match warranty(r.warranty_until, ctx.today) {
                Warranty::Expired => format!("{date} ({})", lang.t("devices.warranty_expired")),
                Warranty::EndingIn(days) => format!(
                    "{date} ({})",
                    lang.tf("devices.warranty_ending", &[("days", &days)])
                ),
                _ => date,
            }
        }
        f => r.value(f),
    }
}

/// A history value as the operator reads it: choices by name.
fn change_value(field: &str, value: &str, lang: Lang) -> String {
    let named = match field {
        "category" => Category::parse(value).map(|c| lang.t(c.label_key())),
        "status" => Status::parse(value).map(|s| lang.t(s.label_key())),
        _ => None,
    };
    match named {
        Some(name) => name.to_owned(),
        None if value.is_empty() => "-".to_owned(),
        None => value.replace(['\n', '\t'], " "),
    }
}

fn event_lines(event: &Event, lang: Lang) -> Vec<Line<'static>> {
    let mut head = vec![
        Span::styled(format!(" {} ", event.effective_on), theme::KEY),
        Span::styled(lang.t(event.kind.label_key()).to_owned(), theme::TITLE),
        Span::styled(
            format!("  {} {}", lang.t("devices.by"), event.by),
            theme::HINT,
        ),
    ];
    if !event.approver.is_empty() {
        let how = crate::words::evidence_words(&event.approval, lang);
        let how = match how.is_empty() {
            true => how,
            false => format!(" ({how})"),
        };
        head.push(Span::styled(
            format!("  {} {}{how}", lang.t("devices.approver"), event.approver),
            theme::HINT,
        ));
    }
    let mut lines = vec![Line::from(head)];
    if !event.reason.is_empty() && EventKind::BY_HAND.contains(&event.kind) {
        // A line by hand says what happened, in the writer's own words.
        lines.push(Line::from(format!("    {}", event.reason)));
    } else if !event.reason.is_empty() {
        lines.push(Line::from(format!(
            "    {}: {}",
            lang.t("devices.reason"),
            crate::domain::history::reason_text(&event.reason, lang)
        )));
    }
    // A new device's entry lists its values; a long list helps nobody, the fields show them.
    if event.kind != EventKind::Created && event.kind != EventKind::Imported
        || event.changes.iter().any(|c| !c.old.is_empty())
    {
        for change in &event.changes {
            let label = crate::domain::record::Field::ALL
                .iter()
                .find(|f| f.key() == change.field)
                .map_or(change.field.clone(), |f| lang.t(f.label_key()).to_owned());
            lines.push(Line::from(vec![
                Span::styled(format!("    {label}: "), theme::HINT),
                Span::raw(change_value(&change.field, &change.old, lang)),
                Span::styled(" -> ", theme::HINT),
                Span::raw(change_value(&change.field, &change.new, lang)),
            ]));
        }
    }
    lines
}
