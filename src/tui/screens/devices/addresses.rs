//! The address allocation table (计算机地址分配表): subnets in use, and for the one under the
//! cursor its free addresses and which device holds each used one.

use std::net::IpAddr;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::db::devices;
use crate::domain::subnet::{self, Subnet};
use crate::i18n::Lang;
use crate::tui::screens::Ctx;
use crate::tui::theme;

pub struct Addresses {
    subnets: Vec<Subnet>,
    /// Every address in use with its holder, sorted.
    holders: Vec<(IpAddr, String)>,
    ipv6: usize,
    cursor: usize,
}

impl Addresses {
    pub fn load(ctx: &Ctx) -> Addresses {
        let holders = ctx.read(devices::addresses_in_use(ctx.db.conn()));
        let v4 = holders.iter().filter_map(|(ip, _)| match ip {
            IpAddr::V4(v4) => Some(*v4),
            IpAddr::V6(_) => None,
        });
        let subnets = subnet::group(v4, ctx.gateway);
        let ipv6 = holders.iter().filter(|(ip, _)| ip.is_ipv6()).count();
        Addresses {
            subnets,
            holders,
            ipv6,
            cursor: 0,
        }
    }

    /// The next free address of the subnet under the cursor.
    pub fn next_free(&self) -> Option<std::net::Ipv4Addr> {
        self.subnets.get(self.cursor)?.next_free()
    }

    pub fn move_by(&mut self, by: isize) {
        let last = self.subnets.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + by).clamp(0, last.max(0)) as usize;
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        let title = Line::from(vec![
            Span::styled(
                format!(" {} ", lang.t("addresses.title")),
                theme::OVERLAY_TITLE,
            ),
            Span::styled(
                format!(
                    "  {}",
                    lang.tf(
                        "addresses.summary",
                        &[
                            ("subnets", &self.subnets.len()),
                            ("used", &self.holders.len()),
                            ("ipv6", &self.ipv6)
                        ]
                    )
                ),
                theme::HINT,
            ),
        ]);
        frame.render_widget(Paragraph::new(title), Rect { height: 1, ..area });
        if self.subnets.is_empty() {
            let empty =
                Paragraph::new(format!("  {}", lang.t("addresses.none"))).style(theme::HINT);
            frame.render_widget(
                empty,
                Rect {
                    y: area.y + 2,
                    height: 1,
                    ..area
                },
            );
            return;
        }
        let list_height = (self.subnets.len() as u16)
            .min(area.height.saturating_sub(2) / 3)
            .max(1);
        let list = Rect {
            y: area.y + 1,
            height: list_height,
            ..area
        };
        let rows = usize::from(list_height);
        let top = self.cursor.saturating_sub(rows.saturating_sub(1));
        for (i, s) in self.subnets.iter().enumerate().skip(top).take(rows) {
            let next = s.next_free().map_or("-".to_owned(), |ip| ip.to_string());
            let text = format!(
                " {:<18} {}",
                s.label(),
                lang.tf(
                    "addresses.row",
                    &[
                        ("used", &(254 - s.free_count())),
                        ("free", &s.free_count()),
                        ("next", &next)
                    ]
                )
            );
            let style = if i == self.cursor {
                theme::SELECTED
            } else {
                ratatui::style::Style::new()
            };
            let row = Rect {
                y: list.y + (i - top) as u16,
                height: 1,
                ..list
            };
            frame.render_widget(Paragraph::new(text).style(style), row);
        }
        let Some(chosen) = self.subnets.get(self.cursor) else {
            return;
        };
        let mut lines = vec![Line::default()];
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", lang.t("addresses.free")), theme::HEADER),
            Span::raw(chosen.free_text()),
        ]));
        lines.push(Line::from(Span::styled(
            format!(" {}", lang.t("addresses.used")),
            theme::HEADER,
        )));
        let [a, b, c] = chosen.prefix;
        for (ip, holder) in &self.holders {
            if let IpAddr::V4(v4) = ip
                && v4.octets()[..3] == [a, b, c]
            {
                lines.push(Line::from(format!("   {:<16}{holder}", v4.to_string())));
            }
        }
        let detail = Rect {
            y: list.y + list_height,
            height: area.height.saturating_sub(list_height + 1),
            ..area
        };
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), detail);
    }
}
