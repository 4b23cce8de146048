//! Browser APIs bound by hand, each named where it is used (`window.x`, `navigator.locks`) and
//! looked up at each call, so a page's wrapper is used. Cheaper than web-sys's `window()`, which
//! finds the global object through four accessors and an `instanceof Window`.

use wasm_bindgen::prelude::*;
use js_sys::Function;
use web_sys::{EventTarget, Storage};

#[wasm_bindgen]
extern "C" {
    /// Stands for the objects the static bindings below read from (`js_class`).
    pub type Global;

    /// `window` (`window.window`: unlike `globalThis` or `self`, a page cannot replace it).
    #[wasm_bindgen(static_method_of = Global, js_class = "window", getter = window)]
    pub fn window() -> EventTarget;

    /// `window.document`.
    #[wasm_bindgen(static_method_of = Global, js_class = "window", getter = document)]
    pub fn document() -> EventTarget;

    /// `document.hidden`: false exactly when `visibilityState` is `visible`.
    #[wasm_bindgen(static_method_of = Global, js_class = "document", getter = hidden)]
    pub fn hidden() -> bool;

    /// `window.sessionStorage`: throws where storage is blocked.
    #[wasm_bindgen(static_method_of = Global, js_class = "window", getter = sessionStorage, catch)]
    pub fn session_storage() -> Result<Storage, JsValue>;

    /// `window.localStorage`: throws where storage is blocked.
    #[wasm_bindgen(static_method_of = Global, js_class = "window", getter = localStorage, catch)]
    pub fn local_storage() -> Result<Storage, JsValue>;

    /// `navigator.locks` (a page may have removed it or made its getter throw).
    #[wasm_bindgen(static_method_of = Global, js_class = "navigator", getter = locks, catch)]
    pub fn locks() -> Result<JsValue, JsValue>;

    /// `crypto.getRandomValues(bytes)` (throws where a page broke it).
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    pub fn get_random_values(bytes: &mut [u8]) -> Result<JsValue, JsValue>;

    /// A function, as the SDK calls or binds it.
    pub type Callable;

    /// `f.bind(thisArg, first, second)`.
    #[wasm_bindgen(method)]
    pub fn bind(this: &Callable, this_arg: &JsValue, first: f64, second: &JsValue) -> Function;
}
