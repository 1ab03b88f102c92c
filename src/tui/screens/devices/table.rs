//! The device table: a summary line (count, filters, sort), the search line, and the rows in
//! view, fetched by id for the visible slice only. Columns that do not fit are left out, least
//! important first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{DevicesScreen, Mode};
use crate::db::devices::Device;
use crate::domain::device::Status;
use crate::domain::record::{Field, Warranty, warranty};
use crate::i18n::Lang;
use crate::tui::layout::ListAreas;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::columns::{self, Column};
use crate::tui::widgets::paged;

/// A table column: what it shows, its width bounds, and how soon it is left out when narrow
/// (0 = never).
struct Spec {
    field: Field,
    min: u16,
    max: u16,
    drop: u8,
}

const fn spec(field: Field, min: u16, max: u16, drop: u8) -> Spec {
    Spec {
        field,
        min,
        max,
        drop,
    }
}

const COLUMNS: &[Spec] = &[
    spec(Field::AssetTag, 10, 16, 0),
    spec(Field::Name, 12, 40, 0),
    spec(Field::Category, 4, 12, 5),
    spec(Field::Location, 16, 30, 2),
    spec(Field::Department, 6, 20, 4),
    spec(Field::Owner, 4, 12, 1),
    spec(Field::IpAddress, 15, 15, 1),
    spec(Field::Status, 6, 14, 0),
    spec(Field::WarrantyUntil, 10, 14, 3),
];

fn columns(lang: Lang) -> Vec<Column> {
    COLUMNS
        .iter()
        .map(|c| {
            let column = Column::new(lang.t(c.field.label_key()), c.min, c.max).drop(c.drop);
            match c.field {
                Field::Status | Field::Category => column.whole(),
                _ => column,
            }
        })
        .collect()
}

/// The columns' widths for the rows in view, in a table `width` wide (one cell for the
/// warranty flag and a space before the first column).
fn fit_columns(columns: &[Column], rows: &[Vec<String>], width: u16) -> Vec<Option<u16>> {
    columns::widths(columns, rows, width.saturating_sub(2))
}

fn status_style(status: Status) -> Style {
    match status {
        Status::UnderRepair | Status::AtVendor | Status::Lent => theme::WARN,
        Status::PendingScrap | Status::Lost => theme::BAD,
        Status::Scrapped => theme::MUTED,
        _ => Style::new(),
    }
}

/// The text of a cell as the table shows it.
fn cell(device: &Device, field: Field, lang: Lang) -> String {
    let r = &device.record;
    match field {
        Field::Category => lang.t(r.category.label_key()).to_owned(),
        Field::Status if device.removed => lang.t("devices.removed").to_owned(),
        Field::Status => lang.t(r.status.label_key()).to_owned(),
        f => r.value(f),
    }
}

fn summary(screen: &DevicesScreen, count: usize, lang: Lang) -> Line<'static> {
    let q = &screen.query;
    let mut spans = vec![Span::styled(
        format!(
            " {} ",
            if screen.list.counting() {
                lang.t("devices.counting").to_owned()
            } else {
                lang.tf("devices.count", &[("count", &count)])
            }
        ),
        theme::TITLE,
    )];
    let mut filter = |label: &str, value: String| {
        spans.push(Span::styled(format!(" {label}:"), theme::HINT));
        spans.push(Span::styled(value, theme::NOTICE));
    };
    if let Some(s) = q.status {
        filter(lang.t("field.status"), lang.t(s.label_key()).to_owned());
    }
    if let Some(c) = q.category {
        filter(lang.t("field.category"), lang.t(c.label_key()).to_owned());
    }
    if let Some(room) = &q.location {
        filter(lang.t("filter.room"), room.clone());
    }
    if q.archived {
        filter(
            lang.t("filter.showing"),
            lang.t("filter.archived").to_owned(),
        );
    }
    let direction = if q.descending {
        "filter.descending"
    } else {
        "filter.ascending"
    };
    spans.push(Span::styled(
        format!(
            "  {} {} {}",
            lang.t("filter.sort"),
            lang.t(q.sort.field().label_key()),
            lang.t(direction)
        ),
        theme::HINT,
    ));
    Line::from(spans)
}

pub fn render(screen: &mut DevicesScreen, frame: &mut Frame, area: Rect, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let searching = matches!(screen.mode, Mode::Search) || !screen.query.search.is_empty();
    let areas = ListAreas::of(area, searching);
    let (header_area, rows_area) = (areas.header, areas.rows);
    screen.load(ctx, usize::from(rows_area.height));
    let count = screen.list.count();
    let focused = matches!(screen.mode, Mode::Search);
    areas.draw_top(frame, summary(screen, count, lang), &screen.search, focused);
    let specs = columns(lang);
    let draw_header = |frame: &mut Frame, widths: &[Option<u16>]| {
        let text = format!("  {}", columns::header(&specs, widths));
        frame.render_widget(Paragraph::new(text).style(theme::HEADER), header_area);
    };
    let list = &screen.list;
    let empty = paged::Empty {
        none_match: "devices.none_match",
        none: "devices.empty",
        filtered: screen.has_filters(),
    };
    let shown: &[Device] = if list.paging() { &[] } else { list.rows() };
    if shown.is_empty() {
        let widths = fit_columns(&specs, &[], area.width);
        draw_header(frame, &widths);
        list.render_instead(frame, rows_area, lang, empty);
        return;
    }
    let texts: Vec<Vec<String>> = shown
        .iter()
        .map(|d| COLUMNS.iter().map(|c| cell(d, c.field, lang)).collect())
        .collect();
    let widths = fit_columns(&specs, &texts, area.width);
    draw_header(frame, &widths);
    for (i, (device, texts)) in shown.iter().zip(texts).enumerate() {
        let y = rows_area.y + i as u16;
        let selected = list.offset() + i == list.cursor();
        let (flag, flag_style) = match warranty(device.record.warranty_until, ctx.today) {
            Warranty::Expired => ("x", theme::BAD),
            Warranty::EndingIn(_) => ("!", theme::WARN),
            _ => (" ", Style::new()),
        };
        let styled = COLUMNS.iter().zip(texts).map(|(c, text)| {
            let style = match c.field {
                Field::Status => status_style(device.record.status),
                Field::WarrantyUntil => flag_style,
                _ => Style::new(),
            };
            (text, style)
        });
        let mut spans = vec![Span::styled(flag, flag_style), Span::raw(" ")];
        spans.extend(columns::cells(&specs, &widths, styled));
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme::SELECTED);
        } else if device.removed || device.record.status.is_final() {
            line = line.style(theme::MUTED);
        }
        frame.render_widget(
            Paragraph::new(line),
            Rect {
                y,
                height: 1,
                ..rows_area
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fit;
    use unicode_width::UnicodeWidthStr;

    fn shown(widths: &[Option<u16>]) -> Vec<Field> {
        COLUMNS
            .iter()
            .zip(widths)
            .filter(|(_, w)| w.is_some())
            .map(|(c, _)| c.field)
            .collect()
    }

    fn sample() -> Vec<Vec<String>> {
        let row = |cells: [&str; 9]| cells.iter().map(|s| (*s).to_owned()).collect();
        vec![
            row([
                "JF-PC-0001",
                "联想 ThinkCentre M920",
                "服务器",
                "配线间3-机柜05",
                "信息中心",
                "张三",
                "10.1.20.133",
                "在用",
                "2027-05-01",
            ]),
            row([
                "JF-SW-0002",
                "Core switch",
                "Network",
                "机房A-机柜03",
                "Network team",
                "李四",
                "",
                "Under repair",
                "",
            ]),
        ]
    }

    #[test]
    fn columns_fit_and_the_essentials_always_show() {
        for lang in [Lang::En, Lang::Zh] {
            let specs = columns(lang);
            for width in [60u16, 80, 100, 160] {
                let w = fit_columns(&specs, &sample(), width);
                let used: u16 = w.iter().flatten().map(|w| w + 1).sum::<u16>() + 1;
                assert!(used <= width, "{width}: {used}");
                for must in [Field::AssetTag, Field::Name, Field::Status] {
                    assert!(shown(&w).contains(&must), "{width}: {w:?}");
                }
            }
            let at_80 = shown(&fit_columns(&specs, &sample(), 80));
            assert!(at_80.contains(&Field::IpAddress));
            assert!(at_80.contains(&Field::Location));
        }
    }

    #[test]
    fn headers_and_places_are_whole_where_there_is_room() {
        for lang in [Lang::En, Lang::Zh] {
            let specs = columns(lang);
            // At 120 columns every column shows with its whole header and cells.
            let w = fit_columns(&specs, &sample(), 120);
            assert_eq!(shown(&w).len(), COLUMNS.len(), "{lang:?}");
            let header = columns::header(&specs, &w);
            for c in &specs {
                assert!(header.contains(&c.header), "{lang:?}: {header}");
            }
            // At 80 a place keeps its cabinet.
            let w = fit_columns(&specs, &sample(), 80);
            assert!(w[3].unwrap() >= "配线间3-机柜05".width() as u16, "{w:?}");
        }
    }

    #[test]
    fn cells_are_cut_by_display_width() {
        assert_eq!(fit("核心交换机", 5), "核心 ");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("a\u{1b}b", 3).width(), 3);
    }
}
