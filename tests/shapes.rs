#![cfg(not(target_arch = "wasm32"))]
//! The shapes the page sees: what the core's `Serialize` types become (the shell turns them into
//! plain objects with serde-wasm-bindgen's JSON-compatible serializer, as serde_json does here),
//! and what the shell must do for page events, logout and storage.

mod common;

use common::*;
use messenger_auth::core::error::Reason;
use messenger_auth::core::{Config, Effect, Input, PageEvent, PeerMessage, Source, StorageKind};
use serde_json::json;

const HOUR: u64 = 3600;

fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("serialisable")
}

#[test]
fn auth_state_and_events_are_camel_case_with_the_payload_as_claims() {
    let mut h = Harness::plain();
    h.take();
    h.login_callback();
    let jwt = token("u1", at(HOUR));
    h.answer_jwt(h.only_request(), &jwt);
    let state = changes(&h.effects)[1].clone();
    let payload = decode::jwt(&jwt).decoded.expect("decoded").payload;
    assert_eq!(
        to_json(&state),
        json!({
            "status": "authenticated",
            "authenticationStatus": true,
            "user": {
                "externalId": "u1",
                "name": "N u1",
                "email": "u1@example.com",
                "emailVerified": true,
                "claims": payload,
            },
            "expiresAt": at(HOUR) as f64,
            "anonymousId": state.anonymous_id,
            "previousAnonymousId": state.anonymous_id,
        })
    );
    let anonymous = to_json(&Harness::plain().session.state());
    assert_eq!(anonymous["user"], serde_json::Value::Null);
    assert_eq!(anonymous["expiresAt"], serde_json::Value::Null);
    assert!(
        anonymous.get("previousAnonymousId").is_none(),
        "only on the change to authenticated"
    );

    // Each event serialises as its detail.
    let details: Vec<(&str, serde_json::Value)> = events(&h.effects)
        .into_iter()
        .map(|e| (e.name(), to_json(e)))
        .collect();
    assert_eq!(details[0].0, "authStateChanged");
    assert_eq!(details[0].1["status"], "authenticating");
    h.input(Input::LogoutRequested);
    let logged_out = events(&h.effects)
        .into_iter()
        .find(|e| e.name() == "loggedOut")
        .expect("loggedOut");
    assert_eq!(
        to_json(logged_out),
        json!({ "anonymousId": h.session.state().anonymous_id })
    );
    for (event, detail) in [
        (
            Event::TokenExpiring { expires_at: 5.0 },
            json!({ "expiresAt": 5.0 }),
        ),
        (
            Event::TokenRefreshed { expires_at: None },
            json!({ "expiresAt": null }),
        ),
        (
            Event::TokenExpired { expires_at: 7.5 },
            json!({ "expiresAt": 7.5 }),
        ),
    ] {
        assert_eq!(to_json(&event), detail);
    }
}

#[test]
fn login_failed_error_shape() {
    let error = LoginFailedError::http(Reason::BadResponse, Some("not_json"), 200, "not JSON.");
    assert_eq!(
        to_json(&error),
        json!({
            "type": "LoginFailedError",
            "reason": "bad_response",
            "detail": "not_json",
            "status": 200,
            "message": "The authentication endpoint answered HTTP 200: not JSON.",
        })
    );
    let bare = LoginFailedError::new(Reason::CallbackError, None, "m");
    assert_eq!(
        to_json(&bare),
        json!({ "type": "LoginFailedError", "reason": "callback_error", "message": "m" })
    );
    for (reason, name) in [
        (Reason::InvalidJwt, "invalid_jwt"),
        (Reason::Expired, "expired"),
        (Reason::Unauthenticated, "unauthenticated"),
        (Reason::HttpError, "http_error"),
        (Reason::Network, "network"),
        (Reason::Timeout, "timeout"),
        (Reason::BadResponse, "bad_response"),
        (Reason::CallbackError, "callback_error"),
        (Reason::Superseded, "superseded"),
    ] {
        assert_eq!(to_json(&reason), json!(name));
    }
}

#[test]
fn stored_record_and_messages_keep_their_wire_shapes() {
    let mut h = Harness::plain();
    h.login_callback();
    let jwt = token("u1", at(HOUR));
    h.answer_jwt(h.only_request(), &jwt);
    let record = last_stored(&h.effects).expect("stored");
    assert_eq!(
        to_json(record),
        json!({ "v": 1, "anonymous_id": record.anonymous_id, "jwt": jwt, "source": "callback" })
    );
    let message = h.effects.iter().find_map(|e| match e {
        Effect::Broadcast(m) => Some(m),
        _ => None,
    });
    assert_eq!(
        message.map(to_json),
        Some(json!({ "type": "tokenIssued", "jwt": jwt, "source": "callback" }))
    );
    assert_eq!(
        to_json(&PeerMessage::<String>::LoggedOut {
            anonymous_id: "a".into()
        }),
        json!({ "type": "loggedOut", "anonymousId": "a" })
    );
    assert_eq!(Source::from_name("endpoint"), Some(Source::Endpoint));
    assert_eq!(Source::from_name("Endpoint"), None);
}

#[test]
fn what_counts_as_a_wake() {
    for (event, wake) in [
        (PageEvent::Online, true),
        (PageEvent::PageShow { persisted: true }, true),
        (PageEvent::PageShow { persisted: false }, false),
        (PageEvent::VisibilityChange { hidden: false }, true),
        (PageEvent::VisibilityChange { hidden: true }, false),
    ] {
        assert_eq!(event.is_wake(), wake, "{event:?}");
        // A stale token whose renewal failed is asked for again on a wake, and only on a wake.
        let mut h = Harness::plain();
        h.login_callback();
        h.answer_jwt(h.only_request(), &token("u1", at(HOUR)));
        h.now += HOUR * 1000 - 30_000; // within the leeway: no longer fresh
        h.input(Input::Tick);
        let renewal = h.requests().last().expect("a renewal").0;
        h.input(Input::Answered {
            request: renewal,
            answer: messenger_auth::core::Answer::CallbackThrew,
        });
        h.take();
        h.input(Input::Page(event));
        assert_eq!(h.requests().len(), usize::from(wake), "{event:?}");
    }
}

#[test]
fn logout_forgets_the_jwt_callback_and_purges_both_storages() {
    let mut h = Harness::plain();
    h.login_callback();
    h.answer_jwt(h.only_request(), &token("u1", at(HOUR)));
    h.take();
    h.input(Input::LogoutRequested);
    let forget =
        position(&h.effects, |e| matches!(e, Effect::ForgetJwtCallback)).expect("forgotten");
    let removed: Vec<_> = h
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Remove(kind) => Some(*kind),
            _ => None,
        })
        .collect();
    assert_eq!(removed, [StorageKind::Session, StorageKind::Local]);
    assert!(forget < position(&h.effects, |e| matches!(e, Effect::Emit(_))).expect("events"));
    // Another tab's logout forgets it too: the user it served is gone everywhere.
    let mut h = Harness::plain();
    h.login_callback();
    h.answer_jwt(h.only_request(), &token("u1", at(HOUR)));
    h.take();
    h.input(from_peer(&PeerMessage::LoggedOut {
        anonymous_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
    }));
    assert!(h
        .effects
        .iter()
        .any(|e| matches!(e, Effect::ForgetJwtCallback)));
}

#[test]
fn memory_storage_writes_nothing() {
    let mut h = Harness::start(
        Config {
            storage: StorageKind::Memory,
            ..Config::default()
        },
        None,
    );
    h.login_callback();
    h.answer_jwt(h.only_request(), &token("u1", at(HOUR)));
    assert!(!h.effects.iter().any(|e| matches!(e, Effect::Store(_))));
}
