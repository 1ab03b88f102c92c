//! Table columns sized from what they hold: each column is as wide as its header and the cells
//! in view need (CJK counted as two cells), within its bounds; columns that cannot fit are left
//! out, least important first, and room that is short is shared out evenly.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::text::{fit, fit_right};

/// One column of a list.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    /// The narrowest it may be made when room is short (it may be narrower when its header
    /// and cells are).
    pub min: u16,
    /// The widest it grows, however long its cells.
    pub max: u16,
    /// How soon it is left out when the table is narrow: 0 never, higher first.
    pub drop: u8,
    /// Numbers and times sit on the right of their column.
    pub right: bool,
    /// A word from a short list (a status): never cut while the column shows, since a cut
    /// word reads as a different one.
    pub whole: bool,
}

impl Column {
    pub fn new(header: impl Into<String>, min: u16, max: u16) -> Self {
        Self {
            header: header.into(),
            min,
            max,
            drop: 0,
            right: false,
            whole: false,
        }
    }

    /// Left out when room is short; higher numbers go first.
    pub fn drop(mut self, order: u8) -> Self {
        self.drop = order;
        self
    }

    pub fn right(mut self) -> Self {
        self.right = true;
        self
    }

    pub fn whole(mut self) -> Self {
        self.whole = true;
        self
    }
}

/// The texts of styled cells, to fit the columns to.
pub fn texts(cells: &[Vec<(String, Style)>]) -> Vec<Vec<String>> {
    cells
        .iter()
        .map(|row| row.iter().map(|(text, _)| text.clone()).collect())
        .collect()
}

/// Fit `columns` to the rows in view (after the two-cell mark every list starts its lines
/// with), draw their header in `area`, and give the widths the rows are drawn with.
pub fn draw_header<R: AsRef<[String]>>(
    frame: &mut Frame,
    area: Rect,
    columns: &[Column],
    rows: &[R],
) -> Vec<Option<u16>> {
    let widths = widths(columns, rows, area.width.saturating_sub(2));
    let text = format!("  {}", header(columns, &widths));
    frame.render_widget(Paragraph::new(text).style(crate::tui::theme::HEADER), area);
    widths
}

/// The width of each column (None: left out) for a table `width` cells wide, one space between
/// columns. `rows` are the cells in view, one text per column.
pub fn widths<R: AsRef<[String]>>(columns: &[Column], rows: &[R], width: u16) -> Vec<Option<u16>> {
    let header_width = |c: &Column| u16::try_from(c.header.width()).unwrap_or(u16::MAX);
    let want: Vec<u16> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let widest = rows
                .iter()
                .filter_map(|r| r.as_ref().get(i))
                .map(|t| u16::try_from(t.width()).unwrap_or(u16::MAX))
                .chain([header_width(c)])
                .max()
                .unwrap_or(0);
            widest.min(c.max)
        })
        .collect();
    // A column needs its least width, or less when its header and cells are narrower, and
    // never less than its header: a cut header reads as another word. Which columns show
    // follows what is in view, so a narrow console loses no column it has room for.
    let floor: Vec<u16> = columns
        .iter()
        .zip(&want)
        .map(|(c, w)| {
            let least = if c.whole { *w } else { c.min.min(*w) };
            least.max(header_width(c).min(c.max))
        })
        .collect();
    let mut shown: Vec<bool> = vec![true; columns.len()];
    let needed = |shown: &[bool]| -> u16 {
        floor
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(f, _)| f + 1)
            .sum::<u16>()
            .saturating_sub(1)
    };
    while needed(&shown) > width {
        let worst = columns
            .iter()
            .zip(&shown)
            .filter(|(c, s)| **s && c.drop > 0)
            .map(|(c, _)| c.drop)
            .max();
        let Some(worst) = worst else { break };
        if let Some(at) = (0..columns.len())
            .rev()
            .find(|&i| shown[i] && columns[i].drop == worst)
        {
            shown[at] = false;
        }
    }
    let mut out: Vec<Option<u16>> = (0..columns.len())
        .map(|i| shown[i].then_some(floor[i]))
        .collect();
    // Too narrow even for the columns that always show: the widest gives way, a cell at a time.
    let total = |out: &[Option<u16>]| out.iter().flatten().map(|w| w + 1).sum::<u16>();
    while total(&out).saturating_sub(1) > width {
        let Some(widest) = out
            .iter_mut()
            .flatten()
            .filter(|w| **w > 1)
            .max_by_key(|w| **w)
        else {
            break;
        };
        *widest -= 1;
    }
    let mut spare = width.saturating_sub(total(&out).saturating_sub(1));
    // Shared out a cell at a time to the narrowest column still short of what it holds, so
    // that when room is short the long columns end up alike rather than one cut a lot.
    while spare > 0 {
        let narrowest = out
            .iter_mut()
            .enumerate()
            .filter_map(|(i, w)| w.as_mut().filter(|w| **w < want[i]))
            .min_by_key(|w| **w);
        let Some(w) = narrowest else { break };
        *w += 1;
        spare -= 1;
    }
    out
}

/// The header line's text for `widths`.
pub fn header(columns: &[Column], widths: &[Option<u16>]) -> String {
    columns
        .iter()
        .zip(widths)
        .filter_map(|(c, w)| w.map(|w| place(&c.header, w, c.right)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One row's spans: each shown cell fitted to its column, with its style, one space between.
pub fn cells(
    columns: &[Column],
    widths: &[Option<u16>],
    row: impl IntoIterator<Item = (String, Style)>,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for ((c, w), (text, style)) in columns.iter().zip(widths).zip(row) {
        let Some(w) = w else { continue };
        if !spans.is_empty() {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(place(&text, *w, c.right), style));
    }
    spans
}

fn place(text: &str, width: u16, right: bool) -> String {
    if right {
        fit_right(text, width)
    } else {
        fit(text, width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_column_is_as_wide_as_its_header_and_cells_need() {
        let cols = [
            Column::new("Tag", 4, 14),
            Column::new("Name", 6, 40),
            Column::new("Warranty until", 10, 14),
        ];
        let rows = [row(&["JF-1", "Core switch", "2027-01-01"])];
        // Room for all: every header whole and nothing wider than it needs.
        assert_eq!(widths(&cols, &rows, 120), vec![Some(4), Some(11), Some(14)]);
        // A long name grows to its bound, not to the width of the screen.
        let long = [row(&["JF-1", &"x".repeat(80), ""])];
        assert_eq!(widths(&cols, &long, 200)[1], Some(40));
    }

    #[test]
    fn chinese_counts_two_cells() {
        let cols = [Column::new("位置", 4, 30)];
        let rows = [row(&["配线间3-机柜05"])];
        assert_eq!(widths(&cols, &rows, 80), vec![Some(14)]);
    }

    #[test]
    fn short_room_is_shared_and_the_least_needed_columns_go_first() {
        let cols = [
            Column::new("Tag", 10, 14),
            Column::new("Name", 10, 40),
            Column::new("Owner", 6, 8).drop(1),
            Column::new("Place", 10, 30).drop(2),
        ];
        let rows = [row(&[
            "JF-PC-0001",
            &"n".repeat(30),
            "张三",
            &"p".repeat(30),
        ])];
        // 10+10+5 (the owner's header and cells need no more) +10 and three spaces need 38:
        // at 37 the place goes, not the owner.
        let w = widths(&cols, &rows, 37);
        assert_eq!(w[3], None);
        assert!(w[2].is_some());
        let used: u16 = w.iter().flatten().map(|w| w + 1).sum::<u16>() - 1;
        assert!(used <= 37, "{used}");
        // With all four shown and room short, name and place are cut alike.
        let w = widths(&cols, &rows, 60);
        assert!(w[1].unwrap().abs_diff(w[3].unwrap()) <= 1, "{w:?}");
        let used: u16 = w.iter().flatten().map(|w| w + 1).sum::<u16>() - 1;
        assert_eq!(used, 60);
    }

    #[test]
    fn long_columns_end_up_alike_whatever_their_least_width() {
        let cols = [
            Column::new("Device", 10, 26),
            Column::new("Symptoms", 20, 80),
        ];
        let rows = [row(&[&"d".repeat(26), &"s".repeat(60)])];
        assert_eq!(widths(&cols, &rows, 49), vec![Some(24), Some(24)]);
    }

    #[test]
    fn columns_that_always_show_give_way_on_a_tiny_screen() {
        let cols = [Column::new("Tag", 12, 14), Column::new("Name", 20, 40)];
        let rows = [row(&["JF-PC-0001", &"n".repeat(40)])];
        let w = widths(&cols, &rows, 20);
        assert_eq!(w.iter().flatten().sum::<u16>() + 1, 20, "{w:?}");
    }

    #[test]
    fn a_status_is_whole_before_other_columns_grow() {
        let cols = [
            Column::new("Name", 6, 40),
            Column::new("State", 6, 22).whole(),
        ];
        let rows = [row(&[&"n".repeat(40), "Awaiting confirmation"])];
        assert_eq!(widths(&cols, &rows, 40), vec![Some(18), Some(21)]);
    }

    #[test]
    fn headers_and_cells_line_up_right_aligned_too() {
        let cols = [
            Column::new("名称", 4, 10),
            Column::new("数值", 4, 10).right(),
        ];
        let w = widths(&cols, &[row(&["温度", "23.5"])], 40);
        assert_eq!(header(&cols, &w), "名称 数值");
        let line: String = cells(
            &cols,
            &w,
            [("温度".into(), Style::new()), ("3".into(), Style::new())],
        )
        .iter()
        .map(|s| s.content.to_string())
        .collect();
        assert_eq!(line, "温度    3");
    }
}
