//! The native tests' stand-in for the shell's reading of JSON: `serde_json` where the browser
//! has `JSON.parse`, reading the same members into the core's typed values as
//! `src/browser/decode.rs` does with own-property reads.

use messenger_auth::core::answer::Body;
use messenger_auth::core::claims::{Claims, Decoded, Field, Header, Jwt};
use messenger_auth::core::jwt::segments;
use messenger_auth::core::record::StoredRecord;
use messenger_auth::core::PeerMessage;
use serde_json::{Map, Value};

/// A token's payload as the tests keep it: the parsed JSON object.
pub type Payload = Value;

/// The JSON object in `bytes`, if they hold one.
fn object(bytes: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// One member of `object`, by its JSON type.
pub fn field(object: &Map<String, Value>, key: &str) -> Field {
    match object.get(key) {
        None => Field::Absent,
        Some(Value::Null) => Field::Null,
        Some(Value::Bool(b)) => Field::Bool(*b),
        // As the browser reads numbers: doubles.
        Some(Value::Number(n)) => Field::Number(n.as_f64().unwrap_or(f64::NAN)),
        Some(Value::String(s)) => Field::String(s.clone()),
        Some(Value::Array(_) | Value::Object(_)) => Field::Other,
    }
}

/// The JWT in `text`, decoded as the shell decodes it.
pub fn jwt(text: &str) -> Jwt<Payload> {
    let decoded = segments(text).and_then(|parts| {
        let header = object(&parts.header)?;
        let payload = object(&parts.payload)?;
        Some(Decoded {
            header: Header::read(|key| field(&header, key)),
            claims: Claims::read(|key| field(&payload, key)),
            signed: parts.signed,
            payload: Value::Object(payload),
        })
    });
    Jwt {
        text: text.into(),
        decoded,
    }
}

/// The stored record in `text`, as the shell reads it back (`None`: not a JSON object).
pub fn record(text: &str) -> Option<StoredRecord<Payload>> {
    let object = object(text.as_bytes())?;
    Some(StoredRecord::read(
        |key| field(&object, key),
        |text| jwt(&text),
    ))
}

/// The endpoint's answer body in `text`.
pub fn body(text: &str) -> Body<Payload> {
    if text.trim().is_empty() {
        return Body::Empty;
    }
    match object(text.as_bytes()) {
        Some(object) => Body::object(|key| field(&object, key), |text| jwt(&text)),
        None => Body::NotJson,
    }
}

/// A message of another tab, as the shell reads it (`None`: not one of the SDK's).
pub fn peer(data: &Value) -> Option<PeerMessage<Jwt<Payload>>> {
    let object = data.as_object()?;
    PeerMessage::read(|key| field(object, key), |text| jwt(&text))
}
