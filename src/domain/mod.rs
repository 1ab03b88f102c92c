//! Pure rules and types: no I/O, no clock. Callers pass today's date in.

pub mod account;
pub mod calendar;
pub mod checklist;
pub mod device;
pub mod duty;
pub mod history;
pub mod month;
pub mod net;
pub mod period;
pub mod permission;
pub mod reading;
pub mod record;
pub mod repair;
pub mod role;
pub mod schedule;
pub mod subnet;
pub mod template_file;
pub mod text;
pub mod tool;
