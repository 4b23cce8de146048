//! Every browser API the shell calls, bound by hand instead of through js-sys and web-sys: each
//! is named where it lives (`window.x`, `navigator.locks`) and looked up at each call, so a
//! page's wrapper is used; `catch` wherever page code, or a page's replacement, may throw. This
//! costs far fewer bytes: no global-object lookup (web-sys's `window()` tries four accessors and
//! an `instanceof Window`), one binding where js-sys has several (`call`, `bind`), keys and
//! texts passed as Rust strings, and no js-sys in the wasm at all (its async executor's waker
//! stays in even unused).

use wasm_bindgen::prelude::*;

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

    /// An event target: the window, the document, the channel.
    pub type EventTarget;

    /// `target.addEventListener(kind, listener)`.
    #[wasm_bindgen(method, catch, js_name = addEventListener)]
    pub fn listen(this: &EventTarget, kind: &str, listener: &Function) -> Result<(), JsValue>;

    /// `target.removeEventListener(kind, listener)`.
    #[wasm_bindgen(method, catch, js_name = removeEventListener)]
    pub fn unlisten(this: &EventTarget, kind: &str, listener: &Function) -> Result<(), JsValue>;

    /// `target.dispatchEvent(event)`.
    #[wasm_bindgen(method, catch, js_name = dispatchEvent)]
    pub fn dispatch(this: &EventTarget, event: &JsValue) -> Result<JsValue, JsValue>;

    /// Any object the SDK makes or reads; its keys are read and written with `[]`, never through
    /// `Reflect`, which a page may replace.
    pub type Obj;

    /// `object[key]`; what a getter or a proxy throws is the `Err` (also for `null`).
    #[wasm_bindgen(method, structural, indexing_getter, catch)]
    pub fn get(this: &Obj, key: &str) -> Result<JsValue, JsValue>;

    /// `array[index]`.
    #[wasm_bindgen(method, structural, indexing_getter)]
    pub fn at(this: &Obj, index: u32) -> JsValue;

    /// `object[key] = value`: only on objects without a prototype, where no setter can run.
    #[wasm_bindgen(method, structural, indexing_setter)]
    pub fn set(this: &Obj, key: &str, value: &JsValue);

    /// `object[key] = text`, the text made in JavaScript.
    #[wasm_bindgen(method, structural, indexing_setter)]
    pub fn set_str(this: &Obj, key: &str, text: &str);

    /// `Object.create(proto)`.
    #[wasm_bindgen(js_namespace = Object, js_name = create)]
    pub fn object_create(proto: &JsValue) -> Obj;

    /// `new Object()`.
    #[wasm_bindgen(js_name = Object)]
    pub fn new_object() -> Obj;

    /// `new Array()`.
    #[wasm_bindgen(js_name = Array)]
    pub fn new_array() -> Obj;

    /// `Object.defineProperty(object, key, descriptor)` (a page may replace it: `catch`).
    #[wasm_bindgen(catch, js_namespace = Object, js_name = defineProperty)]
    pub fn define_property(object: &Obj, key: &str, descriptor: &Obj) -> Result<JsValue, JsValue>;

    /// `Object.freeze(object)`.
    #[wasm_bindgen(js_namespace = Object, js_name = freeze)]
    pub fn freeze(object: &Obj) -> JsValue;

    /// `Object.entries(object)`; a getter that throws is the `Err`.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    pub fn entries(object: &JsValue) -> Result<Obj, JsValue>;

    /// `Array.isArray(value)`.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray)]
    pub fn is_array(value: &JsValue) -> bool;

    /// A function: the page's (handlers, callbacks) or the SDK's (bound sinks).
    #[wasm_bindgen(is_type_of = JsValue::is_function)]
    #[derive(Clone)]
    pub type Function;

    /// `f.call(thisArg, arg)`; what it throws is the `Err`. The only call binding: functions
    /// that take no argument get `undefined`.
    #[wasm_bindgen(method, catch)]
    pub fn call(this: &Function, this_arg: &JsValue, arg: &JsValue) -> Result<JsValue, JsValue>;

    /// `f.bind(thisArg, first, second)`.
    #[wasm_bindgen(method)]
    pub fn bind(this: &Function, this_arg: &JsValue, first: f64, second: &JsValue) -> Function;

    /// `Function.prototype`: a native function that does nothing, whatever it is given.
    #[wasm_bindgen(static_method_of = Global, js_class = "Function", getter = prototype, catch)]
    pub fn no_op() -> Result<JsValue, JsValue>;

    /// A promise, as the page's `Promise` makes it (a page may have replaced `Promise`).
    #[wasm_bindgen(js_name = Promise)]
    pub type Pledge;

    /// `new Promise(executor)`.
    #[wasm_bindgen(constructor, js_class = "Promise")]
    pub fn new(executor: &Function) -> Pledge;

    /// `Promise.resolve(value)`.
    #[wasm_bindgen(static_method_of = Pledge, js_class = "Promise", catch)]
    pub fn resolve(value: &JsValue) -> Result<Pledge, JsValue>;

    /// `Promise.reject(error)`.
    #[wasm_bindgen(static_method_of = Pledge, js_class = "Promise")]
    pub fn reject(error: &JsValue) -> Pledge;

    /// `promise.then(fulfilled, rejected)` (a page's thenable may throw).
    #[wasm_bindgen(method, catch)]
    pub fn then(this: &Pledge, fulfilled: &JsValue, rejected: &JsValue) -> Result<Pledge, JsValue>;

    /// `Date.now()`.
    #[wasm_bindgen(js_namespace = Date)]
    pub fn now() -> f64;

    /// `Math.random()`.
    #[wasm_bindgen(js_namespace = Math)]
    pub fn random() -> f64;

    /// `Error(message)`: a new `Error`, as with `new`.
    #[wasm_bindgen(js_name = Error)]
    pub fn error(message: &str) -> JsValue;

    /// `console.error(message)`.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    pub fn console_error(message: &str);

    /// `console.error(message, thrown)`.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    pub fn console_error2(message: &str, thrown: &JsValue);

    /// `sessionStorage` or `localStorage`.
    pub type Storage;

    /// `storage.getItem(key)`: a string or `null`.
    #[wasm_bindgen(method, catch, js_name = getItem)]
    pub fn get_item(this: &Storage, key: &str) -> Result<JsValue, JsValue>;

    /// `storage.setItem(key, value)`: throws when full or blocked.
    #[wasm_bindgen(method, catch, js_name = setItem)]
    pub fn set_item(this: &Storage, key: &str, value: &str) -> Result<(), JsValue>;

    /// `storage.removeItem(key)`.
    #[wasm_bindgen(method, catch, js_name = removeItem)]
    pub fn remove_item(this: &Storage, key: &str) -> Result<(), JsValue>;

}

#[wasm_bindgen(module = "/www/sdk/json.js")]
extern "C" {
    /// The SDK's JSON reader (`www/sdk/json.js`): UTF-8 `bytes` as a tape of what they hold,
    /// or `undefined` when they are not JSON. Its own code, which a page cannot replace.
    #[wasm_bindgen(js_name = readJson)]
    pub fn read_json(bytes: &[u8]) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    /// Aborts a fetch, or the wait for a lock.
    #[derive(Clone)]
    pub type AbortController;

    /// `new AbortController()`.
    #[wasm_bindgen(constructor, catch)]
    pub fn new() -> Result<AbortController, JsValue>;

    /// `controller.abort()`.
    #[wasm_bindgen(method)]
    pub fn abort(this: &AbortController);

    /// `controller.signal`.
    #[wasm_bindgen(method, getter)]
    pub fn signal(this: &AbortController) -> JsValue;

}

#[wasm_bindgen]
extern "C" {
    /// A fetch's response.
    pub type Response;

    /// `response.status`.
    #[wasm_bindgen(method, getter)]
    pub fn status(this: &Response) -> u16;

    /// `response.redirected`.
    #[wasm_bindgen(method, getter)]
    pub fn redirected(this: &Response) -> bool;

    /// `response.text()`: a promise of the body.
    #[wasm_bindgen(method, catch)]
    pub fn text(this: &Response) -> Result<JsValue, JsValue>;

}

#[wasm_bindgen]
extern "C" {
    /// The channel to the SDK in the other tabs.
    #[wasm_bindgen(extends = EventTarget)]
    pub type BroadcastChannel;

    /// `new BroadcastChannel(name)`.
    #[wasm_bindgen(constructor, catch)]
    pub fn new(name: &str) -> Result<BroadcastChannel, JsValue>;

    /// `channel.postMessage(data)`.
    #[wasm_bindgen(method, catch, js_name = postMessage)]
    pub fn post_message(this: &BroadcastChannel, data: &JsValue) -> Result<(), JsValue>;

    /// `channel.close()`.
    #[wasm_bindgen(method)]
    pub fn close(this: &BroadcastChannel);

}

#[wasm_bindgen]
extern "C" {
    /// A `messenger:<name>` window event.
    pub type CustomEvent;

    /// `new CustomEvent(type, init)`.
    #[wasm_bindgen(constructor, catch)]
    pub fn new(kind: &str, init: &Obj) -> Result<CustomEvent, JsValue>;
}
