//! Client rules: what a new client must look like, and what search matches.

use serde::{Deserialize, Serialize};

use super::inn;
use super::limits::{self, NAME_LEN, PHONE_LEN, TEXT_LEN};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("the company name is empty")]
    NameEmpty,
    #[error("the INN is not valid")]
    InnInvalid,
    #[error("the phone number is not valid")]
    PhoneInvalid,
    #[error("the contact e-mail is not valid")]
    EmailInvalid,
    #[error("the text is longer than its bound")]
    TooLong,
}

/// A new client as a person typed it (or an import's row gave it): the one shape of a
/// new client's fields, on the wire and in the form, before the rules are checked.
/// Only the name must be sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInput {
    pub name: String,
    #[serde(default)]
    pub inn: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_position: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub notes: String,
}

/// A new client's fields, checked: a name, an optional INN with correct check
/// digits, and one contact person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewClient {
    pub name: String,
    pub inn: Option<String>,
    pub contact_name: String,
    pub contact_position: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub notes: String,
}

impl NewClient {
    /// Errors come with the field they concern, named as [`ClientInput`] names it.
    pub fn parse(input: &ClientInput) -> Result<Self, (&'static str, ClientError)> {
        let client = ClientFields::parse(&input.name, &input.inn, &input.notes)?;
        let contact = ContactForm::parse(&input.contact_name, &input.contact_position, &input.contact_phone, &input.contact_email)
            .map_err(|(field, e)| {
                let field = match field {
                    "phone" => "contact_phone",
                    "email" => "contact_email",
                    "position" => "contact_position",
                    _ => "contact_name",
                };
                (field, e)
            })?;
        Ok(NewClient {
            name: client.name,
            inn: client.inn,
            contact_name: contact.name,
            contact_position: contact.position,
            contact_phone: contact.phone,
            contact_email: contact.email,
            notes: client.notes,
        })
    }
}

/// A client's own fields, checked: a name, an optional INN with correct check digits,
/// free notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientFields {
    pub name: String,
    pub inn: Option<String>,
    pub notes: String,
}

impl ClientFields {
    pub fn parse(name: &str, inn_raw: &str, notes: &str) -> Result<Self, (&'static str, ClientError)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(("name", ClientError::NameEmpty));
        }
        if !limits::fits(name, NAME_LEN) {
            return Err(("name", ClientError::TooLong));
        }
        if !limits::fits(notes, TEXT_LEN) {
            return Err(("notes", ClientError::TooLong));
        }
        let inn_digits: String = inn_raw.chars().filter(|c| !c.is_whitespace()).collect();
        let inn = match inn_digits.as_str() {
            "" => None,
            d if inn::is_valid(d) => Some(d.to_string()),
            _ => return Err(("inn", ClientError::InnInvalid)),
        };
        Ok(ClientFields { name: name.to_string(), inn, notes: notes.trim().to_string() })
    }
}

/// One contact person, checked: the phone and e-mail, when given, must be real ones.
/// Field names in errors are the contact form's: `name`, `position`, `phone`, `email`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactForm {
    pub name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
}

impl ContactForm {
    pub fn parse(name: &str, position: &str, phone: &str, email: &str) -> Result<Self, (&'static str, ClientError)> {
        for (field, text) in [("name", name), ("position", position)] {
            if !limits::fits(text, NAME_LEN) {
                return Err((field, ClientError::TooLong));
            }
        }
        let phone = normalize_phone(phone).map_err(|e| ("phone", e))?;
        let email = email.trim().to_lowercase();
        if !email.is_empty() && super::user::Email::parse(&email).is_err() {
            return Err(("email", ClientError::EmailInvalid));
        }
        Ok(ContactForm { name: name.trim().to_string(), position: position.trim().to_string(), phone, email })
    }

    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.phone.is_empty() && self.email.is_empty()
    }
}

/// Keeps a phone as people write it, but only if it has 10 to 15 digits and nothing
/// but digits, spaces, `+`, `-`, `(` and `)`. Empty is allowed.
pub fn normalize_phone(phone: &str) -> Result<String, ClientError> {
    let p = phone.trim();
    if p.is_empty() {
        return Ok(String::new());
    }
    if !limits::fits(p, PHONE_LEN) {
        return Err(ClientError::PhoneInvalid);
    }
    let allowed = p.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    let digits = p.chars().filter(char::is_ascii_digit).count();
    if allowed && (10..=15).contains(&digits) { Ok(p.to_string()) } else { Err(ClientError::PhoneInvalid) }
}

/// Lower case with "ё" read as "е": Russian writers use them interchangeably.
pub fn fold(s: &str) -> String {
    s.to_lowercase().replace('ё', "е")
}

/// The text a client is found by: folded words (see `fold`), plus phone numbers as
/// bare digits so that "8 916 123" finds "+7 (916) 123-45-67" by its digits.
pub fn search_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for part in parts {
        let lower = fold(part);
        text.push_str(&lower);
        text.push(' ');
        let digits: String = part.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 3 && digits.len() != part.trim().len() {
            text.push_str(&digits);
            text.push(' ');
        }
    }
    text
}

/// How a typed query becomes the pattern matched against [`search_text`]: lower-cased;
/// a query of digits and phone punctuation matches by its digits alone.
pub fn search_pattern(query: &str) -> Option<String> {
    let q = query.trim();
    if q.is_empty() {
        return None;
    }
    let phone_like = q.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    let needle = if phone_like { q.chars().filter(char::is_ascii_digit).collect() } else { fold(q) };
    (!needle.is_empty()).then_some(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(inn: &str, phone: &str, email: &str) -> Result<NewClient, (&'static str, ClientError)> {
        NewClient::parse(&ClientInput {
            name: "ООО «Вектор»".into(),
            inn: inn.into(),
            contact_name: "Иван".into(),
            contact_position: "Директор".into(),
            contact_phone: phone.into(),
            contact_email: email.into(),
            notes: String::new(),
        })
    }

    #[test]
    fn an_inn_is_optional_but_checked_when_given() {
        assert_eq!(form("", "", "").unwrap().inn, None);
        assert_eq!(form("7707 083 893", "", "").unwrap().inn.as_deref(), Some("7707083893"));
        assert_eq!(form("7707083894", "", ""), Err(("inn", ClientError::InnInvalid)));
    }

    #[test]
    fn phones_and_emails_are_checked_at_their_fields() {
        assert!(form("", "+7 (916) 123-45-67", "").is_ok());
        assert_eq!(form("", "123", ""), Err(("contact_phone", ClientError::PhoneInvalid)));
        assert_eq!(form("", "call me", ""), Err(("contact_phone", ClientError::PhoneInvalid)));
        assert_eq!(form("", "", "ivan@"), Err(("contact_email", ClientError::EmailInvalid)));
    }

    #[test]
    fn a_client_needs_a_name() {
        assert_eq!(NewClient::parse(&ClientInput { name: "  ".into(), ..ClientInput::default() }), Err(("name", ClientError::NameEmpty)));
    }

    #[test]
    fn search_finds_cyrillic_in_any_case_and_phones_by_digits() {
        let text = search_text(["ООО «Вектор»", "7707083893", "Иван Кузнецов", "+7 (916) 123-45-67"]);
        let finds = |q: &str| search_pattern(q).is_some_and(|p| text.contains(&p));
        assert!(finds("вектор"));
        assert!(finds("ВЕКТОР"));
        assert!(finds("кузнец"));
        assert!(search_pattern("Фёдоров").is_some_and(|p| search_text(["Андрей Федоров"]).contains(&p)));
        assert!(search_pattern("федоров").is_some_and(|p| search_text(["Андрей Фёдоров"]).contains(&p)));
        assert!(finds("916 123"));
        assert!(finds("770708"));
        assert!(!finds("альфа"));
        assert_eq!(search_pattern("   "), None);
    }
}
