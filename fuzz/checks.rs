//! What the fuzz targets check, in one place: `fuzz/fuzz_targets/*.rs` call these on libFuzzer's
//! inputs (nightly, `scripts/fuzz.sh`), and `tests/fuzz_seeds.rs` calls them on every committed
//! seed under `fuzz/seeds/<target>/` (stable, `cargo test`). Each function takes the raw bytes
//! of one input and panics when something that must hold does not.
//!
//! Oracles: SPEC.md's rules where they are stated outright (a 2xx answer is needed for a token,
//! a refused token names a known `detail`, an accepted one has fresh time after the leeway),
//! serde_json for JSON (`tests/common/reference.rs` compares values) and the `base64` crate for
//! base64url.
#![allow(dead_code)]

#[path = "../tests/common/reference.rs"]
mod reference;

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use messenger_auth::core::answer::{read_endpoint_answer, TOKEN_KEYS};
use messenger_auth::core::id::{is_anonymous_id, Random};
use messenger_auth::core::io::PeerMessage;
use messenger_auth::core::json::{self, push_string, Value};
use messenger_auth::core::record::Record;
use messenger_auth::core::token::{decode, JwtError, Token};
use messenger_auth::core::{
    Answer, AuthState, Config, Effect, Event, Input, LoginFailedError, Millis, Outcome, Reason,
    Session, Source, Status, TokenProfile,
};
use reference::same;
use std::borrow::Cow;

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

// ---- token ----

/// Target `token`: the bytes as the JWT text.
pub fn token(data: &[u8]) {
    jwt(&text(data));
}

/// Target `token_parts`: `header NUL payload [NUL signature]`, each part base64url-encoded as
/// raw bytes (so invalid UTF-8 and any JSON reach the decoder past base64); the signature is
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
    let any = decode(jwt, TokenProfile::Any, json::parse_utf8);
    shape_agrees(jwt, &any);
    for profile in PROFILES {
        let decoded = decode(jwt, profile, json::parse_utf8);
        match &decoded {
            Ok(token) => accepted(jwt, profile, token),
            Err(error) => {
                assert!(JWT_DETAILS.contains(&error.detail()), "{error:?}");
                assert!(!error.message().is_empty());
            }
        }
        // A stricter profile only ever refuses more than `any`.
        if profile != TokenProfile::Any && decoded.is_ok() {
            assert!(any.is_ok(), "{profile:?} accepts what any refuses");
        }
        match &decoded {
            // A refusal depends neither on the clock nor much on the profile: one session of
            // the three, picked by the input's length, is enough (and keeps the target fast).
            Err(_) if PROFILES[jwt.len() % 3] != profile => {}
            Err(_) => logged_in(jwt, profile, &decoded, T0, 60),
            Ok(token) => {
                for (now, leeway) in MOMENTS {
                    logged_in(jwt, profile, &decoded, now, leeway);
                }
                // Either side of the last fresh millisecond.
                for leeway in [0, 60] {
                    let last = token
                        .exp_ms()
                        .and_then(|ms| ms.checked_sub(u64::from(leeway) * 1000 + 1));
                    if let Some(last) = last {
                        logged_in(jwt, profile, &decoded, last, leeway);
                        logged_in(jwt, profile, &decoded, last + 1, leeway);
                    }
                }
            }
        }
    }
}

/// What must hold of a token `decode` accepted under `profile`.
fn accepted(jwt: &str, profile: TokenProfile, token: &Token) {
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
    // The same token read with the references: base64 crate, serde_json.
    let parts: Vec<&str> = token.jwt.split('.').collect();
    let [header, payload] = [parts[0], parts[1]].map(|part| {
        let bytes = BASE64URL
            .decode(part)
            .expect("an accepted part is base64url");
        String::from_utf8(bytes).expect("an accepted part is UTF-8")
    });
    let header = match reference(&header) {
        Reference::Value(serde_json::Value::Object(header)) => header,
        Reference::Incomparable => return,
        other => panic!("accepted header {header:?}: the reference reads {other:?}"),
    };
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
    let claims = match reference(&payload) {
        Reference::Value(claims @ serde_json::Value::Object(_)) => claims,
        Reference::Incomparable => return,
        other => panic!("accepted payload {payload:?}: the reference reads {other:?}"),
    };
    assert!(
        same(&Value::Object(token.user.claims.clone()), &claims),
        "claims of {payload:?}"
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
    match (claims.get("exp").and_then(|e| e.as_f64()), token.exp) {
        (Some(a), Some(b)) => assert!(a == b || ((a - b) / a).abs() < 1e-14, "exp {a} vs {b}"),
        (None, None) => {}
        (a, b) => panic!("exp: reference {a:?}, ours {b:?}"),
    }
    assert_eq!(
        token.user.email_verified,
        claims.get("email_verified") == Some(&serde_json::Value::Bool(true))
    );
}

/// base64url as the decoder reads it: padding optional (never more than canonical), trailing
/// bits tolerated.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// `malformed` exactly when the references find no three base64url parts, a JSON object header
/// and payload, and a signature (SPEC.md: a signed algorithm always has one).
fn shape_agrees(jwt: &str, any: &Result<Token, JwtError>) {
    let trimmed = jwt.trim_matches(|c: char| c.is_ascii_whitespace());
    let parts: Vec<&str> = trimmed.split('.').collect();
    let object = |part: &str| {
        let text = String::from_utf8(BASE64URL.decode(part).ok()?).ok()?;
        match reference(&text) {
            Reference::Value(serde_json::Value::Object(_)) => Some(true),
            Reference::Incomparable => None,
            _ => Some(false),
        }
    };
    let well_formed = parts.len() == 3
        && BASE64URL.decode(parts[2]).is_ok()
        && !parts[2].is_empty()
        && object(parts[0]) == Some(true)
        && object(parts[1]) == Some(true);
    if well_formed {
        assert_ne!(
            any.as_ref().err(),
            Some(&JwtError::Malformed),
            "{jwt:?} is well formed"
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
    Session::new(config, Box::new(Seeded(7)), json::parse_utf8)
}

fn effects(session: &mut Session) -> Vec<Effect> {
    std::iter::from_fn(|| session.poll_effect()).collect()
}

/// `loginUser(jwtCallback)` at `now`, the callback answering `jwt`, as the page sees it.
fn logged_in(
    jwt: &str,
    profile: TokenProfile,
    decoded: &Result<Token, JwtError>,
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
            answer: Answer::Jwt(jwt.into()),
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
    let fresh = decoded.as_ref().ok().map(|token| match token.exp {
        // SPEC.md: fresh while `now` is before `exp` (rounded down to the ms) less the leeway.
        Some(exp) => ((now + u64::from(leeway) * 1000) as f64) < (exp * 1000.0).floor(),
        None => true,
    });
    match (decoded, fresh) {
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
                    Effect::Store(text) => Some(text.clone()),
                    _ => None,
                })
                .expect("an accepted token is stored");
            let record =
                Record::decode(&stored, json::parse_utf8).expect("the SDK reads its own record");
            assert_eq!(record.jwt.as_deref(), Some(token.jwt.as_str()));
            assert_eq!(record.source, Some(Source::Callback));
            assert_eq!(record.anonymous_id, state.anonymous_id);
            let restored = restored(profile, leeway, now, &stored);
            assert_eq!(restored.status, Status::Authenticated);
            assert_eq!(restored.expires_at, token.exp);
            // ... and not once its fresh time is over.
            if let Some(ms) = token.exp_ms() {
                let over = ms.saturating_sub(u64::from(leeway) * 1000).max(now);
                assert_ne!(
                    restored_at(profile, leeway, over, &stored),
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
fn refused(state: &AuthState, error: &LoginFailedError, effects: &[Effect]) {
    assert!(REASONS.contains(&error.reason.as_str()));
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

fn restored(profile: TokenProfile, leeway: u32, now: Millis, stored: &str) -> AuthState {
    let mut s = session(profile, leeway);
    s.handle(
        now,
        Input::Start {
            stored: Some(stored.into()),
        },
    );
    s.state()
}

fn restored_at(profile: TokenProfile, leeway: u32, now: Millis, stored: &str) -> Status {
    restored(profile, leeway, now, stored).status
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
    let result = read_endpoint_answer(status, &body, redirected, json::parse_utf8);
    let error = match result {
        Ok(jwt) => {
            assert!((200..=299).contains(&status), "a token from HTTP {status}");
            // The first of the keys whose value is a string.
            if let Reference::Value(serde_json::Value::Object(object)) = reference(&body) {
                let first = TOKEN_KEYS.iter().find_map(|k| object.get(*k)?.as_str());
                assert_eq!(first, Some(jwt.as_str()));
            }
            return;
        }
        Err(error) => error,
    };
    assert!(REASONS.contains(&error.reason.as_str()));
    assert_eq!(error.status, (status != 0).then_some(status));
    if status != 0 {
        let mut digits = String::new();
        messenger_auth::core::text::push_u64(&mut digits, status.into());
        assert!(error.message.contains(&digits), "{}", error.message);
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
    let object = json::read_object(json::parse_utf8, body.as_bytes());
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
    // The reference agrees on what is a JSON object holding no token.
    match reference(&body) {
        Reference::Value(serde_json::Value::Object(object)) => {
            assert_eq!(detail, "missing_token", "{body:?}");
            assert!(TOKEN_KEYS
                .iter()
                .all(|k| object.get(*k).is_none_or(|v| !v.is_string())));
        }
        Reference::Incomparable => {}
        _ => assert_ne!(detail, "missing_token", "{body:?}"),
    }
}

// ---- json ----

/// Target `json`: the bytes as text, against serde_json.
pub fn json(data: &[u8]) {
    let text = text(data);
    let ours = json::parse(&text);
    assert_eq!(
        json::read_object(json::parse_utf8, text.as_bytes()).is_some(),
        matches!(ours, Some(Value::Object(_)))
    );
    match (&ours, reference(&text)) {
        (Some(ours), Reference::Value(theirs)) => {
            assert!(same(ours, &theirs), "{text:?}: {ours:?} vs {theirs:?}")
        }
        (None, Reference::Refused) | (_, Reference::Incomparable) => {}
        (ours, theirs) => panic!("{text:?}: ours {ours:?}, reference {theirs:?}"),
    }
    // Any text written as a JSON string reads back as itself.
    let mut quoted = String::new();
    push_string(&mut quoted, &text);
    assert_eq!(json::parse(&quoted), Some(Value::String(text.into_owned())));
}

/// serde_json's reading, where it is comparable with ours.
#[derive(Debug)]
enum Reference {
    Value(serde_json::Value),
    Refused,
    /// Where the readers differ by design: serde_json's nesting limit (128), and numbers at the
    /// edge of `f64`'s range, which ours reads to within a few units in the last place and so
    /// may round to infinity (refused) where serde_json does not, or the other way round.
    Incomparable,
}

fn reference(text: &str) -> Reference {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) if has_huge_number(&value) => Reference::Incomparable,
        Ok(value) => Reference::Value(value),
        Err(e) => {
            let message = e.to_string();
            if message.starts_with("recursion limit exceeded")
                || message.starts_with("number out of range")
            {
                Reference::Incomparable
            } else {
                Reference::Refused
            }
        }
    }
}

fn has_huge_number(value: &serde_json::Value) -> bool {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Number(n) if n.as_f64().is_some_and(|f| f.abs() > 1e307) => {
                return true
            }
            serde_json::Value::Array(items) => pending.extend(items),
            serde_json::Value::Object(members) => pending.extend(members.values()),
            _ => {}
        }
    }
    false
}

// ---- record ----

/// Target `record`: the bytes as the stored record's text, against SPEC.md's reading of it
/// (version 1, a well-formed anonymous id, optional string `jwt`, `source` one of two names).
pub fn record(data: &[u8]) {
    let text = text(data);
    let ours = Record::decode(&text, json::parse_utf8);
    if let Some(record) = &ours {
        assert!(is_anonymous_id(&record.anonymous_id));
        assert_eq!(
            Record::decode(&record.encode(), json::parse_utf8).as_ref(),
            Some(record),
            "round trip"
        );
    }
    let object = match reference(&text) {
        Reference::Incomparable => return,
        Reference::Value(serde_json::Value::Object(object)) => object,
        Reference::Value(_) | Reference::Refused => {
            assert_eq!(ours, None, "{text:?}");
            return;
        }
    };
    let field = |key: &str| match object.get(key) {
        None | Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) => Some(Some(s.clone())),
        Some(_) => None,
    };
    let expected = (|| {
        if object.get("v").and_then(|v| v.as_u64()) != Some(1) {
            return None;
        }
        let anonymous_id = field("anonymous_id")?.filter(|id| is_anonymous_id(id))?;
        let source = match field("source")?.as_deref() {
            None => None,
            Some("callback") => Some(Source::Callback),
            Some("endpoint") => Some(Source::Endpoint),
            Some(_) => return None,
        };
        Some(Record {
            anonymous_id,
            jwt: field("jwt")?,
            source,
        })
    })();
    assert_eq!(ours, expected, "{text:?}");
}
