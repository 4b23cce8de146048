//! JWT decoding and the client-side checks of SPEC.md ("Checks on the token").
//!
//! The signature is not verified (an HS256 secret never reaches the browser); the messaging
//! backend does that. These checks catch the integration mistakes a site makes when it builds
//! its tokens, early and with a message that says what to fix.

use crate::core::base64url;
use crate::core::config::TokenProfile;
use crate::core::json::{read_object, Number, Object, ReadJson, Value};
use crate::core::state::User;
use crate::core::text::{concat, push_u64};
use alloc::rc::Rc;
use alloc::string::String;

/// Which rule a token broke: the `detail` of a `loginFailed` with reason `invalid_jwt`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts, or header/payload not a JSON object.
    Malformed,
    /// Header `alg` is not an algorithm the profile accepts.
    UnsupportedAlg,
    /// Profile `messaging` and no `kid` in the header.
    MissingKid,
    /// Profile `messaging` and no `external_id`.
    MissingExternalId,
    /// `external_id` longer than 255 characters.
    ExternalIdTooLong,
    /// `scope` present and not `user`, or absent under profile `messaging`.
    InvalidScope,
    /// A claim of the wrong type or out of range.
    InvalidClaim,
    /// Profile `contact-center` and no `exp`.
    MissingExp,
    /// None of `external_id`, `sub`, `email`.
    MissingIdentity,
}

impl JwtError {
    /// The `detail` string of SPEC.md.
    pub fn detail(self) -> &'static str {
        match self {
            JwtError::Malformed => "malformed",
            JwtError::UnsupportedAlg => "unsupported_alg",
            JwtError::MissingKid => "missing_kid",
            JwtError::MissingExternalId => "missing_external_id",
            JwtError::ExternalIdTooLong => "external_id_too_long",
            JwtError::InvalidScope => "invalid_scope",
            JwtError::InvalidClaim => "invalid_claim",
            JwtError::MissingExp => "missing_exp",
            JwtError::MissingIdentity => "missing_identity",
        }
    }

    /// What is wrong and what to fix, for the web developer. Never contains the token.
    pub fn message(self) -> &'static str {
        match self {
            JwtError::Malformed => {
                "The JWT must be three non-empty base64url parts separated by dots, and its header and payload must be JSON objects."
            }
            JwtError::UnsupportedAlg => {
                "The JWT's header alg must be HS256 or ES256 (\"none\" is always refused); tokenProfile \"messaging\" takes only HS256 and \"contact-center\" only ES256."
            }
            JwtError::MissingKid => {
                "With tokenProfile \"messaging\", the JWT's header must carry a non-empty kid naming the signing key."
            }
            JwtError::MissingExternalId => {
                "With tokenProfile \"messaging\", the JWT must carry a non-empty external_id claim naming the user."
            }
            JwtError::ExternalIdTooLong => "The JWT's external_id claim must be at most 255 characters long.",
            JwtError::InvalidScope => {
                "The JWT's scope claim must be exactly \"user\" (tokenProfile \"messaging\" requires it)."
            }
            JwtError::InvalidClaim => {
                "A JWT claim has the wrong type: exp, iat and nbf must be seconds (not milliseconds) since the epoch, email_verified a boolean, external_id a string or an integer, and sub, email and name strings."
            }
            JwtError::MissingExp => {
                "With tokenProfile \"contact-center\", the JWT must carry an exp claim in seconds since the epoch."
            }
            JwtError::MissingIdentity => {
                "The JWT must name its user with a non-empty external_id, sub or email claim."
            }
        }
    }
}

/// A decoded token that passed every check of its profile.
#[derive(Clone, Debug)]
pub struct Token {
    /// The token text as accepted (surrounding ASCII whitespace trimmed).
    pub jwt: String,
    /// `exp`, seconds since the epoch.
    pub exp: Option<f64>,
    /// Who the token names, with every payload claim.
    pub user: Rc<User>,
    /// Identity for "user switch": `x:`+external_id, else `s:`+sub, else `e:`+email.
    pub user_key: String,
}

impl Token {
    /// Milliseconds since the epoch of `exp`, if any (rounded down: never later than `exp`).
    pub fn exp_ms(&self) -> Option<u64> {
        // `decode` keeps exp in (0, 1e11), so this cannot overflow or go negative.
        self.exp.map(|exp| (exp * 1000.0) as u64)
    }
}

/// Above this, a JSON number is not an exact integer in JavaScript (2^53).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// Upper bound of `exp`/`iat`/`nbf`: year 5138 in seconds, while milliseconds of today are ~1.7e12.
const MAX_SECONDS: f64 = 1e11;

/// Decodes `jwt`, its header and payload read by `read`, and applies the checks of `profile`.
pub fn decode(jwt: &str, profile: TokenProfile, read: ReadJson) -> Result<Token, JwtError> {
    use JwtError::*;

    // 1. Shape: three base64url parts; header and payload JSON objects.
    // On bytes: splitting a `str` by a `char` costs more wasm, and base64url is ASCII anyway.
    let jwt = jwt.trim_ascii();
    let mut parts = jwt.as_bytes().split(|&b| b == b'.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Malformed);
    };
    if base64url::decode(signature).is_none() {
        return Err(Malformed);
    }
    let header = json_object(header, read)?;
    let claims = json_object(payload, read)?;

    // 2. Algorithm, per profile.
    let alg_ok = match header.get("alg") {
        Some(Value::String(alg)) => match profile {
            TokenProfile::Any => alg == "HS256" || alg == "ES256",
            TokenProfile::Messaging => alg == "HS256",
            TokenProfile::ContactCenter => alg == "ES256",
        },
        _ => false,
    };
    if !alg_ok {
        // Before the signature check: an unsigned `alg: none` token says what is wrong with it.
        return Err(UnsupportedAlg);
    }
    if signature.is_empty() {
        return Err(Malformed); // HS256 and ES256 tokens are always signed
    }

    // 3. Key id, which the messaging backend needs to pick the secret.
    let has_kid = matches!(header.get("kid"), Some(Value::String(kid)) if !kid.is_empty());
    if profile == TokenProfile::Messaging && !has_kid {
        return Err(MissingKid);
    }

    // 4. Types and ranges of every claim the SDK reads, whatever the profile.
    let exp = time_claim(&claims, "exp")?;
    time_claim(&claims, "iat")?;
    time_claim(&claims, "nbf")?;
    let email_verified = match claims.get("email_verified") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(InvalidClaim),
    };
    let external_id = match claims.get("external_id") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(integer_text(n).ok_or(InvalidClaim)?),
        Some(_) => return Err(InvalidClaim),
    };
    let sub = string_claim(&claims, "sub")?;
    let email = string_claim(&claims, "email")?;
    let name = string_claim(&claims, "name")?;

    // 5. Length in characters (bytes that do not continue one), before anything is stored or sent
    // with it. `nth` stops early on a huge value.
    if external_id
        .as_deref()
        .is_some_and(|id| id.bytes().filter(|&b| b & 0xc0 != 0x80).nth(255).is_some())
    {
        return Err(ExternalIdTooLong);
    }
    let external_id = external_id.filter(|id| !id.is_empty());

    // 6. The messaging backend keys conversations by external_id.
    if profile == TokenProfile::Messaging && external_id.is_none() {
        return Err(MissingExternalId);
    }

    // 7. A token for another audience (an agent's, an admin's) must never log a visitor in.
    let scope_ok = match claims.get("scope") {
        None => profile != TokenProfile::Messaging,
        Some(Value::String(scope)) => scope == "user",
        Some(_) => false,
    };
    if !scope_ok {
        return Err(InvalidScope);
    }

    // 8. Contact-centre tokens must expire.
    if profile == TokenProfile::ContactCenter && exp.is_none() {
        return Err(MissingExp);
    }

    // 9. The key that tells one user from another (SPEC.md "User switch").
    let user_key = match (&external_id, sub, email) {
        (Some(id), _, _) => concat(&["x:", id]),
        (None, Some(sub), _) => concat(&["s:", sub]),
        (None, None, Some(email)) => concat(&["e:", email]),
        (None, None, None) => return Err(MissingIdentity),
    };

    // Copy out what borrows `claims` before the payload moves into the user.
    let name = name.map(String::from);
    let email = email.map(String::from);
    let user = Rc::new(User {
        external_id,
        name,
        email,
        email_verified,
        claims,
    });
    Ok(Token {
        jwt: jwt.into(),
        exp,
        user,
        user_key,
    })
}

/// Decodes one base64url part into a JSON object.
fn json_object(part: &[u8], read: ReadJson) -> Result<Object, JwtError> {
    let bytes = base64url::decode(part).ok_or(JwtError::Malformed)?;
    // Bytes that are not UTF-8 are not JSON either.
    read_object(read, &bytes).ok_or(JwtError::Malformed)
}

/// A string claim: absent is `None`; empty counts as absent; any other type (`null` too) is invalid.
fn string_claim<'a>(claims: &'a Object, key: &str) -> Result<Option<&'a str>, JwtError> {
    match claims.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str()).filter(|s| !s.is_empty())),
        Some(_) => Err(JwtError::InvalidClaim),
    }
}

/// A time claim in seconds since the epoch.
fn time_claim(claims: &Object, key: &str) -> Result<Option<f64>, JwtError> {
    let seconds = match claims.get(key) {
        None => return Ok(None),
        Some(Value::Number(n)) => n.as_f64(),
        Some(_) => return Err(JwtError::InvalidClaim),
    };
    // Also false for NaN and infinities.
    if seconds > 0.0 && seconds < MAX_SECONDS {
        Ok(Some(seconds))
    } else {
        Err(JwtError::InvalidClaim)
    }
}

/// The decimal text of an integer claim (`12345`, `-7`, `1e3`, `12.0`), or `None` when it has a
/// fraction or is a float too large to be exact.
fn integer_text(n: &Number) -> Option<String> {
    let (negative, magnitude) = match *n {
        Number::Unsigned(n) => (false, n),
        Number::Negative(n) => (true, n),
        // Below 2^53 first, so that the cast back is exact only for a whole number.
        Number::Float(f) if f.abs() < MAX_SAFE_INTEGER && f == f as i64 as f64 => {
            (f < 0.0, f.abs() as u64)
        }
        Number::Float(_) => return None,
    };
    let mut text = String::from(if negative { "-" } else { "" });
    push_u64(&mut text, magnitude);
    Some(text)
}
