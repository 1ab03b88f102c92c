//! Long writes in short steps: one transaction of about [`STEP`] at a time, so another
//! program's save waits for one step, never for a whole import.

use std::time::{Duration, Instant};

use rusqlite::{Connection, Transaction};

/// How long one step's transaction may run before it is committed. A save that arrives while
/// a step runs waits at most this long (its own budget is 50 ms, p99).
pub const STEP: Duration = Duration::from_millis(25);

/// The pause between two steps, in which a waiting writer takes the lock: it tries again every
/// half millisecond (see `wait_for_writers`). Measured beside an import of 20k changes, with
/// the waiter trying every 1 / 0.5 / 0.2 ms: pauses of 2 / 1 / 0.5 ms gave saves a p99 of
/// 16.6 / 15.9 / 20.0 ms, the longest 47 / 40 / 76 ms. The pauses cost the import about 4%.
const PAUSE: Duration = Duration::from_millis(1);

/// What a stepped write committed before `error` stopped it.
#[derive(Debug)]
pub struct Partial<E> {
    pub committed: usize,
    pub error: E,
}

/// The items one step writes: handed out until its time is up (always at least one).
pub struct StepItems<'a, T> {
    items: &'a [T],
    taken: usize,
    until: Instant,
}

impl<'a, T> Iterator for StepItems<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        if self.taken > 0 && Instant::now() >= self.until {
            return None;
        }
        let item = self.items.get(self.taken)?;
        self.taken += 1;
        Some(item)
    }
}

/// Write `items` with `write`, each call in a transaction of its own that takes items from
/// the [`StepItems`] it is handed until the step's time is up. A step that fails is rolled
/// back whole and the items before it stay committed: `Partial` says how many.
pub fn in_steps<T, E: From<rusqlite::Error>>(
    conn: &mut Connection,
    items: &[T],
    mut write: impl FnMut(&Transaction, &mut StepItems<'_, T>) -> Result<(), E>,
) -> Result<usize, Partial<E>> {
    let mut committed = 0;
    while committed < items.len() {
        if committed > 0 {
            std::thread::sleep(PAUSE);
        }
        let mut step = StepItems {
            items: &items[committed..],
            taken: 0,
            until: Instant::now() + STEP,
        };
        let done = conn.transaction().map_err(E::from).and_then(|tx| {
            write(&tx, &mut step)?;
            tx.commit().map_err(E::from)
        });
        if let Err(error) = done {
            return Err(Partial { committed, error });
        }
        committed += step.taken;
    }
    Ok(committed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER NOT NULL CHECK (n <> 13))")
            .unwrap();
        conn
    }

    fn rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    fn insert_all(tx: &Transaction, step: &mut StepItems<'_, i64>) -> rusqlite::Result<()> {
        for n in step {
            tx.execute("INSERT INTO t (n) VALUES (?1)", [n])?;
        }
        Ok(())
    }

    #[test]
    fn every_item_is_written_once() {
        let mut conn = table();
        let items: Vec<i64> = (0..2000).map(|n| n + 100).collect();
        assert_eq!(in_steps(&mut conn, &items, insert_all).unwrap(), 2000);
        assert_eq!(rows(&conn), 2000);
        let sum: i64 = conn
            .query_row("SELECT sum(n) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sum, items.iter().sum::<i64>());
    }

    #[test]
    fn steps_end_when_their_time_is_up_and_a_failed_one_is_rolled_back() {
        let mut conn = table();
        let items: Vec<i64> = (0..40).collect();
        let mut steps = 0;
        let slow = |tx: &Transaction, step: &mut StepItems<'_, i64>| {
            steps += 1;
            for n in step {
                tx.execute("INSERT INTO t (n) VALUES (?1)", [n])?;
                std::thread::sleep(STEP / 4);
            }
            Ok::<_, rusqlite::Error>(())
        };
        let partial = in_steps(&mut conn, &items, slow).unwrap_err();
        // 13 breaks the table's rule: its step is undone, the steps before it stay.
        assert!(partial.committed <= 13, "{partial:?}");
        assert!(
            partial.committed >= 8,
            "steps of about four items: {partial:?}"
        );
        assert_eq!(rows(&conn), partial.committed as i64);
        assert!(steps >= 3, "{steps} steps");
    }
}
