//! The one request for a token in flight: the cross-tab lock, attempts with time limits,
//! retries with back-off, and what its answer leads to. Part of [`Session`]'s state machine.

use crate::core::answer::read_endpoint_answer;
use crate::core::backoff::{delay_ms, MAX_ATTEMPTS};
use crate::core::error::{LoginFailedError, Reason};
use crate::core::id::new_anonymous_id;
use crate::core::io::{Answer, Effect, Millis, Outcome, PeerMessage, RequestId, Source, WaiterId};
use crate::core::record::StoredRecord;
use crate::core::session::{Current, Session};
use crate::core::token::Token;

/// How long a tab keeps the cross-tab lock after getting a token, so that its broadcast reaches
/// the other tabs before the lock does (the two travel by different routes).
pub const HANDOVER_MS: Millis = 200;

/// What a caller waiting for the flight asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
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
pub(crate) struct Flight {
    /// The cross-tab lock asked for this flight.
    lock: RequestId,
    request: RequestId,
    source: Source,
    attempt: u8,
    phase: Phase,
    pub(crate) waiters: Vec<(WaiterId, Kind)>,
}

impl Flight {
    /// When the flight must move on by itself.
    pub(crate) fn deadline(&self) -> Millis {
        match self.phase {
            Phase::Locking { deadline } | Phase::Waiting { deadline } => deadline,
            Phase::BackingOff { until } => until,
        }
    }
}

impl<P: Clone> Session<P> {
    /// Makes sure a request is in flight; false when there is no source to ask. It starts by
    /// asking for the cross-tab lock, so that one tab at a time requests.
    pub(crate) fn start_flight(&mut self, now: Millis) -> bool {
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

    /// Moves the flight on at its deadlines.
    pub(crate) fn advance_flight(&mut self, now: Millis) {
        if let Some((lock, at)) = self.release_at {
            if now >= at {
                self.release_at = None;
                self.effects.push_back(Effect::ReleaseLock { lock });
            }
        }
        match self.flight.as_ref().map(|f| (f.request, f.phase)) {
            // A tab that holds the lock too long (frozen, hung) does not hold this one back.
            Some((_, Phase::Locking { deadline })) if now >= deadline => self.send(now),
            Some((request, Phase::Waiting { deadline })) if now >= deadline => {
                self.effects.push_back(Effect::CancelRequest { request });
                let message = format!(
                    "No answer within timeoutMs ({} ms).",
                    self.config.timeout_ms
                );
                self.attempt_failed(now, LoginFailedError::new(Reason::Timeout, None, message));
            }
            Some((_, Phase::BackingOff { until })) if now >= until => self.retry(now),
            _ => {}
        }
    }

    /// This tab may request now. Check-lock-recheck: a token another tab stored while this one
    /// waited makes the request needless.
    pub(crate) fn lock_granted(
        &mut self,
        now: Millis,
        lock: RequestId,
        stored: Option<StoredRecord<P>>,
    ) {
        let Some(flight) = &self.flight else {
            return self.effects.push_back(Effect::ReleaseLock { lock });
        };
        if flight.lock != lock {
            return self.effects.push_back(Effect::ReleaseLock { lock });
        }
        if !matches!(flight.phase, Phase::Locking { .. }) {
            return; // went ahead without the lock; it is released when the flight ends
        }
        let stored = stored
            .and_then(StoredRecord::restore)
            .and_then(|r| Some((r.jwt?, r.source?)));
        if let Some((jwt, source)) = stored {
            if let Ok(token) = self.check(jwt, now) {
                if self.is_news(&token) {
                    return self.accept(now, token, source, false);
                }
            }
        }
        self.send(now);
    }

    /// A token source answered.
    pub(crate) fn answered(&mut self, now: Millis, request: RequestId, answer: Answer<P>) {
        let Some(flight) = &self.flight else { return };
        if flight.request != request || !matches!(flight.phase, Phase::Waiting { .. }) {
            return; // late: timed out, superseded or logged out since
        }
        let source = flight.source;
        let jwt = match answer {
            Answer::Jwt(jwt) => Ok(jwt),
            Answer::NotAString(kind) => Err(LoginFailedError::new(
                Reason::CallbackError,
                Some("not_a_string"),
                format!("The jwtCallback answered {kind} instead of a JWT string: call callback(jwt) with the token text."),
            )),
            Answer::CallbackThrew => Err(LoginFailedError::new(
                Reason::CallbackError,
                Some("threw"),
                "The jwtCallback threw an exception instead of calling callback(jwt).",
            )),
            Answer::Endpoint { status, redirected, body } => read_endpoint_answer(status, redirected, body),
            Answer::NetworkError => Err(LoginFailedError::new(
                Reason::Network,
                None,
                "The authentication endpoint could not be reached (network error, CORS refusal or blocked request).",
            )),
        };
        match jwt.and_then(|jwt| self.check(jwt, now)) {
            Ok(token) => self.accept(now, token, source, true),
            Err(error) => self.attempt_failed(now, error),
        }
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
        self.emit(crate::core::state::Event::LoginFailed(error.clone()));
        self.announce(None);
        self.settle_all(waiters, Err(error));
    }

    /// Makes `token` the current one; the flight, if any, ends with it. `own`: this tab asked
    /// for it, so the other tabs are told.
    pub(crate) fn accept(&mut self, now: Millis, token: Token<P>, source: Source, own: bool) {
        let waiters = self.end_flight(Some(now + HANDOVER_MS));
        let was_authenticated = self.current.is_some();
        let switched = self
            .last_user_key
            .as_ref()
            .is_some_and(|key| *key != token.user_key);
        let merge_from = (!was_authenticated && !switched).then(|| self.anonymous_id.clone());
        if switched {
            // Nothing of the previous user may outlive the switch.
            self.purge();
            self.anonymous_id = new_anonymous_id(self.random.as_mut());
        }
        let expires_at = token.exp;
        if own {
            let jwt = token.jwt.clone();
            self.effects
                .push_back(Effect::Broadcast(PeerMessage::TokenIssued { jwt, source }));
        }
        self.last_user_key = Some(token.user_key.clone());
        self.current = Some(Current {
            token,
            source,
            expiring_emitted: false,
        });
        self.store();
        if was_authenticated && !switched {
            self.emit(crate::core::state::Event::TokenRefreshed { expires_at });
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
                Kind::Token => Outcome::Token(self.fresh_jwt()),
            };
            self.effects.push_back(Effect::Settle { waiter, outcome });
        }
    }

    /// Takes the flight away (its answer will be discarded), returning who waited for it.
    pub(crate) fn drop_flight(&mut self) -> Vec<(WaiterId, Kind)> {
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
            self.effects.push_back(Effect::CancelRequest {
                request: flight.request,
            });
        }
        if let Some((earlier, _)) = self.release_at.take() {
            self.effects
                .push_back(Effect::ReleaseLock { lock: earlier });
        }
        match release_at {
            Some(at) => self.release_at = Some((flight.lock, at)),
            None => self
                .effects
                .push_back(Effect::ReleaseLock { lock: flight.lock }),
        }
        flight.waiters
    }
}
