//! Field rules shared by the API's inputs, collected into one `VALIDATION_ERROR`.

use crate::error::{Error, FieldErrors, Result};

/// Collects messages per field; `finish` fails when any field has one.
#[derive(Debug, Default)]
pub struct Checks(FieldErrors);

impl Checks {
    /// Record `message` for `field` when `ok` is false.
    pub fn check(&mut self, field: &str, ok: bool, message: &str) -> &mut Self {
        if !ok {
            self.0
                .entry(field.to_owned())
                .or_default()
                .push(message.to_owned());
        }
        self
    }

    /// Record the result of a rule.
    pub fn rule(&mut self, field: &str, result: std::result::Result<(), String>) -> &mut Self {
        if let Err(message) = result {
            self.0.entry(field.to_owned()).or_default().push(message);
        }
        self
    }

    /// `Ok` when every check passed.
    pub fn finish(&mut self) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        Err(Error::Validation {
            message: "the request is not valid".into(),
            details: std::mem::take(&mut self.0),
        })
    }
}

/// Lowercase and trim an email, as it is stored.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// `local@domain.tld`: local part of `[A-Za-z0-9._%+-]`, domain of `[A-Za-z0-9.-]`, a TLD of two
/// or more letters; at most 254 characters.
pub fn email(email: &str) -> std::result::Result<(), String> {
    let invalid = || Err("must be a valid email address".to_owned());
    if email.len() > 254 {
        return Err("must be at most 254 characters".into());
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return invalid();
    };
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return invalid();
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c));
    let tld_ok = tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic());
    if local_ok && host_ok && tld_ok {
        Ok(())
    } else {
        invalid()
    }
}

/// 8–128 characters with an uppercase letter, a lowercase letter and a digit.
pub fn password(password: &str) -> std::result::Result<(), String> {
    let len = password.chars().count();
    let mut missing = Vec::new();
    if !password.chars().any(|c| c.is_uppercase()) {
        missing.push("an uppercase letter");
    }
    if !password.chars().any(|c| c.is_lowercase()) {
        missing.push("a lowercase letter");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        missing.push("a digit");
    }
    match (len, missing.is_empty()) {
        (0..8, _) => Err("must be at least 8 characters".into()),
        (129.., _) => Err("must be at most 128 characters".into()),
        (_, false) => Err(format!("must contain {}", missing.join(", "))),
        _ => Ok(()),
    }
}

/// 3–50 characters of letters, digits, `_` and `-`.
pub fn username(username: &str) -> std::result::Result<(), String> {
    let len = username.chars().count();
    if !(3..=50).contains(&len) {
        return Err("must be 3 to 50 characters".into());
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err("may contain only letters, digits, `_` and `-`".into());
    }
    Ok(())
}

/// 2–100 characters of letters, spaces, apostrophes and hyphens.
pub fn name(name: &str) -> std::result::Result<(), String> {
    let len = name.trim().chars().count();
    if !(2..=100).contains(&len) {
        return Err("must be 2 to 100 characters".into());
    }
    if !name
        .chars()
        .all(|c| c.is_alphabetic() || c.is_whitespace() || c == '\'' || c == '-')
    {
        return Err("may contain only letters, spaces, `'` and `-`".into());
    }
    Ok(())
}

/// Digits and `+-() `, 7–20 characters once everything else is stripped.
pub fn phone(phone: &str) -> std::result::Result<(), String> {
    let kept: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || "+-() ".contains(*c))
        .collect();
    if kept.chars().count() != phone.chars().count() {
        return Err("may contain only digits, spaces and `+-()`".into());
    }
    if !(7..=20).contains(&kept.chars().count()) {
        return Err("must be 7 to 20 characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "a@b.co",
            "first.last+tag@sub.example.org",
            "x_y%z@ex-ample.fr",
        ] {
            assert_eq!(email(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "a@b.c",
            "@b.co",
            "a@.co",
            "a b@c.co",
            "a@b.c0",
            "a@b@c.co x",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(email(&format!("{}@b.co", "a".repeat(250))).is_err());
    }

    #[test]
    fn passwords() {
        assert_eq!(password("Secret123"), Ok(()));
        assert_eq!(
            password("Sh0rt"),
            Err("must be at least 8 characters".into())
        );
        assert_eq!(
            password("alllowercase1"),
            Err("must contain an uppercase letter".into())
        );
        assert_eq!(password("NoDigitsHere"), Err("must contain a digit".into()));
        assert!(password(&format!("Aa1{}", "x".repeat(126))).is_err());
        assert_eq!(password(&format!("Aa1{}", "x".repeat(125))), Ok(()));
    }

    #[test]
    fn usernames_names_phones() {
        assert_eq!(username("tech_01-a"), Ok(()));
        assert!(username("ab").is_err());
        assert!(username("has space").is_err());
        assert_eq!(name("Zoë O'Neil-Dupont"), Ok(()));
        assert!(name("A").is_err());
        assert!(name("R2D2").is_err());
        assert_eq!(phone("+33 (0)6 12-34-56-78"), Ok(()));
        assert!(phone("12345").is_err());
        assert!(phone("06 12 34 56 78 ext").is_err());
    }
}
