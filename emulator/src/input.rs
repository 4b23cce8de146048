//! What visitors send, checked before anything is kept: the SDK's `anonymousId`, a message's
//! text, an email address. Each type can only hold a valid value.

use std::fmt;

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4_000;
/// The longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Why a visitor's input is refused: a message for the client, naming the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// An anonymous visitor's id as the SDK makes it: a random (version 4) UUID in lowercase,
/// `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnonymousId(String);

impl AnonymousId {
    pub fn parse(id: &str) -> Result<AnonymousId, InputError> {
        let shaped = id.len() == 36
            && id.bytes().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => b == b'-',
                14 => b == b'4',
                19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
                _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
            });
        if shaped {
            Ok(AnonymousId(id.to_owned()))
        } else {
            Err(InputError(String::from(
                "anonymousId is not a lowercase version-4 UUID as the SDK makes them",
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A message's text: not blank, at most 4,000 characters (kept as sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText(String);

impl MessageText {
    pub fn parse(text: &str) -> Result<MessageText, InputError> {
        if text.trim().is_empty() {
            return Err(InputError(String::from("text is empty")));
        }
        if text.chars().count() > MAX_MESSAGE_CHARS {
            return Err(InputError(format!(
                "text is longer than {MAX_MESSAGE_CHARS} characters"
            )));
        }
        Ok(MessageText(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, trimmed and lowercased: addresses are compared without regard to case.
/// Only obvious mistakes are refused (no `@`, blank sides, spaces, too long).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(address: &str) -> Result<EmailAddress, InputError> {
        let address = address.trim().to_lowercase();
        if address.chars().count() > MAX_EMAIL_CHARS {
            return Err(InputError(format!(
                "email is longer than {MAX_EMAIL_CHARS} characters"
            )));
        }
        let shaped = match address.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !address.contains(|c: char| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if shaped {
            Ok(EmailAddress(address))
        } else {
            Err(InputError(String::from("email is not an address")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
