//! A history-book entry's reason as stored and as read: a repair step is kept as
//! `repair:<ticket>:<state>`, a scrapping reason the regulations name by its key, anything else
//! as the operator wrote it; each line of a reason reads in the screen's language.

use super::device::ScrapReason;
use super::repair::State;
use crate::i18n::Lang;

const REPAIR: &str = "repair:";

/// How a repair step is kept in the device's history book.
pub fn repair_stored(ticket: &str, state: State) -> String {
    format!("{REPAIR}{ticket}:{}", state.key())
}

/// How a scrapping reason is kept in the history book.
pub fn scrap_stored(reason: &ScrapReason) -> String {
    match reason {
        ScrapReason::BeyondRepair => "scrap:beyond_repair".to_owned(),
        ScrapReason::RepairCostsTooMuch => "scrap:repair_cost".to_owned(),
        ScrapReason::Other(text) => text.trim().to_owned(),
    }
}

/// One stored line as the operator reads it.
fn line_text(stored: &str, lang: Lang) -> String {
    if let Some((ticket, state)) = stored
        .strip_prefix(REPAIR)
        .and_then(|rest| rest.rsplit_once(':'))
        .and_then(|(ticket, state)| Some((ticket, State::parse(state)?)))
    {
        return format!("{ticket} {}", lang.t(state.label_key()));
    }
    match stored {
        "scrap:beyond_repair" => lang.t("scrap.beyond_repair").to_owned(),
        "scrap:repair_cost" => lang.t("scrap.repair_cost").to_owned(),
        other => other.to_owned(),
    }
}

/// An entry's stored reason as the operator reads it: repair steps and scrapping reasons in
/// words, one line after another joined with `; `.
pub fn reason_text(stored: &str, lang: Lang) -> String {
    stored
        .lines()
        .map(|l| line_text(l, lang))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_reasons_read_in_words_and_the_operators_text_as_written() {
        let stored = format!(
            "{}\n{}\n换主板",
            repair_stored("WX-2026-0007", State::InRepair),
            scrap_stored(&ScrapReason::BeyondRepair)
        );
        let en = reason_text(&stored, Lang::En);
        assert!(en.starts_with("WX-2026-0007 "), "{en}");
        assert!(en.ends_with("; 换主板"), "{en}");
        assert!(!en.contains("repair:") && !en.contains("scrap:"), "{en}");
        let zh = reason_text(&stored, Lang::Zh);
        assert_ne!(zh, en);
        assert_eq!(reason_text("repair:broken", Lang::En), "repair:broken");
    }
}
