//! The duty (值班): the kinds of entry in the work log.

/// What a work-log entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogKind {
    /// Work done (004 "认真填写工作日志").
    Work,
    /// A fault seen or reported.
    Fault,
    /// A visit or a use of the room (003 "計算機室使用記錄").
    Visit,
    /// A parameter set or changed (001 "登记参数设置和调整记录").
    Parameter,
    /// A call taken or made.
    Call,
    Other,
}

impl LogKind {
    pub const ALL: [LogKind; 6] = [
        LogKind::Work,
        LogKind::Fault,
        LogKind::Visit,
        LogKind::Parameter,
        LogKind::Call,
        LogKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LogKind::Work => "work",
            LogKind::Fault => "fault",
            LogKind::Visit => "visit",
            LogKind::Parameter => "parameter",
            LogKind::Call => "call",
            LogKind::Other => "other",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            LogKind::Work => "log_kind.work",
            LogKind::Fault => "log_kind.fault",
            LogKind::Visit => "log_kind.visit",
            LogKind::Parameter => "log_kind.parameter",
            LogKind::Call => "log_kind.call",
            LogKind::Other => "log_kind.other",
        }
    }

    /// By key, or by the Chinese word an operator or a script would write.
    pub fn parse(text: &str) -> Option<LogKind> {
        match text.trim().to_lowercase().as_str() {
            "work" | "工作" => Some(LogKind::Work),
            "fault" | "故障" | "告警" => Some(LogKind::Fault),
            "visit" | "来访" | "机房使用" | "使用" => Some(LogKind::Visit),
            "parameter" | "参数" | "参数调整" => Some(LogKind::Parameter),
            "call" | "电话" => Some(LogKind::Call),
            "other" | "其他" => Some(LogKind::Other),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_by_key_and_by_chinese_word() {
        for kind in LogKind::ALL {
            assert_eq!(LogKind::parse(kind.key()), Some(kind));
        }
        assert_eq!(LogKind::parse("参数调整"), Some(LogKind::Parameter));
        assert_eq!(LogKind::parse(" Fault "), Some(LogKind::Fault));
        assert_eq!(LogKind::parse("backup"), None);
    }
}
