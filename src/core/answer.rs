//! Reading the authentication endpoint's answer (SPEC.md "Authentication endpoint").

use crate::core::claims::{Field, Jwt};
use crate::core::error::{LoginFailedError, Reason};

/// The keys a 200 answer may carry the token under, in order of preference.
pub const TOKEN_KEYS: [&str; 3] = ["loginUserIdJwt", "token", "jwt"];

/// The endpoint's answer body, as the shell read it.
#[derive(Clone, Debug, PartialEq)]
// Moved once, from the shell to the session: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Body<P> {
    /// Nothing but white space.
    Empty,
    /// Not JSON, or JSON that is not an object.
    NotJson,
    /// A JSON object: its own members at `TOKEN_KEYS`, in that order, strings decoded as JWTs.
    Object([Field<Jwt<P>>; 3]),
}

impl<P> Body<P> {
    /// A JSON object's body: its own members `member(key)` at the token keys, strings decoded
    /// as JWTs by `jwt`.
    pub fn object(member: impl Fn(&str) -> Field, jwt: impl Fn(String) -> Jwt<P>) -> Body<P> {
        Body::Object(TOKEN_KEYS.map(|key| member(key).map(&jwt)))
    }
}

/// The JWT in the endpoint's answer, or why there is none. `redirected` says the browser
/// followed a redirect to get this answer (usually to a login page).
pub fn read_endpoint_answer<P>(
    status: u16,
    redirected: bool,
    body: Body<P>,
) -> Result<Jwt<P>, LoginFailedError> {
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
    let members = match body {
        Body::Empty => {
            return bad(
                "empty",
                "the answer is empty; it must be JSON {\"loginUserIdJwt\": \"<JWT>\"}.",
            )
        }
        Body::NotJson if redirected => {
            return bad(
                "not_json",
                "the endpoint redirected (to a login page?) and the answer is not JSON; answer 401 or 403 for a visitor who is not logged in.",
            )
        }
        Body::NotJson => {
            return bad(
                "not_json",
                "the answer is not a JSON object; it must be {\"loginUserIdJwt\": \"<JWT>\"}.",
            )
        }
        Body::Object(members) => members,
    };
    for member in members {
        if let Field::String(jwt) = member {
            return Ok(jwt);
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

    fn jwt(text: &str) -> Field<Jwt<()>> {
        Field::String(Jwt {
            text: text.into(),
            decoded: None,
        })
    }

    fn object(members: [Field<Jwt<()>>; 3]) -> Body<()> {
        Body::Object(members)
    }

    fn text(result: Result<Jwt<()>, LoginFailedError>) -> String {
        result.expect("a token").text
    }

    fn reason(status: u16, body: Body<()>) -> (Reason, Option<&'static str>) {
        let e = read_endpoint_answer(status, false, body).expect_err("a failure");
        assert_eq!(e.status, if status == 0 { None } else { Some(status) });
        (e.reason, e.detail)
    }

    #[test]
    fn accepted_keys_in_order() {
        use Field::Absent;
        assert_eq!(
            text(read_endpoint_answer(
                200,
                false,
                object([jwt("a.b.c"), Absent, Absent])
            )),
            "a.b.c"
        );
        assert_eq!(
            text(read_endpoint_answer(
                200,
                false,
                object([Absent, jwt("t.t.t"), Absent])
            )),
            "t.t.t"
        );
        assert_eq!(
            text(read_endpoint_answer(
                200,
                false,
                object([Absent, jwt("t.t.t"), jwt("j.j.j")])
            )),
            "t.t.t"
        );
        assert_eq!(
            text(read_endpoint_answer(
                200,
                false,
                object([Field::Number(5.0), Absent, jwt("j.j.j")])
            )),
            "j.j.j"
        );
    }

    #[test]
    fn failures() {
        let empty = || object([Field::Absent, Field::Absent, Field::Absent]);
        assert_eq!(reason(401, Body::Empty), (Reason::Unauthenticated, None));
        assert_eq!(reason(403, empty()), (Reason::Unauthenticated, None));
        assert_eq!(reason(404, Body::Empty), (Reason::HttpError, None));
        assert_eq!(reason(429, Body::Empty), (Reason::HttpError, None));
        assert_eq!(reason(301, Body::Empty), (Reason::HttpError, None));
        assert_eq!(reason(500, Body::Empty), (Reason::HttpError, None));
        assert_eq!(reason(503, Body::Empty), (Reason::HttpError, None));
        assert_eq!(reason(0, Body::Empty), (Reason::Network, None));
        assert_eq!(
            reason(204, Body::Empty),
            (Reason::BadResponse, Some("empty"))
        );
        assert_eq!(
            reason(200, Body::NotJson),
            (Reason::BadResponse, Some("not_json"))
        );
        assert_eq!(
            reason(200, empty()),
            (Reason::BadResponse, Some("missing_token"))
        );
        let redirected =
            read_endpoint_answer::<()>(200, true, Body::NotJson).expect_err("not JSON");
        assert!(redirected.message.contains("redirected"));
        assert!(reason(500, Body::Empty).0.is_retried(Some(500)));
        assert!(!reason(429, Body::Empty).0.is_retried(Some(429)));
    }
}
