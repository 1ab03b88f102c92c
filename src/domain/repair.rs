//! The repair workflow (维修流程) as pure rules: states, the steps between them and what each
//! step needs, on-time computation, ticket numbers, money, and the device status that follows.

use chrono::{NaiveDate, NaiveDateTime};

use super::device::Status;

/// Where a repair ticket is. `Closed` and `Unrepairable` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Reported,
    Assessed,
    InRepair,
    AtVendor,
    AwaitingConfirmation,
    Closed,
    Unrepairable,
}

impl State {
    pub const ALL: [State; 7] = [
        State::Reported,
        State::Assessed,
        State::InRepair,
        State::AtVendor,
        State::AwaitingConfirmation,
        State::Closed,
        State::Unrepairable,
    ];

    pub fn key(self) -> &'static str {
        match self {
            State::Reported => "reported",
            State::Assessed => "assessed",
            State::InRepair => "in_repair",
            State::AtVendor => "at_vendor",
            State::AwaitingConfirmation => "awaiting_confirmation",
            State::Closed => "closed",
            State::Unrepairable => "unrepairable",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            State::Reported => "repair_state.reported",
            State::Assessed => "repair_state.assessed",
            State::InRepair => "repair_state.in_repair",
            State::AtVendor => "repair_state.at_vendor",
            State::AwaitingConfirmation => "repair_state.awaiting_confirmation",
            State::Closed => "repair_state.closed",
            State::Unrepairable => "repair_state.unrepairable",
        }
    }

    /// Accepts the key or the Chinese name.
    pub fn parse(text: &str) -> Option<State> {
        let t = text.trim();
        let zh = |s: State| match s {
            State::Reported => "已报修",
            State::Assessed => "已评估",
            State::InRepair => "维修中",
            State::AtVendor => "外修",
            State::AwaitingConfirmation => "待确认",
            State::Closed => "已关闭",
            State::Unrepairable => "无法修复",
        };
        State::ALL
            .into_iter()
            .find(|s| s.key().eq_ignore_ascii_case(t) || zh(*s) == t)
    }

    /// Closed and unrepairable tickets are history: read-only, corrected by amendments.
    pub fn is_final(self) -> bool {
        matches!(self, State::Closed | State::Unrepairable)
    }

    /// The steps allowed from this state, the usual next one first.
    pub fn steps(self) -> &'static [StepKind] {
        use StepKind::*;
        match self {
            State::Reported => &[Assess],
            State::Assessed => &[Start, GiveUp],
            State::InRepair => &[Finish, ToVendor, GiveUp],
            State::AtVendor => &[Finish, FromVendor, GiveUp],
            State::AwaitingConfirmation => &[Confirm, Reject],
            State::Closed | State::Unrepairable => &[],
        }
    }

    /// The step `n` takes: the usual way forward.
    pub fn next_step(self) -> Option<StepKind> {
        self.steps().first().copied()
    }
}

/// What kind of fault was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    Hardware,
    Software,
    Network,
    Other,
}

impl FaultKind {
    pub const ALL: [FaultKind; 4] = [
        FaultKind::Hardware,
        FaultKind::Software,
        FaultKind::Network,
        FaultKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            FaultKind::Hardware => "hardware",
            FaultKind::Software => "software",
            FaultKind::Network => "network",
            FaultKind::Other => "other",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            FaultKind::Hardware => "fault_kind.hardware",
            FaultKind::Software => "fault_kind.software",
            FaultKind::Network => "fault_kind.network",
            FaultKind::Other => "fault_kind.other",
        }
    }

    pub fn parse(text: &str) -> Option<FaultKind> {
        let t = text.trim();
        let zh = |k: FaultKind| match k {
            FaultKind::Hardware => "硬件",
            FaultKind::Software => "软件",
            FaultKind::Network => "网络",
            FaultKind::Other => "其他",
        };
        FaultKind::ALL
            .into_iter()
            .find(|k| k.key().eq_ignore_ascii_case(t) || zh(*k) == t)
    }
}

/// How soon a fault must be dealt with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Priority {
    Urgent,
    High,
    Normal,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Urgent,
        Priority::High,
        Priority::Normal,
        Priority::Low,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Priority::Urgent => "urgent",
            Priority::High => "high",
            Priority::Normal => "normal",
            Priority::Low => "low",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Priority::Urgent => "priority.urgent",
            Priority::High => "priority.high",
            Priority::Normal => "priority.normal",
            Priority::Low => "priority.low",
        }
    }

    pub fn parse(text: &str) -> Option<Priority> {
        let t = text.trim();
        let zh = |p: Priority| match p {
            Priority::Urgent => "紧急",
            Priority::High => "高",
            Priority::Normal => "普通",
            Priority::Low => "低",
        };
        Priority::ALL
            .into_iter()
            .find(|p| p.key().eq_ignore_ascii_case(t) || zh(*p) == t)
    }
}

/// A step of the workflow, without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// The maintainer judges the fault and tells the department when it will be fixed.
    Assess,
    Start,
    /// Sent to a specialist firm, with approval.
    ToVendor,
    FromVendor,
    /// The result is written on the maintenance record; the user is asked to confirm.
    Finish,
    /// The user signs the maintenance record.
    Confirm,
    /// The user does not accept the result: back to repair.
    Reject,
    /// Cannot be repaired: the device is proposed for scrapping.
    GiveUp,
}

impl StepKind {
    pub const ALL: [StepKind; 8] = [
        StepKind::Assess,
        StepKind::Start,
        StepKind::ToVendor,
        StepKind::FromVendor,
        StepKind::Finish,
        StepKind::Confirm,
        StepKind::Reject,
        StepKind::GiveUp,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            StepKind::Assess => "repair_step.assess",
            StepKind::Start => "repair_step.start",
            StepKind::ToVendor => "repair_step.to_vendor",
            StepKind::FromVendor => "repair_step.from_vendor",
            StepKind::Finish => "repair_step.finish",
            StepKind::Confirm => "repair_step.confirm",
            StepKind::Reject => "repair_step.reject",
            StepKind::GiveUp => "repair_step.give_up",
        }
    }
}

/// The two people who confirm a damaged part out of warranty (003: 必須要同時兩人確認).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DamageConfirmation {
    pub part: String,
    pub first: String,
    pub second: String,
}

/// What a repair by an outside firm records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorRepair {
    pub vendor: String,
    pub approver: String,
    pub sent_on: Option<NaiveDate>,
    pub returned_on: Option<NaiveDate>,
    pub reference: String,
}

/// The maintainer's result (处理结果) and what it cost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub result: String,
    pub parts: String,
    /// In fen (0.01 yuan).
    pub cost: i64,
    pub charged_department: String,
    pub human_caused: bool,
    pub liable_person: String,
}

/// The workflow part of a ticket: what the steps read and write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub state: State,
    pub reported_at: NaiveDateTime,
    /// Whether the device was under warranty when reported; `None` when unknown (unregistered
    /// equipment, or no warranty date in the register), which counts as out of warranty.
    pub under_warranty: Option<bool>,
    pub maintainer: String,
    pub estimate_at: Option<NaiveDateTime>,
    pub assessed_at: Option<NaiveDateTime>,
    pub started_at: Option<NaiveDateTime>,
    /// When it last reached `AwaitingConfirmation` (or was found unrepairable).
    pub finished_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub outcome: Outcome,
    pub vendor: VendorRepair,
    pub damage: DamageConfirmation,
    pub confirmed_by: String,
    pub confirmed_at: Option<NaiveDateTime>,
    /// How often the user rejected the result.
    pub reopened: i64,
}

impl Ticket {
    pub fn new(reported_at: NaiveDateTime, under_warranty: Option<bool>) -> Ticket {
        Ticket {
            state: State::Reported,
            reported_at,
            under_warranty,
            maintainer: String::new(),
            estimate_at: None,
            assessed_at: None,
            started_at: None,
            finished_at: None,
            closed_at: None,
            outcome: Outcome::default(),
            vendor: VendorRepair::default(),
            damage: DamageConfirmation::default(),
            confirmed_by: String::new(),
            confirmed_at: None,
            reopened: 0,
        }
    }

    pub fn is_open(&self) -> bool {
        !self.state.is_final()
    }
}

/// A step with what the operator typed for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Assess {
        maintainer: String,
        estimate_at: NaiveDateTime,
    },
    Start,
    ToVendor {
        vendor: VendorRepair,
        damage: DamageConfirmation,
    },
    FromVendor {
        returned_on: NaiveDate,
    },
    Finish {
        outcome: Outcome,
        damage: DamageConfirmation,
        /// Required when the ticket is at a vendor.
        returned_on: Option<NaiveDate>,
    },
    Confirm {
        by: String,
    },
    Reject {
        reason: String,
    },
    GiveUp {
        reason: String,
    },
}

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Assess { .. } => StepKind::Assess,
            Step::Start => StepKind::Start,
            Step::ToVendor { .. } => StepKind::ToVendor,
            Step::FromVendor { .. } => StepKind::FromVendor,
            Step::Finish { .. } => StepKind::Finish,
            Step::Confirm { .. } => StepKind::Confirm,
            Step::Reject { .. } => StepKind::Reject,
            Step::GiveUp { .. } => StepKind::GiveUp,
        }
    }

    /// The text the timeline keeps with the step (a reason, a result, a vendor).
    pub fn note(&self) -> String {
        match self {
            Step::Assess { estimate_at, .. } => estimate_at.format("-> %Y-%m-%d %H:%M").to_string(),
            Step::ToVendor { vendor, .. } => vendor.vendor.trim().to_owned(),
            Step::Finish { outcome, .. } => outcome.result.trim().to_owned(),
            Step::Confirm { by } => by.trim().to_owned(),
            Step::Reject { reason } | Step::GiveUp { reason } => reason.trim().to_owned(),
            Step::Start | Step::FromVendor { .. } => String::new(),
        }
    }
}

/// Why a step was refused. Nothing changes when one comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepError {
    NotAllowed {
        from: State,
        step: StepKind,
    },
    NeedsMaintainer,
    NeedsEstimate,
    EstimateBeforeReport,
    NeedsVendor,
    NeedsApprover,
    /// The operator recording the step named themselves as its approver.
    SelfApproved,
    /// The user signing a repair off is not a person of the reporting department (where the
    /// directory knows that department).
    UserNotOfDepartment,
    NeedsSentDate,
    NeedsReturnDate,
    ReturnBeforeSent,
    NeedsResult,
    NeedsDamagedPart,
    NeedsTwoConfirmers,
    SameConfirmer,
    NeedsLiablePerson,
    NeedsUserName,
    NeedsReason,
}

impl StepError {
    pub fn label_key(self) -> &'static str {
        match self {
            StepError::NotAllowed { .. } => "repair_error.not_allowed",
            StepError::NeedsMaintainer => "repair_error.needs_maintainer",
            StepError::NeedsEstimate => "repair_error.needs_estimate",
            StepError::EstimateBeforeReport => "repair_error.estimate_before_report",
            StepError::NeedsVendor => "repair_error.needs_vendor",
            StepError::NeedsApprover => "repair_error.needs_approver",
            StepError::SelfApproved => "repair_error.self_approved",
            StepError::UserNotOfDepartment => "repair_error.user_not_of_department",
            StepError::NeedsSentDate => "repair_error.needs_sent_date",
            StepError::NeedsReturnDate => "repair_error.needs_return_date",
            StepError::ReturnBeforeSent => "repair_error.return_before_sent",
            StepError::NeedsResult => "repair_error.needs_result",
            StepError::NeedsDamagedPart => "repair_error.needs_damaged_part",
            StepError::NeedsTwoConfirmers => "repair_error.needs_two_confirmers",
            StepError::SameConfirmer => "repair_error.same_confirmer",
            StepError::NeedsLiablePerson => "repair_error.needs_liable_person",
            StepError::NeedsUserName => "repair_error.needs_user_name",
            StepError::NeedsReason => "repair_error.needs_reason",
        }
    }
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Out of warranty, a replaced or vendor-repaired part is confirmed by two different people.
fn check_damage(
    ticket: &Ticket,
    damage: &DamageConfirmation,
    needed: bool,
) -> Result<(), StepError> {
    if !needed || ticket.under_warranty == Some(true) {
        return Ok(());
    }
    if blank(&damage.part) {
        return Err(StepError::NeedsDamagedPart);
    }
    if blank(&damage.first) || blank(&damage.second) {
        return Err(StepError::NeedsTwoConfirmers);
    }
    if damage.first.trim() == damage.second.trim() {
        return Err(StepError::SameConfirmer);
    }
    Ok(())
}

fn trimmed(d: &DamageConfirmation) -> DamageConfirmation {
    DamageConfirmation {
        part: d.part.trim().to_owned(),
        first: d.first.trim().to_owned(),
        second: d.second.trim().to_owned(),
    }
}

/// Take one step: the ticket as it is after it, or why it is refused.
pub fn advance(ticket: &Ticket, step: &Step, now: NaiveDateTime) -> Result<Ticket, StepError> {
    let kind = step.kind();
    if !ticket.state.steps().contains(&kind) {
        return Err(StepError::NotAllowed {
            from: ticket.state,
            step: kind,
        });
    }
    let mut t = ticket.clone();
    match step {
        Step::Assess {
            maintainer,
            estimate_at,
        } => {
            if blank(maintainer) {
                return Err(StepError::NeedsMaintainer);
            }
            if *estimate_at < ticket.reported_at {
                return Err(StepError::EstimateBeforeReport);
            }
            t.maintainer = maintainer.trim().to_owned();
            t.estimate_at = Some(*estimate_at);
            t.assessed_at = Some(now);
            t.state = State::Assessed;
        }
        Step::Start => {
            t.started_at.get_or_insert(now);
            t.state = State::InRepair;
        }
        Step::ToVendor { vendor, damage } => {
            if blank(&vendor.vendor) {
                return Err(StepError::NeedsVendor);
            }
            if blank(&vendor.approver) {
                return Err(StepError::NeedsApprover);
            }
            let Some(sent_on) = vendor.sent_on else {
                return Err(StepError::NeedsSentDate);
            };
            check_damage(ticket, damage, true)?;
            t.vendor = VendorRepair {
                vendor: vendor.vendor.trim().to_owned(),
                approver: vendor.approver.trim().to_owned(),
                sent_on: Some(sent_on),
                returned_on: None,
                reference: vendor.reference.trim().to_owned(),
            };
            if !blank(&damage.part) {
                t.damage = trimmed(damage);
            }
            t.state = State::AtVendor;
        }
        Step::FromVendor { returned_on } => {
            if ticket.vendor.sent_on.is_some_and(|s| *returned_on < s) {
                return Err(StepError::ReturnBeforeSent);
            }
            t.vendor.returned_on = Some(*returned_on);
            t.state = State::InRepair;
        }
        Step::Finish {
            outcome,
            damage,
            returned_on,
        } => {
            if ticket.state == State::AtVendor {
                let Some(back) = returned_on else {
                    return Err(StepError::NeedsReturnDate);
                };
                if ticket.vendor.sent_on.is_some_and(|s| *back < s) {
                    return Err(StepError::ReturnBeforeSent);
                }
                t.vendor.returned_on = Some(*back);
            }
            if blank(&outcome.result) {
                return Err(StepError::NeedsResult);
            }
            if outcome.human_caused && blank(&outcome.liable_person) {
                return Err(StepError::NeedsLiablePerson);
            }
            // A part confirmed when it went to the vendor needs no second confirmation.
            let confirmed = !blank(&ticket.damage.second);
            check_damage(ticket, damage, !blank(&outcome.parts) && !confirmed)?;
            t.outcome = Outcome {
                result: outcome.result.trim().to_owned(),
                parts: outcome.parts.trim().to_owned(),
                cost: outcome.cost.max(0),
                charged_department: outcome.charged_department.trim().to_owned(),
                human_caused: outcome.human_caused,
                liable_person: if outcome.human_caused {
                    outcome.liable_person.trim().to_owned()
                } else {
                    String::new()
                },
            };
            if !blank(&damage.part) {
                t.damage = trimmed(damage);
            }
            t.started_at.get_or_insert(now);
            t.finished_at = Some(now);
            t.state = State::AwaitingConfirmation;
        }
        Step::Confirm { by } => {
            if blank(by) {
                return Err(StepError::NeedsUserName);
            }
            t.confirmed_by = by.trim().to_owned();
            t.confirmed_at = Some(now);
            t.closed_at = Some(now);
            t.state = State::Closed;
        }
        Step::Reject { reason } => {
            if blank(reason) {
                return Err(StepError::NeedsReason);
            }
            t.finished_at = None;
            t.reopened += 1;
            t.state = State::InRepair;
        }
        Step::GiveUp { reason } => {
            if blank(reason) {
                return Err(StepError::NeedsReason);
            }
            t.outcome.result = reason.trim().to_owned();
            t.finished_at = Some(now);
            t.closed_at = Some(now);
            t.state = State::Unrepairable;
        }
    }
    Ok(t)
}

/// Whether a ticket keeps its promised time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Not yet assessed: no promise made.
    NoEstimate,
    /// Open and within its estimate.
    OnTrack,
    /// Open and past its estimate.
    Late,
    /// Repaired by its estimate.
    OnTime,
    /// Repaired after its estimate.
    Overran,
}

impl Timeliness {
    pub fn label_key(self) -> &'static str {
        match self {
            Timeliness::NoEstimate => "timeliness.no_estimate",
            Timeliness::OnTrack => "timeliness.on_track",
            Timeliness::Late => "timeliness.late",
            Timeliness::OnTime => "timeliness.on_time",
            Timeliness::Overran => "timeliness.overran",
        }
    }

    /// On time for reports: `Some(true|false)` once it counts, `None` while it cannot yet.
    pub fn on_time(self) -> Option<bool> {
        match self {
            Timeliness::OnTime => Some(true),
            Timeliness::Late | Timeliness::Overran => Some(false),
            Timeliness::NoEstimate | Timeliness::OnTrack => None,
        }
    }
}

/// A repair is on time when it reached awaiting confirmation (or was found unrepairable) by its
/// estimate. A ticket not yet assessed has made no promise; one past it is late at once.
pub fn timeliness(
    state: State,
    estimate_at: Option<NaiveDateTime>,
    finished_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Timeliness {
    let Some(estimate) = estimate_at else {
        return Timeliness::NoEstimate;
    };
    match finished_at {
        Some(done) if done <= estimate => Timeliness::OnTime,
        Some(_) => Timeliness::Overran,
        None if state.is_final() => Timeliness::OnTime,
        None if now > estimate => Timeliness::Late,
        None => Timeliness::OnTrack,
    }
}

impl Ticket {
    pub fn timeliness(&self, now: NaiveDateTime) -> Timeliness {
        timeliness(self.state, self.estimate_at, self.finished_at, now)
    }
}

/// A time typed in a form: `YYYY-MM-DD HH:MM`, `HH:MM` (today), or from now: `+4h`, `+2d`.
pub fn parse_when(text: &str, now: NaiveDateTime) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix('+') {
        let (n, unit) = rest.split_at(rest.len().checked_sub(1)?);
        let n: i64 = n.trim().parse().ok().filter(|n| (0..=3650).contains(n))?;
        return match unit {
            "h" | "H" => Some(now + chrono::Duration::hours(n)),
            "d" | "D" => Some(now + chrono::Duration::days(n)),
            _ => None,
        };
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(t, format) {
            return Some(at);
        }
    }
    chrono::NaiveTime::parse_from_str(t, "%H:%M")
        .ok()
        .map(|time| now.date().and_time(time))
}

impl Priority {
    /// The estimate a maintainer is offered: how long a fault of this priority usually takes.
    pub fn usual_hours(self) -> i64 {
        match self {
            Priority::Urgent => 4,
            Priority::High => 24,
            Priority::Normal => 48,
            Priority::Low => 120,
        }
    }
}

/// `WX-2026-0001`: the year it was reported and its number in that year.
pub fn ticket_number(year: i32, seq: i64) -> String {
    format!("WX-{year}-{seq:04}")
}

/// The largest amount a ticket takes, in fen (ten million yuan).
const MAX_COST: i64 = 1_000_000_000;

/// A cost typed in yuan: `120`, `120.5`, `120.50`, `1,200.00`; never negative, at most two
/// decimals. Returns fen.
pub fn parse_money(text: &str) -> Option<i64> {
    let t: String = text.trim().chars().filter(|c| *c != ',').collect();
    let t = t.strip_prefix('¥').unwrap_or(&t);
    if t.is_empty() {
        return Some(0);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 || whole.len() > 9 {
        return None;
    }
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    let fen = whole.parse::<i64>().ok()? * 100 + frac;
    (fen <= MAX_COST).then_some(fen)
}

/// Fen as yuan with two decimals: `1200.00`.
pub fn money_text(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// The register status a device should have given its open repairs. `before` is what it was
/// when the repair began: stock and spare devices go back there, everything else into use.
/// Devices the register has already moved on (pending scrapping, scrapped, lost) stay put.
pub fn device_status(current: Status, open: &[State], before: Status) -> Status {
    if matches!(
        current,
        Status::PendingScrap | Status::Scrapped | Status::Lost
    ) {
        return current;
    }
    if open.contains(&State::AtVendor) {
        Status::AtVendor
    } else if !open.is_empty() {
        Status::UnderRepair
    } else if matches!(current, Status::UnderRepair | Status::AtVendor) {
        match before {
            Status::InStock | Status::Spare => before,
            _ => Status::InUse,
        }
    } else {
        current
    }
}

#[cfg(test)]
mod tests;
