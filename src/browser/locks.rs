//! Web Locks (`navigator.locks`): one tab at a time requests a token. Bound here because web-sys
//! has them only behind `--cfg=web_sys_unstable_apis`. Where the browser has no Web Locks
//! (insecure contexts) or refuses them (sandboxed frames), the lock is granted at once: the tab
//! keeps its own single flight.

use crate::browser::inbox::Inbox;
use crate::browser::storage::Store;
use crate::core::{Input, RequestId};
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::AbortController;

/// Every tab of the origin queues on this one lock.
const LOCK_NAME: &str = "messenger-auth:token";

#[wasm_bindgen]
extern "C" {
    /// `LockManager`.
    type LockManager;

    /// `locks.request(name, options, callback)`: `callback(lock)` runs when this tab holds the
    /// lock, which it keeps until the promise `callback` returns settles.
    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &Object,
        callback: &Function,
    ) -> Result<JsValue, JsValue>;
}

/// A lock asked for: the wait is aborted, or the held lock released by resolving its promise.
struct Lock {
    id: RequestId,
    abort: AbortController,
    release: Option<Function>,
    /// Called by the browser when the lock is granted; dropped with the lock.
    _granted: Closure<dyn FnMut(JsValue) -> Promise>,
}

type Held = Rc<RefCell<Vec<Lock>>>;

/// The cross-tab locks this tab asked for.
pub struct Locks {
    inbox: Inbox,
    store: Store,
    held: Held,
}

impl Locks {
    /// Locks whose grants go to `inbox`, with the record read from `store` at that moment.
    pub fn new(inbox: Inbox, store: Store) -> Locks {
        Locks {
            inbox,
            store,
            held: Rc::default(),
        }
    }

    /// Asks for lock `id`; `LockGranted` follows.
    pub fn acquire(&self, id: RequestId) {
        // `navigator.locks` is `undefined` outside secure contexts.
        let manager = web_sys::window()
            .and_then(|w| Reflect::get(&w.navigator(), &"locks".into()).ok())
            .filter(JsValue::is_object)
            .map(JsCast::unchecked_into::<LockManager>);
        let (Some(manager), Ok(abort)) = (manager, AbortController::new()) else {
            return self.granted(id);
        };
        let (inbox, store, held) = (self.inbox.clone(), self.store.clone(), self.held.clone());
        let granted = Closure::new(move |_lock: JsValue| {
            let mut release = None;
            let kept = Promise::new(&mut |resolve, _| release = Some(resolve));
            match held.borrow_mut().iter_mut().find(|lock| lock.id == id) {
                Some(lock) => lock.release = release,
                // Given back while the grant was on its way: let it go at once.
                None => return Promise::resolve(&JsValue::UNDEFINED),
            }
            inbox.send(Input::LockGranted {
                lock: id,
                stored: store.read(),
            });
            kept
        });
        let options = Object::new();
        let _ = Reflect::set(&options, &"signal".into(), &abort.signal());
        let callback: Function = granted.as_ref().unchecked_ref::<Function>().clone();
        // Wanted before asking: a lock manager may grant within `request`.
        self.held.borrow_mut().push(Lock {
            id,
            abort,
            release: None,
            _granted: granted,
        });
        let requested = manager.request(LOCK_NAME, &options, &callback);
        match requested {
            // Refused (sandboxed, opaque origin): alone. Aborted because given back: the core
            // no longer waits for it and gives it back again, which does nothing.
            Ok(request) => {
                let (inbox, store) = (self.inbox.clone(), self.store.clone());
                // A request that is no promise never settles: the core's deadline ends the wait.
                let request = Promise::resolve(&request);
                spawn_local(async move {
                    if JsFuture::from(request).await.is_err() {
                        inbox.send(Input::LockGranted {
                            lock: id,
                            stored: store.read(),
                        });
                    }
                });
            }
            Err(_) => self.granted(id),
        }
    }

    /// Releases lock `id`, or gives up waiting for it.
    pub fn release(&self, id: RequestId) {
        let lock = {
            let mut held = self.held.borrow_mut();
            let index = held.iter().position(|lock| lock.id == id);
            index.map(|index| held.swap_remove(index))
        };
        if let Some(lock) = lock {
            match lock.release {
                Some(release) => {
                    let _ = release.call0(&JsValue::UNDEFINED);
                }
                None => lock.abort.abort(),
            }
        }
    }

    /// Goes ahead without the lock.
    fn granted(&self, id: RequestId) {
        self.inbox.send(Input::LockGranted {
            lock: id,
            stored: self.store.read(),
        });
    }
}

impl Drop for Locks {
    fn drop(&mut self) {
        let ids: Vec<RequestId> = self.held.borrow().iter().map(|lock| lock.id).collect();
        for id in ids {
            self.release(id);
        }
    }
}
