//! The two UI languages and the one catalog (`assets/i18n.toml`) every user-facing string comes from.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::{LazyLock, OnceLock};

use serde::Deserialize;

const CATALOG_TOML: &str = include_str!("../assets/i18n.toml");

/// The interface language. English is the fallback when nothing says otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// Language from locale variables: the first non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// decides, as POSIX does; `zh*` means Chinese, anything else English.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| var(name))
            .find(|value| !value.is_empty())
            .map(|value| {
                if value.to_ascii_lowercase().starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                }
            })
    }

    /// The text for `key`. A key missing from the catalog shows as itself (a test keeps the
    /// source and the catalog in step, so this never reaches an operator).
    pub fn t(self, key: &str) -> &str {
        match CATALOG.get(key) {
            Some(entry) => match self {
                Lang::En => &entry.en,
                Lang::Zh => &entry.zh,
            },
            None => key,
        }
    }

    /// A stored value in this language. `choices` pairs each stored key with its catalog key:
    /// a key shows as its word, and so does its word in either language (what rows written
    /// before keys were stored hold); anything else is the operator's own text, shown as is.
    pub fn stored_word<'a>(self, stored: &'a str, choices: &[(&str, &str)]) -> Cow<'a, str> {
        named(stored, choices).map_or(Cow::Borrowed(stored), |(_, label)| {
            Cow::Owned(self.t(label).to_owned())
        })
    }

    /// The stored key of `choices` a value names, by its key or its word in either language.
    pub fn key_of(text: &str, choices: &[(&'static str, &str)]) -> Option<&'static str> {
        named(text, choices).map(|(key, _)| *key)
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn tf(self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        let one = args
            .iter()
            .any(|(name, value)| *name == "count" && value.to_string() == "1");
        let singular = match (self, CATALOG.get(key)) {
            (Lang::En, Some(entry)) if one => entry.en_one.as_deref(),
            _ => None,
        };
        let mut text = singular.unwrap_or_else(|| self.t(key)).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), &value.to_string());
        }
        text
    }
}

/// The choice (stored key, catalog key) `text` names, by its key or its word in either language.
fn named<'c, K: AsRef<str>>(text: &str, choices: &'c [(K, &str)]) -> Option<&'c (K, &'c str)> {
    let text = text.trim();
    choices
        .iter()
        .find(|(key, label)| key.as_ref() == text || Lang::ALL.iter().any(|l| l.t(label) == text))
}

#[derive(Debug, Deserialize)]
struct Entry {
    en: String,
    zh: String,
    /// English for a `{count}` of exactly 1, where the plural would read wrong ("1 tools").
    en_one: Option<String>,
}

/// Flattened catalog: `"tab.checks"` → both texts.
static CATALOG: LazyLock<HashMap<String, Entry>> = LazyLock::new(|| {
    // The catalog is compiled in and checked by tests; a parse failure is a build defect.
    let table: toml::Table = toml::from_str(CATALOG_TOML).expect("assets/i18n.toml is valid TOML");
    let mut map = HashMap::new();
    flatten("", &table, &mut map);
    map
});

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, Entry>) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let Some(inner) = value.as_table() else {
            continue;
        };
        if inner.contains_key("en") || inner.contains_key("zh") {
            let text = |lang: &str| {
                inner
                    .get(lang)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            out.insert(
                key.clone(),
                Entry {
                    en: text("en"),
                    zh: text("zh"),
                    en_one: inner
                        .get("en_one")
                        .and_then(|v| v.as_str())
                        .map(str::to_owned),
                },
            );
        }
        flatten(&key, inner, out);
    }
}

/// Every key in the catalog (for tests and tooling).
pub fn keys() -> impl Iterator<Item = &'static str> {
    CATALOG.keys().map(String::as_str)
}

/// The language command-line help is printed in. It must be known before clap parses the
/// arguments, so `main` sets it from a quick look at argv, the config file and the locale.
static CLI_LANG: OnceLock<Lang> = OnceLock::new();

pub fn set_cli_lang(lang: Lang) {
    let _ = CLI_LANG.set(lang);
}

/// Catalog text in the command-line language, for clap's help strings.
pub fn cli(key: &'static str) -> &'static str {
    CLI_LANG.get().copied().unwrap_or_default().t(key)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_entry_has_both_languages_and_the_same_placeholders() {
        assert!(
            CATALOG.len() > 50,
            "catalog looks truncated: {} keys",
            CATALOG.len()
        );
        for (key, entry) in CATALOG.iter() {
            assert!(!entry.en.trim().is_empty(), "{key}: English text missing");
            assert!(!entry.zh.trim().is_empty(), "{key}: Chinese text missing");
            assert_eq!(
                placeholders(&entry.en),
                placeholders(&entry.zh),
                "{key}: placeholders differ"
            );
            if let Some(one) = &entry.en_one {
                assert_eq!(placeholders(one), placeholders(&entry.en), "{key}: en_one");
            }
            assert!(
                entry.en_one.is_none() || entry.en.contains("{count}"),
                "{key}: en_one needs a count"
            );
        }
    }

    #[test]
    fn every_key_the_source_uses_is_in_the_catalog() {
        let mut missing = Vec::new();
        let mut used = 0;
        for path in rust_files(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))) {
            let source = std::fs::read_to_string(&path).unwrap();
            for call in [".t(\"", ".tf(\"", "cli(\""] {
                for piece in source.split(call).skip(1) {
                    let key = piece.split('"').next().unwrap();
                    used += 1;
                    if !CATALOG.contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(
            used > 30,
            "found only {used} catalog lookups; is the scan broken?"
        );
        assert!(
            missing.is_empty(),
            "keys missing from assets/i18n.toml:\n{}",
            missing.join("\n")
        );
    }

    /// Catalog keys also hide in key tables and `label_key` functions, and in calls split over
    /// lines: any string literal shaped like `section.name` of a catalog section must exist.
    #[test]
    fn every_key_shaped_literal_is_in_the_catalog() {
        let sections: std::collections::HashSet<&str> =
            CATALOG.keys().filter_map(|k| k.split('.').next()).collect();
        let shaped = |s: &str| {
            let mut parts = s.split('.');
            let first = parts.next().unwrap_or("");
            let ident = |p: &str| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            };
            sections.contains(first) && s.contains('.') && s.split('.').all(ident)
        };
        let mut missing = Vec::new();
        let mut seen = 0;
        for path in rust_files(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))) {
            let source = std::fs::read_to_string(&path).unwrap();
            for literal in source.split('"').skip(1).step_by(2) {
                if shaped(literal) {
                    seen += 1;
                    if !CATALOG.contains_key(literal) {
                        missing.push(format!("{}: {literal}", path.display()));
                    }
                }
            }
        }
        assert!(seen > 100, "found only {seen} keys; is the scan broken?");
        assert!(
            missing.is_empty(),
            "keys missing from assets/i18n.toml:\n{}",
            missing.join("\n")
        );
    }

    pub(crate) fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
        files
    }

    #[test]
    fn one_of_a_thing_reads_as_one() {
        let one: [(&str, &dyn Display); 1] = [("count", &1)];
        let two: [(&str, &dyn Display); 1] = [("count", &2)];
        assert_eq!(Lang::En.tf("tools.count", &one), "1 tool");
        assert_eq!(Lang::En.tf("tools.count", &two), "2 tools");
        assert_eq!(Lang::Zh.tf("tools.count", &one), "共 1 件工具");
    }

    #[test]
    fn formats_placeholders_in_either_language() {
        let args: [(&str, &dyn Display); 2] = [("need", &"60x16"), ("have", &"40x10")];
        assert_eq!(
            Lang::En.tf("screen.too_small", &args),
            "terminal too small (need 60x16, have 40x10): make the window bigger; q quits"
        );
        assert_eq!(
            Lang::Zh.tf("screen.too_small", &args),
            "终端窗口太小（至少 60x16，当前 40x10）：请放大窗口；按 q 退出"
        );
    }

    #[test]
    fn locale_picks_chinese_only_for_zh() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "zh_CN.UTF-8")])),
            Some(Lang::Zh)
        );
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "en_US.UTF-8")])),
            Some(Lang::En)
        );
        // LC_ALL overrides LANG; an empty LC_ALL does not count.
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", "C"), ("LANG", "zh_CN")])),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", ""), ("LANG", "zh_TW")])),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_locale(env(&[])), None);
    }
}
