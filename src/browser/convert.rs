//! Rust values to the JavaScript shapes of SPEC.md, and options from JavaScript. Every object
//! handed to the page is frozen, so one handler cannot change what the next one sees, and keys
//! are defined (not assigned), so a `__proto__` claim is a plain property.

use crate::core::config::OptionValue;
use crate::core::json::{Object as JsonObject, Value};
use crate::core::state::{AuthState, Event, User};
use crate::core::LoginFailedError;
use alloc::{string::String, vec, vec::Vec};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    // With `catch`: defining on an object the SDK just made cannot fail, but a page can replace
    // `Object.defineProperty`.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = defineProperty)]
    fn define_property(object: &Object, key: &str, descriptor: &Object)
        -> Result<JsValue, JsValue>;
}

/// Claims nested deeper than this are given as `null` (a real token nests two or three levels).
const MAX_CLAIM_DEPTH: usize = 32;

/// An object without a prototype: setting its keys cannot reach a setter the page put on
/// `Object.prototype`. For what the SDK hands to the browser (fetch options, messages, locks).
pub fn bare_object() -> Object {
    Object::create(JsValue::NULL.unchecked_ref())
}

/// Sets `key` on an object the SDK made; it cannot fail on a bare object.
pub fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key.into(), value);
}

/// Builds a frozen plain object from key/value pairs.
fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        define(&object, key, value);
    }
    Object::freeze(&object).into()
}

/// Defines (never assigns) `key`: a setter, or a read-only property, that the page put on
/// `Object.prototype` cannot catch or block it, and `__proto__` is a plain property. The
/// descriptor has no prototype, so the page cannot add `get` or `writable` to it either.
fn define(object: &Object, key: &str, value: &JsValue) {
    let descriptor = bare_object();
    set(&descriptor, "value", value);
    set(&descriptor, "enumerable", &JsValue::TRUE);
    let _ = define_property(object, key, &descriptor);
}

fn opt_str(value: &Option<String>) -> JsValue {
    value.as_deref().map_or(JsValue::NULL, JsValue::from)
}

fn opt_num(value: Option<f64>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from)
}

/// A JSON value as a frozen JavaScript value.
fn json(value: &Value, depth: usize) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        _ if depth > MAX_CLAIM_DEPTH => JsValue::NULL,
        Value::Bool(b) => JsValue::from(*b),
        Value::Number(n) => JsValue::from(n.as_f64()),
        Value::String(s) => JsValue::from(s.as_str()),
        Value::Array(items) => {
            let array: Array = items.iter().map(|item| json(item, depth + 1)).collect();
            Object::freeze(&array).into()
        }
        Value::Object(map) => json_object(map, depth),
    }
}

fn json_object(map: &JsonObject, depth: usize) -> JsValue {
    let object = Object::new();
    for (key, item) in map.iter() {
        define(&object, key, &json(item, depth + 1));
    }
    Object::freeze(&object).into()
}

fn user(user: &User) -> JsValue {
    object(&[
        ("externalId", opt_str(&user.external_id)),
        ("name", opt_str(&user.name)),
        ("email", opt_str(&user.email)),
        ("emailVerified", user.email_verified.into()),
        ("claims", json_object(&user.claims, 0)),
    ])
}

/// `AuthState`.
pub fn auth_state(state: &AuthState) -> JsValue {
    let mut entries = vec![
        ("status", JsValue::from(state.status.as_str())),
        (
            "authenticationStatus",
            JsValue::from(state.status == crate::core::Status::Authenticated),
        ),
        ("user", state.user.as_deref().map_or(JsValue::NULL, user)),
        ("expiresAt", opt_num(state.expires_at)),
        ("anonymousId", JsValue::from(state.anonymous_id.as_str())),
    ];
    if let Some(previous) = &state.previous_anonymous_id {
        entries.push(("previousAnonymousId", JsValue::from(previous.as_str())));
    }
    object(&entries)
}

/// `LoginFailedError`.
pub fn login_failed(error: &LoginFailedError) -> JsValue {
    let mut entries = vec![
        ("type", JsValue::from("LoginFailedError")),
        ("reason", JsValue::from(error.reason.as_str())),
    ];
    if let Some(detail) = error.detail {
        entries.push(("detail", JsValue::from(detail)));
    }
    if let Some(status) = error.status {
        entries.push(("status", JsValue::from(status)));
    }
    entries.push(("message", JsValue::from(error.message.as_str())));
    object(&entries)
}

/// An event's `detail`.
pub fn event_detail(event: &Event) -> JsValue {
    match event {
        Event::Ready(state) | Event::AuthStateChanged(state) => auth_state(state),
        Event::TokenExpiring { expires_at } | Event::TokenExpired { expires_at } => {
            object(&[("expiresAt", JsValue::from(*expires_at))])
        }
        Event::TokenRefreshed { expires_at } => object(&[("expiresAt", opt_num(*expires_at))]),
        Event::LoginFailed(error) => login_failed(error),
        Event::LoggedOut { anonymous_id } => {
            object(&[("anonymousId", JsValue::from(anonymous_id.as_str()))])
        }
    }
}

/// The type of a value, for messages ("a number", "null", ...).
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
    } else if value.is_string() {
        "a string"
    } else {
        "an object"
    }
}

/// One option value as the core takes it.
pub fn option_value(value: &JsValue) -> OptionValue {
    if value.is_undefined() || value.is_null() {
        OptionValue::Unset
    } else if let Some(s) = value.as_string() {
        OptionValue::Str(s)
    } else if let Some(n) = value.as_f64() {
        OptionValue::Num(n)
    } else if let Some(b) = value.as_bool() {
        OptionValue::Bool(b)
    } else {
        OptionValue::Other(type_name(value))
    }
}

/// The `[name, value]` string pairs of the script tag's `data-` attributes.
pub fn attribute_pairs(value: &JsValue) -> Vec<(String, String)> {
    let Some(array) = value.dyn_ref::<Array>() else {
        return Vec::new();
    };
    array
        .iter()
        .filter_map(|pair| {
            let pair = pair.dyn_into::<Array>().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// The own enumerable options of an `init()` argument, or why they cannot be read.
pub fn option_entries(options: &JsValue) -> Result<Vec<(String, JsValue)>, String> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    let Some(object) = options
        .dyn_ref::<Object>()
        .filter(|_| !options.is_function() && !Array::is_array(options))
    else {
        return Err(String::from(
            "messenger.init: options must be an object, such as { authEndpoint: \"/auth/jwt\" }",
        ));
    };
    let keys = Object::keys(object);
    let mut entries = Vec::new();
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        let value = Reflect::get(object, &key).map_err(|_| {
            String::from("messenger.init: an option could not be read (its getter threw)")
        })?;
        entries.push((name, value));
    }
    Ok(entries)
}
