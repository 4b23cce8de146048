#![cfg(not(target_arch = "wasm32"))]
//! Properties of the token checks, over the shell's decoding (here with serde_json for the
//! browser's JSON.parse): they never panic, whatever the input, and what they accept is sound.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use messenger_auth::core::config::TokenProfile::{self, Any, ContactCenter, Messaging};
use messenger_auth::core::token::{self, Token};
mod common;

use common::{decode, Payload};
use proptest::prelude::*;

const PROFILES: [TokenProfile; 3] = [Any, Messaging, ContactCenter];

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Checks what must hold of every accepted token, and returns it.
fn check(input: &str, profile: TokenProfile) -> Result<Option<Token<Payload>>, TestCaseError> {
    let Ok(token) = token::check(decode::jwt(input), profile) else {
        return Ok(None);
    };
    let key = &token.user_key;
    prop_assert!(
        key.len() > 2 && (key.starts_with("x:") || key.starts_with("s:") || key.starts_with("e:"))
    );
    if let Some(exp) = token.exp {
        prop_assert!(exp > 0.0 && exp < 1e11);
        prop_assert!(token.exp_ms().is_some_and(|ms| ms as f64 <= exp * 1000.0));
    }
    prop_assert_eq!(
        token.jwt.as_str(),
        input.trim_matches(|c: char| c.is_ascii_whitespace())
    );
    if let Some(id) = &token.user.external_id {
        prop_assert!(!id.is_empty() && id.chars().count() <= 255);
    }
    match profile {
        Messaging => prop_assert!(token.user.external_id.is_some()),
        ContactCenter => prop_assert!(token.exp.is_some()),
        Any => {}
    }
    // The stricter profiles only ever refuse more than `any`.
    if profile != Any {
        prop_assert!(token::check(decode::jwt(input), Any).is_ok());
    }
    Ok(Some(token))
}

fn check_all(input: &str) -> Result<(), TestCaseError> {
    for profile in PROFILES {
        check(input, profile)?;
    }
    Ok(())
}

/// A JSON value likely to hit the claim rules' edges.
fn json_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("\"user\"".to_string()),
        Just("\"HS256\"".to_string()),
        Just("\"ES256\"".to_string()),
        Just("\"none\"".to_string()),
        Just("\"\"".to_string()),
        Just("1700000000".to_string()),
        Just("1.7e12".to_string()),
        Just("12345.0".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| f.to_string()),
        (0.0..2e11f64).prop_map(|f| f.to_string()),
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
        "[a-z@.]{0,8}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        ".{250,260}".prop_map(|s| serde_json::to_string(&s).unwrap()),
    ]
}

fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "alg",
            "kid",
            "typ",
            "exp",
            "iat",
            "nbf",
            "email_verified",
            "external_id",
            "sub",
            "email",
            "name",
            "scope",
            "__proto__",
        ])
        .prop_map(String::from),
        "[a-z_]{1,4}",
    ]
}

/// `"key":value`, present 60% of the time, with a valid value 80% of those.
fn member(
    key: &'static str,
    valid: BoxedStrategy<String>,
) -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.6, prop_oneof![4 => valid, 1 => json_value()])
        .prop_map(move |v| v.map(|v| format!("\"{key}\":{v}")))
}

fn quoted(pattern: &'static str) -> BoxedStrategy<String> {
    pattern
        .prop_map(|s| serde_json::to_string(&s).unwrap())
        .boxed()
}

/// A JSON object from optional members and extra ones, in random order, duplicates possible.
fn object(members: Vec<BoxedStrategy<Option<String>>>) -> impl Strategy<Value = String> {
    let extra = prop::collection::vec(
        (json_key(), json_value()).prop_map(|(k, v)| format!("\"{k}\":{v}")),
        0..3,
    );
    (members, extra).prop_flat_map(|(members, extra)| {
        let all: Vec<String> = members.into_iter().flatten().chain(extra).collect();
        Just(all)
            .prop_shuffle()
            .prop_map(|all| format!("{{{}}}", all.join(",")))
    })
}

/// Claims that often pass every rule, and often break exactly one.
fn json_object() -> impl Strategy<Value = String> {
    let seconds = || (1.0..1e11f64).prop_map(|f| f.to_string()).boxed();
    object(vec![
        member(
            "external_id",
            prop_oneof![
                quoted("[a-z0-9]{0,8}"),
                any::<u32>().prop_map(|n| n.to_string())
            ]
            .boxed(),
        )
        .boxed(),
        member("sub", quoted("[a-z0-9]{0,8}")).boxed(),
        member("email", quoted("[a-z]{0,4}@[a-z]{1,4}")).boxed(),
        member("name", quoted(".{0,8}")).boxed(),
        member(
            "email_verified",
            any::<bool>().prop_map(|b| b.to_string()).boxed(),
        )
        .boxed(),
        member("scope", Just("\"user\"".to_string()).boxed()).boxed(),
        member("exp", seconds()).boxed(),
        member("iat", seconds()).boxed(),
        member("nbf", seconds()).boxed(),
    ])
}

/// Headers that often name an accepted algorithm and a key id.
fn json_header() -> impl Strategy<Value = String> {
    object(vec![
        member(
            "alg",
            prop::sample::select(vec!["\"HS256\"", "\"ES256\""])
                .prop_map(String::from)
                .boxed(),
        )
        .boxed(),
        member("kid", quoted("[a-z0-9]{0,3}")).boxed(),
        member("typ", Just("\"JWT\"".to_string()).boxed()).boxed(),
    ])
}

/// Text made of JSON's punctuation and a few words: mostly invalid JSON, sometimes valid.
fn json_ish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "\"",
                "\\",
                "\\u00",
                "\\ud800",
                "null",
                "true",
                "1",
                "-0",
                "1e999",
                "0.5",
                " ",
                "\"alg\"",
                "\"HS256\"",
                "\"sub\"",
                "\"a\"",
                "\"exp\"",
            ])
            .prop_map(String::from),
            ".{0,3}",
        ],
        0..30,
    )
    .prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        check_all(&s)?;
    }

    #[test]
    fn dotted_text_never_panics(s in "[A-Za-z0-9_\\-+/=. \t\n]{0,120}") {
        check_all(&s)?;
    }

    #[test]
    fn base64url_of_arbitrary_bytes_never_panics(
        h in prop::collection::vec(any::<u8>(), 0..64),
        p in prop::collection::vec(any::<u8>(), 0..64),
        s in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        check_all(&[b64(&h), b64(&p), b64(&s)].join("."))?;
    }

    #[test]
    fn base64url_of_json_ish_text_never_panics(h in json_ish(), p in json_ish(), s in "[A-Za-z0-9_-]{0,8}") {
        check_all(&[b64(h.as_bytes()), b64(p.as_bytes()), s].join("."))?;
    }

    #[test]
    fn claim_objects_are_judged_soundly(h in json_header(), p in json_object(), ws in "[ \t\r\n]{0,2}") {
        let input = format!("{ws}{}.{}.c2ln{ws}", b64(h.as_bytes()), b64(p.as_bytes()));
        check_all(&input)?;
    }

    #[test]
    fn valid_headers_with_claim_objects(p in json_object(), alg in prop::sample::select(vec!["HS256", "ES256"])) {
        let header = format!(r#"{{"alg":"{alg}","kid":"k"}}"#);
        let input = format!("{}.{}.c2ln", b64(header.as_bytes()), b64(p.as_bytes()));
        for profile in PROFILES {
            if let Some(token) = check(&input, profile)? {
                // The claims are the payload itself, as parsed.
                let reference: serde_json::Value = serde_json::from_str(&p).map_err(|_| TestCaseError::fail("payload"))?;
                prop_assert_eq!(&token.user.claims, &reference);
            }
        }
    }
}
