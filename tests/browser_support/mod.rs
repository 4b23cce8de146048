//! Helpers shared by the browser tests (`tests/browser_*.rs`, wasm-bindgen-test in headless
//! Chromium). The SDK is driven exactly as a page drives it: through the JavaScript object that
//! `#[wasm_bindgen]` makes of `Messenger`, calling its methods by name, so that an exception the
//! SDK throws at the page arrives here as an `Err` instead of trapping the test.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use js_sys::{Array, Function, Object, Promise, Reflect};
use messenger_auth::browser::api::Messenger;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CustomEvent;

/// The SDK's storage key (SPEC: one record).
pub const STORAGE_KEY: &str = "messenger-auth";

/// The event names of SPEC.md.
pub const EVENTS: [&str; 7] = [
    "ready",
    "authStateChanged",
    "tokenExpiring",
    "tokenRefreshed",
    "tokenExpired",
    "loginFailed",
    "loggedOut",
];

// ---------------------------------------------------------------------------------------------
// Time

/// Seconds since the epoch, now.
pub fn now_s() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// Waits `ms` milliseconds with a real `setTimeout` (no fake clock: these are browser tests).
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _reject| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Waits until `done()` holds, checking every 20 ms, for at most `limit_ms`; true if it held.
pub async fn wait_until(limit_ms: i32, done: impl Fn() -> bool) -> bool {
    let mut waited = 0;
    while !done() {
        if waited >= limit_ms {
            return false;
        }
        sleep(20).await;
        waited += 20;
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Tokens (the SDK decodes and never verifies a signature, so a dummy one serves)

fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

/// A JWT from header and payload JSON texts, with a dummy signature.
pub fn jwt(header: &str, payload: &str) -> String {
    let mut token = b64(header);
    token.push('.');
    token.push_str(&b64(payload));
    token.push('.');
    token.push_str(&b64("not-a-real-signature"));
    token
}

/// An HS256 token for `user` (as `external_id` and `sub`) that expires at `exp`.
pub fn token_for(user: &str, exp: u64) -> String {
    let payload = format!(
        r#"{{"external_id":"{user}","sub":"{user}","name":"User {user}","email":"{user}@example.test","email_verified":true,"iat":{iat},"exp":{exp}}}"#,
        iat = now_s()
    );
    jwt(r#"{"alg":"HS256","typ":"JWT"}"#, &payload)
}

/// A token for `user` that lives ten minutes.
pub fn long_token(user: &str) -> String {
    token_for(user, now_s() + 600)
}

// ---------------------------------------------------------------------------------------------
// JavaScript values

/// `{ key: value, ... }`.
pub fn obj(entries: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &(*key).into(), value).unwrap();
    }
    object.into()
}

/// `value[key]` (a getter that throws fails the test).
pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

/// `value[key]` as a string, `None` when it is not one.
pub fn get_str(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

/// `value.a.b.c` for `path` "a.b.c".
pub fn path(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| get(&v, key))
}

/// `JSON.stringify(value)`, for assertion messages.
pub fn json(value: &JsValue) -> String {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| String::from("<not JSON>"))
}

/// Whether `value` is an object and frozen, and so is every object reachable through its own
/// properties (`__proto__` included when it is an own property); the first offender otherwise.
pub fn deep_frozen(value: &JsValue, at: &str) -> Result<(), String> {
    if !value.is_object() {
        return Ok(());
    }
    let object: &Object = value.unchecked_ref();
    if !Object::is_frozen(object) {
        return Err(format!("{at} is not frozen: {}", json(value)));
    }
    for key in Object::get_own_property_names(object).iter() {
        let name = key.as_string().unwrap_or_default();
        let descriptor = Reflect::get_own_property_descriptor(object, &key).unwrap();
        deep_frozen(&get(&descriptor, "value"), &format!("{at}.{name}"))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Storage

fn storage(local: bool) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    let storage = if local {
        window.local_storage()
    } else {
        window.session_storage()
    };
    storage.ok().flatten()
}

/// Empties `sessionStorage` and `localStorage`: the tests of one file share one page.
pub fn clear_storage() {
    for local in [false, true] {
        if let Some(storage) = storage(local) {
            storage.clear().unwrap();
        }
    }
}

/// The SDK's record in `sessionStorage` (or `localStorage`).
pub fn stored_record(local: bool) -> Option<String> {
    storage(local)?.get_item(STORAGE_KEY).ok().flatten()
}

// ---------------------------------------------------------------------------------------------
// The SDK as the page sees it

/// One `Messenger`, as the JavaScript object a page holds. Freed (`free()`) when dropped, which
/// releases its timer, listeners and channel.
pub struct Sdk {
    /// The `Messenger` JavaScript object.
    pub js: JsValue,
}

impl Sdk {
    /// Clears both storages, then creates a `Messenger` (not yet initialised).
    pub fn new() -> Sdk {
        clear_storage();
        Sdk {
            js: Messenger::new(JsValue::UNDEFINED).into(),
        }
    }

    /// Calls the method `name` with `args` as the page would; `Err` is what it threw.
    pub fn try_call(&self, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
        call_api(&self.js, name, args)
    }

    /// Calls the method `name`; fails the test if it threw at the page.
    pub fn call(&self, name: &str, args: &[&JsValue]) -> JsValue {
        self.try_call(name, args)
            .unwrap_or_else(|thrown| panic!("messenger.{name}() threw at the page: {thrown:?}"))
    }

    /// `await messenger.init(options)`: `Err` is the rejection.
    pub async fn init(&self, options: &JsValue) -> Result<JsValue, JsValue> {
        JsFuture::from(self.promise("init", &[options])).await
    }

    /// `await messenger.loginUser(jwtCallback, loginCallback)`: fails the test if it rejects.
    pub async fn login(&self, jwt_callback: &JsValue, login_callback: &JsValue) -> JsValue {
        let promise = self.promise("loginUser", &[jwt_callback, login_callback]);
        resolved("loginUser", promise).await
    }

    /// `await messenger.logoutUser()`.
    pub async fn logout(&self) {
        resolved("logoutUser", self.promise("logoutUser", &[])).await;
    }

    /// `await messenger.getToken()`.
    pub async fn get_token(&self) -> JsValue {
        resolved("getToken", self.promise("getToken", &[])).await
    }

    /// `await messenger.startEngagement()`.
    pub async fn start_engagement(&self) -> JsValue {
        resolved("startEngagement", self.promise("startEngagement", &[])).await
    }

    /// A method's promise (fails the test if it returned anything else).
    pub fn promise(&self, name: &str, args: &[&JsValue]) -> Promise {
        self.call(name, args)
            .dyn_into::<Promise>()
            .unwrap_or_else(|v| panic!("messenger.{name}() returned {v:?}, not a promise"))
    }

    /// `messenger.getAuthState()`.
    pub fn state(&self) -> JsValue {
        self.call("getAuthState", &[])
    }

    /// `messenger.getAuthState().status`.
    pub fn status(&self) -> String {
        get_str(&self.state(), "status").unwrap()
    }

    /// `messenger.getAuthState().anonymousId`.
    pub fn anonymous_id(&self) -> String {
        get_str(&self.state(), "anonymousId").unwrap()
    }

    /// `messenger.on(event, handler)`: the unsubscribe function it returns.
    pub fn on(&self, event: &str, handler: &JsValue) -> Function {
        self.call("on", &[&event.into(), handler])
            .dyn_into()
            .expect("on() returns a function")
    }

    /// `messenger.off(event, handler)`.
    pub fn off(&self, event: &str, handler: &JsValue) {
        self.call("off", &[&event.into(), handler]);
    }
}

impl Drop for Sdk {
    fn drop(&mut self) {
        let _ = call_method(&self.js, "free", &[]);
    }
}

/// `messenger.name(...args)` on the wasm's `Messenger` object, as the facade calls it.
pub fn call_api(messenger: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    call_method(messenger, name, args)
}

/// `target[name](...args)`.
pub fn call_method(target: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let method: Function = Reflect::get(target, &name.into())?
        .dyn_into()
        .map_err(|_| JsValue::from(format!("{name} is not a function")))?;
    let list = Array::new();
    for arg in args {
        list.push(arg);
    }
    method.apply(target, &list)
}

async fn resolved(name: &str, promise: Promise) -> JsValue {
    JsFuture::from(promise)
        .await
        .unwrap_or_else(|e| panic!("the promise of {name}() rejected: {e:?}"))
}

// ---------------------------------------------------------------------------------------------
// Page functions made in Rust

/// Values a function was called with, shared with the test.
pub type Calls = Rc<RefCell<Vec<JsValue>>>;

/// A page function that records its first argument (a handler, a loginCallback).
pub struct Recorder {
    /// The arguments, in call order.
    pub calls: Calls,
    closure: Closure<dyn Fn(JsValue)>,
}

impl Recorder {
    /// A new recorder with no calls.
    pub fn new() -> Recorder {
        let calls: Calls = Rc::default();
        let sink = calls.clone();
        Recorder {
            calls,
            closure: Closure::new(move |value: JsValue| sink.borrow_mut().push(value)),
        }
    }

    /// The function to hand to the SDK.
    pub fn function(&self) -> JsValue {
        self.closure.as_ref().clone()
    }

    /// How many calls so far.
    pub fn len(&self) -> usize {
        self.calls.borrow().len()
    }

    /// The argument of call `index`.
    pub fn arg(&self, index: usize) -> JsValue {
        self.calls.borrow()[index].clone()
    }

    /// The argument of the last call.
    pub fn last(&self) -> Option<JsValue> {
        self.calls.borrow().last().cloned()
    }
}

/// The type of the jwtCallbacks and handlers the tests write: called with one argument (the
/// `callback(jwt)` function, or an event detail); `Err` is thrown at the caller.
pub type PageFn = Closure<dyn Fn(JsValue) -> Result<JsValue, JsValue>>;

/// A page function from a Rust closure; `Err` is a JavaScript `throw`.
pub fn page_fn(f: impl Fn(JsValue) -> Result<JsValue, JsValue> + 'static) -> PageFn {
    Closure::new(f)
}

/// A jwtCallback that answers `callback(jwt)` at once, every time it is called.
pub fn answering(jwt: String) -> PageFn {
    page_fn(move |callback: JsValue| {
        callback
            .unchecked_ref::<Function>()
            .call1(&JsValue::NULL, &jwt.clone().into())?;
        Ok(JsValue::UNDEFINED)
    })
}

/// A jwtCallback that keeps each `callback` it is given (answered later by the test) and
/// counts its calls.
pub struct Stash {
    /// The `callback` functions received, in order.
    pub callbacks: Rc<RefCell<Vec<Function>>>,
    /// The jwtCallback to hand to `loginUser`.
    pub jwt_callback: PageFn,
}

impl Stash {
    /// A jwtCallback that never answers by itself.
    pub fn new() -> Stash {
        let callbacks: Rc<RefCell<Vec<Function>>> = Rc::default();
        let sink = callbacks.clone();
        Stash {
            callbacks,
            jwt_callback: page_fn(move |callback| {
                sink.borrow_mut().push(callback.unchecked_into());
                Ok(JsValue::UNDEFINED)
            }),
        }
    }

    /// How many times the SDK called the jwtCallback.
    pub fn calls(&self) -> usize {
        self.callbacks.borrow().len()
    }

    /// Calls the `index`th callback with `value`, as the page would; `Err` if it threw.
    pub fn answer(&self, index: usize, value: &JsValue) -> Result<JsValue, JsValue> {
        let callback = self.callbacks.borrow()[index].clone();
        callback.call1(&JsValue::NULL, value)
    }

    /// The jwtCallback as a JavaScript value.
    pub fn function(&self) -> JsValue {
        self.jwt_callback.as_ref().clone()
    }
}

// ---------------------------------------------------------------------------------------------
// Window listeners

/// A window event listener that removes itself when dropped. Unlike gloo's `EventListener`
/// (an `FnMut`), it may be re-entered, as a page's JavaScript listener may: an SDK call from
/// inside a listener can dispatch the same event again before the listener returns.
pub struct Listener {
    kind: String,
    closure: Closure<dyn Fn(web_sys::Event)>,
}

/// Listens to `kind` events on `window`.
pub fn listen(kind: &str, f: impl Fn(&web_sys::Event) + 'static) -> Listener {
    let closure: Closure<dyn Fn(web_sys::Event)> =
        Closure::new(move |event: web_sys::Event| f(&event));
    web_sys::window()
        .unwrap()
        .add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())
        .unwrap();
    Listener {
        kind: kind.into(),
        closure,
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = web_sys::window()
            .unwrap()
            .remove_event_listener_with_callback(&self.kind, self.closure.as_ref().unchecked_ref());
    }
}

// ---------------------------------------------------------------------------------------------
// Events

/// Every SDK event, as `on()` handlers and as `messenger:<name>` window events receive them.
pub struct EventLog {
    /// `(name, detail)` from `on()` handlers.
    pub handled: Rc<RefCell<Vec<(String, JsValue)>>>,
    /// `(name, detail)` from window `CustomEvent`s.
    pub dispatched: Rc<RefCell<Vec<(String, JsValue)>>>,
    _handlers: Vec<Closure<dyn Fn(JsValue)>>,
    _listeners: Vec<Listener>,
}

impl EventLog {
    /// Starts recording every event of `sdk`, through `on()` and through window listeners.
    pub fn attach(sdk: &Sdk) -> EventLog {
        let handled: Rc<RefCell<Vec<(String, JsValue)>>> = Rc::default();
        let dispatched: Rc<RefCell<Vec<(String, JsValue)>>> = Rc::default();
        let mut handlers = Vec::new();
        let mut listeners = Vec::new();
        for name in EVENTS {
            let sink = handled.clone();
            let handler: Closure<dyn Fn(JsValue)> = Closure::new(move |detail: JsValue| {
                sink.borrow_mut().push((name.to_string(), detail));
            });
            sdk.on(name, handler.as_ref());
            handlers.push(handler);
            let sink = dispatched.clone();
            listeners.push(listen(&format!("messenger:{name}"), move |event| {
                let detail = event
                    .dyn_ref::<CustomEvent>()
                    .map_or(JsValue::UNDEFINED, |e| e.detail());
                sink.borrow_mut().push((name.to_string(), detail));
            }));
        }
        EventLog {
            handled,
            dispatched,
            _handlers: handlers,
            _listeners: listeners,
        }
    }

    /// The names of the events handled, in order.
    pub fn names(&self) -> Vec<String> {
        self.handled
            .borrow()
            .iter()
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// The names of the window events, in order.
    pub fn window_names(&self) -> Vec<String> {
        self.dispatched
            .borrow()
            .iter()
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// The details of the handled events called `name`.
    pub fn details(&self, name: &str) -> Vec<JsValue> {
        self.handled
            .borrow()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, d)| d.clone())
            .collect()
    }

    /// How many handled events called `name`.
    pub fn count(&self, name: &str) -> usize {
        self.details(name).len()
    }

    /// The `status` of every `authStateChanged`, in order.
    pub fn statuses(&self) -> Vec<String> {
        self.details("authStateChanged")
            .iter()
            .map(|d| get_str(d, "status").unwrap_or_default())
            .collect()
    }

    /// The `status` of every `messenger:authStateChanged` window event, in order.
    pub fn window_statuses(&self) -> Vec<String> {
        self.dispatched
            .borrow()
            .iter()
            .filter(|(n, _)| n == "authStateChanged")
            .map(|(_, d)| get_str(d, "status").unwrap_or_default())
            .collect()
    }

    /// Forgets what was recorded.
    pub fn clear(&self) {
        self.handled.borrow_mut().clear();
        self.dispatched.borrow_mut().clear();
    }
}

// ---------------------------------------------------------------------------------------------
// What reaches the page uncaught

/// Records uncaught exceptions (`error` on window) and unhandled promise rejections
/// (`unhandledrejection`) while it lives.
pub struct PageErrors {
    errors: Rc<RefCell<Vec<String>>>,
    rejections: Rc<RefCell<Vec<String>>>,
    _listeners: [Listener; 2],
}

/// What an `error` / `unhandledrejection` event carries, as text.
fn describe(event: &web_sys::Event, field: &str) -> String {
    let value = get(event, field);
    let text = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.to_string()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| json(&value));
    let message = get(event, "message").as_string().unwrap_or_default();
    format!("{message} {text}")
}

impl PageErrors {
    /// Starts recording.
    pub fn watch() -> PageErrors {
        let errors: Rc<RefCell<Vec<String>>> = Rc::default();
        let rejections: Rc<RefCell<Vec<String>>> = Rc::default();
        let (e, r) = (errors.clone(), rejections.clone());
        PageErrors {
            errors,
            rejections,
            _listeners: [
                listen("error", move |event| {
                    e.borrow_mut().push(describe(event, "error"))
                }),
                listen("unhandledrejection", move |event| {
                    r.borrow_mut().push(describe(event, "reason"))
                }),
            ],
        }
    }

    /// Fails the test if anything reached the page uncaught. Waits a little first: an
    /// `unhandledrejection` is reported after the microtasks of the task that caused it.
    pub async fn assert_none(&self) {
        sleep(50).await;
        assert!(
            self.errors.borrow().is_empty(),
            "uncaught exceptions reached the page: {:?}",
            self.errors.borrow()
        );
        assert!(
            self.rejections.borrow().is_empty(),
            "unhandled rejections reached the page: {:?}",
            self.rejections.borrow()
        );
    }

    /// (uncaught exceptions, unhandled rejections) so far.
    pub fn counts(&self) -> (usize, usize) {
        (self.errors.borrow().len(), self.rejections.borrow().len())
    }
}
