//! The JWTs the demo site signs for its logged-in user, in the two styles of SPEC.md.
//!
//! - Contact-centre (`/auth/jwt`): ES256, header exactly `{"alg":"ES256","cty":"text/plain"}`,
//!   payload `exp`, `iat`, `external_id`, `name`, `email`. Anyone can verify it with the public
//!   key of `/.well-known/jwks.json`.
//! - Messaging (`/auth/messaging-jwt`): HS256 with a `kid` header, payload `scope: "user"`,
//!   `external_id`, `name`, `email`, `email_verified`, `exp`, `iat`. The messaging backend
//!   verifies it with the shared secret the `kid` names.

use jsonwebtoken::{encode, Algorithm, Header};
use serde::Serialize;

use crate::keys::{MessagingKey, SigningKeys};
use crate::login::User;

/// The claims both styles share.
#[derive(Serialize)]
struct UserClaims<'a> {
    /// The site's own user id: what the messaging side knows the user by.
    external_id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    /// Seconds since the epoch.
    iat: u64,
    exp: u64,
}

impl<'a> UserClaims<'a> {
    fn new(user: &'a User, now: u64, ttl: u64) -> Self {
        UserClaims {
            external_id: &user.username,
            name: user.name.as_deref().unwrap_or(&user.username),
            email: user.email.as_deref(),
            iat: now,
            exp: now.saturating_add(ttl),
        }
    }
}

#[derive(Serialize)]
struct MessagingClaims<'a> {
    scope: &'static str,
    #[serde(flatten)]
    user: UserClaims<'a>,
    /// `true` only for an address the site has verified (the demo's login form has a box for
    /// it): the messaging side finds users by verified email.
    email_verified: bool,
}

/// The contact-centre token for `user`, valid from `now` (seconds) for `ttl` seconds.
pub fn contact_center_token(
    keys: &SigningKeys,
    user: &User,
    now: u64,
    ttl: u64,
) -> jsonwebtoken::errors::Result<String> {
    let mut header = Header::new(Algorithm::ES256);
    header.typ = None;
    header.cty = Some(String::from("text/plain"));
    encode(&header, &UserClaims::new(user, now, ttl), &keys.es256)
}

/// The messaging token for `user`, valid from `now` (seconds) for `ttl` seconds.
pub fn messaging_token(
    key: &MessagingKey,
    user: &User,
    now: u64,
    ttl: u64,
) -> jsonwebtoken::errors::Result<String> {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(key.kid.clone());
    let claims = MessagingClaims {
        scope: "user",
        user: UserClaims::new(user, now, ttl),
        email_verified: user.email.is_some() && user.email_verified,
    };
    encode(&header, &claims, &key.secret)
}
