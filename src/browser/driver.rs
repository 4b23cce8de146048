//! Owns the session and performs its effects. Every borrow of the session is released before
//! page code runs (handlers, callbacks), so page code may call back into the SDK at any time.

use crate::browser::bindings::{console_error, console_error2, AbortController, Function, Pledge};
use crate::browser::cell::Borrow;
use crate::browser::convert::{auth_state, login_failed, option_entries, option_value, pairs};
use crate::browser::emitter::Emitter;
use crate::browser::json;
use crate::browser::keyed::Keyed;
use crate::browser::lifecycle::WakeListeners;
use crate::browser::locks::{lock_manager, request_lock, Release};
use crate::browser::random::CryptoRandom;
use crate::browser::sinks::{Kind, Sinks};
use crate::browser::source::{call_jwt_callback, fetch_endpoint, read_response};
use crate::browser::storage::Store;
use crate::browser::tabs::Tabs;
use crate::browser::timer::Timer;
use crate::core::{Answer, Config, Effect, Input, Outcome, RequestId, Session, Source, WaiterId};
use ::core::cell::{Cell, RefCell};
use alloc::rc::Rc;
use alloc::{boxed::Box, string::String};
use wasm_bindgen::JsValue;

/// What a pending promise is settled with.
struct Pending {
    resolve: Function,
    login_callback: Option<Function>,
}

/// The shell's state; closures hold it weakly, so dropping the `Driver` releases everything.
pub struct Inner {
    /// The script tag's `data-` attributes, read at `init`.
    attributes: JsValue,
    /// Set by `init`. Borrowed only to feed it and to drain it, never while page code runs.
    session: RefCell<Option<Session>>,
    /// The resources of an initialised SDK, each borrowed on its own: storage and channel calls
    /// reach page-replaceable browser code, which may call back in.
    store: RefCell<Option<Store>>,
    tabs: RefCell<Option<Tabs>>,
    /// Whether the channel was opened (or could not be): after `ready`, or by the first message.
    tabs_opened: Cell<bool>,
    wake: RefCell<Option<WakeListeners>>,
    pub(crate) emitter: Emitter,
    timer: RefCell<Timer>,
    pending: RefCell<Keyed<WaiterId, Pending>>,
    next_waiter: Cell<WaiterId>,
    jwt_callback: RefCell<Option<Function>>,
    aborts: RefCell<Keyed<RequestId, Option<Release>>>,
    /// Cross-tab locks this tab wants (`None`: no Web Locks here, granted at once).
    locks: RefCell<Keyed<RequestId, Option<Release>>>,
    /// Whether `pump` is performing effects (page code it runs may call back in).
    pumping: Cell<bool>,
    /// The `resolve` of the promise being made (see [`promise`]).
    pub(crate) resolver: Cell<Option<Function>>,
    sinks: Sinks,
}

/// Whatever the SDK holds in the browser is given back when it is dropped: locks, requests.
impl Drop for Inner {
    fn drop(&mut self) {
        for map in [&mut self.locks, &mut self.aborts] {
            for held in map.get_mut().drain().flatten() {
                held.release();
            }
        }
    }
}

/// The SDK instance behind the API.
pub struct Driver {
    inner: Rc<Inner>,
}

fn now() -> u64 {
    crate::browser::bindings::now() as u64
}

impl Driver {
    /// A driver not yet initialised; `attributes` are the script tag's `data-` pairs.
    pub fn new(attributes: &JsValue) -> Driver {
        let inner = Rc::new_cyclic(|weak| Inner {
            attributes: attributes.clone(),
            session: RefCell::new(None),
            store: RefCell::new(None),
            tabs: RefCell::new(None),
            tabs_opened: Cell::new(false),
            wake: RefCell::new(None),
            emitter: Emitter::default(),
            timer: RefCell::new(Timer::default()),
            pending: RefCell::default(),
            next_waiter: Cell::new(0),
            jwt_callback: RefCell::new(None),
            aborts: RefCell::default(),
            locks: RefCell::default(),
            pumping: Cell::new(false),
            resolver: Cell::new(None),
            sinks: Sinks::new(weak),
        });
        Driver { inner }
    }

    /// A function that removes `handler` for the event `EVENT_NAMES[index]` when called.
    pub fn unsubscriber(&self, index: usize, handler: &JsValue) -> JsValue {
        self.inner
            .sinks
            .bound(Kind::Off, index as u64, handler)
            .into()
    }

    /// The page's handlers.
    pub fn emitter(&self) -> &Emitter {
        &self.inner.emitter
    }

    /// Whether `init` has succeeded.
    pub fn is_running(&self) -> bool {
        self.inner.session.view().is_some()
    }

    /// Initialises with `options` over the script tag's attributes over the defaults, once.
    /// Later calls succeed when they ask for nothing different.
    pub fn init(&self, options: &JsValue) -> Result<(), String> {
        let mut config = Config::default();
        for (name, value) in pairs(&self.inner.attributes) {
            let Some(value) = value.as_string() else {
                continue;
            };
            if let Err(error) = config.set_attribute(&name, &value, json::read) {
                // The page did not call anything that could reject: say it on the console.
                console_error(&error.message);
            }
        }
        for (name, value) in pairs(&option_entries(options)?) {
            config
                .set(&name, option_value(&value))
                .map_err(|e| e.message)?;
        }
        if let Some(session) = self.inner.session.view().as_ref() {
            return if *session.config() == config {
                Ok(())
            } else {
                Err(String::from(
                    "messenger.init: already initialised with other options. Options are set once: give them as data- attributes of the script tag (it initialises the SDK when it loads), or call init() first (through the stub before the script loads).",
                ))
            };
        }
        self.start(config);
        Ok(())
    }

    /// Initialises from the attributes alone, if nothing did before (any call but `on`/`off`).
    pub fn ensure_running(&self) {
        if !self.is_running() {
            let _ = self.init(&JsValue::UNDEFINED);
        }
    }

    /// Restores and emits `ready`; only then opens the channel and the wake listeners, which
    /// restoring does not need (a message sent before opens the channel itself).
    fn start(&self, config: Config) {
        let mut store = Store::open(config.storage);
        let stored = store.read();
        *self.inner.store.edit() = Some(store);
        *self.inner.session.edit() = Some(Session::new(config, Box::new(CryptoRandom), json::read));
        handle(&self.inner, Input::Start { stored });
        open_tabs(&self.inner);
        let wake = WakeListeners::new(&self.inner.sinks);
        *self.inner.wake.edit() = Some(wake);
    }

    /// A new waiter for a promise being created; `resolve` settles it.
    pub fn waiter(&self, resolve: Function, login_callback: Option<Function>) -> WaiterId {
        let id = self.inner.next_waiter.get().wrapping_add(1);
        self.inner.next_waiter.set(id);
        self.inner.pending.edit().insert(
            id,
            Pending {
                resolve,
                login_callback,
            },
        );
        id
    }

    /// Keeps the page's jwtCallback for this login and its renewals.
    pub fn set_jwt_callback(&self, callback: Option<Function>) {
        if callback.is_some() {
            *self.inner.jwt_callback.edit() = callback;
        }
    }

    /// A new pending promise and its `resolve`.
    pub fn promise(&self) -> (Pledge, Option<Function>) {
        promise(&self.inner)
    }

    /// Feeds `input` to the session and performs what follows.
    pub fn handle(&self, input: Input) {
        handle(&self.inner, input);
    }

    /// The state now, as the page sees it.
    pub fn state(&self) -> JsValue {
        self.ensure_running();
        let state = self.inner.session.view().as_ref().map(Session::state);
        state.as_ref().map_or(JsValue::NULL, auth_state)
    }
}

/// A new pending promise, and its `resolve` (`None` where a page's `Promise` gave none).
pub(crate) fn promise(inner: &Inner) -> (Pledge, Option<Function>) {
    let executor = inner.sinks.bound(Kind::Executor, 0, &JsValue::UNDEFINED);
    let promise = Pledge::new(&executor);
    (promise, inner.resolver.take())
}

pub(crate) fn handle(inner: &Rc<Inner>, input: Input) {
    let now = now();
    match inner.session.edit().as_mut() {
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
    loop {
        let effect = inner.session.edit().as_mut().and_then(Session::poll_effect);
        if let Some(effect) = effect {
            perform(inner, effect);
            continue;
        }
        // Setting the timer calls the page's setTimeout, which a page may have replaced.
        schedule(inner);
        if !inner
            .session
            .view()
            .as_ref()
            .is_some_and(Session::has_effects)
        {
            break;
        }
    }
    inner.pumping.set(false);
}

/// Sets the one timer for the session's next deadline.
fn schedule(inner: &Rc<Inner>) {
    let deadline = inner
        .session
        .view()
        .as_ref()
        .and_then(Session::next_deadline);
    // Taken out while the page's setTimeout and clearTimeout run: a lying one that calls the
    // tick at once must find the timer free (the tick only feeds the session, as here).
    let mut timer = ::core::mem::take(&mut *inner.timer.edit());
    timer.set(now(), deadline, &inner.sinks);
    *inner.timer.edit() = timer;
}

/// The timer has fired.
pub(crate) fn ticked(inner: &Rc<Inner>) {
    inner.timer.edit().fired();
    handle(inner, Input::Tick);
}

fn perform(inner: &Rc<Inner>, effect: Effect) {
    match effect {
        Effect::RequestToken { request, source } => request_token(inner, request, source),
        Effect::CancelRequest { request } => give_back(&inner.aborts, request),
        Effect::Store(text) => with_store(inner, |store| store.write(text)),
        Effect::Purge => with_store(inner, Store::purge),
        Effect::Emit(event) => inner.emitter.emit(&event),
        Effect::Settle { waiter, outcome } => settle(inner, waiter, outcome),
        Effect::AcquireLock { lock } => {
            let (Some(locks), Ok(controller)) = (lock_manager(), AbortController::new()) else {
                inner.locks.edit().insert(lock, None);
                return grant_alone(inner, lock);
            };
            // Wanted before asking: a page's lock manager may grant within `request`.
            let waiting = Release::Abort(controller.clone());
            inner.locks.edit().insert(lock, Some(waiting));
            let id = lock.0;
            let granted = inner.sinks.bound(Kind::Granted, id, &JsValue::UNDEFINED);
            let refused = inner.sinks.bound(Kind::Refused, id, &JsValue::UNDEFINED);
            if !request_lock(locks, &controller, &granted, &refused) {
                grant_alone(inner, lock);
            }
        }
        Effect::ReleaseLock { lock } => give_back(&inner.locks, lock),
        Effect::Broadcast(message) => {
            open_tabs(inner);
            if let Some(tabs) = inner.tabs.view().as_ref() {
                tabs.send(&message);
            }
        }
    }
}

/// Aborts the request, gives up the wait for the lock, or releases it; the map is not borrowed
/// meanwhile (an abort runs the signal's listeners at once).
fn give_back(map: &RefCell<Keyed<RequestId, Option<Release>>>, id: RequestId) {
    let removed = map.edit().remove(&id);
    if let Some(Some(held)) = removed {
        held.release();
    }
}

/// The lock is held: keeps it (until `ReleaseLock`) by returning a pending promise, unless the
/// core no longer wants it, and tells the core with what storage holds now.
pub(crate) fn lock_granted(inner: &Rc<Inner>, lock: RequestId) -> JsValue {
    if !inner.locks.view().contains_key(&lock) {
        return JsValue::UNDEFINED; // given back at once
    }
    let (held, release) = promise(inner);
    inner
        .locks
        .edit()
        .insert(lock, release.map(Release::Resolve));
    let stored = read_store(inner);
    handle(inner, Input::LockGranted { lock, stored });
    held.into()
}

/// No Web Locks here (or refused): single flight within this tab only.
pub(crate) fn grant_alone(inner: &Rc<Inner>, lock: RequestId) {
    // A refused request has nothing left to release.
    let wanted = inner
        .locks
        .edit()
        .get_mut(&lock)
        .map(|state| *state = None)
        .is_some();
    if wanted {
        let stored = read_store(inner);
        handle(inner, Input::LockGranted { lock, stored });
    }
}

/// Opens the channel to the other tabs, once.
fn open_tabs(inner: &Inner) {
    if !inner.tabs_opened.replace(true) {
        let tabs = Tabs::open(&inner.sinks.bound(Kind::Peer, 0, &JsValue::UNDEFINED));
        *inner.tabs.edit() = tabs;
    }
}

fn read_store(inner: &Inner) -> Option<String> {
    inner.store.edit().as_mut().and_then(Store::read)
}

fn with_store(inner: &Inner, f: impl FnOnce(&mut Store)) {
    if let Some(store) = inner.store.edit().as_mut() {
        f(store);
    }
}

fn request_token(inner: &Rc<Inner>, request: RequestId, source: Source) {
    match source {
        Source::Endpoint => {
            let url = inner
                .session
                .view()
                .as_ref()
                .and_then(|s| s.config().auth_endpoint.clone());
            let (Some(url), Ok(controller)) = (url, AbortController::new()) else {
                return handle(
                    inner,
                    Input::Answered {
                        request,
                        answer: Answer::NetworkError,
                    },
                );
            };
            let signal = controller.signal();
            inner
                .aborts
                .edit()
                .insert(request, Some(Release::Abort(controller)));
            let id = request.0;
            let responded = inner.sinks.bound(Kind::Responded, id, &JsValue::UNDEFINED);
            let unreachable = inner
                .sinks
                .bound(Kind::Unreachable, id, &JsValue::UNDEFINED);
            if !fetch_endpoint(&url, &signal, &responded, &unreachable) {
                endpoint_answered(inner, request, Answer::NetworkError);
            }
        }
        Source::Callback => {
            let Some(callback) = inner.jwt_callback.view().clone() else {
                return handle(
                    inner,
                    Input::Answered {
                        request,
                        answer: Answer::CallbackThrew,
                    },
                );
            };
            let id = request.0;
            let answer = inner.sinks.bound(Kind::Answer, id, &JsValue::UNDEFINED);
            let rejected = inner.sinks.bound(Kind::Rejected, id, &JsValue::UNDEFINED);
            if !call_jwt_callback(&callback, &answer, &rejected) {
                handle(
                    inner,
                    Input::Answered {
                        request,
                        answer: Answer::CallbackThrew,
                    },
                );
            }
        }
    }
}

/// The endpoint's response to `request` has come: reads its body, unless it was cancelled.
pub(crate) fn endpoint_responded(inner: &Rc<Inner>, request: RequestId, response: JsValue) {
    if !inner.aborts.view().contains_key(&request) {
        return;
    }
    let id = request.0;
    let unreachable = inner
        .sinks
        .bound(Kind::Unreachable, id, &JsValue::UNDEFINED);
    let reading = read_response(
        response,
        |status, redirected| {
            let meta = JsValue::from(f64::from(status) * 2.0 + f64::from(u8::from(redirected)));
            inner.sinks.bound(Kind::Read, id, &meta)
        },
        &unreachable,
    );
    if reading.is_none() {
        endpoint_answered(inner, request, Answer::NetworkError);
    }
}

/// The endpoint's answer to `request`. Cancelled requests were removed: their answers are not
/// even reported.
pub(crate) fn endpoint_answered(inner: &Rc<Inner>, request: RequestId, answer: Answer) {
    let wanted = inner.aborts.edit().remove(&request).is_some();
    if wanted {
        handle(inner, Input::Answered { request, answer });
    }
}

fn settle(inner: &Inner, waiter: WaiterId, outcome: Outcome) {
    let Some(pending) = inner.pending.edit().remove(&waiter) else {
        return;
    };
    let (value, login_error) = match &outcome {
        Outcome::Login(state, error) => (
            auth_state(state),
            Some(error.as_ref().map_or(JsValue::NULL, login_failed)),
        ),
        Outcome::State(state) => (auth_state(state), None),
        Outcome::Token(token) => (token.as_deref().map_or(JsValue::NULL, JsValue::from), None),
    };
    if let (Some(callback), Some(error)) = (&pending.login_callback, login_error) {
        if let Err(thrown) = callback.call(&JsValue::UNDEFINED, &error) {
            console_error2("messenger-auth: the loginCallback threw:", &thrown);
        }
    }
    let _ = pending.resolve.call(&JsValue::UNDEFINED, &value);
}
