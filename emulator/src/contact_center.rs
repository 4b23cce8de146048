//! Contact-centre tokens, a channel of their own: ES256, verified with the public key the admin
//! configured, `exp` required and not past. Checks run in this order: the shape (`malformed`),
//! `alg` (`unsupported_alg`), a configured key (`no_contact_center_key`), the signature
//! (`bad_signature`), then `exp` (`missing_exp`, `expired`).

use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use crate::header::read_header;
use crate::messaging::{exp, verified_payload};
use crate::reason::Rejection;

/// The contact-centre public key: a P-256 public key in PEM, as `openssl ec -pubout` writes it
/// (`-----BEGIN PUBLIC KEY-----`).
#[derive(Clone)]
pub struct ContactCenterKey {
    pem: String,
    key: DecodingKey,
}

impl std::fmt::Debug for ContactCenterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactCenterKey")
            .field("pem", &self.pem)
            .finish()
    }
}

impl ContactCenterKey {
    /// The key in `pem`, or a message saying what is wrong with it.
    pub fn parse(pem: &str) -> Result<ContactCenterKey, &'static str> {
        let pem = pem.trim();
        if !pem.starts_with("-----BEGIN PUBLIC KEY-----") {
            return Err("not a PEM public key (-----BEGIN PUBLIC KEY-----, as `openssl ec -pubout` writes it)");
        }
        let key = DecodingKey::from_ec_pem(pem.as_bytes())
            .map_err(|_| "not an EC (P-256) public key in PEM")?;
        Ok(ContactCenterKey {
            pem: format!("{pem}\n"),
            key,
        })
    }

    /// The PEM text, as stored (trimmed, one final newline).
    pub fn pem(&self) -> &str {
        &self.pem
    }
}

/// Verifies a contact-centre token at `now` (seconds since the epoch); the answer is the
/// payload, every claim as sent (the consumer's fields).
pub fn verify_contact_center(
    jwt: &str,
    now: u64,
    key: Option<&ContactCenterKey>,
) -> Result<Map<String, Value>, Rejection> {
    let header = read_header(jwt)?;
    if header.alg != "ES256" {
        return Err(Rejection::UnsupportedAlg);
    }
    let key = key.ok_or(Rejection::NoContactCenterKey)?;
    let payload = verified_payload(jwt, &key.key, Algorithm::ES256)?;
    match exp(payload.get("exp"), now)? {
        Some(_) => Ok(payload),
        None => Err(Rejection::MissingExp),
    }
}
