//! Promises the SDK waits on (fetch, the body, a lock request, an async jwtCallback): a page that
//! broke `Promise` or handed back a non-promise gets a `false`, never an exception inside the SDK.

use crate::browser::bindings::{Function, Global, Pledge};
use wasm_bindgen::JsValue;

/// Calls `fulfilled(value)` or `rejected(error)` once `value` settles (a non-promise settles at
/// once). What they throw later (the SDK may be gone by then) goes to a no-op, so no rejection is
/// ever left unhandled. False when the page's `Promise` threw.
pub fn when_settled(value: &JsValue, fulfilled: &JsValue, rejected: &Function) -> bool {
    let chained = Pledge::resolve(value)
        .and_then(|promise| promise.then(fulfilled, rejected))
        .and_then(|handled| {
            handled.then(
                &JsValue::UNDEFINED,
                &Global::no_op().unwrap_or(JsValue::UNDEFINED),
            )
        });
    chained.is_ok()
}
