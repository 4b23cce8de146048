//! The shell's one timer, with real `setTimeout` in a real page: it renews a short-lived token
//! (the control), and after `logoutUser()` or when the SDK is freed nothing of the old
//! deadlines fires: no jwtCallback call, no event.
//!
//! Tokens live `exp = now + leeway + 2 s` with `refreshLeewaySeconds: 1`: fresh for 1-2 s (the
//! `exp` is in whole seconds), expired after 2-3 s. Waiting 3.5 s passes both deadlines.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LEEWAY_S: u64 = 1;

fn short_token(user: &str) -> String {
    token_for(user, now_s() + LEEWAY_S + 2)
}

async fn started(sdk: &Sdk) {
    sdk.init(&obj(&[("refreshLeewaySeconds", (LEEWAY_S as f64).into())]))
        .await
        .expect("init resolves");
}

/// Logs in through `stash`, answering its first call with a short-lived token.
async fn short_login(sdk: &Sdk, stash: &Stash) {
    let login = sdk.promise("loginUser", &[&stash.function(), &JsValue::UNDEFINED]);
    // The jwtCallback is called once this tab holds the cross-tab lock: soon, not at once.
    assert!(
        wait_until(1_000, || stash.calls() == 1).await,
        "the jwtCallback was called"
    );
    stash.answer(0, &short_token("short-user").into()).unwrap();
    let state = wasm_bindgen_futures::JsFuture::from(login).await.unwrap();
    assert_eq!(get_str(&state, "status").as_deref(), Some("authenticated"));
}

#[wasm_bindgen_test]
async fn a_short_token_is_renewed_before_it_expires_control() {
    // Control for the tests below: with nothing cancelled, the same setup does call the
    // jwtCallback again and emits events within the wait they use.
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    started(&sdk).await;
    let stash = Stash::new();
    short_login(&sdk, &stash).await;
    let log = EventLog::attach(&sdk);

    assert!(
        wait_until(3_500, || stash.calls() == 2).await,
        "the refresh timer never called the jwtCallback; events: {:?}",
        log.names()
    );
    assert_eq!(log.names(), ["tokenExpiring"]);
    let expiring = log.details("tokenExpiring")[0].clone();
    assert!(get(&expiring, "expiresAt").as_f64().is_some());
    // Still authenticated while renewing: the token has not reached exp.
    assert_eq!(sdk.status(), "authenticated");
    stash.answer(1, &long_token("short-user").into()).unwrap();
    // The answer comes back to the SDK through a promise: a moment later, not inside `callback`.
    assert!(
        wait_until(1_000, || log.names() == ["tokenExpiring", "tokenRefreshed"]).await,
        "{:?}",
        log.names()
    );
    assert_eq!(sdk.status(), "authenticated");
    // A renewal of the same user is not a change.
    assert_eq!(log.count("authStateChanged"), 0);
    sleep(3_500).await;
    assert_eq!(stash.calls(), 2, "the renewed token lives ten minutes");
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn a_token_expires_when_no_renewal_arrives_control() {
    // Control: the expiry deadline fires too (the renewal request is left unanswered).
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    started(&sdk).await;
    let stash = Stash::new();
    short_login(&sdk, &stash).await;
    let log = EventLog::attach(&sdk);
    assert!(
        wait_until(3_500, || log.count("tokenExpired") == 1).await,
        "events: {:?}",
        log.names()
    );
    assert_eq!(log.names()[0], "tokenExpiring");
    assert!(log.names().contains(&"tokenExpired".to_string()));
    // Expired with a renewal still under way: no longer authenticated.
    assert_ne!(sdk.status(), "authenticated");
    assert!(!log.statuses().is_empty());
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn logout_cancels_the_refresh_and_expiry_deadlines() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    started(&sdk).await;
    let stash = Stash::new();
    short_login(&sdk, &stash).await;
    sdk.logout().await;
    assert_eq!(sdk.status(), "anonymous");

    let log = EventLog::attach(&sdk); // from here on, nothing may happen
    sleep(3_500).await;
    assert_eq!(stash.calls(), 1, "the jwtCallback was called after logout");
    assert!(
        log.names().is_empty(),
        "events after logout: {:?}",
        log.names()
    );
    assert!(
        log.window_names().is_empty(),
        "window events after logout: {:?}",
        log.window_names()
    );
    assert_eq!(sdk.status(), "anonymous");
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn logout_during_a_renewal_discards_it_and_stops_the_timers() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    started(&sdk).await;
    let stash = Stash::new();
    short_login(&sdk, &stash).await;
    // Wait for the renewal request, then log out while it is unanswered.
    assert!(wait_until(3_000, || stash.calls() == 2).await);
    sdk.logout().await;
    let log = EventLog::attach(&sdk);
    // Its late answer is discarded and cannot bring the session back.
    stash.answer(1, &long_token("short-user").into()).unwrap();
    sleep(3_500).await;
    assert_eq!(stash.calls(), 2, "no retry or new request after logout");
    assert!(
        log.names().is_empty(),
        "events after logout: {:?}",
        log.names()
    );
    assert_eq!(sdk.status(), "anonymous");
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn freeing_the_sdk_leaves_no_timer_behind() {
    let stash = Stash::new();
    let errors = PageErrors::watch();
    let log;
    {
        let sdk = Sdk::new();
        started(&sdk).await;
        short_login(&sdk, &stash).await;
        log = EventLog::attach(&sdk);
        // `sdk` is freed here (`messenger.free()`), with both deadlines pending.
    }
    sleep(3_500).await;
    assert_eq!(
        stash.calls(),
        1,
        "a freed SDK's timer called the jwtCallback"
    );
    assert!(
        log.names().is_empty(),
        "events from a freed SDK: {:?}",
        log.names()
    );
    errors.assert_none().await;
}
