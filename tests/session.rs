//! The session state machine, natively, with a hand-moved clock: SPEC.md's rules for one page.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use messenger_auth::core::session::HANDOVER_MS;
use messenger_auth::core::{
    Answer, Config, Effect, Input, PeerMessage, Reason, Source, Status, StorageKind,
};

const HOUR: u64 = 3600;

/// Logs in through a jwtCallback, and lets the cross-tab lock go after its handover time.
fn login_ok(h: &mut Harness, user: &str, exp: u64) {
    h.login_callback();
    let request = h.requests().last().expect("a request").0;
    h.answer_jwt(request, &token(user, exp));
    pass_handover(h);
}

/// Moves past the time a tab keeps the lock after a success, checking that it is released.
fn pass_handover(h: &mut Harness) {
    let released = |h: &Harness| {
        h.effects
            .iter()
            .filter(|e| matches!(e, Effect::ReleaseLock { .. }))
            .count()
    };
    let before = released(h);
    h.advance(HANDOVER_MS);
    assert_eq!(
        released(h),
        before + 1,
        "the lock is released after the handover"
    );
}

fn token_of(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Token(t) => t.as_deref(),
        other => panic!("not a token outcome: {other:?}"),
    }
}

fn login_error(outcome: &Outcome) -> Option<Reason> {
    match outcome {
        Outcome::Login(_, error) => error.as_ref().map(|e| e.reason),
        other => panic!("not a login outcome: {other:?}"),
    }
}

// ---- requests: when, and how many ----

#[test]
fn a_visitor_who_never_logs_in_causes_no_request() {
    let mut h = Harness::endpoint();
    for _ in 0..10 {
        h.advance(HOUR * 1000);
    }
    h.wake();
    assert!(h.requests().is_empty());
    assert_eq!(event_names(&h.effects), ["ready"]);
}

#[test]
fn without_source_engagement_is_anonymous_and_token_null_at_once() {
    let mut h = Harness::plain();
    let e = h.engage();
    let t = h.get_token();
    assert!(h.requests().is_empty());
    assert!(matches!(outcome(&h.effects, e), Outcome::State(s) if s.status == Status::Anonymous));
    assert_eq!(token_of(outcome(&h.effects, t)), None);
}

#[test]
fn a_fresh_cached_token_causes_no_request() {
    let mut h = Harness::plain();
    login_ok(&mut h, "u1", at(HOUR));
    h.take();
    let waiters: Vec<_> = (0..100).map(|_| h.engage()).collect();
    let t = h.get_token();
    assert!(h.requests().is_empty());
    for w in waiters {
        assert!(
            matches!(outcome(&h.effects, w), Outcome::State(s) if s.status == Status::Authenticated)
        );
    }
    assert_eq!(
        token_of(outcome(&h.effects, t)),
        Some(token("u1", at(HOUR)).as_str())
    );
}

#[test]
fn concurrent_needs_make_one_request_and_all_get_its_result() {
    let mut h = Harness::endpoint();
    let waiters: Vec<_> = (0..20).map(|_| h.get_token()).collect();
    let engage = h.engage();
    let request = h.only_request();
    assert_eq!(h.requests()[0].1, Source::Endpoint);
    assert_eq!(h.status(), Status::Authenticating);
    let body = format!(r#"{{"loginUserIdJwt":"{}"}}"#, token("u1", at(HOUR)));
    h.answer_http(request, 200, &body);
    for w in waiters {
        assert_eq!(
            token_of(outcome(&h.effects, w)),
            Some(token("u1", at(HOUR)).as_str())
        );
    }
    assert!(
        matches!(outcome(&h.effects, engage), Outcome::State(s) if s.status == Status::Authenticated)
    );
    assert_eq!(h.requests().len(), 1);
}

#[test]
fn a_token_within_the_leeway_causes_one_renewal() {
    let mut h = Harness::plain();
    login_ok(&mut h, "u1", at(HOUR));
    h.take();
    assert_eq!(h.session.next_deadline(), Some((at(HOUR) - 60) * 1000));
    h.run_to_deadline();
    assert_eq!(event_names(&h.effects), ["tokenExpiring"]);
    let request = h.only_request();
    // More needs during the renewal join it.
    let t = h.get_token();
    h.advance(10);
    assert_eq!(h.requests().len(), 1);
    h.answer_jwt(request, &token("u1", at(2 * HOUR)));
    assert_eq!(event_names(&h.effects), ["tokenExpiring", "tokenRefreshed"]);
    assert!(
        matches!(events(&h.effects)[1], Event::TokenRefreshed { expires_at: Some(e) } if *e == at(2 * HOUR) as f64)
    );
    assert_eq!(
        token_of(outcome(&h.effects, t)),
        Some(token("u1", at(2 * HOUR)).as_str())
    );
    assert_eq!(h.status(), Status::Authenticated);
}

#[test]
fn expiry_without_renewal_emits_token_expired_and_goes_anonymous() {
    let mut h = Harness::plain();
    login_ok(&mut h, "u1", at(HOUR));
    h.take();
    h.run_to_deadline(); // leeway: renewal starts
    let request = h.only_request();
    h.input(Input::Answered {
        request,
        answer: Answer::CallbackThrew,
    });
    assert_eq!(failures(&h.effects)[0].reason, Reason::CallbackError);
    assert_eq!(
        h.status(),
        Status::Authenticated,
        "the cached token serves until exp"
    );
    let t = h.get_token();
    assert_eq!(h.requests().len(), 2, "an explicit need asks again");
    h.input(Input::Answered {
        request: h.requests()[1].0,
        answer: Answer::CallbackThrew,
    });
    assert_eq!(
        token_of(outcome(&h.effects, t)),
        None,
        "a token that is not fresh is never handed out"
    );
    h.take();
    h.run_to_deadline();
    assert_eq!(
        event_names(&h.effects),
        ["tokenExpired", "authStateChanged"]
    );
    assert_eq!(changes(&h.effects)[0].status, Status::Anonymous);
    assert!(
        last_stored(&h.effects).unwrap().jwt.is_none(),
        "no expired token stays stored"
    );
    assert_eq!(h.session.next_deadline(), None);
}

#[test]
fn a_clock_jump_past_exp_renews_once_on_the_next_tick() {
    let mut h = Harness::plain();
    login_ok(&mut h, "u1", at(HOUR));
    h.take();
    h.advance(5 * HOUR * 1000); // the machine slept
    assert_eq!(
        event_names(&h.effects),
        ["tokenExpiring", "tokenExpired", "authStateChanged"]
    );
    assert_eq!(changes(&h.effects)[0].status, Status::Authenticating);
    let request = h.only_request();
    h.advance(1);
    h.wake();
    assert_eq!(h.requests().len(), 1, "no burst of catch-up work");
    h.answer_jwt(request, &token("u1", at(7 * HOUR)));
    assert_eq!(
        changes(&h.effects).last().unwrap().status,
        Status::Authenticated
    );
}

#[test]
fn a_wake_renews_a_stale_token_at_once() {
    let mut h = Harness::plain();
    login_ok(&mut h, "u1", at(HOUR));
    h.take();
    h.now += (HOUR - 30) * 1000; // within the leeway, no timer fired (throttled tab)
    h.wake();
    assert_eq!(event_names(&h.effects), ["tokenExpiring"]);
    assert_eq!(h.requests().len(), 1);
    let w = h.get_token();
    assert!(!is_settled(&h.effects, w));
}

#[test]
fn a_token_with_no_fresh_time_is_refused_without_a_loop() {
    for exp in [at(0), at(30), at(60), 1] {
        let mut h = Harness::plain();
        let w = h.login_callback();
        h.answer_jwt(h.only_request(), &token("u1", exp));
        assert_eq!(login_error(outcome(&h.effects, w)), Some(Reason::Expired));
        assert_eq!(failures(&h.effects)[0].reason, Reason::Expired);
        for _ in 0..20 {
            h.run_to_deadline();
            h.advance(60_000);
        }
        assert_eq!(h.requests().len(), 1, "exp {exp}");
        assert_eq!(h.status(), Status::Anonymous);
    }
}

// ---- failures, retries, timeouts ----

#[test]
fn network_errors_are_retried_with_backoff_then_reported() {
    let mut h = Harness::endpoint();
    let w = h.login_endpoint();
    let mut waits = Vec::new();
    for attempt in 1..=3 {
        let request = h.requests().last().unwrap().0;
        h.input(Input::Answered {
            request,
            answer: Answer::NetworkError,
        });
        if attempt < 3 {
            let deadline = h.session.next_deadline().unwrap();
            waits.push(deadline - h.now);
            h.advance(deadline - h.now - 1);
            assert_eq!(
                h.requests().len(),
                attempt,
                "no retry before the back-off ends"
            );
            h.advance(1);
            assert_eq!(h.requests().len(), attempt + 1);
        }
    }
    assert!(
        (250..=500).contains(&waits[0]) && (500..=1000).contains(&waits[1]),
        "{waits:?}"
    );
    assert_eq!(login_error(outcome(&h.effects, w)), Some(Reason::Network));
    assert_eq!(failures(&h.effects).len(), 1);
    let states: Vec<_> = changes(&h.effects).iter().map(|s| s.status).collect();
    assert_eq!(states, [Status::Authenticating, Status::Anonymous]);
    assert_eq!(h.session.next_deadline(), None);
}

#[test]
fn server_errors_are_retried_client_errors_are_not() {
    for (status, attempts, reason) in [
        (500, 3, Reason::HttpError),
        (503, 3, Reason::HttpError),
        (404, 1, Reason::HttpError),
        (429, 1, Reason::HttpError),
        (301, 1, Reason::HttpError),
        (204, 1, Reason::BadResponse),
        (200, 1, Reason::BadResponse),
    ] {
        let mut h = Harness::endpoint();
        let w = h.login_endpoint();
        while let Some(&(request, _)) = h.requests().last() {
            h.answer_http(request, status, "<html></html>");
            if !h.run_to_deadline() {
                break;
            }
        }
        assert_eq!(h.requests().len(), attempts, "status {status}");
        assert_eq!(
            login_error(outcome(&h.effects, w)),
            Some(reason),
            "status {status}"
        );
        assert_eq!(failures(&h.effects)[0].status, Some(status));
    }
}

#[test]
fn timeouts_cancel_retry_and_ignore_late_answers() {
    let mut h = Harness::endpoint();
    let w = h.login_endpoint();
    let first = h.only_request();
    h.advance(10_000);
    assert!(h
        .effects
        .iter()
        .any(|e| matches!(e, Effect::CancelRequest { request } if *request == first)));
    h.answer_http(
        first,
        200,
        &format!(r#"{{"jwt":"{}"}}"#, token("late", at(HOUR))),
    );
    assert_eq!(
        h.status(),
        Status::Authenticating,
        "a late answer is ignored"
    );
    while h.requests().len() < 3 {
        h.run_to_deadline();
    }
    h.run_to_deadline(); // third attempt times out
    assert_eq!(login_error(outcome(&h.effects, w)), Some(Reason::Timeout));
    assert_eq!(failures(&h.effects)[0].reason, Reason::Timeout);
    assert_eq!(h.requests().len(), 3);
    assert_eq!(h.status(), Status::Anonymous);
}

#[test]
fn callback_misbehaviour_is_callback_error_and_not_retried() {
    for (answer, detail) in [
        (Answer::CallbackThrew, "threw"),
        (Answer::NotAString("a number"), "not_a_string"),
    ] {
        let mut h = Harness::plain();
        let w = h.login_callback();
        h.input(Input::Answered {
            request: h.only_request(),
            answer,
        });
        h.advance(60_000);
        assert_eq!(h.requests().len(), 1);
        assert_eq!(
            login_error(outcome(&h.effects, w)),
            Some(Reason::CallbackError)
        );
        assert_eq!(failures(&h.effects)[0].detail, Some(detail));
    }
}

#[test]
fn a_second_answer_to_the_same_request_is_ignored() {
    let mut h = Harness::plain();
    h.login_callback();
    let request = h.only_request();
    h.answer_jwt(request, &token("u1", at(HOUR)));
    h.answer_jwt(request, &token("u2", at(HOUR)));
    assert_eq!(
        h.session.state().user.unwrap().external_id.as_deref(),
        Some("u1")
    );
    assert_eq!(changes(&h.effects).len(), 2);
}

#[test]
fn invalid_tokens_fail_with_the_rule_named() {
    let mut h = Harness::plain();
    let w = h.login_callback();
    h.answer_jwt(h.only_request(), "not-a-jwt");
    let error = failures(&h.effects)[0];
    assert_eq!(
        (error.reason, error.detail),
        (Reason::InvalidJwt, Some("malformed"))
    );
    assert!(!error.message.is_empty());
    assert_eq!(
        login_error(outcome(&h.effects, w)),
        Some(Reason::InvalidJwt)
    );
}

#[test]
fn unauthenticated_at_login_is_anonymous_without_login_failed() {
    for status in [401, 403] {
        let mut h = Harness::endpoint();
        let w = h.login_endpoint();
        h.answer_http(h.only_request(), status, "");
        assert_eq!(
            login_error(outcome(&h.effects, w)),
            Some(Reason::Unauthenticated)
        );
        assert!(failures(&h.effects).is_empty());
        assert_eq!(h.status(), Status::Anonymous);
        h.advance(60_000);
        assert_eq!(h.requests().len(), 1, "never retried");
    }
}

#[test]
fn login_without_callback_or_endpoint_is_a_clear_error() {
    let mut h = Harness::plain();
    let w = h.login_endpoint();
    assert!(h.requests().is_empty());
    assert_eq!(
        login_error(outcome(&h.effects, w)),
        Some(Reason::CallbackError)
    );
    assert_eq!(failures(&h.effects)[0].detail, Some("missing_callback"));
}

// ---- generations ----

#[test]
fn a_logout_during_a_request_discards_its_late_answer() {
    let mut h = Harness::plain();
    let w = h.login_callback();
    let request = h.only_request();
    h.input(Input::LogoutRequested);
    assert_eq!(
        login_error(outcome(&h.effects, w)),
        Some(Reason::Superseded)
    );
    h.answer_jwt(request, &token("u1", at(HOUR)));
    assert_eq!(h.status(), Status::Anonymous);
    assert!(h.session.state().user.is_none());
    assert!(!h
        .effects
        .iter()
        .any(|e| matches!(e, Effect::Store(r) if r.jwt.is_some())));
}

#[test]
fn a_newer_login_supersedes_the_one_in_flight() {
    let mut h = Harness::plain();
    let first = h.login_callback();
    let t = h.get_token();
    let old = h.only_request();
    let second = h.login_callback();
    assert_eq!(
        login_error(outcome(&h.effects, first)),
        Some(Reason::Superseded)
    );
    assert!(
        failures(&h.effects).is_empty(),
        "superseded is not a failure event"
    );
    let new = h.requests()[1].0;
    h.answer_jwt(old, &token("old", at(HOUR)));
    assert_eq!(h.status(), Status::Authenticating);
    h.answer_jwt(new, &token("new", at(HOUR)));
    assert_eq!(login_error(outcome(&h.effects, second)), None);
    assert_eq!(
        token_of(outcome(&h.effects, t)),
        Some(token("new", at(HOUR)).as_str()),
        "other callers move on"
    );
}

// ---- state, events, storage ----

#[test]
fn login_announces_once_with_the_visitor_to_merge() {
    let mut h = Harness::plain();
    let anonymous_id = h.session.state().anonymous_id;
    let w = h.login_callback();
    h.answer_jwt(h.only_request(), &token("u1", at(HOUR)));
    let states = changes(&h.effects);
    assert_eq!(states.len(), 2);
    assert_eq!(states[0].status, Status::Authenticating);
    let authenticated = states[1];
    assert_eq!(authenticated.status, Status::Authenticated);
    assert_eq!(
        authenticated.previous_anonymous_id.as_deref(),
        Some(anonymous_id.as_str())
    );
    assert_eq!(authenticated.expires_at, Some(at(HOUR) as f64));
    let user = authenticated.user.as_ref().unwrap();
    assert_eq!(user.external_id.as_deref(), Some("u1"));
    assert!(user.email_verified);
    match outcome(&h.effects, w) {
        Outcome::Login(state, None) => assert_eq!(
            state.previous_anonymous_id,
            authenticated.previous_anonymous_id
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        h.session.state().previous_anonymous_id,
        None,
        "only on the change"
    );
    // The same user again is a renewal, not a change.
    h.take();
    login_ok(&mut h, "u1", at(2 * HOUR));
    assert_eq!(event_names(&h.effects), ["tokenRefreshed"]);
}

#[test]
fn a_user_switch_purges_before_announcing() {
    let mut h = Harness::plain();
    login_ok(&mut h, "u1", at(HOUR));
    let before = h.session.state().anonymous_id;
    h.take();
    login_ok(&mut h, "u2", at(HOUR));
    let purge = position(&h.effects, is_purge).expect("purged");
    let change = position(&h.effects, |e| {
        matches!(e, Effect::Emit(Event::AuthStateChanged(_)))
    })
    .unwrap();
    assert!(purge < change);
    let state = changes(&h.effects)[0];
    assert_eq!(external_id(state), Some("u2"));
    assert_eq!(
        state.previous_anonymous_id, None,
        "nothing to merge into another user"
    );
    assert_ne!(state.anonymous_id, before);
    assert!(!event_names(&h.effects).contains(&"tokenRefreshed"));
}

#[test]
fn logout_purges_renews_the_anonymous_id_and_tells_other_tabs() {
    let mut h = Harness::plain();
    login_ok(&mut h, "u1", at(HOUR));
    let before = h.session.state().anonymous_id;
    h.take();
    h.input(Input::LogoutRequested);
    assert_eq!(event_names(&h.effects), ["authStateChanged", "loggedOut"]);
    let after = h.session.state().anonymous_id;
    assert_ne!(after, before);
    assert!(
        matches!(events(&h.effects)[1], Event::LoggedOut { anonymous_id } if *anonymous_id == after)
    );
    assert!(h.effects.iter().any(|e| matches!(e, Effect::Broadcast(PeerMessage::LoggedOut { anonymous_id }) if *anonymous_id == after)));
    let purge = position(&h.effects, is_purge).unwrap();
    let store = position(&h.effects, |e| matches!(e, Effect::Store(_))).unwrap();
    assert!(purge < store);
    assert!(last_stored(&h.effects).unwrap().jwt.is_none());
    // Logout forgets the jwtCallback: nothing asks it again.
    h.take();
    let t = h.get_token();
    assert!(h.requests().is_empty());
    assert_eq!(token_of(outcome(&h.effects, t)), None);
    // Logging out again when anonymous: a new id, no change of state.
    h.take();
    h.input(Input::LogoutRequested);
    assert_eq!(event_names(&h.effects), ["loggedOut"]);
}

#[test]
fn another_tabs_logout_is_adopted_without_echo() {
    let mut h = Harness::plain();
    login_ok(&mut h, "u1", at(HOUR));
    h.take();
    let id = "0f8fad5b-d9cb-469f-a165-70867728950e".to_string();
    h.input(Input::Peer(PeerMessage::LoggedOut {
        anonymous_id: id.clone(),
    }));
    assert_eq!(event_names(&h.effects), ["authStateChanged", "loggedOut"]);
    assert_eq!(h.session.state().anonymous_id, id);
    assert!(!h.effects.iter().any(|e| matches!(e, Effect::Broadcast(_))));
}

#[test]
fn auth_state_changed_never_repeats() {
    let mut h = Harness::endpoint();
    h.get_token();
    h.answer_http(h.only_request(), 401, "");
    h.get_token();
    h.answer_http(h.requests()[1].0, 401, "");
    let states: Vec<_> = changes(&h.effects).iter().map(|s| s.status).collect();
    assert_eq!(
        states,
        [
            Status::Authenticating,
            Status::Anonymous,
            Status::Authenticating,
            Status::Anonymous
        ]
    );
    for pair in changes(&h.effects).windows(2) {
        assert!(
            pair[0].status != pair[1].status || pair[0].user.is_some() != pair[1].user.is_some()
        );
    }
}

#[test]
fn a_token_without_exp_is_never_written_to_local_storage() {
    for (storage, written) in [(StorageKind::Local, false), (StorageKind::Session, true)] {
        let mut h = Harness::start(
            Config {
                storage,
                ..Config::default()
            },
            None,
        );
        h.login_callback();
        h.answer_jwt(h.only_request(), &token_without_exp("u1"));
        pass_handover(&mut h);
        assert_eq!(h.status(), Status::Authenticated);
        assert_eq!(
            last_stored(&h.effects).unwrap().jwt.as_deref() == Some(&*token_without_exp("u1")),
            written
        );
        assert_eq!(
            h.session.next_deadline(),
            None,
            "fresh for the life of the page"
        );
    }
}

// ---- restore on load ----

fn stored_record(jwt: &str, source: &str) -> String {
    format!(
        r#"{{"v":1,"anonymous_id":"0f8fad5b-d9cb-469f-a165-70867728950e","jwt":"{jwt}","source":"{source}"}}"#
    )
}

fn endpoint_config(revalidate: bool) -> Config {
    Config {
        auth_endpoint: Some("/auth/jwt".into()),
        revalidate_on_load: revalidate,
        ..Config::default()
    }
}

#[test]
fn a_fresh_stored_token_is_restored_before_any_answer_and_revalidated_once() {
    let stored = stored_record(&token("u1", at(HOUR)), "endpoint");
    let h = Harness::start(endpoint_config(true), Some(stored.clone()));
    let ready = position(&h.effects, |e| matches!(e, Effect::Emit(Event::Ready(_)))).unwrap();
    let request = position(&h.effects, |e| matches!(e, Effect::RequestToken { .. })).unwrap();
    assert!(ready < request);
    match events(&h.effects)[0] {
        Event::Ready(state) => {
            assert_eq!(state.status, Status::Authenticated);
            assert_eq!(state.anonymous_id, "0f8fad5b-d9cb-469f-a165-70867728950e");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(event_names(&h.effects), ["ready"]);
    assert_eq!(h.requests().len(), 1);

    let h = Harness::start(endpoint_config(false), Some(stored));
    assert_eq!(h.status(), Status::Authenticated);
    assert!(h.requests().is_empty());
}

#[test]
fn ready_is_performed_before_the_records_write_and_the_revalidations_lock() {
    // Nothing but the restore stands between load and `ready`: the calls into the browser that
    // starting queues (writing the record, asking for the cross-tab lock) come after it.
    let fresh = stored_record(&token("u1", at(HOUR)), "endpoint");
    let stale = stored_record(&token("u1", at(30)), "endpoint"); // within the 60 s leeway
    for (stored, locks) in [(None, false), (Some(fresh), true), (Some(stale), true)] {
        let mut h = Harness::new(endpoint_config(true));
        h.auto_lock = false;
        h.input(Input::Start {
            stored: stored.as_deref().and_then(decode::record),
        });
        assert!(
            matches!(h.effects.first(), Some(Effect::Emit(Event::Ready(_)))),
            "{:?}",
            h.effects
        );
        assert!(h.effects.iter().any(|e| matches!(e, Effect::Store(_))));
        let lock = h
            .effects
            .iter()
            .any(|e| matches!(e, Effect::AcquireLock { .. }));
        assert_eq!(lock, locks, "{:?}", h.effects);
    }
}

#[test]
fn a_restored_callback_session_waits_for_the_pages_login() {
    let stored = stored_record(&token("u1", at(HOUR)), "callback");
    let mut h = Harness::start(Config::default(), Some(stored));
    assert_eq!(h.status(), Status::Authenticated);
    assert!(h.requests().is_empty());
    h.take();
    login_ok(&mut h, "u1", at(2 * HOUR));
    assert_eq!(
        event_names(&h.effects),
        ["tokenRefreshed"],
        "no flicker through authenticating"
    );
}

#[test]
fn revalidation_answers() {
    let stored = stored_record(&token("u1", at(HOUR)), "endpoint");
    // 401: logged out exactly as logoutUser() would.
    let mut h = Harness::start(endpoint_config(true), Some(stored.clone()));
    h.answer_http(h.only_request(), 401, "");
    assert_eq!(
        event_names(&h.effects),
        ["ready", "authStateChanged", "loggedOut"]
    );
    assert_ne!(
        h.session.state().anonymous_id,
        "0f8fad5b-d9cb-469f-a165-70867728950e"
    );
    assert!(failures(&h.effects).is_empty());
    // Another user: switch.
    let mut h = Harness::start(endpoint_config(true), Some(stored.clone()));
    h.answer_http(
        h.only_request(),
        200,
        &format!(r#"{{"token":"{}"}}"#, token("u2", at(HOUR))),
    );
    assert!(h.effects.iter().any(is_purge));
    assert_eq!(external_id(changes(&h.effects)[0]), Some("u2"));
    // Network failure: the cached token serves until it expires.
    let mut h = Harness::start(endpoint_config(true), Some(stored));
    for _ in 0..3 {
        let request = h.requests().last().unwrap().0;
        h.input(Input::Answered {
            request,
            answer: Answer::NetworkError,
        });
        h.run_to_deadline();
    }
    assert_eq!(failures(&h.effects)[0].reason, Reason::Network);
    assert_eq!(h.status(), Status::Authenticated);
}

#[test]
fn stale_or_tampered_stored_state_is_not_trusted() {
    for stored in [
        stored_record(&token("u1", at(30)), "endpoint"),
        stored_record(&token("u1", at(0)), "endpoint"),
        stored_record("a.b.c", "endpoint"),
        r#"{"v":1,"anonymous_id":"x","jwt":"a"}"#.to_string(),
        "garbage".to_string(),
    ] {
        let h = Harness::start(Config::default(), Some(stored.clone()));
        assert_eq!(h.status(), Status::Anonymous, "{stored}");
        assert!(h.requests().is_empty());
        assert!(
            last_stored(&h.effects).unwrap().jwt.is_none(),
            "the bad token is dropped: {stored}"
        );
    }
    // With an endpoint, a stale session is asked about once.
    let h = Harness::start(
        endpoint_config(true),
        Some(stored_record(&token("u1", at(30)), "endpoint")),
    );
    assert_eq!(h.status(), Status::Authenticating);
    assert_eq!(h.requests().len(), 1);
}

#[test]
fn start_is_idempotent_and_keeps_the_stored_anonymous_id() {
    let mut h = Harness::start(
        Config::default(),
        Some(stored_record(&token("u1", at(HOUR)), "callback")),
    );
    let id = h.session.state().anonymous_id;
    h.take();
    h.input(Input::Start { stored: None });
    assert!(h.effects.is_empty());
    assert_eq!(h.session.state().anonymous_id, id);
}
