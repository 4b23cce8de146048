//! Bad requests get a 400 with a JSON error naming the problem; nothing panics.
mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::Site;
use serde_json::Value;

async fn expect_400(site: &Site, content_type: &str, body: impl Into<Body>, says: &str) {
    let answer = site.post("/login", content_type, body, None).await;
    assert_eq!(
        answer.status,
        StatusCode::BAD_REQUEST,
        "{says}: {:?}",
        answer.body
    );
    assert!(answer
        .header(header::CONTENT_TYPE)
        .starts_with("application/json"));
    let error = answer.json()["error"]
        .as_str()
        .map(String::from)
        .unwrap_or_default();
    assert!(error.contains(says), "expected {says:?} in {error:?}");
    assert!(answer.headers.get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn missing_or_bad_fields() {
    let site = Site::new();
    let json = "application/json";
    expect_400(&site, json, "{}", "username is required").await;
    expect_400(&site, json, r#"{"username": ""}"#, "username is required").await;
    expect_400(&site, json, r#"{"username": null}"#, "username is required").await;
    expect_400(&site, json, r#"{"username": ["ada"]}"#, "bad JSON").await;
    expect_400(
        &site,
        json,
        r#"{"username": "ada", "email": "not-an-address"}"#,
        "email",
    )
    .await;
    expect_400(&site, json, r#"{"username": "ada", "ttl": 0}"#, "ttl").await;
    expect_400(
        &site,
        json,
        r#"{"username": "ada", "ttl": "ten minutes"}"#,
        "ttl",
    )
    .await;
    expect_400(
        &site,
        json,
        format!(r#"{{"username": "{}"}}"#, "a".repeat(256)),
        "longer than 255",
    )
    .await;
    expect_400(
        &site,
        "application/x-www-form-urlencoded",
        "email=a%40b.test",
        "username is required",
    )
    .await;
}

#[tokio::test]
async fn bad_json_and_bad_forms() {
    let site = Site::new();
    for body in ["", "{", "ada", "[]", "null", r#"{"username": "ada",}"#] {
        expect_400(&site, "application/json", body, "bad JSON").await;
    }
    expect_400(&site, "application/json", b"\xff\xfe".to_vec(), "bad JSON").await;
    expect_400(
        &site,
        "application/x-www-form-urlencoded",
        "username=ada&username=bo",
        "bad form",
    )
    .await;
}

#[tokio::test]
async fn other_content_types() {
    let site = Site::new();
    for content_type in ["text/plain", "multipart/form-data; boundary=x", ""] {
        expect_400(
            &site,
            content_type,
            r#"{"username": "ada"}"#,
            "application/json or as a form",
        )
        .await;
    }
    let request = Request::post("/login")
        .header(header::HOST, "127.0.0.1:8080")
        .body(Body::from("username=ada"))
        .unwrap();
    let answer = site.send(request).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_oversized_body_is_refused_whether_or_not_it_says_its_length() {
    let site = Site::new();
    let big = format!(r#"{{"username": "ada", "name": "{}"}}"#, "x".repeat(20_000));
    expect_400(
        &site,
        "application/json",
        big.clone(),
        "larger than 16384 bytes",
    )
    .await;

    // Streamed, with no Content-Length: the limit still holds.
    let chunks = big
        .into_bytes()
        .chunks(1000)
        .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
        .collect::<Vec<_>>();
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    expect_400(&site, "application/json", body, "larger than 16384 bytes").await;
}

#[tokio::test]
async fn after_bad_requests_the_site_still_works() {
    let site = Site::new();
    expect_400(&site, "application/json", "{", "bad JSON").await;
    let cookie = site.login(r#"{"username": "ada"}"#).await;
    let me: Value = site.get("/me", Some(&cookie)).await.json();
    assert_eq!(me["user"]["username"], "ada");
}
