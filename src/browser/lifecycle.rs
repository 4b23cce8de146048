//! Page-lifecycle wake-ups: visible again, back online, restored from the back/forward cache.

use crate::browser::bindings::Global;
use crate::browser::bindings::{EventTarget, Function, Obj};
use crate::browser::sinks::{Kind, Sinks};
use wasm_bindgen::{JsCast, JsValue};

/// The event listened to for each kind (the number the sink is bound to), and where.
fn event(kind: usize) -> (EventTarget, &'static str) {
    match kind {
        0 => (Global::window(), "online"),
        1 => (Global::window(), "pageshow"),
        _ => (Global::document(), "visibilitychange"),
    }
}

/// The listeners, by kind; removed when dropped (removing one that could not be added does
/// nothing).
pub struct WakeListeners([(EventTarget, &'static str, Function); 3]);

impl WakeListeners {
    /// Calls `woke(kind, _, event)` on each event that may be a wake-up (see [`is_wake`]).
    pub fn new(sinks: &Sinks) -> WakeListeners {
        WakeListeners(core::array::from_fn(|kind| {
            let (target, name) = event(kind);
            let listener = sinks.bound(Kind::Woke, kind as u64, &JsValue::UNDEFINED);
            let _ = target.listen(name, &listener);
            (target, name, listener)
        }))
    }
}

impl Drop for WakeListeners {
    fn drop(&mut self) {
        for (target, name, listener) in &self.0 {
            let _ = target.unlisten(name, listener);
        }
    }
}

/// Whether `event` of `kind` wakes the page: back online, shown from the back/forward cache, or
/// visible.
pub fn is_wake(kind: u64, event: &JsValue) -> bool {
    match kind {
        0 => true,
        1 => event
            .unchecked_ref::<Obj>()
            .get("persisted")
            .is_ok_and(|persisted| persisted == JsValue::TRUE),
        _ => !Global::hidden(),
    }
}
