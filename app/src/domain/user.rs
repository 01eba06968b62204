//! People and their roles: the rules of who may exist, not who may see what.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A user's role in the organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Head,
    Manager,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Head, Role::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Head => "head",
            Role::Manager => "manager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Heads and managers work inside a department; an admin may have none.
    pub fn needs_department(self) -> bool {
        !matches!(self, Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A syntactically valid e-mail address, stored lower-case so that logins are
/// case-insensitive and duplicates are caught.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(EmailError::Malformed);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        let chars_ok = !s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'));
        if local.is_empty() || !domain_ok || !chars_ok || s.len() > 254 {
            return Err(EmailError::Malformed);
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("e-mail is empty")]
    Empty,
    #[error("e-mail is malformed")]
    Malformed,
}

/// A new password that meets the policy: at least [`NewPassword::MIN_LEN`] characters,
/// at most [`NewPassword::MAX_LEN`] (argon2 input stays bounded).
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_LEN: usize = 8;
    pub const MAX_LEN: usize = 128;

    pub fn parse(input: String) -> Result<NewPassword, PasswordError> {
        let len = input.chars().count();
        if len < Self::MIN_LEN {
            Err(PasswordError::TooShort)
        } else if len > Self::MAX_LEN {
            Err(PasswordError::TooLong)
        } else if input.trim().is_empty() {
            Err(PasswordError::TooShort)
        } else {
            Ok(NewPassword(input))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password too short")]
    TooShort,
    #[error("password too long")]
    TooLong,
}

/// A person's display name: trimmed, 1..=100 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Option<PersonName> {
        let s = input.trim();
        (!s.is_empty() && s.chars().count() <= 100).then(|| PersonName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_lowercased_and_trimmed() {
        assert_eq!(Email::parse("  Anna.Smirnova@Pacer.Demo ").unwrap().as_str(), "anna.smirnova@pacer.demo");
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for bad in ["anna", "anna@", "@pacer.demo", "anna@demo", "an na@pacer.demo", "a@b..c", "a@.b.c"] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
    }

    #[test]
    fn short_password_is_rejected() {
        assert!(matches!(NewPassword::parse("1234567".into()), Err(PasswordError::TooShort)));
        assert!(matches!(NewPassword::parse("        ".into()), Err(PasswordError::TooShort)));
        assert!(NewPassword::parse("correct horse".into()).is_ok());
    }

    #[test]
    fn role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("boss"), None);
    }
}
