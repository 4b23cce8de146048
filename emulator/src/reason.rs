//! Why the messaging service refuses a token or a login: the `reason` strings of the API.

use std::fmt;

/// A refusal, named as the API names it (`Rejection::UnknownKid` is `"unknown_kid"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// Not three base64url parts, a header or payload that is not a JSON object, or a claim of
    /// the wrong type (`exp` that is not a number, `name` that is not a string...).
    Malformed,
    /// The header's `alg` is not the channel's: `HS256` for messaging, `ES256` for the contact
    /// centre (`none` is always refused).
    UnsupportedAlg,
    /// The header's `kid` names no signing key (or there is no `kid`).
    UnknownKid,
    /// The signature does not verify with the key.
    BadSignature,
    /// `scope` is not exactly `"user"`.
    InvalidScope,
    /// No `external_id` (absent, `null` or empty).
    MissingExternalId,
    /// `external_id` longer than 255 characters.
    ExternalIdTooLong,
    /// `exp` has passed.
    Expired,
    /// A contact-centre token without `exp`.
    MissingExp,
    /// The token's verified email is already a verified identity of a user with another
    /// `external_id`.
    EmailConflict,
    /// A contact-centre token, but the admin has configured no contact-centre public key.
    NoContactCenterKey,
}

impl Rejection {
    /// Every reason, for tables and documentation.
    pub const ALL: [Rejection; 11] = [
        Rejection::Malformed,
        Rejection::UnsupportedAlg,
        Rejection::UnknownKid,
        Rejection::BadSignature,
        Rejection::InvalidScope,
        Rejection::MissingExternalId,
        Rejection::ExternalIdTooLong,
        Rejection::Expired,
        Rejection::MissingExp,
        Rejection::EmailConflict,
        Rejection::NoContactCenterKey,
    ];

    /// The reason string of the API.
    pub fn code(self) -> &'static str {
        match self {
            Rejection::Malformed => "malformed",
            Rejection::UnsupportedAlg => "unsupported_alg",
            Rejection::UnknownKid => "unknown_kid",
            Rejection::BadSignature => "bad_signature",
            Rejection::InvalidScope => "invalid_scope",
            Rejection::MissingExternalId => "missing_external_id",
            Rejection::ExternalIdTooLong => "external_id_too_long",
            Rejection::Expired => "expired",
            Rejection::MissingExp => "missing_exp",
            Rejection::EmailConflict => "email_conflict",
            Rejection::NoContactCenterKey => "no_contact_center_key",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
