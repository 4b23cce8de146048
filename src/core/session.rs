//! The session state machine: what happened goes in (`Input`), what to do comes out (`Effect`).
//!
//! The shell calls `handle(now, input)`, performs every effect from `poll_effect()`, and calls
//! `handle(now, Input::Tick)` again at `next_deadline()`. Time moves only when the caller says so,
//! and every deadline is compared with the `now` it is given (a wall clock), so a page that slept
//! past a deadline catches up on its next input, once.

use crate::core::answer::read_endpoint_answer;
use crate::core::backoff::{delay_ms, MAX_ATTEMPTS};
use crate::core::config::{Config, StorageKind};
use crate::core::error::{LoginFailedError, Reason};
use crate::core::id::{is_anonymous_id, new_anonymous_id, Random};
use crate::core::json::ReadJson;
use crate::core::record::Record;
use crate::core::state::{AuthState, Event, Status};
use crate::core::text::{concat, push_u64};
use crate::core::token::{decode, Token};
use alloc::{boxed::Box, string::String, vec::Vec};

pub use crate::core::io::{
    Answer, Effect, Input, Millis, Outcome, PeerMessage, RequestId, Source, WaiterId,
};

/// How long a tab keeps the cross-tab lock after getting a token, so that its broadcast reaches
/// the other tabs before the lock does (the two travel by different routes).
pub const HANDOVER_MS: Millis = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Login,
    Engagement,
    Token,
}

#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Waiting for the cross-tab lock; past the deadline the request goes out without it.
    Locking { deadline: Millis },
    /// Waiting for the answer until the deadline.
    Waiting { deadline: Millis },
    /// Waiting to retry.
    BackingOff { until: Millis },
}

/// The one request in flight, and everyone waiting for it.
#[derive(Debug)]
struct Flight {
    /// The cross-tab lock asked for this flight.
    lock: RequestId,
    request: RequestId,
    source: Source,
    attempt: u8,
    phase: Phase,
    waiters: Vec<(WaiterId, Kind)>,
}

/// The accepted token and what has been done about its deadlines.
#[derive(Debug)]
struct Current {
    token: Token,
    source: Source,
    expiring_emitted: bool,
}

/// The authentication state of one page.
pub struct Session {
    config: Config,
    random: Box<dyn Random>,
    read: ReadJson,
    started: bool,
    anonymous_id: String,
    current: Option<Current>,
    /// The user of the last token held, kept after it expires, to detect a user switch.
    last_user_key: Option<String>,
    source: Option<Source>,
    flight: Option<Flight>,
    /// The step that starts the flight (lock or request), queued after this `handle`'s events.
    deferred: Option<Effect>,
    /// A lock held after a success, released at that time so that the token reaches the other
    /// tabs before any of them gets the lock.
    release_at: Option<(RequestId, Millis)>,
    next_request: u64,
    announced: (Status, Option<String>),
    effects: Vec<Effect>,
}

impl Session {
    /// A session with these options; `random` supplies ids and back-off jitter, `read` reads
    /// JSON (tokens, the endpoint's answers, the stored record).
    pub fn new(config: Config, mut random: Box<dyn Random>, read: ReadJson) -> Self {
        let anonymous_id = new_anonymous_id(random.as_mut());
        let source = config.auth_endpoint.as_ref().map(|_| Source::Endpoint);
        Session {
            config,
            random,
            read,
            started: false,
            anonymous_id,
            current: None,
            last_user_key: None,
            source,
            flight: None,
            deferred: None,
            release_at: None,
            next_request: 0,
            announced: (Status::Anonymous, None),
            effects: Vec::new(),
        }
    }

    /// The options in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The state now (`getAuthState()`).
    pub fn state(&self) -> AuthState {
        AuthState {
            status: self.status(),
            user: self.current.as_ref().map(|c| c.token.user.clone()),
            expires_at: self.current.as_ref().and_then(|c| c.token.exp),
            anonymous_id: self.anonymous_id.clone(),
            previous_anonymous_id: None,
        }
    }

    /// Whether effects wait to be performed.
    pub fn has_effects(&self) -> bool {
        !self.effects.is_empty()
    }

    /// The next effect to perform, in order.
    pub fn poll_effect(&mut self) -> Option<Effect> {
        // A Vec, not a VecDeque: the queue holds a handful of effects, and VecDeque's ring code
        // costs 100 bytes of gzip.
        (!self.effects.is_empty()).then(|| self.effects.remove(0))
    }

    /// When to call `handle(now, Input::Tick)` next; `None` when nothing is due.
    pub fn next_deadline(&self) -> Option<Millis> {
        let flight = self.flight.as_ref().map(|f| match f.phase {
            Phase::Locking { deadline } | Phase::Waiting { deadline } => deadline,
            Phase::BackingOff { until } => until,
        });
        let release = self.release_at.map(|(_, at)| at);
        let token = self.current.as_ref().and_then(|c| {
            let exp = c.token.exp_ms()?;
            Some(if c.expiring_emitted {
                exp
            } else {
                exp.saturating_sub(self.leeway_ms())
            })
        });
        [flight, token, release].into_iter().flatten().min()
    }

    /// Takes in what happened at `now`.
    pub fn handle(&mut self, now: Millis, input: Input) {
        self.advance(now);
        match input {
            Input::Start { stored } => self.start(now, stored),
            Input::LoginRequested { waiter, callback } => self.login(now, waiter, callback),
            Input::LogoutRequested => {
                let waiters = self.drop_flight();
                self.log_out(None, waiters, true, None)
            }
            Input::EngagementStarted { waiter } => self.need_token(now, waiter, Kind::Engagement),
            Input::TokenWanted { waiter } => self.need_token(now, waiter, Kind::Token),
            Input::Answered { request, answer } => self.answered(now, request, answer),
            Input::Woke => self.woke(now),
            Input::Tick => {}
            // A logout that changes nothing (this tab is already anonymous with that id: its own
            // message echoed, or one replayed) is ignored like any other unusable message.
            Input::Peer(PeerMessage::LoggedOut { anonymous_id })
                if is_anonymous_id(&anonymous_id)
                    && !(self.status() == Status::Anonymous
                        && anonymous_id == self.anonymous_id) =>
            {
                let waiters = self.drop_flight();
                self.log_out(Some(anonymous_id), waiters, false, None)
            }
            Input::Peer(PeerMessage::TokenIssued { jwt, source }) => {
                self.offered(now, &jwt, source)
            }
            Input::Peer(_) => {} // not from our SDK, or tampered
            Input::LockGranted { lock, stored } => self.lock_granted(now, lock, stored),
        }
        self.announce(None);
        if let Some(effect) = self.deferred.take() {
            self.effects.push(effect);
        }
    }

    // ---- inputs ----

    fn start(&mut self, now: Millis, stored: Option<String>) {
        if self.started {
            return;
        }
        self.started = true;
        let record = stored
            .as_deref()
            .and_then(|text| Record::decode(text, self.read));
        if let Some(record) = &record {
            self.anonymous_id = record.anonymous_id.clone();
        }
        let restored = record
            .as_ref()
            .and_then(|r| Some((r.jwt.as_deref()?, r.source)));
        if let Some((jwt, stored_source)) = restored {
            let token = decode(jwt, self.config.token_profile, self.read).ok();
            // A user's tabs and reloads keep their user key, so a later other user is a switch.
            self.last_user_key = token.as_ref().map(|t| t.user_key.clone());
            let source = stored_source.unwrap_or(Source::Endpoint);
            match token {
                Some(token) if self.is_fresh(&token, now) => {
                    self.current = Some(Current {
                        token,
                        source,
                        expiring_emitted: false,
                    });
                    if self.config.revalidate_on_load && self.source == Some(Source::Endpoint) {
                        self.start_flight(now);
                    }
                }
                // Stale or unreadable: not restored; the endpoint may still know the visitor.
                _ if self.config.revalidate_on_load && self.source == Some(Source::Endpoint) => {
                    self.start_flight(now);
                }
                _ => {}
            }
        }
        let state = self.state();
        self.announced = (state.status, self.user_key());
        self.emit(Event::Ready(state));
        // Written after `ready`: a call into the browser that the page's `ready` need not wait for
        // (the revalidation's lock is asked for after it too: see `start_flight`).
        self.store();
    }

    fn login(&mut self, now: Millis, waiter: WaiterId, callback: bool) {
        let source = if callback {
            Source::Callback
        } else if self.config.auth_endpoint.is_some() {
            Source::Endpoint
        } else {
            let error = LoginFailedError::new(
                Reason::CallbackError,
                Some("missing_callback"),
                "loginUser() needs a jwtCallback, or an authEndpoint given to init() or the script tag.",
            );
            self.emit(Event::LoginFailed(error.clone()));
            self.settle(waiter, Kind::Login, Err(error));
            return;
        };
        self.source = Some(source);
        // A newer login supersedes the one in flight; other callers move on to the new one.
        let (superseded, mut waiters): (Vec<_>, Vec<_>) = self
            .drop_flight()
            .into_iter()
            .partition(|&(_, kind)| kind == Kind::Login);
        waiters.push((waiter, Kind::Login));
        self.start_flight(now);
        if let Some(flight) = &mut self.flight {
            flight.waiters = waiters;
        }
        let error = LoginFailedError::new(
            Reason::Superseded,
            None,
            "A newer loginUser() call replaced this one; its answer was discarded.",
        );
        self.settle_all(superseded, Err(error));
    }

    fn need_token(&mut self, now: Millis, waiter: WaiterId, kind: Kind) {
        let fresh = self
            .current
            .as_ref()
            .is_some_and(|c| self.is_fresh(&c.token, now));
        if !fresh && self.start_flight(now) {
            if let Some(flight) = &mut self.flight {
                flight.waiters.push((waiter, kind));
            }
            return;
        }
        self.settle(waiter, kind, Ok(()));
    }

    fn woke(&mut self, now: Millis) {
        let stale = self
            .current
            .as_ref()
            .is_some_and(|c| !self.is_fresh(&c.token, now));
        if stale {
            self.start_flight(now);
        }
    }

    fn answered(&mut self, now: Millis, request: RequestId, answer: Answer) {
        let Some(flight) = &self.flight else { return };
        if flight.request != request || !matches!(flight.phase, Phase::Waiting { .. }) {
            return; // late: timed out, superseded or logged out since
        }
        let jwt = match answer {
            Answer::Jwt(jwt) => Ok(jwt),
            Answer::NotAString(kind) => Err(LoginFailedError {
                reason: Reason::CallbackError,
                detail: Some("not_a_string"),
                status: None,
                message: concat(&["The jwtCallback answered ", kind, " instead of a JWT string: call callback(jwt) with the token text."]),
            }),
            Answer::CallbackThrew => Err(LoginFailedError::new(
                Reason::CallbackError,
                Some("threw"),
                "The jwtCallback threw an exception instead of calling callback(jwt).",
            )),
            Answer::Endpoint { status, body, redirected } => read_endpoint_answer(status, &body, redirected, self.read),
            Answer::NetworkError => Err(LoginFailedError::new(
                Reason::Network,
                None,
                "The authentication endpoint could not be reached (network error, CORS refusal or blocked request).",
            )),
        };
        match jwt.and_then(|jwt| self.check(&jwt, now)) {
            Ok(token) => {
                let source = flight.source;
                self.accept(now, token, source, true)
            }
            Err(error) => self.attempt_failed(now, error),
        }
    }

    /// Another tab's token: adopted when it is valid, fresh, and news here (another user, or a
    /// later `exp`). It also ends any flight of this tab, whose callers get it.
    fn offered(&mut self, now: Millis, jwt: &str, source: Source) {
        let Ok(token) = self.check(jwt, now) else {
            return;
        };
        if self.is_news(&token) {
            self.accept(now, token, source, false);
        }
    }

    /// This tab may request now. Check-lock-recheck: a token another tab stored while this one
    /// waited makes the request needless.
    fn lock_granted(&mut self, now: Millis, lock: RequestId, stored: Option<String>) {
        let Some(flight) = &self.flight else {
            return self.effects.push(Effect::ReleaseLock { lock });
        };
        if flight.lock != lock {
            return self.effects.push(Effect::ReleaseLock { lock });
        }
        if !matches!(flight.phase, Phase::Locking { .. }) {
            return; // went ahead without the lock; it is released when the flight ends
        }
        let stored = stored
            .as_deref()
            .and_then(|text| Record::decode(text, self.read))
            .and_then(|r| Some((r.jwt?, r.source?)));
        if let Some((jwt, source)) = stored {
            if let Ok(token) = self.check(&jwt, now) {
                if self.is_news(&token) {
                    return self.accept(now, token, source, false);
                }
            }
        }
        self.send(now);
    }

    // ---- time ----

    fn advance(&mut self, now: Millis) {
        if let Some((lock, at)) = self.release_at {
            if now >= at {
                self.release_at = None;
                self.effects.push(Effect::ReleaseLock { lock });
            }
        }
        match self.flight.as_ref().map(|f| (f.request, f.phase)) {
            // A tab that holds the lock too long (frozen, hung) does not hold this one back.
            Some((_, Phase::Locking { deadline })) if now >= deadline => self.send(now),
            Some((request, Phase::Waiting { deadline })) if now >= deadline => {
                self.effects.push(Effect::CancelRequest { request });
                let mut message = String::from("No answer within timeoutMs (");
                push_u64(&mut message, self.config.timeout_ms.into());
                message.push_str(" ms).");
                self.attempt_failed(
                    now,
                    LoginFailedError {
                        reason: Reason::Timeout,
                        detail: None,
                        status: None,
                        message,
                    },
                );
            }
            Some((_, Phase::BackingOff { until })) if now >= until => self.retry(now),
            _ => {}
        }
        let leeway = self.leeway_ms();
        let Some(current) = &mut self.current else {
            return;
        };
        let Some(exp) = current.token.exp_ms() else {
            return;
        };
        let expires_at = current.token.exp.unwrap_or_default();
        if !current.expiring_emitted && now >= exp.saturating_sub(leeway) {
            current.expiring_emitted = true;
            self.emit(Event::TokenExpiring { expires_at });
            self.start_flight(now);
        }
        if now >= exp {
            self.current = None;
            self.store();
            self.emit(Event::TokenExpired { expires_at });
            self.announce(None);
        }
    }

    // ---- requests ----

    /// Makes sure a request is in flight; false when there is no source to ask. It starts by
    /// asking for the cross-tab lock, so that one tab at a time requests.
    fn start_flight(&mut self, now: Millis) -> bool {
        if self.flight.is_some() {
            return true;
        }
        let Some(source) = self.source else {
            return false;
        };
        // A lock this tab still keeps for a hand-over is this flight's at once: asking for a new
        // one would wait for it.
        let kept = self.release_at.take().map(|(lock, _)| lock);
        let lock = kept.unwrap_or_else(|| self.new_request());
        let deadline = now + u64::from(self.config.timeout_ms);
        self.flight = Some(Flight {
            lock,
            request: lock,
            source,
            attempt: 1,
            phase: Phase::Locking { deadline },
            waiters: Vec::new(),
        });
        match kept {
            Some(_) => self.send(now),
            None => self.deferred = Some(Effect::AcquireLock { lock }),
        }
        true
    }

    /// Sends the flight's next attempt.
    fn send(&mut self, now: Millis) {
        let request = self.new_request();
        let deadline = now + u64::from(self.config.timeout_ms);
        let Some(flight) = &mut self.flight else {
            return;
        };
        flight.request = request;
        flight.phase = Phase::Waiting { deadline };
        self.deferred = Some(Effect::RequestToken {
            request,
            source: flight.source,
        });
    }

    fn retry(&mut self, now: Millis) {
        if let Some(flight) = &mut self.flight {
            flight.attempt += 1;
        }
        self.send(now);
    }

    fn attempt_failed(&mut self, now: Millis, error: LoginFailedError) {
        let Some(flight) = &mut self.flight else {
            return;
        };
        if error.reason.is_retried(error.status) && flight.attempt < MAX_ATTEMPTS {
            let wait = delay_ms(flight.attempt, self.random.as_mut());
            flight.phase = Phase::BackingOff { until: now + wait };
            return;
        }
        let waiters = self.drop_flight();
        if error.reason == Reason::Unauthenticated {
            if self.current.is_some() {
                // The site says this visitor is logged out: exactly as logoutUser().
                self.log_out(None, waiters, true, Some(error));
            } else {
                self.announce(None);
                self.settle_all(waiters, Err(error));
            }
            return;
        }
        self.emit(Event::LoginFailed(error.clone()));
        self.announce(None);
        self.settle_all(waiters, Err(error));
    }

    /// Makes `token` the current one; the flight, if any, ends with it. `own`: this tab asked
    /// for it, so the other tabs are told.
    fn accept(&mut self, now: Millis, token: Token, source: Source, own: bool) {
        let waiters = self.end_flight(Some(now + HANDOVER_MS));
        let was_authenticated = self.current.is_some();
        let switched = self
            .last_user_key
            .as_ref()
            .is_some_and(|key| *key != token.user_key);
        let merge_from = (!was_authenticated && !switched).then(|| self.anonymous_id.clone());
        if switched {
            // Nothing of the previous user may outlive the switch.
            self.effects.push(Effect::Purge);
            self.anonymous_id = new_anonymous_id(self.random.as_mut());
        }
        let expires_at = token.exp;
        if own {
            let jwt = token.jwt.clone();
            self.effects
                .push(Effect::Broadcast(PeerMessage::TokenIssued { jwt, source }));
        }
        self.last_user_key = Some(token.user_key.clone());
        self.current = Some(Current {
            token,
            source,
            expiring_emitted: false,
        });
        self.store();
        if was_authenticated && !switched {
            self.emit(Event::TokenRefreshed { expires_at });
        }
        let announced = self.announce(merge_from);
        for (waiter, kind) in waiters {
            let outcome = match kind {
                Kind::Login => {
                    Outcome::Login(announced.clone().unwrap_or_else(|| self.state()), None)
                }
                Kind::Engagement => {
                    Outcome::State(announced.clone().unwrap_or_else(|| self.state()))
                }
                Kind::Token => Outcome::Token(self.current.as_ref().map(|c| c.token.jwt.clone())),
            };
            self.effects.push(Effect::Settle { waiter, outcome });
        }
    }

    /// Takes the flight away (its answer will be discarded), returning who waited for it.
    fn drop_flight(&mut self) -> Vec<(WaiterId, Kind)> {
        self.end_flight(None)
    }

    /// Ends the flight: cancels its request and releases its lock, at `release_at` when given
    /// (after a success: the other tabs get the token before the lock) or at once.
    fn end_flight(&mut self, release_at: Option<Millis>) -> Vec<(WaiterId, Kind)> {
        self.deferred = None;
        let Some(flight) = self.flight.take() else {
            return Vec::new();
        };
        if matches!(flight.phase, Phase::Waiting { .. }) {
            self.effects.push(Effect::CancelRequest {
                request: flight.request,
            });
        }
        if let Some((earlier, _)) = self.release_at.take() {
            self.effects.push(Effect::ReleaseLock { lock: earlier });
        }
        match release_at {
            Some(at) => self.release_at = Some((flight.lock, at)),
            None => self.effects.push(Effect::ReleaseLock { lock: flight.lock }),
        }
        flight.waiters
    }

    // ---- logout ----

    /// Discards the token, purges storage, issues a new anonymous id (or adopts another tab's),
    /// announces, and settles whoever waited: logins as superseded unless `error` says why.
    fn log_out(
        &mut self,
        peer_id: Option<String>,
        waiters: Vec<(WaiterId, Kind)>,
        broadcast: bool,
        error: Option<LoginFailedError>,
    ) {
        self.current = None;
        self.last_user_key = None;
        self.source = self.config.auth_endpoint.as_ref().map(|_| Source::Endpoint);
        self.effects.push(Effect::Purge);
        self.anonymous_id = match peer_id {
            Some(id) => id,
            None => new_anonymous_id(self.random.as_mut()),
        };
        self.store();
        self.announce(None);
        let anonymous_id = self.anonymous_id.clone();
        self.emit(Event::LoggedOut {
            anonymous_id: anonymous_id.clone(),
        });
        if broadcast {
            self.effects
                .push(Effect::Broadcast(PeerMessage::LoggedOut { anonymous_id }));
        }
        let error = error.unwrap_or_else(|| {
            LoginFailedError::new(
                Reason::Superseded,
                None,
                "logoutUser() was called before this login finished.",
            )
        });
        self.settle_all(waiters, Err(error));
    }

    // ---- output ----

    /// Emits `authStateChanged` when status or user differ from the last announced; returns the
    /// announced state. `merge_from` is the anonymous id to report on a change to authenticated.
    fn announce(&mut self, merge_from: Option<String>) -> Option<AuthState> {
        let mut state = self.state();
        let key = self.user_key();
        if (state.status, &key) == (self.announced.0, &self.announced.1) {
            return None;
        }
        if state.status == Status::Authenticated && self.announced.0 != Status::Authenticated {
            state.previous_anonymous_id = merge_from;
        }
        self.announced = (state.status, key);
        self.emit(Event::AuthStateChanged(state.clone()));
        Some(state)
    }

    fn settle_all(&mut self, waiters: Vec<(WaiterId, Kind)>, result: Result<(), LoginFailedError>) {
        for (waiter, kind) in waiters {
            self.settle(waiter, kind, result.clone());
        }
    }

    /// Settles with the current state (or token); a login also gets `result`'s error.
    fn settle(&mut self, waiter: WaiterId, kind: Kind, result: Result<(), LoginFailedError>) {
        let outcome = match kind {
            Kind::Login => Outcome::Login(self.state(), result.err()),
            Kind::Engagement => Outcome::State(self.state()),
            Kind::Token => Outcome::Token(self.fresh_jwt()),
        };
        self.effects.push(Effect::Settle { waiter, outcome });
    }

    fn emit(&mut self, event: Event) {
        self.effects.push(Effect::Emit(event));
    }

    /// Writes the record. A token without `exp` never goes to localStorage (it would outlive
    /// every session); with `storage: "local"` it stays in memory only.
    fn store(&mut self) {
        let writable = self
            .current
            .as_ref()
            .filter(|c| c.token.exp.is_some() || self.config.storage != StorageKind::Local);
        let record = Record {
            anonymous_id: self.anonymous_id.clone(),
            jwt: writable.map(|c| c.token.jwt.clone()),
            source: writable.map(|c| c.source),
        };
        self.effects.push(Effect::Store(record.encode()));
    }

    // ---- helpers ----

    fn status(&self) -> Status {
        if self.current.is_some() {
            Status::Authenticated
        } else if self.flight.is_some() {
            Status::Authenticating
        } else {
            Status::Anonymous
        }
    }

    fn user_key(&self) -> Option<String> {
        self.current.as_ref().map(|c| c.token.user_key.clone())
    }

    /// The token, when it is fresh now. Tokens are only handed out fresh. `advance` has run, so
    /// `current` is unexpired; freshness is checked against the last `now` through the flag.
    fn fresh_jwt(&self) -> Option<String> {
        self.current
            .as_ref()
            .filter(|c| !c.expiring_emitted)
            .map(|c| c.token.jwt.clone())
    }

    fn leeway_ms(&self) -> u64 {
        u64::from(self.config.refresh_leeway_seconds) * 1000
    }

    fn is_fresh(&self, token: &Token, now: Millis) -> bool {
        token
            .exp_ms()
            .is_none_or(|exp| now < exp.saturating_sub(self.leeway_ms()))
    }

    /// Decodes and checks an arriving token, and refuses one with no fresh time left.
    fn check(&self, jwt: &str, now: Millis) -> Result<Token, LoginFailedError> {
        let token = decode(jwt, self.config.token_profile, self.read).map_err(|e| {
            LoginFailedError::new(Reason::InvalidJwt, Some(e.detail()), e.message())
        })?;
        if !self.is_fresh(&token, now) {
            let mut message =
                String::from("The token's exp leaves no fresh time after refreshLeewaySeconds (");
            push_u64(&mut message, self.config.refresh_leeway_seconds.into());
            message.push_str(
                " s): issue tokens that live longer than the leeway, and check the server clock.",
            );
            return Err(LoginFailedError {
                reason: Reason::Expired,
                detail: None,
                status: None,
                message,
            });
        }
        Ok(token)
    }

    /// Whether `token` would change something here: no token yet, another user, or a later `exp`.
    fn is_news(&self, token: &Token) -> bool {
        let Some(current) = &self.current else {
            return true;
        };
        current.token.user_key != token.user_key
            || match (token.exp, current.token.exp) {
                (Some(new), Some(old)) => new > old,
                (None, Some(_)) => true,
                (_, None) => false,
            }
    }

    fn new_request(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }
}
