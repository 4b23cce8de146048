//! Messaging tokens, table by table: every rule and every rejection reason of the channel.
#![allow(clippy::type_complexity)] // the tables are tuples: case, input, expected
mod common;

use common::*;
use jsonwebtoken::{Algorithm, EncodingKey};
use messenger_emulator::{verify_messaging, Rejection};
use serde_json::json;

/// Runs a table: each token must be refused for its reason, or accepted (`Ok(external_id)`).
fn check(table: &[(&str, String, Result<&str, Rejection>)]) {
    for (case, token, expected) in table {
        let got = verify_messaging(token, NOW, &keys()).map(|v| v.claims.external_id);
        match expected {
            Ok(id) => assert_eq!(got, Ok((*id).to_owned()), "{case}"),
            Err(reason) => assert_eq!(got, Err(*reason), "{case}"),
        }
    }
}

#[test]
fn malformed_tokens() {
    let key = first_key();
    let signed = |header: &str, payload: &str| raw(header, payload, Some((&key, Algorithm::HS256)));
    let header = r#"{"alg":"HS256","kid":"app_one"}"#;
    check(&[
        ("empty", String::new(), Err(Rejection::Malformed)),
        ("one part", "abc".into(), Err(Rejection::Malformed)),
        (
            "two parts",
            "eyJhbGciOiJIUzI1NiJ9.e30".into(),
            Err(Rejection::Malformed),
        ),
        (
            "four parts",
            format!("{}.x", messaging(&payload(json!({})))),
            Err(Rejection::Malformed),
        ),
        (
            "header not base64url",
            "**.e30.sig".into(),
            Err(Rejection::Malformed),
        ),
        (
            "header not JSON",
            raw("HS256", "{}", None),
            Err(Rejection::Malformed),
        ),
        (
            "header an array",
            raw(r#"["HS256"]"#, "{}", None),
            Err(Rejection::Malformed),
        ),
        (
            "header without alg",
            raw(r#"{"kid":"app_one"}"#, "{}", None),
            Err(Rejection::Malformed),
        ),
        (
            "alg a number",
            raw(r#"{"alg":256}"#, "{}", None),
            Err(Rejection::Malformed),
        ),
        (
            "kid a number",
            raw(r#"{"alg":"HS256","kid":1}"#, "{}", None),
            Err(Rejection::Malformed),
        ),
        (
            "payload not JSON, signed",
            signed(header, "not json"),
            Err(Rejection::Malformed),
        ),
        (
            "payload an array, signed",
            signed(header, r#"["user"]"#),
            Err(Rejection::Malformed),
        ),
        (
            "signature not base64url",
            format!("{}!", signed(header, "{}")),
            Err(Rejection::Malformed),
        ),
    ]);
}

#[test]
fn only_hs256_is_accepted() {
    let key = first_key();
    let body = payload(json!({})).to_string();
    let pair = es256_pair();
    let hs384 = raw(
        r#"{"alg":"HS384","kid":"app_one"}"#,
        &body,
        Some((&key, Algorithm::HS384)),
    );
    check(&[
        (
            "none, unsigned",
            raw(r#"{"alg":"none","kid":"app_one"}"#, &body, None),
            Err(Rejection::UnsupportedAlg),
        ),
        (
            "none without kid",
            raw(r#"{"alg":"none"}"#, &body, None),
            Err(Rejection::UnsupportedAlg),
        ),
        (
            "RS256",
            raw(r#"{"alg":"RS256","kid":"app_one"}"#, &body, None),
            Err(Rejection::UnsupportedAlg),
        ),
        (
            "ES256, really signed",
            es256(&pair, &payload(json!({}))),
            Err(Rejection::UnsupportedAlg),
        ),
        (
            "HS384 with a known kid",
            hs384,
            Err(Rejection::UnsupportedAlg),
        ),
        (
            "hs256 in lowercase",
            raw(r#"{"alg":"hs256","kid":"app_one"}"#, &body, None),
            Err(Rejection::UnsupportedAlg),
        ),
        ("HS256", messaging(&payload(json!({}))), Ok("ada")),
    ]);
}

#[test]
fn the_kid_must_name_an_existing_key() {
    let keys = keys();
    let claims = payload(json!({}));
    check(&[
        (
            "first key",
            hs256(Some("app_one"), &keys[0].secret, &claims),
            Ok("ada"),
        ),
        (
            "second key",
            hs256(Some("app_two"), &keys[1].secret, &claims),
            Ok("ada"),
        ),
        (
            "no kid",
            hs256(None, &keys[0].secret, &claims),
            Err(Rejection::UnknownKid),
        ),
        (
            "unknown kid",
            hs256(Some("app_three"), &keys[0].secret, &claims),
            Err(Rejection::UnknownKid),
        ),
        (
            "kid in another case",
            hs256(Some("APP_ONE"), &keys[0].secret, &claims),
            Err(Rejection::UnknownKid),
        ),
    ]);
    // A deleted key: the same token, checked against the keys without it.
    let token = hs256(Some("app_two"), &keys[1].secret, &claims);
    assert!(verify_messaging(&token, NOW, &keys).is_ok());
    assert_eq!(
        verify_messaging(&token, NOW, &keys[..1]),
        Err(Rejection::UnknownKid)
    );
    assert_eq!(
        verify_messaging(&token, NOW, &[]),
        Err(Rejection::UnknownKid)
    );
}

#[test]
fn the_signature_must_verify_with_that_keys_secret() {
    let keys = keys();
    let claims = payload(json!({}));
    let good = messaging(&claims);
    let (head, signature) = good.rsplit_once('.').unwrap();
    let mut flipped = signature.as_bytes().to_vec();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    let edited_payload = {
        let other = messaging(&payload(json!({ "external_id": "mallory" })));
        let parts: Vec<&str> = good.split('.').collect();
        let other_payload = other.split('.').nth(1).unwrap();
        format!("{}.{}.{}", parts[0], other_payload, parts[2])
    };
    check(&[
        (
            "the other key's secret",
            hs256(Some("app_one"), &keys[1].secret, &claims),
            Err(Rejection::BadSignature),
        ),
        (
            "a made-up secret",
            hs256(Some("app_one"), "guess", &claims),
            Err(Rejection::BadSignature),
        ),
        (
            "a changed signature",
            format!("{head}.{}", String::from_utf8(flipped).unwrap()),
            Err(Rejection::BadSignature),
        ),
        (
            "an empty signature",
            format!("{head}."),
            Err(Rejection::BadSignature),
        ),
        (
            "a payload edited after signing",
            edited_payload,
            Err(Rejection::BadSignature),
        ),
    ]);
}

#[test]
fn the_hmac_key_is_the_secret_text_as_written() {
    // A site signs with the secret as the admin page shows it (`jwt.sign(claims, secret)`), not
    // with the bytes its base64url would decode to.
    use base64::Engine;
    let secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA";
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(secret)
        .unwrap();
    let keys = [key("app_b64", secret)];
    let header = r#"{"alg":"HS256","kid":"app_b64"}"#;
    let claims = payload(json!({})).to_string();
    let with_text = raw(
        header,
        &claims,
        Some((
            &EncodingKey::from_secret(secret.as_bytes()),
            Algorithm::HS256,
        )),
    );
    let with_bytes = raw(
        header,
        &claims,
        Some((&EncodingKey::from_secret(&decoded), Algorithm::HS256)),
    );
    assert!(verify_messaging(&with_text, NOW, &keys).is_ok());
    assert_eq!(
        verify_messaging(&with_bytes, NOW, &keys),
        Err(Rejection::BadSignature)
    );
}

#[test]
fn scope_must_be_exactly_user() {
    check(&[
        (
            "user",
            messaging(&payload(json!({ "scope": "user" }))),
            Ok("ada"),
        ),
        (
            "absent",
            messaging(&payload(json!({ "scope": "<absent>" }))),
            Err(Rejection::InvalidScope),
        ),
        (
            "null",
            messaging(&payload(json!({ "scope": null }))),
            Err(Rejection::InvalidScope),
        ),
        (
            "admin",
            messaging(&payload(json!({ "scope": "admin" }))),
            Err(Rejection::InvalidScope),
        ),
        (
            "USER",
            messaging(&payload(json!({ "scope": "USER" }))),
            Err(Rejection::InvalidScope),
        ),
        (
            "padded",
            messaging(&payload(json!({ "scope": " user" }))),
            Err(Rejection::InvalidScope),
        ),
        (
            "a list",
            messaging(&payload(json!({ "scope": ["user"] }))),
            Err(Rejection::InvalidScope),
        ),
    ]);
}

#[test]
fn external_id_is_required_a_string_or_integer_of_at_most_255_characters() {
    let long = "x".repeat(256);
    let longest = "x".repeat(255);
    let longest_wide = "é".repeat(255); // 510 bytes, 255 characters
    check(&[
        (
            "a string",
            messaging(&payload(json!({ "external_id": "user-1" }))),
            Ok("user-1"),
        ),
        (
            "an integer",
            messaging(&payload(json!({ "external_id": 42 }))),
            Ok("42"),
        ),
        (
            "a negative integer",
            messaging(&payload(json!({ "external_id": -7 }))),
            Ok("-7"),
        ),
        (
            "a big integer",
            messaging(&payload(json!({ "external_id": u64::MAX }))),
            Ok("18446744073709551615"),
        ),
        (
            "255 characters",
            messaging(&payload(json!({ "external_id": longest }))),
            Ok(longest.as_str()),
        ),
        (
            "255 two-byte characters",
            messaging(&payload(json!({ "external_id": longest_wide }))),
            Ok(longest_wide.as_str()),
        ),
        (
            "256 characters",
            messaging(&payload(json!({ "external_id": long }))),
            Err(Rejection::ExternalIdTooLong),
        ),
        (
            "absent",
            messaging(&payload(json!({ "external_id": "<absent>" }))),
            Err(Rejection::MissingExternalId),
        ),
        (
            "null",
            messaging(&payload(json!({ "external_id": null }))),
            Err(Rejection::MissingExternalId),
        ),
        (
            "empty",
            messaging(&payload(json!({ "external_id": "" }))),
            Err(Rejection::MissingExternalId),
        ),
        (
            "a fraction",
            messaging(&payload(json!({ "external_id": 1.5 }))),
            Err(Rejection::Malformed),
        ),
        (
            "a boolean",
            messaging(&payload(json!({ "external_id": true }))),
            Err(Rejection::Malformed),
        ),
        (
            "an object",
            messaging(&payload(json!({ "external_id": { "id": 1 } }))),
            Err(Rejection::Malformed),
        ),
    ]);
}

#[test]
fn exp_is_optional_and_if_present_not_past() {
    check(&[
        ("no exp", messaging(&payload(json!({}))), Ok("ada")),
        (
            "exp null",
            messaging(&payload(json!({ "exp": null }))),
            Ok("ada"),
        ),
        (
            "a second left",
            messaging(&payload(json!({ "exp": NOW + 1 }))),
            Ok("ada"),
        ),
        (
            "half a second left",
            messaging(&payload(json!({ "exp": NOW as f64 + 0.5 }))),
            Ok("ada"),
        ),
        (
            "exp is now",
            messaging(&payload(json!({ "exp": NOW }))),
            Err(Rejection::Expired),
        ),
        (
            "a second ago",
            messaging(&payload(json!({ "exp": NOW - 1 }))),
            Err(Rejection::Expired),
        ),
        (
            "zero",
            messaging(&payload(json!({ "exp": 0 }))),
            Err(Rejection::Expired),
        ),
        (
            "a string",
            messaging(&payload(json!({ "exp": "tomorrow" }))),
            Err(Rejection::Malformed),
        ),
    ]);
    // The same token, accepted before its exp and refused from it on: `now` is the caller's.
    let token = messaging(&payload(json!({ "exp": NOW + 60 })));
    assert!(verify_messaging(&token, NOW + 59, &keys()).is_ok());
    assert_eq!(
        verify_messaging(&token, NOW + 60, &keys()),
        Err(Rejection::Expired)
    );
}

#[test]
fn an_email_counts_only_when_email_verified_is_the_boolean_true() {
    let email = |extra: serde_json::Value| {
        verify_messaging(&messaging(&payload(extra)), NOW, &keys())
            .map(|v| v.claims.verified_email.map(|e| e.as_str().to_owned()))
    };
    let table: &[(&str, serde_json::Value, Result<Option<&str>, Rejection>)] = &[
        (
            "verified",
            json!({ "email": "Ada@Example.test", "email_verified": true }),
            Ok(Some("ada@example.test")),
        ),
        (
            "not verified",
            json!({ "email": "ada@example.test", "email_verified": false }),
            Ok(None),
        ),
        (
            "no email_verified",
            json!({ "email": "ada@example.test" }),
            Ok(None),
        ),
        (
            "\"true\" is not true",
            json!({ "email": "ada@example.test", "email_verified": "true" }),
            Ok(None),
        ),
        (
            "1 is not true",
            json!({ "email": "ada@example.test", "email_verified": 1 }),
            Ok(None),
        ),
        (
            "verified, no email",
            json!({ "email_verified": true }),
            Ok(None),
        ),
        (
            "verified, blank email",
            json!({ "email": " ", "email_verified": true }),
            Ok(None),
        ),
        (
            "verified, not an address",
            json!({ "email": "ada", "email_verified": true }),
            Err(Rejection::Malformed),
        ),
        (
            "an email that is not a string",
            json!({ "email": 5 }),
            Err(Rejection::Malformed),
        ),
    ];
    for (case, extra, expected) in table {
        assert_eq!(
            email(extra.clone()),
            expected.map(|e| e.map(String::from)),
            "{case}"
        );
    }
}

#[test]
fn name_is_optional_and_every_claim_is_kept() {
    let verified = verify_messaging(
        &messaging(&payload(
            json!({ "name": "Ada Lovelace", "plan": "gold", "exp": NOW + 600 }),
        )),
        NOW,
        &keys(),
    )
    .unwrap();
    assert_eq!(verified.kid, "app_one");
    assert_eq!(verified.claims.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(verified.claims.exp, Some((NOW + 600) as f64));
    assert_eq!(verified.payload["plan"], "gold");
    assert_eq!(verified.payload["scope"], "user");
    let no_name = verify_messaging(&messaging(&payload(json!({}))), NOW, &keys()).unwrap();
    assert_eq!(no_name.claims.name, None);
    assert_eq!(
        verify_messaging(&messaging(&payload(json!({ "name": 7 }))), NOW, &keys()),
        Err(Rejection::Malformed)
    );
}

#[test]
fn the_first_failing_check_is_the_answer() {
    let keys = keys();
    let expired_bad_scope =
        payload(json!({ "scope": "admin", "exp": NOW - 10, "external_id": "<absent>" }));
    check(&[
        (
            "unsupported alg before unknown kid",
            raw(r#"{"alg":"none","kid":"nope"}"#, "{}", None),
            Err(Rejection::UnsupportedAlg),
        ),
        (
            "unknown kid before bad signature",
            hs256(Some("nope"), "guess", &expired_bad_scope),
            Err(Rejection::UnknownKid),
        ),
        (
            "bad signature before the claims",
            hs256(Some("app_one"), "guess", &expired_bad_scope),
            Err(Rejection::BadSignature),
        ),
        (
            "scope before external_id and exp",
            hs256(Some("app_one"), &keys[0].secret, &expired_bad_scope),
            Err(Rejection::InvalidScope),
        ),
        (
            "external_id before exp",
            messaging(&payload(
                json!({ "external_id": "<absent>", "exp": NOW - 10 }),
            )),
            Err(Rejection::MissingExternalId),
        ),
    ]);
}

#[test]
fn reason_codes_are_the_api_strings() {
    let codes: Vec<&str> = Rejection::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        [
            "malformed",
            "unsupported_alg",
            "unknown_kid",
            "bad_signature",
            "invalid_scope",
            "missing_external_id",
            "external_id_too_long",
            "expired",
            "missing_exp",
            "email_conflict",
            "no_contact_center_key",
        ]
    );
    assert_eq!(Rejection::UnknownKid.to_string(), "unknown_kid");
}
