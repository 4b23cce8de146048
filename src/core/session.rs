//! The session state machine: what happened goes in (`Input`), what to do comes out (`Effect`).
//!
//! The shell calls `handle(now, input)`, performs every effect from `poll_effect()`, and calls
//! `handle(now, Input::Tick)` again at `next_deadline()`. Time moves only when the caller says so,
//! and every deadline is compared with the `now` it is given (a wall clock), so a page that slept
//! past a deadline catches up on its next input, once. The request in flight (locks, attempts,
//! retries, accepting a token) is in `flight.rs`.

use crate::core::claims::Jwt;
use crate::core::config::{Config, StorageKind};
use crate::core::error::{LoginFailedError, Reason};
use crate::core::flight::{Flight, Kind};
use crate::core::id::{is_anonymous_id, new_anonymous_id, Random};
use crate::core::io::{Effect, Input, Millis, Outcome, PeerMessage, RequestId, Source, WaiterId};
use crate::core::record::{Record, StoredRecord};
use crate::core::state::{AuthState, Event, Status};
use crate::core::token::{check, Token};

pub use crate::core::flight::HANDOVER_MS;
use std::collections::VecDeque;

/// The accepted token and what has been done about its deadlines.
#[derive(Debug)]
pub(crate) struct Current<P> {
    pub(crate) token: Token<P>,
    pub(crate) source: Source,
    pub(crate) expiring_emitted: bool,
}

/// The authentication state of one page. `P` is a token's payload as the shell keeps it.
pub struct Session<P> {
    pub(crate) config: Config,
    pub(crate) random: Box<dyn Random>,
    started: bool,
    pub(crate) anonymous_id: String,
    pub(crate) current: Option<Current<P>>,
    /// The user of the last token held, kept after it expires, to detect a user switch.
    pub(crate) last_user_key: Option<String>,
    /// Where tokens come from now: the endpoint when there is one, until a jwtCallback is given.
    pub(crate) source: Option<Source>,
    pub(crate) flight: Option<Flight>,
    /// The step that starts the flight (lock or request), queued after this `handle`'s events.
    pub(crate) deferred: Option<Effect<P>>,
    /// A lock held after a success, released at that time so that the token reaches the other
    /// tabs before any of them gets the lock.
    pub(crate) release_at: Option<(RequestId, Millis)>,
    next_request: u64,
    announced: (Status, Option<String>),
    pub(crate) effects: VecDeque<Effect<P>>,
}

impl<P: Clone> Session<P> {
    /// A session with these options; `random` supplies ids and back-off jitter.
    pub fn new(config: Config, mut random: Box<dyn Random>) -> Self {
        let anonymous_id = new_anonymous_id(random.as_mut());
        let source = config.auth_endpoint.as_ref().map(|_| Source::Endpoint);
        Session {
            config,
            random,
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
            effects: VecDeque::new(),
        }
    }

    /// The options in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The state now (`getAuthState()`).
    pub fn state(&self) -> AuthState<P> {
        let status = self.status();
        AuthState {
            status,
            authentication_status: status == Status::Authenticated,
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
    pub fn poll_effect(&mut self) -> Option<Effect<P>> {
        self.effects.pop_front()
    }

    /// When to call `handle(now, Input::Tick)` next; `None` when nothing is due.
    pub fn next_deadline(&self) -> Option<Millis> {
        let flight = self.flight.as_ref().map(Flight::deadline);
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
    pub fn handle(&mut self, now: Millis, input: Input<P>) {
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
            Input::Page(event) if event.is_wake() => self.woke(now),
            Input::Page(_) | Input::Tick => {}
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
            Input::Peer(PeerMessage::TokenIssued { jwt, source }) => self.offered(now, jwt, source),
            Input::Peer(PeerMessage::LoggedOut { .. }) => {} // tampered, or changes nothing
            Input::LockGranted { lock, stored } => self.lock_granted(now, lock, stored),
        }
        self.announce(None);
        if let Some(effect) = self.deferred.take() {
            self.effects.push_back(effect);
        }
    }

    // ---- inputs ----

    fn start(&mut self, now: Millis, stored: Option<StoredRecord<P>>) {
        if self.started {
            return;
        }
        self.started = true;
        let restored = stored.and_then(StoredRecord::restore);
        let mut token = None;
        if let Some(restored) = restored {
            self.anonymous_id = restored.anonymous_id;
            if let Some(jwt) = restored.jwt {
                let source = restored.source.unwrap_or(Source::Endpoint);
                token = Some((check(jwt, self.config.token_profile).ok(), source));
            }
        }
        let revalidate = self.config.revalidate_on_load && self.source == Some(Source::Endpoint);
        if let Some((token, source)) = token {
            // A user's tabs and reloads keep their user key, so a later other user is a switch.
            self.last_user_key = token.as_ref().map(|t| t.user_key.clone());
            match token {
                Some(token) if self.is_fresh(&token, now) => {
                    self.current = Some(Current {
                        token,
                        source,
                        expiring_emitted: false,
                    });
                    if revalidate {
                        self.start_flight(now);
                    }
                }
                // Stale or unreadable: not restored; the endpoint may still know the visitor.
                _ if revalidate => {
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

    /// Another tab's token: adopted when it is valid, fresh, and news here (another user, or a
    /// later `exp`). It also ends any flight of this tab, whose callers get it.
    fn offered(&mut self, now: Millis, jwt: Jwt<P>, source: Source) {
        let Ok(token) = self.check(jwt, now) else {
            return;
        };
        if self.is_news(&token) {
            self.accept(now, token, source, false);
        }
    }

    // ---- time ----

    fn advance(&mut self, now: Millis) {
        self.advance_flight(now);
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

    // ---- logout ----

    /// Discards the token, purges storage, issues a new anonymous id (or adopts another tab's),
    /// announces, and settles whoever waited: logins as superseded unless `error` says why.
    pub(crate) fn log_out(
        &mut self,
        peer_id: Option<String>,
        waiters: Vec<(WaiterId, Kind)>,
        broadcast: bool,
        error: Option<LoginFailedError>,
    ) {
        self.current = None;
        self.last_user_key = None;
        self.source = self.config.auth_endpoint.as_ref().map(|_| Source::Endpoint);
        self.effects.push_back(Effect::ForgetJwtCallback);
        self.purge();
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
                .push_back(Effect::Broadcast(PeerMessage::LoggedOut { anonymous_id }));
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
    pub(crate) fn announce(&mut self, merge_from: Option<String>) -> Option<AuthState<P>> {
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

    pub(crate) fn settle_all(
        &mut self,
        waiters: Vec<(WaiterId, Kind)>,
        result: Result<(), LoginFailedError>,
    ) {
        for (waiter, kind) in waiters {
            self.settle(waiter, kind, result.clone());
        }
    }

    /// Settles with the current state (or token); a login also gets `result`'s error.
    pub(crate) fn settle(
        &mut self,
        waiter: WaiterId,
        kind: Kind,
        result: Result<(), LoginFailedError>,
    ) {
        let outcome = match kind {
            Kind::Login => Outcome::Login(self.state(), result.err()),
            Kind::Engagement => Outcome::State(self.state()),
            Kind::Token => Outcome::Token(self.fresh_jwt()),
        };
        self.effects.push_back(Effect::Settle { waiter, outcome });
    }

    pub(crate) fn emit(&mut self, event: Event<P>) {
        self.effects.push_back(Effect::Emit(event));
    }

    /// Removes the record from both web storages, whichever the option (an earlier page may have
    /// used the other), so that nothing of a user survives a logout or a switch.
    pub(crate) fn purge(&mut self) {
        for kind in [StorageKind::Session, StorageKind::Local] {
            self.effects.push_back(Effect::Remove(kind));
        }
    }

    /// Writes the record. A token without `exp` never goes to localStorage (it would outlive
    /// every session); with `storage: "local"` it stays in memory only.
    pub(crate) fn store(&mut self) {
        if self.config.storage == StorageKind::Memory {
            return;
        }
        let writable = self
            .current
            .as_ref()
            .filter(|c| c.token.exp.is_some() || self.config.storage != StorageKind::Local);
        let record = Record::new(
            self.anonymous_id.clone(),
            writable.map(|c| (c.token.jwt.clone(), c.source)),
        );
        self.effects.push_back(Effect::Store(record));
    }

    // ---- helpers ----

    pub(crate) fn status(&self) -> Status {
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
    pub(crate) fn fresh_jwt(&self) -> Option<String> {
        self.current
            .as_ref()
            .filter(|c| !c.expiring_emitted)
            .map(|c| c.token.jwt.clone())
    }

    pub(crate) fn leeway_ms(&self) -> u64 {
        u64::from(self.config.refresh_leeway_seconds) * 1000
    }

    pub(crate) fn is_fresh(&self, token: &Token<P>, now: Millis) -> bool {
        token
            .exp_ms()
            .is_none_or(|exp| now < exp.saturating_sub(self.leeway_ms()))
    }

    /// Checks an arriving token, and refuses one with no fresh time left.
    pub(crate) fn check(&self, jwt: Jwt<P>, now: Millis) -> Result<Token<P>, LoginFailedError> {
        let token = check(jwt, self.config.token_profile).map_err(|e| {
            LoginFailedError::new(Reason::InvalidJwt, Some(e.detail()), e.message())
        })?;
        if !self.is_fresh(&token, now) {
            return Err(LoginFailedError::new(
                Reason::Expired,
                None,
                format!(
                    "The token's exp leaves no fresh time after refreshLeewaySeconds ({} s): issue tokens that live longer than the leeway, and check the server clock.",
                    self.config.refresh_leeway_seconds
                ),
            ));
        }
        Ok(token)
    }

    /// Whether `token` would change something here: no token yet, another user, or a later `exp`.
    pub(crate) fn is_news(&self, token: &Token<P>) -> bool {
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

    pub(crate) fn new_request(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }
}
