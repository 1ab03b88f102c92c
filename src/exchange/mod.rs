//! Moving data in and out as files operators open in Excel and WPS.

pub mod csv_text;
pub mod devices;
