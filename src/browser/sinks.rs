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

/// The one closure behind every function the SDK hands to the browser or the page, each
/// bound (`bind`) to what it is for: see [`Sinks::bound`].
type Sink = Closure<dyn Fn(f64, JsValue, JsValue) -> JsValue>;

/// The long-lived function that the page's per-request functions are bound to (`bind`),
/// instead of one closure per request: a late or repeated call from the page finds it alive,
/// and the core discards what it no longer waits for. It lives as long as the SDK instance, and
/// the browser holds nothing else of the SDK. What the browser calls is always bound, so that
/// the numbers come from the SDK, never from converting a page's value.
pub struct Sinks(Sink);

/// What a bound function is for (the low four bits of the number it is bound to; the rest is
/// the request, lock, event or wake-up it is about).
#[derive(Clone, Copy)]
pub enum Kind {
    /// Every `callback(jwt)` given to the jwtCallback: `(requestId, _, jwt)`.
    Answer,
    /// The rejection handler of an async jwtCallback: `(requestId, _, error)`.
    Rejected,
    /// Every unsubscribe function `on()` returns: `(event index, handler)`.
    Off,
    /// Called by `navigator.locks` when this tab holds the lock: `(lockId, _, lock)`.
    Granted,
    /// Called when the browser refuses the lock: the tab goes ahead alone.
    Refused,
    /// The endpoint's response has come: `(requestId, _, response)`.
    Responded,
    /// Its body has been read: `(requestId, status * 2 + redirected, text)`.
    Read,
    /// The request or the body failed (network, CORS, abort): `(requestId, _, error)`.
    Unreachable,
    /// The timer.
    Tick,
    /// Page-lifecycle events: `(kind, _, event)`, kind as in [`is_wake`].
    Woke,
    /// Messages from the other tabs: `(_, _, event)`.
    Peer,
    /// The executor of every promise the SDK makes: `(_, _, resolve)`, kept for the maker.
    Executor,
}

/// The kinds by number.
const KINDS: [Kind; 12] = [
    Kind::Answer,
    Kind::Rejected,
    Kind::Off,
    Kind::Granted,
    Kind::Refused,
    Kind::Responded,
    Kind::Read,
    Kind::Unreachable,
    Kind::Tick,
    Kind::Woke,
    Kind::Peer,
    Kind::Executor,
];

impl Sinks {
    /// The sink of the SDK instance `weak` points to.
    pub fn new(weak: &Weak<Inner>) -> Sinks {
        let weak = weak.clone();
        Sinks(Closure::new(move |a: f64, b, c| {
            let a = a as u64;
            match (weak.upgrade(), KINDS.get((a & 15) as usize)) {
                (Some(inner), Some(kind)) => called(&inner, *kind, a >> 4, b, c),
                _ => JsValue::UNDEFINED,
            }
        }))
    }

    /// `sink.bind(null, id * 16 + kind, extra)`: a new function for the browser or the page, no
    /// new closure.
    pub fn bound(&self, kind: Kind, id: u64, extra: &JsValue) -> Function {
        let first = (id << 4 | kind as u64) as f64;
        self.0
            .as_ref()
            .unchecked_ref::<Function>()
            .bind(&JsValue::NULL, first, extra)
    }
}

/// A function bound to `kind` and `id` was called with `b` bound and `c` its argument.
fn called(inner: &Rc<Inner>, kind: Kind, id: u64, b: JsValue, c: JsValue) -> JsValue {
    let request = RequestId(id);
    let answered = |answer| handle(inner, Input::Answered { request, answer });
    match kind {
        Kind::Answer => answered(match c.as_string() {
            Some(jwt) => Answer::Jwt(jwt),
            None => Answer::NotAString(type_name(&c)),
        }),
        Kind::Rejected => answered(Answer::CallbackThrew),
        Kind::Off => inner.emitter.remove(id as usize, &b),
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
            if is_wake(id, &c) {
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
