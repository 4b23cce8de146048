//! Long-lived functions that the page's per-request functions are bound to (`bind`), instead
//! of one closure per request (which would have to be leaked, or would throw when called late).

use crate::browser::convert::type_name;
use crate::browser::driver::{
    endpoint_answered, endpoint_responded, grant_alone, handle_weak, lock_granted, ticked, Inner,
};
use crate::browser::lifecycle::is_wake;
use crate::browser::tabs::message;
use crate::core::{Answer, Input, RequestId};
use alloc::rc::Weak;
use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Long-lived functions that the page's per-request functions are bound to (`bind`), instead of
/// one closure per request: a late or repeated call from the page finds them alive, and the core
/// discards what it no longer waits for. They live as long as the SDK instance, and the browser
/// holds nothing else of the SDK.
pub struct Sinks {
    /// Behind every `callback(jwt)` given to the jwtCallback: `answer.bind(null, requestId)`.
    pub answer: Closure<dyn Fn(f64, JsValue)>,
    /// Behind the rejection handler of an async jwtCallback.
    pub rejected: Closure<dyn Fn(f64, JsValue)>,
    /// Behind every unsubscribe function `on()` returns: `off.bind(null, name, handler)`.
    pub off: Closure<dyn Fn(JsValue, JsValue)>,
    /// Called by `navigator.locks` when this tab holds the lock: `granted.bind(null, lockId)`.
    pub granted: Closure<dyn Fn(f64) -> JsValue>,
    /// Called when the browser refuses the lock: the tab goes ahead alone.
    pub refused: Closure<dyn Fn(f64)>,
    /// The endpoint's response has come: `responded.bind(null, requestId)`.
    pub responded: Closure<dyn Fn(f64, JsValue)>,
    /// Its body has been read: `read.bind(null, requestId, status * 2 + redirected)`.
    pub read: Closure<dyn Fn(f64, f64, JsValue)>,
    /// The request or the body failed (network, CORS, abort): `unreachable.bind(null, requestId)`.
    pub unreachable: Closure<dyn Fn(f64, JsValue)>,
    /// The timer.
    pub tick: Closure<dyn Fn()>,
    /// Page-lifecycle events.
    pub woke: Closure<dyn Fn(JsValue)>,
    /// Messages from the other tabs.
    pub peer: Closure<dyn Fn(JsValue)>,
}

impl Sinks {
    /// The sinks of the SDK instance `weak` points to.
    pub fn new(weak: &Weak<Inner>) -> Sinks {
        let w = || weak.clone();
        let (answer, rejected, off, granted, refused) = (w(), w(), w(), w(), w());
        let (responded, read, unreachable, tick, woke, peer) = (w(), w(), w(), w(), w(), w());
        Sinks {
            answer: Closure::new(move |request: f64, value: JsValue| {
                let answer_ = match value.as_string() {
                    Some(jwt) => Answer::Jwt(jwt),
                    None => Answer::NotAString(type_name(&value)),
                };
                answered(&answer, request, answer_);
            }),
            rejected: Closure::new(move |request: f64, _error: JsValue| {
                answered(&rejected, request, Answer::CallbackThrew);
            }),
            granted: Closure::new(move |lock: f64| match granted.upgrade() {
                Some(inner) => lock_granted(&inner, RequestId(lock as u64)),
                None => JsValue::UNDEFINED,
            }),
            refused: Closure::new(move |lock: f64| {
                if let Some(inner) = refused.upgrade() {
                    grant_alone(&inner, RequestId(lock as u64));
                }
            }),
            off: Closure::new(move |name: JsValue, handler: JsValue| {
                if let (Some(inner), Some(name), Some(handler)) =
                    (off.upgrade(), name.as_string(), handler.dyn_ref())
                {
                    inner.emitter.remove(&name, handler);
                }
            }),
            responded: Closure::new(move |request: f64, response: JsValue| {
                if let Some(inner) = responded.upgrade() {
                    endpoint_responded(&inner, RequestId(request as u64), response);
                }
            }),
            read: Closure::new(move |request: f64, meta: f64, body: JsValue| {
                let meta = meta as u32;
                let answer = match body.as_string() {
                    Some(body) => Answer::Endpoint {
                        status: (meta >> 1) as u16,
                        body,
                        redirected: meta & 1 == 1,
                    },
                    None => Answer::NetworkError,
                };
                if let Some(inner) = read.upgrade() {
                    endpoint_answered(&inner, RequestId(request as u64), answer);
                }
            }),
            unreachable: Closure::new(move |request: f64, _error: JsValue| {
                if let Some(inner) = unreachable.upgrade() {
                    endpoint_answered(&inner, RequestId(request as u64), Answer::NetworkError);
                }
            }),
            tick: Closure::new(move || {
                if let Some(inner) = tick.upgrade() {
                    ticked(&inner);
                }
            }),
            woke: Closure::new(move |event: JsValue| {
                if is_wake(&event) {
                    handle_weak(&woke, Input::Woke);
                }
            }),
            peer: Closure::new(move |event: JsValue| {
                if let Some(message) = message(&event) {
                    handle_weak(&peer, Input::Peer(message));
                }
            }),
        }
    }
}

fn answered(weak: &Weak<Inner>, request: f64, answer: Answer) {
    let request = RequestId(request as u64);
    handle_weak(weak, Input::Answered { request, answer });
}

/// The JavaScript function behind a sink.
pub fn function<T: ?Sized>(sink: &Closure<T>) -> &Function {
    sink.as_ref().unchecked_ref()
}

/// `sink.bind(null, ...args)`: a new function for the page, no new closure.
pub fn bound<T: ?Sized>(sink: &Closure<T>, first: &JsValue, second: Option<&JsValue>) -> Function {
    let function = function(sink);
    let bound = match second {
        Some(second) => JsValue::from(function.bind2(&JsValue::NULL, first, second)),
        None => JsValue::from(function.bind1(&JsValue::NULL, first)),
    };
    bound.unchecked_into()
}
