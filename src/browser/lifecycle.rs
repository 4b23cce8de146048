//! Page-lifecycle wake-ups: visible again, back online, restored from the back/forward cache.

use crate::browser::bindings::Global;
use alloc::{vec, vec::Vec};
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::EventTarget;

/// The listeners; removed when dropped.
pub struct WakeListeners {
    added: Vec<(EventTarget, &'static str)>,
    listener: Function,
}

impl WakeListeners {
    /// Calls `listener(event)` on each event that may be a wake-up (see [`is_wake`]).
    pub fn new(listener: &Function) -> WakeListeners {
        let window = Global::window();
        let mut added = vec![
            (window.clone(), "online"),
            (window, "pageshow"),
            (Global::document(), "visibilitychange"),
        ];
        added.retain(|(target, name)| {
            target
                .add_event_listener_with_callback(name, listener)
                .is_ok()
        });
        WakeListeners {
            added,
            listener: listener.clone(),
        }
    }
}

impl Drop for WakeListeners {
    fn drop(&mut self) {
        for (target, name) in &self.added {
            let _ = target.remove_event_listener_with_callback(name, &self.listener);
        }
    }
}

/// Whether `event` wakes the page: back online, shown from the back/forward cache, or visible.
pub fn is_wake(event: &JsValue) -> bool {
    let Some(event) = event.dyn_ref::<web_sys::Event>() else {
        return false;
    };
    match event.type_().as_str() {
        "online" => true,
        "pageshow" => Reflect::get(event, &"persisted".into()).is_ok_and(|p| p.is_truthy()),
        "visibilitychange" => !Global::hidden(),
        _ => false,
    }
}
