//! `on`/`off` handlers and `messenger:<name>` window events. A handler that throws is reported
//! on the console and does not stop the others.

use crate::browser::bindings::Function;
use crate::browser::bindings::{console_error2, CustomEvent, Global};
use crate::browser::cell::Borrow;
use crate::browser::convert::bare_object;
use crate::browser::convert::event_detail;
use crate::core::state::{Event, EVENT_NAMES};
use ::core::cell::RefCell;
use alloc::vec::Vec;
use wasm_bindgen::JsValue;

/// The page's handlers, in the order they were added, by event (its index in `EVENT_NAMES`).
#[derive(Default)]
pub struct Emitter {
    handlers: RefCell<Vec<(usize, Function)>>,
}

/// The index in `EVENT_NAMES` of the event named `name`, if `name` is a string naming one.
pub fn event_index(name: &JsValue) -> Option<usize> {
    // Compared in JavaScript (`===`), without copying the page's string into the wasm.
    EVENT_NAMES
        .iter()
        .position(|known| *name == JsValue::from_str(known))
}

impl Emitter {
    /// Adds `handler` for event `index` (once: adding the same handler twice keeps one).
    pub fn add(&self, index: usize, handler: Function) {
        let mut handlers = self.handlers.edit();
        if !handlers.iter().any(|(i, h)| *i == index && **h == *handler) {
            handlers.push((index, handler));
        }
    }

    /// Removes `handler` for event `index`.
    pub fn remove(&self, index: usize, handler: &JsValue) {
        self.handlers
            .edit()
            .retain(|(i, h)| !(*i == index && **h == *handler));
    }

    /// Delivers `event` to the handlers registered now, then to window listeners. The list is
    /// copied first: handlers may add, remove, or call back into the SDK.
    pub fn emit(&self, event: &Event) {
        let name = event.name();
        let index = EVENT_NAMES.iter().position(|known| *known == name);
        let detail = event_detail(event);
        let mut handlers = Vec::new();
        for (i, handler) in self.handlers.view().iter() {
            if Some(*i) == index {
                handlers.push(handler.clone());
            }
        }
        for handler in handlers {
            if let Err(error) = handler.call(&JsValue::UNDEFINED, &detail) {
                report_handler_error(name, &error);
            }
        }
        dispatch_window_event(name, &detail);
    }
}

fn report_handler_error(name: &str, error: &JsValue) {
    let message = crate::core::text::concat(&["messenger-auth: a \"", name, "\" handler threw:"]);
    console_error2(&message, error);
}

fn dispatch_window_event(name: &str, detail: &JsValue) {
    // Prototype-less, so that a `detail` setter on `Object.prototype` never sees the state.
    let init = bare_object();
    init.set("detail", detail);
    let type_ = crate::core::text::concat(&["messenger:", name]);
    if let Ok(event) = CustomEvent::new(&type_, &init) {
        let _ = Global::window().dispatch(&event);
    }
}
