//! A list sorted by one of its columns instead of its own order, either way; each list names
//! the columns it can be sorted by and the SQL that reads them.

/// How a list is sorted: by its own order, or by a column named in the list's columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sort {
    pub column: Option<&'static str>,
    pub descending: bool,
}

/// A column a list can be sorted by: its name (stable, for the screen's words) and the SQL
/// expression it sorts by.
pub type Column = (&'static str, &'static str);

impl Sort {
    /// The sort a picker's value names (`name:asc`, `name:desc`); the list's own order for
    /// anything else.
    pub fn parse(value: &str, columns: &[Column]) -> Sort {
        let Some((name, way)) = value.split_once(':') else {
            return Sort::default();
        };
        match columns.iter().find(|(n, _)| *n == name) {
            Some((name, _)) => Sort {
                column: Some(name),
                descending: way == "desc",
            },
            None => Sort::default(),
        }
    }

    /// The picker's value for this sort.
    pub fn value(self) -> String {
        match self.column {
            Some(name) if self.descending => format!("{name}:desc"),
            Some(name) => format!("{name}:asc"),
            None => String::new(),
        }
    }

    /// The SQL expression of the sort's column among `columns`, NULLs read as empty so that
    /// a keyset compares them; `None` for the list's own order.
    pub fn expression(self, columns: &[Column]) -> Option<String> {
        let name = self.column?;
        let (_, sql) = columns.iter().find(|(n, _)| *n == name)?;
        Some(format!("ifnull({sql}, '')"))
    }

    /// `ORDER BY` terms for this sort over `columns`, the row's `id` last to break ties;
    /// reversed when reading from the list's end. `None`: the list's own order.
    pub fn order(self, columns: &[Column], id: &str, backward: bool) -> Option<String> {
        let expr = self.expression(columns)?;
        let way = if self.descending != backward {
            "DESC"
        } else {
            "ASC"
        };
        Some(format!("{expr} {way}, {id} {way}"))
    }

    /// The comparison that keeps rows past a row in this sort (`<` or `>`), reading towards
    /// the list's end or (`backward`) its start.
    pub fn beyond(self, backward: bool) -> &'static str {
        if self.descending != backward {
            "<"
        } else {
            ">"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[("name", "t.name"), ("due", "i.due_on")];

    #[test]
    fn a_sort_reads_its_picker_value_and_orders_either_way() {
        let sort = Sort::parse("due:desc", COLUMNS);
        assert_eq!(sort.column, Some("due"));
        assert!(sort.descending);
        assert_eq!(Sort::parse(&sort.value(), COLUMNS), sort);
        assert_eq!(
            sort.order(COLUMNS, "i.id", false).as_deref(),
            Some("ifnull(i.due_on, '') DESC, i.id DESC")
        );
        assert_eq!(
            sort.order(COLUMNS, "i.id", true).as_deref(),
            Some("ifnull(i.due_on, '') ASC, i.id ASC")
        );
        assert_eq!(sort.beyond(false), "<");
        assert_eq!(Sort::parse("", COLUMNS), Sort::default());
        assert_eq!(Sort::parse("gone:asc", COLUMNS), Sort::default());
        assert_eq!(Sort::default().order(COLUMNS, "id", false), None);
    }
}
