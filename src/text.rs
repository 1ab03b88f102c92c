//! Fitting text into terminal columns (CJK characters are two columns wide) and keeping what
//! the data carries from steering a terminal: for the screens and the command line alike.

use unicode_width::UnicodeWidthChar;

/// `text` cut or padded to exactly `width` columns (control characters show as spaces).
pub fn fit(text: &str, width: u16) -> String {
    let width = usize::from(width);
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let c = if is_unsafe(c) { ' ' } else { c };
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

/// `text` cut to `width` columns and padded on the left: right-aligned in terminal columns,
/// so a CJK heading sits over the numbers under it.
pub fn fit_right(text: &str, width: u16) -> String {
    let cut = fit(text, width);
    let body = cut.trim_end_matches(' ');
    let used = unicode_width::UnicodeWidthStr::width(body);
    format!(
        "{}{body}",
        " ".repeat(usize::from(width).saturating_sub(used))
    )
}

/// A table line: each cell fitted to its width, one space between, trailing spaces cut.
pub fn fitted<S: AsRef<str>>(cells: impl IntoIterator<Item = (S, u16)>) -> String {
    let parts: Vec<String> = cells
        .into_iter()
        .map(|(cell, width)| fit(cell.as_ref(), width))
        .collect();
    parts.join(" ").trim_end().to_owned()
}

/// What a line from the data must never carry to a terminal: control characters (escape, bell,
/// NUL, C1 ...) and invisible formatting (direction overrides, zero-width characters).
fn is_unsafe(c: char) -> bool {
    c.is_control() || crate::domain::text::is_invisible_format(c)
}

/// `text` with every [`is_unsafe`] character shown as its escape (`\u{1b}`): what a line
/// printed to a terminal carries from the data can never steer it.
pub fn printable(text: &str) -> String {
    escaped(text, |_| false)
}

/// [`printable`] for whole listings: line breaks and tabs stay.
pub fn printable_lines(text: &str) -> String {
    escaped(text, |c| matches!(c, '\n' | '\r' | '\t'))
}

fn escaped(text: &str, keep: impl Fn(char) -> bool) -> String {
    let hidden = |c: char| is_unsafe(c) && !keep(c);
    if !text.chars().any(hidden) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match hidden(c) {
            true => c.escape_unicode().to_string(),
            false => c.to_string(),
        })
        .collect()
}

/// "1.4 MB": a size as people read it.
pub fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[2J名\u{0}\u{9b}31m";
        for shown in [printable(hostile), fit(hostile, 40)] {
            assert!(!shown.chars().any(char::is_control), "{shown:?}");
            assert!(shown.contains('名'));
        }
        assert_eq!(printable("机房 A101"), "机房 A101");
        assert_eq!(printable("a\u{1b}b"), "a\\u{1b}b");
    }
}
