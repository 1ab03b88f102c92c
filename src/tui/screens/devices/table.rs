//! The device table: a summary line (count, filters, sort), the search line, and the rows in
//! view, fetched by id for the visible slice only. Columns that do not fit are left out, least
//! important first.

use crate::tui::text::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{DevicesScreen, Mode};
use crate::db::devices::{self, Device};
use crate::domain::device::Status;
use crate::domain::record::{Field, Warranty, warranty};
use crate::i18n::Lang;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::prompt;

/// A table column: what it shows, its width range, and how soon it is dropped when narrow
/// (0 = never).
struct Column {
    field: Field,
    min: u16,
    max: u16,
    drop_order: u8,
}

const COLUMNS: &[Column] = &[
    Column {
        field: Field::AssetTag,
        min: 11,
        max: 14,
        drop_order: 0,
    },
    Column {
        field: Field::Name,
        min: 12,
        max: 24,
        drop_order: 0,
    },
    Column {
        field: Field::Category,
        min: 6,
        max: 8,
        drop_order: 5,
    },
    Column {
        field: Field::Location,
        min: 12,
        max: 22,
        drop_order: 2,
    },
    Column {
        field: Field::Department,
        min: 8,
        max: 12,
        drop_order: 4,
    },
    Column {
        field: Field::Owner,
        min: 6,
        max: 8,
        drop_order: 1,
    },
    Column {
        field: Field::IpAddress,
        min: 15,
        max: 15,
        drop_order: 1,
    },
    Column {
        field: Field::Status,
        min: 6,
        max: 12,
        drop_order: 0,
    },
    Column {
        field: Field::WarrantyUntil,
        min: 10,
        max: 10,
        drop_order: 3,
    },
];

const GROW_ORDER: [Field; 7] = [
    Field::Status,
    Field::Name,
    Field::Location,
    Field::Owner,
    Field::Department,
    Field::AssetTag,
    Field::Category,
];

/// Which columns fit in `width`, and how wide each is.
fn fit_columns(width: u16) -> Vec<(&'static Column, u16)> {
    // One cell for the warranty flag, one space between columns.
    let usable = width.saturating_sub(2);
    let mut shown: Vec<&Column> = COLUMNS.iter().collect();
    let total = |cols: &[&Column]| cols.iter().map(|c| c.min + 1).sum::<u16>();
    while total(&shown) > usable {
        let Some(worst) = shown.iter().map(|c| c.drop_order).max().filter(|o| *o > 0) else {
            break;
        };
        if let Some(at) = shown.iter().rposition(|c| c.drop_order == worst) {
            shown.remove(at);
        }
    }
    let mut widths: Vec<u16> = shown.iter().map(|c| c.min).collect();
    let mut spare = usable.saturating_sub(total(&shown));
    // Room left over goes first to what is cut most often: status names, then names and places.
    for field in GROW_ORDER {
        if let Some(i) = shown.iter().position(|c| c.field == field) {
            let grow = (shown[i].max - widths[i]).min(spare);
            widths[i] += grow;
            spare -= grow;
        }
    }
    shown.into_iter().zip(widths).collect()
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
            if screen.complete {
                lang.tf("devices.count", &[("count", &count)])
            } else {
                lang.t("devices.counting").to_owned()
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
    let count = screen.ids(ctx).len();
    frame.render_widget(
        Paragraph::new(summary(screen, count, lang)),
        Rect { height: 1, ..area },
    );
    let searching = matches!(screen.mode, Mode::Search) || !screen.query.search.is_empty();
    let mut top = area.y + 1;
    if searching {
        let row = Rect { y: top, ..area };
        prompt::search(
            frame,
            row,
            &screen.search,
            matches!(screen.mode, Mode::Search),
        );
        top += 1;
    }
    let columns = fit_columns(area.width);
    let header: String = columns
        .iter()
        .map(|(c, w)| fit(lang.t(c.field.label_key()), *w))
        .collect::<Vec<_>>()
        .join(" ");
    let header_area = Rect {
        y: top,
        height: 1,
        ..area
    };
    frame.render_widget(
        Paragraph::new(format!("  {header}")).style(theme::HEADER),
        header_area,
    );
    let rows_area = Rect {
        y: top + 1,
        height: (area.y + area.height).saturating_sub(top + 1),
        ..area
    };
    let rows = usize::from(rows_area.height);
    screen.visible_rows = rows;
    if count == 0 {
        let key = if screen.has_filters() {
            "devices.none_match"
        } else {
            "devices.empty"
        };
        frame.render_widget(
            Paragraph::new(format!("  {}", lang.t(key))).style(theme::HINT),
            Rect {
                height: 1,
                ..rows_area
            },
        );
        return;
    }
    // Keep the cursor in view, moving the window as little as possible.
    if screen.cursor < screen.offset {
        screen.offset = screen.cursor;
    } else if rows > 0 && screen.cursor >= screen.offset + rows {
        screen.offset = screen.cursor + 1 - rows;
    }
    screen.offset = screen.offset.min(count.saturating_sub(rows.max(1)));
    let end = (screen.offset + rows).min(count);
    // The rows in view are read every frame (a few rows by id): a change made in another tab
    // or by another operator, such as a repair putting a device under repair, shows at once.
    {
        let slice = screen
            .ids
            .as_deref()
            .map_or(&[][..], |ids| &ids[screen.offset..end]);
        screen.page = devices::by_ids(ctx.db.conn(), slice).unwrap_or_default();
        screen.page_at = Some((screen.offset, end));
    }
    for (i, device) in screen.page.iter().enumerate() {
        let y = rows_area.y + i as u16;
        let selected = screen.offset + i == screen.cursor;
        let (flag, flag_style) = match warranty(device.record.warranty_until, ctx.today) {
            Warranty::Expired => ("x", theme::BAD),
            Warranty::EndingIn(_) => ("!", theme::WARN),
            _ => (" ", Style::new()),
        };
        let mut spans = vec![Span::styled(flag, flag_style), Span::raw(" ")];
        for (column, width) in &columns {
            let text = fit(&cell(device, column.field, lang), *width);
            let style = match column.field {
                Field::Status => status_style(device.record.status),
                Field::WarrantyUntil => flag_style,
                _ => Style::new(),
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
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
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn columns_fit_and_the_essentials_always_show() {
        for width in [60u16, 80, 100, 160] {
            let cols = fit_columns(width);
            let used: u16 = cols.iter().map(|(_, w)| w + 1).sum::<u16>() + 2;
            assert!(used <= width, "{width}: {used}");
            let fields: Vec<Field> = cols.iter().map(|(c, _)| c.field).collect();
            for must in [Field::AssetTag, Field::Name, Field::Status] {
                assert!(fields.contains(&must), "{width}: {fields:?}");
            }
        }
        assert_eq!(fit_columns(160).len(), COLUMNS.len());
        assert!(
            fit_columns(80)
                .iter()
                .any(|(c, _)| c.field == Field::IpAddress)
        );
    }

    #[test]
    fn cells_are_cut_by_display_width() {
        assert_eq!(fit("核心交换机", 5), "核心 ");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("a\u{1b}b", 3).width(), 3);
    }
}
