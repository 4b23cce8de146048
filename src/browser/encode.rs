//! The core's values as the page sees them: serde `Serialize` turned into plain, frozen objects
//! by serde-wasm-bindgen (JSON-compatible: objects, not `Map`s; `null`, not `undefined`).

use js_sys::{Object, JSON};
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::{JsCast, JsValue};

const SERIALIZER: Serializer = Serializer::json_compatible();

/// `value` as a plain JavaScript value.
pub fn plain<T: Serialize>(value: &T) -> JsValue {
    // The SDK's types hold strings, numbers, booleans and options of them: nothing fails.
    value.serialize(&SERIALIZER).unwrap_or(JsValue::NULL)
}

/// `value` as a JavaScript value frozen at every level, so that one handler cannot change what
/// the next one sees.
pub fn frozen<T: Serialize>(value: &T) -> JsValue {
    let value = plain(value);
    freeze(&value);
    value
}

/// Freezes `value` and every object inside it (a frozen one is taken as frozen throughout: the
/// claims are frozen when the token is read). Without recursion: a token's payload may nest as
/// deep as `JSON.parse` goes.
pub fn freeze(value: &JsValue) {
    let mut pending = vec![value.clone()];
    while let Some(item) = pending.pop() {
        if !item.is_object() {
            continue;
        }
        let object: &Object = item.unchecked_ref();
        if Object::is_frozen(object) {
            continue;
        }
        Object::freeze(object);
        pending.extend(Object::values(object).iter());
    }
}

/// `value` as JSON text (the stored record).
pub fn json<T: Serialize>(value: &T) -> Option<String> {
    JSON::stringify(&plain(value)).ok().map(String::from)
}
