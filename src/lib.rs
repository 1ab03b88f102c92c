//! jifang: the machine-room console. `main.rs` is a thin shell over these modules.

pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod exchange;
pub mod i18n;
pub mod text;
pub mod tui;
pub mod words;
