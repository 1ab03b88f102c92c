//! Key tables of the Checks tab, one per view and step.

use crate::tui::keys::KeyHint;

pub const OVERVIEW: &[KeyHint] = &[
    KeyHint::new("j/k", "key.move", false),
    KeyHint::new("Enter", "key.open_run", true),
    KeyHint::new("t", "key.templates", true),
    KeyHint::new("h", "key.past_runs", true),
    KeyHint::new("c", "key.work_calendar", true),
];

pub const RUN: &[KeyHint] = &[
    KeyHint::new("Space", "key.pass_next", true),
    KeyHint::new("f", "key.fail", true),
    KeyHint::new("n", "key.not_applicable", true),
    KeyHint::new("0-9", "key.type_reading", false),
    KeyHint::new("A", "key.pass_all", true),
    KeyHint::new("r", "key.repair_item", false),
    KeyHint::new("w", "key.run_log", false),
    KeyHint::new("s", "key.sign", true),
    KeyHint::new("[ / ]", "key.previous_next_period", false),
    KeyHint::new("j/k g/G", "key.move", false),
    KeyHint::new("Esc", "key.back", true),
];

pub const SIGNED: &[KeyHint] = &[
    KeyHint::new("e", "key.amend", true),
    KeyHint::new("w", "key.amend_log", true),
    KeyHint::new("r", "key.repair_item", false),
    KeyHint::new("[ / ]", "key.previous_next_period", true),
    KeyHint::new("j/k g/G", "key.move", false),
    KeyHint::new("Esc", "key.back", true),
];

pub const READ_ONLY: &[KeyHint] = &[
    KeyHint::new("j/k g/G", "key.move", true),
    KeyHint::new("[ / ]", "key.previous_next_period", true),
    KeyHint::new("Esc", "key.back", true),
];

pub const PAST: &[KeyHint] = &[
    KeyHint::new("j/k PgUp/PgDn g/G", "key.move", false),
    KeyHint::new("Enter", "key.open_past_run", true),
    KeyHint::new("E", "key.export_list", false),
    KeyHint::new("Esc", "key.back", true),
];

pub const PROMPT: &[KeyHint] = &[
    KeyHint::new("Enter", "key.save", true),
    KeyHint::new("Esc", "key.cancel", true),
];

pub const ANSWER_KEY: &[KeyHint] = &[KeyHint::new("Esc", "key.cancel", true)];

pub const PICK: &[KeyHint] = &[
    KeyHint::new("Up/Down", "key.move", false),
    KeyHint::new("Enter", "key.choose", true),
    KeyHint::new("Esc", "key.cancel", true),
];

pub const TEMPLATES: &[KeyHint] = &[
    KeyHint::new("[ / ]", "key.switch_template", true),
    KeyHint::new("a", "key.add_item", true),
    KeyHint::new("e", "key.edit_item", true),
    KeyHint::new("K / J", "key.move_item", true),
    KeyHint::new("x", "key.retire_item", true),
    KeyHint::new("N", "key.new_template", false),
    KeyHint::new("X", "key.retire_template", false),
    KeyHint::new("Esc", "key.back", true),
];

pub const FORM: &[KeyHint] = &[
    KeyHint::new("Tab / Shift-Tab", "key.next_field", true),
    KeyHint::new("Ctrl-P", "key.pick", false),
    KeyHint::new("Ctrl-S", "key.save", true),
    KeyHint::new("Esc", "key.cancel", true),
];
