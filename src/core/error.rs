//! Why a request for a token failed: `Reason` and `LoginFailedError` of SPEC.md.

use serde::Serialize;

/// The `reason` of a `LoginFailedError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The token broke one of the client-side checks; `detail` names the rule.
    InvalidJwt,
    /// The token's `exp` leaves no fresh time after the leeway.
    Expired,
    /// The authentication endpoint answered 401 or 403: not logged in at the site.
    Unauthenticated,
    /// The endpoint answered an HTTP error other than 401/403.
    HttpError,
    /// The request did not reach the endpoint, or its answer was lost.
    Network,
    /// No answer within `timeoutMs`.
    Timeout,
    /// A 2xx answer that does not carry a token.
    BadResponse,
    /// The page's jwtCallback threw, answered something other than a string, or is missing.
    CallbackError,
    /// A newer `loginUser()` or a `logoutUser()` replaced this login.
    Superseded,
}

impl Reason {
    /// Whether a request that failed for this reason is tried again (with back-off).
    pub fn is_retried(self, status: Option<u16>) -> bool {
        match self {
            Reason::Network | Reason::Timeout => true,
            Reason::HttpError => matches!(status, Some(500..=599)),
            _ => false,
        }
    }
}

/// The error given to `loginCallback` and in `loginFailed` events:
/// `{ type: "LoginFailedError", reason, detail?, status?, message }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename = "LoginFailedError")]
pub struct LoginFailedError {
    /// Why.
    pub reason: Reason,
    /// Which rule or case, where the reason has several (`invalid_jwt` always has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'static str>,
    /// The HTTP status of the endpoint's answer, where there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// What happened and what to fix, for the developer. Never contains the token.
    pub message: String,
}

impl LoginFailedError {
    /// An error without an HTTP status.
    pub fn new(reason: Reason, detail: Option<&'static str>, message: impl Into<String>) -> Self {
        LoginFailedError {
            reason,
            detail,
            status: None,
            message: message.into(),
        }
    }

    /// An error for an HTTP answer: the status goes into the message too.
    pub fn http(reason: Reason, detail: Option<&'static str>, status: u16, message: &str) -> Self {
        LoginFailedError {
            reason,
            detail,
            status: Some(status),
            message: format!("The authentication endpoint answered HTTP {status}: {message}"),
        }
    }
}
