//! Slicing a screen area into lines: the header, list and prompt rows every view draws.

use ratatui::layout::Rect;

/// `height` lines of `area` starting `top` lines down, clipped to the area.
pub fn rows(area: Rect, top: u16, height: u16) -> Rect {
    let top = top.min(area.height);
    Rect {
        y: area.y + top,
        height: height.min(area.height - top),
        ..area
    }
}

/// The last `height` lines of `area`.
pub fn bottom(area: Rect, height: u16) -> Rect {
    let height = height.min(area.height);
    rows(area, area.height - height, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_stay_inside_the_area() {
        let area = Rect::new(0, 1, 80, 20);
        assert_eq!(rows(area, 2, 5), Rect::new(0, 3, 80, 5));
        assert_eq!(rows(area, 18, 5), Rect::new(0, 19, 80, 2));
        assert_eq!(bottom(area, 2), Rect::new(0, 19, 80, 2));
        assert_eq!(bottom(area, 30), area);
    }
}
