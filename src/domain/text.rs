//! Free text as jifang stores it: no control characters or terminal escapes, a sane length,
//! and codes (asset tags, tool codes) in half-width characters only.

use crate::i18n::Lang;

/// What is wrong with a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Control,
    TooLong { max: usize },
    FullWidth,
}

/// A text field's problem, with the catalog key of the field's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextError {
    pub field: &'static str,
    pub problem: Problem,
}

impl TextError {
    pub fn message(&self, lang: Lang) -> String {
        let reason = match self.problem {
            Problem::Control => lang.t("invalid.control").to_owned(),
            Problem::TooLong { max } => lang.tf("invalid.too_long", &[("max", &max)]),
            Problem::FullWidth => lang.t("invalid.full_width").to_owned(),
        };
        format!("{}: {reason}", lang.t(self.field))
    }
}

/// How a field may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text: a name, a place.
    Line,
    /// Several lines: notes and descriptions may hold line breaks and tabs.
    Lines,
    /// A code people type and scan: one line, half-width only (`Ａ１` is not `A1`).
    Code,
}

/// Characters that change how the text around them is shown without being seen themselves:
/// direction overrides and isolates (an asset tag can read backwards), zero-width characters
/// (two names that look alike are not), and the Unicode line and paragraph separators (one
/// line shows as two).
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Whether `c` is refused in stored text: control characters (terminal escapes, NUL, bell) and
/// [`is_invisible_format`]; `lines` fields (notes) keep their line breaks and tabs.
pub fn is_refused(c: char, lines: bool) -> bool {
    (c.is_control() && !(lines && matches!(c, '\n' | '\t'))) || is_invisible_format(c)
}

/// At most this many characters of a value are quoted in a message.
pub const QUOTED_MAX: usize = 60;

/// `text` as a message quotes it: whole when short, else its first [`QUOTED_MAX`] characters
/// and `…` (a 100 MB cell must not make a 100 MB message).
pub fn shortened(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTED_MAX) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// Full-width forms of ASCII (`Ａ`, `１`, `－`) and the ideographic space.
pub fn is_full_width_form(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}')
}

/// The first problem of `text`, if any.
pub fn problem(text: &str, kind: Kind, max: usize) -> Option<Problem> {
    if text.chars().any(|c| is_refused(c, kind == Kind::Lines)) {
        return Some(Problem::Control);
    }
    if text.chars().count() > max {
        return Some(Problem::TooLong { max });
    }
    if kind == Kind::Code && text.chars().any(is_full_width_form) {
        return Some(Problem::FullWidth);
    }
    None
}

/// The first problem among `fields`: (catalog key of the name, text, kind, most characters).
pub fn first_error(fields: &[(&'static str, &str, Kind, usize)]) -> Option<TextError> {
    fields.iter().find_map(|(field, text, kind, max)| {
        problem(text, *kind, *max).map(|problem| TextError { field, problem })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_escapes_and_nul_are_refused_everywhere() {
        for text in [
            "a\u{1b}[2Jb",
            "na\u{0}me",
            "bell\u{7}",
            "c1\u{9b}31m",
            "del\u{7f}",
        ] {
            for kind in [Kind::Line, Kind::Lines, Kind::Code] {
                assert_eq!(problem(text, kind, 100), Some(Problem::Control), "{text:?}");
            }
        }
        assert_eq!(
            problem("two\nlines", Kind::Line, 100),
            Some(Problem::Control)
        );
        assert_eq!(problem("two\nlines\tok", Kind::Lines, 100), None);
    }

    #[test]
    fn length_is_counted_in_characters_and_codes_are_half_width() {
        assert_eq!(problem(&"机".repeat(100), Kind::Line, 100), None);
        assert_eq!(
            problem(&"机".repeat(101), Kind::Line, 100),
            Some(Problem::TooLong { max: 100 })
        );
        assert_eq!(
            problem("JF－００１", Kind::Code, 32),
            Some(Problem::FullWidth)
        );
        assert_eq!(
            problem("JF\u{3000}001", Kind::Code, 32),
            Some(Problem::FullWidth)
        );
        assert_eq!(
            problem("JF－００１", Kind::Line, 32),
            None,
            "names may hold them"
        );
        assert_eq!(problem("JF-001", Kind::Code, 32), None);
        let e = first_error(&[
            ("text_field.name", "ok", Kind::Line, 10),
            ("text_field.code", "Ａ1", Kind::Code, 10),
        ])
        .unwrap();
        assert_eq!(e.field, "text_field.code");
        assert!(
            e.message(Lang::En).contains("half-width"),
            "{}",
            e.message(Lang::En)
        );
    }

    #[test]
    fn invisible_formatting_is_refused_in_every_kind_and_long_values_are_quoted_short() {
        for c in [
            '\u{202E}', '\u{2066}', '\u{200B}', '\u{200D}', '\u{FEFF}', '\u{2028}', '\u{2029}',
        ] {
            let text = format!("JF-PC{c}-0001");
            for kind in [Kind::Line, Kind::Lines, Kind::Code] {
                assert_eq!(problem(&text, kind, 100), Some(Problem::Control), "{c:?}");
            }
        }
        assert_eq!(problem("备注\n第二行", Kind::Lines, 100), None);
        assert_eq!(shortened("短"), "短");
        let long = "名".repeat(1_000_000);
        let quoted = shortened(&long);
        assert_eq!(quoted.chars().count(), QUOTED_MAX + 1);
        assert!(quoted.ends_with('…'));
    }
}
