//! What the fuzz targets check, in one place: `fuzz/fuzz_targets/*.rs` call these on libFuzzer's
//! inputs (nightly, `scripts/fuzz.sh`), and `tests/fuzz_seeds.rs` calls them on every committed
//! seed under `fuzz/seeds/<target>/` (stable, `cargo test`). Each function takes the raw bytes
//! of one input and panics when something that must hold does not.
//!
//! What is fuzzed is what the core decodes: a JWT's text (its base64url parts, then the claim
//! rules of every profile, then a login through a session), the endpoint's answer and the stored
//! record. JSON is the browser's to parse; here serde_json stands in for it, through the same
//! reading into typed values as the native tests (`tests/common/decode.rs`). Oracles: SPEC.md's
//! rules where they are stated outright, serde_json's reading of the same text, and the `base64`
//! crate.
#![allow(dead_code)]

#[path = "../tests/common/decode.rs"]
mod decode;

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use decode::Payload;
use messenger_auth::core::answer::{read_endpoint_answer, TOKEN_KEYS};
use messenger_auth::core::id::{is_anonymous_id, Random};
use messenger_auth::core::io::PeerMessage;
use messenger_auth::core::record::Record;
use messenger_auth::core::token::{check, JwtError, Token};
use messenger_auth::core::{
    Answer, Config, Effect, Event, Input, LoginFailedError, Millis, Outcome, Reason, Source,
    Status, TokenProfile,
};
use std::borrow::Cow;

type Session = messenger_auth::core::Session<Payload>;
type AuthState = messenger_auth::core::AuthState<Payload>;

const PROFILES: [TokenProfile; 3] = [
    TokenProfile::Any,
    TokenProfile::Messaging,
    TokenProfile::ContactCenter,
];

/// SPEC.md's `reason` strings and the `detail`s of `invalid_jwt`.
const REASONS: [&str; 9] = [
    "invalid_jwt",
    "expired",
    "unauthenticated",
    "http_error",
    "network",
    "timeout",
    "bad_response",
    "callback_error",
    "superseded",
];
const JWT_DETAILS: [&str; 9] = [
    "malformed",
    "unsupported_alg",
    "missing_kid",
    "missing_external_id",
    "external_id_too_long",
    "invalid_scope",
    "invalid_claim",
    "missing_exp",
    "missing_identity",
];

/// 2026-11-21T00:00:00Z, in milliseconds.
const T0: Millis = 1_795_219_200_000;
/// `exp`'s upper bound (10^11 s) in milliseconds: every token has expired by then.
const LATE: Millis = 100_000_000_000_000;
/// (now, refreshLeewaySeconds) pairs every accepted token is tried at; 86,400 is the largest
/// leeway `init()` takes.
const MOMENTS: [(Millis, u32); 4] = [(0, 0), (T0, 60), (T0, 86_400), (LATE, 0)];

/// The text a browser would hand over for these bytes (JavaScript strings hold no invalid UTF-8).
fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A reason's string, as the page sees it.
fn reason_name(reason: Reason) -> String {
    serde_json::to_value(reason)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// serde_json's reading of `text` as a JSON object.
fn reference(text: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_str(text) {
        Ok(serde_json::Value::Object(object)) => Some(object),
        _ => None,
    }
}

// ---- token ----

/// Target `token`: the bytes as the JWT text.
pub fn token(data: &[u8]) {
    jwt(&text(data));
}

/// Target `token_parts`: `header NUL payload [NUL signature]`, each part base64url-encoded as
/// raw bytes (so invalid UTF-8 and any JSON reach the checks past base64); the signature is
/// `sig` when the input has no second NUL.
pub fn token_parts(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == 0);
    let header = parts.next().unwrap_or_default();
    let payload = parts.next().unwrap_or_default();
    let signature = parts.next().unwrap_or(b"sig");
    jwt(&[header, payload, signature]
        .map(|part| URL_SAFE_NO_PAD.encode(part))
        .join("."));
}

/// Every check of every profile on one JWT text, directly and through a session.
pub fn jwt(jwt: &str) {
    let any = check(decode::jwt(jwt), TokenProfile::Any);
    shape_agrees(jwt, &any);
    for profile in PROFILES {
        let checked = check(decode::jwt(jwt), profile);
        match &checked {
            Ok(token) => accepted(jwt, profile, token),
            Err(error) => {
                assert!(JWT_DETAILS.contains(&error.detail()), "{error:?}");
                assert!(!error.message().is_empty());
            }
        }
        // A stricter profile only ever refuses more than `any`.
        if profile != TokenProfile::Any && checked.is_ok() {
            assert!(any.is_ok(), "{profile:?} accepts what any refuses");
        }
        match &checked {
            // A refusal depends neither on the clock nor much on the profile: one session of
            // the three, picked by the input's length, is enough (and keeps the target fast).
            Err(_) if PROFILES[jwt.len() % 3] != profile => {}
            Err(_) => logged_in(jwt, profile, &checked, T0, 60),
            Ok(token) => {
                for (now, leeway) in MOMENTS {
                    logged_in(jwt, profile, &checked, now, leeway);
                }
                // Either side of the last fresh millisecond.
                for leeway in [0, 60] {
                    let last = token
                        .exp_ms()
                        .and_then(|ms| ms.checked_sub(u64::from(leeway) * 1000 + 1));
                    if let Some(last) = last {
                        logged_in(jwt, profile, &checked, last, leeway);
                        logged_in(jwt, profile, &checked, last + 1, leeway);
                    }
                }
            }
        }
    }
}

/// What must hold of a token accepted under `profile`.
fn accepted(jwt: &str, profile: TokenProfile, token: &Token<Payload>) {
    let key = &token.user_key;
    assert!(
        key.len() > 2 && (key.starts_with("x:") || key.starts_with("s:") || key.starts_with("e:")),
        "{key:?}"
    );
    assert_eq!(
        token.jwt,
        jwt.trim_matches(|c: char| c.is_ascii_whitespace())
    );
    if let Some(exp) = token.exp {
        assert!(exp > 0.0 && exp < 1e11, "exp {exp}");
        let ms = token.exp_ms().expect("exp_ms with exp");
        assert!(
            ms as f64 <= exp * 1000.0 && (ms + 1) as f64 > exp * 1000.0,
            "exp_ms {ms} of {exp}"
        );
    }
    if let Some(id) = &token.user.external_id {
        assert!(!id.is_empty() && id.chars().count() <= 255);
    }
    // The same token read with the references: the base64 crate, serde_json.
    let parts: Vec<&str> = token.jwt.split('.').collect();
    let [header, payload] = [parts[0], parts[1]].map(|part| {
        let bytes = BASE64URL
            .decode(part)
            .expect("an accepted part is base64url");
        String::from_utf8(bytes).expect("an accepted part is UTF-8")
    });
    let header = reference(&header).expect("an accepted header is a JSON object");
    let alg = header.get("alg").and_then(|a| a.as_str());
    match profile {
        TokenProfile::Any => assert!(matches!(alg, Some("HS256" | "ES256")), "{alg:?}"),
        TokenProfile::Messaging => {
            assert_eq!(alg, Some("HS256"));
            assert!(header
                .get("kid")
                .and_then(|k| k.as_str())
                .is_some_and(|k| !k.is_empty()));
        }
        TokenProfile::ContactCenter => assert_eq!(alg, Some("ES256")),
    }
    let claims = reference(&payload).expect("an accepted payload is a JSON object");
    assert_eq!(
        token.user.claims.as_object(),
        Some(&claims),
        "the claims are the payload"
    );
    let scope = claims.get("scope");
    match profile {
        TokenProfile::Messaging => {
            assert_eq!(scope.and_then(|s| s.as_str()), Some("user"));
            assert!(token.user.external_id.is_some());
        }
        TokenProfile::ContactCenter => assert!(token.exp.is_some()),
        TokenProfile::Any => assert!(scope.is_none_or(|s| s == "user")),
    }
    assert_eq!(claims.get("exp").and_then(|e| e.as_f64()), token.exp);
    assert_eq!(
        token.user.email_verified,
        claims.get("email_verified") == Some(&serde_json::Value::Bool(true))
    );
    // An integer external_id is its decimal text, and only when the browser reads it exactly.
    if let Some(n) = claims.get("external_id").and_then(|id| id.as_f64()) {
        assert!(
            n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0,
            "{n}"
        );
        assert_eq!(token.user.external_id, Some((n as i64).to_string()));
    }
}

/// base64url as the checks read it: padding optional, trailing bits tolerated.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// `malformed` exactly when the references find no three base64url parts, a JSON object header
/// and payload, and a signature (SPEC.md: a signed algorithm always has one).
fn shape_agrees(jwt: &str, any: &Result<Token<Payload>, JwtError>) {
    let trimmed = jwt.trim_matches(|c: char| c.is_ascii_whitespace());
    let parts: Vec<&str> = trimmed.split('.').collect();
    let object = |part: &str| {
        let text = String::from_utf8(BASE64URL.decode(part).ok()?).ok()?;
        reference(&text)
    };
    let objects = parts.len() == 3
        && BASE64URL.decode(parts[2]).is_ok()
        && object(parts[0]).is_some()
        && object(parts[1]).is_some();
    if objects && !parts[2].is_empty() {
        assert_ne!(
            any.as_ref().err(),
            Some(&JwtError::Malformed),
            "{jwt:?} is well formed"
        );
    }
    if !objects {
        assert_eq!(
            any.as_ref().err(),
            Some(&JwtError::Malformed),
            "{jwt:?} is malformed"
        );
    }
}

/// A seeded random source (ids, jitter).
struct Seeded(u32);

impl Random for Seeded {
    fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        self.0
    }
}

fn session(profile: TokenProfile, leeway: u32) -> Session {
    let config = Config {
        token_profile: profile,
        refresh_leeway_seconds: leeway,
        ..Config::default()
    };
    Session::new(config, Box::new(Seeded(7)))
}

fn effects(session: &mut Session) -> Vec<Effect<Payload>> {
    std::iter::from_fn(|| session.poll_effect()).collect()
}

/// `loginUser(jwtCallback)` at `now`, the callback answering `jwt`, as the page sees it.
fn logged_in(
    jwt: &str,
    profile: TokenProfile,
    checked: &Result<Token<Payload>, JwtError>,
    now: Millis,
    leeway: u32,
) {
    let mut s = session(profile, leeway);
    s.handle(now, Input::Start { stored: None });
    effects(&mut s);
    s.handle(
        now,
        Input::LoginRequested {
            waiter: 1,
            callback: true,
        },
    );
    let lock = effects(&mut s)
        .into_iter()
        .find_map(|e| match e {
            Effect::AcquireLock { lock } => Some(lock),
            _ => None,
        })
        .expect("a login asks for the lock");
    s.handle(now, Input::LockGranted { lock, stored: None });
    let request = effects(&mut s)
        .into_iter()
        .find_map(|e| match e {
            Effect::RequestToken {
                request,
                source: Source::Callback,
            } => Some(request),
            _ => None,
        })
        .expect("the lock starts the request");
    s.handle(
        now,
        Input::Answered {
            request,
            answer: Answer::Jwt(decode::jwt(jwt)),
        },
    );
    let effects = effects(&mut s);
    let (state, error) = effects
        .iter()
        .find_map(|e| match e {
            Effect::Settle {
                waiter: 1,
                outcome: Outcome::Login(state, error),
            } => Some((state.clone(), error.clone())),
            _ => None,
        })
        .expect("the login settles");
    let broadcast = effects
        .iter()
        .any(|e| matches!(e, Effect::Broadcast(PeerMessage::TokenIssued { .. })));
    let fresh = checked.as_ref().ok().map(|token| match token.exp {
        // SPEC.md: fresh while `now` is before `exp` (rounded down to the ms) less the leeway.
        Some(exp) => ((now + u64::from(leeway) * 1000) as f64) < (exp * 1000.0).floor(),
        None => true,
    });
    match (checked, fresh) {
        (Ok(token), Some(true)) => {
            assert!(error.is_none(), "fresh token refused at {now}: {error:?}");
            assert_eq!(state.status, Status::Authenticated);
            assert_eq!(state.expires_at, token.exp);
            assert_eq!(
                state.user.as_ref().map(|u| &u.external_id),
                Some(&token.user.external_id)
            );
            assert!(broadcast);
            if let Some(deadline) = s.next_deadline() {
                assert!(deadline > now);
            }
            // What was stored restores the same token, at the same moment.
            let stored = effects
                .iter()
                .rev()
                .find_map(|e| match e {
                    Effect::Store(record) => Some(record.clone()),
                    _ => None,
                })
                .expect("an accepted token is stored");
            assert_eq!(stored.jwt.as_deref(), Some(token.jwt.as_str()));
            assert_eq!(stored.source, Some(Source::Callback));
            assert_eq!(stored.anonymous_id, state.anonymous_id);
            let stored = serde_json::to_string(&stored).expect("records serialise");
            let back = restored(profile, leeway, now, &stored);
            assert_eq!(back.status, Status::Authenticated);
            assert_eq!(back.expires_at, token.exp);
            // ... and not once its fresh time is over.
            if let Some(ms) = token.exp_ms() {
                let over = ms.saturating_sub(u64::from(leeway) * 1000).max(now);
                assert_ne!(
                    restored(profile, leeway, over, &stored).status,
                    Status::Authenticated
                );
            }
        }
        (Ok(token), _) => {
            let error = error.expect("a stale token is refused");
            assert_eq!(
                (error.reason, error.detail, error.status),
                (Reason::Expired, None, None)
            );
            assert!(
                !error.message.contains(&token.jwt),
                "the message holds the token"
            );
            refused(&state, &error, &effects);
        }
        (Err(e), _) => {
            let error = error.expect("an invalid token is refused");
            assert_eq!(
                (error.reason, error.detail),
                (Reason::InvalidJwt, Some(e.detail()))
            );
            assert_eq!(error.message, e.message());
            refused(&state, &error, &effects);
        }
    }
}

/// A refused login: not authenticated, told once, nothing sent to the other tabs.
fn refused(state: &AuthState, error: &LoginFailedError, effects: &[Effect<Payload>]) {
    assert!(REASONS.contains(&reason_name(error.reason).as_str()));
    assert_ne!(state.status, Status::Authenticated);
    let told: Vec<&LoginFailedError> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Emit(Event::LoginFailed(e)) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(told, [error]);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Broadcast(_))));
}

/// The state a page starts in with `stored` (the record's text) in storage.
fn restored(profile: TokenProfile, leeway: u32, now: Millis, stored: &str) -> AuthState {
    let mut s = session(profile, leeway);
    s.handle(
        now,
        Input::Start {
            stored: decode::record(stored),
        },
    );
    s.state()
}

// ---- answer ----

/// Target `answer`: two bytes of HTTP status (little-endian), one byte whose low bit says
/// "redirected", then the body.
pub fn answer(data: &[u8]) {
    let status = u16::from_le_bytes([
        data.first().copied().unwrap_or(0),
        data.get(1).copied().unwrap_or(0),
    ]);
    let redirected = data.get(2).is_some_and(|b| b & 1 == 1);
    let body = text(data.get(3..).unwrap_or_default());
    let object = reference(&body);
    let result = read_endpoint_answer(status, redirected, decode::body(&body));
    let error = match result {
        Ok(jwt) => {
            assert!((200..=299).contains(&status), "a token from HTTP {status}");
            // The first of the keys whose value is a string.
            let object = object.expect("a token comes from a JSON object");
            let first = TOKEN_KEYS.iter().find_map(|k| object.get(*k)?.as_str());
            assert_eq!(first, Some(jwt.text.as_str()));
            return;
        }
        Err(error) => error,
    };
    assert!(REASONS.contains(&reason_name(error.reason).as_str()));
    assert_eq!(error.status, (status != 0).then_some(status));
    if status != 0 {
        assert!(
            error.message.contains(&status.to_string()),
            "{}",
            error.message
        );
    }
    let expected = match status {
        0 => Reason::Network,
        200..=299 => Reason::BadResponse,
        401 | 403 => Reason::Unauthenticated,
        _ => Reason::HttpError,
    };
    assert_eq!(error.reason, expected, "HTTP {status}");
    // SPEC.md: network errors and 5xx answers are retried; 4xx answers are not.
    assert_eq!(
        error.reason.is_retried(error.status),
        status == 0 || (500..=599).contains(&status)
    );
    if expected != Reason::BadResponse {
        assert_eq!(error.detail, None);
        return;
    }
    let detail = if body.trim().is_empty() {
        "empty"
    } else if object.is_none() {
        "not_json"
    } else {
        "missing_token"
    };
    assert_eq!(error.detail, Some(detail));
    assert_eq!(
        error.message.contains("redirected"),
        redirected && detail == "not_json"
    );
    if let Some(object) = object {
        assert!(TOKEN_KEYS
            .iter()
            .all(|k| object.get(*k).is_none_or(|v| !v.is_string())));
    }
}

// ---- record ----

/// Target `record`: the bytes as the stored record's text, against SPEC.md's reading of it
/// (version 1, a well-formed anonymous id, optional string `jwt`, `source` one of two names).
pub fn record(data: &[u8]) {
    let text = text(data);
    let ours = decode::record(&text).and_then(|stored| stored.restore());
    if let Some(restored) = &ours {
        assert!(is_anonymous_id(&restored.anonymous_id));
        // What the SDK writes of it reads back the same.
        let token = restored
            .jwt
            .as_ref()
            .zip(restored.source)
            .map(|(jwt, source)| (jwt.text.clone(), source));
        let written = Record::new(restored.anonymous_id.clone(), token.clone());
        let again = decode::record(&serde_json::to_string(&written).expect("records serialise"))
            .and_then(|stored| stored.restore())
            .expect("the SDK reads its own record");
        assert_eq!(again.anonymous_id, restored.anonymous_id);
        assert_eq!(
            again.jwt.map(|j| j.text),
            token.as_ref().map(|t| t.0.clone())
        );
    }
    let Some(object) = reference(&text) else {
        assert!(ours.is_none(), "{text:?}");
        return;
    };
    let field = |key: &str| match object.get(key) {
        None | Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) => Some(Some(s.clone())),
        Some(_) => None,
    };
    let expected = (|| {
        if object.get("v").and_then(|v| v.as_f64()) != Some(1.0) {
            return None;
        }
        let anonymous_id = field("anonymous_id")?.filter(|id| is_anonymous_id(id))?;
        let source = match field("source")?.as_deref() {
            None => None,
            Some(name) => Some(Source::from_name(name)?),
        };
        Some((anonymous_id, field("jwt")?, source))
    })();
    let ours = ours.map(|r| (r.anonymous_id, r.jwt.map(|j| j.text), r.source));
    assert_eq!(ours, expected, "{text:?}");
}
