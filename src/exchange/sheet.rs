//! An import file read as a sheet: decoded (UTF-8 or GBK), its header matched to known
//! columns (English keys or Chinese labels), its rows kept with their line numbers; and the
//! problems that concern the file as a whole.

use std::fmt::Display;

use super::csv_text::{self, DecodeError, unescape_cell};
use super::table::Column;
use crate::i18n::Lang;

/// The catalog keys an import names its own file problems with.
pub struct Texts {
    /// The file has no header line.
    pub empty: &'static str,
    /// A required column is missing: `{key}` and `{zh}`.
    pub missing_column: &'static str,
}

/// A problem an import found, with the line and column it was found at (0 and "" for the file
/// as a whole); `I` says what it is, in the import's own terms.
#[derive(Debug)]
pub struct Problem<I> {
    pub line: u64,
    pub column: &'static str,
    pub value: String,
    pub issue: I,
}

impl<I> Problem<I> {
    /// A problem of the file as a whole.
    pub fn whole_file(issue: I) -> Problem<I> {
        Problem {
            line: 0,
            column: "",
            value: String::new(),
            issue,
        }
    }

    /// `reason` said where it was found: line, column (its header in `lang`) and value.
    pub fn located(&self, columns: &[Column], reason: &str, lang: Lang) -> String {
        let column = header_of(columns, self.column, lang);
        cell_problem(self.line, column, &self.value, reason, lang)
    }
}

/// What is wrong with an import file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileIssue {
    Decode(DecodeError),
    Empty,
    UnknownColumn(String),
    RepeatedColumn(String),
    MissingColumn(&'static str),
    Malformed {
        line: u64,
        reason: String,
    },
    ColumnCount {
        line: u64,
        found: usize,
        expected: usize,
    },
}

impl FileIssue {
    pub fn message(&self, columns: &[Column], texts: &Texts, lang: Lang) -> String {
        match self {
            FileIssue::Decode(e) => e.message(lang),
            FileIssue::Empty => lang.t(texts.empty).to_owned(),
            FileIssue::UnknownColumn(column) => {
                let known: Vec<&str> = columns.iter().map(|c| header(c, lang)).collect();
                lang.tf(
                    "import.unknown_column",
                    &[("column", column), ("known", &known.join(", "))],
                )
            }
            FileIssue::RepeatedColumn(column) => {
                lang.tf("import.repeated_column", &[("column", column)])
            }
            FileIssue::MissingColumn(key) => {
                let zh = columns
                    .iter()
                    .find(|(en, _)| en == key)
                    .map_or(*key, |(_, zh)| zh);
                let args: [(&str, &dyn Display); 2] = [("key", key), ("zh", &zh)];
                lang.tf(texts.missing_column, &args)
            }
            FileIssue::ColumnCount {
                line,
                found,
                expected,
            } => column_count_message(*line, *found, *expected, lang),
            FileIssue::Malformed { line, reason } => {
                lang.tf("import.malformed", &[("line", line), ("reason", reason)])
            }
        }
    }
}

/// A row with more or fewer cells than the header: a shifted column would put values in the
/// wrong fields, so the file is refused.
pub fn column_count_message(line: u64, found: usize, expected: usize, lang: Lang) -> String {
    lang.tf(
        "import.column_count",
        &[("line", &line), ("found", &found), ("expected", &expected)],
    )
}

/// "line 4, metric "Visits": reason": a problem with one cell of an import file.
pub fn cell_problem(line: u64, column: &str, value: &str, reason: &str, lang: Lang) -> String {
    let value = crate::domain::text::shortened(value);
    let args: [(&str, &dyn Display); 4] = [
        ("line", &line),
        ("column", &column),
        ("value", &value),
        ("reason", &reason),
    ];
    lang.tf("import.problem", &args)
}

/// A column's header in the language.
pub fn header(column: &Column, lang: Lang) -> &'static str {
    if lang == Lang::En { column.0 } else { column.1 }
}

/// The header of the column with English key `key` in the language (the key if unknown).
pub fn header_of<'a>(columns: &'a [Column], key: &'a str, lang: Lang) -> &'a str {
    columns
        .iter()
        .find(|(en, _)| *en == key)
        .map_or(key, |c| header(c, lang))
}

/// The line each record of a text starts on, counted in the text itself: after a CRLF line end
/// (Excel's) the csv reader's own count is one short, as it ends a record at the `\r` and
/// counts the `\n` with the next one. Records are asked for in order, so the text is read once.
pub struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the record read at byte `byte` (its line ends before it passed over).
    pub fn of(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.at {
            self.line += self.text[self.at..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.at = start;
        }
        self.line
    }
}

/// A file's rows, with the column each cell belongs to.
pub struct Sheet {
    /// The key of each column of the file; `None` for a known column the import skips.
    columns: Vec<Option<&'static str>>,
    /// The data rows that are not blank, with their line numbers.
    pub rows: Vec<(u64, csv::StringRecord)>,
}

impl Sheet {
    /// Read `bytes`: every header cell must be one of `known` (English key or Chinese label,
    /// once); those in `read` are kept; every one of `required` must be there.
    pub fn read(
        bytes: &[u8],
        known: &[Column],
        read: &[&'static str],
        required: &[&'static str],
    ) -> Result<Sheet, FileIssue> {
        let text = csv_text::decode(bytes).map_err(FileIssue::Decode)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let malformed = |e: csv::Error| FileIssue::Malformed {
            line: e.position().map_or(0, |p| p.line()),
            reason: e.to_string(),
        };
        let mut records = reader.records();
        let head = records.next().ok_or(FileIssue::Empty)?.map_err(malformed)?;
        let mut columns: Vec<Option<&'static str>> = Vec::new();
        let mut seen: Vec<&'static str> = Vec::new();
        for cell in head.iter() {
            let name = cell.trim_start_matches('\u{feff}').trim();
            let key = known
                .iter()
                .find(|(en, zh)| en.eq_ignore_ascii_case(name) || *zh == name)
                .map(|(en, _)| *en)
                .ok_or_else(|| FileIssue::UnknownColumn(name.to_owned()))?;
            if seen.contains(&key) {
                return Err(FileIssue::RepeatedColumn(name.to_owned()));
            }
            seen.push(key);
            columns.push(read.iter().find(|k| **k == key).copied());
        }
        if let Some(missing) = required.iter().find(|k| !seen.contains(k)) {
            return Err(FileIssue::MissingColumn(missing));
        }
        let mut rows = Vec::new();
        let mut lines = Lines::new(&text);
        for row in records {
            let row = row.map_err(malformed)?;
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let line = lines.of(row.position().map_or(0, |p| p.byte()));
            if row.len() != head.len() {
                return Err(FileIssue::ColumnCount {
                    line,
                    found: row.len(),
                    expected: head.len(),
                });
            }
            rows.push((line, row));
        }
        Ok(Sheet { columns, rows })
    }

    /// Check every row with `check`, which notes each problem on the row (or stops the import at
    /// once with `Err`): nothing when no row has a problem, every problem in file order if any.
    pub fn check<I>(
        &self,
        mut check: impl FnMut(&mut Row<'_, I>) -> Result<(), Vec<Problem<I>>>,
    ) -> Result<(), Vec<Problem<I>>> {
        let mut problems = Vec::new();
        for (line, cells) in &self.rows {
            let mut row = Row {
                sheet: self,
                cells,
                line: *line,
                problems: &mut problems,
            };
            check(&mut row)?;
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The cell of column `key` in `row`, trimmed and with the formula guard undone; empty
    /// when the file has no such column.
    pub fn cell(&self, row: &csv::StringRecord, key: &str) -> String {
        self.columns
            .iter()
            .position(|c| *c == Some(key))
            .and_then(|i| row.get(i))
            .map_or(String::new(), |v| unescape_cell(v).trim().to_owned())
    }
}

/// One data row of a sheet being checked: its line, its cells, and what is found wrong in it.
pub struct Row<'a, I> {
    sheet: &'a Sheet,
    cells: &'a csv::StringRecord,
    pub line: u64,
    problems: &'a mut Vec<Problem<I>>,
}

impl<I> Row<'_, I> {
    /// The cell of column `key` (see [`Sheet::cell`]).
    pub fn cell(&self, key: &str) -> String {
        self.sheet.cell(self.cells, key)
    }

    /// Note what is wrong with the cell in `column`.
    pub fn fail(&mut self, column: &'static str, issue: I) {
        let problem = self.problem(column, issue);
        self.problems.push(problem);
    }

    /// What is wrong at the cell in `column`, as the one problem that stops the import (the
    /// database could not be read).
    pub fn fatal(&self, column: &'static str, issue: I) -> Vec<Problem<I>> {
        vec![self.problem(column, issue)]
    }

    fn problem(&self, column: &'static str, issue: I) -> Problem<I> {
        Problem {
            line: self.line,
            column,
            value: self.cell(column),
            issue,
        }
    }
}
