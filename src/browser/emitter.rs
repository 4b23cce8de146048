//! `on`/`off` handlers and `messenger:<name>` window events. A handler that throws is reported
//! on the console and does not stop the others.

use crate::browser::decode::Payload;
use crate::browser::encode;
use crate::core::state::{Event, EVENT_NAMES};
use js_sys::Function;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit};

/// The page's handlers, in the order they were added, by event (its index in `EVENT_NAMES`).
type Handlers = Rc<RefCell<Vec<(usize, Function)>>>;

/// The handlers, and the function every unsubscribe function is bound to.
pub struct Emitter {
    handlers: Handlers,
    off: Closure<dyn Fn(u32, JsValue)>,
}

impl Default for Emitter {
    fn default() -> Self {
        let handlers = Handlers::default();
        let weak = Rc::downgrade(&handlers);
        let off = Closure::new(move |index: u32, handler: JsValue| {
            if let Some(handlers) = weak.upgrade() {
                remove(&handlers, index as usize, &handler);
            }
        });
        Emitter { handlers, off }
    }
}

/// The index in `EVENT_NAMES` of the event named `name`, if `name` is a string naming one.
pub fn event_index(name: &JsValue) -> Option<usize> {
    let name = name.as_string()?;
    EVENT_NAMES.iter().position(|known| *known == name)
}

fn remove(handlers: &Handlers, index: usize, handler: &JsValue) {
    handlers
        .borrow_mut()
        .retain(|(i, h)| !(*i == index && JsValue::from(h) == *handler));
}

impl Emitter {
    /// Adds `handler` for event `index` (once: adding the same handler twice keeps one), and
    /// returns the function that removes it, which works however often and whenever it is called.
    pub fn add(&self, index: usize, handler: Function) -> Function {
        let unsubscribe = self.unsubscriber(index, &handler);
        let mut handlers = self.handlers.borrow_mut();
        if !handlers.iter().any(|(i, h)| *i == index && *h == handler) {
            handlers.push((index, handler));
        }
        unsubscribe
    }

    /// Removes `handler` for event `index`.
    pub fn remove(&self, index: usize, handler: &JsValue) {
        remove(&self.handlers, index, handler);
    }

    /// A function that removes `handler` of event `index` when called (bound to one long-lived
    /// closure, so that it never outlives what it calls).
    pub fn unsubscriber(&self, index: usize, handler: &JsValue) -> Function {
        let off: &Function = self.off.as_ref().unchecked_ref();
        off.bind2(&JsValue::NULL, &JsValue::from(index as u32), handler)
            .unchecked_into()
    }

    /// Delivers `event` to the handlers registered now, then to window listeners. The list is
    /// copied first: handlers may add, remove, or call back into the SDK.
    pub fn emit(&self, event: &Event<Payload>) {
        let name = event.name();
        let index = EVENT_NAMES.iter().position(|known| *known == name);
        let detail = encode::frozen(event);
        let handlers: Vec<Function> = self
            .handlers
            .borrow()
            .iter()
            .filter(|(i, _)| Some(*i) == index)
            .map(|(_, h)| h.clone())
            .collect();
        for handler in handlers {
            if let Err(error) = handler.call1(&JsValue::UNDEFINED, &detail) {
                let message = format!("messenger-auth: a \"{name}\" handler threw:");
                web_sys::console::error_2(&message.into(), &error);
            }
        }
        let init = CustomEventInit::new();
        init.set_detail(&detail);
        if let (Some(window), Ok(event)) = (
            web_sys::window(),
            CustomEvent::new_with_event_init_dict(&format!("messenger:{name}"), &init),
        ) {
            // A window listener that throws is reported by the browser and stops no other.
            let _ = window.dispatch_event(&event);
        }
    }
}
