//! Tool checkout rules (工具领用): tool statuses, who may borrow and with whose approval, due
//! dates from the tool's kind, overdue loans, and what a return does to the tool and who pays.

use chrono::{Duration, NaiveDate};

/// Where a tool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ToolStatus {
    /// 在库: on the shelf, can be lent.
    Available,
    /// 借出: someone holds it.
    CheckedOut,
    /// 损坏: came back damaged; not lent until mended.
    Damaged,
    /// 丢失
    Lost,
    /// 停用: out of use for good.
    Retired,
}

impl ToolStatus {
    pub const ALL: [ToolStatus; 5] = [
        ToolStatus::Available,
        ToolStatus::CheckedOut,
        ToolStatus::Damaged,
        ToolStatus::Lost,
        ToolStatus::Retired,
    ];

    /// What an operator may set by editing the tool: lending and returning set the rest.
    pub const EDITABLE: [ToolStatus; 3] =
        [ToolStatus::Available, ToolStatus::Damaged, ToolStatus::Lost];

    pub fn key(self) -> &'static str {
        match self {
            ToolStatus::Available => "available",
            ToolStatus::CheckedOut => "checked_out",
            ToolStatus::Damaged => "damaged",
            ToolStatus::Lost => "lost",
            ToolStatus::Retired => "retired",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ToolStatus::Available => "tool_status.available",
            ToolStatus::CheckedOut => "tool_status.checked_out",
            ToolStatus::Damaged => "tool_status.damaged",
            ToolStatus::Lost => "tool_status.lost",
            ToolStatus::Retired => "tool_status.retired",
        }
    }

    /// The key, the English word or the Chinese word (as a CSV may hold it).
    pub fn parse(text: &str) -> Option<ToolStatus> {
        let t = text.trim();
        ToolStatus::ALL.into_iter().find(|s| {
            s.key().eq_ignore_ascii_case(t) || s.zh() == t || s.en().eq_ignore_ascii_case(t)
        })
    }

    fn zh(self) -> &'static str {
        match self {
            ToolStatus::Available => "在库",
            ToolStatus::CheckedOut => "借出",
            ToolStatus::Damaged => "损坏",
            ToolStatus::Lost => "丢失",
            ToolStatus::Retired => "停用",
        }
    }

    fn en(self) -> &'static str {
        match self {
            ToolStatus::Available => "available",
            ToolStatus::CheckedOut => "checked out",
            ToolStatus::Damaged => "damaged",
            ToolStatus::Lost => "lost",
            ToolStatus::Retired => "retired",
        }
    }
}

/// How a tool came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    Good,
    Damaged,
    Lost,
}

impl Condition {
    pub const ALL: [Condition; 3] = [Condition::Good, Condition::Damaged, Condition::Lost];

    /// Each condition's stored key and catalog key, for showing a stored condition in words.
    pub const WORDS: [(&'static str, &'static str); 3] = [
        ("good", "tool_condition.good"),
        ("damaged", "tool_condition.damaged"),
        ("lost", "tool_condition.lost"),
    ];

    pub fn key(self) -> &'static str {
        match self {
            Condition::Good => "good",
            Condition::Damaged => "damaged",
            Condition::Lost => "lost",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Condition::Good => "tool_condition.good",
            Condition::Damaged => "tool_condition.damaged",
            Condition::Lost => "tool_condition.lost",
        }
    }

    pub fn parse(text: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.key() == text.trim())
    }

    /// The tool's status once returned this way.
    pub fn status_after(self) -> ToolStatus {
        match self {
            Condition::Good => ToolStatus::Available,
            Condition::Damaged => ToolStatus::Damaged,
            Condition::Lost => ToolStatus::Lost,
        }
    }

    /// Damage and loss make someone liable (the regulations: 借用者负责赔偿).
    pub fn needs_liability(self) -> bool {
        self != Condition::Good
    }
}

/// Why a tool cannot be lent now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// Someone holds it until `due_on`.
    HeldBy { borrower: String, due_on: NaiveDate },
    /// Damaged, lost or retired.
    Status(ToolStatus),
}

/// Whether a tool in `status` may be lent; `holder` is its open loan, if any.
pub fn lendable(status: ToolStatus, holder: Option<(&str, NaiveDate)>) -> Result<(), Unavailable> {
    match (status, holder) {
        (_, Some((borrower, due_on))) => Err(Unavailable::HeldBy {
            borrower: borrower.to_owned(),
            due_on,
        }),
        (ToolStatus::Available, None) => Ok(()),
        (ToolStatus::CheckedOut, None) => Err(Unavailable::Status(ToolStatus::CheckedOut)),
        (other, None) => Err(Unavailable::Status(other)),
    }
}

/// The longest loan period a kind may have.
pub const MAX_LOAN_DAYS: u32 = 365;

/// When a tool lent on `out` is due back: `loan_days` later (0: the same day).
pub fn due_on(out: NaiveDate, loan_days: u32) -> NaiveDate {
    out + Duration::days(i64::from(loan_days.min(MAX_LOAN_DAYS)))
}

/// Days past the due date on `today` (0 while not overdue). A tool due today is not overdue
/// until tomorrow.
pub fn days_overdue(due_on: NaiveDate, today: NaiveDate) -> i64 {
    (today - due_on).num_days().max(0)
}

/// A loan period as typed: a number of days, `0` or the word for the same day.
pub fn parse_loan_days(text: &str) -> Option<u32> {
    let t = text.trim();
    if matches!(t, "当天" | "当日" | "same day") {
        return Some(0);
    }
    let t = t
        .strip_suffix('天')
        .or_else(|| t.strip_suffix("days"))
        .or_else(|| t.strip_suffix("day"))
        .unwrap_or(t)
        .trim();
    t.parse::<u32>().ok().filter(|d| *d <= MAX_LOAN_DAYS)
}

/// What a check-out must have before it can be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Borrowing {
    pub borrower: String,
    pub department: String,
    /// From another department (外借): only with a leader's approval.
    pub external: bool,
    pub approver: String,
    pub purpose: String,
    /// One date for every tool, or `None`: each tool by its kind's loan period.
    pub due_on: Option<NaiveDate>,
    pub condition_out: String,
}

#[cfg(test)]
impl Borrowing {
    /// A loan for cabling inside the information centre, due by each tool's kind: what most
    /// tests lend.
    pub fn internal(borrower: &str) -> Borrowing {
        Borrowing {
            borrower: borrower.into(),
            department: "信息中心".into(),
            external: false,
            approver: String::new(),
            purpose: "布线".into(),
            due_on: None,
            condition_out: "完好".into(),
        }
    }
}

/// What is missing or wrong in a check-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BorrowingProblem {
    NeedsBorrower,
    NeedsDepartment,
    /// 其他部门未经批准不得借用.
    NeedsApprover,
    /// The borrower cannot approve their own loan.
    SelfApproved,
    /// Nor can the operator who records it: nobody approves their own action.
    ApprovedByOperator,
    /// The borrower's department is in the directory and is not the information centre: the
    /// loan is to another department, with its approval, however the form was set.
    OutsideCentre,
    DueBeforeOut,
    NoTools,
}

impl BorrowingProblem {
    pub fn label_key(self) -> &'static str {
        match self {
            BorrowingProblem::NeedsBorrower => "tool_error.needs_borrower",
            BorrowingProblem::NeedsDepartment => "tool_error.needs_department",
            BorrowingProblem::NeedsApprover => "tool_error.needs_approver",
            BorrowingProblem::SelfApproved => "tool_error.self_approved",
            BorrowingProblem::ApprovedByOperator => "tool_error.approved_by_operator",
            BorrowingProblem::OutsideCentre => "tool_error.outside_centre",
            BorrowingProblem::DueBeforeOut => "tool_error.due_before_out",
            BorrowingProblem::NoTools => "tool_error.no_tools",
        }
    }
}

impl Borrowing {
    /// Every problem at once, so the form can mark each field.
    pub fn problems(&self, out: NaiveDate, tools: usize) -> Vec<BorrowingProblem> {
        let mut problems = Vec::new();
        if self.borrower.trim().is_empty() {
            problems.push(BorrowingProblem::NeedsBorrower);
        }
        if self.external && self.department.trim().is_empty() {
            problems.push(BorrowingProblem::NeedsDepartment);
        }
        let approver = self.approver.trim();
        if self.external && approver.is_empty() {
            problems.push(BorrowingProblem::NeedsApprover);
        } else if !approver.is_empty() && approver == self.borrower.trim() {
            problems.push(BorrowingProblem::SelfApproved);
        }
        if self.due_on.is_some_and(|d| d < out) {
            problems.push(BorrowingProblem::DueBeforeOut);
        }
        if tools == 0 {
            problems.push(BorrowingProblem::NoTools);
        }
        problems
    }
}

/// A requisition number: `LY-<year>-<n>` (领用), counted per year.
pub fn requisition_number(year: i32, seq: i64) -> String {
    format!("LY-{year}-{seq:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn borrowing() -> Borrowing {
        Borrowing {
            borrower: "王伟".into(),
            department: "信息中心".into(),
            external: false,
            approver: String::new(),
            purpose: "更换配线架".into(),
            due_on: None,
            condition_out: "完好".into(),
        }
    }

    #[test]
    fn an_external_loan_needs_an_approver_who_is_not_the_borrower() {
        assert!(borrowing().problems(day(20), 1).is_empty());
        let external = Borrowing {
            external: true,
            department: "财务部".into(),
            ..borrowing()
        };
        assert_eq!(
            external.problems(day(20), 1),
            vec![BorrowingProblem::NeedsApprover]
        );
        let self_approved = Borrowing {
            approver: "王伟".into(),
            ..external.clone()
        };
        assert_eq!(
            self_approved.problems(day(20), 1),
            vec![BorrowingProblem::SelfApproved]
        );
        let approved = Borrowing {
            approver: "刘主任".into(),
            ..external
        };
        assert!(approved.problems(day(20), 1).is_empty());
        let nobody = Borrowing {
            borrower: " ".into(),
            external: true,
            department: String::new(),
            due_on: Some(day(19)),
            ..borrowing()
        };
        assert_eq!(
            nobody.problems(day(20), 0),
            vec![
                BorrowingProblem::NeedsBorrower,
                BorrowingProblem::NeedsDepartment,
                BorrowingProblem::NeedsApprover,
                BorrowingProblem::DueBeforeOut,
                BorrowingProblem::NoTools,
            ]
        );
    }

    #[test]
    fn a_tool_out_is_refused_naming_who_holds_it() {
        assert_eq!(lendable(ToolStatus::Available, None), Ok(()));
        assert_eq!(
            lendable(ToolStatus::CheckedOut, Some(("李娜", day(23)))),
            Err(Unavailable::HeldBy {
                borrower: "李娜".into(),
                due_on: day(23)
            })
        );
        for status in [ToolStatus::Damaged, ToolStatus::Lost, ToolStatus::Retired] {
            assert_eq!(lendable(status, None), Err(Unavailable::Status(status)));
        }
    }

    #[test]
    fn due_dates_follow_the_kind_and_overdue_starts_the_day_after() {
        assert_eq!(due_on(day(20), 0), day(20), "same day");
        assert_eq!(due_on(day(20), 3), day(23));
        assert_eq!(days_overdue(day(23), day(22)), 0);
        assert_eq!(days_overdue(day(23), day(23)), 0, "due today is not late");
        assert_eq!(days_overdue(day(23), day(25)), 2);
        for (text, days) in [
            ("3", Some(3)),
            ("3天", Some(3)),
            (" 7 days", Some(7)),
            ("当天", Some(0)),
            ("0", Some(0)),
            ("366", None),
            ("-1", None),
            ("三", None),
        ] {
            assert_eq!(parse_loan_days(text), days, "{text:?}");
        }
    }

    #[test]
    fn a_return_sets_the_status_and_damage_or_loss_asks_who_pays() {
        assert_eq!(Condition::Good.status_after(), ToolStatus::Available);
        assert_eq!(Condition::Damaged.status_after(), ToolStatus::Damaged);
        assert_eq!(Condition::Lost.status_after(), ToolStatus::Lost);
        assert!(!Condition::Good.needs_liability());
        assert!(Condition::Damaged.needs_liability() && Condition::Lost.needs_liability());
        for s in ToolStatus::ALL {
            assert_eq!(ToolStatus::parse(s.key()), Some(s));
        }
        assert_eq!(ToolStatus::parse("借出"), Some(ToolStatus::CheckedOut));
        assert_eq!(
            ToolStatus::parse("Checked out"),
            Some(ToolStatus::CheckedOut)
        );
        assert_eq!(requisition_number(2026, 7), "LY-2026-0007");
    }
}
