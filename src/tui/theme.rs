//! Colours and text styles. Only the 16 basic colours: consoles and SSH clients all have them.

use ratatui::style::{Color, Modifier, Style};

pub const BAR: Style = Style::new().fg(Color::White).bg(Color::Blue);
pub const TAB_ACTIVE: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Cyan)
    .add_modifier(Modifier::BOLD);
pub const TAB_NUMBER: Style = Style::new().fg(Color::Yellow).bg(Color::Blue);
pub const BRAND: Style = Style::new()
    .fg(Color::Cyan)
    .bg(Color::Blue)
    .add_modifier(Modifier::BOLD);
pub const KEY: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const HINT: Style = Style::new().fg(Color::Gray);
pub const STATUS: Style = Style::new().fg(Color::White).bg(Color::DarkGray);
pub const STATUS_STRONG: Style = Style::new()
    .fg(Color::White)
    .bg(Color::DarkGray)
    .add_modifier(Modifier::BOLD);
pub const ERROR: Style = Style::new()
    .fg(Color::White)
    .bg(Color::Red)
    .add_modifier(Modifier::BOLD);
pub const INFO: Style = Style::new().fg(Color::Black).bg(Color::Green);
pub const TITLE: Style = Style::new().add_modifier(Modifier::BOLD);
pub const NOTICE: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const OVERLAY: Style = Style::new().fg(Color::White).bg(Color::Black);
pub const OVERLAY_TITLE: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Cyan)
    .add_modifier(Modifier::BOLD);
pub const SECTION: Style = Style::new()
    .fg(Color::Yellow)
    .bg(Color::Black)
    .add_modifier(Modifier::BOLD);
pub const SELECTED: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
pub const HEADER: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const FIELD_ERROR: Style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
pub const WARN: Style = Style::new().fg(Color::Yellow);
pub const BAD: Style = Style::new().fg(Color::Red);
pub const MUTED: Style = Style::new().fg(Color::DarkGray);
pub const INPUT: Style = Style::new().add_modifier(Modifier::UNDERLINED);
pub const GOOD: Style = Style::new().fg(Color::Green);
pub const GROUP: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
