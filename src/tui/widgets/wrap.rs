//! Breaking a message into lines that fit a width in display columns, for text that must be
//! read whole (an import's outcome, the "window too small" notice).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Break `text` into lines of at most `width` display columns: between words where there are
/// spaces, after any wide (Chinese) character, which needs none, and inside a word only when it
/// is longer than a line. A double-width character never straddles the edge (ratatui's word
/// wrap can place one there); one wider than the whole line is left out.
pub fn wrap(text: &str, width: u16) -> Vec<String> {
    let width = usize::from(width);
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if w > width {
            continue;
        }
        let line = lines.last_mut().expect("never empty");
        if used + w > width {
            let rest = match last_break(line) {
                Some(at) => line.split_off(at),
                None => String::new(),
            };
            line.truncate(line.trim_end().len());
            let rest = rest.trim_start().to_owned();
            used = rest.width();
            lines.push(rest);
        }
        let line = lines.last_mut().expect("never empty");
        if line.is_empty() && c == ' ' {
            continue;
        }
        line.push(c);
        used += w;
    }
    lines
}

/// Where `line` may break last: after its last space or wide character.
fn last_break(line: &str) -> Option<usize> {
    line.char_indices()
        .rev()
        .find(|&(_, c)| c == ' ' || c.width().unwrap_or(0) > 1)
        .map(|(at, c)| at + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_breaks_between_words_and_every_line_fits() {
        let text = "The import was stopped: 5765 devices added and 0 changed are written; the other 14236 are not.";
        let lines = wrap(text, 30);
        assert_eq!(
            lines,
            [
                "The import was stopped: 5765",
                "devices added and 0 changed",
                "are written; the other 14236",
                "are not."
            ]
        );
    }

    #[test]
    fn chinese_breaks_anywhere_and_no_wide_character_straddles_the_edge() {
        let text = "导入已停止：已新增 5765 台、修改 0 台并已保存；其余 14236 台未写入。";
        for width in [1, 2, 3, 7, 20, 79] {
            let lines = wrap(text, width);
            for line in &lines {
                assert!(line.width() <= usize::from(width), "{width}: {lines:?}");
            }
            if width > 1 {
                let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
                let whole: String = text.chars().filter(|c| *c != ' ').collect();
                assert_eq!(joined, whole, "nothing lost at {width}");
            }
        }
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        assert_eq!(
            wrap("see /tmp/imp/full20k.csv now", 10),
            ["see", "/tmp/imp/f", "ull20k.csv", "now"]
        );
    }
}
