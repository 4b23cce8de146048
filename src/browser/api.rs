//! The `#[wasm_bindgen]` surface: a constructor and one `call` for every API method; converts
//! arguments, delegates to the driver, returns promises. It decides nothing. Nothing here throws
//! at the page: bad arguments get a typed answer.

use crate::browser::bindings::{console_error, error, Function, Pledge};
use crate::browser::driver::Driver;
use crate::browser::emitter::event_index;
use crate::core::state::EVENT_NAMES;
use crate::core::{Input, WaiterId};
use wasm_bindgen::prelude::*;

/// One SDK instance; the script tag's loader wraps it in the frozen `window.messenger` facade.
#[wasm_bindgen]
pub struct Messenger {
    driver: Driver,
}

/// `Promise.resolve(value)`, or where a page broke that, `Promise.reject` of what it threw.
fn resolved(value: &JsValue) -> Pledge {
    Pledge::resolve(value).unwrap_or_else(|thrown| Pledge::reject(&thrown))
}

#[wasm_bindgen]
impl Messenger {
    /// `attributes`: the script tag's `data-` attributes as `[name, value]` pairs, name without
    /// `data-`; `undefined` for the ES module.
    #[wasm_bindgen(constructor)]
    pub fn new(attributes: JsValue) -> Messenger {
        Messenger {
            driver: Driver::new(&attributes),
        }
    }

    /// Runs the API method `API_METHODS[method]` (core::state) with the page's first two
    /// arguments: no method takes more. One export for all of them, as wasm-bindgen's glue for
    /// each export costs about 130 bytes of wasm. `getAuthState()` is the driver's state.
    pub fn call(&self, method: u32, a: JsValue, b: JsValue) -> JsValue {
        match method {
            0 => self.init(a).into(),
            1 => self.login_user(a, b).into(),
            2 => self.logout_user().into(),
            3 => self.start_engagement().into(),
            4 => self.get_token().into(),
            5 => self.driver.state(),
            6 => self.on(a, b),
            7 => {
                self.off(a, b);
                JsValue::UNDEFINED
            }
            _ => JsValue::UNDEFINED,
        }
    }
}

impl Messenger {
    /// `messenger.init(options?)`: resolves the state once restored; rejects an unknown option
    /// or a bad value with a message naming it.
    fn init(&self, options: JsValue) -> Pledge {
        match self.driver.init(&options) {
            Ok(()) => resolved(&self.driver.state()),
            Err(message) => Pledge::reject(&error(&message)),
        }
    }

    /// `messenger.loginUser(jwtCallback?, loginCallback?)`.
    fn login_user(&self, jwt_callback: JsValue, login_callback: JsValue) -> Pledge {
        let jwt_callback = jwt_callback.dyn_into::<Function>().ok();
        let callback = jwt_callback.is_some();
        self.driver.set_jwt_callback(jwt_callback);
        let login_callback = login_callback.dyn_into::<Function>().ok();
        self.promise(login_callback, callback, |waiter, callback| {
            Input::LoginRequested { waiter, callback }
        })
    }

    /// `messenger.logoutUser()`.
    fn logout_user(&self) -> Pledge {
        self.driver.ensure_running();
        self.driver.handle(Input::LogoutRequested);
        resolved(&JsValue::UNDEFINED)
    }

    /// `messenger.startEngagement()`.
    fn start_engagement(&self) -> Pledge {
        self.promise(None, false, |waiter, _| Input::EngagementStarted { waiter })
    }

    /// `messenger.getToken()`.
    fn get_token(&self) -> Pledge {
        self.promise(None, false, |waiter, _| Input::TokenWanted { waiter })
    }

    /// `messenger.on(event, handler)`: returns the function that removes it. An unknown event
    /// or a handler that is not a function is reported on the console, not thrown.
    fn on(&self, event: JsValue, handler: JsValue) -> JsValue {
        match (event_index(&event), handler.dyn_into::<Function>()) {
            (Some(index), Ok(handler)) => {
                self.driver.emitter().add(index, handler.clone());
                self.driver.unsubscriber(index, &handler.into())
            }
            (None, _) => self.usage(
                "messenger.on: unknown event; the events are ready, authStateChanged, tokenExpiring, tokenRefreshed, tokenExpired, loginFailed, loggedOut",
            ),
            (_, Err(_)) => self.usage("messenger.on: the handler must be a function"),
        }
    }

    /// `messenger.off(event, handler)`.
    fn off(&self, event: JsValue, handler: JsValue) {
        if let Some(index) = event_index(&event) {
            self.driver.emitter().remove(index, &handler);
        }
    }

    /// Reports a misuse on the console and returns an unsubscribe function that does nothing.
    fn usage(&self, message: &str) -> JsValue {
        console_error(message);
        self.driver.unsubscriber(EVENT_NAMES.len(), &JsValue::NULL)
    }

    /// A promise settled through the driver's waiter `id`, for `input(id, callback)`. (A plain
    /// function, not a closure: one copy of this for the three methods.)
    fn promise(
        &self,
        login_callback: Option<Function>,
        callback: bool,
        input: fn(WaiterId, bool) -> Input,
    ) -> Pledge {
        self.driver.ensure_running();
        let (promise, resolve) = self.driver.promise();
        if let Some(resolve) = resolve {
            let id = self.driver.waiter(resolve, login_callback);
            self.driver.handle(input(id, callback));
        }
        promise
    }
}
