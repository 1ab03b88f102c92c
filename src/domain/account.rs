//! The rules of signing in: how a password is hashed and checked, what a new password must
//! be, when failures lock an account and when a password has expired.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{Duration, NaiveDateTime};

/// Failed sign-ins in a row that lock an account.
pub const MAX_FAILURES: i64 = 5;
/// How long those failures lock it.
pub const LOCK_MINUTES: i64 = 15;
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Argon2id with 19 MiB of memory, 2 passes, 1 lane: the OWASP minimum for Argon2id. One check
/// takes about 25 ms on one core of the 2-core machines this was measured on (the `sign_in`
/// bench), inside the 50 ms a sign-in may add to start-up. The parameters are kept in each
/// hash, so a later change still checks older passwords.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The stored form of `password`: a PHC string with its own random salt.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut password_hash::rand_core::OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("hashing with valid parameters and a fresh salt cannot fail")
        .to_string()
}

/// Whether `password` is the one `stored` was made from. A stored text that is no hash
/// matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    /// The same as the login name.
    IsLogin,
    /// The same as the one it replaces.
    Unchanged,
    /// The two entries differ.
    Mismatch,
}

/// Check a new password for `login`; `old` is the one it replaces, when known.
pub fn check_new_password(
    password: &str,
    login: &str,
    old: Option<&str>,
) -> Result<(), PasswordProblem> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if password.trim().eq_ignore_ascii_case(login.trim()) {
        return Err(PasswordProblem::IsLogin);
    }
    if old == Some(password) {
        return Err(PasswordProblem::Unchanged);
    }
    Ok(())
}

/// How long passwords last and how long a console may sit idle, from the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Days a password lasts; 0 for ever.
    pub password_days: i64,
    /// Idle seconds before the TUI locks; 0 for never.
    pub idle_seconds: i64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            password_days: 90,
            idle_seconds: 10 * 60,
        }
    }
}

impl Policy {
    /// Whether a password set at `changed` has expired at `now`.
    pub fn expired(&self, changed: NaiveDateTime, now: NaiveDateTime) -> bool {
        self.password_days > 0 && now - changed >= Duration::days(self.password_days)
    }

    pub fn idle_limit(&self) -> Option<std::time::Duration> {
        (self.idle_seconds > 0).then(|| std::time::Duration::from_secs(self.idle_seconds as u64))
    }

    /// The idle time in minutes as people say it: whole where it is, else to a tenth.
    pub fn idle_minutes_text(&self) -> String {
        match self.idle_seconds % 60 {
            0 => (self.idle_seconds / 60).to_string(),
            _ => format!("{:.1}", self.idle_seconds as f64 / 60.0),
        }
    }
}

/// After one more failure with `failures` before it: the new count, and until when the
/// account is locked if this one locks it.
pub fn after_failure(failures: i64, now: NaiveDateTime) -> (i64, Option<NaiveDateTime>) {
    let count = failures + 1;
    match count >= MAX_FAILURES {
        true => (0, Some(now + Duration::minutes(LOCK_MINUTES))),
        false => (count, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_hash_checks_its_own_password_only_and_never_holds_it() {
        let stored = hash("机房-pass-2026");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(!stored.contains("机房-pass-2026"));
        assert!(verify("机房-pass-2026", &stored));
        assert!(!verify("机房-pass-2027", &stored));
        assert!(!verify("机房-pass-2026", "not a hash"));
        assert_ne!(
            hash("same password"),
            hash("same password"),
            "each hash has its own salt"
        );
    }

    #[test]
    fn a_new_password_is_long_enough_not_the_login_and_not_the_old_one() {
        assert_eq!(
            check_new_password("short", "lin", None),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password("linxia01", "LinXia01", None),
            Err(PasswordProblem::IsLogin)
        );
        assert_eq!(
            check_new_password("oldpassword", "lin", Some("oldpassword")),
            Err(PasswordProblem::Unchanged)
        );
        assert_eq!(
            check_new_password("机房巡检密码好", "lin", None),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password("机房巡检密码好记吗", "lin", None),
            Ok(())
        );
    }

    #[test]
    fn five_failures_in_a_row_lock_for_fifteen_minutes() {
        let now = at("2026-12-03 09:00");
        let mut failures = 0;
        for _ in 0..4 {
            let (count, locked) = after_failure(failures, now);
            assert_eq!(locked, None);
            failures = count;
        }
        assert_eq!(failures, 4);
        assert_eq!(
            after_failure(failures, now),
            (0, Some(at("2026-12-03 09:15")))
        );
    }

    #[test]
    fn a_password_expires_after_the_configured_days_or_never() {
        let policy = Policy::default();
        let set = at("2026-09-01 08:00");
        assert!(!policy.expired(set, at("2026-11-29 07:59")));
        assert!(policy.expired(set, at("2026-11-30 08:00")));
        let never = Policy {
            password_days: 0,
            ..policy
        };
        assert!(!never.expired(set, at("2036-01-01 00:00")));
    }
}
