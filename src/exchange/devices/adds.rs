//! The devices an import adds, held as where their rows lie in the file's text, not as
//! records: the plan keeps the text it was checked from and reads a device back when it is
//! written or shown: the text and an offset a row cost a fraction of what the records would
//! for a 120k-row file.

use super::unescape_cell;
use crate::domain::record::{Field, Record};

/// The added devices, in the file's order, each with its line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Adds {
    /// The file's text, as it was checked.
    text: String,
    /// The file's columns, in order.
    columns: Vec<Field>,
    /// Each added device's line in the file and where its row starts in `text`.
    rows: Vec<(u64, u64)>,
}

impl Adds {
    pub(super) fn new(columns: Vec<Field>) -> Adds {
        Adds {
            columns,
            ..Adds::default()
        }
    }

    /// The row at byte `offset` of the text (given later by [`Adds::keep`]) adds a device.
    pub(super) fn push(&mut self, line: u64, offset: u64) {
        self.rows.push((line, offset));
    }

    /// Keep the text the rows were checked in.
    pub(super) fn keep(&mut self, text: String) {
        self.text = text;
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The devices from the `from`th on, read back in one pass over the text from there.
    pub fn iter_from(&self, from: usize) -> impl Iterator<Item = (u64, Record)> + '_ {
        let start = self
            .rows
            .get(from)
            .map_or(self.text.len(), |r| r.1 as usize);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&self.text.as_bytes()[start..]);
        let mut wanted = self.rows[from.min(self.rows.len())..].iter().peekable();
        let mut row = csv::StringRecord::new();
        std::iter::from_fn(move || {
            let &(line, offset) = wanted.next()?;
            loop {
                let at = start as u64 + reader.position().byte();
                // A row the text held when it was checked reads back; were it ever not so,
                // the import stops whole rather than leave a device out.
                let read = reader
                    .read_record(&mut row)
                    .expect("a checked row reads again");
                assert!(read, "a checked row is in the text");
                if at == offset {
                    return Some((line, self.record(&row)));
                }
            }
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = (u64, Record)> + '_ {
        self.iter_from(0)
    }

    /// A checked row as its record: its cells in their columns, the rest empty, as the plan
    /// read it.
    fn record(&self, row: &csv::StringRecord) -> Record {
        let mut values: [String; 17] = Default::default();
        for (field, cell) in self.columns.iter().zip(row.iter()) {
            values[field.index()] = unescape_cell(cell).to_owned();
        }
        Record::parse(&values).expect("a checked row parses again")
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Db;
    use crate::exchange::devices::plan;

    /// Rows read back as they were checked: quoted line breaks, CRLF, a byte-order mark and
    /// blank rows between them change nothing.
    #[test]
    fn added_devices_read_back_from_the_text_they_were_checked_in() {
        let db = Db::open_in_memory().unwrap();
        let csv = "\u{feff}asset_tag,name,notes\r\n\
                   JF-001,核心交换机,\"第一行\n第二行\"\r\n\
                   \r\n\
                   JF-002,\"接入, 交换机\",\r\n\
                   JF-003,打印机,'=1+1\r\n";
        let plan = plan(db.conn(), csv.as_bytes(), false).unwrap();
        let read: Vec<(String, String, String)> = plan
            .adds
            .iter()
            .map(|(_, r)| (r.asset_tag, r.name, r.notes))
            .collect();
        assert_eq!(
            read,
            vec![
                (
                    "JF-001".into(),
                    "核心交换机".into(),
                    "第一行\n第二行".into()
                ),
                ("JF-002".into(), "接入, 交换机".into(), String::new()),
                ("JF-003".into(), "打印机".into(), "=1+1".into()),
            ]
        );
        let lines: Vec<u64> = plan.adds.iter().map(|(line, _)| line).collect();
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
        let tags: Vec<String> = plan.adds.iter_from(2).map(|(_, r)| r.asset_tag).collect();
        assert_eq!(tags, ["JF-003"]);
        assert_eq!(plan.adds.iter_from(3).count(), 0);
    }
}
