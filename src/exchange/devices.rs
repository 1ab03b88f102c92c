//! Device register CSV: export, and import as a plan that is checked in full (every problem
//! listed with its line and column) before anything is written.

use std::collections::HashMap;
use std::net::IpAddr;

use rusqlite::Connection;

pub(crate) use super::csv_text::unescape_cell;
use super::csv_text::{self, escape_cell};
use super::sheet::{self, FileIssue, cell_problem};
use crate::db::devices::{self, Device, ListQuery};
use crate::domain::device::{ChangeDetails, TransitionError, check_initial, check_transition};
use crate::domain::record::{Field, FieldError, Problem, Record};
use crate::i18n::Lang;

/// The header cell of a field in a language: English keys, or the Chinese labels.
fn header(field: Field, lang: Lang) -> &'static str {
    match lang {
        Lang::En => field.key(),
        Lang::Zh => field.header_zh(),
    }
}

/// A field's value as the CSV holds it: choices in the file's language, text cells guarded
/// against formulas.
fn cell(record: &Record, field: Field, lang: Lang) -> String {
    match (field, lang) {
        (Field::Category, Lang::Zh) => record.category.label_zh().to_owned(),
        (Field::Status, Lang::Zh) => record.status.label_zh().to_owned(),
        (Field::UpsProtected, Lang::Zh) => if record.ups_protected { "是" } else { "否" }.into(),
        (f, _) if f.is_text() => escape_cell(&record.value(f)),
        (f, _) => record.value(f),
    }
}

/// The register as CSV bytes (UTF-8 with BOM). Scrapped devices only with `all`; removed
/// devices never (they are no longer part of the register).
pub fn export(conn: &Connection, all: bool, lang: Lang) -> rusqlite::Result<(Vec<u8>, usize)> {
    let query = ListQuery {
        archived: all,
        ..ListQuery::default()
    };
    export_list(conn, &query, lang)
}

/// The devices a list shows, in its order, as the register CSV; removed devices never.
pub fn export_list(
    conn: &Connection,
    query: &ListQuery,
    lang: Lang,
) -> rusqlite::Result<(Vec<u8>, usize)> {
    let ids = devices::list_ids(conn, query)?;
    let mut out = Rows::new(lang);
    for chunk in ids.chunks(500) {
        for device in devices::by_ids(conn, chunk)? {
            if !device.removed {
                out.push(&device.record);
            }
        }
    }
    Ok(out.finish())
}

/// Records as the register CSV, header first: what the month report's register file holds.
pub fn records_csv<'a>(records: impl IntoIterator<Item = &'a Record>, lang: Lang) -> Vec<u8> {
    let mut out = Rows::new(lang);
    for record in records {
        out.push(record);
    }
    out.finish().0
}

/// The register CSV being written: the header, then one row per record.
struct Rows {
    writer: csv_text::Writer,
    lang: Lang,
    written: usize,
}

impl Rows {
    fn new(lang: Lang) -> Rows {
        let mut writer = csv_text::Writer::new();
        writer.row(Field::ALL.map(|f| header(f, lang)));
        Rows {
            writer,
            lang,
            written: 0,
        }
    }

    fn push(&mut self, record: &Record) {
        self.writer
            .row(Field::ALL.map(|f| cell(record, f, self.lang)));
        self.written += 1;
    }

    fn finish(self) -> (Vec<u8>, usize) {
        (self.writer.into_bytes(), self.written)
    }
}

/// Something wrong with the file as a whole; nothing row by row can be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// The file could not be read at all.
    Input {
        path: std::path::PathBuf,
        problem: super::input::InputProblem,
    },
    /// Its header or rows (see [`FileIssue`]).
    Sheet(FileIssue),
}

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowIssue {
    Value(Problem),
    TagExists,
    TagRepeated { first_line: u64 },
    IpRepeated { first_line: u64 },
    IpTaken { holder: String },
    ReadOnly,
    Transition(TransitionError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub field: Option<Field>,
    pub value: String,
    pub issue: RowIssue,
}

/// Why an import was refused. Nothing has been written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    File(FileProblem),
    Rows(Vec<RowProblem>),
}

impl FileProblem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FileProblem::Input { path, problem } => problem.message(path, lang),
            FileProblem::Sheet(issue) => {
                let columns = Field::ALL.map(|f| (f.key(), f.header_zh()));
                let texts = sheet::Texts {
                    empty: "import.empty",
                    missing_column: "import.missing_column",
                };
                issue.message(&columns, &texts, lang)
            }
        }
    }
}

impl RowProblem {
    /// `line 4, ip_address "10.0.0.1": already used by …`
    pub fn message(&self, lang: Lang) -> String {
        let reason = match &self.issue {
            RowIssue::Value(p) => p.message(lang),
            RowIssue::TagExists => lang.t("import.tag_exists").to_owned(),
            RowIssue::TagRepeated { first_line } => {
                lang.tf("import.tag_repeated", &[("line", first_line)])
            }
            RowIssue::IpRepeated { first_line } => {
                lang.tf("import.ip_repeated", &[("line", first_line)])
            }
            RowIssue::IpTaken { holder } => lang.tf("import.ip_taken", &[("holder", holder)]),
            RowIssue::ReadOnly => lang.t("import.read_only").to_owned(),
            RowIssue::Transition(e) => crate::words::transition_message(e, lang),
        };
        let column = self.field.map_or("", |f| header(f, lang));
        cell_problem(self.line, column, &self.value, &reason, lang)
    }
}

impl ImportError {
    /// One line per problem, in file order.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        match self {
            ImportError::File(p) => vec![p.message(lang)],
            ImportError::Rows(rows) => rows.iter().map(|p| p.message(lang)).collect(),
        }
    }
}

/// A device the import would change, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub line: u64,
    pub before: Device,
    pub after: Record,
    pub changes: Vec<(Field, String, String)>,
}

/// What an import would do. Built by [`plan`], written by [`apply`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub adds: Adds,
    pub updates: Vec<Update>,
    pub unchanged: usize,
}

/// Read and check a whole file against the register. `update`: rows whose asset tag is in the
/// register change that device (only the columns the file has); otherwise such rows are errors.
pub fn plan(
    conn: &Connection,
    bytes: impl Into<Vec<u8>>,
    update: bool,
) -> Result<Plan, ImportError> {
    let text = csv_text::decode_owned(bytes.into())
        .map_err(|e| ImportError::File(FileProblem::Sheet(FileIssue::Decode(e))))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header_row = match records.next() {
        None => return Err(ImportError::File(FileProblem::Sheet(FileIssue::Empty))),
        Some(row) => row.map_err(|e| malformed(&e))?,
    };
    let columns = read_header(&header_row).map_err(|e| ImportError::File(FileProblem::Sheet(e)))?;

    let mut problems = Vec::new();
    let mut plan = Plan {
        adds: Adds::new(columns.clone()),
        ..Plan::default()
    };
    let mut tag_lines: HashMap<String, u64> = HashMap::new();
    let mut ip_lines: HashMap<IpAddr, u64> = HashMap::new();
    // Addresses rows give up (an update moving a device off an address) and take.
    let mut planned_ips: Vec<(u64, IpAddr, Option<i64>)> = Vec::new();
    let mut lines = sheet::Lines::new(&text);
    for row in records {
        let row = row.map_err(|e| malformed(&e))?;
        let offset = row.position().map_or(0, |p| p.byte());
        let line = lines.of(offset);
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if row.len() != header_row.len() {
            return Err(ImportError::File(FileProblem::Sheet(
                FileIssue::ColumnCount {
                    line,
                    found: row.len(),
                    expected: header_row.len(),
                },
            )));
        }
        let cell = |f: Field| -> Option<String> {
            let i = columns.iter().position(|c| *c == f)?;
            Some(unescape_cell(row.get(i).unwrap_or("")).to_owned())
        };
        let tag = cell(Field::AssetTag).unwrap_or_default();
        let existing = match tag.trim() {
            "" => None,
            t => devices::by_tag(conn, t).map_err(db_problem)?,
        };
        let mut values: [String; 17] = existing
            .as_ref()
            .filter(|_| update)
            .map_or_else(Default::default, |d| d.record.values());
        for field in Field::ALL {
            if let Some(v) = cell(field) {
                values[field.index()] = v;
            }
        }
        let mut fail = |field: Option<Field>, issue: RowIssue| {
            // Kept as a message quotes it: a 100 MB cell is not held again for its message.
            let value = field.map_or(String::new(), |f| {
                crate::domain::text::shortened(&values[f.index()]).into_owned()
            });
            problems.push(RowProblem {
                line,
                field,
                value,
                issue,
            });
        };
        if existing.is_some() && !update {
            fail(Some(Field::AssetTag), RowIssue::TagExists);
            continue;
        }
        let record = match Record::parse(&values) {
            Ok(r) => r,
            Err(errors) => {
                for FieldError { field, problem } in errors {
                    fail(Some(field), RowIssue::Value(problem));
                }
                continue;
            }
        };
        let key = record.asset_tag.to_lowercase();
        if let Some(first_line) = tag_lines.get(&key) {
            let first_line = *first_line;
            fail(Some(Field::AssetTag), RowIssue::TagRepeated { first_line });
            continue;
        }
        tag_lines.insert(key, line);
        if let Some(ip) = record.ip_address.filter(|_| !record.status.is_final()) {
            if let Some(first_line) = ip_lines.get(&ip) {
                let first_line = *first_line;
                fail(Some(Field::IpAddress), RowIssue::IpRepeated { first_line });
            } else {
                ip_lines.insert(ip, line);
                planned_ips.push((line, ip, existing.as_ref().map(|d| d.id)));
            }
        }
        match existing {
            // A scrapped device's row read back as it was (an export with --all) is unchanged.
            Some(before)
                if before.is_read_only() && !before.record.changes_to(&record).is_empty() =>
            {
                fail(Some(Field::AssetTag), RowIssue::ReadOnly)
            }
            Some(before) => {
                let changes = before.record.changes_to(&record);
                if before.record.status != record.status
                    && let Err(e) = check_transition(
                        before.record.status,
                        record.status,
                        &ChangeDetails::default(),
                    )
                {
                    fail(Some(Field::Status), RowIssue::Transition(e));
                    continue;
                }
                if changes.is_empty() {
                    plan.unchanged += 1;
                } else {
                    plan.updates.push(Update {
                        line,
                        before,
                        after: record,
                        changes,
                    });
                }
            }
            None => match check_initial(record.status) {
                Ok(()) => plan.adds.push(line, offset),
                Err(e) => fail(Some(Field::Status), RowIssue::Transition(e)),
            },
        }
    }
    // An address is taken when a device outside this file holds it, or a device in the file
    // holds it and the file does not move that device elsewhere.
    let moving: HashMap<i64, Option<IpAddr>> = plan
        .updates
        .iter()
        .map(|u| (u.before.id, u.after.ip_address))
        .collect();
    for (line, ip, own_id) in planned_ips {
        let holder_id = devices::address_holder(conn, ip).map_err(db_problem)?;
        if let Some((holder, name)) = holder_id
            && Some(holder) != own_id
            && moving.get(&holder).is_none_or(|new_ip| *new_ip == Some(ip))
        {
            problems.push(RowProblem {
                line,
                field: Some(Field::IpAddress),
                value: ip.to_string(),
                issue: RowIssue::IpTaken { holder: name },
            });
        }
    }
    if problems.is_empty() {
        drop(reader);
        plan.adds.keep(text);
        Ok(plan)
    } else {
        problems.sort_by_key(|p| (p.line, p.field.map(Field::index)));
        Err(ImportError::Rows(problems))
    }
}

fn malformed(e: &csv::Error) -> ImportError {
    let line = e.position().map_or(0, |p| p.line());
    ImportError::File(FileProblem::Sheet(FileIssue::Malformed {
        line,
        reason: e.to_string(),
    }))
}

fn db_problem(e: rusqlite::Error) -> ImportError {
    ImportError::File(FileProblem::Sheet(FileIssue::Malformed {
        line: 0,
        reason: e.to_string(),
    }))
}

fn read_header(row: &csv::StringRecord) -> Result<Vec<Field>, FileIssue> {
    let mut columns = Vec::new();
    for cell in row.iter() {
        let name = cell.trim_start_matches('\u{feff}').trim();
        let field =
            Field::from_header(name).ok_or_else(|| FileIssue::UnknownColumn(name.to_owned()))?;
        if columns.contains(&field) {
            return Err(FileIssue::RepeatedColumn(name.to_owned()));
        }
        columns.push(field);
    }
    if !columns.contains(&Field::AssetTag) {
        return Err(FileIssue::MissingColumn(Field::AssetTag.key()));
    }
    Ok(columns)
}

mod adds;
mod write;

pub use adds::Adds;
pub use write::{Applied, apply};

#[cfg(test)]
mod tests;
