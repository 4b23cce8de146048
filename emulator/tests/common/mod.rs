//! Test tokens, made with jsonwebtoken (never with the code under test), and small builders of
//! the directory's facts.
#![allow(dead_code)] // each test file uses some of these

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use messenger_emulator::{EmailAddress, Identity, SigningKey, UserClaims, UserId, UserRecord};
use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{json, Value};

/// The `now` of the tables: 2026-01-01T00:00:00Z, in seconds.
pub const NOW: u64 = 1_767_225_600;

/// A signing key as the service would hold it.
pub fn key(kid: &str, secret: &str) -> SigningKey {
    SigningKey {
        kid: kid.into(),
        name: format!("key {kid}"),
        secret: secret.into(),
    }
}

/// The keys of the messaging tables: two, so that the `kid` matters.
pub fn keys() -> Vec<SigningKey> {
    vec![
        key("app_one", "the-first-secret-of-at-least-thirty-two-bytes"),
        key("app_two", "the-second-secret-of-at-least-thirty-two-bytes"),
    ]
}

/// An HS256 token with header `{"alg":"HS256","typ":"JWT","kid":kid}` signed with `secret`.
pub fn hs256(kid: Option<&str>, secret: &str, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid.map(String::from);
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// A token of the first key of [`keys`].
pub fn messaging(claims: &Value) -> String {
    let keys = keys();
    hs256(Some(&keys[0].kid), &keys[0].secret, claims)
}

/// A token with any header and payload text (both base64url-encoded here), signed by
/// jsonwebtoken's `crypto::sign` with `alg` and `key`, or unsigned (empty signature).
pub fn raw(header: &str, payload: &str, signer: Option<(&EncodingKey, Algorithm)>) -> String {
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = match signer {
        Some((key, alg)) => jsonwebtoken::crypto::sign(message.as_bytes(), key, alg).unwrap(),
        None => String::new(),
    };
    format!("{message}.{signature}")
}

/// The first key of [`keys`] as an encoding key.
pub fn first_key() -> EncodingKey {
    EncodingKey::from_secret(keys()[0].secret.as_bytes())
}

/// A P-256 key pair: the private key to sign with, and the public key in PEM as
/// `openssl ec -pubout` writes it.
pub struct Es256 {
    pub private: EncodingKey,
    pub public_pem: String,
    pub private_pem: String,
}

pub fn es256_pair() -> Es256 {
    let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
    let private_pem = secret.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    Es256 {
        private: EncodingKey::from_ec_pem(private_pem.as_bytes()).unwrap(),
        public_pem: secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap(),
        private_pem,
    }
}

/// An ES256 token with the header the demo site's contact-centre tokens have.
pub fn es256(pair: &Es256, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::ES256);
    header.typ = None;
    header.cty = Some("text/plain".into());
    encode(&header, claims, &pair.private).unwrap()
}

/// The smallest valid messaging payload, with `extra` claims added (a `null` removes one).
pub fn payload(extra: Value) -> Value {
    let mut claims = json!({ "scope": "user", "external_id": "ada" });
    if let (Some(claims), Value::Object(extra)) = (claims.as_object_mut(), extra) {
        for (name, value) in extra {
            if value == "<absent>" {
                claims.remove(&name);
            } else {
                claims.insert(name, value);
            }
        }
    }
    claims
}

pub fn address(text: &str) -> EmailAddress {
    EmailAddress::parse(text).unwrap()
}

pub fn verified(text: &str) -> Identity {
    Identity {
        address: address(text),
        verified: true,
    }
}

pub fn unverified(text: &str) -> Identity {
    Identity {
        address: address(text),
        verified: false,
    }
}

/// A user record: `external_id` none for an unauthenticated one.
pub fn record(id: &str, external_id: Option<&str>, identities: &[Identity]) -> UserRecord {
    UserRecord {
        id: UserId::from(id),
        external_id: external_id.map(String::from),
        identities: identities.to_vec(),
    }
}

/// The claims of a verified token for `external_id`, with a verified email or none.
pub fn claims(external_id: &str, verified_email: Option<&str>) -> UserClaims {
    UserClaims {
        external_id: external_id.into(),
        name: None,
        verified_email: verified_email.map(address),
        exp: None,
    }
}
