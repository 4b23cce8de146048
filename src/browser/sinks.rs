//! Long-lived functions that the page's per-request functions are bound to (`bind`), instead
//! of one closure per request (which would have to be leaked, or would throw when called late).

use crate::browser::convert::type_name;
use crate::browser::driver::{grant_alone, handle_weak, lock_granted, Inner};
use crate::core::{Answer, Input, RequestId};
use js_sys::Function;
use std::rc::Weak;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Long-lived functions that the page's per-request functions are bound to (`bind`), instead of
/// one closure per request: a late or repeated call from the page finds them alive, and the core
/// discards what it no longer waits for. They live as long as the SDK instance.
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
}

impl Sinks {
    /// The sinks of the SDK instance `weak` points to.
    pub fn new(weak: &Weak<Inner>) -> Sinks {
        let (w1, w2, w3, w4, w5) = (
            weak.clone(),
            weak.clone(),
            weak.clone(),
            weak.clone(),
            weak.clone(),
        );
        Sinks {
            answer: Closure::new(move |request: f64, value: JsValue| {
                let answer = match value.as_string() {
                    Some(jwt) => Answer::Jwt(jwt),
                    None => Answer::NotAString(type_name(&value)),
                };
                handle_weak(
                    &w1,
                    Input::Answered {
                        request: RequestId(request as u64),
                        answer,
                    },
                );
            }),
            rejected: Closure::new(move |request: f64, _error: JsValue| {
                handle_weak(
                    &w2,
                    Input::Answered {
                        request: RequestId(request as u64),
                        answer: Answer::CallbackThrew,
                    },
                );
            }),
            granted: Closure::new(move |lock: f64| match w4.upgrade() {
                Some(inner) => lock_granted(&inner, RequestId(lock as u64)),
                None => JsValue::UNDEFINED,
            }),
            refused: Closure::new(move |lock: f64| {
                if let Some(inner) = w5.upgrade() {
                    grant_alone(&inner, RequestId(lock as u64));
                }
            }),
            off: Closure::new(move |name: JsValue, handler: JsValue| {
                if let (Some(inner), Some(name), Some(handler)) =
                    (w3.upgrade(), name.as_string(), handler.dyn_ref())
                {
                    inner.emitter.remove(&name, handler);
                }
            }),
        }
    }
}

/// `sink.bind(null, ...args)`: a new function for the page, no new closure.
pub fn bound<T: ?Sized>(sink: &Closure<T>, first: &JsValue, second: Option<&JsValue>) -> Function {
    let function: &Function = sink.as_ref().unchecked_ref();
    let bound = match second {
        Some(second) => JsValue::from(function.bind2(&JsValue::NULL, first, second)),
        None => JsValue::from(function.bind1(&JsValue::NULL, first)),
    };
    bound.unchecked_into()
}
