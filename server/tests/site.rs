//! The site's login: `POST /login`, `POST /logout`, `GET /me` and the session cookie.
mod common;

use axum::http::{header, StatusCode};
use common::Site;
use serde_json::json;

#[tokio::test]
async fn login_sets_an_http_only_same_site_cookie_and_me_follows() {
    let site = Site::new();
    assert_eq!(site.get("/me", None).await.json(), json!({ "user": null }));

    let answer = site
        .post_json(
            "/login",
            r#"{"username": "ada", "email": "ada@example.test", "name": "Ada Lovelace"}"#,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let set_cookie = answer.header(header::SET_COOKIE);
    let (pair, attributes) = set_cookie.split_once(';').unwrap();
    assert_eq!(attributes, " Path=/; HttpOnly; SameSite=Lax");
    let id = pair.strip_prefix("demo_session=").unwrap();
    assert_eq!(id.len(), 43, "256 random bits, base64url");
    let user = json!({ "username": "ada", "email": "ada@example.test", "name": "Ada Lovelace" });
    assert_eq!(answer.json(), json!({ "user": user, "tokenTtl": 600 }));
    assert_eq!(answer.header(header::CACHE_CONTROL), "no-store");

    let cookie = answer.cookie();
    assert_eq!(
        site.get("/me", Some(&cookie)).await.json(),
        json!({ "user": user, "tokenTtl": 600 })
    );
    assert_eq!(
        site.get("/me", Some("demo_session=guess")).await.json(),
        json!({ "user": null })
    );
}

#[tokio::test]
async fn logout_ends_the_session_and_clears_the_cookie() {
    let site = Site::new();
    let cookie = site.login(r#"{"username": "ada"}"#).await;
    let answer = site
        .post("/logout", "application/json", "{}", Some(&cookie))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header(header::SET_COOKIE),
        "demo_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    );
    // The old cookie is worthless now, even if a browser kept it.
    assert_eq!(
        site.get("/me", Some(&cookie)).await.json(),
        json!({ "user": null })
    );
    assert_eq!(
        site.get("/auth/jwt", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Logging out again, or without a session, is fine.
    assert_eq!(
        site.post("/logout", "text/plain", "", None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn each_login_makes_a_new_session_and_ends_the_previous_one() {
    let site = Site::new();
    let first = site.login(r#"{"username": "ada"}"#).await;
    let answer = site
        .post(
            "/login",
            "application/json",
            r#"{"username": "bo"}"#,
            Some(&first),
        )
        .await;
    let second = answer.cookie();
    assert_ne!(first, second);
    assert_eq!(
        site.get("/me", Some(&first)).await.json(),
        json!({ "user": null })
    );
    assert_eq!(
        site.get("/me", Some(&second)).await.json()["user"]["username"],
        "bo"
    );
}

#[tokio::test]
async fn a_form_login_works_too_and_a_browser_form_post_goes_back_to_the_page() {
    let site = Site::new();
    let form = "application/x-www-form-urlencoded";
    let answer = site
        .post(
            "/login",
            form,
            "username=bo&email=bo%40example.test&name=&ttl=90",
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let expected = json!({ "user": { "username": "bo", "email": "bo@example.test", "name": null }, "tokenTtl": 90 });
    assert_eq!(answer.json(), expected);

    let request = axum::http::Request::post("/login")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::CONTENT_TYPE, form)
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .body(axum::body::Body::from("username=bo"))
        .unwrap();
    let answer = site.send(request).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.header(header::LOCATION), "/");
    assert!(answer
        .header(header::SET_COOKIE)
        .starts_with("demo_session="));
}

#[tokio::test]
async fn another_sites_page_cannot_log_in_or_out() {
    let site = Site::new();
    let from = |origin: &'static str, path: &'static str| {
        axum::http::Request::post(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(r#"{"username": "mallory"}"#))
            .unwrap()
    };
    for (origin, path) in [
        ("http://evil.test", "/login"),
        ("null", "/login"),
        ("http://evil.test", "/logout"),
    ] {
        let answer = site.send(from(origin, path)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{origin} {path}");
        assert_eq!(
            answer.json(),
            json!({ "error": "cross-site request refused" })
        );
        assert!(answer.headers.get(header::SET_COOKIE).is_none());
    }
    assert_eq!(
        site.send(from("http://127.0.0.1:8080", "/login"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn many_sessions_at_once_are_kept_apart() {
    let site = Site::new();
    let ada = site.login(r#"{"username": "ada"}"#).await;
    let bo = site.login(r#"{"username": "bo"}"#).await;
    assert_eq!(
        site.get("/me", Some(&ada)).await.json()["user"]["username"],
        "ada"
    );
    assert_eq!(
        site.get("/me", Some(&bo)).await.json()["user"]["username"],
        "bo"
    );
    site.post("/logout", "application/json", "{}", Some(&ada))
        .await;
    assert_eq!(
        site.get("/me", Some(&bo)).await.json()["user"]["username"],
        "bo"
    );
}
