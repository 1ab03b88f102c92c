//! Pure rules and types: no I/O, no clock. Callers pass today's date in.

pub mod calendar;
pub mod device;
pub mod net;
pub mod record;
pub mod subnet;
