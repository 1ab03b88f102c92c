//! The operator's words for what `db/` returns (its refusals, failures and links), in either
//! language: made here, at the edge, for the screens, the command line and the files alike;
//! `db/` itself returns data and typed errors only.

mod accounts;
mod backup;
mod check_runs;
mod checklists;
mod db;
mod devices;
mod directory;
mod duty;
mod readings;
mod repairs;
mod tools;
mod undo;

pub use accounts::{evidence_words, needed_roles_words, password_problem, refusal, roles_words};
pub use check_runs::{due_time, schedule_text, timing_text};
pub use db::failure_message;
pub use devices::transition_message;
pub use tools::unavailable_text;
pub use undo::{record_words, who, who_short};

#[cfg(test)]
mod tests {
    /// `db/` returns data and typed errors: no text in the operator's language is made there.
    #[test]
    fn no_words_are_made_in_db() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/db"));
        let mut found = Vec::new();
        // Spelt in two pieces, so that the catalog test does not take them for keys.
        let needles = [concat!("lang.", "t("), concat!("lang.", "tf(")];
        for path in crate::i18n::tests::rust_files(dir) {
            let name = path.display().to_string();
            if name.ends_with("tests.rs") || name.contains("/tests/") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (n, line) in source.lines().enumerate() {
                if needles.iter().any(|n| line.contains(n)) {
                    found.push(format!("{name}:{}: {}", n + 1, line.trim()));
                }
            }
        }
        assert!(found.is_empty(), "words made in db/: {found:#?}");
    }
}
