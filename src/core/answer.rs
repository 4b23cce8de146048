//! Reading the authentication endpoint's answer (SPEC.md "Authentication endpoint").

use crate::core::error::{LoginFailedError, Reason};
use crate::core::json::{read_object, ReadJson, Value};
use alloc::string::String;

/// The keys a 200 answer may carry the token under, in order of preference.
pub const TOKEN_KEYS: [&str; 3] = ["loginUserIdJwt", "token", "jwt"];

/// The JWT in the endpoint's answer, or why there is none. `redirected` says the browser
/// followed a redirect to get this answer (usually to a login page); `read` reads its JSON.
pub fn read_endpoint_answer(
    status: u16,
    body: &str,
    redirected: bool,
    read: ReadJson,
) -> Result<String, LoginFailedError> {
    match status {
        200..=299 => {}
        401 | 403 => {
            return Err(LoginFailedError::http(
                Reason::Unauthenticated,
                None,
                status,
                "the visitor is not logged in at the site.",
            ))
        }
        500..=599 => {
            return Err(LoginFailedError::http(
                Reason::HttpError,
                None,
                status,
                "the site's authentication endpoint failed (retried with back-off).",
            ))
        }
        0 => {
            return Err(LoginFailedError::new(
                Reason::Network,
                None,
                "The authentication endpoint's answer could not be read (network or CORS error).",
            ))
        }
        _ => {
            return Err(LoginFailedError::http(
                Reason::HttpError,
                None,
                status,
                "check authEndpoint: it must answer 200 with {\"loginUserIdJwt\": \"<JWT>\"}, or 401/403 when the visitor is not logged in.",
            ))
        }
    }
    let bad = |detail, message: &str| {
        Err(LoginFailedError::http(
            Reason::BadResponse,
            Some(detail),
            status,
            message,
        ))
    };
    if body.trim_ascii().is_empty() {
        return bad(
            "empty",
            "the answer is empty; it must be JSON {\"loginUserIdJwt\": \"<JWT>\"}.",
        );
    }
    let Some(object) = read_object(read, body.as_bytes()) else {
        return if redirected {
            bad(
                "not_json",
                "the endpoint redirected (to a login page?) and the answer is not JSON; answer 401 or 403 for a visitor who is not logged in.",
            )
        } else {
            bad(
                "not_json",
                "the answer is not a JSON object; it must be {\"loginUserIdJwt\": \"<JWT>\"}.",
            )
        };
    };
    for key in TOKEN_KEYS {
        if let Some(Value::String(jwt)) = object.get(key) {
            return Ok(jwt.clone());
        }
    }
    bad(
        "missing_token",
        "the JSON answer has no string \"loginUserIdJwt\" (nor \"token\" or \"jwt\").",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::parse_utf8 as parse;

    fn reason(status: u16, body: &str) -> (Reason, Option<&'static str>) {
        let e = read_endpoint_answer(status, body, false, parse).unwrap_err();
        assert_eq!(e.status, if status == 0 { None } else { Some(status) });
        (e.reason, e.detail)
    }

    #[test]
    fn accepted_keys_in_order() {
        assert_eq!(
            read_endpoint_answer(200, r#"{"loginUserIdJwt":"a.b.c"}"#, false, parse),
            Ok("a.b.c".into())
        );
        assert_eq!(
            read_endpoint_answer(200, r#"{"token":"t.t.t"}"#, false, parse),
            Ok("t.t.t".into())
        );
        assert_eq!(
            read_endpoint_answer(200, r#"{"jwt":"j.j.j","token":"t.t.t"}"#, false, parse),
            Ok("t.t.t".into())
        );
        assert_eq!(
            read_endpoint_answer(200, r#"{"loginUserIdJwt":5,"jwt":"j.j.j"}"#, false, parse),
            Ok("j.j.j".into())
        );
    }

    #[test]
    fn failures() {
        assert_eq!(reason(401, ""), (Reason::Unauthenticated, None));
        assert_eq!(reason(403, "{}"), (Reason::Unauthenticated, None));
        assert_eq!(reason(404, ""), (Reason::HttpError, None));
        assert_eq!(reason(429, ""), (Reason::HttpError, None));
        assert_eq!(reason(301, ""), (Reason::HttpError, None));
        assert_eq!(reason(500, ""), (Reason::HttpError, None));
        assert_eq!(reason(503, ""), (Reason::HttpError, None));
        assert_eq!(reason(0, ""), (Reason::Network, None));
        assert_eq!(reason(204, ""), (Reason::BadResponse, Some("empty")));
        assert_eq!(
            reason(200, "<html>login</html>"),
            (Reason::BadResponse, Some("not_json"))
        );
        assert_eq!(
            reason(200, "[\"a.b.c\"]"),
            (Reason::BadResponse, Some("not_json"))
        );
        assert_eq!(
            reason(200, "{}"),
            (Reason::BadResponse, Some("missing_token"))
        );
        let redirected = read_endpoint_answer(200, "<html>", true, parse).unwrap_err();
        assert!(redirected.message.contains("redirected"));
        assert!(reason(500, "").0.is_retried(Some(500)));
        assert!(!reason(429, "").0.is_retried(Some(429)));
    }
}
