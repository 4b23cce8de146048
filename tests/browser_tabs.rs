//! The SDK's other tabs and wake-ups, as far as one page shows them: two SDK instances in one
//! page talk over the real `BroadcastChannel` exactly as two tabs of one origin do, and the
//! page-lifecycle listeners react to real `online`/`visibilitychange` events. (Two real tabs,
//! Web Locks and sleeping clocks are the Playwright tests' business.)
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn memory_sdk() -> Sdk {
    let sdk = Sdk::new();
    // "memory": nothing shared through storage, so only the channel can carry the logout.
    sdk.init(&obj(&[("storage", "memory".into())]))
        .await
        .unwrap();
    sdk
}

#[wasm_bindgen_test]
async fn a_logout_reaches_the_other_tab_within_a_second() {
    let errors = PageErrors::watch();
    let here = memory_sdk().await;
    let there = memory_sdk().await;
    let jwt_callback = answering(long_token("two-tab-user"));
    here.login(jwt_callback.as_ref(), &JsValue::UNDEFINED).await;
    there
        .login(jwt_callback.as_ref(), &JsValue::UNDEFINED)
        .await;
    assert_eq!(
        (here.status(), there.status()),
        ("authenticated".into(), "authenticated".into())
    );
    let there_log = EventLog::attach(&there);

    here.logout().await;
    let new_id = here.anonymous_id();
    assert!(
        wait_until(1_000, || there_log.count("loggedOut") == 1).await,
        "the other tab heard nothing; its events: {:?}",
        there_log.names()
    );
    assert_eq!(there.status(), "anonymous");
    // Both tabs are the same anonymous visitor again.
    assert_eq!(there.anonymous_id(), new_id);
    assert_eq!(
        get_str(&there_log.details("loggedOut")[0], "anonymousId"),
        Some(new_id)
    );
    assert_eq!(there_log.statuses(), ["anonymous"]);
    // The other tab does not echo it back: one loggedOut each, no loop.
    sleep(300).await;
    assert_eq!(there_log.count("loggedOut"), 1);
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn foreign_messages_on_the_channel_are_ignored() {
    let errors = PageErrors::watch();
    let sdk = memory_sdk().await;
    let jwt_callback = answering(long_token("channel-user"));
    sdk.login(jwt_callback.as_ref(), &JsValue::UNDEFINED).await;
    let log = EventLog::attach(&sdk);
    let channel = web_sys::BroadcastChannel::new("messenger-auth").unwrap();
    for message in [
        obj(&[
            ("type", "loggedOut".into()),
            ("anonymousId", "<img src=x>".into()),
        ]),
        obj(&[("type", "loggedOut".into())]),
        obj(&[("type", "somethingElse".into())]),
        JsValue::from("loggedOut"),
        JsValue::NULL,
    ] {
        channel.post_message(&message).unwrap();
    }
    sleep(300).await;
    channel.close();
    assert_eq!(sdk.status(), "authenticated");
    assert!(log.names().is_empty(), "events: {:?}", log.names());
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn waking_with_a_fresh_token_requests_nothing() {
    let errors = PageErrors::watch();
    let sdk = memory_sdk().await;
    let stash = Stash::new();
    let login = sdk.promise("loginUser", &[&stash.function(), &JsValue::UNDEFINED]);
    // The jwtCallback is called once this tab holds the cross-tab lock: soon, not at once.
    assert!(
        wait_until(1_000, || stash.calls() == 1).await,
        "the jwtCallback was called"
    );
    stash.answer(0, &long_token("awake-user").into()).unwrap();
    wasm_bindgen_futures::JsFuture::from(login).await.unwrap();
    let window = web_sys::window().unwrap();
    let document = window.document().unwrap();
    for (target, kind) in [
        (window.as_ref(), "online"),
        (document.as_ref(), "visibilitychange"),
        (window.as_ref(), "pageshow"),
    ] {
        let event = web_sys::Event::new(kind).unwrap();
        let _ = web_sys::EventTarget::dispatch_event(target, &event).unwrap();
    }
    sleep(100).await;
    assert_eq!(
        stash.calls(),
        1,
        "a fresh token was requested again on wake"
    );
    assert_eq!(sdk.status(), "authenticated");
    errors.assert_none().await;
}
