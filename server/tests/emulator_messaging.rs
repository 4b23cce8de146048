//! The widget's routes through the real router: anonymous messages, a login that merges them,
//! the same user on another device, logout, the email prompt under each setting, email
//! conflicts, and every rejection reason answered as 401 without a change.
mod common;

use axum::http::{Method, StatusCode};
use common::{anonymous_id, messaging_token, now, Site, Who};
use serde_json::{json, Value};

/// A site with a key a test backend signs with.
struct Emulated {
    site: Site,
    kid: String,
    secret: String,
}

impl Emulated {
    async fn new() -> Emulated {
        let site = Site::in_memory();
        let (kid, secret) = site.create_key("test backend").await;
        Emulated { site, kid, secret }
    }

    fn token(&self, claims: Value) -> String {
        messaging_token(&self.kid, &self.secret, &claims)
    }

    /// A token for `external_id` (living 10 minutes), with `extra` claims.
    fn user(&self, external_id: &str, extra: Value) -> String {
        let mut claims = json!({ "scope": "user", "external_id": external_id, "exp": now() + 600 });
        if let (Some(claims), Value::Object(extra)) = (claims.as_object_mut(), extra) {
            claims.extend(extra);
        }
        self.token(claims)
    }

    async fn send(&self, who: &Who, text: &str) -> Value {
        let answer = self
            .site
            .widget(
                Method::POST,
                "/messaging/messages",
                who,
                Some(json!({ "text": text })),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "{text}: {:?}",
            answer.body
        );
        answer.json()
    }

    async fn login(&self, jwt: &str, anonymous: Option<&str>) -> (StatusCode, Value) {
        let mut body = json!({ "jwt": jwt });
        if let Some(id) = anonymous {
            body["anonymousId"] = json!(id);
        }
        let answer = self
            .site
            .request(
                Method::POST,
                "/messaging/login",
                &[("content-type", "application/json")],
                body.to_string(),
            )
            .await;
        (answer.status, answer.json())
    }

    async fn conversation(&self, who: &Who) -> Value {
        let answer = self
            .site
            .widget(Method::GET, "/messaging/conversation", who, None)
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        answer.json()
    }

    async fn give_email(&self, visitor: &str, email: &str) -> StatusCode {
        self.site
            .widget(
                Method::POST,
                "/messaging/email",
                &Who::Visitor(visitor.into()),
                Some(json!({ "email": email })),
            )
            .await
            .status
    }

    async fn set_email_identities(&self, value: &str) {
        let answer = self
            .site
            .admin(
                Method::PUT,
                "/admin/settings",
                Some(json!({ "emailIdentities": value })),
            )
            .await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT);
    }

    /// The agents' view of the user with this id.
    async fn agent_user(&self, user_id: &Value) -> Value {
        self.site
            .agent_users()
            .await
            .as_array()
            .unwrap()
            .iter()
            .find(|user| user["userId"] == *user_id)
            .cloned()
            .unwrap_or(Value::Null)
    }
}

fn texts(conversation: &Value) -> Vec<(String, bool)> {
    conversation["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["text"].as_str().unwrap().to_owned(),
                m["authenticated"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, bool)]) -> Vec<(String, bool)> {
    list.iter().map(|(t, a)| ((*t).to_owned(), *a)).collect()
}

#[tokio::test]
async fn anonymous_messages_then_a_login_merges_them_in_order() {
    let e = Emulated::new().await;
    let visitor = Who::Visitor(anonymous_id(1));
    // A visitor never seen: nothing, and reading creates nothing.
    assert_eq!(
        e.conversation(&visitor).await,
        json!({ "userId": null, "messages": [] })
    );
    assert_eq!(e.site.agent_users().await, json!([]));

    let first = e.send(&visitor, "hello, anyone?").await;
    assert_eq!(first["authenticated"], false);
    let second = e.send(&visitor, "my order is late").await;
    assert_eq!(second["userId"], first["userId"]);
    assert!(second["id"].as_i64() > first["id"].as_i64());

    // The same user already wrote from another device, before.
    let ada = e.user("ada", json!({ "name": "Ada Lovelace" }));
    e.send(&Who::Token(ada.clone()), "from my phone").await;

    let (status, login) = e.login(&ada, Some(&anonymous_id(1))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(login["externalId"], "ada");
    assert_eq!(login["name"], "Ada Lovelace");
    assert_eq!(login["email"], Value::Null);
    assert_eq!(login["merged"], 2);
    let conversation = e.conversation(&Who::Token(ada.clone())).await;
    assert_eq!(conversation["userId"], login["userId"]);
    // In the order sent, each with whether its sender was authenticated then.
    assert_eq!(
        texts(&conversation),
        pairs(&[
            ("hello, anyone?", false),
            ("my order is late", false),
            ("from my phone", true)
        ])
    );
    let times: Vec<u64> = conversation["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["at"].as_u64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    // The anonymous record is gone; its anonymousId now names a new, empty visitor and never
    // reads the user's conversation.
    assert_eq!(
        e.conversation(&visitor).await,
        json!({ "userId": null, "messages": [] })
    );
    let again = e.send(&visitor, "is this still me?").await;
    assert_ne!(again["userId"], login["userId"]);
    assert_eq!(
        texts(&e.conversation(&visitor).await),
        pairs(&[("is this still me?", false)])
    );

    // Logging in again without a visitor merges nothing.
    let (_, relogin) = e.login(&ada, None).await;
    assert_eq!(relogin["merged"], 0);
    assert_eq!(relogin["userId"], login["userId"]);
}

#[tokio::test]
async fn merged_messages_take_their_place_by_time() {
    let e = Emulated::new().await;
    let ada = e.user("ada", json!({}));
    let visitor = Who::Visitor(anonymous_id(2));
    e.send(&Who::Token(ada.clone()), "1 phone").await;
    e.send(&visitor, "2 laptop, not logged in").await;
    e.send(&Who::Token(ada.clone()), "3 phone").await;
    e.send(&visitor, "4 laptop, not logged in").await;
    let (_, login) = e.login(&ada, Some(&anonymous_id(2))).await;
    assert_eq!(login["merged"], 2);
    assert_eq!(
        texts(&e.conversation(&Who::Token(ada)).await),
        pairs(&[
            ("1 phone", true),
            ("2 laptop, not logged in", false),
            ("3 phone", true),
            ("4 laptop, not logged in", false)
        ])
    );
}

#[tokio::test]
async fn the_same_external_id_on_another_device_sees_the_same_conversation() {
    let e = Emulated::new().await;
    let laptop = e.user("ada", json!({}));
    e.send(&Who::Token(laptop.clone()), "from the laptop").await;
    // Another device: another token (another name even) for the same external_id.
    let phone = e.user("ada", json!({ "name": "Ada on her phone" }));
    let (_, login) = e.login(&phone, Some(&anonymous_id(3))).await;
    assert_eq!(login["merged"], 0, "the phone's visitor never wrote");
    let seen = e.conversation(&Who::Token(phone.clone())).await;
    assert_eq!(texts(&seen), pairs(&[("from the laptop", true)]));
    assert_eq!(seen["userId"], login["userId"]);
    e.send(&Who::Token(phone), "from the phone").await;
    assert_eq!(
        texts(&e.conversation(&Who::Token(laptop)).await),
        pairs(&[("from the laptop", true), ("from the phone", true)])
    );
}

#[tokio::test]
async fn after_logout_the_new_anonymous_visitor_does_not_see_the_users_conversation() {
    let e = Emulated::new().await;
    let ada = e.user("ada", json!({}));
    e.send(&Who::Token(ada.clone()), "private").await;
    // The SDK's new anonymousId after logout.
    let after_logout = Who::Visitor(anonymous_id(4));
    assert_eq!(
        e.conversation(&after_logout).await,
        json!({ "userId": null, "messages": [] })
    );
    let sent = e.send(&after_logout, "hello again").await;
    assert_eq!(sent["authenticated"], false);
    assert_eq!(
        texts(&e.conversation(&after_logout).await),
        pairs(&[("hello again", false)])
    );
    assert_eq!(e.site.agent_users().await.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_expired_token_is_401_expired_on_every_call() {
    let e = Emulated::new().await;
    let expired = e.token(json!({ "scope": "user", "external_id": "ada", "exp": now() - 1 }));
    let who = Who::Token(expired.clone());
    for answer in [
        e.site
            .widget(
                Method::POST,
                "/messaging/messages",
                &who,
                Some(json!({ "text": "hi" })),
            )
            .await,
        e.site
            .widget(Method::GET, "/messaging/conversation", &who, None)
            .await,
    ] {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.json(), json!({ "error": "expired" }));
    }
    assert_eq!(
        e.login(&expired, None).await,
        (StatusCode::UNAUTHORIZED, json!({ "error": "expired" }))
    );
    assert_eq!(e.site.agent_users().await, json!([]));
}

#[tokio::test]
async fn every_rejection_reason_is_401_and_changes_nothing() {
    let e = Emulated::new().await;
    let visitor = anonymous_id(5);
    e.send(&Who::Visitor(visitor.clone()), "before").await;
    // A user holding bo@example.test verified, for the conflict.
    e.login(
        &e.user(
            "bo",
            json!({ "email": "bo@example.test", "email_verified": true }),
        ),
        None,
    )
    .await;
    let before = e.site.agent_users().await;

    let es256 = {
        let cookie = e.site.login(r#"{"username": "grace"}"#).await;
        e.site.token("/auth/jwt", &cookie).await
    };
    let table: Vec<(&str, String)> = vec![
        ("malformed", "not.a.jwt".into()),
        ("unsupported_alg", es256),
        (
            "unknown_kid",
            messaging_token(
                "app_unknown",
                &e.secret,
                &json!({ "scope": "user", "external_id": "ada" }),
            ),
        ),
        (
            "bad_signature",
            messaging_token(
                &e.kid,
                "not-the-secret",
                &json!({ "scope": "user", "external_id": "ada" }),
            ),
        ),
        (
            "invalid_scope",
            e.token(json!({ "scope": "agent", "external_id": "ada" })),
        ),
        ("missing_external_id", e.token(json!({ "scope": "user" }))),
        (
            "external_id_too_long",
            e.token(json!({ "scope": "user", "external_id": "x".repeat(256) })),
        ),
        (
            "expired",
            e.token(json!({ "scope": "user", "external_id": "ada", "exp": now() - 60 })),
        ),
        (
            "email_conflict",
            e.user(
                "mallory",
                json!({ "email": "bo@example.test", "email_verified": true }),
            ),
        ),
    ];
    for (reason, jwt) in &table {
        let (status, answer) = e.login(jwt, Some(&visitor)).await;
        assert_eq!(
            (status, answer),
            (StatusCode::UNAUTHORIZED, json!({ "error": reason })),
            "login: {reason}"
        );
        let sent = e
            .site
            .widget(
                Method::POST,
                "/messaging/messages",
                &Who::Token(jwt.clone()),
                Some(json!({ "text": "x" })),
            )
            .await;
        assert_eq!(
            (sent.status, sent.json()),
            (StatusCode::UNAUTHORIZED, json!({ "error": reason })),
            "message: {reason}"
        );
    }
    assert_eq!(e.site.agent_users().await, before, "nothing changed");
    // The visitor stays anonymous, with its conversation, and keeps chatting.
    let sent = e.send(&Who::Visitor(visitor.clone()), "still here").await;
    assert_eq!(sent["authenticated"], false);
    assert_eq!(
        texts(&e.conversation(&Who::Visitor(visitor)).await),
        pairs(&[("before", false), ("still here", false)])
    );
}

#[tokio::test]
async fn the_contact_center_channel_takes_es256_tokens_only() {
    let e = Emulated::new().await;
    let cookie = e
        .site
        .login(r#"{"username": "grace", "email": "grace@example.test"}"#)
        .await;
    let es256 = e.site.token("/auth/jwt", &cookie).await;
    let engage = |jwt: String| {
        let body = json!({ "jwt": jwt }).to_string();
        let site = &e.site;
        async move {
            let answer = site
                .request(Method::POST, "/contact-center/engagements", &[], body)
                .await;
            (answer.status, answer.json())
        }
    };
    let (status, answer) = engage(es256.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["authenticationStatus"], true);
    assert_eq!(answer["consumer"]["external_id"], "grace");
    assert_eq!(answer["consumer"]["email"], "grace@example.test");
    assert!(answer["consumer"]["exp"].as_u64().unwrap() > now());

    let messaging = e.user("grace", json!({}));
    assert_eq!(
        engage(messaging).await,
        (
            StatusCode::UNAUTHORIZED,
            json!({ "error": "unsupported_alg" })
        )
    );
    assert_eq!(
        engage("x.y.z".into()).await,
        (StatusCode::UNAUTHORIZED, json!({ "error": "malformed" }))
    );
    // ...and the messaging channel refuses the ES256 token.
    assert_eq!(
        e.login(&es256, None).await,
        (
            StatusCode::UNAUTHORIZED,
            json!({ "error": "unsupported_alg" })
        )
    );
}

#[tokio::test]
async fn a_verified_email_finds_a_user_without_external_id_only_when_claimed() {
    // verified_and_unverified: the visitor's address is an unverified identity; a token with it
    // verified makes a new user and the identity moves to it.
    let e = Emulated::new().await;
    e.set_email_identities("verified_and_unverified").await;
    let visitor = anonymous_id(6);
    assert_eq!(
        e.give_email(&visitor, "Carol@Example.test").await,
        StatusCode::NO_CONTENT
    );
    let visitor_record = e.conversation(&Who::Visitor(visitor.clone())).await;
    assert_eq!(
        texts(&visitor_record),
        pairs(&[("carol@example.test", false)]),
        "kept in the chat history"
    );
    let user = e.agent_user(&visitor_record["userId"]).await;
    assert_eq!(
        user["emails"],
        json!([{ "address": "carol@example.test", "verified": false }])
    );

    let carol = e.user(
        "carol",
        json!({ "email": "carol@example.test", "email_verified": true }),
    );
    let (_, login) = e.login(&carol, None).await;
    assert_ne!(
        login["userId"], visitor_record["userId"],
        "an unverified identity does not count"
    );
    assert_eq!(
        e.agent_user(&login["userId"]).await["emails"],
        json!([{ "address": "carol@example.test", "verified": true }])
    );
    assert_eq!(
        e.agent_user(&visitor_record["userId"]).await["emails"],
        json!([]),
        "superseded"
    );

    // unauthenticated_can_claim_verified: the first visitor to give a free address holds it
    // verified, and a later token with that verified email and a new external_id finds it.
    e.set_email_identities("unauthenticated_can_claim_verified")
        .await;
    let claimer = anonymous_id(7);
    e.send(&Who::Visitor(claimer.clone()), "hi").await;
    assert_eq!(
        e.give_email(&claimer, "dave@example.test").await,
        StatusCode::NO_CONTENT
    );
    let claimed = e.conversation(&Who::Visitor(claimer.clone())).await["userId"].clone();
    assert_eq!(
        e.agent_user(&claimed).await["emails"],
        json!([{ "address": "dave@example.test", "verified": true }])
    );
    // A second visitor giving the same address gets no identity.
    let second = anonymous_id(8);
    e.give_email(&second, "dave@example.test").await;
    let second_id = e.conversation(&Who::Visitor(second)).await["userId"].clone();
    assert_ne!(second_id, claimed);
    assert_eq!(e.agent_user(&second_id).await["emails"], json!([]));

    let dave = e.user(
        "dave-77",
        json!({ "email": "dave@example.test", "email_verified": true }),
    );
    let (_, login) = e.login(&dave, None).await;
    assert_eq!(
        login["userId"], claimed,
        "the record that claimed the address"
    );
    let user = e.agent_user(&claimed).await;
    assert_eq!(
        (user["externalId"].clone(), user["authenticated"].clone()),
        (json!("dave-77"), json!(true))
    );
    assert_eq!(
        texts(&user),
        pairs(&[("hi", false), ("dave@example.test", false)])
    );
    // Its anonymousId no longer names it.
    assert_eq!(
        e.conversation(&Who::Visitor(claimer)).await["userId"],
        Value::Null
    );
}

#[tokio::test]
async fn verified_only_keeps_the_address_in_the_history_only() {
    let e = Emulated::new().await;
    let visitor = anonymous_id(9);
    assert_eq!(
        e.give_email(&visitor, "erin@example.test").await,
        StatusCode::NO_CONTENT
    );
    let conversation = e.conversation(&Who::Visitor(visitor)).await;
    assert_eq!(texts(&conversation), pairs(&[("erin@example.test", false)]));
    assert_eq!(
        e.agent_user(&conversation["userId"]).await["emails"],
        json!([])
    );

    // A token's unverified email is ignored and never shown.
    let (_, login) = e
        .login(
            &e.user(
                "frank",
                json!({ "email": "frank@example.test", "email_verified": false }),
            ),
            None,
        )
        .await;
    assert_eq!(login["email"], Value::Null);
    let user = e.agent_user(&login["userId"]).await;
    assert_eq!(user["emails"], json!([]));
    assert!(!e
        .site
        .agent_users()
        .await
        .to_string()
        .contains("frank@example.test"));
}

#[tokio::test]
async fn an_address_that_is_someones_verified_identity_is_never_given_to_a_visitor() {
    let e = Emulated::new().await;
    e.login(
        &e.user(
            "ada",
            json!({ "email": "ada@example.test", "email_verified": true }),
        ),
        None,
    )
    .await;
    for setting in [
        "verified_only",
        "verified_and_unverified",
        "unauthenticated_can_claim_verified",
    ] {
        e.set_email_identities(setting).await;
        let visitor = anonymous_id(10 + setting.len() as u64);
        assert_eq!(
            e.give_email(&visitor, "ada@example.test").await,
            StatusCode::NO_CONTENT,
            "{setting}"
        );
        let record = e.conversation(&Who::Visitor(visitor)).await["userId"].clone();
        let user = e.agent_user(&record).await;
        assert_eq!(
            user["authenticated"], false,
            "{setting}: a record of its own"
        );
        assert_eq!(user["emails"], json!([]), "{setting}");
    }
}

#[tokio::test]
async fn a_login_with_an_email_conflict_keeps_the_visitor_anonymous_and_chatting() {
    let e = Emulated::new().await;
    e.login(
        &e.user(
            "bo",
            json!({ "email": "shared@example.test", "email_verified": true }),
        ),
        None,
    )
    .await;
    let visitor = anonymous_id(20);
    e.send(&Who::Visitor(visitor.clone()), "hi").await;
    let conflicting = e.user(
        "ada",
        json!({ "email": "shared@example.test", "email_verified": true }),
    );
    assert_eq!(
        e.login(&conflicting, Some(&visitor)).await,
        (
            StatusCode::UNAUTHORIZED,
            json!({ "error": "email_conflict" })
        )
    );
    let sent = e
        .send(&Who::Visitor(visitor.clone()), "still anonymous")
        .await;
    assert_eq!(sent["authenticated"], false);
    assert_eq!(
        texts(&e.conversation(&Who::Visitor(visitor)).await),
        pairs(&[("hi", false), ("still anonymous", false)])
    );
    assert!(e
        .site
        .agent_users()
        .await
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["externalId"] != "ada"));
}
