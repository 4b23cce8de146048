//! Shared helpers of the native core tests: tokens, a seeded random source, a session harness
//! with a hand-moved clock.
#![allow(dead_code)]

pub mod decode;

pub use decode::Payload;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use messenger_auth::core::id::Random;
use messenger_auth::core::record::Record;
use messenger_auth::core::{
    Answer, Config, Effect, Input, Millis, PageEvent, PeerMessage, RequestId, Source, Status,
    StorageKind, WaiterId,
};

/// The core's types as the native tests use them: the payload is serde_json's object.
pub type Session = messenger_auth::core::Session<Payload>;
pub type AuthState = messenger_auth::core::AuthState<Payload>;
pub type Event = messenger_auth::core::Event<Payload>;
pub type Outcome = messenger_auth::core::Outcome<Payload>;
pub type LoginFailedError = messenger_auth::core::LoginFailedError;
pub type TestEffect = Effect<Payload>;
pub type TestInput = Input<Payload>;

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
    pub effects: Vec<TestEffect>,
    /// Grant cross-tab locks at once (a single tab); tests of several tabs grant them by hand.
    pub auto_lock: bool,
    next_waiter: WaiterId,
}

impl Harness {
    /// A session with `config`, started with `stored` (the record text, read back as the shell
    /// reads it).
    pub fn start(config: Config, stored: Option<String>) -> Harness {
        let mut h = Harness::new(config);
        h.input(Input::Start {
            stored: stored.as_deref().and_then(decode::record),
        });
        h
    }

    /// A session not yet started.
    pub fn new(config: Config) -> Harness {
        Harness {
            session: Session::new(config, Box::new(Seeded(7))),
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
    pub fn input(&mut self, input: TestInput) {
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
            answer: Answer::Jwt(decode::jwt(jwt)),
        });
    }

    /// Answers attempt `request` as the endpoint would.
    pub fn answer_http(&mut self, request: RequestId, status: u16, body: &str) {
        self.input(Input::Answered {
            request,
            answer: http(status, body),
        });
    }

    /// The page became visible again.
    pub fn wake(&mut self) {
        self.input(woke());
    }

    /// Takes the effects so far.
    pub fn take(&mut self) -> Vec<TestEffect> {
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

/// The page becoming visible: a wake.
pub fn woke() -> TestInput {
    Input::Page(PageEvent::VisibilityChange { hidden: false })
}

/// The endpoint's answer `status` with this body text.
pub fn http(status: u16, body: &str) -> Answer<Payload> {
    Answer::Endpoint {
        status,
        redirected: false,
        body: decode::body(body),
    }
}

/// Another tab's message, as it arrives here (through the channel's structured clone).
pub fn from_peer(message: &PeerMessage) -> TestInput {
    let data = serde_json::to_value(message).expect("messages serialise");
    Input::Peer(decode::peer(&data).expect("the SDK reads its own messages"))
}

pub fn requests(effects: &[TestEffect]) -> Vec<(RequestId, Source)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::RequestToken { request, source } => Some((*request, *source)),
            _ => None,
        })
        .collect()
}

/// The names of the events emitted.
pub fn event_names(effects: &[TestEffect]) -> Vec<&'static str> {
    events(effects).iter().map(|e| e.name()).collect()
}

pub fn events(effects: &[TestEffect]) -> Vec<&Event> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Emit(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// The states of the `authStateChanged` events emitted.
pub fn changes(effects: &[TestEffect]) -> Vec<&AuthState> {
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
pub fn failures(effects: &[TestEffect]) -> Vec<&LoginFailedError> {
    events(effects)
        .into_iter()
        .filter_map(|e| match e {
            Event::LoginFailed(error) => Some(error),
            _ => None,
        })
        .collect()
}

/// How `waiter` was settled; panics if it was not, or twice.
pub fn outcome(effects: &[TestEffect], waiter: WaiterId) -> &Outcome {
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

pub fn is_settled(effects: &[TestEffect], waiter: WaiterId) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::Settle { waiter: w, .. } if *w == waiter))
}

/// The last record stored.
pub fn last_stored(effects: &[TestEffect]) -> Option<&Record> {
    effects.iter().rev().find_map(|e| match e {
        Effect::Store(record) => Some(record),
        _ => None,
    })
}

/// Whether `effect` removes the record from both web storages' first (a purge starts with it).
pub fn is_purge(effect: &TestEffect) -> bool {
    matches!(effect, Effect::Remove(StorageKind::Session))
}

/// The record text as the SDK writes it (`JSON.stringify` of the serialised record).
pub fn record_text(record: &Record) -> String {
    serde_json::to_string(record).expect("records serialise")
}

/// Position of the first effect matching `f`.
pub fn position(effects: &[TestEffect], f: impl Fn(&TestEffect) -> bool) -> Option<usize> {
    effects.iter().position(f)
}
