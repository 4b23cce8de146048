//! The `#[wasm_bindgen]` surface: `Messenger` and its methods, as SPEC.md names them. It converts
//! arguments, delegates to the driver and returns promises; it decides nothing. Nothing here
//! throws at the page: bad arguments get a typed answer.

use crate::browser::decode;
use crate::browser::driver::Driver;
use crate::browser::emitter::event_index;
use crate::browser::encode;
use crate::browser::inbox::Input;
use crate::core::WaiterId;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

/// One SDK instance; the script tag's loader wraps it in the frozen `window.messenger` facade.
#[wasm_bindgen]
pub struct Messenger {
    driver: Driver,
}

#[wasm_bindgen]
impl Messenger {
    /// `attributes`: the script tag's `data-` attributes as `[name, value]` pairs, name without
    /// `data-`; `undefined` for the ES module.
    #[wasm_bindgen(constructor)]
    pub fn new(attributes: JsValue) -> Messenger {
        Messenger {
            driver: Driver::new(decode::attributes(&attributes)),
        }
    }

    /// `messenger.init(options?)`: resolves the state once restored; rejects an unknown option
    /// or a bad value with an `Error` naming it.
    pub fn init(&self, options: JsValue) -> Promise {
        match self.driver.init(&options) {
            Ok(()) => Promise::resolve(&self.state()),
            Err(message) => Promise::reject(&js_sys::Error::new(&message)),
        }
    }

    /// `messenger.loginUser(jwtCallback?, loginCallback?)`: never rejects.
    #[wasm_bindgen(js_name = loginUser)]
    pub fn login_user(&self, jwt_callback: JsValue, login_callback: JsValue) -> Promise {
        let jwt_callback = jwt_callback.dyn_into::<Function>().ok();
        let callback = jwt_callback.is_some();
        if let Some(jwt_callback) = jwt_callback {
            self.driver.keep_jwt_callback(jwt_callback);
        }
        let login_callback = login_callback.dyn_into::<Function>().ok();
        self.promise(login_callback, |waiter| Input::LoginRequested {
            waiter,
            callback,
        })
    }

    /// `messenger.logoutUser()`.
    #[wasm_bindgen(js_name = logoutUser)]
    pub fn logout_user(&self) -> Promise {
        self.driver.ensure_running();
        self.driver.handle(Input::LogoutRequested);
        Promise::resolve(&JsValue::UNDEFINED)
    }

    /// `messenger.startEngagement()`: the state, with a fresh token if one can be had.
    #[wasm_bindgen(js_name = startEngagement)]
    pub fn start_engagement(&self) -> Promise {
        self.promise(None, |waiter| Input::EngagementStarted { waiter })
    }

    /// `messenger.getToken()`: a fresh token, or `null`.
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self) -> Promise {
        self.promise(None, |waiter| Input::TokenWanted { waiter })
    }

    /// `messenger.getAuthState()`.
    #[wasm_bindgen(js_name = getAuthState)]
    pub fn get_auth_state(&self) -> JsValue {
        self.state()
    }

    /// `messenger.on(event, handler)`: returns the function that removes it. An unknown event
    /// or a handler that is not a function is reported on the console, not thrown.
    pub fn on(&self, event: JsValue, handler: JsValue) -> Function {
        let emitter = self.driver.emitter();
        match (event_index(&event), handler.dyn_into::<Function>()) {
            (Some(index), Ok(handler)) => emitter.add(index, handler),
            (None, _) => {
                web_sys::console::error_1(&"messenger.on: unknown event; the events are ready, authStateChanged, tokenExpiring, tokenRefreshed, tokenExpired, loginFailed, loggedOut".into());
                emitter.unsubscriber(usize::MAX, &JsValue::NULL)
            }
            (_, Err(_)) => {
                web_sys::console::error_1(&"messenger.on: the handler must be a function".into());
                emitter.unsubscriber(usize::MAX, &JsValue::NULL)
            }
        }
    }

    /// `messenger.off(event, handler)`.
    pub fn off(&self, event: JsValue, handler: JsValue) {
        if let Some(index) = event_index(&event) {
            self.driver.emitter().remove(index, &handler);
        }
    }
}

impl Messenger {
    /// The state as the page sees it (`null` if the SDK could not start).
    fn state(&self) -> JsValue {
        self.driver
            .state()
            .map_or(JsValue::NULL, |state| encode::frozen(&state))
    }

    /// A promise settled by the core through its waiter, for `input(waiter)`.
    fn promise(
        &self,
        login_callback: Option<Function>,
        input: impl FnOnce(WaiterId) -> Input,
    ) -> Promise {
        self.driver.ensure_running();
        let (promise, waiter) = self.driver.promise(login_callback);
        self.driver.handle(input(waiter));
        promise
    }
}
