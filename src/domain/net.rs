//! IP and MAC addresses as the register stores them: validated, and MACs in one canonical form.

use std::net::IpAddr;

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    Ip(String),
    Mac(String),
}

impl AddressError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AddressError::Ip(v) => lang.tf("address.bad_ip", &[("value", v)]),
            AddressError::Mac(v) => lang.tf("address.bad_mac", &[("value", v)]),
        }
    }
}

impl std::fmt::Display for AddressError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for AddressError {}

/// Parse an IPv4 or IPv6 address, trimmed. IPv4 parts with leading zeros (`010.1.1.1`) are
/// refused: some tools read them as octal, so their meaning is not certain.
pub fn parse_ip(text: &str) -> Result<IpAddr, AddressError> {
    text.trim()
        .parse::<IpAddr>()
        .map_err(|_| AddressError::Ip(text.trim().to_owned()))
}

/// Normalise a MAC address to `AA:BB:CC:DD:EE:FF`, whatever separators were typed: colons,
/// hyphens (Windows `ipconfig`), dots in groups of four (Cisco), or none.
pub fn normalize_mac(text: &str) -> Result<String, AddressError> {
    let trimmed = text.trim();
    let bad = || AddressError::Mac(trimmed.to_owned());
    let separators: Vec<char> = trimmed.chars().filter(|c| !c.is_ascii_hexdigit()).collect();
    let digits: String = trimmed.chars().filter(char::is_ascii_hexdigit).collect();
    if digits.len() != 12 {
        return Err(bad());
    }
    let groups_ok = match separators.first() {
        None => true,
        Some(sep @ (':' | '-')) => {
            separators.len() == 5
                && separators.iter().all(|c| c == sep)
                && trimmed.split(*sep).all(|g| g.len() == 2)
        }
        Some('.') => separators.len() == 2 && trimmed.split('.').all(|g| g.len() == 4),
        Some(_) => false,
    };
    if !groups_ok {
        return Err(bad());
    }
    let upper = digits.to_ascii_uppercase();
    let pairs: Vec<&str> = (0..6).map(|i| &upper[i * 2..i * 2 + 2]).collect();
    Ok(pairs.join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_of_both_families_parse() {
        assert_eq!(parse_ip(" 10.1.20.33 ").unwrap().to_string(), "10.1.20.33");
        assert_eq!(parse_ip("fe80::1").unwrap().to_string(), "fe80::1");
        assert_eq!(
            parse_ip("2001:DB8:0:0:0:0:0:1").unwrap().to_string(),
            "2001:db8::1"
        );
    }

    #[test]
    fn malformed_ip_addresses_are_refused() {
        for bad in [
            "",
            "10.1.1",
            "10.1.1.256",
            "10.1.1.1.1",
            "010.1.1.1",
            "1０.1.1.1",
            "10.1.1.1/24",
            "::g",
        ] {
            assert!(parse_ip(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn mac_addresses_normalise_from_every_common_spelling() {
        for typed in [
            "aa:bb:cc:dd:ee:0f",
            "AA-BB-CC-DD-EE-0F",
            "aabb.ccdd.ee0f",
            "aabbccddee0f",
            " Aa:bB:cc:DD:ee:0F ",
        ] {
            assert_eq!(
                normalize_mac(typed).unwrap(),
                "AA:BB:CC:DD:EE:0F",
                "{typed:?}"
            );
        }
    }

    #[test]
    fn malformed_mac_addresses_are_refused() {
        for bad in [
            "",
            "aa:bb:cc:dd:ee",
            "aa:bb:cc:dd:ee:ff:00",
            "aa:bb-cc:dd:ee:ff",
            "aab:bcc:dde:eff",
            "gg:bb:cc:dd:ee:ff",
            "aabb.ccdd.eeff.0011",
            "aa bb cc dd ee ff",
        ] {
            assert!(normalize_mac(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
