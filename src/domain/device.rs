//! Device categories, lifecycle statuses, and which status changes the register allows.

use chrono::NaiveDate;

/// What kind of equipment a device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Server,
    Switch,
    Router,
    Firewall,
    Storage,
    Ups,
    Pc,
    Printer,
    Phone,
    Other,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Server,
        Category::Switch,
        Category::Router,
        Category::Firewall,
        Category::Storage,
        Category::Ups,
        Category::Pc,
        Category::Printer,
        Category::Phone,
        Category::Other,
    ];

    /// The stored and exported key, e.g. `server`.
    pub fn key(self) -> &'static str {
        match self {
            Category::Server => "server",
            Category::Switch => "switch",
            Category::Router => "router",
            Category::Firewall => "firewall",
            Category::Storage => "storage",
            Category::Ups => "ups",
            Category::Pc => "pc",
            Category::Printer => "printer",
            Category::Phone => "phone",
            Category::Other => "other",
        }
    }

    /// The Chinese label imports accept besides the key, e.g. `服务器`.
    pub fn label_zh(self) -> &'static str {
        match self {
            Category::Server => "服务器",
            Category::Switch => "交换机",
            Category::Router => "路由器",
            Category::Firewall => "防火墙",
            Category::Storage => "存储",
            Category::Ups => "UPS",
            Category::Pc => "计算机",
            Category::Printer => "打印机",
            Category::Phone => "电话",
            Category::Other => "其他",
        }
    }

    /// The catalog key of the on-screen name.
    pub fn label_key(self) -> &'static str {
        match self {
            Category::Server => "category.server",
            Category::Switch => "category.switch",
            Category::Router => "category.router",
            Category::Firewall => "category.firewall",
            Category::Storage => "category.storage",
            Category::Ups => "category.ups",
            Category::Pc => "category.pc",
            Category::Printer => "category.printer",
            Category::Phone => "category.phone",
            Category::Other => "category.other",
        }
    }

    /// From the key or the Chinese label, any case, trimmed.
    pub fn parse(text: &str) -> Option<Category> {
        let t = text.trim();
        Category::ALL
            .into_iter()
            .find(|c| c.key().eq_ignore_ascii_case(t) || c.label_zh().eq_ignore_ascii_case(t))
    }
}

/// Where a device is in its life. Transfers are events, not statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    InStock,
    InUse,
    Spare,
    UnderRepair,
    AtVendor,
    Lent,
    PendingScrap,
    Scrapped,
    Lost,
}

impl Status {
    /// What a new device may be entered as: lent, under repair, scrapped and the rest are
    /// reached by their own steps, which ask for the approver, reason and date they need.
    pub const INITIAL: [Status; 3] = [Status::InStock, Status::InUse, Status::Spare];

    pub const ALL: [Status; 9] = [
        Status::InStock,
        Status::InUse,
        Status::Spare,
        Status::UnderRepair,
        Status::AtVendor,
        Status::Lent,
        Status::PendingScrap,
        Status::Scrapped,
        Status::Lost,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::InStock => "in_stock",
            Status::InUse => "in_use",
            Status::Spare => "spare",
            Status::UnderRepair => "under_repair",
            Status::AtVendor => "at_vendor",
            Status::Lent => "lent",
            Status::PendingScrap => "pending_scrap",
            Status::Scrapped => "scrapped",
            Status::Lost => "lost",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::InStock => "在库",
            Status::InUse => "在用",
            Status::Spare => "备用",
            Status::UnderRepair => "维修中",
            Status::AtVendor => "外修",
            Status::Lent => "借出",
            Status::PendingScrap => "待报废",
            Status::Scrapped => "已报废",
            Status::Lost => "报损",
        }
    }

    /// The catalog key of the on-screen name.
    pub fn label_key(self) -> &'static str {
        match self {
            Status::InStock => "status_name.in_stock",
            Status::InUse => "status_name.in_use",
            Status::Spare => "status_name.spare",
            Status::UnderRepair => "status_name.under_repair",
            Status::AtVendor => "status_name.at_vendor",
            Status::Lent => "status_name.lent",
            Status::PendingScrap => "status_name.pending_scrap",
            Status::Scrapped => "status_name.scrapped",
            Status::Lost => "status_name.lost",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        let t = text.trim();
        Status::ALL
            .into_iter()
            .find(|s| s.key().eq_ignore_ascii_case(t) || s.label_zh() == t)
    }

    /// Scrapped devices are history: read-only, hidden from the list unless asked for, and
    /// their IP address is free for another device.
    pub fn is_final(self) -> bool {
        self == Status::Scrapped
    }

    /// The statuses this one may change to. The repair log moves devices into and out of
    /// `UnderRepair` and `AtVendor` by the same table.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            InStock => &[InUse, Spare, Lent, UnderRepair, PendingScrap, Lost],
            InUse => &[InStock, Spare, Lent, UnderRepair, PendingScrap, Lost],
            Spare => &[InUse, InStock, Lent, UnderRepair, PendingScrap, Lost],
            UnderRepair => &[InUse, InStock, Spare, AtVendor, PendingScrap],
            AtVendor => &[UnderRepair, InUse, InStock, Spare, PendingScrap, Lost],
            Lent => &[InUse, InStock, Spare, UnderRepair, Lost],
            // The appraisal may reject scrapping and send the device back into service.
            PendingScrap => &[Scrapped, InUse, InStock, Spare],
            Scrapped => &[],
            // A lost device that turns up again is taken back into stock and checked.
            Lost => &[InStock],
        }
    }
}

/// Why a device is scrapped: the two conditions the regulations name, or another stated reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScrapReason {
    /// 主要部件严重损坏,无升级和维修价值
    BeyondRepair,
    /// 修理或改装费用超过或接近同等效能价值
    RepairCostsTooMuch,
    Other(String),
}

/// What a status change must carry besides the new status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeDetails {
    pub approver: Option<String>,
    pub date: Option<NaiveDate>,
    pub scrap_reason: Option<ScrapReason>,
}

/// Why a status change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    NotAllowed {
        from: Status,
        to: Status,
    },
    /// A new device is entered in stock, in use or spare; every other status is a step of its
    /// own, with what that step requires.
    NotInitial {
        status: Status,
    },
    NeedsApprover,
    NeedsDate,
    NeedsScrapReason,
}

/// Check the status a new device is entered with: one of [`Status::INITIAL`].
pub fn check_initial(status: Status) -> Result<(), TransitionError> {
    match Status::INITIAL.contains(&status) {
        true => Ok(()),
        false => Err(TransitionError::NotInitial { status }),
    }
}

/// Check a status change against the table and the regulations: lending out needs the
/// director's approval; scrapping needs a reason, an approver and a date.
pub fn check_transition(
    from: Status,
    to: Status,
    details: &ChangeDetails,
) -> Result<(), TransitionError> {
    if !from.next().contains(&to) {
        return Err(TransitionError::NotAllowed { from, to });
    }
    let has_approver = details
        .approver
        .as_deref()
        .is_some_and(|a| !a.trim().is_empty());
    match to {
        Status::Lent if !has_approver => Err(TransitionError::NeedsApprover),
        Status::Scrapped => {
            match &details.scrap_reason {
                None => return Err(TransitionError::NeedsScrapReason),
                Some(ScrapReason::Other(text)) if text.trim().is_empty() => {
                    return Err(TransitionError::NeedsScrapReason);
                }
                Some(_) => {}
            }
            if !has_approver {
                return Err(TransitionError::NeedsApprover);
            }
            if details.date.is_none() {
                return Err(TransitionError::NeedsDate);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The asset tag after `like` in its pattern: the same prefix and the number one past the
/// highest of `taken` with that prefix, as many digits wide (`JF-PC-0042` -> `JF-PC-0043`).
/// `None` when `like` does not end in a number.
pub fn next_tag<'a>(like: &str, taken: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let (prefix, digits) = split_number(like)?;
    let highest = taken
        .into_iter()
        .filter_map(split_number)
        .filter(|(p, _)| p.eq_ignore_ascii_case(prefix))
        .filter_map(|(_, d)| d.parse::<u64>().ok())
        .max()?;
    let width = digits.len();
    Some(format!("{prefix}{:0width$}", highest.checked_add(1)?))
}

/// A tag as its prefix and its trailing digits.
fn split_number(tag: &str) -> Option<(&str, &str)> {
    let at = tag.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (at < tag.len() && tag.len() - at <= 18).then(|| tag.split_at(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_tag_follows_the_registers_pattern() {
        let taken = [
            "JF-PC-0007",
            "JF-PC-0042",
            "jf-pc-0013",
            "JF-SV-0100",
            "OLD",
        ];
        assert_eq!(next_tag("JF-PC-0007", taken).as_deref(), Some("JF-PC-0043"));
        assert_eq!(next_tag("JF-SV-0100", taken).as_deref(), Some("JF-SV-0101"));
        assert_eq!(next_tag("OLD", taken), None, "no number to count on");
        assert_eq!(next_tag("A-99", ["A-99"]).as_deref(), Some("A-100"));
    }

    fn approved() -> ChangeDetails {
        ChangeDetails {
            approver: Some("王主任".into()),
            ..ChangeDetails::default()
        }
    }

    #[test]
    fn keys_and_chinese_labels_parse_back() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.key()), Some(c));
            assert_eq!(Category::parse(c.label_zh()), Some(c));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.key()), Some(s));
            assert_eq!(Status::parse(s.label_zh()), Some(s));
        }
        assert_eq!(Category::parse(" Server "), Some(Category::Server));
        assert_eq!(Status::parse("retired"), None);
    }

    #[test]
    fn scrapped_is_final_and_nothing_leads_back_from_it() {
        assert!(Status::Scrapped.next().is_empty());
        for to in Status::ALL {
            assert!(check_transition(Status::Scrapped, to, &approved()).is_err());
        }
    }

    #[test]
    fn scrapping_goes_through_pending_scrap() {
        let ok = ChangeDetails {
            scrap_reason: Some(ScrapReason::BeyondRepair),
            date: NaiveDate::from_ymd_opt(2026, 11, 21),
            ..approved()
        };
        for from in Status::ALL {
            let result = check_transition(from, Status::Scrapped, &ok);
            assert_eq!(
                result.is_ok(),
                from == Status::PendingScrap,
                "{from:?} -> Scrapped"
            );
        }
    }

    #[test]
    fn scrapping_needs_reason_approver_and_date() {
        let from = Status::PendingScrap;
        let date = NaiveDate::from_ymd_opt(2026, 11, 21);
        let reason = Some(ScrapReason::RepairCostsTooMuch);
        let none = ChangeDetails::default();
        assert_eq!(
            check_transition(from, Status::Scrapped, &none),
            Err(TransitionError::NeedsScrapReason)
        );
        let blank_other = ChangeDetails {
            scrap_reason: Some(ScrapReason::Other("  ".into())),
            date,
            ..approved()
        };
        assert_eq!(
            check_transition(from, Status::Scrapped, &blank_other),
            Err(TransitionError::NeedsScrapReason)
        );
        let no_approver = ChangeDetails {
            scrap_reason: reason.clone(),
            date,
            approver: None,
        };
        assert_eq!(
            check_transition(from, Status::Scrapped, &no_approver),
            Err(TransitionError::NeedsApprover)
        );
        let no_date = ChangeDetails {
            scrap_reason: reason.clone(),
            ..approved()
        };
        assert_eq!(
            check_transition(from, Status::Scrapped, &no_date),
            Err(TransitionError::NeedsDate)
        );
        let full = ChangeDetails {
            scrap_reason: reason,
            date,
            ..approved()
        };
        assert_eq!(check_transition(from, Status::Scrapped, &full), Ok(()));
    }

    #[test]
    fn lending_needs_an_approver() {
        let blank = ChangeDetails {
            approver: Some(" ".into()),
            ..ChangeDetails::default()
        };
        assert_eq!(
            check_transition(Status::InUse, Status::Lent, &blank),
            Err(TransitionError::NeedsApprover)
        );
        assert_eq!(
            check_transition(Status::InUse, Status::Lent, &approved()),
            Ok(())
        );
    }

    #[test]
    fn the_table_allows_exactly_the_listed_changes() {
        use Status::*;
        // Spot checks of refusals that would make the register lie.
        for (from, to) in [
            (Lost, InUse),
            (Lent, AtVendor),
            (InStock, AtVendor),
            (PendingScrap, Lent),
            (InUse, InUse),
        ] {
            assert_eq!(
                check_transition(from, to, &approved()),
                Err(TransitionError::NotAllowed { from, to }),
                "{from:?} -> {to:?}"
            );
        }
        // Every status but Scrapped has a way forward, and every status can be reached.
        for s in Status::ALL {
            assert_eq!(s.next().is_empty(), s == Scrapped, "{s:?}");
            assert!(
                s == InStock || Status::ALL.iter().any(|f| f.next().contains(&s)),
                "{s:?} unreachable"
            );
            assert!(!s.next().contains(&s), "{s:?} lists itself");
        }
    }
}
