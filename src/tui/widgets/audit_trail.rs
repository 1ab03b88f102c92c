//! The audit trail overlay (`L` in a detail view): every change to one record, newest first,
//! with who made it, when, and each value before and after.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use rusqlite::Connection;

use crate::db::audit::{self, Action, Entry};
use crate::domain::record::Field;
use crate::i18n::Lang;
use crate::text::printable;
use crate::tui::theme;

/// Which record's trail to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub table: &'static str,
    pub id: i64,
    /// What the operator knows it by: an asset tag, a ticket, a tool code.
    pub label: String,
}

pub struct AuditTrail {
    title: String,
    lines: Vec<Line<'static>>,
    pub scroll: u16,
}

impl AuditTrail {
    pub fn load(conn: &Connection, target: &Target, lang: Lang) -> AuditTrail {
        let entries = match target.table {
            "devices" => audit::device_trail(conn, target.id),
            table => audit::trail(conn, table, target.id),
        }
        .unwrap_or_default();
        let what = format!(
            "{} {}",
            lang.t(&format!("audit_table.{}", target.table)),
            printable(&target.label)
        );
        AuditTrail {
            title: lang.tf("audit.title", &[("what", &what)]),
            lines: lines(conn, &entries, lang),
            scroll: 0,
        }
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    pub fn scroll_by(&mut self, by: i32) {
        let last = self.lines.len().max(1) as i32 - 1;
        self.scroll = (i32::from(self.scroll) + by).clamp(0, last) as u16;
    }

    /// Drawn over the whole screen body, as the help overlay is.
    pub fn render(&self, frame: &mut Frame, area: Rect) {
        if area.height < 3 {
            return;
        }
        frame.render_widget(Clear, area);
        frame.render_widget(
            Paragraph::new(format!(" {}", self.title)).style(theme::OVERLAY_TITLE),
            Rect { height: 1, ..area },
        );
        let inner = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        let max_scroll = (self.lines.len() as u16).saturating_sub(inner.height);
        frame.render_widget(
            Paragraph::new(self.lines.clone())
                .style(theme::OVERLAY)
                .scroll((self.scroll.min(max_scroll), 0)),
            inner,
        );
    }
}

/// Each entry: when, who and what, then each field before and after in the screen's words.
pub fn lines(conn: &Connection, entries: &[Entry], lang: Lang) -> Vec<Line<'static>> {
    if entries.is_empty() {
        return vec![Line::from(Span::styled(
            format!("  {}", lang.t("audit.empty")),
            theme::HINT,
        ))];
    }
    let mut out = Vec::new();
    for entry in entries {
        let action = lang.t(match entry.action {
            Action::Insert => "audit.created",
            Action::Update => "audit.changed",
            Action::Delete => "audit.removed",
        });
        let mut head = vec![
            Span::styled(format!(" {}  ", entry.when()), theme::SECTION),
            Span::styled(printable(&crate::words::who(entry, lang)), theme::KEY),
            Span::raw(format!("  {action}")),
        ];
        if entry.outside {
            head.push(Span::styled(
                format!("  [{}]", lang.t("audit.outside")),
                theme::BAD,
            ));
        }
        out.push(Line::from(head));
        for change in entry.changes() {
            let column = change.column.as_str();
            let value = |v| value_words(conn, &entry.table, column, v, lang);
            let text = match entry.action {
                Action::Update => format!(
                    "{} -> {}",
                    value(entry.old.get(column)),
                    value(entry.new.get(column))
                ),
                Action::Insert => value(entry.new.get(column)),
                Action::Delete => value(entry.old.get(column)),
            };
            out.push(Line::from(vec![
                Span::styled(
                    format!("     {}: ", column_words(&entry.table, column, lang)),
                    theme::HINT,
                ),
                Span::raw(printable(&text)),
            ]));
        }
    }
    out
}

/// A column in the screen's language where the catalog has a word for it, else its name.
pub fn column_words(table: &str, column: &str, lang: Lang) -> String {
    let field = match table {
        "devices" => Field::ALL
            .iter()
            .find(|f| f.key() == column)
            .map(|f| f.label_key().to_owned()),
        _ => None,
    };
    let known = field.into_iter().chain([
        format!("audit_column.{column}"),
        format!("repair_field.{column}"),
        format!("text_field.{column}"),
        format!("field.{column}"),
    ]);
    for key in known {
        let word = lang.t(&key);
        if word != key {
            return word.to_owned();
        }
    }
    column.to_owned()
}

/// A stored value in words: a key of a known set as the screen's word for it, a device's id
/// as its asset tag; anything else as stored.
fn value_words(
    conn: &Connection,
    table: &str,
    column: &str,
    value: Option<&serde_json::Value>,
    lang: Lang,
) -> String {
    let text = audit::value_text(value);
    let set = match (table, column) {
        ("devices", "status") | ("repairs", "device_status_before") => Some("status_name"),
        ("devices", "category") => Some("category"),
        ("repairs", "state") => Some("repair_state"),
        ("repairs", "priority") => Some("priority"),
        ("repairs", "category") => Some("fault_kind"),
        ("tools", "status") => Some("tool_status"),
        ("tool_loan_items", "condition_back") => Some("tool_condition"),
        ("check_results" | "check_amendments", "outcome") => Some("outcome"),
        _ => None,
    };
    if let Some(set) = set {
        let key = format!("{set}.{text}");
        let word = lang.t(&key);
        if word != key {
            return word.to_owned();
        }
    }
    if matches!(
        column,
        "under_warranty"
            | "human_caused"
            | "reopened"
            | "is_open"
            | "ups_protected"
            | "external"
            | "is_centre"
            | "repair_wanted"
    ) && let Some(flag) = value.and_then(serde_json::Value::as_i64)
    {
        return lang
            .t(if flag == 0 { "answer.no" } else { "answer.yes" })
            .to_owned();
    }
    // An id is shown by the name it stands for; one gone (or unreadable) as the id it is.
    if column == "kind_id"
        && let Some(id) = value.and_then(serde_json::Value::as_i64)
        && let Ok(Some(kind)) = crate::db::tools::kind_name(conn, id)
    {
        return kind;
    }
    if column == "device_id"
        && let Some(id) = value.and_then(serde_json::Value::as_i64)
        && let Ok(Some(tag)) = crate::db::devices::tag_of(conn, id)
    {
        return tag;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    /// Every column an operator can see change in a trail has a word in both languages.
    #[test]
    fn every_column_of_a_trail_has_a_word() {
        let db = Db::open_in_memory().unwrap();
        let mut raw = Vec::new();
        // Every table the audit log browser can show.
        let tables = audit::audited_tables(db.conn()).unwrap();
        for table in tables.iter().map(String::as_str) {
            let columns: Vec<String> = db
                .conn()
                .prepare(&format!("SELECT name FROM pragma_table_xinfo('{table}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for column in columns {
                if audit::OWN_COLUMNS.contains(&column.as_str()) || column == "search_text" {
                    continue;
                }
                for lang in [Lang::En, Lang::Zh] {
                    if column_words(table, &column, lang) == column {
                        raw.push(format!("{table}.{column} ({lang:?})"));
                    }
                }
            }
        }
        assert!(raw.is_empty(), "no word for: {raw:?}");
    }

    #[test]
    fn flags_kinds_and_statuses_read_as_words() {
        let db = Db::open_in_memory().unwrap();
        let conn = db.conn();
        let json = |v: serde_json::Value| Some(v);
        let said = |table, column, v: serde_json::Value| {
            value_words(conn, table, column, json(v).as_ref(), Lang::Zh)
        };
        assert_eq!(said("repairs", "human_caused", 1.into()), "是");
        assert_eq!(said("repairs", "under_warranty", 0.into()), "否");
        assert_eq!(
            said("repairs", "device_status_before", "under_repair".into()),
            Lang::Zh.t("status_name.under_repair")
        );
        let kind: i64 = conn
            .query_row("SELECT id FROM tool_kinds ORDER BY id LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap_or_else(|_| {
                conn.execute(
                    "INSERT INTO tool_kinds (name, created_at, created_by, updated_at, updated_by)
                     VALUES ('万用表', '2026-12-03', 't', '2026-12-03', 't')",
                    [],
                )
                .unwrap();
                conn.last_insert_rowid()
            });
        let name: String = conn
            .query_row("SELECT name FROM tool_kinds WHERE id = ?1", [kind], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(said("tools", "kind_id", kind.into()), name);
    }
}
