//! Who may take which action: the actions that write, and the roles the regulations give each
//! by default (seed digest §8). An admin may change the table; an admin may take every action.

use super::role::{Role, Roles};

/// An action that writes. Reading needs no permission: the file's own permissions guard it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Deed {
    /// Open, answer, log and sign checklist runs; ask for repairs from failed items.
    WorkChecks,
    /// Enter daily figures.
    EnterReadings,
    /// Report a fault.
    ReportFault,
    /// Take a repair's steps and amend a closed ticket.
    WorkRepairs,
    /// Lend tools, take them back and settle what was lost.
    LendTools,
    /// Keep the tool inventory.
    KeepTools,
    /// Keep the register: add, edit, transfer, scrap and import devices.
    KeepDevices,
    /// Write a line by hand into a device's history book (maintenance, use, degradation).
    WriteHistory,
    /// Write in the duty's work log (004 "认真填写工作日志").
    WriteDutyLog,
    /// Keep checklist templates and their items.
    KeepTemplates,
    /// Retire a whole checklist template.
    RetireTemplates,
    /// Keep the metrics of the daily data.
    KeepMetrics,
    /// Keep the directory: people, departments, the information centre.
    KeepPeople,
    /// Add accounts, set roles, reset passwords, lock and unlock; change this table.
    ManageAccounts,
    /// Restore a backup, repair the audit triggers, fill a database with the demo.
    Restore,
    /// Undo one's own last change.
    Undo,
    /// Approve a transfer slip (004: 副总经理).
    ApproveTransfer,
    /// Approve equipment leaving the centre on loan (000: 主任).
    ApproveLending,
    /// Approve scrapping (004: 部门经理).
    ApproveScrapping,
    /// Approve another department's tool loan (001: 公司主管领导).
    ApproveOutsideLoan,
    /// Approve an outside repair (001: 公司主管领导).
    ApproveVendorRepair,
}

impl Deed {
    pub const ALL: [Deed; 21] = [
        Deed::WorkChecks,
        Deed::EnterReadings,
        Deed::ReportFault,
        Deed::WorkRepairs,
        Deed::LendTools,
        Deed::KeepTools,
        Deed::KeepDevices,
        Deed::WriteHistory,
        Deed::WriteDutyLog,
        Deed::KeepTemplates,
        Deed::RetireTemplates,
        Deed::KeepMetrics,
        Deed::KeepPeople,
        Deed::ManageAccounts,
        Deed::Restore,
        Deed::Undo,
        Deed::ApproveTransfer,
        Deed::ApproveLending,
        Deed::ApproveScrapping,
        Deed::ApproveOutsideLoan,
        Deed::ApproveVendorRepair,
    ];

    /// The stored key, the same in every language.
    pub fn key(self) -> &'static str {
        match self {
            Deed::WorkChecks => "work_checks",
            Deed::EnterReadings => "enter_readings",
            Deed::ReportFault => "report_fault",
            Deed::WorkRepairs => "work_repairs",
            Deed::LendTools => "lend_tools",
            Deed::KeepTools => "keep_tools",
            Deed::KeepDevices => "keep_devices",
            Deed::WriteHistory => "write_history",
            Deed::WriteDutyLog => "write_duty_log",
            Deed::KeepTemplates => "keep_templates",
            Deed::RetireTemplates => "retire_templates",
            Deed::KeepMetrics => "keep_metrics",
            Deed::KeepPeople => "keep_people",
            Deed::ManageAccounts => "manage_accounts",
            Deed::Restore => "restore",
            Deed::Undo => "undo",
            Deed::ApproveTransfer => "approve_transfer",
            Deed::ApproveLending => "approve_lending",
            Deed::ApproveScrapping => "approve_scrapping",
            Deed::ApproveOutsideLoan => "approve_outside_loan",
            Deed::ApproveVendorRepair => "approve_vendor_repair",
        }
    }

    /// An approval: given by the roles the table names, admins not excepted (an admin keeps
    /// the system, not the centre's budget or its equipment).
    pub fn is_approval(self) -> bool {
        matches!(
            self,
            Deed::ApproveTransfer
                | Deed::ApproveLending
                | Deed::ApproveScrapping
                | Deed::ApproveOutsideLoan
                | Deed::ApproveVendorRepair
        )
    }

    pub fn parse(key: &str) -> Option<Deed> {
        Deed::ALL.into_iter().find(|d| d.key() == key.trim())
    }

    /// Catalog key of the action's name.
    pub fn label_key(self) -> String {
        format!("deed.{}", self.key())
    }

    /// The roles that may take it unless an admin said otherwise (admin always may).
    pub fn default_roles(self) -> Roles {
        use Role::*;
        Roles::new(match self {
            Deed::WorkChecks => vec![Duty, Maintainer, NetworkAdmin],
            Deed::EnterReadings => vec![Duty, NetworkAdmin],
            Deed::ReportFault => vec![Duty, Maintainer, NetworkAdmin],
            Deed::WorkRepairs => vec![Maintainer],
            Deed::LendTools => vec![Duty, Maintainer],
            Deed::KeepTools => vec![Maintainer, NetworkAdmin],
            Deed::KeepDevices => vec![NetworkAdmin],
            Deed::WriteHistory => vec![Duty, Maintainer, NetworkAdmin],
            Deed::WriteDutyLog => vec![Duty, Maintainer, NetworkAdmin],
            Deed::KeepTemplates => vec![NetworkAdmin],
            Deed::RetireTemplates => vec![],
            Deed::KeepMetrics => vec![NetworkAdmin],
            Deed::KeepPeople => vec![],
            Deed::ManageAccounts => vec![],
            Deed::Restore => vec![],
            Deed::Undo => vec![Duty, Maintainer, NetworkAdmin],
            Deed::ApproveTransfer => vec![Deputy],
            Deed::ApproveLending => vec![Director],
            Deed::ApproveScrapping => vec![DepartmentHead],
            Deed::ApproveOutsideLoan => vec![Supervisor],
            Deed::ApproveVendorRepair => vec![Supervisor],
        })
    }
}

/// The permission table: each action's roles, the defaults with an admin's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table(Vec<(Deed, Roles)>);

impl Default for Table {
    fn default() -> Table {
        Table(Deed::ALL.map(|d| (d, d.default_roles())).to_vec())
    }
}

impl Table {
    /// The defaults, with each `(deed key, role keys)` an admin stored instead; a key this
    /// program does not know is passed over.
    pub fn with_changes<'a>(changes: impl IntoIterator<Item = (&'a str, &'a str)>) -> Table {
        let mut table = Table::default();
        for (deed, roles) in changes {
            if let Some(deed) = Deed::parse(deed) {
                table.set(deed, Roles::from_keys(roles));
            }
        }
        table
    }

    pub fn set(&mut self, deed: Deed, roles: Roles) {
        if let Some(entry) = self.0.iter_mut().find(|(d, _)| *d == deed) {
            entry.1 = roles;
        }
    }

    /// The roles that may take `deed`, admin not counted.
    pub fn roles(&self, deed: Deed) -> Roles {
        self.0
            .iter()
            .find(|(d, _)| *d == deed)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    }

    /// Whether someone holding `held` may take `deed`: an admin any action but an approval.
    pub fn allows(&self, held: &Roles, deed: Deed) -> bool {
        (!deed.is_approval() && held.iter().any(|r| r == Role::Admin)) || self.approves(held, deed)
    }

    /// Whether `held` holds one of the roles the table names for `deed` (admin not counted).
    pub fn approves(&self, held: &Roles, deed: Deed) -> bool {
        held.iter()
            .any(|r| self.roles(deed).iter().any(|needed| needed == r))
    }

    pub fn iter(&self) -> impl Iterator<Item = &(Deed, Roles)> {
        self.0.iter()
    }
}

/// An action refused: who may take it instead. Carried to the screen that asked as the error of
/// its save.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{deed:?} needs one of the roles {roles:?}")]
pub struct NotPermitted {
    pub deed: Deed,
    /// The roles that may (admins always may).
    pub roles: Roles,
}

impl NotPermitted {
    /// As the error of a database write, which every save already reports.
    pub fn into_db_error(self) -> rusqlite::Error {
        rusqlite::Error::UserFunctionError(Box::new(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Roles {
        Roles::parse(text).unwrap()
    }

    #[test]
    fn the_defaults_follow_the_regulations() {
        let table = Table::default();
        assert!(table.allows(&roles("duty"), Deed::WorkChecks));
        assert!(table.allows(&roles("duty"), Deed::LendTools));
        assert!(!table.allows(&roles("duty"), Deed::KeepDevices));
        assert!(table.allows(&roles("network_admin"), Deed::KeepDevices));
        assert!(table.allows(&roles("maintainer"), Deed::WorkRepairs));
        assert!(!table.allows(&roles("viewer"), Deed::ReportFault));
        assert!(!table.allows(&roles("director deputy"), Deed::KeepDevices));
        assert!(!table.allows(&roles("network_admin"), Deed::ManageAccounts));
        assert!(table.allows(&roles("deputy"), Deed::ApproveTransfer));
        assert!(
            !table.allows(&roles("admin"), Deed::ApproveTransfer),
            "admins keep the system"
        );
        assert!(table.allows(&roles("department_head"), Deed::ApproveScrapping));
        assert!(table.allows(&roles("supervisor"), Deed::ApproveOutsideLoan));
        for deed in Deed::ALL.into_iter().filter(|d| !d.is_approval()) {
            assert!(table.allows(&roles("admin"), deed), "{deed:?}");
            assert!(!table.allows(&roles("viewer"), deed), "{deed:?}");
            assert!(!table.allows(&Roles::default(), deed), "{deed:?}");
        }
    }

    #[test]
    fn an_admins_change_replaces_the_default_and_unknown_keys_are_passed_over() {
        let table = Table::with_changes([("keep_devices", "duty"), ("fly", "duty")]);
        assert!(table.allows(&roles("duty"), Deed::KeepDevices));
        assert!(!table.allows(&roles("network_admin"), Deed::KeepDevices));
        assert_eq!(
            table.roles(Deed::WorkChecks),
            Deed::WorkChecks.default_roles()
        );
    }

    #[test]
    fn every_deed_has_a_unique_key_that_reads_back() {
        for deed in Deed::ALL {
            assert_eq!(Deed::parse(deed.key()), Some(deed));
        }
    }
}
