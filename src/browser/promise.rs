//! Promises the SDK waits on (fetch, the body, a lock request), bound with `catch`: a page that
//! broke `Promise` or handed back a non-promise gets a `false`, never an exception inside the SDK.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A promise, as the page's `Promise` makes it.
    type Settling;

    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    fn promise_resolve(value: &JsValue) -> Result<Settling, JsValue>;

    #[wasm_bindgen(method, catch, js_name = then)]
    fn then_catching(
        this: &Settling,
        fulfilled: &JsValue,
        rejected: &JsValue,
    ) -> Result<Settling, JsValue>;
}

/// Calls `fulfilled(value)` or `rejected(error)` once `value` settles (a non-promise settles at
/// once). What they throw later (the SDK may be gone by then) goes to a no-op, so no rejection is
/// ever left unhandled. False when the page's `Promise` threw.
pub fn when_settled(value: &JsValue, fulfilled: &JsValue, rejected: &Function) -> bool {
    let chained = promise_resolve(value)
        .and_then(|promise| promise.then_catching(fulfilled, rejected))
        .and_then(|handled| handled.then_catching(&JsValue::UNDEFINED, &no_op(rejected)));
    chained.is_ok()
}

/// `Function.prototype`: a native function that does nothing, whatever it is given.
fn no_op(function: &Function) -> JsValue {
    Reflect::get_prototype_of(function).map_or(JsValue::UNDEFINED, JsValue::from)
}
