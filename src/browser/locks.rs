//! Web Locks (`navigator.locks`): one tab at a time requests a token. Bound by hand because
//! web-sys has them only behind an unstable cfg.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

/// Every tab of the origin queues on this one lock.
const LOCK_NAME: &str = "messenger-auth:token";

#[wasm_bindgen]
extern "C" {
    type LockManager;

    /// The promise `navigator.locks.request` returns.
    type LockRequest;

    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &Object,
        callback: &Function,
    ) -> Result<LockRequest, JsValue>;

    #[wasm_bindgen(method, catch, js_name = then)]
    fn then_rejected(
        this: &LockRequest,
        fulfilled: &JsValue,
        rejected: &Function,
    ) -> Result<LockRequest, JsValue>;
}

/// A lock this tab wants.
pub enum Lock {
    /// Asked for; aborting gives up the place in the queue.
    Waiting(AbortController),
    /// Held until this resolver is called.
    Held(Function),
}

impl Lock {
    /// Gives the lock back, or gives up waiting for it.
    pub fn release(self) {
        match self {
            Lock::Waiting(controller) => controller.abort(),
            Lock::Held(release) => {
                let _ = release.call0(&JsValue::UNDEFINED);
            }
        }
    }
}

/// Asks for the lock: `granted(lock)` runs when this tab holds it and keeps it until the promise
/// it returns settles; `refused()` runs if the browser refuses (sandboxed, opaque origin) or the
/// wait is aborted. `None` where there are no Web Locks: the caller then goes ahead alone.
pub fn request_lock(granted: &Function, refused: &Function) -> Option<Lock> {
    let window = web_sys::window()?;
    let locks = Reflect::get(&window.navigator(), &"locks".into()).ok()?;
    if !locks.is_object() {
        return None;
    }
    let locks: LockManager = locks.unchecked_into();
    let controller = AbortController::new().ok()?;
    let options = Object::new();
    Reflect::set(&options, &"signal".into(), &controller.signal()).ok()?;
    let request = locks.request(LOCK_NAME, &options, granted).ok()?;
    // `Function.prototype` is a native no-op: it swallows what `refused` may throw once the SDK
    // is gone, so no rejection is ever left unhandled.
    let noop: Function = Reflect::get_prototype_of(granted).ok()?.unchecked_into();
    let handled = request.then_rejected(&JsValue::UNDEFINED, refused).ok()?;
    handled.then_rejected(&JsValue::UNDEFINED, &noop).ok()?;
    Some(Lock::Waiting(controller))
}
