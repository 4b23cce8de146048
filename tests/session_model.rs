//! A model-based test of the session: random sequences of every input (logins by both sources,
//! logouts, engagements, answers of every kind arriving late or out of order, ticks with clock
//! jumps, wake-ups, other tabs' messages, locks granted late) against the invariants of SPEC.md.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use messenger_auth::core::token::check;
use messenger_auth::core::{
    Answer, Config, Effect, Input, PeerMessage, RequestId, Source, Status, TokenProfile,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

const USERS: [&str; 3] = ["ada", "bo", "cy"];
const LEEWAY_S: u64 = 60;

#[derive(Clone, Debug)]
enum Reply {
    /// A token for `USERS[user]` living `ttl` seconds from now.
    Jwt {
        user: usize,
        ttl: u64,
    },
    Garbage,
    NotAString,
    Threw,
    Http(u16),
    Network,
}

#[derive(Clone, Debug)]
enum Step {
    LoginCallback,
    LoginEndpoint,
    Logout,
    Engage,
    GetToken,
    /// Answer the newest request.
    AnswerNewest(Reply),
    /// Answer an older request (late, superseded, timed out, or answered already).
    AnswerOld(usize, Reply),
    /// Grant the oldest lock asked for, with this stored record (or none).
    GrantLock(Option<(usize, u64)>),
    Tick(u64),
    Woke,
    PeerLogout,
    PeerToken {
        user: usize,
        ttl: u64,
    },
}

fn reply() -> impl Strategy<Value = Reply> {
    prop_oneof![
        4 => (0..USERS.len(), prop_oneof![Just(30u64), Just(90), Just(600), Just(3600)])
            .prop_map(|(user, ttl)| Reply::Jwt { user, ttl }),
        1 => Just(Reply::Garbage),
        1 => Just(Reply::NotAString),
        1 => Just(Reply::Threw),
        1 => prop::sample::select(vec![200u16, 204, 401, 403, 404, 429, 500, 503]).prop_map(Reply::Http),
        1 => Just(Reply::Network),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => Just(Step::LoginCallback),
        2 => Just(Step::LoginEndpoint),
        1 => Just(Step::Logout),
        2 => Just(Step::Engage),
        2 => Just(Step::GetToken),
        5 => reply().prop_map(Step::AnswerNewest),
        2 => (0..4usize, reply()).prop_map(|(back, r)| Step::AnswerOld(back, r)),
        4 => prop::option::of((0..USERS.len(), prop_oneof![Just(30u64), Just(600)])).prop_map(Step::GrantLock),
        4 => prop_oneof![Just(1u64), Just(400), Just(5_000), Just(60_000), Just(700_000), Just(4_000_000)].prop_map(Step::Tick),
        1 => Just(Step::Woke),
        1 => Just(Step::PeerLogout),
        1 => (0..USERS.len(), prop_oneof![Just(30u64), Just(600)]).prop_map(|(user, ttl)| Step::PeerToken { user, ttl }),
    ]
}

/// The model's view of the world around one session.
struct World {
    session: Session,
    now: u64,
    next_waiter: u32,
    /// Every request asked for, in order, and whether it has ended (answered or cancelled).
    requests: Vec<(RequestId, bool)>,
    /// Locks asked for and not yet granted or given back.
    locks: Vec<RequestId>,
    announced: Option<(Status, Option<String>)>,
    anonymous_id: String,
    /// Grant every lock at once (a lone tab), or only on `GrantLock` steps (tabs contending).
    auto_lock: bool,
}

impl World {
    fn new(auto_lock: bool) -> World {
        let config = Config {
            auth_endpoint: Some("/auth/jwt".into()),
            refresh_leeway_seconds: LEEWAY_S as u32,
            timeout_ms: 5_000,
            token_profile: TokenProfile::Any,
            ..Config::default()
        };
        let session = Session::new(config, Box::new(Seeded(11)));
        let mut world = World {
            session,
            now: T0,
            next_waiter: 0,
            requests: Vec::new(),
            locks: Vec::new(),
            announced: None,
            anonymous_id: String::new(),
            auto_lock,
        };
        world.feed(Input::Start { stored: None }).expect("start");
        world
    }

    fn jwt(&self, user: usize, ttl: u64) -> String {
        token(USERS[user], self.now / 1000 + ttl)
    }

    fn body(&self, reply: &Reply) -> Answer<Payload> {
        match reply {
            Reply::Jwt { user, ttl } => http(
                200,
                &format!(r#"{{"loginUserIdJwt":"{}"}}"#, self.jwt(*user, *ttl)),
            ),
            Reply::Garbage => Answer::Jwt(decode::jwt("not.a.jwt")),
            Reply::NotAString => Answer::NotAString("a number"),
            Reply::Threw => Answer::CallbackThrew,
            Reply::Http(status) => http(*status, ""),
            Reply::Network => Answer::NetworkError,
        }
    }

    fn state_key(&self) -> (Status, Option<String>, String) {
        let state = self.session.state();
        let user = state.user.as_ref().map(|u| format!("{:?}", u.external_id));
        (state.status, user, state.anonymous_id)
    }

    /// Feeds one input, performs nothing but bookkeeping, and checks every invariant on the
    /// effects it caused.
    fn feed(&mut self, input: TestInput) -> Result<Vec<TestEffect>, TestCaseError> {
        let stale = match &input {
            Input::Answered { request, .. } => !self
                .requests
                .iter()
                .any(|(r, ended)| r == request && !ended),
            _ => false,
        };
        let before = self.state_key();
        self.session.handle(self.now, input.clone());
        let mut effects = Vec::new();
        while let Some(effect) = self.session.poll_effect() {
            effects.push(effect);
        }
        if let Input::Answered { request, .. } = &input {
            if let Some(entry) = self.requests.iter_mut().find(|(r, _)| r == request) {
                entry.1 = true;
            }
        }
        if stale {
            // No answer to an ended request (late, superseded, timed out, repeated) changes
            // anything the page or storage can see.
            let visible = effects.iter().any(|e| {
                matches!(
                    e,
                    Effect::Emit(_)
                        | Effect::Settle { .. }
                        | Effect::Store(_)
                        | Effect::Remove(_)
                        | Effect::ForgetJwtCallback
                        | Effect::Broadcast(_)
                )
            });
            prop_assert!(
                !visible && self.state_key() == before,
                "a stale answer changed something: {effects:?}"
            );
        }
        for effect in &effects {
            match effect {
                Effect::RequestToken { request, .. } => {
                    // Never two requests in flight.
                    let open: Vec<_> = self.requests.iter().filter(|(_, ended)| !ended).collect();
                    prop_assert!(
                        open.is_empty(),
                        "request {request:?} while {open:?} in flight"
                    );
                    self.requests.push((*request, false));
                }
                Effect::CancelRequest { request } => {
                    if let Some(entry) = self.requests.iter_mut().find(|(r, _)| r == request) {
                        entry.1 = true;
                    }
                }
                Effect::AcquireLock { lock } => self.locks.push(*lock),
                Effect::ReleaseLock { lock } => self.locks.retain(|l| l != lock),
                Effect::Emit(Event::Ready(state)) => {
                    self.announced = Some((
                        state.status,
                        state.user.as_ref().map(|u| format!("{:?}", u.external_id)),
                    ));
                    self.anonymous_id = state.anonymous_id.clone();
                }
                Effect::Emit(Event::AuthStateChanged(state)) => {
                    let key = (
                        state.status,
                        state.user.as_ref().map(|u| format!("{:?}", u.external_id)),
                    );
                    prop_assert_ne!(
                        Some(&key),
                        self.announced.as_ref(),
                        "authStateChanged repeated"
                    );
                    self.announced = Some(key);
                }
                Effect::Settle {
                    outcome: Outcome::Token(Some(jwt)),
                    ..
                } => {
                    // A token handed out is always fresh.
                    let token = check(decode::jwt(jwt), TokenProfile::Any)
                        .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                    let exp = token.exp_ms().unwrap_or(u64::MAX);
                    prop_assert!(
                        self.now < exp.saturating_sub(LEEWAY_S * 1000),
                        "handed out a token that is not fresh"
                    );
                }
                _ => {}
            }
        }
        if self.auto_lock {
            if let Some(lock) = self.locks.first().copied() {
                self.locks.remove(0);
                let mut more = self.feed(Input::LockGranted { lock, stored: None })?;
                effects.append(&mut more);
            }
        }
        Ok(effects)
    }

    fn waiter(&mut self) -> u32 {
        self.next_waiter += 1;
        self.next_waiter
    }

    fn run(&mut self, step: &Step) -> Result<(), TestCaseError> {
        match step {
            Step::LoginCallback | Step::LoginEndpoint => {
                let waiter = self.waiter();
                let callback = matches!(step, Step::LoginCallback);
                self.feed(Input::LoginRequested { waiter, callback })?;
            }
            Step::Logout => {
                let before = self.session.state().anonymous_id;
                self.feed(Input::LogoutRequested)?;
                let state = self.session.state();
                prop_assert_eq!(state.status, Status::Anonymous);
                prop_assert!(state.user.is_none());
                prop_assert_ne!(
                    state.anonymous_id,
                    before,
                    "logout issues a new anonymousId"
                );
            }
            Step::Engage => {
                let waiter = self.waiter();
                self.feed(Input::EngagementStarted { waiter })?;
            }
            Step::GetToken => {
                let waiter = self.waiter();
                self.feed(Input::TokenWanted { waiter })?;
            }
            Step::AnswerNewest(reply) => {
                if let Some(&(request, _)) = self.requests.last() {
                    let answer = self.body(reply);
                    self.feed(Input::Answered { request, answer })?;
                }
            }
            Step::AnswerOld(back, reply) => {
                let count = self.requests.len();
                if count > 1 {
                    let (request, _) = self.requests[count - 2 - back.min(&(count - 2))];
                    let answer = self.body(reply);
                    self.feed(Input::Answered { request, answer })?;
                }
            }
            Step::GrantLock(stored) => {
                if let Some(&lock) = self.locks.first() {
                    self.locks.remove(0);
                    let stored = stored.map(|(user, ttl)| {
                        format!(
                            r#"{{"v":1,"anonymous_id":"0f8fad5b-d9cb-469f-a165-70867728950e","jwt":"{}","source":"endpoint"}}"#,
                            self.jwt(user, ttl)
                        )
                    });
                    let stored = stored.as_deref().and_then(decode::record);
                    self.feed(Input::LockGranted { lock, stored })?;
                }
            }
            Step::Tick(ms) => {
                let before = self.requests.len();
                self.now += ms;
                self.feed(Input::Tick)?;
                // Time alone never asks more than one flight's attempts at once.
                prop_assert!(
                    self.requests.len() - before <= 1,
                    "a burst of requests on one tick"
                );
            }
            Step::Woke => {
                self.feed(woke())?;
            }
            Step::PeerLogout => {
                let id = "0f8fad5b-d9cb-469f-a165-70867728950e".to_string();
                self.feed(Input::Peer(PeerMessage::LoggedOut {
                    anonymous_id: id.clone(),
                }))?;
                prop_assert_eq!(self.session.state().status, Status::Anonymous);
                prop_assert_eq!(self.session.state().anonymous_id, id);
            }
            Step::PeerToken { user, ttl } => {
                let jwt = self.jwt(*user, *ttl);
                self.feed(from_peer(&PeerMessage::TokenIssued {
                    jwt,
                    source: Source::Endpoint,
                }))?;
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_invariants_hold_whatever_happens(auto_lock in any::<bool>(), steps in prop::collection::vec(step(), 1..60)) {
        let mut world = World::new(auto_lock);
        for step in &steps {
            world.run(step)?;
        }
        // Left alone for a day, with every lock granted at once, it settles: requests are
        // bounded by the retry schedule, and no refusal turns into a loop.
        let before = world.requests.len();
        for _ in 0..200 {
            while let Some(lock) = world.locks.first().copied() {
                world.locks.remove(0);
                world.feed(Input::LockGranted { lock, stored: None })?;
            }
            world.now += 432_000; // 200 × 7.2 min = a day
            world.feed(Input::Tick)?;
        }
        // At most what was in flight (3 attempts) and one renewal of the token held (3 more).
        let later: BTreeSet<_> = world.requests[before..].iter().map(|(r, _)| *r).collect();
        prop_assert!(later.len() <= 6, "{} requests with nobody asking", later.len());
    }
}
