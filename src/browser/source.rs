//! The two token sources: `GET authEndpoint` with the site's cookies, and the page's jwtCallback.
//! Time limits are the core's deadlines; the shell only aborts what the core cancels.

use crate::core::Answer;
use gloo_net::http::Request;
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, RequestCache, RequestCredentials};

/// Asks the endpoint. No token ever goes into the URL; cookies go with the request, nothing is
/// cached, and a redirect (to a login page, usually) is followed and reported as such.
pub async fn fetch_endpoint(url: &str, signal: &AbortSignal) -> Answer {
    let request = Request::get(url)
        .credentials(RequestCredentials::Include)
        .cache(RequestCache::NoStore)
        .header("Accept", "application/json")
        .abort_signal(Some(signal));
    let Ok(response) = request.send().await else {
        return Answer::NetworkError;
    };
    let (status, redirected) = (response.status(), response.redirected());
    match response.text().await {
        Ok(body) => Answer::Endpoint {
            status,
            body,
            redirected,
        },
        Err(_) => Answer::NetworkError,
    }
}

/// Calls the page's `jwtCallback(callback)`. `answer` is the callback the page calls with the
/// JWT; `rejected` is called if the jwtCallback returns a promise that rejects. Returns false
/// when the jwtCallback threw.
pub fn call_jwt_callback(jwt_callback: &Function, answer: &Function, rejected: &Function) -> bool {
    let Ok(returned) = jwt_callback.call1(&JsValue::UNDEFINED, answer) else {
        return false;
    };
    // An async jwtCallback that fails would otherwise be an unhandled rejection and a timeout.
    if returned.is_object() {
        if let Ok(then) = Reflect::get(&returned, &"then".into()) {
            if let Some(then) = then.dyn_ref::<Function>() {
                let _ = then.call2(&returned, &JsValue::UNDEFINED, rejected);
            }
        }
    }
    true
}
