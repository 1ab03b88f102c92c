//! Where a read of a list's rows starts: so far down from its top, at its end, or past a row
//! already shown (a keyset). Every list the screens page through is read through one of these.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// `offset` rows down from the top. With the list's count known (`of`), a list may read
    /// from whichever end is nearer: the index is walked up to the window, so the last page of
    /// a million rows costs what the first does.
    Down { offset: usize, of: Option<usize> },
    /// The list's last rows, read from its far end without the count (`G` at once).
    End,
    /// The rows after the row with this id.
    After(i64),
    /// The rows before the row with this id, in list order.
    Before(i64),
}

impl Place {
    /// From the top, the count unknown.
    pub fn top(offset: usize) -> Place {
        Place::Down { offset, of: None }
    }

    /// For a window `limit` rows high at `offset` of a list of `count` rows: how many rows lie
    /// below it, and how many of its rows there are, when the bottom is the nearer end.
    pub fn nearer_end(offset: usize, limit: usize, count: usize) -> Option<(usize, usize)> {
        let end = count.min(offset.saturating_add(limit));
        let below = count - end;
        (below < offset).then(|| (below, end.saturating_sub(offset)))
    }
}

/// A row's key, for reading on past it ([`Place::After`], [`Place::Before`]).
pub trait Keyed {
    fn key(&self) -> i64;
}

/// The rows of the lists that are read a page at a time, each with the field that keys it.
macro_rules! keyed {
    ($($row:ty => $field:ident),* $(,)?) => {
        $(impl Keyed for $row {
            fn key(&self) -> i64 {
                self.$field
            }
        })*
    };
}

keyed! {
    crate::db::audit::Entry => id,
    crate::db::check_runs::PastRun => id,
    crate::db::devices::Device => id,
    crate::db::directory::Person => id,
    crate::db::repairs::ListRow => id,
    crate::db::tools::Tool => id,
    crate::db::tools::LoanRow => item_id,
}
