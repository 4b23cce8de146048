//! Several tabs of one origin, natively: a simulated browser gives them one Web Lock queue and
//! a BroadcastChannel, and the sessions must make one request between them, adopt each other's
//! logins, switch users and log out everywhere.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use messenger_auth::core::session::HANDOVER_MS;
use messenger_auth::core::{Config, Effect, Input, PeerMessage, RequestId, Source, Status};
use std::collections::VecDeque;

const HOUR: u64 = 3600;

/// The tabs, and what the browser shares between them.
struct Browser {
    tabs: Vec<Harness>,
    /// Which tab holds the lock, and which wait for it, in order.
    holder: Option<(usize, RequestId)>,
    waiting: VecDeque<(usize, RequestId)>,
    /// How many effects of each tab the browser has already performed.
    seen: Vec<usize>,
    /// Messages posted on the channel, not yet delivered: (from, message).
    channel: VecDeque<(usize, PeerMessage)>,
}

impl Browser {
    fn new(count: usize, config: Config) -> Browser {
        let tabs = (0..count)
            .map(|_| {
                let mut tab = Harness::start(config.clone(), None);
                tab.auto_lock = false;
                tab
            })
            .collect();
        Browser {
            tabs,
            holder: None,
            waiting: VecDeque::new(),
            seen: vec![0; count],
            channel: VecDeque::new(),
        }
    }

    fn endpoint(count: usize) -> Browser {
        Browser::new(
            count,
            Config {
                auth_endpoint: Some("/auth/jwt".into()),
                ..Config::default()
            },
        )
    }

    /// Feeds `input` to tab `i`, then lets the browser run until nothing moves.
    fn input(&mut self, i: usize, input: TestInput) {
        self.tabs[i].input(input);
        self.settle();
    }

    /// Moves every tab's clock by `ms`, ticking each.
    fn advance(&mut self, ms: u64) {
        for i in 0..self.tabs.len() {
            self.tabs[i].advance(ms);
        }
        self.settle();
    }

    fn settle(&mut self) {
        loop {
            let mut moved = false;
            for i in 0..self.tabs.len() {
                let new: Vec<TestEffect> = self.tabs[i].effects[self.seen[i]..].to_vec();
                self.seen[i] = self.tabs[i].effects.len();
                for effect in new {
                    moved = true;
                    match effect {
                        Effect::AcquireLock { lock } => self.waiting.push_back((i, lock)),
                        Effect::ReleaseLock { lock } => {
                            if self.holder == Some((i, lock)) {
                                self.holder = None;
                            }
                            self.waiting.retain(|w| *w != (i, lock));
                        }
                        Effect::Broadcast(message) => self.channel.push_back((i, message)),
                        _ => {}
                    }
                }
            }
            if let Some((from, message)) = self.channel.pop_front() {
                for to in (0..self.tabs.len()).filter(|&to| to != from) {
                    self.tabs[to].input(from_peer(&message));
                }
                continue;
            }
            if self.holder.is_none() {
                if let Some((i, lock)) = self.waiting.pop_front() {
                    self.holder = Some((i, lock));
                    self.tabs[i].input(Input::LockGranted { lock, stored: None });
                    continue;
                }
            }
            if !moved {
                break;
            }
        }
    }

    /// Every request of every tab: (tab, request, source).
    fn requests(&self) -> Vec<(usize, RequestId, Source)> {
        self.tabs
            .iter()
            .enumerate()
            .flat_map(|(i, tab)| tab.requests().into_iter().map(move |(r, s)| (i, r, s)))
            .collect()
    }
}

impl Browser {
    /// Tab `i` logs in `user` through its jwtCallback, which answers at once.
    fn log_in(&mut self, i: usize, user: &str, exp: u64) {
        let waiter = self.tabs[i].waiter();
        self.input(
            i,
            Input::LoginRequested {
                waiter,
                callback: true,
            },
        );
        let (_, request, _) = *self.requests().last().expect("a request");
        self.tabs[i].answer_jwt(request, &token(user, exp));
        self.settle();
    }
}

fn body(jwt: &str) -> String {
    format!(r#"{{"loginUserIdJwt":"{jwt}"}}"#)
}

#[test]
fn tabs_that_need_a_token_together_make_one_request() {
    let mut browser = Browser::endpoint(3);
    let waiters: Vec<_> = (0..3).map(|i| browser.tabs[i].waiter()).collect();
    for (i, &waiter) in waiters.iter().enumerate() {
        browser.tabs[i].input(Input::TokenWanted { waiter });
    }
    browser.settle();
    let requests = browser.requests();
    assert_eq!(requests.len(), 1, "one tab holds the lock and asks");
    let (asker, request, _) = requests[0];
    let jwt = token("u1", at(HOUR));
    browser.tabs[asker].answer_http(request, 200, &body(&jwt));
    browser.settle();
    browser.advance(HANDOVER_MS);
    assert_eq!(browser.requests().len(), 1, "the others adopted it");
    for (i, &waiter) in waiters.iter().enumerate() {
        let tab = &browser.tabs[i];
        assert!(
            matches!(outcome(&tab.effects, waiter), Outcome::Token(Some(t)) if *t == jwt),
            "tab {i}"
        );
        assert_eq!(tab.status(), Status::Authenticated);
    }
    assert_eq!(browser.holder, None, "every lock released");
    assert!(browser.waiting.is_empty());
}

#[test]
fn a_login_in_one_tab_is_adopted_by_the_others() {
    let mut browser = Browser::new(2, Config::default());
    browser.log_in(0, "u1", at(HOUR));
    let other = &browser.tabs[1];
    assert!(other.requests().is_empty());
    assert_eq!(other.status(), Status::Authenticated);
    let states = changes(&other.effects);
    assert_eq!(states.len(), 1);
    assert_eq!(external_id(states[0]), Some("u1"));
    // Its own renewal, later, is adopted back without a request from the first tab.
    browser.advance((HOUR - 60) * 1000);
    assert!(event_names(&browser.tabs[0].effects).contains(&"tokenExpiring"));
    assert!(
        browser.tabs[1].requests().is_empty(),
        "the adopting tab has no jwtCallback to ask"
    );
}

#[test]
fn a_user_switch_in_one_tab_purges_the_others_before_announcing() {
    let mut browser = Browser::new(2, Config::default());
    for (user, expected_changes) in [("u1", 1), ("u2", 2)] {
        browser.log_in(0, user, at(HOUR));
        browser.advance(HANDOVER_MS);
        assert_eq!(changes(&browser.tabs[1].effects).len(), expected_changes);
    }
    let other = &browser.tabs[1].effects;
    let purge = position(other, is_purge).expect("purged");
    let switch = other
        .iter()
        .rposition(|e| matches!(e, Effect::Emit(Event::AuthStateChanged(_))))
        .unwrap();
    assert!(purge < switch);
    assert_eq!(external_id(changes(other)[1]), Some("u2"));
}

#[test]
fn a_logout_reaches_every_tab() {
    let mut browser = Browser::new(3, Config::default());
    browser.log_in(0, "u1", at(HOUR));
    browser.input(2, Input::LogoutRequested);
    let id = browser.tabs[2].session.state().anonymous_id;
    for tab in &browser.tabs {
        assert_eq!(tab.status(), Status::Anonymous);
        assert_eq!(tab.session.state().anonymous_id, id);
        assert_eq!(event_names(&tab.effects).last(), Some(&"loggedOut"));
    }
}

#[test]
fn a_logout_that_changes_nothing_is_ignored() {
    let mut h = Harness::plain();
    h.login_callback();
    h.answer_jwt(h.only_request(), &token("u1", at(HOUR)));
    h.input(Input::LogoutRequested);
    let id = h.session.state().anonymous_id;
    h.take();
    // Its own message echoed back by a lying channel, or a replayed one.
    h.input(Input::Peer(PeerMessage::LoggedOut {
        anonymous_id: id.clone(),
    }));
    assert!(h.take().is_empty(), "no event, nothing purged or stored");
    assert_eq!(h.session.state().anonymous_id, id);
}

#[test]
fn a_tab_does_not_wait_forever_for_a_lock_held_by_a_hung_tab() {
    let mut browser = Browser::endpoint(2);
    let first = browser.tabs[0].waiter();
    browser.input(0, Input::TokenWanted { waiter: first });
    let second = browser.tabs[1].waiter();
    browser.input(1, Input::TokenWanted { waiter: second });
    assert_eq!(browser.requests().len(), 1);
    browser.advance(10_000); // the first tab's request hangs; the second goes ahead
    let requests = browser.requests();
    assert!(requests.iter().any(|(i, _, _)| *i == 1), "{requests:?}");
}

#[test]
fn stale_or_foreign_tokens_from_other_tabs_are_not_adopted() {
    let mut h = Harness::plain();
    h.login_callback();
    h.answer_jwt(h.only_request(), &token("u1", at(2 * HOUR)));
    h.take();
    for jwt in [
        token("u1", at(HOUR)),
        token("u1", at(2 * HOUR)),
        token("u1", at(30)),
        "garbage".into(),
    ] {
        h.input(from_peer(&PeerMessage::TokenIssued {
            jwt,
            source: Source::Callback,
        }));
    }
    assert!(
        events(&h.effects).is_empty(),
        "{:?}",
        event_names(&h.effects)
    );
    h.input(from_peer(&PeerMessage::TokenIssued {
        jwt: token("u1", at(3 * HOUR)),
        source: Source::Callback,
    }));
    assert_eq!(event_names(&h.effects), ["tokenRefreshed"]);
    assert!(
        !h.effects.iter().any(|e| matches!(e, Effect::Broadcast(_))),
        "adoption is not echoed"
    );
}

#[test]
fn check_lock_recheck_a_token_stored_meanwhile_makes_the_request_needless() {
    let mut h = Harness::endpoint();
    h.auto_lock = false;
    let waiter = h.get_token();
    let lock = h
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::AcquireLock { lock } => Some(*lock),
            _ => None,
        })
        .expect("asks for the lock first");
    assert!(h.requests().is_empty(), "no request before the lock");
    let jwt = token("u1", at(HOUR));
    let stored = format!(
        r#"{{"v":1,"anonymous_id":"0f8fad5b-d9cb-469f-a165-70867728950e","jwt":"{jwt}","source":"endpoint"}}"#
    );
    h.input(Input::LockGranted {
        lock,
        stored: decode::record(&stored),
    });
    assert!(h.requests().is_empty());
    assert!(matches!(outcome(&h.effects, waiter), Outcome::Token(Some(t)) if *t == jwt));
    // A grant that comes after the flight is gone is given back at once.
    h.take();
    h.input(Input::LockGranted {
        lock: RequestId(999),
        stored: None,
    });
    assert!(
        matches!(h.effects.as_slice(), [Effect::ReleaseLock { lock }] if *lock == RequestId(999))
    );
}

#[test]
fn a_new_flight_takes_over_the_lock_kept_for_the_hand_over() {
    let mut h = Harness::plain();
    h.auto_lock = false;
    let lock_of = |effects: &[TestEffect]| {
        effects.iter().find_map(|e| match e {
            Effect::AcquireLock { lock } => Some(*lock),
            _ => None,
        })
    };
    h.login_callback();
    let lock = lock_of(&h.effects).expect("asks for the lock");
    h.input(Input::LockGranted { lock, stored: None });
    h.answer_jwt(h.only_request(), &token("u1", at(HOUR)));
    h.take();
    // Logged out and in again at once: the lock still kept for the hand-over serves, so the
    // jwtCallback is asked without waiting for this tab's own lock.
    h.input(Input::LogoutRequested);
    h.login_callback();
    assert_eq!(lock_of(&h.effects), None, "no new lock asked for");
    assert_eq!(h.requests().len(), 1, "asked at once");
    h.answer_jwt(h.requests()[0].0, &token("u1", at(HOUR)));
    h.advance(HANDOVER_MS);
    assert!(h
        .effects
        .iter()
        .any(|e| matches!(e, Effect::ReleaseLock { lock: l } if *l == lock)));
}
