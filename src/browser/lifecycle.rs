//! Page-lifecycle events that may wake the SDK: online, pageshow, visibilitychange. The core
//! decides which are wakes.

use crate::browser::inbox::Inbox;
use crate::core::{Input, PageEvent};
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::PageTransitionEvent;

/// The listeners; removed when dropped.
pub struct Lifecycle {
    _listeners: [EventListener; 3],
}

impl Lifecycle {
    /// Listens on the page, sending each event to `inbox`.
    pub fn listen(inbox: &Inbox) -> Option<Lifecycle> {
        let window = web_sys::window()?;
        let document = window.document()?;
        let online = inbox.clone();
        let shown = inbox.clone();
        let visible = inbox.clone();
        let hidden = document.clone();
        Some(Lifecycle {
            _listeners: [
                EventListener::new(&window, "online", move |_| {
                    online.send(Input::Page(PageEvent::Online))
                }),
                EventListener::new(&window, "pageshow", move |event| {
                    let persisted = event
                        .dyn_ref::<PageTransitionEvent>()
                        .is_some_and(PageTransitionEvent::persisted);
                    shown.send(Input::Page(PageEvent::PageShow { persisted }))
                }),
                EventListener::new(&document, "visibilitychange", move |_| {
                    let hidden = hidden.hidden();
                    visible.send(Input::Page(PageEvent::VisibilityChange { hidden }))
                }),
            ],
        })
    }
}
