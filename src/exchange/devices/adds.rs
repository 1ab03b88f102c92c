//! The devices an import adds, held compactly: each as its stored values in one string, not as
//! a record of seventeen allocations. A 120k-row file's plan held about 70 MB as records; read
//! back a record at a time, it holds its values once.

use crate::domain::record::{Field, Record};

/// Between two values of a device: a control character, which no checked value holds.
const SEPARATOR: char = '\u{1f}';

/// The added devices, in the file's order, each with its line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Adds {
    values: String,
    /// Each device's line in the file and where its values end in `values`.
    rows: Vec<(u64, usize)>,
}

impl Adds {
    pub fn push(&mut self, line: u64, record: &Record) {
        for (i, field) in Field::ALL.into_iter().enumerate() {
            if i > 0 {
                self.values.push(SEPARATOR);
            }
            self.values.push_str(&record.value(field));
        }
        self.rows.push((line, self.values.len()));
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The `i`th device and its line.
    pub fn get(&self, i: usize) -> Option<(u64, Record)> {
        let (line, end) = *self.rows.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.rows[i - 1].1,
        };
        let mut values: [String; 17] = Default::default();
        for (slot, value) in values
            .iter_mut()
            .zip(self.values[start..end].split(SEPARATOR))
        {
            value.clone_into(slot);
        }
        // A record's own stored values parse as that record again (the round trip is tested
        // in domain::record); were it ever not so, an import stops whole rather than leave a
        // device out.
        let record = Record::parse(&values).expect("a checked record's values parse again");
        Some((line, record))
    }

    /// The devices from the `from`th on, each read back as it is reached.
    pub fn iter_from(&self, from: usize) -> impl Iterator<Item = (u64, Record)> + '_ {
        (from..self.len()).map_while(|i| self.get(i))
    }

    pub fn iter(&self) -> impl Iterator<Item = (u64, Record)> + '_ {
        self.iter_from(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_read_back_as_they_went_in() {
        let mut values: [String; 17] = Default::default();
        values[Field::AssetTag.index()] = "JF-001".into();
        values[Field::Name.index()] = "核心交换机".into();
        values[Field::IpAddress.index()] = "10.0.0.1".into();
        values[Field::PurchasedOn.index()] = "2024-03-05".into();
        values[Field::Notes.index()] = "第一行\n第二行".into();
        let first = Record::parse(&values).unwrap();
        values[Field::AssetTag.index()] = "JF-002".into();
        values[Field::IpAddress.index()] = String::new();
        let second = Record::parse(&values).unwrap();
        let mut adds = Adds::default();
        adds.push(2, &first);
        adds.push(3, &second);
        assert_eq!(adds.len(), 2);
        assert_eq!(adds.get(0), Some((2, first.clone())));
        assert_eq!(adds.iter_from(1).collect::<Vec<_>>(), vec![(3, second)]);
        assert_eq!(adds.get(2), None);
    }
}
