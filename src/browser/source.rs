//! The two token sources: `GET authEndpoint` with the site's cookies (gloo-net), and the page's
//! jwtCallback. Time limits are the core's deadlines: the shell only cancels what the core
//! cancels, and every answer, late or not, goes to the inbox (the core discards stale ones).

use crate::browser::decode::{self, Payload};
use crate::browser::inbox::Inbox;
use crate::core::{Answer, Input, RequestId};
use gloo_net::http::Request;
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{AbortController, RequestCache, RequestCredentials};

/// How a request in flight is given up.
enum Cancel {
    /// An endpoint request: aborted.
    Abort(AbortController),
    /// A jwtCallback call: its answer is settled as nothing, so a later `callback(jwt)` is a
    /// harmless no-op.
    Settle(Function),
}

/// The requests in flight, by the core's request id.
type Pending = Rc<RefCell<Vec<(RequestId, Cancel)>>>;

/// Asks the sources, and reports their answers to the inbox.
pub struct Sources {
    inbox: Inbox,
    pending: Pending,
}

impl Sources {
    /// Sources whose answers go to `inbox`.
    pub fn new(inbox: Inbox) -> Sources {
        Sources {
            inbox,
            pending: Rc::default(),
        }
    }

    /// `GET url` with the site's cookies, nothing cached, JSON asked for. No token ever goes
    /// into the URL; a redirect (to a login page, usually) is followed and reported as such.
    pub fn fetch(&self, request: RequestId, url: &str) {
        let controller = AbortController::new().ok();
        let built = Request::get(url)
            .credentials(RequestCredentials::Include)
            .cache(RequestCache::NoStore)
            .header("Accept", "application/json")
            .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref())
            .build();
        if let Some(controller) = controller {
            self.pending
                .borrow_mut()
                .push((request, Cancel::Abort(controller)));
        }
        // gloo-net's `send()` calls `fetch` without catching: a page whose fetch wrapper throws
        // would unwind through the wasm. The page's `fetch`, looked up now (monitoring tools
        // wrap it), is called here instead, and what it throws or returns is a typed answer.
        let sent = built.ok().and_then(|built| {
            let fetch: Function = Reflect::get(&js_sys::global(), &"fetch".into())
                .ok()?
                .dyn_into()
                .ok()?;
            let request: web_sys::Request = built.into();
            fetch.call1(&JsValue::UNDEFINED, &request).ok()
        });
        let (inbox, pending) = (self.inbox.clone(), self.pending.clone());
        spawn_local(async move {
            let answer = match sent {
                Some(returned) => read(Promise::resolve(&returned)).await,
                None => Answer::NetworkError,
            };
            take_out(&pending, request);
            inbox.send(Input::Answered { request, answer });
        });
    }

    /// Calls the page's `jwtCallback(callback)`; its answer is what it passes to `callback`, or
    /// `callback_error` when it throws or the promise it returns rejects.
    pub fn call(&self, request: RequestId, jwt_callback: &Function) {
        let mut settle = None;
        let answered = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
        let Some((resolve, reject)) = settle else {
            return; // the executor runs before `Promise::new` returns
        };
        self.pending
            .borrow_mut()
            .push((request, Cancel::Settle(resolve.clone())));
        let (inbox, pending) = (self.inbox.clone(), self.pending.clone());
        spawn_local(async move {
            let answer = match JsFuture::from(answered).await {
                Ok(value) => match value.as_string() {
                    Some(text) => Answer::Jwt(decode::jwt(text)),
                    None => Answer::NotAString(decode::type_name(&value)),
                },
                Err(_) => Answer::CallbackThrew,
            };
            take_out(&pending, request);
            inbox.send(Input::Answered { request, answer });
        });
        match jwt_callback.call1(&JsValue::UNDEFINED, &resolve) {
            Err(thrown) => {
                let _ = reject.call1(&JsValue::UNDEFINED, &thrown);
            }
            // An async jwtCallback that fails would otherwise be an unhandled rejection and,
            // later, a timeout.
            Ok(returned) if returned.is_object() => spawn_local(async move {
                if JsFuture::from(Promise::resolve(&returned)).await.is_err() {
                    let _ = reject.call0(&JsValue::UNDEFINED);
                }
            }),
            Ok(_) => {}
        }
    }

    /// Gives up request `request`.
    pub fn cancel(&self, request: RequestId) {
        let cancel = take_out(&self.pending, request);
        match cancel {
            Some(Cancel::Abort(controller)) => controller.abort(),
            Some(Cancel::Settle(resolve)) => {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
            None => {}
        }
    }
}

impl Drop for Sources {
    fn drop(&mut self) {
        let requests: Vec<RequestId> = self.pending.borrow().iter().map(|(r, _)| *r).collect();
        for request in requests {
            self.cancel(request);
        }
    }
}

/// Takes request `request` out of the pending ones.
fn take_out(pending: &Pending, request: RequestId) -> Option<Cancel> {
    let mut pending = pending.borrow_mut();
    let index = pending.iter().position(|(r, _)| *r == request)?;
    Some(pending.swap_remove(index).1)
}

/// The endpoint's answer: its status, whether it was redirected, and its body read as text (not
/// as JSON by gloo-net, which would bring serde_json into the wasm: the browser parses it).
async fn read(returned: Promise) -> Answer<Payload> {
    let Ok(value) = JsFuture::from(returned).await else {
        return Answer::NetworkError; // network, CORS, abort
    };
    // A page's fetch wrapper may resolve something else.
    let Ok(response) = value.dyn_into::<web_sys::Response>() else {
        return Answer::NetworkError;
    };
    let (status, redirected) = (response.status(), response.redirected());
    // Read with web-sys: gloo-net's `text()` unwraps, and a made-up response may have a body
    // already read.
    let Ok(text) = response.text() else {
        return Answer::NetworkError;
    };
    match JsFuture::from(text)
        .await
        .ok()
        .and_then(|text| text.as_string())
    {
        Some(text) => Answer::Endpoint {
            status,
            redirected,
            body: decode::body(&text),
        },
        None => Answer::NetworkError,
    }
}
