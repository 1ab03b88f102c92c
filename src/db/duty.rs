//! The duty's work log in SQLite: entries written once, read back by day or month, newest
//! first.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Stamp;
use crate::domain::duty::LogKind;

/// The longest entry, in characters.
pub const TEXT_MAX: usize = 1000;

/// One entry as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    /// `2026-12-03 21:40:00`, local time.
    pub at: String,
    pub kind: LogKind,
    pub text: String,
    /// The device's asset tag and name, when the entry is about one.
    pub device: Option<(String, String)>,
    /// The entry this one corrects.
    pub corrects: Option<i64>,
    pub operator: String,
}

/// An entry to write: about a device of the register (by asset tag) if `device` names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub kind: LogKind,
    pub text: String,
    pub device: Option<String>,
    pub corrects: Option<i64>,
}

/// Why an entry was not written.
#[derive(Debug)]
pub enum LogError {
    NeedsText,
    /// Too long, or holding control characters.
    Text(crate::domain::text::TextError),
    /// No device of the register has this tag.
    NoDevice(String),
    /// The entry to correct does not exist.
    NoEntry(i64),
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for LogError {
    fn from(e: rusqlite::Error) -> LogError {
        LogError::Db(e)
    }
}

/// Write an entry at the stamp's time, signed by its operator. Returns its number.
pub fn add(conn: &Connection, entry: &NewEntry, stamp: &Stamp) -> Result<i64, LogError> {
    let text = entry.text.trim();
    if text.is_empty() {
        return Err(LogError::NeedsText);
    }
    use crate::domain::text::{Kind, first_error};
    if let Some(e) = first_error(&[("duty.text", text, Kind::Lines, TEXT_MAX)]) {
        return Err(LogError::Text(e));
    }
    let device = match entry.device.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(tag) => Some(
            super::devices::by_tag(conn, tag)?
                .map(|d| d.id)
                .ok_or_else(|| LogError::NoDevice(tag.to_owned()))?,
        ),
    };
    if let Some(id) = entry.corrects {
        let found: Option<i64> = conn
            .query_row("SELECT id FROM duty_log WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        found.ok_or(LogError::NoEntry(id))?;
    }
    let at = stamp.at_text();
    conn.prepare_cached(
        "INSERT INTO duty_log (at, kind, text, device_id, corrects, created_at, created_by,
             updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?1, ?6, ?1, ?6)",
    )?
    .execute(params![
        at,
        entry.kind.key(),
        text,
        device,
        entry.corrects,
        stamp.by
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The entries written from `from` to `to` (both included), newest first.
pub fn between(conn: &Connection, from: NaiveDate, to: NaiveDate) -> rusqlite::Result<Vec<Entry>> {
    let end = to + chrono::Duration::days(1);
    conn.prepare_cached(
        "SELECT l.id, l.at, l.kind, l.text, d.asset_tag, d.name, l.corrects, l.created_by
         FROM duty_log l LEFT JOIN devices d ON d.id = l.device_id
         WHERE l.at >= ?1 AND l.at < ?2 ORDER BY l.at DESC, l.id DESC",
    )?
    .query_map(params![from.to_string(), end.to_string()], |r| {
        let kind: String = r.get(2)?;
        let tag: Option<String> = r.get(4)?;
        Ok(Entry {
            id: r.get(0)?,
            at: r.get(1)?,
            kind: LogKind::parse(&kind).unwrap_or(LogKind::Other),
            text: r.get(3)?,
            device: tag.map(|t| {
                (
                    t,
                    r.get::<_, Option<String>>(5)
                        .ok()
                        .flatten()
                        .unwrap_or_default(),
                )
            }),
            corrects: r.get(6)?,
            operator: r.get(7)?,
        })
    })?
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn stamp(at: &str) -> Stamp {
        Stamp::at("李四", at)
    }

    fn entry(kind: LogKind, text: &str, device: Option<&str>) -> NewEntry {
        NewEntry {
            kind,
            text: text.into(),
            device: device.map(str::to_owned),
            corrects: None,
        }
    }

    #[test]
    fn entries_are_written_once_read_by_day_and_corrected_by_a_new_one() {
        let mut db = Db::open_in_memory().unwrap();
        let first = db
            .write(|tx| {
                add(
                    tx,
                    &entry(LogKind::Work, " 备份完成 ", None),
                    &stamp("2026-12-03 08:30:00"),
                )
            })
            .unwrap();
        db.write(|tx| {
            add(
                tx,
                &entry(LogKind::Call, "财务处来电：打印机卡纸", None),
                &stamp("2026-12-03 10:05:00"),
            )
        })
        .unwrap();
        db.write(|tx| {
            add(
                tx,
                &entry(LogKind::Other, "昨晚巡查正常", None),
                &stamp("2026-12-02 19:50:00"),
            )
        })
        .unwrap();
        let today = between(
            db.conn(),
            "2026-12-03".parse().unwrap(),
            "2026-12-03".parse().unwrap(),
        )
        .unwrap();
        let texts: Vec<&str> = today.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            ["财务处来电：打印机卡纸", "备份完成"],
            "newest first, trimmed"
        );
        assert_eq!(today[1].operator, "李四");
        // SQLite itself refuses to change or delete an entry, whatever program writes.
        assert!(
            db.conn()
                .execute("UPDATE duty_log SET text = 'x' WHERE id = ?1", [first])
                .is_err()
        );
        assert!(
            db.conn()
                .execute("DELETE FROM duty_log WHERE id = ?1", [first])
                .is_err()
        );
        // A correction is a new entry naming the one it corrects.
        let fix = NewEntry {
            corrects: Some(first),
            ..entry(LogKind::Work, "备份完成（月备份）", None)
        };
        db.write(|tx| add(tx, &fix, &stamp("2026-12-03 11:00:00")))
            .unwrap();
        let today = between(
            db.conn(),
            "2026-12-03".parse().unwrap(),
            "2026-12-03".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(today[0].corrects, Some(first));
    }

    #[test]
    fn a_bad_entry_is_refused_and_nothing_is_written() {
        let mut db = Db::open_in_memory().unwrap();
        let at = stamp("2026-12-03 08:30:00");
        let no_text = db.write(|tx| add(tx, &entry(LogKind::Work, "  ", None), &at));
        assert!(matches!(no_text, Err(LogError::NeedsText)));
        let no_device = db.write(|tx| add(tx, &entry(LogKind::Fault, "告警", Some("UPS-99")), &at));
        assert!(matches!(no_device, Err(LogError::NoDevice(ref t)) if t == "UPS-99"));
        let no_entry = NewEntry {
            corrects: Some(42),
            ..entry(LogKind::Work, "更正", None)
        };
        assert!(matches!(
            db.write(|tx| add(tx, &no_entry, &at)),
            Err(LogError::NoEntry(42))
        ));
        let all = between(
            db.conn(),
            "2000-01-01".parse().unwrap(),
            "2100-01-01".parse().unwrap(),
        )
        .unwrap();
        assert!(all.is_empty());
    }
}
