//! Contact-centre tokens: ES256 with the configured public key, `exp` required.
#![allow(clippy::type_complexity)] // the tables are tuples: case, input, expected
mod common;

use common::*;
use jsonwebtoken::Algorithm;
use messenger_emulator::{verify_contact_center, ContactCenterKey, Rejection};
use serde_json::json;

#[test]
fn es256_with_the_configured_key_and_an_exp() {
    let pair = es256_pair();
    let other = es256_pair();
    let key = ContactCenterKey::parse(&pair.public_pem).unwrap();
    let claims = json!({ "external_id": "ada", "name": "Ada", "exp": NOW + 600 });
    let messaging_token = messaging(&payload(json!({ "exp": NOW + 600 })));
    let table: &[(
        &str,
        String,
        Option<&ContactCenterKey>,
        Result<(), Rejection>,
    )] = &[
        ("valid", es256(&pair, &claims), Some(&key), Ok(())),
        (
            "no key configured",
            es256(&pair, &claims),
            None,
            Err(Rejection::NoContactCenterKey),
        ),
        (
            "signed by another key",
            es256(&other, &claims),
            Some(&key),
            Err(Rejection::BadSignature),
        ),
        (
            "unsigned",
            raw(r#"{"alg":"ES256"}"#, &claims.to_string(), None),
            Some(&key),
            Err(Rejection::BadSignature),
        ),
        (
            "a messaging (HS256) token",
            messaging_token,
            Some(&key),
            Err(Rejection::UnsupportedAlg),
        ),
        (
            "none",
            raw(r#"{"alg":"none"}"#, &claims.to_string(), None),
            Some(&key),
            Err(Rejection::UnsupportedAlg),
        ),
        (
            "ES384",
            raw(r#"{"alg":"ES384"}"#, &claims.to_string(), None),
            Some(&key),
            Err(Rejection::UnsupportedAlg),
        ),
        (
            "no exp",
            es256(&pair, &json!({ "external_id": "ada" })),
            Some(&key),
            Err(Rejection::MissingExp),
        ),
        (
            "exp null",
            es256(&pair, &json!({ "exp": null })),
            Some(&key),
            Err(Rejection::MissingExp),
        ),
        (
            "exp now",
            es256(&pair, &json!({ "exp": NOW })),
            Some(&key),
            Err(Rejection::Expired),
        ),
        (
            "exp past",
            es256(&pair, &json!({ "exp": NOW - 1 })),
            Some(&key),
            Err(Rejection::Expired),
        ),
        (
            "exp a string",
            es256(&pair, &json!({ "exp": "soon" })),
            Some(&key),
            Err(Rejection::Malformed),
        ),
        (
            "not a JWT",
            "nope".into(),
            Some(&key),
            Err(Rejection::Malformed),
        ),
        (
            "payload not JSON, signed",
            raw(
                r#"{"alg":"ES256"}"#,
                "x",
                Some((&pair.private, Algorithm::ES256)),
            ),
            Some(&key),
            Err(Rejection::Malformed),
        ),
        (
            "bad signature before missing exp",
            es256(&other, &json!({})),
            Some(&key),
            Err(Rejection::BadSignature),
        ),
    ];
    for (case, token, key, expected) in table {
        assert_eq!(
            verify_contact_center(token, NOW, *key).map(|_| ()),
            *expected,
            "{case}"
        );
    }
}

#[test]
fn the_answer_is_every_claim_of_the_payload() {
    let pair = es256_pair();
    let key = ContactCenterKey::parse(&pair.public_pem).unwrap();
    let claims = json!({ "external_id": "ada", "name": "Ada", "email": "ada@example.test", "tier": 3, "exp": NOW + 60 });
    let consumer = verify_contact_center(&es256(&pair, &claims), NOW, Some(&key)).unwrap();
    assert_eq!(serde_json::Value::Object(consumer), claims);
}

#[test]
fn the_key_is_a_pem_public_key() {
    let pair = es256_pair();
    let key = ContactCenterKey::parse(&format!("\n{}\n\n", pair.public_pem)).unwrap();
    assert!(key.pem().starts_with("-----BEGIN PUBLIC KEY-----"));
    assert!(key.pem().ends_with("-----END PUBLIC KEY-----\n"));
    for (case, pem) in [
        ("empty", String::new()),
        ("text", "hello".into()),
        ("the private key", pair.private_pem.clone()),
        ("a cut-off key", pair.public_pem[..60].to_owned()),
        (
            "not a key inside",
            "-----BEGIN PUBLIC KEY-----\naGVsbG8=\n-----END PUBLIC KEY-----\n".into(),
        ),
    ] {
        assert!(ContactCenterKey::parse(&pem).is_err(), "{case}");
    }
}
