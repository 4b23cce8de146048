//! Shared helpers of the native core tests: tokens, a seeded random source, a session harness
//! with a hand-moved clock.
#![allow(dead_code)]

pub mod reference;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use messenger_auth::core::id::Random;
use messenger_auth::core::json::parse_utf8;
use messenger_auth::core::{
    AuthState, Config, Effect, Event, Input, LoginFailedError, Millis, Outcome, RequestId, Session,
    Source, Status, WaiterId,
};

/// A JWT with this header and payload JSON and a dummy signature (the SDK cannot check it).
pub fn jwt_with(header: &str, payload: &str) -> String {
    let part = |s: &str| URL_SAFE_NO_PAD.encode(s.as_bytes());
    [part(header), part(payload), part("signature")].join(".")
}

/// An HS256 token for `user` expiring at `exp` seconds.
pub fn token(user: &str, exp: u64) -> String {
    jwt_with(
        r#"{"alg":"HS256","typ":"JWT","kid":"k1"}"#,
        &format!(
            r#"{{"external_id":"{user}","name":"N {user}","email":"{user}@example.com","email_verified":true,"exp":{exp}}}"#
        ),
    )
}

/// A token without `exp`.
pub fn token_without_exp(user: &str) -> String {
    jwt_with(
        r#"{"alg":"HS256"}"#,
        &format!(r#"{{"external_id":"{user}"}}"#),
    )
}

/// A linear congruential generator: reproducible ids and jitter.
pub struct Seeded(pub u32);

impl Random for Seeded {
    fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        self.0
    }
}

/// The clock starts here: 2026-11-21T00:00:00Z.
pub const T0: Millis = 1_795_219_200_000;

/// Seconds since the epoch at `T0` plus `seconds`.
pub fn at(seconds: u64) -> u64 {
    T0 / 1000 + seconds
}

/// A session, its clock, and what it has asked for so far.
pub struct Harness {
    pub session: Session,
    pub now: Millis,
    /// Every effect since the last `take()`.
    pub effects: Vec<Effect>,
    /// Grant cross-tab locks at once (a single tab); tests of several tabs grant them by hand.
    pub auto_lock: bool,
    next_waiter: WaiterId,
}

impl Harness {
    /// A session with `config`, started with `stored` (the record text).
    pub fn start(config: Config, stored: Option<String>) -> Harness {
        let mut h = Harness::new(config);
        h.input(Input::Start { stored });
        h
    }

    /// A session not yet started.
    pub fn new(config: Config) -> Harness {
        Harness {
            session: Session::new(config, Box::new(Seeded(7)), parse_utf8),
            now: T0,
            effects: Vec::new(),
            auto_lock: true,
            next_waiter: 0,
        }
    }

    /// An endpoint-mode session, started with nothing stored.
    pub fn endpoint() -> Harness {
        Harness::start(
            Config {
                auth_endpoint: Some("/auth/jwt".into()),
                ..Config::default()
            },
            None,
        )
    }

    /// A session with no endpoint, started with nothing stored.
    pub fn plain() -> Harness {
        Harness::start(Config::default(), None)
    }

    /// Feeds `input`, and grants every cross-tab lock at once, as a tab alone would get it.
    pub fn input(&mut self, input: Input) {
        let mut inputs = vec![input];
        while let Some(input) = inputs.pop() {
            self.session.handle(self.now, input);
            while let Some(effect) = self.session.poll_effect() {
                if let (Effect::AcquireLock { lock }, true) = (&effect, self.auto_lock) {
                    inputs.push(Input::LockGranted {
                        lock: *lock,
                        stored: None,
                    });
                }
                self.effects.push(effect);
            }
        }
    }

    /// Moves the clock by `ms` and ticks.
    pub fn advance(&mut self, ms: u64) {
        self.now += ms;
        self.input(Input::Tick);
    }

    /// Moves the clock to the session's next deadline and ticks, as the shell's timer would.
    pub fn run_to_deadline(&mut self) -> bool {
        match self.session.next_deadline() {
            Some(deadline) => {
                self.now = self.now.max(deadline);
                self.input(Input::Tick);
                true
            }
            None => false,
        }
    }

    pub fn waiter(&mut self) -> WaiterId {
        self.next_waiter += 1;
        self.next_waiter
    }

    pub fn login_callback(&mut self) -> WaiterId {
        let waiter = self.waiter();
        self.input(Input::LoginRequested {
            waiter,
            callback: true,
        });
        waiter
    }

    pub fn login_endpoint(&mut self) -> WaiterId {
        let waiter = self.waiter();
        self.input(Input::LoginRequested {
            waiter,
            callback: false,
        });
        waiter
    }

    pub fn get_token(&mut self) -> WaiterId {
        let waiter = self.waiter();
        self.input(Input::TokenWanted { waiter });
        waiter
    }

    pub fn engage(&mut self) -> WaiterId {
        let waiter = self.waiter();
        self.input(Input::EngagementStarted { waiter });
        waiter
    }

    /// Answers attempt `request` with a JWT.
    pub fn answer_jwt(&mut self, request: RequestId, jwt: &str) {
        self.input(Input::Answered {
            request,
            answer: messenger_auth::core::Answer::Jwt(jwt.into()),
        });
    }

    /// Answers attempt `request` as the endpoint would.
    pub fn answer_http(&mut self, request: RequestId, status: u16, body: &str) {
        let answer = messenger_auth::core::Answer::Endpoint {
            status,
            body: body.into(),
            redirected: false,
        };
        self.input(Input::Answered { request, answer });
    }

    /// Takes the effects so far.
    pub fn take(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The requests asked for so far (not taken).
    pub fn requests(&self) -> Vec<(RequestId, Source)> {
        requests(&self.effects)
    }

    /// The single request asked for so far; panics otherwise.
    pub fn only_request(&self) -> RequestId {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected one request, effects: {:#?}",
            self.effects
        );
        requests[0].0
    }

    pub fn status(&self) -> Status {
        self.session.state().status
    }
}

pub fn requests(effects: &[Effect]) -> Vec<(RequestId, Source)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::RequestToken { request, source } => Some((*request, *source)),
            _ => None,
        })
        .collect()
}

/// The names of the events emitted.
pub fn event_names(effects: &[Effect]) -> Vec<&'static str> {
    events(effects).iter().map(|e| e.name()).collect()
}

pub fn events(effects: &[Effect]) -> Vec<&Event> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Emit(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// The states of the `authStateChanged` events emitted.
pub fn changes(effects: &[Effect]) -> Vec<&AuthState> {
    events(effects)
        .into_iter()
        .filter_map(|e| match e {
            Event::AuthStateChanged(state) => Some(state),
            _ => None,
        })
        .collect()
}

/// The `external_id` of a state's user; panics when it has none.
pub fn external_id(state: &AuthState) -> Option<&str> {
    state.user.as_ref().expect("a user").external_id.as_deref()
}

/// The errors of the `loginFailed` events emitted.
pub fn failures(effects: &[Effect]) -> Vec<&LoginFailedError> {
    events(effects)
        .into_iter()
        .filter_map(|e| match e {
            Event::LoginFailed(error) => Some(error),
            _ => None,
        })
        .collect()
}

/// How `waiter` was settled; panics if it was not, or twice.
pub fn outcome(effects: &[Effect], waiter: WaiterId) -> &Outcome {
    let found: Vec<&Outcome> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Settle { waiter: w, outcome } if *w == waiter => Some(outcome),
            _ => None,
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "waiter {waiter} settled {} times: {effects:#?}",
        found.len()
    );
    found[0]
}

pub fn is_settled(effects: &[Effect], waiter: WaiterId) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::Settle { waiter: w, .. } if *w == waiter))
}

/// The last record text stored.
pub fn last_stored(effects: &[Effect]) -> Option<&str> {
    effects.iter().rev().find_map(|e| match e {
        Effect::Store(text) => Some(text.as_str()),
        _ => None,
    })
}

/// Position of the first effect matching `f`.
pub fn position(effects: &[Effect], f: impl Fn(&Effect) -> bool) -> Option<usize> {
    effects.iter().position(f)
}
