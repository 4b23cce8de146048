//! Messaging tokens (the widget's channel): HS256, signed with the secret of the key its `kid`
//! names, `scope: "user"`, an `external_id`, and `exp` if present not past.
//!
//! Checks run in this order, and the first that fails is the answer: the shape (`malformed`),
//! `alg` (`unsupported_alg`), `kid` (`unknown_kid`), the signature (`bad_signature`), then the
//! claims: `scope` (`invalid_scope`), `external_id` (`missing_external_id`,
//! `external_id_too_long`), `exp` (`expired`). A claim of the wrong type is `malformed`.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

use crate::header::read_header;
use crate::input::EmailAddress;
use crate::keys::SigningKey;
use crate::reason::Rejection;

/// The longest `external_id`, in characters.
pub const MAX_EXTERNAL_ID_CHARS: usize = 255;

/// A token the service accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    /// The key it was signed with.
    pub kid: String,
    /// What the service reads from it.
    pub claims: UserClaims,
    /// Every claim of the payload, as sent.
    pub payload: Map<String, Value>,
}

/// The claims that decide who the user is and what agents see.
#[derive(Debug, Clone, PartialEq)]
pub struct UserClaims {
    /// A string, or an integer written in decimal.
    pub external_id: String,
    pub name: Option<String>,
    /// `email`, only when `email_verified` is the boolean `true` (else it is ignored and never
    /// shown), trimmed and lowercased.
    pub verified_email: Option<EmailAddress>,
    /// Seconds since the epoch.
    pub exp: Option<f64>,
}

/// Verifies a messaging token at `now` (seconds since the epoch) against the current keys.
pub fn verify_messaging(jwt: &str, now: u64, keys: &[SigningKey]) -> Result<Verified, Rejection> {
    let header = read_header(jwt)?;
    if header.alg != "HS256" {
        return Err(Rejection::UnsupportedAlg);
    }
    let key = header
        .kid
        .as_deref()
        .and_then(|kid| keys.iter().find(|key| key.kid == kid))
        .ok_or(Rejection::UnknownKid)?;
    let payload = verified_payload(
        jwt,
        &DecodingKey::from_secret(key.secret.as_bytes()),
        Algorithm::HS256,
    )?;
    let claims = user_claims(&payload, now)?;
    Ok(Verified {
        kid: key.kid.clone(),
        claims,
        payload,
    })
}

/// The payload of `jwt` once its signature verifies with `key` (constant-time for HMAC, in
/// jsonwebtoken's RustCrypto backend). Claims are checked by the caller, against its own `now`.
pub(crate) fn verified_payload(
    jwt: &str,
    key: &DecodingKey,
    algorithm: Algorithm,
) -> Result<Map<String, Value>, Rejection> {
    let mut validation = Validation::new(algorithm);
    // jsonwebtoken would read the system clock and require `exp`: the rules here take `now`,
    // and `exp` is optional for messaging tokens.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    match jsonwebtoken::decode::<Map<String, Value>>(jwt, key, &validation) {
        Ok(data) => Ok(data.claims),
        Err(error) => Err(match error.kind() {
            ErrorKind::InvalidSignature => Rejection::BadSignature,
            _ => Rejection::Malformed,
        }),
    }
}

fn user_claims(payload: &Map<String, Value>, now: u64) -> Result<UserClaims, Rejection> {
    if payload.get("scope") != Some(&Value::String(String::from("user"))) {
        return Err(Rejection::InvalidScope);
    }
    let external_id = external_id(payload.get("external_id"))?;
    let exp = exp(payload.get("exp"), now)?;
    let name = optional_text(payload.get("name"))?;
    let email = optional_text(payload.get("email"))?;
    let verified_email = match (email, payload.get("email_verified")) {
        (Some(email), Some(Value::Bool(true))) => {
            Some(EmailAddress::parse(&email).map_err(|_| Rejection::Malformed)?)
        }
        _ => None,
    };
    Ok(UserClaims {
        external_id,
        name,
        verified_email,
        exp,
    })
}

/// A string, or an integer as its decimal text; absent, `null` and `""` are missing.
fn external_id(value: Option<&Value>) -> Result<String, Rejection> {
    let id = match value {
        None | Some(Value::Null) => return Err(Rejection::MissingExternalId),
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(number)) if number.is_i64() || number.is_u64() => number.to_string(),
        Some(_) => return Err(Rejection::Malformed),
    };
    if id.is_empty() {
        return Err(Rejection::MissingExternalId);
    }
    if id.chars().count() > MAX_EXTERNAL_ID_CHARS {
        return Err(Rejection::ExternalIdTooLong);
    }
    Ok(id)
}

/// `exp` if present (`null` is absent): a number of seconds, `expired` from that second on (RFC 7519: "on or
/// after which the JWT MUST NOT be accepted").
pub(crate) fn exp(value: Option<&Value>, now: u64) -> Result<Option<f64>, Rejection> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => {
            let exp = number.as_f64().ok_or(Rejection::Malformed)?;
            if now as f64 >= exp {
                Err(Rejection::Expired)
            } else {
                Ok(Some(exp))
            }
        }
        Some(_) => Err(Rejection::Malformed),
    }
}

/// A string claim: absent, `null` or blank is none; another type is `malformed`.
fn optional_text(value: Option<&Value>) -> Result<Option<String>, Rejection> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(Rejection::Malformed),
    }
}
