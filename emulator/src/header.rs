//! The JOSE header of a JWT, read before any key is chosen: which channel's algorithm, which
//! key. jsonwebtoken's own `Header` cannot hold `alg: "none"` (it would be a parse error), and
//! `none` must be `unsupported_alg`, not `malformed`; so the header is decoded here with the
//! `base64` and `serde_json` crates, and jsonwebtoken then checks the signature.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::reason::Rejection;

/// What the header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoseHeader {
    /// `alg`, as written (`"HS256"`, `"none"`, ...).
    pub alg: String,
    /// `kid`, if any.
    pub kid: Option<String>,
}

/// The header of `jwt`: `malformed` unless the token is three dot-separated parts and the
/// first is base64url of a JSON object with a string `alg` (and, if present, a string `kid`).
pub fn read_header(jwt: &str) -> Result<JoseHeader, Rejection> {
    let mut parts = jwt.split('.');
    let (Some(header), Some(_payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Rejection::Malformed);
    };
    let object = json_object(header).ok_or(Rejection::Malformed)?;
    let alg = match object.get("alg") {
        Some(Value::String(alg)) => alg.clone(),
        _ => return Err(Rejection::Malformed),
    };
    let kid = match object.get("kid") {
        None | Some(Value::Null) => None,
        Some(Value::String(kid)) => Some(kid.clone()),
        Some(_) => return Err(Rejection::Malformed),
    };
    Ok(JoseHeader { alg, kid })
}

/// A base64url (unpadded) part holding a JSON object.
fn json_object(part: &str) -> Option<Map<String, Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(object) => Some(object),
        _ => None,
    }
}
