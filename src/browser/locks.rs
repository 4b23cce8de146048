//! Web Locks (`navigator.locks`): one tab at a time requests a token. Bound by hand because
//! web-sys has them only behind an unstable cfg.

use crate::browser::bindings::Global;
use crate::browser::bindings::Obj;
use crate::browser::bindings::{AbortController, Function};
use crate::browser::convert::bare_object;
use crate::browser::promise::when_settled;
use wasm_bindgen::prelude::*;

/// Every tab of the origin queues on this one lock.
const LOCK_NAME: &str = "messenger-auth:token";

#[wasm_bindgen]
extern "C" {
    type LockManager;

    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &Obj,
        callback: &Function,
    ) -> Result<JsValue, JsValue>;
}

/// What the SDK waits on or holds in the browser, and how it gives it back: a request, or the
/// wait for a lock, is aborted; a held lock is released by resolving its promise. (Requests and
/// locks are kept in maps of this one type, so that their code is compiled once.)
pub enum Release {
    /// A fetch, or a lock asked for: aborting gives up the request or the place in the queue.
    Abort(AbortController),
    /// A lock held until this resolver is called.
    Resolve(Function),
}

impl Release {
    /// Gives the request or the lock up.
    pub fn release(self) {
        match self {
            Release::Abort(controller) => controller.abort(),
            Release::Resolve(release) => {
                let _ = release.call(&JsValue::UNDEFINED, &JsValue::UNDEFINED);
            }
        }
    }
}

/// The page's Web Locks, if it has them.
pub fn lock_manager() -> Option<JsValue> {
    let locks = Global::locks().ok()?;
    locks.is_object().then_some(locks)
}

/// Asks `locks` (from [`lock_manager`]) for the lock, giving up when `controller` aborts:
/// `granted(lock)` runs when this tab holds it (possibly before this returns, with a page's own
/// lock manager) and keeps it until the promise it returns settles; `refused()` runs if the
/// browser refuses (sandboxed, opaque origin) or the wait is aborted. False when the request
/// could not even be made: the caller then goes ahead alone.
pub fn request_lock(
    locks: JsValue,
    controller: &AbortController,
    granted: &Function,
    refused: &Function,
) -> bool {
    let locks: LockManager = locks.unchecked_into();
    let options = bare_object();
    options.set("signal", &controller.signal());
    let Ok(request) = locks.request(LOCK_NAME, &options, granted) else {
        return false;
    };
    // `Function.prototype` is a native no-op: it swallows what `refused` may throw once the SDK
    // is gone, so no rejection is ever left unhandled.
    // A request that is no promise never settles: the core's deadline ends the wait.
    when_settled(&request, &JsValue::UNDEFINED, refused);
    true
}
