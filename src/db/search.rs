//! Substring filters on the big registers: when a typed word holds a trigram that few rows
//! share, the trigram index (schema v11) names those rows and the filter reads only them.

use std::cell::RefCell;

use rusqlite::Connection;

/// The trigram indexes, each named after its table.
pub const INDEXES: [&str; 2] = ["devices_search", "repairs_search"];

/// Make each trigram index, fill it from its table, and keep it in step with triggers. The text
/// is kept once, in the table (external content). Run by the upgrade to schema 11.
pub fn install(conn: &Connection) -> rusqlite::Result<()> {
    for index in INDEXES {
        let table = table_of(index);
        conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE {index} USING fts5 (search_text, content = '{table}',
                 content_rowid = 'id', tokenize = 'trigram', detail = 'none');"
        ))?;
    }
    resume(conn)
}

/// Stop keeping the indexes in step, for a bulk load: filled row by row, they would cost more
/// than the load itself. [`resume`] must follow in the same transaction.
pub fn pause(conn: &Connection) -> rusqlite::Result<()> {
    for index in INDEXES {
        for what in ["insert", "delete", "update"] {
            conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {index}_{what}"))?;
        }
    }
    Ok(())
}

/// Fill the indexes from their tables anew and keep them in step from now on.
pub fn resume(conn: &Connection) -> rusqlite::Result<()> {
    for index in INDEXES {
        conn.execute_batch(&format!("INSERT INTO {index} ({index}) VALUES ('rebuild')"))?;
        keep_in_step(conn, index)?;
    }
    Ok(())
}

/// The table that holds back an index's insert trigger while [`adding`] runs (schema 13).
pub const DEFERRED: &str = "search_deferred";

/// Run `add`, which only adds rows to the table of `index`, and index what it added in one
/// statement. Row by row, FTS5 writes its pending words out at every statement's savepoint:
/// an import spent a sixth of its time there. The trigger is held back by a row in
/// [`DEFERRED`], removed again before the caller commits: nothing changes in the schema, so
/// other programs keep their prepared statements. Must run inside a transaction, which
/// `add`'s failure rolls back.
pub fn adding<T, E: From<rusqlite::Error>>(
    conn: &Connection,
    index: &'static str,
    add: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let table = table_of(index);
    let last: i64 = conn
        .prepare_cached(&format!("SELECT ifnull(max(id), 0) FROM {table}"))?
        .query_row([], |r| r.get(0))?;
    conn.prepare_cached(&format!(
        "INSERT INTO {DEFERRED} (search_index) VALUES (?1)"
    ))?
    .execute([index])?;
    let added = add()?;
    conn.prepare_cached(&format!("DELETE FROM {DEFERRED} WHERE search_index = ?1"))?
        .execute([index])?;
    conn.prepare_cached(&format!(
        "INSERT INTO {index} (rowid, search_text) SELECT id, search_text FROM {table} WHERE id > ?1"
    ))?
    .execute([last])?;
    Ok(added)
}

fn add_row(index: &str) -> String {
    format!("INSERT INTO {index} (rowid, search_text) VALUES (new.id, new.search_text);")
}

/// The trigger that indexes each new row of `index`'s table, unless [`adding`] indexes them.
fn add_trigger(index: &str) -> String {
    format!(
        "CREATE TRIGGER {index}_insert AFTER INSERT ON {table}
             WHEN NOT EXISTS (SELECT 1 FROM {DEFERRED} WHERE search_index = '{index}')
             BEGIN {add} END;",
        table = table_of(index),
        add = add_row(index),
    )
}

/// The triggers that keep `index` in step with its table.
fn keep_in_step(conn: &Connection, index: &str) -> rusqlite::Result<()> {
    let table = table_of(index);
    let add = add_row(index);
    let remove = format!(
        "INSERT INTO {index} ({index}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    );
    conn.execute_batch(&format!(
        "{insert}
         CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {remove} END;
         CREATE TRIGGER {index}_update AFTER UPDATE ON {table}
             WHEN old.search_text IS NOT new.search_text BEGIN {remove} {add} END;",
        insert = add_trigger(index),
    ))
}

/// Give each index the insert trigger that [`adding`] can hold back. Run by the upgrade to
/// schema 13.
pub fn defer_in_steps(conn: &Connection) -> rusqlite::Result<()> {
    for index in INDEXES {
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS {index}_insert; {}",
            add_trigger(index)
        ))?;
    }
    Ok(())
}

/// `devices_search` indexes `devices`.
fn table_of(index: &str) -> &str {
    index.trim_end_matches("_search")
}

/// The indexes whose words no longer match their table's rows, with SQLite's reason; empty
/// when all are in step. Reads every row: for `jifang check`, not for a screen.
pub fn out_of_step(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut found = Vec::new();
    for index in INDEXES {
        let sql = format!("INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)");
        match conn.execute(&sql, []) {
            Ok(_) => {}
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                found.push(format!("{index}: {e}"));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}

/// At most this many candidate rows are read by id; more, and a scan in the list's order finds
/// a screenful sooner.
const RARE: i64 = 2_000;
/// Trigrams are counted up to this: rarer ones may still AND to a few rows.
const COUNTED: i64 = 20_000;
/// How many of the rarest trigrams the index is asked for together.
const USED: usize = 4;
/// How many trigrams of the typed words are counted: a pasted line must not cost a probe per
/// character.
const PROBED: usize = 12;
/// How many answers are kept: typing asks about one new trigram a key, and scrolling asks the
/// same question again.
const REMEMBERED: usize = 256;

thread_local! {
    /// Recent answers, by index and question (a trigram, or a whole query).
    static ANSWERS: RefCell<Vec<(String, Option<String>)>> = const { RefCell::new(Vec::new()) };
    static COUNTS: RefCell<Vec<(String, i64)>> = const { RefCell::new(Vec::new()) };
}

/// The FTS5 query that names every row of `index` (an external-content trigram index) that can
/// hold all of `words`, and at most [`RARE`] rows: some of its rarest trigrams, ANDed. `None`
/// when no such query is found (the words are common, or shorter than three characters): the
/// caller scans instead.
///
/// The rows it names are a superset; the caller still tests each word against the text. The
/// answers are remembered: a stale one costs speed, never a row.
pub fn rare_trigrams(
    conn: &Connection,
    index: &'static str,
    words: &[&str],
) -> rusqlite::Result<Option<String>> {
    let key = format!("{index}\u{1f}{}", words.join("\u{1f}"));
    if let Some(known) = remembered(&ANSWERS, &key) {
        return Ok(known);
    }
    let mut counted: Vec<(i64, String)> = Vec::new();
    for gram in spread(trigrams(words), PROBED) {
        let quoted = format!("\"{}\"", gram.replace('"', "\"\""));
        let rows = count_at_most(conn, index, &quoted, COUNTED)?;
        if rows <= COUNTED {
            counted.push((rows, quoted));
        }
    }
    counted.sort();
    let used: Vec<String> = counted.iter().take(USED).map(|(_, q)| q.clone()).collect();
    let query = used.join(" AND ");
    let answer = match counted.first() {
        None => None,
        Some((rows, _)) if *rows <= RARE => Some(query),
        // Each trigram is in many rows; together they may be in few.
        Some(_) => (count_at_most(conn, index, &query, RARE)? <= RARE).then_some(query),
    };
    remember(&ANSWERS, key, answer.clone());
    Ok(answer)
}

/// How many rows `index` names for `query`, counted up to `most + 1`.
fn count_at_most(
    conn: &Connection,
    index: &'static str,
    query: &str,
    most: i64,
) -> rusqlite::Result<i64> {
    let key = format!("{index}\u{1f}{query}\u{1f}{most}");
    if let Some(rows) = remembered(&COUNTS, &key) {
        return Ok(rows);
    }
    let sql =
        format!("SELECT count(*) FROM (SELECT 1 FROM {index} WHERE {index} MATCH ?1 LIMIT ?2)");
    let rows: i64 = conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params![query, most + 1], |r| r.get(0))?;
    remember(&COUNTS, key, rows);
    Ok(rows)
}

type Memory<T> = std::thread::LocalKey<RefCell<Vec<(String, T)>>>;

fn remembered<T: Clone>(memory: &'static Memory<T>, key: &str) -> Option<T> {
    memory.with_borrow(|m| m.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
}

fn remember<T>(memory: &'static Memory<T>, key: String, value: T) {
    memory.with_borrow_mut(|m| {
        if m.len() >= REMEMBERED {
            m.remove(0);
        }
        m.push((key, value));
    });
}

/// The distinct three-character runs of the words, in order.
fn trigrams(words: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in words {
        let chars: Vec<char> = word.chars().collect();
        for run in chars.windows(3) {
            let gram: String = run.iter().collect();
            if !found.contains(&gram) {
                found.push(gram);
            }
        }
    }
    found
}

/// At most `n` of `items`, evenly spaced, first and last included.
fn spread(items: Vec<String>, n: usize) -> Vec<String> {
    if items.len() <= n {
        return items;
    }
    let last = items.len() - 1;
    (0..n).map(|i| items[i * last / (n - 1)].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(texts: &[&str]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, search_text TEXT);
             CREATE VIRTUAL TABLE t_search USING fts5 (search_text, content = 't',
                 content_rowid = 'id', tokenize = 'trigram', detail = 'none');",
        )
        .unwrap();
        for text in texts {
            conn.execute("INSERT INTO t (search_text) VALUES (?1)", [text])
                .unwrap();
        }
        conn.execute_batch("INSERT INTO t_search (t_search) VALUES ('rebuild')")
            .unwrap();
        conn
    }

    fn named(conn: &Connection, query: &str) -> Vec<i64> {
        conn.prepare("SELECT rowid FROM t_search WHERE t_search MATCH ?1 ORDER BY rowid")
            .unwrap()
            .query_map([query], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn a_rare_word_names_just_the_rows_that_can_hold_it() {
        let mut texts = vec!["wx-2019-0001 主板风扇"; 6_000];
        texts.push("wx-2019-0002 电源\"坏\"了");
        let conn = index_of(&texts);
        let query = rare_trigrams(&conn, "t_search", &["电源\"坏"])
            .unwrap()
            .unwrap();
        assert_eq!(named(&conn, &query), vec![6_001]);
        // Upper case finds lower-case text, as the scan's `lower()` does.
        let query = rare_trigrams(&conn, "t_search", &["WX-2019-0002"])
            .unwrap()
            .unwrap();
        assert_eq!(named(&conn, &query), vec![6_001]);
    }

    #[test]
    fn common_trigrams_that_meet_in_few_rows_name_those_rows() {
        // Each trigram of "jf-12" is in 2,500 rows or more; all three are in one.
        let mut texts: Vec<String> = (0..2_500).map(|i| format!("jf-1a{i:04}")).collect();
        texts.extend((0..2_499).map(|i| format!("wx-12{i:04}")));
        texts.push("jf-12".into());
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let conn = index_of(&texts);
        let query = rare_trigrams(&conn, "t_search", &["jf-12"])
            .unwrap()
            .unwrap();
        assert_eq!(named(&conn, &query), vec![5_000], "{query}");
    }

    #[test]
    fn common_or_short_words_leave_the_filter_to_a_scan() {
        let conn = index_of(&vec!["wx-2019-0001 主板风扇"; 25_000]);
        assert_eq!(
            rare_trigrams(&conn, "t_search", &["wx-2019"]).unwrap(),
            None
        );
        assert_eq!(
            rare_trigrams(&conn, "t_search", &["风扇", "wx"]).unwrap(),
            None
        );
    }

    #[test]
    fn a_long_paste_probes_a_bounded_spread() {
        let words: Vec<String> = (0..40).map(|i| format!("{i:03}")).collect();
        let picked = spread(words.clone(), PROBED);
        assert_eq!(picked.len(), PROBED);
        assert_eq!(picked.first(), words.first());
        assert_eq!(picked.last(), words.last());
    }
}
