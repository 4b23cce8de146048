//! The authentication endpoint, fetched for real from the test page with the site's cookies, on
//! the local test server (`tests/server/server.mjs`), which is another origin than the test
//! page (another port) and answers CORS with credentials.
//!
//! The server's base URL comes at compile time from `MESSENGER_TEST_SERVER` (for example
//! `http://127.0.0.1:8080`); `npm test` sets it. Without it these tests do nothing but log
//! "skipped" (seen with `-- --nocapture`). By hand:
//!
//! ```sh
//! node tests/server/server.mjs --port 0 &      # prints its URL
//! MESSENGER_TEST_SERVER=http://127.0.0.1:PORT cargo test --target wasm32-unknown-unknown --test browser_endpoint
//! ```
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use gloo_net::http::Request;
use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::RequestCredentials;

wasm_bindgen_test_configure!(run_in_browser);

/// The test server's base URL without a trailing slash, or `None` (then the test is skipped).
fn server(test: &str) -> Option<String> {
    match option_env!("MESSENGER_TEST_SERVER") {
        Some(url) if !url.trim().is_empty() => Some(url.trim().trim_end_matches('/').to_string()),
        _ => {
            console_log!(
                "{test}: skipped: MESSENGER_TEST_SERVER was not set when the tests were compiled \
                 (run tests/server/server.mjs and set it to its URL)"
            );
            None
        }
    }
}

/// A path segment no other test or run uses, so the server's request counts are this test's.
fn unique(label: &str) -> String {
    format!(
        "{label}-{}-{}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e9) as u64
    )
}

/// How many requests the server received for `path` (from `GET /test/stats`).
async fn requests(base: &str, path: &str) -> u32 {
    let response = Request::get(&format!("{base}/test/stats?prefix={path}"))
        .send()
        .await
        .expect("GET /test/stats");
    let counts = js_sys::JSON::parse(&response.text().await.unwrap()).unwrap();
    get(&get(&counts, "counts"), path).as_f64().unwrap_or(0.0) as u32
}

fn assert_is_jwt(token: &JsValue) -> String {
    let token = token
        .as_string()
        .unwrap_or_else(|| panic!("getToken() resolved {token:?}, not a JWT string"));
    assert_eq!(token.split('.').count(), 3, "not a JWT: {token}");
    assert!(token.split('.').all(|part| !part.is_empty()));
    token
}

async fn with_endpoint(endpoint: &str, extra: &[(&str, JsValue)]) -> Sdk {
    let sdk = Sdk::new();
    let mut options = vec![("authEndpoint", JsValue::from(endpoint))];
    options.extend(extra.iter().cloned());
    sdk.init(&obj(&options)).await.expect("init resolves");
    sdk
}

#[wasm_bindgen_test]
async fn get_token_fetches_a_jwt_from_a_credentialed_cross_origin_endpoint() {
    let Some(base) = server("get_token") else {
        return;
    };
    let errors = PageErrors::watch();
    let path = format!("/test/jwt/ok/{}", unique("get-token"));
    let sdk = with_endpoint(&format!("{base}{path}?user=alice&name=Alice"), &[]).await;
    // No request until a token is needed.
    assert_eq!(sdk.status(), "anonymous");
    assert_eq!(requests(&base, &path).await, 0);
    let log = EventLog::attach(&sdk);

    // Several callers at once: one request, the same token for all.
    let calls: Vec<Promise> = (0..3).map(|_| sdk.promise("getToken", &[])).collect();
    let engagement = sdk.promise("startEngagement", &[]);
    let mut tokens = Vec::new();
    for call in calls {
        tokens.push(assert_is_jwt(&JsFuture::from(call).await.unwrap()));
    }
    assert!(tokens.iter().all(|t| *t == tokens[0]));
    let state = JsFuture::from(engagement).await.unwrap();
    assert_eq!(get_str(&state, "status").as_deref(), Some("authenticated"));

    let state = sdk.state();
    assert_eq!(get_str(&state, "status").as_deref(), Some("authenticated"));
    assert_eq!(path_str(&state, "user.externalId"), Some("alice".into()));
    assert_eq!(path_str(&state, "user.name"), Some("Alice".into()));
    assert!(get(&state, "expiresAt").as_f64().unwrap() > now_s() as f64 + 500.0);
    assert_eq!(log.statuses(), ["authenticating", "authenticated"]);
    assert_eq!(
        requests(&base, &path).await,
        1,
        "single flight: one request"
    );

    // A fresh cached token is used: no new request.
    assert_eq!(assert_is_jwt(&sdk.get_token().await), tokens[0]);
    assert_eq!(requests(&base, &path).await, 1);
    errors.assert_none().await;
}

fn path_str(value: &JsValue, at: &str) -> Option<String> {
    path(value, at).as_string()
}

#[wasm_bindgen_test]
async fn a_401_endpoint_leaves_the_visitor_anonymous() {
    let Some(base) = server("401") else { return };
    let errors = PageErrors::watch();
    let path = format!("/test/jwt/401/{}", unique("not-logged-in"));
    let sdk = with_endpoint(&format!("{base}{path}"), &[]).await;
    let log = EventLog::attach(&sdk);

    let login_callback = Recorder::new();
    let state = sdk
        .login(&JsValue::UNDEFINED, &login_callback.function())
        .await;
    assert_eq!(get_str(&state, "status").as_deref(), Some("anonymous"));
    assert_eq!(sdk.status(), "anonymous");
    assert_eq!(login_callback.len(), 1);
    let error = login_callback.arg(0);
    assert_eq!(
        get_str(&error, "reason").as_deref(),
        Some("unauthenticated"),
        "{}",
        json(&error)
    );
    assert_eq!(get(&error, "status").as_f64(), Some(401.0));
    // Not a failure worth a loginFailed event, and never retried.
    assert_eq!(log.count("loginFailed"), 0, "events: {:?}", log.names());
    sleep(1_000).await;
    assert_eq!(requests(&base, &path).await, 1);
    // getToken() asks again (the visitor may have logged in since) and resolves null.
    assert!(sdk.get_token().await.is_null());
    assert_eq!(requests(&base, &path).await, 2);
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn the_site_cookie_goes_with_the_request() {
    let Some(base) = server("cookie") else { return };
    let errors = PageErrors::watch();
    let user = unique("carol");
    let sdk = with_endpoint(&format!("{base}/auth/jwt"), &[]).await;
    // Not logged in at the site yet: 401, anonymous.
    assert!(sdk.get_token().await.is_null());
    assert_eq!(sdk.status(), "anonymous");

    // Log in at the site: its answer sets an HttpOnly session cookie for the server's host.
    let response = Request::post(&format!("{base}/login"))
        .credentials(RequestCredentials::Include)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("username={user}"))
        .unwrap()
        .send()
        .await
        .expect("POST /login");
    assert_eq!(response.status(), 200);

    let token = assert_is_jwt(&sdk.get_token().await);
    assert_eq!(sdk.status(), "authenticated");
    assert_eq!(
        path_str(&sdk.state(), "user.externalId"),
        Some(user.clone())
    );

    // Logged out at the site and in the SDK: the endpoint refuses again.
    Request::post(&format!("{base}/logout"))
        .credentials(RequestCredentials::Include)
        .send()
        .await
        .expect("POST /logout");
    sdk.logout().await;
    assert!(sdk.get_token().await.is_null());
    assert_eq!(sdk.status(), "anonymous");
    assert!(!stored_record(false).unwrap_or_default().contains(&token));
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn a_5xx_is_retried_with_back_off() {
    let Some(base) = server("5xx") else { return };
    let errors = PageErrors::watch();
    let path = format!("/test/jwt/flaky/{}", unique("flaky"));
    let sdk = with_endpoint(
        &format!("{base}{path}?fail=1&status=503&user=flaky-user"),
        &[],
    )
    .await;
    let login_callback = Recorder::new();
    let state = sdk
        .login(&JsValue::UNDEFINED, &login_callback.function())
        .await;
    assert!(
        login_callback.arg(0).is_null(),
        "{}",
        json(&login_callback.arg(0))
    );
    assert_eq!(get_str(&state, "status").as_deref(), Some("authenticated"));
    assert_eq!(requests(&base, &path).await, 2);
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn an_endpoint_that_hangs_times_out_after_three_attempts() {
    let Some(base) = server("hang") else { return };
    let errors = PageErrors::watch();
    let path = format!("/test/jwt/hang/{}", unique("hang"));
    let sdk = with_endpoint(
        &format!("{base}{path}"),
        &[("timeoutMs", JsValue::from(300))],
    )
    .await;
    let log = EventLog::attach(&sdk);
    let login_callback = Recorder::new();
    let state = sdk
        .login(&JsValue::UNDEFINED, &login_callback.function())
        .await;
    let error = login_callback.arg(0);
    assert_eq!(
        get_str(&error, "reason").as_deref(),
        Some("timeout"),
        "{}",
        json(&error)
    );
    assert_eq!(get_str(&state, "status").as_deref(), Some("anonymous"));
    assert_eq!(log.count("loginFailed"), 1);
    assert_eq!(requests(&base, &path).await, 3);
    // The aborted fetches report nothing later.
    log.clear();
    sleep(500).await;
    assert!(log.names().is_empty(), "events: {:?}", log.names());
    errors.assert_none().await;
}
