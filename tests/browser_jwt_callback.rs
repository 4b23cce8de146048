//! The page's jwtCallback misbehaving, in a real page: answering twice, answering a number,
//! throwing, an async jwtCallback whose promise rejects, answering after logout, and never
//! answering. Each ends in the documented `loginCallback` error or is ignored, and nothing is
//! thrown at the page.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use js_sys::{Function, Promise};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Logs in with `jwt_callback`; returns the promise's state and the loginCallback's argument.
async fn login_with(sdk: &Sdk, jwt_callback: &JsValue) -> (JsValue, JsValue) {
    let login_callback = Recorder::new();
    let state = sdk.login(jwt_callback, &login_callback.function()).await;
    assert_eq!(
        login_callback.len(),
        1,
        "loginCallback is called once per loginUser()"
    );
    (state, login_callback.arg(0))
}

fn assert_failure(error: &JsValue, reason: &str, detail: Option<&str>) {
    assert_eq!(
        get_str(error, "type").as_deref(),
        Some("LoginFailedError"),
        "{}",
        json(error)
    );
    assert_eq!(
        get_str(error, "reason").as_deref(),
        Some(reason),
        "{}",
        json(error)
    );
    assert_eq!(
        get_str(error, "detail").as_deref(),
        detail,
        "{}",
        json(error)
    );
    let message = get_str(error, "message").unwrap_or_default();
    assert!(!message.is_empty(), "no message: {}", json(error));
}

#[wasm_bindgen_test]
async fn a_second_answer_is_ignored() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let log = EventLog::attach(&sdk);
    let (first, second) = (long_token("first-answer"), long_token("second-answer"));
    let second_result: Rc<std::cell::RefCell<Option<Result<JsValue, JsValue>>>> = Rc::default();
    let slot = second_result.clone();
    let twice = page_fn(move |callback| {
        let callback: &Function = callback.unchecked_ref();
        callback.call1(&JsValue::NULL, &first.clone().into())?;
        *slot.borrow_mut() = Some(callback.call1(&JsValue::NULL, &second.clone().into()));
        Ok(JsValue::UNDEFINED)
    });
    let (state, error) = login_with(&sdk, twice.as_ref()).await;
    assert!(error.is_null(), "{}", json(&error));
    assert!(
        matches!(*second_result.borrow(), Some(Ok(_))),
        "the second callback() threw"
    );
    assert_eq!(
        path(&state, "user.externalId").as_string().as_deref(),
        Some("first-answer")
    );
    assert_eq!(
        path(&sdk.state(), "user.externalId").as_string().as_deref(),
        Some("first-answer")
    );
    assert_eq!(log.statuses(), ["authenticating", "authenticated"]);
    assert_eq!(log.count("tokenRefreshed"), 0);

    // The same `callback` called again much later is ignored too.
    let stash = Stash::new();
    let login = sdk.promise("loginUser", &[&stash.function(), &JsValue::UNDEFINED]);
    // The jwtCallback is called once this tab holds the cross-tab lock: soon, not at once.
    assert!(
        wait_until(1_000, || stash.calls() == 1).await,
        "the jwtCallback was called"
    );
    stash.answer(0, &long_token("first-answer").into()).unwrap();
    wasm_bindgen_futures::JsFuture::from(login).await.unwrap();
    log.clear();
    sleep(50).await;
    assert!(stash
        .answer(0, &long_token("late-other-user").into())
        .is_ok());
    assert!(stash.answer(0, &JsValue::from(5)).is_ok());
    sleep(50).await;
    assert_eq!(
        path(&sdk.state(), "user.externalId").as_string().as_deref(),
        Some("first-answer")
    );
    assert!(log.names().is_empty(), "events: {:?}", log.names());
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn a_number_is_callback_error_not_a_string() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let log = EventLog::attach(&sdk);
    let number = page_fn(|callback| {
        callback
            .unchecked_ref::<Function>()
            .call1(&JsValue::NULL, &JsValue::from(42))
    });
    let (state, error) = login_with(&sdk, number.as_ref()).await;
    assert_failure(&error, "callback_error", Some("not_a_string"));
    assert!(get_str(&error, "message").unwrap().contains("a number"));
    assert_eq!(get_str(&state, "status").as_deref(), Some("anonymous"));
    assert_eq!(sdk.status(), "anonymous");
    // Reported once as loginFailed, not retried.
    assert_eq!(log.count("loginFailed"), 1);
    assert_failure(
        &log.details("loginFailed")[0],
        "callback_error",
        Some("not_a_string"),
    );
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn a_throwing_jwt_callback_is_callback_error_threw() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let calls = Rc::new(Cell::new(0));
    let count = calls.clone();
    let throwing = page_fn(move |_callback| {
        count.set(count.get() + 1);
        Err(js_sys::Error::new("the site's backend is down").into())
    });
    let (state, error) = login_with(&sdk, throwing.as_ref()).await;
    assert_failure(&error, "callback_error", Some("threw"));
    assert_eq!(get_str(&state, "status").as_deref(), Some("anonymous"));
    assert_eq!(calls.get(), 1, "a throwing jwtCallback is not retried");
    // The exception went nowhere near the page.
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn an_async_jwt_callback_that_rejects_is_callback_error_without_unhandled_rejection() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let log = EventLog::attach(&sdk);
    // `async (callback) => { throw new Error(...) }`, and one that rejects later.
    let rejects_now =
        page_fn(
            |_callback| Ok(Promise::reject(&js_sys::Error::new("async failure").into()).into()),
        );
    let (state, error) = login_with(&sdk, rejects_now.as_ref()).await;
    assert_failure(&error, "callback_error", Some("threw"));
    assert_eq!(get_str(&state, "status").as_deref(), Some("anonymous"));

    let rejects_later = page_fn(|_callback| {
        Ok(Promise::new(&mut |_resolve, reject| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_1(
                    &reject,
                    30,
                    &js_sys::Error::new("later async failure"),
                )
                .unwrap();
        })
        .into())
    });
    let (_, error) = login_with(&sdk, rejects_later.as_ref()).await;
    assert_failure(&error, "callback_error", Some("threw"));
    assert_eq!(log.count("loginFailed"), 2);

    // An async jwtCallback that resolves after answering is fine.
    let token = long_token("async-user");
    let resolves = page_fn(move |callback| {
        callback
            .unchecked_ref::<Function>()
            .call1(&JsValue::NULL, &token.clone().into())?;
        Ok(Promise::resolve(&JsValue::UNDEFINED).into())
    });
    let (state, error) = login_with(&sdk, resolves.as_ref()).await;
    assert!(error.is_null(), "{}", json(&error));
    assert_eq!(get_str(&state, "status").as_deref(), Some("authenticated"));
    // Give an unhandled rejection time to be reported.
    sleep(100).await;
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn an_answer_after_logout_is_discarded() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let stash = Stash::new();
    let login_callback = Recorder::new();
    let login = sdk.promise(
        "loginUser",
        &[&stash.function(), &login_callback.function()],
    );
    assert_eq!(sdk.status(), "authenticating");
    assert!(
        wait_until(1_000, || stash.calls() == 1).await,
        "the jwtCallback was called"
    );
    sdk.logout().await;
    assert_eq!(sdk.status(), "anonymous");
    // The pending login ends as superseded, and its promise still resolves.
    let state = wasm_bindgen_futures::JsFuture::from(login).await.unwrap();
    assert_eq!(get_str(&state, "status").as_deref(), Some("anonymous"));
    assert_eq!(login_callback.len(), 1);
    assert_failure(&login_callback.arg(0), "superseded", None);

    let log = EventLog::attach(&sdk);
    let answered = stash.answer(0, &long_token("too-late").into());
    assert!(answered.is_ok(), "a late callback(jwt) threw: {answered:?}");
    sleep(100).await;
    assert_eq!(sdk.status(), "anonymous");
    assert!(path(&sdk.state(), "user").is_null());
    assert!(log.names().is_empty(), "events: {:?}", log.names());
    assert_eq!(
        login_callback.len(),
        1,
        "the loginCallback is not called again"
    );
    assert!(sdk.get_token().await.is_null());
    assert!(!stored_record(false)
        .unwrap_or_default()
        .contains("\"jwt\":\""));
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn a_jwt_callback_that_never_answers_times_out_after_three_attempts() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&obj(&[("timeoutMs", 200.into())])).await.unwrap();
    let log = EventLog::attach(&sdk);
    let stash = Stash::new();
    let started = js_sys::Date::now();
    let (state, error) = login_with(&sdk, &stash.function()).await;
    let elapsed = js_sys::Date::now() - started;
    assert_failure(&error, "timeout", None);
    assert!(get_str(&error, "message").unwrap().contains("200"));
    assert_eq!(get_str(&state, "status").as_deref(), Some("anonymous"));
    assert_eq!(stash.calls(), 3, "three attempts");
    // 3 x 200 ms plus two back-offs of 250-500 ms and 500-1000 ms.
    assert!((1_350.0..4_000.0).contains(&elapsed), "took {elapsed} ms");
    assert_eq!(log.count("loginFailed"), 1);
    assert_eq!(log.statuses(), ["authenticating", "anonymous"]);
    // Late answers to any of the attempts are ignored, and no fourth attempt comes.
    log.clear();
    for attempt in 0..3 {
        assert!(stash.answer(attempt, &long_token("late").into()).is_ok());
    }
    sleep(1_500).await;
    assert_eq!(stash.calls(), 3);
    assert_eq!(sdk.status(), "anonymous");
    assert!(log.names().is_empty(), "events: {:?}", log.names());
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn a_missing_jwt_callback_without_endpoint_is_callback_error() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    // Not a function: treated as no jwtCallback; with no authEndpoint there is no source.
    let (state, error) = login_with(&sdk, &JsValue::from("not a function")).await;
    assert_failure(&error, "callback_error", Some("missing_callback"));
    assert_eq!(get_str(&state, "status").as_deref(), Some("anonymous"));
    // With neither source, getToken() is null and startEngagement() anonymous, at once.
    assert!(sdk.get_token().await.is_null());
    assert_eq!(
        get_str(&sdk.start_engagement().await, "status").as_deref(),
        Some("anonymous")
    );
    errors.assert_none().await;
}
