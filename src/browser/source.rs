//! The two token sources: `GET authEndpoint` with the site's cookies, and the page's jwtCallback.
//! Time limits are the core's deadlines; the shell only aborts what the core cancels.

use crate::browser::bindings::Obj;
use crate::browser::bindings::{Function, Pledge, Response};
use crate::browser::convert::bare_object;
use crate::browser::promise::when_settled;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The page's `fetch` at the time of the call (a page may wrap it, as monitoring tools do).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &Obj) -> Result<JsValue, JsValue>;
}

/// Asks the endpoint: `fetched(response)` or `failed(error)` follows. No token ever goes into
/// the URL; cookies go with the request, nothing is cached, and a redirect (to a login page,
/// usually) is followed and reported as such. False when `fetch` threw.
pub fn fetch_endpoint(url: &str, signal: &JsValue, fetched: &Function, failed: &Function) -> bool {
    let headers = bare_object();
    headers.set_str("Accept", "application/json");
    // GET is fetch's default method.
    let init = bare_object();
    init.set_str("credentials", "include");
    init.set_str("cache", "no-store");
    init.set("headers", &headers);
    init.set("signal", signal);
    global_fetch(url, &init).is_ok_and(|returned| when_settled(&returned, fetched, failed))
}

/// A response's status, whether it was redirected, and its body to read: `read(text)` or
/// `failed(error)` follows. `None` when `response` is not a `Response` (a page's lying fetch).
pub fn read_response(
    response: JsValue,
    read: impl FnOnce(u16, bool) -> Function,
    failed: &Function,
) -> Option<()> {
    let response = response.dyn_into::<Response>().ok()?;
    let body = response.text().ok()?;
    let read = read(response.status(), response.redirected());
    when_settled(&body, &read, failed).then_some(())
}

/// Calls the page's `jwtCallback(callback)`. `answer` is the callback the page calls with the
/// JWT; `rejected` is called if the jwtCallback returns a promise that rejects. Returns false
/// when the jwtCallback threw.
pub fn call_jwt_callback(jwt_callback: &Function, answer: &Function, rejected: &Function) -> bool {
    let Ok(returned) = jwt_callback.call(&JsValue::UNDEFINED, answer) else {
        return false;
    };
    // An async jwtCallback that fails would otherwise be an unhandled rejection and a timeout.
    // A `then` that is missing, not a function or throwing is an `Err`, ignored.
    if returned.is_object() {
        let _ = returned
            .unchecked_into::<Pledge>()
            .then(&JsValue::UNDEFINED, rejected);
    }
    true
}
