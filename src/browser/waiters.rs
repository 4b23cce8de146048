//! The page's pending promises (`loginUser`, `startEngagement`, `getToken`) and loginCallbacks,
//! settled when the core says.

use crate::browser::decode::Payload;
use crate::browser::encode;
use crate::core::{Outcome, WaiterId};
use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsValue;

struct Waiter {
    id: WaiterId,
    resolve: Function,
    login_callback: Option<Function>,
}

/// The pending promises.
#[derive(Default)]
pub struct Waiters {
    pending: RefCell<Vec<Waiter>>,
    last: Cell<WaiterId>,
}

impl Waiters {
    /// A new pending promise, the id the core settles it by, and the page's loginCallback to
    /// call first.
    pub fn promise(&self, login_callback: Option<Function>) -> (Promise, WaiterId) {
        let id = self.last.get().wrapping_add(1);
        self.last.set(id);
        let promise = Promise::new(&mut |resolve, _| {
            self.pending.borrow_mut().push(Waiter {
                id,
                resolve,
                login_callback: login_callback.clone(),
            })
        });
        (promise, id)
    }

    /// Settles promise `id` with `outcome`; a login calls its loginCallback first.
    pub fn settle(&self, id: WaiterId, outcome: Outcome<Payload>) {
        let waiter = {
            let mut pending = self.pending.borrow_mut();
            let Some(index) = pending.iter().position(|w| w.id == id) else {
                return;
            };
            pending.swap_remove(index)
        };
        let (value, login_error) = match &outcome {
            Outcome::Login(state, error) => (
                encode::frozen(state),
                Some(error.as_ref().map_or(JsValue::NULL, encode::frozen)),
            ),
            Outcome::State(state) => (encode::frozen(state), None),
            Outcome::Token(token) => (token.as_deref().map_or(JsValue::NULL, JsValue::from), None),
        };
        if let (Some(callback), Some(error)) = (&waiter.login_callback, login_error) {
            if let Err(thrown) = callback.call1(&JsValue::UNDEFINED, &error) {
                web_sys::console::error_2(
                    &"messenger-auth: the loginCallback threw:".into(),
                    &thrown,
                );
            }
        }
        let _ = waiter.resolve.call1(&JsValue::UNDEFINED, &value);
    }
}
