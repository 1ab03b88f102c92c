//! What a key press asks for. Handlers only describe effects; `App::apply` carries them out.

use super::tabs::Tab;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The key was taken and nothing more needs doing.
    Noop,
    Quit,
    SwitchTab(Tab),
    NextTab,
    PrevTab,
    OpenHelp,
    /// Close the help or the audit log.
    CloseOverlay,
    ScrollHelp(i32),
    Flash(Flash),
    /// Go to another tab and start something there.
    Open(Intent),
    /// Several actions, in order.
    Many(Vec<Action>),
    /// Undo the operator's own last change made since the program started.
    Undo,
    /// Show one record's audit trail over the screen.
    ShowAudit(crate::tui::widgets::audit_trail::Target),
    /// Show the whole audit log over the screen.
    ShowLog,
}

/// Work one screen hands to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Open the repair report form, filled in from where the fault was found.
    ReportRepair(RepairDraft),
    /// Show one repair ticket.
    ShowRepair(i64),
    /// Show the repairs of one device.
    RepairsOfDevice { id: i64, tag: String },
}

/// What the repair report form starts with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairDraft {
    /// An asset tag, or text naming unregistered equipment.
    pub device: String,
    pub description: String,
    /// Who reports it: the operator for a failed check item, the device's owner for a device.
    pub reporter: String,
    /// The department the fault is in, where the device says so.
    pub department: String,
    pub check_result_id: Option<i64>,
    /// The tab to go back to once the report is saved or cancelled.
    pub back_to: Option<Tab>,
}

/// A one-line message in the status bar: the result of an action, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub is_error: bool,
}

impl Flash {
    pub fn info(text: impl Into<String>) -> Flash {
        Flash {
            text: text.into(),
            is_error: false,
        }
    }

    pub fn error(text: impl Into<String>) -> Flash {
        Flash {
            text: text.into(),
            is_error: true,
        }
    }
}
