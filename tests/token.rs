#![cfg(not(target_arch = "wasm32"))]
//! The client-side token checks of SPEC.md, rule by rule and profile by profile.

mod common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use common::{decode, Payload};
use messenger_auth::core::claims::{Field, Jwt};
use messenger_auth::core::config::TokenProfile::{self, Any, ContactCenter, Messaging};
use messenger_auth::core::token::{check, JwtError, Token};

const HS: &str = r#"{"alg":"HS256","typ":"JWT","kid":"k1"}"#;
const ES: &str = r#"{"alg":"ES256","typ":"JWT"}"#;
/// A payload every profile but contact-center accepts.
const MSG: &str = r#"{"external_id":"u1","scope":"user","exp":1700000000}"#;
const SIG: &str = "c2lnbmF0dXJl";

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `header.payload.signature`, each JSON text base64url-encoded without padding.
fn jwt(header: &str, payload: &str) -> String {
    jwt_bytes(header.as_bytes(), payload.as_bytes())
}

fn jwt_bytes(header: &[u8], payload: &[u8]) -> String {
    [b64(header), b64(payload), SIG.to_string()].join(".")
}

/// "ok" or the detail of the first rule broken.
fn outcome(token: &str, profile: TokenProfile) -> &'static str {
    match check(decode::jwt(token), profile) {
        Ok(_) => "ok",
        Err(e) => e.detail(),
    }
}

fn accept(token: &str, profile: TokenProfile) -> Token<Payload> {
    match check(decode::jwt(token), profile) {
        Ok(t) => t,
        Err(e) => panic!("refused with {}", e.detail()),
    }
}

#[test]
fn details_and_messages() {
    use JwtError::*;
    let all = [
        (Malformed, "malformed"),
        (UnsupportedAlg, "unsupported_alg"),
        (MissingKid, "missing_kid"),
        (MissingExternalId, "missing_external_id"),
        (ExternalIdTooLong, "external_id_too_long"),
        (InvalidScope, "invalid_scope"),
        (InvalidClaim, "invalid_claim"),
        (UnsafeExternalId, "invalid_claim"),
        (MissingExp, "missing_exp"),
        (MissingIdentity, "missing_identity"),
    ];
    for (error, detail) in all {
        assert_eq!(error.detail(), detail);
        let message = error.message();
        assert!(
            message.len() > 20 && message.ends_with('.'),
            "{detail}: {message}"
        );
    }
}

#[test]
fn rules_table() {
    let long = |n: usize, c: &str| c.repeat(n);
    let id_256 = format!(r#"{{"external_id":"{}"}}"#, long(256, "a"));
    let id_255 = format!(r#"{{"external_id":"{}"}}"#, long(255, "a"));
    let id_256_wide = format!(r#"{{"external_id":"{}"}}"#, long(256, "é"));
    let id_255_wide = format!(r#"{{"external_id":"{}"}}"#, long(255, "é"));
    let msg_256 = format!(r#"{{"external_id":"{}","scope":"user"}}"#, long(256, "a"));
    let ok = jwt(HS, MSG);
    let (ok_h, ok_p) = {
        let mut parts = ok.split('.');
        (
            parts.next().unwrap().to_string(),
            parts.next().unwrap().to_string(),
        )
    };
    // '>' bytes encode to '+' in the standard alphabet (and to '-' in base64url).
    let plus_payload = STANDARD.encode(r#"{"sub":">>>?>?"}"#);
    assert!(plus_payload.contains('+') || plus_payload.contains('/'));

    #[rustfmt::skip]
    let cases: Vec<(&str, String, TokenProfile, &str)> = vec![
        // 1. malformed
        ("empty", String::new(), Any, "malformed"),
        ("blank", " \n\t".into(), Any, "malformed"),
        ("one part", b64(HS.as_bytes()), Any, "malformed"),
        ("two parts", [ok_h.as_str(), ok_p.as_str()].join("."), Any, "malformed"),
        ("four parts", [ok.as_str(), SIG].join("."), Any, "malformed"),
        ("empty signature", [ok_h.as_str(), ok_p.as_str(), ""].join("."), Any, "malformed"),
        (
            "unsigned alg none, as usually written",
            [b64(br#"{"alg":"none","typ":"JWT"}"#).as_str(), ok_p.as_str(), ""].join("."),
            Any,
            "unsupported_alg",
        ),
        ("empty header", ["", ok_p.as_str(), SIG].join("."), Any, "malformed"),
        ("empty payload", [ok_h.as_str(), "", SIG].join("."), Any, "malformed"),
        ("standard alphabet payload", [ok_h.as_str(), plus_payload.trim_end_matches('='), SIG].join("."), Any, "malformed"),
        ("standard alphabet signature", [ok_h.as_str(), ok_p.as_str(), "ab+c/d"].join("."), Any, "malformed"),
        ("impossible length", [ok_h.as_str(), ok_p.as_str(), "abcde"].join("."), Any, "malformed"),
        ("inner whitespace", [ok_h.as_str(), " ", ok_p.as_str(), ".", SIG].concat(), Any, "malformed"),
        ("padding in the middle", [ok_h.as_str(), ok_p.as_str(), "ab==cd"].join("."), Any, "malformed"),
        ("payload array", jwt(HS, "[1]"), Any, "malformed"),
        ("payload string", jwt(HS, r#""x""#), Any, "malformed"),
        ("payload null", jwt(HS, "null"), Any, "malformed"),
        ("payload not JSON", jwt(HS, "{"), Any, "malformed"),
        ("payload trailing text", jwt(HS, r#"{"sub":"a"} x"#), Any, "malformed"),
        ("header array", jwt("[]", MSG), Any, "malformed"),
        ("invalid UTF-8 payload", jwt_bytes(HS.as_bytes(), b"{\"sub\":\"\xff\"}"), Any, "malformed"),
        ("invalid UTF-8 header", jwt_bytes(b"{\"alg\":\"HS256\xc3\"}", MSG.as_bytes()), Any, "malformed"),
        ("malformed before alg", jwt(r#"{"alg":"none"}"#, "[1]"), Any, "malformed"),
        // 2. unsupported_alg
        ("alg none", jwt(r#"{"alg":"none"}"#, MSG), Any, "unsupported_alg"),
        ("alg None", jwt(r#"{"alg":"None"}"#, MSG), Any, "unsupported_alg"),
        ("alg lowercase", jwt(r#"{"alg":"hs256"}"#, MSG), Any, "unsupported_alg"),
        ("alg HS512", jwt(r#"{"alg":"HS512"}"#, MSG), Any, "unsupported_alg"),
        ("alg missing", jwt(r#"{"kid":"k1"}"#, MSG), Any, "unsupported_alg"),
        ("alg not a string", jwt(r#"{"alg":256}"#, MSG), Any, "unsupported_alg"),
        ("alg null", jwt(r#"{"alg":null}"#, MSG), Any, "unsupported_alg"),
        ("ES256 under messaging", jwt(r#"{"alg":"ES256","kid":"k1"}"#, MSG), Messaging, "unsupported_alg"),
        ("HS256 under contact-center", jwt(HS, MSG), ContactCenter, "unsupported_alg"),
        ("none under messaging", jwt(r#"{"alg":"none","kid":"k1"}"#, MSG), Messaging, "unsupported_alg"),
        ("none under contact-center", jwt(r#"{"alg":"none"}"#, MSG), ContactCenter, "unsupported_alg"),
        ("alg before kid", jwt(r#"{"alg":"HS512"}"#, "{}"), Messaging, "unsupported_alg"),
        ("HS256 under any", jwt(HS, MSG), Any, "ok"),
        ("ES256 under any", jwt(ES, MSG), Any, "ok"),
        ("ES256 under contact-center", jwt(ES, MSG), ContactCenter, "ok"),
        // 3. missing_kid
        ("no kid under messaging", jwt(r#"{"alg":"HS256"}"#, MSG), Messaging, "missing_kid"),
        ("empty kid under messaging", jwt(r#"{"alg":"HS256","kid":""}"#, MSG), Messaging, "missing_kid"),
        ("numeric kid under messaging", jwt(r#"{"alg":"HS256","kid":1}"#, MSG), Messaging, "missing_kid"),
        ("no kid under any", jwt(r#"{"alg":"HS256"}"#, MSG), Any, "ok"),
        ("no kid under contact-center", jwt(ES, MSG), ContactCenter, "ok"),
        ("kid before claims", jwt(r#"{"alg":"HS256"}"#, r#"{"exp":"x"}"#), Messaging, "missing_kid"),
        ("messaging complete", jwt(HS, MSG), Messaging, "ok"),
        // 4. invalid_claim
        ("exp in milliseconds", jwt(HS, r#"{"sub":"a","exp":1700000000000}"#), Any, "invalid_claim"),
        ("exp in ms, float", jwt(ES, r#"{"sub":"a","exp":1.7e12}"#), ContactCenter, "invalid_claim"),
        ("exp string", jwt(HS, r#"{"sub":"a","exp":"123"}"#), Any, "invalid_claim"),
        ("exp null", jwt(HS, r#"{"sub":"a","exp":null}"#), Any, "invalid_claim"),
        ("exp zero", jwt(HS, r#"{"sub":"a","exp":0}"#), Any, "invalid_claim"),
        ("exp negative", jwt(HS, r#"{"sub":"a","exp":-5}"#), Any, "invalid_claim"),
        ("exp 1e11", jwt(HS, r#"{"sub":"a","exp":1e11}"#), Any, "invalid_claim"),
        ("exp just below 1e11", jwt(HS, r#"{"sub":"a","exp":99999999999}"#), Any, "ok"),
        ("exp fractional", jwt(HS, r#"{"sub":"a","exp":1700000000.5}"#), Any, "ok"),
        ("iat string", jwt(HS, r#"{"sub":"a","iat":"1700000000"}"#), Any, "invalid_claim"),
        ("iat in ms", jwt(HS, r#"{"sub":"a","iat":1700000000000}"#), Any, "invalid_claim"),
        ("nbf zero", jwt(HS, r#"{"sub":"a","nbf":0}"#), Any, "invalid_claim"),
        ("nbf bool", jwt(HS, r#"{"sub":"a","nbf":true}"#), Any, "invalid_claim"),
        ("iat and nbf fine", jwt(HS, r#"{"sub":"a","iat":1700000000,"nbf":1700000000}"#), Any, "ok"),
        ("email_verified string", jwt(HS, r#"{"sub":"a","email_verified":"true"}"#), Any, "invalid_claim"),
        ("email_verified number", jwt(HS, r#"{"sub":"a","email_verified":1}"#), Any, "invalid_claim"),
        ("email_verified null", jwt(HS, r#"{"sub":"a","email_verified":null}"#), Any, "invalid_claim"),
        ("external_id fraction", jwt(HS, r#"{"external_id":1.5}"#), Any, "invalid_claim"),
        ("external_id beyond 2^53", jwt(HS, r#"{"external_id":1e20}"#), Any, "invalid_claim"),
        ("external_id bool", jwt(HS, r#"{"external_id":true}"#), Any, "invalid_claim"),
        ("external_id null", jwt(HS, r#"{"external_id":null,"sub":"a"}"#), Any, "invalid_claim"),
        ("external_id object", jwt(HS, r#"{"external_id":{"id":"a"}}"#), Any, "invalid_claim"),
        ("external_id array", jwt(HS, r#"{"external_id":["a"]}"#), Any, "invalid_claim"),
        ("sub number", jwt(HS, r#"{"sub":5}"#), Any, "invalid_claim"),
        ("email null", jwt(HS, r#"{"sub":"a","email":null}"#), Any, "invalid_claim"),
        ("name array", jwt(HS, r#"{"sub":"a","name":[]}"#), Any, "invalid_claim"),
        ("invalid claim under messaging", jwt(HS, r#"{"external_id":"u1","scope":"user","exp":"soon"}"#), Messaging, "invalid_claim"),
        ("invalid claim before length", jwt(HS, &format!(r#"{{"external_id":"{}","exp":"x"}}"#, long(300, "a"))), Any, "invalid_claim"),
        ("invalid claim before identity", jwt(HS, r#"{"exp":"x"}"#), Any, "invalid_claim"),
        ("unknown claims of any type", jwt(HS, r#"{"sub":"a","roles":null,"aud":["x"],"n":1.5}"#), Any, "ok"),
        // 5. external_id_too_long
        ("external_id 256", jwt(HS, &id_256), Any, "external_id_too_long"),
        ("external_id 255", jwt(HS, &id_255), Any, "ok"),
        ("external_id 256 wide chars", jwt(HS, &id_256_wide), Any, "external_id_too_long"),
        ("external_id 255 wide chars", jwt(HS, &id_255_wide), Any, "ok"),
        ("too long under messaging", jwt(HS, &msg_256), Messaging, "external_id_too_long"),
        ("too long before scope", jwt(HS, &id_256.replace('{', r#"{"scope":"admin","#)), Any, "external_id_too_long"),
        // 6. missing_external_id
        ("no external_id under messaging", jwt(HS, r#"{"sub":"a","scope":"user"}"#), Messaging, "missing_external_id"),
        ("empty external_id under messaging", jwt(HS, r#"{"external_id":"","scope":"user"}"#), Messaging, "missing_external_id"),
        ("missing external_id before scope", jwt(HS, r#"{"sub":"a"}"#), Messaging, "missing_external_id"),
        ("no external_id under any", jwt(HS, r#"{"sub":"a"}"#), Any, "ok"),
        ("integer external_id under messaging", jwt(HS, r#"{"external_id":12345,"scope":"user"}"#), Messaging, "ok"),
        // 7. invalid_scope
        ("scope admin", jwt(HS, r#"{"sub":"a","scope":"admin"}"#), Any, "invalid_scope"),
        ("scope User", jwt(HS, r#"{"sub":"a","scope":"User"}"#), Any, "invalid_scope"),
        ("scope user admin", jwt(HS, r#"{"sub":"a","scope":"user admin"}"#), Any, "invalid_scope"),
        ("scope null", jwt(HS, r#"{"sub":"a","scope":null}"#), Any, "invalid_scope"),
        ("scope array", jwt(HS, r#"{"sub":"a","scope":["user"]}"#), Any, "invalid_scope"),
        ("scope admin under contact-center", jwt(ES, r#"{"sub":"a","exp":1700000000,"scope":"admin"}"#), ContactCenter, "invalid_scope"),
        ("no scope under messaging", jwt(HS, r#"{"external_id":"u1"}"#), Messaging, "invalid_scope"),
        ("scope before exp", jwt(ES, r#"{"sub":"a","scope":"x"}"#), ContactCenter, "invalid_scope"),
        ("no scope under any", jwt(HS, r#"{"sub":"a"}"#), Any, "ok"),
        ("scope user under any", jwt(HS, r#"{"sub":"a","scope":"user"}"#), Any, "ok"),
        // 8. missing_exp
        ("no exp under contact-center", jwt(ES, r#"{"sub":"a"}"#), ContactCenter, "missing_exp"),
        ("missing exp before identity", jwt(ES, "{}"), ContactCenter, "missing_exp"),
        ("no exp under any", jwt(HS, r#"{"sub":"a"}"#), Any, "ok"),
        ("no exp under messaging", jwt(HS, r#"{"external_id":"u1","scope":"user"}"#), Messaging, "ok"),
        // 9. missing_identity
        ("empty payload object", jwt(HS, "{}"), Any, "missing_identity"),
        ("only a name", jwt(HS, r#"{"name":"Ann","exp":1700000000}"#), Any, "missing_identity"),
        ("all identities empty", jwt(HS, r#"{"external_id":"","sub":"","email":""}"#), Any, "missing_identity"),
        ("no identity under contact-center", jwt(ES, r#"{"exp":1700000000}"#), ContactCenter, "missing_identity"),
        ("email alone", jwt(HS, r#"{"email":"a@example.com"}"#), Any, "ok"),
        // Encoding variants that are accepted.
        ("padded parts", [URL_SAFE.encode(HS), URL_SAFE.encode(r#"{"sub":"ab"}"#), "c2lnbmF0dXJlMQ==".into()].join("."), Any, "ok"),
        ("non-zero trailing bits", [ok_h.as_str(), ok_p.as_str(), "abd"].join("."), Any, "ok"),
        ("url-safe alphabet", [b64(HS.as_bytes()), b64(br#"{"sub":">>>?>?"}"#), "ab-c_d".into()].join("."), Any, "ok"),
        ("whitespace around", [" \r\n\t", ok.as_str(), "\n\x0c "].concat(), Messaging, "ok"),
        ("JSON whitespace inside parts", jwt(" { \"alg\" : \"HS256\" } ", "\n{\"sub\":\"a\"}\n"), Any, "ok"),
    ];
    let mut failures = Vec::new();
    for (name, token, profile, expected) in &cases {
        let got = outcome(token, *profile);
        if got != *expected {
            failures.push(format!(
                "{name} ({profile:?}): expected {expected}, got {got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    // Every detail is provoked at least once.
    for detail in [
        "malformed",
        "unsupported_alg",
        "missing_kid",
        "missing_external_id",
        "external_id_too_long",
        "invalid_scope",
        "invalid_claim",
        "missing_exp",
        "missing_identity",
    ] {
        assert!(cases.iter().any(|c| c.3 == detail), "no case for {detail}");
    }
}

#[test]
fn integer_external_id_is_read_as_decimal_text_when_the_browser_reads_it_exactly() {
    for (claim, text) in [
        ("12345", "12345"),
        ("12345.0", "12345"),
        ("1e3", "1000"),
        ("-7", "-7"),
        ("0", "0"),
        ("-0", "0"),
        ("4294967296.00", "4294967296"),
        ("9007199254740991", "9007199254740991"),
        ("-9007199254740991", "-9007199254740991"),
    ] {
        let token = accept(&jwt(HS, &format!(r#"{{"external_id":{claim}}}"#)), Any);
        assert_eq!(token.user.external_id.as_deref(), Some(text), "{claim}");
        assert_eq!(token.user_key, format!("x:{text}"));
    }
    // Beyond 2^53 - 1 the browser's double may be a neighbour's id: refused, never rounded.
    // (9007199254740993 reads as 9007199254740992.)
    for claim in [
        "9007199254740992",
        "9007199254740993",
        "-9007199254740993",
        "18446744073709551615",
        "1e20",
    ] {
        let error = check(
            decode::jwt(&jwt(HS, &format!(r#"{{"external_id":{claim}}}"#))),
            Any,
        )
        .expect_err(claim);
        assert_eq!(error, JwtError::UnsafeExternalId, "{claim}");
        assert_eq!(error.detail(), "invalid_claim");
        assert!(error.message().contains("send external_id as a string"));
    }
}

#[test]
fn time_claims_must_be_finite() {
    // JSON.parse reads 1e400 as Infinity (serde_json, the tests' stand-in, refuses it: so the
    // field is built directly; the browser's reading is tested end to end).
    for seconds in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
        let mut token = decode::jwt(&jwt(HS, r#"{"sub":"a"}"#));
        if let Some(decoded) = &mut token.decoded {
            decoded.claims.exp = Field::Number(seconds);
        }
        assert_eq!(
            check(token, Any).map(|_| ()),
            Err(JwtError::InvalidClaim),
            "{seconds}"
        );
    }
}

#[test]
fn undecodable_is_malformed() {
    let token: Jwt<()> = Jwt {
        text: "x".into(),
        decoded: None,
    };
    assert_eq!(check(token, Any).map(|_| ()), Err(JwtError::Malformed));
}

#[test]
fn user_fields() {
    let payload = r#"{"external_id":"u-1","sub":"s-1","email":"ann@example.com","name":"Ann",
        "email_verified":true,"scope":"user","exp":1700000000,"plan":"gold","__proto__":{"admin":true}}"#;
    let token = accept(&jwt(HS, payload), Messaging);
    assert_eq!(token.user.external_id.as_deref(), Some("u-1"));
    assert_eq!(token.user.name.as_deref(), Some("Ann"));
    assert_eq!(token.user.email.as_deref(), Some("ann@example.com"));
    assert!(token.user.email_verified);
    assert_eq!(token.exp, Some(1_700_000_000.0));
    assert_eq!(token.exp_ms(), Some(1_700_000_000_000));
    assert_eq!(token.user_key, "x:u-1");
    // The payload itself is the user's claims, unknown ones and "__proto__" included.
    let claims = token.user.claims.as_object().expect("the payload object");
    assert_eq!(claims.len(), 9);
    assert_eq!(claims["plan"], "gold");
    assert_eq!(claims["__proto__"]["admin"], true);
    assert_eq!(claims["email_verified"], true);
}

#[test]
fn email_verified_only_when_true() {
    for (claim, verified) in [
        (r#","email_verified":true"#, true),
        (r#","email_verified":false"#, false),
        ("", false),
    ] {
        let token = accept(
            &jwt(HS, &format!(r#"{{"email":"a@example.com"{claim}}}"#)),
            Any,
        );
        assert_eq!(token.user.email_verified, verified, "{claim}");
    }
}

#[test]
fn user_key_choice() {
    for (payload, key) in [
        (r#"{"external_id":"x1","sub":"s1","email":"e@x"}"#, "x:x1"),
        (r#"{"sub":"s1","email":"e@x"}"#, "s:s1"),
        (r#"{"external_id":"","sub":"s1","email":"e@x"}"#, "s:s1"),
        (r#"{"email":"e@x"}"#, "e:e@x"),
        (r#"{"sub":"","email":"e@x"}"#, "e:e@x"),
        (r#"{"external_id":42}"#, "x:42"),
    ] {
        assert_eq!(accept(&jwt(HS, payload), Any).user_key, key, "{payload}");
    }
    // An empty external_id is no external_id.
    let token = accept(&jwt(HS, r#"{"external_id":"","sub":"s1"}"#), Any);
    assert_eq!(token.user.external_id, None);
    assert_eq!(token.user.name, None);
    assert_eq!(token.user.email, None);
}

#[test]
fn accepted_text_is_trimmed_and_exp_is_optional() {
    let text = jwt(HS, r#"{"sub":"a"}"#);
    let token = accept(&format!("\n  {text}\t\r\n"), Any);
    assert_eq!(token.jwt, text);
    assert_eq!(token.exp, None);
    assert_eq!(token.exp_ms(), None);
    let token = accept(&jwt(HS, r#"{"sub":"a","exp":1700000000.5}"#), Any);
    assert_eq!(token.exp_ms(), Some(1_700_000_000_500));
}

#[test]
fn large_payloads() {
    // A 1 MB claim is accepted (no length limit).
    let big = format!(r#"{{"sub":"a","blob":"{}"}}"#, "x".repeat(1 << 20));
    let token = accept(&jwt(HS, &big), Any);
    assert_eq!(token.user_key, "s:a");
    // A 1 MB external_id is refused as too long, not scanned char by char to the end.
    let huge_id = format!(r#"{{"external_id":"{}"}}"#, "é".repeat(1 << 19));
    assert_eq!(outcome(&jwt(HS, &huge_id), Any), "external_id_too_long");
}
