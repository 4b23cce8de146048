//! What the browser hands the SDK, read into the core's typed values. JSON is parsed by the
//! browser (`JSON.parse`); objects are read by their own properties only, so that a library that
//! set `Object.prototype.external_id` gives no token a claim it does not have.

use crate::browser::encode::freeze;
use crate::core::answer::Body;
use crate::core::claims::{Claims, Decoded, Field, Header, Jwt};
use crate::core::config::{ConfigError, OptionValue};
use crate::core::jwt::segments;
use crate::core::record::StoredRecord;
use crate::core::PeerMessage;
use js_sys::{Array, Object, Reflect, JSON};
use serde::{Serialize, Serializer};
use wasm_bindgen::{JsCast, JsValue};

/// A token's payload as the page sees it in `user.claims`: the object `JSON.parse` made of it,
/// frozen, so that one handler cannot change what the next one sees.
#[derive(Clone, Debug)]
pub struct Payload(Object);

impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Handed over as the object itself, not copied through Rust.
        serde_wasm_bindgen::preserve::serialize(&self.0, serializer)
    }
}

/// The JSON object in `text`, if it holds one (not an array).
fn parse(text: &str) -> Option<Object> {
    let value = JSON::parse(text).ok()?;
    (value.is_object() && !Array::is_array(&value)).then(|| value.unchecked_into())
}

/// An own member of `object`, by its JSON type. Read through its property descriptor: `JSON.parse`
/// makes data properties only, so a getter (on another tab's message, say) is not JSON, and is
/// never run.
fn field(object: &Object, key: &str) -> Field {
    let Ok(descriptor) = Reflect::get_own_property_descriptor(object, &key.into()) else {
        return Field::Other; // a proxy that throws
    };
    if descriptor.is_undefined() {
        return Field::Absent;
    }
    let value = JsValue::from_str("value");
    if !Object::has_own(descriptor.unchecked_ref::<Object>(), &value) {
        return Field::Other; // an accessor
    }
    Reflect::get(&descriptor, &value).map_or(Field::Other, |value| typed(&value))
}

/// A value by its type: `undefined` is `Absent` (as a member JSON never has).
fn typed(value: &JsValue) -> Field {
    if value.is_undefined() {
        Field::Absent
    } else if value.is_null() {
        Field::Null
    } else if let Some(b) = value.as_bool() {
        Field::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Field::Number(n)
    } else if let Some(s) = value.as_string() {
        Field::String(s)
    } else {
        Field::Other
    }
}

/// The JSON object in these bytes, if they are UTF-8 and hold one.
fn object(bytes: Vec<u8>) -> Option<Object> {
    parse(&String::from_utf8(bytes).ok()?)
}

/// A JWT's text, decoded: its base64url parts by the core, their JSON by the browser.
pub fn jwt(text: String) -> Jwt<Payload> {
    let decoded = segments(&text).and_then(|parts| {
        let header = object(parts.header)?;
        let payload = object(parts.payload)?;
        let claims = Claims::read(|key| field(&payload, key));
        freeze(&payload);
        Some(Decoded {
            header: Header::read(|key| field(&header, key)),
            claims,
            signed: parts.signed,
            payload: Payload(payload),
        })
    });
    Jwt { text, decoded }
}

/// The stored record's text, as read back (`None`: not a JSON object).
pub fn record(text: &str) -> Option<StoredRecord<Payload>> {
    let object = parse(text)?;
    Some(StoredRecord::read(|key| field(&object, key), jwt))
}

/// The endpoint's answer body.
pub fn body(text: &str) -> Body<Payload> {
    if text.trim().is_empty() {
        return Body::Empty;
    }
    match parse(text) {
        Some(object) => Body::object(|key| field(&object, key), jwt),
        None => Body::NotJson,
    }
}

/// Another tab's message (`MessageEvent.data`), if it is one of the SDK's.
pub fn peer(data: &JsValue) -> Option<PeerMessage<Jwt<Payload>>> {
    let object: &Object = data.is_object().then(|| data.unchecked_ref())?;
    PeerMessage::read(|key| field(object, key), jwt)
}

/// The own enumerable options of an `init()` argument, as `(name, value)` pairs.
pub fn options(options: &JsValue) -> Result<Vec<(String, OptionValue)>, ConfigError> {
    if options.is_null() || options.is_undefined() {
        return Ok(Vec::new());
    }
    // `is_object`, not `instanceof Object`: an object without a prototype is an object too.
    let object: &Object = (options.is_object() && !Array::is_array(options))
        .then(|| options.unchecked_ref())
        .ok_or_else(|| ConfigError {
            message:
                "messenger.init: options must be an object, such as { authEndpoint: \"/auth/jwt\" }"
                    .into(),
        })?;
    let mut pairs = Vec::new();
    for key in Object::keys(object).iter() {
        let name = key.as_string().unwrap_or_default();
        let value = Reflect::get(object, &key).map_err(|_| ConfigError {
            message: format!(
                "messenger.init: option \"{name}\" could not be read (its getter threw)"
            ),
        })?;
        pairs.push((name, option_value(&value)));
    }
    Ok(pairs)
}

fn option_value(value: &JsValue) -> OptionValue {
    match typed(value) {
        Field::Absent | Field::Null => OptionValue::Unset,
        Field::String(s) => OptionValue::Str(s),
        Field::Number(n) => OptionValue::Num(n),
        Field::Bool(b) => OptionValue::Bool(b),
        Field::Other => OptionValue::Other,
    }
}

/// The script tag's `data-` attributes as the loader hands them: `[name after data-, value]`
/// pairs (`undefined` from the ES module, which has no tag).
pub fn attributes(value: &JsValue) -> Vec<(String, String)> {
    let Some(pairs) = value.dyn_ref::<Array>() else {
        return Vec::new();
    };
    pairs
        .iter()
        .filter_map(|pair| {
            let pair: Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// What a value is, for a message ("a number", "null", ...).
pub fn type_name(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_undefined() {
        "undefined"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_function() {
        "a function"
    } else {
        "an object"
    }
}
