//! Widgets the screens share: tab bar, footer hints, status bar, help overlay, text input,
//! pick lists, forms, table columns and text wrapped to a width.

pub mod approval;
pub mod audit_trail;
pub mod columns;
pub mod footer;
pub mod form;
pub mod help;
pub mod input;
pub mod paged;
pub mod picker;
pub mod prompt;
pub mod scrolled;
pub mod status_bar;
pub mod tab_bar;
pub mod wrap;
