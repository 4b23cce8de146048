//! Owns the session, feeds it inputs, and has the performers carry out its effects. Every borrow
//! of the session is released before page code runs (handlers, callbacks), so page code may call
//! back into the SDK at any time.

use crate::browser::decode::{self, Payload};
use crate::browser::emitter::Emitter;
use crate::browser::inbox::{Inbox, Input};
use crate::browser::lifecycle::Lifecycle;
use crate::browser::locks::Locks;
use crate::browser::random::CryptoRandom;
use crate::browser::source::Sources;
use crate::browser::storage::Store;
use crate::browser::tabs::Tabs;
use crate::browser::timer::Timer;
use crate::browser::waiters::Waiters;
use crate::core::config::{self, Config};
use crate::core::{Answer, AuthState, Effect, Session, Source, StorageKind};
use futures_channel::mpsc::UnboundedReceiver;
use futures_core::Stream;
use js_sys::Function;
use std::cell::{Cell, OnceCell, RefCell};
use std::future::poll_fn;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;

/// What performs the effects of a running session.
struct Performers {
    store: Store,
    sources: Sources,
    locks: Locks,
    timer: Timer,
    /// Opened after `ready`: restoring needs neither.
    tabs: OnceCell<Option<Tabs>>,
    lifecycle: OnceCell<Option<Lifecycle>>,
}

/// The SDK instance's state.
struct Inner {
    /// The script tag's `data-` attributes.
    attributes: Vec<(String, String)>,
    inbox: Inbox,
    /// Set by the first `init`. Borrowed only to feed it and to drain it, never while page code
    /// runs.
    session: RefCell<Option<Session<Payload>>>,
    performers: OnceCell<Performers>,
    emitter: Emitter,
    waiters: Waiters,
    /// The page's jwtCallback, kept from `loginUser()` until logout.
    jwt_callback: RefCell<Option<Function>>,
    /// Whether `pump` is performing effects (page code it runs may call back in).
    pumping: Cell<bool>,
}

/// The SDK instance behind the API.
pub struct Driver {
    inner: Rc<Inner>,
}

fn now() -> u64 {
    js_sys::Date::now() as u64
}

impl Driver {
    /// A driver not yet initialised; `attributes` are the script tag's `data-` pairs.
    pub fn new(attributes: Vec<(String, String)>) -> Driver {
        let (inbox, receiver) = Inbox::new();
        let inner = Rc::new(Inner {
            attributes,
            inbox,
            session: RefCell::new(None),
            performers: OnceCell::new(),
            emitter: Emitter::default(),
            waiters: Waiters::default(),
            jwt_callback: RefCell::new(None),
            pumping: Cell::new(false),
        });
        spawn_local(drain(Rc::downgrade(&inner), receiver));
        Driver { inner }
    }

    /// The page's handlers.
    pub fn emitter(&self) -> &Emitter {
        &self.inner.emitter
    }

    /// Initialises with `options` over the script tag's attributes over the defaults, once.
    /// Later calls succeed when they ask for nothing different.
    pub fn init(&self, options: &JsValue) -> Result<(), String> {
        let options = decode::options(options).map_err(|e| e.message)?;
        let resolved = config::resolve(&self.inner.attributes, &options).map_err(|e| e.message)?;
        if let Some(session) = self.inner.session.borrow().as_ref() {
            return session
                .config()
                .agrees_with(&resolved.config)
                .map_err(|e| e.message);
        }
        for warning in &resolved.warnings {
            // No call of the page could be rejected for an attribute: the console says it.
            web_sys::console::error_1(&warning.message.as_str().into());
        }
        self.start(resolved.config)
    }

    /// Initialises from the attributes alone, if nothing did before (any call but `on`/`off`).
    pub fn ensure_running(&self) {
        if self.inner.session.borrow().is_none() {
            let _ = self.init(&JsValue::UNDEFINED);
        }
    }

    /// Restores and emits `ready`; only then opens the channel and the wake listeners.
    fn start(&self, config: Config) -> Result<(), String> {
        let random =
            CryptoRandom::new().ok_or("messenger.init: this page has no crypto.getRandomValues")?;
        let inbox = &self.inner.inbox;
        let store = Store::open(config.storage);
        let stored = store.read();
        let performers = Performers {
            locks: Locks::new(inbox.clone(), store.clone()),
            store,
            sources: Sources::new(inbox.clone()),
            timer: Timer::new(inbox.clone()),
            tabs: OnceCell::new(),
            lifecycle: OnceCell::new(),
        };
        *self.inner.session.borrow_mut() = Some(Session::new(config, Box::new(random)));
        let performers = self.inner.performers.get_or_init(|| performers);
        handle(&self.inner, Input::Start { stored });
        performers.tabs.get_or_init(|| Tabs::open(inbox));
        performers
            .lifecycle
            .get_or_init(|| Lifecycle::listen(inbox));
        Ok(())
    }

    /// Keeps the page's jwtCallback for this login and its renewals.
    pub fn keep_jwt_callback(&self, callback: Function) {
        *self.inner.jwt_callback.borrow_mut() = Some(callback);
    }

    /// A new pending promise for the page, and its waiter id.
    pub fn promise(&self, login_callback: Option<Function>) -> (js_sys::Promise, u32) {
        self.inner.waiters.promise(login_callback)
    }

    /// Feeds `input` to the session and performs what follows.
    pub fn handle(&self, input: Input) {
        handle(&self.inner, input);
    }

    /// The state now.
    pub fn state(&self) -> Option<AuthState<Payload>> {
        self.ensure_running();
        self.inner.session.borrow().as_ref().map(Session::state)
    }
}

/// Hands what the performers put in the inbox to the session, for as long as the SDK lives.
async fn drain(inner: Weak<Inner>, mut receiver: UnboundedReceiver<Input>) {
    while let Some(input) = poll_fn(|cx| Pin::new(&mut receiver).poll_next(cx)).await {
        let Some(inner) = inner.upgrade() else { return };
        handle(&inner, input);
    }
}

fn handle(inner: &Rc<Inner>, input: Input) {
    let now = now();
    match inner.session.borrow_mut().as_mut() {
        Some(session) => session.handle(now, input),
        None => return,
    }
    pump(inner);
}

/// Performs effects until there are none, then sets the timer for the next deadline.
///
/// Page code run by an effect (a handler, a window listener, the jwtCallback, a loginCallback)
/// may call back in, e.g. `logoutUser()` from an `authStateChanged` handler. Such a nested call
/// only feeds the session: the effects it queues are performed by the loop already running,
/// after the effect under way has finished. Performing them at once would deliver the later
/// events to the remaining handlers and window listeners before the earlier one, so a page could
/// end up believing the state it saw last (`authenticated`) while the SDK is `anonymous`.
fn pump(inner: &Rc<Inner>) {
    if inner.pumping.replace(true) {
        return;
    }
    while let Some(effect) = next_effect(inner) {
        perform(inner, effect);
    }
    let deadline = inner
        .session
        .borrow()
        .as_ref()
        .and_then(Session::next_deadline);
    if let Some(performers) = inner.performers.get() {
        performers.timer.set(now(), deadline);
    }
    inner.pumping.set(false);
}

fn next_effect(inner: &Inner) -> Option<Effect<Payload>> {
    inner.session.borrow_mut().as_mut()?.poll_effect()
}

fn perform(inner: &Rc<Inner>, effect: Effect<Payload>) {
    let Some(performers) = inner.performers.get() else {
        return;
    };
    match effect {
        Effect::RequestToken { request, source } => match source {
            Source::Endpoint => {
                let url = inner
                    .session
                    .borrow()
                    .as_ref()
                    .and_then(|s| s.config().auth_endpoint.clone());
                match url {
                    Some(url) => performers.sources.fetch(request, &url),
                    None => inner.inbox.send(Input::Answered {
                        request,
                        answer: Answer::NetworkError,
                    }),
                }
            }
            Source::Callback => {
                let callback = inner.jwt_callback.borrow().clone();
                match callback {
                    Some(callback) => performers.sources.call(request, &callback),
                    None => inner.inbox.send(Input::Answered {
                        request,
                        answer: Answer::CallbackThrew,
                    }),
                }
            }
        },
        Effect::CancelRequest { request } => performers.sources.cancel(request),
        Effect::Store(record) => performers.store.write(&record),
        Effect::Remove(kind) => remove(kind),
        Effect::ForgetJwtCallback => *inner.jwt_callback.borrow_mut() = None,
        Effect::Emit(event) => inner.emitter.emit(&event),
        Effect::Settle { waiter, outcome } => inner.waiters.settle(waiter, outcome),
        Effect::Broadcast(message) => {
            let tabs = performers.tabs.get_or_init(|| Tabs::open(&inner.inbox));
            if let Some(tabs) = tabs {
                tabs.send(&message);
            }
        }
        Effect::AcquireLock { lock } => performers.locks.acquire(lock),
        Effect::ReleaseLock { lock } => performers.locks.release(lock),
    }
}

fn remove(kind: StorageKind) {
    Store::open(kind).remove();
}
