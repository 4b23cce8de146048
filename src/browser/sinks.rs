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
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use crate::browser::bindings::Function;

/// Every sink has one signature, so that wasm-bindgen makes one closure adapter for all: the two
/// values it was bound to (see [`bound`]), then the first argument the browser or page calls it
/// with.
pub type Sink = Closure<dyn Fn(f64, JsValue, JsValue) -> JsValue>;

/// Long-lived functions that the page's per-request functions are bound to (`bind`), instead of
/// one closure per request: a late or repeated call from the page finds them alive, and the core
/// discards what it no longer waits for. They live as long as the SDK instance, and the browser
/// holds nothing else of the SDK. What the browser calls is always bound, so that the number
/// comes from the SDK, never from converting a page's value.
pub struct Sinks {
    /// Behind every `callback(jwt)` given to the jwtCallback: `(requestId, _, jwt)`.
    pub answer: Sink,
    /// Behind the rejection handler of an async jwtCallback: `(requestId, _, error)`.
    pub rejected: Sink,
    /// Behind every unsubscribe function `on()` returns: `(event index, handler)`.
    pub off: Sink,
    /// Called by `navigator.locks` when this tab holds the lock: `(lockId, _, lock)`.
    pub granted: Sink,
    /// Called when the browser refuses the lock: the tab goes ahead alone.
    pub refused: Sink,
    /// The endpoint's response has come: `(requestId, _, response)`.
    pub responded: Sink,
    /// Its body has been read: `(requestId, status * 2 + redirected, text)`.
    pub read: Sink,
    /// The request or the body failed (network, CORS, abort): `(requestId, _, error)`.
    pub unreachable: Sink,
    /// The timer.
    pub tick: Sink,
    /// Page-lifecycle events: `(kind, _, event)`, kind as in [`is_wake`].
    pub woke: Sink,
    /// Messages from the other tabs: `(_, _, event)`.
    pub peer: Sink,
    /// The executor of every promise the SDK makes: `(_, _, resolve)`, kept for the maker.
    pub executor: Sink,
}

fn request(id: f64) -> RequestId {
    RequestId(id as u64)
}

impl Sinks {
    /// The sinks of the SDK instance `weak` points to.
    pub fn new(weak: &Weak<Inner>) -> Sinks {
        let w = || weak.clone();
        let (answer, rejected, off, granted, refused) = (w(), w(), w(), w(), w());
        let (responded, read, unreachable, tick, woke, peer) = (w(), w(), w(), w(), w(), w());
        let executor = w();
        Sinks {
            answer: sink(move |id, _, value| {
                let answer_ = match value.as_string() {
                    Some(jwt) => Answer::Jwt(jwt),
                    None => Answer::NotAString(type_name(&value)),
                };
                answered(&answer, id, answer_);
            }),
            rejected: sink(move |id, _, _| answered(&rejected, id, Answer::CallbackThrew)),
            granted: Closure::new(move |id, _, _| match granted.upgrade() {
                Some(inner) => lock_granted(&inner, request(id)),
                None => JsValue::UNDEFINED,
            }),
            refused: sink(move |id, _, _| {
                if let Some(inner) = refused.upgrade() {
                    grant_alone(&inner, request(id));
                }
            }),
            off: sink(move |index, handler, _| {
                let name = crate::core::state::EVENT_NAMES.get(index as usize);
                if let (Some(inner), Some(name), Some(handler)) =
                    (off.upgrade(), name, handler.dyn_ref())
                {
                    inner.emitter.remove(name, handler);
                }
            }),
            responded: sink(move |id, _, response| {
                if let Some(inner) = responded.upgrade() {
                    endpoint_responded(&inner, request(id), response);
                }
            }),
            read: sink(move |id, meta, body| {
                let meta = meta.as_f64().unwrap_or(0.0) as u32;
                let answer = match body.as_string() {
                    Some(body) => Answer::Endpoint {
                        status: (meta >> 1) as u16,
                        body,
                        redirected: meta & 1 == 1,
                    },
                    None => Answer::NetworkError,
                };
                if let Some(inner) = read.upgrade() {
                    endpoint_answered(&inner, request(id), answer);
                }
            }),
            unreachable: sink(move |id, _, _| {
                if let Some(inner) = unreachable.upgrade() {
                    endpoint_answered(&inner, request(id), Answer::NetworkError);
                }
            }),
            tick: sink(move |_, _, _| {
                if let Some(inner) = tick.upgrade() {
                    ticked(&inner);
                }
            }),
            woke: sink(move |kind, _, event| {
                if is_wake(kind, &event) {
                    handle_weak(&woke, Input::Woke);
                }
            }),
            peer: sink(move |_, _, event| {
                if let Some(message) = message(&event) {
                    handle_weak(&peer, Input::Peer(message));
                }
            }),
            executor: sink(move |_, _, resolve| {
                if let Some(inner) = executor.upgrade() {
                    inner.resolver.set(resolve.dyn_into().ok());
                }
            }),
        }
    }
}

/// A sink that returns nothing.
fn sink(f: impl Fn(f64, JsValue, JsValue) + 'static) -> Sink {
    Closure::new(move |a, b, c| {
        f(a, b, c);
        JsValue::UNDEFINED
    })
}

fn answered(weak: &Weak<Inner>, id: f64, answer: Answer) {
    handle_weak(weak, Input::Answered { request: request(id), answer });
}

/// `sink.bind(null, first, second)`: a new function for the browser or the page, no new closure.
pub fn bound(sink: &Sink, first: f64, second: &JsValue) -> Function {
    sink.as_ref().unchecked_ref::<Function>().bind(&JsValue::NULL, first, second)
}
