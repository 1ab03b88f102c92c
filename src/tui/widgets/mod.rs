//! The shell's own widgets: tab bar, footer hints, status bar, help overlay.

pub mod footer;
pub mod help;
pub mod status_bar;
pub mod tab_bar;
