//! The tabs, in the order operators know them by number.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Checks,
    Devices,
    Repairs,
    Tools,
    Data,
    Reports,
    People,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Checks,
        Tab::Devices,
        Tab::Repairs,
        Tab::Tools,
        Tab::Data,
        Tab::Reports,
        Tab::People,
    ];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The tab for a number key `1`..`7`.
    pub fn from_digit(c: char) -> Option<Tab> {
        let n = c.to_digit(10)? as usize;
        Tab::ALL.get(n.checked_sub(1)?).copied()
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }

    /// Catalog key of the tab's name.
    pub fn title_key(self) -> &'static str {
        match self {
            Tab::Checks => "tab.checks",
            Tab::Devices => "tab.devices",
            Tab::Repairs => "tab.repairs",
            Tab::Tools => "tab.tools",
            Tab::Data => "tab.data",
            Tab::Reports => "tab.reports",
            Tab::People => "tab.people",
        }
    }

    /// Catalog key of the one-line description of what the tab is for.
    pub fn about_key(self) -> &'static str {
        match self {
            Tab::Checks => "tab.about.checks",
            Tab::Devices => "tab.about.devices",
            Tab::Repairs => "tab.about.repairs",
            Tab::Tools => "tab.about.tools",
            Tab::Data => "tab.about.data",
            Tab::Reports => "tab.about.reports",
            Tab::People => "tab.about.people",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_cycling_cover_every_tab() {
        assert_eq!(Tab::from_digit('1'), Some(Tab::Checks));
        assert_eq!(Tab::from_digit('6'), Some(Tab::Reports));
        assert_eq!(Tab::from_digit('0'), None);
        assert_eq!(Tab::from_digit('7'), Some(Tab::People));
        assert_eq!(Tab::from_digit('8'), None);
        assert_eq!(Tab::People.next(), Tab::Checks);
        assert_eq!(Tab::Checks.prev(), Tab::People);
        let mut t = Tab::Checks;
        for _ in 0..Tab::ALL.len() {
            t = t.next();
        }
        assert_eq!(t, Tab::Checks);
    }
}
