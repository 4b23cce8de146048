//! Signing keys of the messaging channel: at most [`MAX_KEYS`], each with a name, a `kid` the
//! service assigns and a shared secret shown in full only once.
//!
//! The randomness comes from the caller ([`KeyRandomness`], from the OS in the server), so that
//! these rules stay deterministic and testable.

use std::fmt::Write;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The most keys the service keeps: the 11th is refused until one is deleted.
pub const MAX_KEYS: usize = 10;
/// Random bytes of a secret: 256 bits, the size of the HMAC-SHA-256 output.
pub const SECRET_BYTES: usize = 32;
/// Random bytes behind a `kid`.
pub const KID_BYTES: usize = 12;
/// What is shown of a secret after the answer that created it.
pub const SECRET_PREFIX_CHARS: usize = 6;
/// The longest key name.
pub const MAX_NAME_CHARS: usize = 255;
/// Every `kid` starts so (as the vendor's app key ids do).
pub const KID_PREFIX: &str = "app_";

/// A signing key. The HMAC key is the secret's text as written (its UTF-8 bytes), as
/// `jwt.sign(claims, secret)` uses a string in Node's jsonwebtoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    pub kid: String,
    pub name: String,
    pub secret: String,
}

impl SigningKey {
    /// The first 6 characters of the secret: all that a list of keys ever shows.
    pub fn secret_prefix(&self) -> &str {
        let end = self
            .secret
            .char_indices()
            .nth(SECRET_PREFIX_CHARS)
            .map_or(self.secret.len(), |(index, _)| index);
        &self.secret[..end]
    }
}

/// A key's name, checked: not blank, at most 255 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName(String);

impl KeyName {
    /// The name trimmed, or why it is refused.
    pub fn parse(name: &str) -> Result<KeyName, KeyRefusal> {
        let name = name.trim();
        if name.is_empty() {
            return Err(KeyRefusal::BadName("name is empty"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(KeyRefusal::BadName("name is longer than 255 characters"));
        }
        if name.chars().any(char::is_control) {
            return Err(KeyRefusal::BadName("name has control characters"));
        }
        Ok(KeyName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The OS randomness a new key is made of.
#[derive(Debug, Clone, Copy)]
pub struct KeyRandomness {
    pub kid: [u8; KID_BYTES],
    pub secret: [u8; SECRET_BYTES],
}

/// Why a key is not created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRefusal {
    /// There are [`MAX_KEYS`] keys already (`key_limit`).
    KeyLimit,
    /// The name is not acceptable; the text says why.
    BadName(&'static str),
}

/// The key to add when `existing` keys exist: `kid` is `app_` and 24 hex digits, the secret 32
/// random bytes as base64url (43 characters).
pub fn new_key(
    existing: usize,
    name: &KeyName,
    random: &KeyRandomness,
) -> Result<SigningKey, KeyRefusal> {
    if existing >= MAX_KEYS {
        return Err(KeyRefusal::KeyLimit);
    }
    let mut kid = String::from(KID_PREFIX);
    for byte in random.kid {
        // Writing to a String cannot fail.
        let _ = write!(kid, "{byte:02x}");
    }
    Ok(SigningKey {
        kid,
        name: name.as_str().to_owned(),
        secret: URL_SAFE_NO_PAD.encode(random.secret),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_is_six_characters_at_most() {
        let key = |secret: &str| SigningKey {
            kid: "k".into(),
            name: "n".into(),
            secret: secret.into(),
        };
        assert_eq!(key("abcdefghij").secret_prefix(), "abcdef");
        assert_eq!(key("abc").secret_prefix(), "abc");
        assert_eq!(key("ééééééé").secret_prefix(), "éééééé");
    }
}
