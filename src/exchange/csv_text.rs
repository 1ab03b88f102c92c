//! CSV as Excel and WPS read and write it: decoding UTF-8 (with or without BOM) and
//! GBK/GB18030, writing UTF-8 with BOM, and the formula guard on text cells.

use std::borrow::Cow;

use crate::i18n::Lang;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// UTF-16 ("Unicode text" in Excel's save dialog): tab-separated, not CSV.
    Utf16,
    /// Neither UTF-8 nor GB18030.
    UnknownEncoding,
}

impl DecodeError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            DecodeError::Utf16 => lang.t("csv.utf16").to_owned(),
            DecodeError::UnknownEncoding => lang.t("csv.encoding").to_owned(),
        }
    }
}

/// The file's text. UTF-8 is tried first (a BOM is dropped); anything else is read as
/// GB18030, which covers GBK and GB2312: what Excel on Chinese Windows saves as "CSV".
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(DecodeError::Utf16);
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    // A UTF-8 file (the usual) is read where it lies, not copied: it may be 20 MB.
    if let Ok(text) = std::str::from_utf8(body) {
        return Ok(Cow::Borrowed(text));
    }
    if bytes.starts_with(UTF8_BOM) {
        return Err(DecodeError::UnknownEncoding);
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(DecodeError::UnknownEncoding);
    }
    Ok(text)
}

/// [`decode`] keeping the bytes: a UTF-8 file becomes its text without a copy (the byte-order
/// mark taken off), a GB18030 one is decoded.
pub fn decode_owned(bytes: Vec<u8>) -> Result<String, DecodeError> {
    if let Cow::Owned(text) = decode(&bytes)? {
        return Ok(text);
    }
    let mut text = String::from_utf8(bytes).map_err(|_| DecodeError::UnknownEncoding)?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Characters that make Excel or WPS read a cell as a formula (or split it).
fn triggers_formula(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '\n')
}

/// A text cell made safe to open: a leading `'` when it would otherwise be run as a formula.
/// Cells that already start with `'`s before such a character get one more, so
/// [`unescape_cell`] gives back exactly what was escaped.
pub fn escape_cell(text: &str) -> String {
    let rest = text.trim_start_matches('\'');
    match rest.chars().next() {
        Some(c) if triggers_formula(c) => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// Undo [`escape_cell`]: drop one leading `'` from a cell whose `'`s are followed by a
/// formula character. Any other cell is left exactly as it is.
pub fn unescape_cell(text: &str) -> &str {
    let rest = text.trim_start_matches('\'');
    match (text.starts_with('\''), rest.chars().next()) {
        (true, Some(c)) if triggers_formula(c) => &text[1..],
        _ => text,
    }
}

/// Build a CSV file in memory: UTF-8 with BOM (so Excel picks the encoding), CRLF line ends.
pub struct Writer {
    inner: csv::Writer<Vec<u8>>,
}

impl Default for Writer {
    fn default() -> Writer {
        Writer::new()
    }
}

impl Writer {
    pub fn new() -> Writer {
        let mut buffer = Vec::new();
        buffer.extend_from_slice(UTF8_BOM);
        let inner = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(buffer);
        Writer { inner }
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        // Writing to a Vec cannot fail.
        let _ = self.inner.write_record(cells);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.inner.into_inner().unwrap_or_default()
    }

    /// More rows of a file already begun by [`Writer::new`] (no BOM): long files are written
    /// out in chunks rather than held whole.
    pub fn continued() -> Writer {
        let inner = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        Writer { inner }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom_and_gbk_all_read() {
        let text = "资产编号,名称\nJF-1,核心交换机\n";
        assert_eq!(decode(text.as_bytes()).unwrap(), text);
        let with_bom = [UTF8_BOM, text.as_bytes()].concat();
        assert_eq!(decode(&with_bom).unwrap(), text);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert!(
            std::str::from_utf8(&gbk).is_err(),
            "the sample must not be UTF-8"
        );
        assert_eq!(decode(&gbk).unwrap(), text);
    }

    #[test]
    fn utf16_and_binary_files_are_refused_with_a_reason() {
        assert_eq!(decode(b"\xFF\xFEa\0b\0"), Err(DecodeError::Utf16));
        assert_eq!(
            decode(b"\x80\x80\xFF\xFF"),
            Err(DecodeError::UnknownEncoding)
        );
        assert_eq!(
            decode(&[UTF8_BOM, b"\xC3\x28"].concat()),
            Err(DecodeError::UnknownEncoding)
        );
    }

    #[test]
    fn formulas_are_escaped_and_unescaped() {
        for (plain, safe) in [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+86 10 1234", "'+86 10 1234"),
            ("-5", "'-5"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("'=x", "''=x"),
            ("机房A-机柜03", "机房A-机柜03"),
            ("'quoted'", "'quoted'"),
            ("", ""),
        ] {
            assert_eq!(escape_cell(plain), safe, "{plain:?}");
            assert_eq!(unescape_cell(safe), plain, "{safe:?}");
        }
    }

    #[test]
    fn written_files_start_with_a_bom_and_quote_what_needs_it() {
        let mut w = Writer::new();
        w.row(["a", "b,c"]);
        w.row(["多行\n文本", "\"引号\""]);
        let bytes = w.into_bytes();
        assert!(bytes.starts_with(UTF8_BOM));
        assert_eq!(
            std::str::from_utf8(&bytes[3..]).unwrap(),
            "a,\"b,c\"\r\n\"多行\n文本\",\"\"\"引号\"\"\"\r\n"
        );
    }
}
