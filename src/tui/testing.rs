//! Helpers for screen tests: the text a terminal would show.

use ratatui::buffer::Buffer;

/// The buffer as lines of text, double-width characters once (not followed by a blank).
pub fn text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            // The cell after a double-width character is its right half, not a space.
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}
