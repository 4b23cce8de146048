//! The client-side checks of SPEC.md ("Checks on the token") on a decoded JWT.
//!
//! The signature is not verified (an HS256 secret never reaches the browser); the messaging
//! backend does that. These checks catch the integration mistakes a site makes when it builds
//! its tokens, early and with a message that says what to fix.

use crate::core::claims::{Field, Jwt};
use crate::core::config::TokenProfile;
use crate::core::state::User;
use std::rc::Rc;

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
    /// An integer `external_id` beyond 2^53 - 1, which the browser cannot read exactly
    /// (detail `invalid_claim`, with a message of its own).
    UnsafeExternalId,
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
            JwtError::InvalidClaim | JwtError::UnsafeExternalId => "invalid_claim",
            JwtError::MissingExp => "missing_exp",
            JwtError::MissingIdentity => "missing_identity",
        }
    }

    /// What is wrong and what to fix, for the web developer. Never contains the token.
    pub fn message(self) -> &'static str {
        match self {
            JwtError::Malformed => {
                "The JWT must be three base64url parts separated by dots, and its header and payload must be JSON objects."
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
            JwtError::ExternalIdTooLong => {
                "The JWT's external_id claim must be at most 255 characters long."
            }
            JwtError::InvalidScope => {
                "The JWT's scope claim must be exactly \"user\" (tokenProfile \"messaging\" requires it)."
            }
            JwtError::InvalidClaim => {
                "A JWT claim has the wrong type: exp, iat and nbf must be seconds (not milliseconds) since the epoch, email_verified a boolean, external_id a string or an integer, and sub, email and name strings."
            }
            JwtError::UnsafeExternalId => {
                "The JWT's external_id is an integer beyond 2^53 - 1, which the browser cannot read exactly (a rounded id could name another user): send external_id as a string."
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

/// A token that passed every check of its profile.
#[derive(Clone, Debug)]
pub struct Token<P> {
    /// The token text as accepted (surrounding ASCII white space trimmed).
    pub jwt: String,
    /// `exp`, seconds since the epoch.
    pub exp: Option<f64>,
    /// Who the token names, with every payload claim.
    pub user: Rc<User<P>>,
    /// Identity for "user switch": `x:`+external_id, else `s:`+sub, else `e:`+email.
    pub user_key: String,
}

impl<P> Token<P> {
    /// Milliseconds since the epoch of `exp`, if any (rounded down: never later than `exp`).
    pub fn exp_ms(&self) -> Option<u64> {
        // `check` keeps exp in (0, 1e11), so this cannot overflow or go negative.
        self.exp.map(|exp| (exp * 1000.0) as u64)
    }
}

/// The largest integer a double holds exactly, and every smaller one (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Upper bound of `exp`/`iat`/`nbf`: year 5138 in seconds, while milliseconds of today are ~1.8e12.
const MAX_SECONDS: f64 = 1e11;

/// Applies the checks of `profile` to `jwt`.
pub fn check<P>(jwt: Jwt<P>, profile: TokenProfile) -> Result<Token<P>, JwtError> {
    use JwtError::*;

    // 1. Shape: three base64url parts; header and payload JSON objects.
    let decoded = jwt.decoded.ok_or(Malformed)?;
    let (header, claims) = (&decoded.header, &decoded.claims);

    // 2. Algorithm, per profile.
    let alg_ok = match &header.alg {
        Field::String(alg) => match profile {
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
    if !decoded.signed {
        return Err(Malformed); // HS256 and ES256 tokens are always signed
    }

    // 3. Key id, which the messaging backend needs to pick the secret.
    let has_kid = matches!(&header.kid, Field::String(kid) if !kid.is_empty());
    if profile == TokenProfile::Messaging && !has_kid {
        return Err(MissingKid);
    }

    // 4. Types and ranges of every claim the SDK reads, whatever the profile.
    let exp = time_claim(&claims.exp)?;
    time_claim(&claims.iat)?;
    time_claim(&claims.nbf)?;
    let email_verified = match claims.email_verified {
        Field::Absent => false,
        Field::Bool(b) => b,
        _ => return Err(InvalidClaim),
    };
    let external_id = match &claims.external_id {
        Field::Absent => None,
        Field::String(s) => Some(s.clone()),
        Field::Number(n) => Some(integer_text(*n)?),
        _ => return Err(InvalidClaim),
    };
    let sub = string_claim(&claims.sub)?;
    let email = string_claim(&claims.email)?;
    let name = string_claim(&claims.name)?;

    // 5. Length in characters, before anything is stored or sent with it.
    if external_id
        .as_deref()
        .is_some_and(|id| id.chars().nth(255).is_some())
    {
        return Err(ExternalIdTooLong);
    }
    let external_id = external_id.filter(|id| !id.is_empty());

    // 6. The messaging backend keys conversations by external_id.
    if profile == TokenProfile::Messaging && external_id.is_none() {
        return Err(MissingExternalId);
    }

    // 7. A token for another audience (an agent's, an admin's) must never log a visitor in.
    let scope_ok = match &claims.scope {
        Field::Absent => profile != TokenProfile::Messaging,
        Field::String(scope) => scope == "user",
        _ => false,
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
        (Some(id), _, _) => format!("x:{id}"),
        (None, Some(sub), _) => format!("s:{sub}"),
        (None, None, Some(email)) => format!("e:{email}"),
        (None, None, None) => return Err(MissingIdentity),
    };

    let user = Rc::new(User {
        external_id,
        name: name.map(String::from),
        email: email.map(String::from),
        email_verified,
        claims: decoded.payload,
    });
    Ok(Token {
        jwt: jwt.text.trim_ascii().to_owned(),
        exp,
        user,
        user_key,
    })
}

/// A string claim: absent is `None`; empty counts as absent; any other type (`null` too) is invalid.
fn string_claim(field: &Field) -> Result<Option<&str>, JwtError> {
    match field {
        Field::Absent => Ok(None),
        Field::String(s) => Ok(Some(s.as_str()).filter(|s| !s.is_empty())),
        _ => Err(JwtError::InvalidClaim),
    }
}

/// A time claim in seconds since the epoch.
fn time_claim(field: &Field) -> Result<Option<f64>, JwtError> {
    match *field {
        Field::Absent => Ok(None),
        // Also false for NaN and infinities.
        Field::Number(seconds) if seconds > 0.0 && seconds < MAX_SECONDS => Ok(Some(seconds)),
        _ => Err(JwtError::InvalidClaim),
    }
}

/// The decimal text of an integer `external_id`. The browser read it as a double: beyond
/// 2^53 - 1 it may have been rounded to a neighbour, which could be another user's id, so such an
/// id is refused rather than guessed.
fn integer_text(n: f64) -> Result<String, JwtError> {
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(JwtError::InvalidClaim);
    }
    if n.abs() > MAX_SAFE_INTEGER {
        return Err(JwtError::UnsafeExternalId);
    }
    // Exact: a safe integer fits an i64, and -0 prints as 0.
    Ok((n as i64).to_string())
}
