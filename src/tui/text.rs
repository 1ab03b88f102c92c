//! Fitting text into terminal columns: CJK characters are two columns wide.

use unicode_width::UnicodeWidthChar;

/// `text` cut or padded to exactly `width` columns (control characters show as spaces).
pub fn fit(text: &str, width: u16) -> String {
    let width = usize::from(width);
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let c = if c.is_control() { ' ' } else { c };
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width - used));
    out
}
