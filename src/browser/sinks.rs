//! Long-lived functions that the page's per-request functions are bound to (`bind`), instead
//! of one closure per request (which would have to be leaked, or would throw when called late).

use crate::browser::bindings::Function;
use crate::browser::convert::type_name;
use crate::browser::driver::{
    endpoint_answered, endpoint_responded, grant_alone, handle, lock_granted, ticked, Inner,
};
use crate::browser::lifecycle::is_wake;
use crate::browser::tabs::message;
use crate::core::{Answer, Input, RequestId};
use alloc::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;

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

/// What a sink does when called; one closure type for all of them, so that wasm-bindgen's
/// closure machinery (boxing, the JS function, dropping) is compiled once, not twelve times.
#[derive(Clone, Copy)]
enum Kind {
    Answer,
    Rejected,
    Off,
    Granted,
    Refused,
    Responded,
    Read,
    Unreachable,
    Tick,
    Woke,
    Peer,
    Executor,
}

impl Sinks {
    /// The sinks of the SDK instance `weak` points to.
    pub fn new(weak: &Weak<Inner>) -> Sinks {
        let sink = |kind: Kind| -> Sink {
            let weak = weak.clone();
            Closure::new(move |a, b, c| match weak.upgrade() {
                Some(inner) => called(&inner, kind, a, b, c),
                None => JsValue::UNDEFINED,
            })
        };
        Sinks {
            answer: sink(Kind::Answer),
            rejected: sink(Kind::Rejected),
            off: sink(Kind::Off),
            granted: sink(Kind::Granted),
            refused: sink(Kind::Refused),
            responded: sink(Kind::Responded),
            read: sink(Kind::Read),
            unreachable: sink(Kind::Unreachable),
            tick: sink(Kind::Tick),
            woke: sink(Kind::Woke),
            peer: sink(Kind::Peer),
            executor: sink(Kind::Executor),
        }
    }
}

/// A sink of `kind` was called: `a` and `b` are what it was bound to, `c` the caller's argument.
fn called(inner: &Rc<Inner>, kind: Kind, a: f64, b: JsValue, c: JsValue) -> JsValue {
    let request = RequestId(a as u64);
    let answered = |answer| handle(inner, Input::Answered { request, answer });
    match kind {
        Kind::Answer => answered(match c.as_string() {
            Some(jwt) => Answer::Jwt(jwt),
            None => Answer::NotAString(type_name(&c)),
        }),
        Kind::Rejected => answered(Answer::CallbackThrew),
        Kind::Off => inner.emitter.remove(a as usize, &b),
        Kind::Granted => return lock_granted(inner, request),
        Kind::Refused => grant_alone(inner, request),
        Kind::Responded => endpoint_responded(inner, request, c),
        Kind::Read => {
            let meta = b.as_f64().unwrap_or(0.0) as u32;
            let answer = match c.as_string() {
                Some(body) => Answer::Endpoint {
                    status: (meta >> 1) as u16,
                    body,
                    redirected: meta & 1 == 1,
                },
                None => Answer::NetworkError,
            };
            endpoint_answered(inner, request, answer);
        }
        Kind::Unreachable => endpoint_answered(inner, request, Answer::NetworkError),
        Kind::Tick => ticked(inner),
        Kind::Woke => {
            if is_wake(a, &c) {
                handle(inner, Input::Woke);
            }
        }
        Kind::Peer => {
            if let Some(message) = message(&c) {
                handle(inner, Input::Peer(message));
            }
        }
        Kind::Executor => inner.resolver.set(c.dyn_into().ok()),
    }
    JsValue::UNDEFINED
}

/// `sink.bind(null, first, second)`: a new function for the browser or the page, no new closure.
pub fn bound(sink: &Sink, first: f64, second: &JsValue) -> Function {
    sink.as_ref()
        .unchecked_ref::<Function>()
        .bind(&JsValue::NULL, first, second)
}
