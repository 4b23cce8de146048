//! Bad input gets a clear typed answer and changes nothing; no route panics.
mod common;

use axum::http::{Method, StatusCode};
use common::{anonymous_id, messaging_token, Site, Who, ADMIN_TOKEN};
use serde_json::{json, Value};

/// A route and the headers it needs.
type Route = (Method, &'static str, Vec<(String, String)>);

/// Every emulator route that reads a body, with the headers it needs.
fn body_routes(visitor: &str, bearer: &str) -> Vec<Route> {
    let visitor = ("x-anonymous-id".to_owned(), visitor.to_owned());
    let admin = ("authorization".to_owned(), bearer.to_owned());
    vec![
        (Method::POST, "/messaging/login", vec![]),
        (Method::POST, "/messaging/messages", vec![visitor.clone()]),
        (Method::POST, "/messaging/email", vec![visitor]),
        (Method::POST, "/contact-center/engagements", vec![]),
        (Method::POST, "/admin/keys", vec![admin.clone()]),
        (Method::PUT, "/admin/settings", vec![admin.clone()]),
        (
            Method::PUT,
            "/admin/contact-center-key",
            vec![admin.clone()],
        ),
        (Method::POST, "/admin/check-token", vec![admin]),
    ]
}

async fn send(
    site: &Site,
    method: &Method,
    path: &str,
    headers: &[(String, String)],
    body: impl Into<axum::body::Body>,
) -> common::Answer {
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    site.request(method.clone(), path, &headers, body).await
}

/// Everything the emulator holds, to show that a refused request changed nothing.
async fn snapshot(site: &Site) -> Value {
    json!({
        "users": site.agent_users().await,
        "keys": site.admin(Method::GET, "/admin/keys", None).await.json(),
        "settings": site.admin(Method::GET, "/admin/settings", None).await.json(),
    })
}

#[tokio::test]
async fn a_body_over_64_kib_is_413() {
    let site = Site::in_memory();
    let visitor = anonymous_id(1);
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let before = snapshot(&site).await;
    let text = "x".repeat(64 * 1024);
    let body = json!({ "text": text }).to_string();
    assert!(body.len() > 64 * 1024);
    for (method, path, headers) in body_routes(&visitor, &bearer) {
        let answer = send(&site, &method, path, &headers, body.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{method} {path}"
        );
        assert_eq!(
            answer.json(),
            json!({ "error": "the body is larger than 65536 bytes" }),
            "{path}"
        );
    }
    assert_eq!(snapshot(&site).await, before);

    // Just under the limit is read (and here refused for the text's length instead).
    let under = json!({ "text": "x".repeat(64 * 1024 - 20) }).to_string();
    assert!(under.len() <= 64 * 1024);
    let answer = send(
        &site,
        &Method::POST,
        "/messaging/messages",
        &[("x-anonymous-id".into(), visitor)],
        under,
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bodies_that_are_not_json_or_have_unknown_fields_are_400() {
    let site = Site::in_memory();
    let visitor = anonymous_id(2);
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let before = snapshot(&site).await;
    for (method, path, headers) in body_routes(&visitor, &bearer) {
        if path == "/admin/contact-center-key" {
            continue; // a PEM body, not JSON (below)
        }
        for body in [
            "",
            "{",
            "hello",
            "[]",
            "null",
            "{\"jwt\": \"a\",}",
            "{\"unknown\": 1}",
        ] {
            let answer = send(&site, &method, path, &headers, body).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path} {body:?}");
            assert!(
                answer.json()["error"]
                    .as_str()
                    .unwrap()
                    .starts_with("bad JSON"),
                "{path} {body:?}"
            );
        }
        let invalid_utf8 = send(
            &site,
            &method,
            path,
            &headers,
            b"{\"text\": \"\xff\"}".to_vec(),
        )
        .await;
        assert_eq!(invalid_utf8.status, StatusCode::BAD_REQUEST, "{path}");
    }
    let answer = send(
        &site,
        &Method::POST,
        "/messaging/messages",
        &[("x-anonymous-id".into(), visitor.clone())],
        r#"{"text": "hi", "priority": "high"}"#,
    )
    .await;
    assert!(answer.json()["error"]
        .as_str()
        .unwrap()
        .contains("unknown field `priority`"));
    let answer = send(
        &site,
        &Method::PUT,
        "/admin/contact-center-key",
        &[("authorization".into(), bearer.clone())],
        b"\xff\xfe".to_vec(),
    )
    .await;
    assert_eq!(
        answer.json(),
        json!({ "error": "the body is not UTF-8 text" })
    );
    assert_eq!(snapshot(&site).await, before);
}

#[tokio::test]
async fn messages_are_at_most_4000_characters() {
    let site = Site::in_memory();
    let visitor = Who::Visitor(anonymous_id(3));
    let long = site
        .widget(
            Method::POST,
            "/messaging/messages",
            &visitor,
            Some(json!({ "text": "é".repeat(4_001) })),
        )
        .await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        long.json(),
        json!({ "error": "text is longer than 4000 characters" })
    );
    let blank = site
        .widget(
            Method::POST,
            "/messaging/messages",
            &visitor,
            Some(json!({ "text": "  " })),
        )
        .await;
    assert_eq!(blank.json(), json!({ "error": "text is empty" }));
    assert_eq!(site.agent_users().await, json!([]), "nothing created");
    let longest = site
        .widget(
            Method::POST,
            "/messaging/messages",
            &visitor,
            Some(json!({ "text": "é".repeat(4_000) })),
        )
        .await;
    assert_eq!(longest.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_anonymous_id_must_be_a_lowercase_uuid_as_the_sdk_makes_them() {
    let site = Site::in_memory();
    let (kid, secret) = site.create_key("k").await;
    let token = messaging_token(
        &kid,
        &secret,
        &json!({ "scope": "user", "external_id": "ada" }),
    );
    for bad in [
        "visitor-1",
        "0B9C2F6E-3A4D-4E5F-8A6B-7C8D9E0F1A2B",
        "0b9c2f6e-3a4d-1e5f-8a6b-7c8d9e0f1a2b",
        "",
    ] {
        let answer = site
            .widget(
                Method::POST,
                "/messaging/messages",
                &Who::Visitor(bad.into()),
                Some(json!({ "text": "hi" })),
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(
            answer.json()["error"]
                .as_str()
                .unwrap()
                .contains("anonymousId"),
            "{bad:?}"
        );
        let answer = site
            .widget(
                Method::GET,
                "/messaging/conversation",
                &Who::Visitor(bad.into()),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad:?}");
        let login = site
            .request(
                Method::POST,
                "/messaging/login",
                &[],
                json!({ "jwt": token, "anonymousId": bad }).to_string(),
            )
            .await;
        assert_eq!(login.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(login.json()["error"]
            .as_str()
            .unwrap()
            .contains("anonymousId"));
    }
    assert_eq!(site.agent_users().await, json!([]), "nothing created");
}

#[tokio::test]
async fn the_widget_routes_need_one_credential() {
    let site = Site::in_memory();
    let body = r#"{"text": "hi"}"#;
    let visitor = anonymous_id(4);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![], "send Authorization: Bearer"),
        (
            vec![
                ("authorization", "Bearer x.y.z"),
                ("x-anonymous-id", &visitor),
            ],
            "not both",
        ),
        (
            vec![("authorization", "Basic YWRhOnB3")],
            "Bearer <messaging token>",
        ),
        (
            vec![("authorization", "Bearer")],
            "Bearer <messaging token>",
        ),
    ];
    for (headers, says) in &cases {
        for (method, path) in [
            (Method::POST, "/messaging/messages"),
            (Method::GET, "/messaging/conversation"),
        ] {
            let answer = site.request(method.clone(), path, headers, body).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path} {headers:?}");
            assert!(
                answer.json()["error"].as_str().unwrap().contains(says),
                "{path} {headers:?}: {:?}",
                answer.body
            );
        }
    }
    // The email prompt is for visitors only.
    let answer = site
        .request(
            Method::POST,
            "/messaging/email",
            &[("authorization", "Bearer x.y.z")],
            r#"{"email": "a@b.test"}"#,
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.json()["error"]
        .as_str()
        .unwrap()
        .contains("unauthenticated visitors"));
    for email in ["", "nobody", "a b@c.test"] {
        let answer = site
            .widget(
                Method::POST,
                "/messaging/email",
                &Who::Visitor(visitor.clone()),
                Some(json!({ "email": email })),
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{email:?}");
        assert!(
            answer.json()["error"].as_str().unwrap().contains("email"),
            "{email:?}"
        );
    }
    assert_eq!(site.agent_users().await, json!([]), "nothing created");
}

#[tokio::test]
async fn no_route_panics_whatever_it_is_sent() {
    let site = Site::in_memory();
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let bodies: Vec<Vec<u8>> = vec![
        vec![],
        b"\x00\x01\x02".to_vec(),
        deep.into_bytes(),
        br#"{"jwt": "a.b.c", "anonymousId": 5}"#.to_vec(),
        br#"{"jwt": null}"#.to_vec(),
        br#"{"text": 1e999}"#.to_vec(),
        br#"{"name": "\ud800"}"#.to_vec(),
        br#"{"jwt": "eyJhbGciOiJIUzI1NiJ9.eyJ9.x"}"#.to_vec(),
        br#"{"jwt": "....", "profile": "contact-center"}"#.to_vec(),
        br#"{"emailIdentities": ["verified_only"]}"#.to_vec(),
        br#"{"email": "\u0000@x"}"#.to_vec(),
    ];
    let routes = [
        (Method::POST, "/messaging/login"),
        (Method::POST, "/messaging/messages"),
        (Method::POST, "/messaging/email"),
        (Method::GET, "/messaging/conversation"),
        (Method::POST, "/contact-center/engagements"),
        (Method::POST, "/admin/keys"),
        (Method::GET, "/admin/keys"),
        (Method::DELETE, "/admin/keys/%00%ff"),
        (Method::PUT, "/admin/settings"),
        (Method::PUT, "/admin/contact-center-key"),
        (Method::POST, "/admin/check-token"),
        (Method::GET, "/agent/users"),
    ];
    let visitor = anonymous_id(5);
    let header_sets: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("authorization", &bearer)],
        vec![("x-anonymous-id", &visitor)],
        vec![("authorization", "Bearer  ")],
    ];
    for (method, path) in routes {
        for headers in &header_sets {
            for body in &bodies {
                let answer = site
                    .request(method.clone(), path, headers, body.clone())
                    .await;
                assert!(
                    answer.status.is_success() || answer.status.is_client_error(),
                    "{method} {path}: {}",
                    answer.status
                );
                if answer.status.is_client_error()
                    && answer.status != StatusCode::METHOD_NOT_ALLOWED
                {
                    assert!(
                        answer.json()["error"].is_string(),
                        "{method} {path}: {:?}",
                        answer.body
                    );
                }
            }
        }
    }
}
