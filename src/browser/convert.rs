//! Rust values to the JavaScript shapes of SPEC.md, and options from JavaScript. Every object
//! handed to the page is frozen, so one handler cannot change what the next one sees, and keys
//! are defined (not assigned), so a `__proto__` claim is a plain property.

use crate::browser::bindings::{
    define_property, entries, freeze, is_array, new_array, new_object, object_create, Obj,
};
use crate::core::config::OptionValue;
use crate::core::json::{Object as JsonObject, Value};
use crate::core::state::{AuthState, Event, User};
use crate::core::LoginFailedError;
use alloc::string::String;
use wasm_bindgen::prelude::*;

/// Claims nested deeper than this are given as `null` (a real token nests two or three levels).
const MAX_CLAIM_DEPTH: usize = 32;

/// An object without a prototype: setting its keys cannot reach a setter the page put on
/// `Object.prototype`. For what the SDK hands to the browser (fetch options, messages, locks).
pub fn bare_object() -> Obj {
    object_create(&JsValue::NULL)
}

/// Defines (never assigns) keys: a setter, or a read-only property, that the page put on
/// `Object.prototype` (or `Array.prototype`) cannot catch or block them, and `__proto__` is a
/// plain property. Its one descriptor has no prototype, so the page cannot add `get` or
/// `writable` to it either; only its `value` changes from key to key.
struct Definer(Obj);

impl Definer {
    fn new() -> Definer {
        let descriptor = bare_object();
        descriptor.set("enumerable", &JsValue::TRUE);
        Definer(descriptor)
    }

    /// For the claims: each key configurable until its object is frozen, so that a key the
    /// token's JSON repeats (the browser's reader keeps each) is defined again, and its last
    /// value counts, where it first appears (as `JSON.parse` reads it). The state and the
    /// errors, whose keys never repeat, keep theirs fixed from the start.
    fn configurable() -> Definer {
        let definer = Definer::new();
        definer.0.set("configurable", &JsValue::TRUE);
        definer
    }

    fn define(&self, object: &Obj, key: &str, value: &JsValue) {
        self.0.set("value", value);
        let _ = define_property(object, key, &self.0);
    }

    fn define_str(&self, object: &Obj, key: &str, value: &str) {
        self.define(object, key, &JsValue::from(value));
    }
}

/// Starts a plain object to define keys on, then freeze.
fn object() -> (Definer, Obj) {
    (Definer::new(), new_object())
}

/// `null`, or the text.
fn opt_str(value: &Option<String>) -> JsValue {
    value.as_deref().map_or(JsValue::NULL, JsValue::from)
}

/// `null`, or the number.
fn opt_num(value: Option<f64>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from)
}

/// Defines `key` of `object` as the JSON `value`, frozen.
fn define_json(definer: &Definer, object: &Obj, key: &str, value: &Value, depth: usize) {
    match value {
        Value::String(text) if depth <= MAX_CLAIM_DEPTH => definer.define_str(object, key, text),
        _ => definer.define(object, key, &json(definer, value, depth)),
    }
}

/// A JSON value as a frozen JavaScript value.
fn json(definer: &Definer, value: &Value, depth: usize) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        _ if depth > MAX_CLAIM_DEPTH => JsValue::NULL,
        Value::Bool(b) => JsValue::from(*b),
        Value::Number(n) => JsValue::from(n.as_f64()),
        Value::String(s) => JsValue::from(s.as_str()),
        Value::Array(items) => {
            // Defined by index, as objects are: `push` would assign, through the prototypes.
            let array = new_array();
            let mut key = String::new();
            for (index, item) in items.iter().enumerate() {
                key.clear();
                crate::core::text::push_u64(&mut key, index as u64);
                define_json(definer, &array, &key, item, depth + 1);
            }
            freeze(&array)
        }
        Value::Object(map) => json_object(definer, map, depth),
    }
}

fn json_object(definer: &Definer, map: &JsonObject, depth: usize) -> JsValue {
    let object = new_object();
    for (key, item) in map.iter() {
        define_json(definer, &object, key, item, depth + 1);
    }
    freeze(&object)
}

fn user(user: &User) -> JsValue {
    let (d, o) = object();
    d.define(&o, "externalId", &opt_str(&user.external_id));
    d.define(&o, "name", &opt_str(&user.name));
    d.define(&o, "email", &opt_str(&user.email));
    d.define(&o, "emailVerified", &user.email_verified.into());
    d.define(
        &o,
        "claims",
        &json_object(&Definer::configurable(), &user.claims, 0),
    );
    freeze(&o)
}

/// `AuthState`.
pub fn auth_state(state: &AuthState) -> JsValue {
    let authenticated = state.status == crate::core::Status::Authenticated;
    let (d, o) = object();
    d.define_str(&o, "status", state.status.as_str());
    d.define(&o, "authenticationStatus", &authenticated.into());
    d.define(
        &o,
        "user",
        &state.user.as_deref().map_or(JsValue::NULL, user),
    );
    d.define(&o, "expiresAt", &opt_num(state.expires_at));
    d.define_str(&o, "anonymousId", &state.anonymous_id);
    if let Some(previous) = &state.previous_anonymous_id {
        d.define_str(&o, "previousAnonymousId", previous);
    }
    freeze(&o)
}

/// `LoginFailedError`.
pub fn login_failed(error: &LoginFailedError) -> JsValue {
    let (d, o) = object();
    d.define_str(&o, "type", "LoginFailedError");
    d.define_str(&o, "reason", error.reason.as_str());
    if let Some(detail) = error.detail {
        d.define_str(&o, "detail", detail);
    }
    if let Some(status) = error.status {
        d.define(&o, "status", &status.into());
    }
    d.define_str(&o, "message", &error.message);
    freeze(&o)
}

/// An event's `detail`.
pub fn event_detail(event: &Event) -> JsValue {
    let (key, value) = match event {
        Event::Ready(state) | Event::AuthStateChanged(state) => return auth_state(state),
        Event::LoginFailed(error) => return login_failed(error),
        Event::TokenExpiring { expires_at } | Event::TokenExpired { expires_at } => {
            ("expiresAt", JsValue::from(*expires_at))
        }
        Event::TokenRefreshed { expires_at } => ("expiresAt", opt_num(*expires_at)),
        Event::LoggedOut { anonymous_id } => ("anonymousId", JsValue::from(anonymous_id.as_str())),
    };
    let (d, o) = object();
    d.define(&o, key, &value);
    freeze(&o)
}

// Booleans are told apart with `===` (an intrinsic the shell uses anyway), and strings with
// as_string: as_bool, is_truthy and is_string would each be an import and a glue function.

/// Whether `value` is `null` or `undefined`.
fn is_nullish(value: &JsValue) -> bool {
    value.is_null() || value.is_undefined()
}

/// `Some(b)` when `value` is the boolean `b`.
fn as_bool(value: &JsValue) -> Option<bool> {
    if *value == JsValue::TRUE {
        Some(true)
    } else if *value == JsValue::FALSE {
        Some(false)
    } else {
        None
    }
}

/// The type of a value, for messages ("a number", "null", ...).
pub fn type_name(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_undefined() {
        "undefined"
    } else if as_bool(value).is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_function() {
        "a function"
    } else if value.as_string().is_some() {
        "a string"
    } else {
        "an object"
    }
}

/// One option value as the core takes it.
pub fn option_value(value: &JsValue) -> OptionValue {
    if is_nullish(value) {
        OptionValue::Unset
    } else if let Some(s) = value.as_string() {
        OptionValue::Str(s)
    } else if let Some(n) = value.as_f64() {
        OptionValue::Num(n)
    } else if let Some(b) = as_bool(value) {
        OptionValue::Bool(b)
    } else {
        OptionValue::Other(type_name(value))
    }
}

/// The `[string, value]` pairs of an array: the loader's `data-` attributes (`[name, value]`,
/// name without `data-`), `Object.entries` of the options. Anything else is skipped.
pub fn pairs(value: &JsValue) -> impl Iterator<Item = (String, JsValue)> + '_ {
    let array: &Obj = value.unchecked_ref();
    let length = if is_array(value) {
        array
            .get("length")
            .ok()
            .and_then(|n| n.as_f64())
            .unwrap_or(0.0) as u32
    } else {
        0
    };
    (0..length).filter_map(move |index| {
        let pair = array.at(index);
        if !is_array(&pair) {
            return None;
        }
        let pair: &Obj = pair.unchecked_ref();
        Some((pair.at(0).as_string()?, pair.at(1)))
    })
}

/// The own enumerable options of an `init()` argument as `[name, value]` pairs, or why they
/// cannot be read.
pub fn option_entries(options: &JsValue) -> Result<JsValue, String> {
    if is_nullish(options) {
        return Ok(JsValue::UNDEFINED);
    }
    if !options.is_object() || is_array(options) {
        return Err(String::from(
            "messenger.init: options must be an object, such as { authEndpoint: \"/auth/jwt\" }",
        ));
    }
    entries(options)
        .map(JsValue::from)
        .map_err(|_| String::from("messenger.init: an option could not be read (its getter threw)"))
}
