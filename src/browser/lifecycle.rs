//! Page-lifecycle wake-ups: visible again, back online, restored from the back/forward cache.

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{PageTransitionEvent, VisibilityState};

/// The listeners; removed when dropped.
pub struct WakeListeners {
    _listeners: Vec<EventListener>,
}

impl WakeListeners {
    /// Calls `on_wake` whenever the page wakes.
    pub fn new(on_wake: impl Fn() + Clone + 'static) -> WakeListeners {
        let mut listeners = Vec::new();
        if let Some(window) = web_sys::window() {
            let wake = on_wake.clone();
            listeners.push(EventListener::new(&window, "online", move |_| wake()));
            let wake = on_wake.clone();
            listeners.push(EventListener::new(&window, "pageshow", move |event| {
                if event
                    .dyn_ref::<PageTransitionEvent>()
                    .is_some_and(|e| e.persisted())
                {
                    wake();
                }
            }));
            if let Some(document) = window.document() {
                let visible_document = document.clone();
                listeners.push(EventListener::new(
                    &document,
                    "visibilitychange",
                    move |_| {
                        if visible_document.visibility_state() == VisibilityState::Visible {
                            on_wake();
                        }
                    },
                ));
            }
        }
        WakeListeners {
            _listeners: listeners,
        }
    }
}
