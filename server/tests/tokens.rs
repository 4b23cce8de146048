//! The authentication endpoints sign real tokens: ES256 that verifies with the published JWKS,
//! HS256 that verifies with the secret in the data folder.
mod common;

use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::{jwt_part, now, Site};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use messenger_demo_server::keys::HS256_FILE;
use serde_json::{json, Value};

const ADA: &str = r#"{"username": "ada", "email": "ada@example.test", "name": "Ada Lovelace"}"#;

async fn published_key(site: &Site) -> DecodingKey {
    let answer = site.get("/.well-known/jwks.json", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    let set: JwkSet = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(set.keys.len(), 1);
    DecodingKey::from_jwk(&set.keys[0]).unwrap()
}

fn verify(token: &str, key: &DecodingKey, algorithm: Algorithm) -> Value {
    decode::<Value>(token, key, &Validation::new(algorithm))
        .map(|data| data.claims)
        .unwrap_or_else(|e| panic!("does not verify: {e}"))
}

/// The messaging key the emulator gave the site, as kept in the data folder: its kid, and the
/// secret (its text is the HMAC key, 32 random bytes written as base64url).
fn shared_secret(site: &Site) -> (String, DecodingKey) {
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(site.config.data_dir.join(HS256_FILE)).unwrap(),
    )
    .unwrap();
    let secret = file["secret"].as_str().unwrap();
    assert_eq!(URL_SAFE_NO_PAD.decode(secret).unwrap().len(), 32);
    let kid = file["kid"].as_str().unwrap().to_owned();
    assert!(
        site.state.emulator.knows_key(&kid, secret).unwrap(),
        "the emulator has the site's key"
    );
    (kid, DecodingKey::from_secret(secret.as_bytes()))
}

#[tokio::test]
async fn without_a_session_both_endpoints_answer_401() {
    let site = Site::new();
    for path in ["/auth/jwt", "/auth/messaging-jwt"] {
        for cookie in [None, Some("demo_session=made-up")] {
            let answer = site.get(path, cookie).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{path}");
            assert_eq!(answer.json(), json!({ "error": "not logged in" }));
        }
    }
}

#[tokio::test]
async fn the_contact_center_token_is_es256_and_verifies_with_the_published_key() {
    let site = Site::new();
    let cookie = site.login(ADA).await;
    let answer = site.get("/auth/jwt", Some(&cookie)).await;
    assert_eq!(answer.header(axum::http::header::CACHE_CONTROL), "no-store");
    let token = answer.json()["loginUserIdJwt"].as_str().unwrap().to_owned();

    assert_eq!(
        jwt_part(&token, 0),
        json!({ "alg": "ES256", "cty": "text/plain" })
    );
    let claims = verify(&token, &published_key(&site).await, Algorithm::ES256);
    assert_eq!(claims["external_id"], "ada");
    assert_eq!(claims["name"], "Ada Lovelace");
    assert_eq!(claims["email"], "ada@example.test");
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert!(iat.abs_diff(now()) <= 2);
    assert_eq!(exp - iat, 600);

    // A tampered payload does not verify.
    let mut parts: Vec<String> = token.split('.').map(String::from).collect();
    parts[1] = URL_SAFE_NO_PAD.encode(r#"{"external_id":"mallory","exp":9999999999}"#);
    let forged = parts.join(".");
    assert!(decode::<Value>(
        &forged,
        &published_key(&site).await,
        &Validation::new(Algorithm::ES256)
    )
    .is_err());
}

#[tokio::test]
async fn the_messaging_token_is_hs256_with_kid_and_verifies_with_the_secret() {
    let site = Site::new();
    let cookie = site.login(ADA).await;
    let token = site.token("/auth/messaging-jwt", &cookie).await;

    let (kid, secret) = shared_secret(&site);
    assert_eq!(
        jwt_part(&token, 0),
        json!({ "alg": "HS256", "typ": "JWT", "kid": kid })
    );
    let claims = verify(&token, &secret, Algorithm::HS256);
    assert_eq!(claims["scope"], "user");
    assert_eq!(claims["external_id"], "ada");
    assert_eq!(claims["name"], "Ada Lovelace");
    assert_eq!(claims["email"], "ada@example.test");
    assert_eq!(claims["email_verified"], false);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        600
    );

    // Not with another secret, and not as ES256.
    assert!(decode::<Value>(
        &token,
        &DecodingKey::from_secret(&[7; 32]),
        &Validation::new(Algorithm::HS256)
    )
    .is_err());
    assert!(decode::<Value>(
        &token,
        &published_key(&site).await,
        &Validation::new(Algorithm::ES256)
    )
    .is_err());
}

#[tokio::test]
async fn email_verified_is_true_only_when_the_site_verified_the_address() {
    let site = Site::new();
    let verified = site
        .login(r#"{"username": "ada", "email": "ada@example.test", "email_verified": "on"}"#)
        .await;
    let claims = jwt_part(&site.token("/auth/messaging-jwt", &verified).await, 1);
    assert_eq!(claims["email_verified"], true);
    assert_eq!(
        site.get("/me", Some(&verified)).await.json()["user"]["email_verified"],
        true
    );
    let unverified = site.login(ADA).await;
    let claims = jwt_part(&site.token("/auth/messaging-jwt", &unverified).await, 1);
    assert_eq!(claims["email_verified"], false);
}

#[tokio::test]
async fn a_user_without_name_or_email_gets_the_username_as_name_and_no_email() {
    let site = Site::new();
    let cookie = site.login(r#"{"username": "bo"}"#).await;
    for path in ["/auth/jwt", "/auth/messaging-jwt"] {
        let claims = jwt_part(&site.token(path, &cookie).await, 1);
        assert_eq!(claims["external_id"], "bo", "{path}");
        assert_eq!(claims["name"], "bo", "{path}");
        assert!(claims.get("email").is_none(), "{path}: {claims}");
    }
}

#[tokio::test]
async fn the_lifetime_is_the_servers_unless_the_session_asked_for_one() {
    let site = Site::with_ttl(120);
    let cookie = site.login(r#"{"username": "ada"}"#).await;
    let claims = jwt_part(&site.token("/auth/jwt", &cookie).await, 1);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        120
    );

    let short = site.login(r#"{"username": "ada", "ttl": 90}"#).await;
    for path in ["/auth/jwt", "/auth/messaging-jwt"] {
        let claims = jwt_part(&site.token(path, &short).await, 1);
        assert_eq!(
            claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
            90,
            "{path}"
        );
    }
    assert_eq!(site.get("/me", Some(&short)).await.json()["tokenTtl"], 90);
}

#[tokio::test]
async fn keys_survive_a_restart_on_the_same_data_folder() {
    let first = Site::new();
    let cookie = first.login(ADA).await;
    let es256 = first.token("/auth/jwt", &cookie).await;
    let hs256 = first.token("/auth/messaging-jwt", &cookie).await;
    let jwks = first.get("/.well-known/jwks.json", None).await.json();
    let (kid, _) = shared_secret(&first);

    let second = Site::with_data_dir(first.into_data_dir(), 600);
    assert_eq!(
        second.get("/.well-known/jwks.json", None).await.json(),
        jwks
    );
    verify(&es256, &published_key(&second).await, Algorithm::ES256);
    let (kid_after, secret) = shared_secret(&second);
    assert_eq!(kid_after, kid);
    verify(&hs256, &secret, Algorithm::HS256);
}

#[tokio::test]
async fn the_jwks_publishes_only_the_public_key() {
    let site = Site::new();
    let jwks = site.get("/.well-known/jwks.json", None).await.json();
    let key = &jwks["keys"][0];
    assert_eq!(
        (
            key["kty"].as_str(),
            key["crv"].as_str(),
            key["alg"].as_str(),
            key["use"].as_str()
        ),
        (Some("EC"), Some("P-256"), Some("ES256"), Some("sig"))
    );
    assert!(key["kid"].is_string());
    assert!(key.get("d").is_none(), "no private part");
}
