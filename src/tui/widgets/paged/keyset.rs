//! Reading a long list on from the rows on screen: a window that overlaps or meets them keeps
//! what it can and reads only the rest, past their first or last row (a keyset), instead of
//! counting from the list's start.

/// A window next to the rows shown: the rows it keeps from them, and how many more to read past
/// their last row, or before their first.
#[derive(Debug, Clone)]
pub enum Neighbour<R> {
    After {
        kept: Vec<R>,
        last: i64,
        more: usize,
    },
    Before {
        first: i64,
        more: usize,
        kept: Vec<R>,
    },
}

impl<R: Clone> Neighbour<R> {
    /// How the window of `rows` rows at `at` joins `shown`, the rows read at `shown_at`; `None`
    /// when the two neither overlap nor meet. `id` names a row for the reads past it.
    pub fn of(
        shown: &[R],
        shown_at: usize,
        at: usize,
        rows: usize,
        id: impl Fn(&R) -> i64,
    ) -> Option<Neighbour<R>> {
        let (first, last) = (shown.first()?, shown.last()?);
        let end = shown_at + shown.len();
        if rows == 0 {
            return None;
        }
        if at > shown_at && at <= end {
            let kept: Vec<R> = shown[at - shown_at..].iter().take(rows).cloned().collect();
            let more = rows - kept.len();
            return Some(Neighbour::After {
                last: id(last),
                more,
                kept,
            });
        }
        if at < shown_at && at + rows >= shown_at {
            let more = shown_at - at;
            let kept = shown.iter().take(rows - more).cloned().collect();
            return Some(Neighbour::Before {
                first: id(first),
                more,
                kept,
            });
        }
        None
    }

    /// The window's rows: the kept ones, and those `after` reads past a row's id or `before`
    /// reads ahead of it (each given the id and how many).
    pub fn read<E>(
        &self,
        after: impl FnOnce(i64, usize) -> Result<Vec<R>, E>,
        before: impl FnOnce(i64, usize) -> Result<Vec<R>, E>,
    ) -> Result<Vec<R>, E> {
        match self {
            Neighbour::After { kept, last, more } => {
                let mut page = kept.clone();
                if *more > 0 {
                    page.extend(after(*last, *more)?);
                }
                Ok(page)
            }
            Neighbour::Before { first, more, kept } => {
                let mut page = before(*first, *more)?;
                page.extend(kept.iter().cloned());
                Ok(page)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = Result<Vec<i64>, ()>;

    fn neighbour(at: usize) -> Option<Neighbour<i64>> {
        // Rows 10..15 shown at offset 10, a window of five rows.
        let shown: Vec<i64> = (10..15).collect();
        Neighbour::of(&shown, 10, at, 5, |r| *r)
    }

    fn window(at: usize) -> Option<Vec<i64>> {
        let after = |id: i64, n: usize| -> Read { Ok((id + 1..).take(n).collect()) };
        let before = |id: i64, n: usize| -> Read { Ok((id - n as i64..id).collect()) };
        neighbour(at).map(|n| n.read(after, before).unwrap())
    }

    #[test]
    fn a_window_next_to_the_rows_shown_keeps_them_and_reads_only_the_rest() {
        assert_eq!(window(11), Some((11..16).collect()), "one row down");
        assert_eq!(window(15), Some((15..20).collect()), "one page down: meets");
        assert_eq!(window(9), Some((9..14).collect()), "one row up");
        assert_eq!(window(6), Some((6..11).collect()), "most of a page up");
        assert_eq!(window(10), None, "the same window is not read again here");
        assert_eq!(window(16), None, "a jump past the rows shown");
        assert_eq!(window(5), Some((5..10).collect()), "one page up: meets");
        assert_eq!(window(4), None, "a jump before the rows shown");
        assert!(matches!(
            neighbour(12),
            Some(Neighbour::After {
                more: 2,
                last: 14,
                ..
            })
        ));
    }
}
