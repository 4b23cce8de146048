//! The emulator's admin routes through the real router: the admin token, signing keys (the
//! secret shown once, the 11th refused, a deleted key's tokens refused), settings, the
//! contact-centre key, and check-token (which changes nothing).
mod common;

use axum::http::{header, Method, StatusCode};
use common::{anonymous_id, messaging_token, now, Site, Who, ADMIN_TOKEN};
use serde_json::{json, Value};

/// Every admin route, with a body it would accept.
fn admin_routes() -> Vec<(Method, &'static str, &'static str)> {
    vec![
        (Method::POST, "/admin/keys", r#"{"name": "k"}"#),
        (Method::GET, "/admin/keys", ""),
        (
            Method::DELETE,
            "/admin/keys/app_000000000000000000000000",
            "",
        ),
        (
            Method::PUT,
            "/admin/settings",
            r#"{"emailIdentities": "verified_only"}"#,
        ),
        (Method::GET, "/admin/settings", ""),
        (
            Method::PUT,
            "/admin/contact-center-key",
            "-----BEGIN PUBLIC KEY-----",
        ),
        (Method::POST, "/admin/check-token", r#"{"jwt": "x"}"#),
        (Method::GET, "/agent/users", ""),
    ]
}

#[tokio::test]
async fn admin_routes_answer_401_without_the_admin_token() {
    let site = Site::in_memory();
    let wrong = format!("Bearer {ADMIN_TOKEN}x");
    let short = format!("Bearer {}", &ADMIN_TOKEN[..ADMIN_TOKEN.len() - 1]);
    let basic = format!("Basic {ADMIN_TOKEN}");
    let credentials: [&[(&str, &str)]; 5] = [
        &[],
        &[("authorization", &wrong)],
        &[("authorization", &short)],
        &[("authorization", &basic)],
        &[("authorization", "Bearer ")],
    ];
    for (method, path, body) in admin_routes() {
        for headers in credentials {
            let answer = site.request(method.clone(), path, headers, body).await;
            assert_eq!(
                answer.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} {headers:?}"
            );
            assert!(answer.json()["error"]
                .as_str()
                .unwrap()
                .contains("admin token"));
            assert_eq!(answer.header(header::WWW_AUTHENTICATE), "Bearer");
        }
    }
    // Nothing was created by the refused requests.
    assert_eq!(
        site.admin(Method::GET, "/admin/keys", None)
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // (the one key is the demo site's own, made at start)

    // The scheme's case does not matter.
    let lower = format!("bearer {ADMIN_TOKEN}");
    let answer = site
        .request(Method::GET, "/admin/keys", &[("authorization", &lower)], "")
        .await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn a_key_is_created_with_its_secret_shown_once_then_listed_by_prefix() {
    let site = Site::in_memory();
    let answer = site
        .admin(
            Method::POST,
            "/admin/keys",
            Some(json!({ "name": "Production" })),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let created = answer.json();
    let kid = created["kid"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert_eq!(created["name"], "Production");
    assert!(kid.starts_with("app_") && kid.len() == 28, "{kid}");
    assert_eq!(secret.len(), 43, "32 random bytes as base64url");
    assert!(secret
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(created.as_object().unwrap().len(), 3);

    let list = site.admin(Method::GET, "/admin/keys", None).await;
    assert_eq!(list.status, StatusCode::OK);
    let listed = list.json();
    let entry = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["kid"] == kid.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        entry,
        json!({ "kid": kid, "name": "Production", "secretPrefix": &secret[..6] })
    );
    // The whole secret (or any 7 characters of it) is never in the list again.
    let text = String::from_utf8(list.body.to_vec()).unwrap();
    assert!(!text.contains(&secret[..7]), "{text}");
    assert!(!text.contains("\"secret\""));

    // Two keys never share a kid or a secret.
    let (other_kid, other_secret) = site.create_key("Staging").await;
    assert_ne!(other_kid, kid);
    assert_ne!(other_secret, secret);
}

#[tokio::test]
async fn the_eleventh_key_is_refused_until_one_is_deleted() {
    let site = Site::in_memory();
    // The demo site's own key is the first of the ten.
    let mut kids = Vec::new();
    for n in 1..10 {
        kids.push(site.create_key(&format!("key {n}")).await.0);
    }
    let eleventh = site
        .admin(
            Method::POST,
            "/admin/keys",
            Some(json!({ "name": "one too many" })),
        )
        .await;
    assert_eq!(eleventh.status, StatusCode::CONFLICT);
    assert_eq!(eleventh.json(), json!({ "error": "key_limit" }));
    assert_eq!(
        site.admin(Method::GET, "/admin/keys", None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        10
    );

    let deleted = site
        .admin(Method::DELETE, &format!("/admin/keys/{}", kids[0]), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(deleted.body.is_empty());
    site.create_key("now there is room").await;
    let again = site
        .admin(
            Method::POST,
            "/admin/keys",
            Some(json!({ "name": "no room" })),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_deleted_keys_tokens_are_unknown_kid() {
    let site = Site::in_memory();
    let (kid, secret) = site.create_key("soon gone").await;
    let token = messaging_token(
        &kid,
        &secret,
        &json!({ "scope": "user", "external_id": "ada" }),
    );
    let login = |jwt: String| {
        let body = json!({ "jwt": jwt }).to_string();
        site.request(Method::POST, "/messaging/login", &[], body)
    };
    assert_eq!(login(token.clone()).await.status, StatusCode::OK);

    assert_eq!(
        site.admin(Method::DELETE, &format!("/admin/keys/{kid}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let refused = login(token.clone()).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json(), json!({ "error": "unknown_kid" }));
    let sent = site
        .widget(
            Method::POST,
            "/messaging/messages",
            &Who::Token(token),
            Some(json!({ "text": "hi" })),
        )
        .await;
    assert_eq!(sent.json(), json!({ "error": "unknown_kid" }));

    // Deleting it again, or a kid never made: 404.
    let again = site
        .admin(Method::DELETE, &format!("/admin/keys/{kid}"), None)
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.json()["error"].as_str().unwrap().contains("no key"));
}

#[tokio::test]
async fn key_names_are_checked() {
    let site = Site::in_memory();
    for (body, says) in [
        (json!({}), "missing field `name`"),
        (json!({ "name": "" }), "name is empty"),
        (json!({ "name": "x".repeat(256) }), "longer than 255"),
        (
            json!({ "name": "a", "secret": "mine" }),
            "unknown field `secret`",
        ),
        (json!({ "name": 5 }), "bad JSON"),
    ] {
        let answer = site
            .admin(Method::POST, "/admin/keys", Some(body.clone()))
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            answer.json()["error"].as_str().unwrap().contains(says),
            "{body}: {:?}",
            answer.body
        );
    }
}

#[tokio::test]
async fn the_email_setting_takes_its_three_values_and_nothing_else() {
    let site = Site::in_memory();
    let get = || async {
        site.admin(Method::GET, "/admin/settings", None)
            .await
            .json()["emailIdentities"]
            .clone()
    };
    assert_eq!(get().await, "verified_only");
    for value in [
        "verified_and_unverified",
        "unauthenticated_can_claim_verified",
        "verified_only",
    ] {
        let answer = site
            .admin(
                Method::PUT,
                "/admin/settings",
                Some(json!({ "emailIdentities": value })),
            )
            .await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT, "{value}");
        assert_eq!(get().await, value);
    }
    for body in [
        json!({ "emailIdentities": "everything" }),
        json!({ "emailIdentities": "VERIFIED_ONLY" }),
        json!({ "emailIdentities": 1 }),
        json!({}),
        json!({ "emailIdentities": "verified_only", "more": true }),
    ] {
        let answer = site
            .admin(Method::PUT, "/admin/settings", Some(body.clone()))
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(get().await, "verified_only", "{body}: unchanged");
    }
}

#[tokio::test]
async fn the_contact_center_key_is_a_pem_public_key() {
    let site = Site::in_memory();
    // At start the demo site registered its own ES256 public key.
    let settings = site
        .admin(Method::GET, "/admin/settings", None)
        .await
        .json();
    let registered = settings["contactCenterKey"].as_str().unwrap().to_owned();
    assert_eq!(registered, site.state.keys.es256_public_pem);

    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let put = |body: String| {
        let bearer = bearer.clone();
        let site = &site;
        async move {
            site.request(
                Method::PUT,
                "/admin/contact-center-key",
                &[
                    ("authorization", &bearer),
                    ("content-type", "application/x-pem-file"),
                ],
                body,
            )
            .await
        }
    };
    for bad in [
        String::new(),
        "hello".into(),
        "-----BEGIN PUBLIC KEY-----\naGVsbG8=\n-----END PUBLIC KEY-----\n".into(),
    ] {
        let answer = put(bad.clone()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            answer.json()["error"]
                .as_str()
                .unwrap()
                .contains("public key"),
            "{bad}"
        );
    }
    let unchanged = site
        .admin(Method::GET, "/admin/settings", None)
        .await
        .json();
    assert_eq!(unchanged["contactCenterKey"], registered.as_str());

    let other = p256::SecretKey::random(&mut rand::rngs::OsRng);
    let other_pem = {
        use p256::pkcs8::{EncodePublicKey, LineEnding};
        other
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap()
    };
    assert_eq!(put(other_pem.clone()).await.status, StatusCode::NO_CONTENT);
    let now_set = site
        .admin(Method::GET, "/admin/settings", None)
        .await
        .json();
    assert_eq!(now_set["contactCenterKey"], other_pem.as_str());
}

#[tokio::test]
async fn check_token_says_what_would_happen_and_changes_nothing() {
    let site = Site::in_memory();
    let (kid, secret) = site.create_key("backend").await;
    let token = |claims: Value| messaging_token(&kid, &secret, &claims);
    let check = |jwt: String, profile: Option<&str>| {
        let mut body = json!({ "jwt": jwt });
        if let Some(profile) = profile {
            body["profile"] = json!(profile);
        }
        let site = &site;
        async move {
            let answer = site
                .admin(Method::POST, "/admin/check-token", Some(body))
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
            answer.json()
        }
    };

    // A new user: valid, the claims, and who it would be.
    let ada = token(
        json!({ "scope": "user", "external_id": "ada", "email": "Ada@Example.test", "email_verified": true, "exp": now() + 600 }),
    );
    let verdict = check(ada.clone(), None).await;
    assert_eq!(verdict["valid"], true);
    assert!(verdict.get("reason").is_none());
    assert_eq!(verdict["claims"]["external_id"], "ada");
    assert_eq!(
        verdict["user"],
        json!({ "match": "new", "userId": null, "email": "ada@example.test" })
    );
    assert_eq!(
        site.agent_users().await,
        json!([]),
        "check-token created nothing"
    );

    // After a login, the same token names that user.
    let login = site
        .request(
            Method::POST,
            "/messaging/login",
            &[],
            json!({ "jwt": ada }).to_string(),
        )
        .await
        .json();
    let verdict = check(ada.clone(), Some("messaging")).await;
    assert_eq!(verdict["user"]["match"], "external_id");
    assert_eq!(verdict["user"]["userId"], login["userId"]);

    // Another external_id with ada's verified email: email_conflict, with the claims.
    let mallory = token(
        json!({ "scope": "user", "external_id": "mallory", "email": "ada@example.test", "email_verified": true }),
    );
    let verdict = check(mallory, None).await;
    assert_eq!(
        (verdict["valid"].clone(), verdict["reason"].clone()),
        (json!(false), json!("email_conflict"))
    );
    assert_eq!(verdict["claims"]["external_id"], "mallory");

    // Refused tokens: the reason, no claims.
    let verdict = check(
        token(json!({ "scope": "admin", "external_id": "ada" })),
        None,
    )
    .await;
    assert_eq!(
        verdict,
        json!({ "valid": false, "reason": "invalid_scope" })
    );
    let verdict = check(
        messaging_token(
            "app_nope",
            &secret,
            &json!({ "scope": "user", "external_id": "a" }),
        ),
        None,
    )
    .await;
    assert_eq!(verdict, json!({ "valid": false, "reason": "unknown_kid" }));

    // The contact-centre profile: the demo site's ES256 token verifies with the registered key;
    // a messaging token there is unsupported_alg.
    let cookie = site.login(r#"{"username": "grace"}"#).await;
    let es256 = site.token("/auth/jwt", &cookie).await;
    let verdict = check(es256.clone(), Some("contact-center")).await;
    assert_eq!(verdict["valid"], true);
    assert_eq!(verdict["claims"]["external_id"], "grace");
    assert!(verdict.get("user").is_none());
    let verdict = check(ada.clone(), Some("contact-center")).await;
    assert_eq!(
        verdict,
        json!({ "valid": false, "reason": "unsupported_alg" })
    );
    // And an ES256 token under the messaging profile.
    assert_eq!(
        check(es256, None).await,
        json!({ "valid": false, "reason": "unsupported_alg" })
    );

    let before = site.agent_users().await;
    let bad_profile = site
        .admin(
            Method::POST,
            "/admin/check-token",
            Some(json!({ "jwt": ada, "profile": "sms" })),
        )
        .await;
    assert_eq!(bad_profile.status, StatusCode::BAD_REQUEST);
    assert!(bad_profile.json()["error"]
        .as_str()
        .unwrap()
        .contains("profile"));
    assert_eq!(site.agent_users().await, before);
}

#[tokio::test]
async fn the_agents_list_shows_users_emails_and_messages() {
    let site = Site::in_memory();
    let (kid, secret) = site.create_key("backend").await;
    let visitor = anonymous_id(1);
    site.widget(
        Method::POST,
        "/messaging/messages",
        &Who::Visitor(visitor.clone()),
        Some(json!({ "text": "hello?" })),
    )
    .await;
    let users = site.agent_users().await;
    let anonymous = &users[0];
    assert_eq!(anonymous["authenticated"], false);
    assert_eq!(anonymous["externalId"], Value::Null);
    assert_eq!(anonymous["name"], Value::Null);
    assert_eq!(anonymous["emails"], json!([]));
    assert_eq!(anonymous["messages"][0]["text"], "hello?");
    assert_eq!(anonymous["messages"][0]["authenticated"], false);
    assert!(anonymous["messages"][0]["at"].as_u64().unwrap() / 1000 >= now() - 5);

    let token = messaging_token(
        &kid,
        &secret,
        &json!({ "scope": "user", "external_id": "ada", "name": "Ada Lovelace", "email": "ada@example.test", "email_verified": true }),
    );
    site.request(
        Method::POST,
        "/messaging/login",
        &[],
        json!({ "jwt": token, "anonymousId": visitor }).to_string(),
    )
    .await;
    let users = site.agent_users().await;
    assert_eq!(
        users.as_array().unwrap().len(),
        1,
        "the anonymous record is gone: {users}"
    );
    let ada = &users[0];
    assert_eq!(
        (
            ada["name"].clone(),
            ada["externalId"].clone(),
            ada["authenticated"].clone(),
            ada["emails"].clone()
        ),
        (
            json!("Ada Lovelace"),
            json!("ada"),
            json!(true),
            json!([{ "address": "ada@example.test", "verified": true }])
        )
    );
    assert_eq!(ada["messages"][0]["text"], "hello?");
    let keys: Vec<&str> = ada
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 6, "{keys:?}");
}
