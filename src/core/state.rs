//! `AuthState`, the user it names, and the events of SPEC.md, in the shapes the page sees
//! (`Serialize`, camelCase).

use crate::core::error::LoginFailedError;
use serde::Serialize;
use std::rc::Rc;

/// `AuthState.status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No valid token.
    Anonymous,
    /// No valid token, and a request for one is under way.
    Authenticating,
    /// A token that has not reached `exp`.
    Authenticated,
}

/// `AuthState.user`: who the token names. `P` is the token's payload as the shell keeps it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User<P> {
    /// `external_id` (an integer claim is read as its decimal string).
    pub external_id: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// True only when `email_verified` is the boolean `true`.
    pub email_verified: bool,
    /// Every payload claim: the payload itself.
    pub claims: P,
}

/// What the page sees through `getAuthState()`, events and promises.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthState<P> {
    /// `status`.
    pub status: Status,
    /// `status == Authenticated`, for flows that read a boolean.
    pub authentication_status: bool,
    /// The user, when authenticated; shared rather than copied into each state and event.
    pub user: Option<Rc<User<P>>>,
    /// `exp` of the token, seconds since the epoch, when authenticated with one.
    pub expires_at: Option<f64>,
    /// This visitor's id before login; new after every logout.
    pub anonymous_id: String,
    /// On the change to authenticated: the anonymous visitor to merge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_anonymous_id: Option<String>,
}

/// An event for `on()` handlers and `messenger:<name>` window events; it serialises as its
/// `detail`.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
pub enum Event<P> {
    /// The SDK has loaded and restored its state.
    Ready(AuthState<P>),
    /// Status or user changed.
    AuthStateChanged(AuthState<P>),
    /// A token stopped being fresh; a renewal starts.
    TokenExpiring {
        /// The token's `exp`.
        expires_at: f64,
    },
    /// A renewal of the same user's token succeeded.
    TokenRefreshed {
        /// The new token's `exp`, if it has one.
        expires_at: Option<f64>,
    },
    /// `exp` passed without a new token.
    TokenExpired {
        /// The token's `exp`.
        expires_at: f64,
    },
    /// A request for a token failed.
    LoginFailed(LoginFailedError),
    /// The visitor logged out here or in another tab.
    LoggedOut {
        /// The new anonymous id.
        anonymous_id: String,
    },
}

impl<P> Event<P> {
    /// The event name of SPEC.md (the window event is `messenger:` + this).
    pub fn name(&self) -> &'static str {
        match self {
            Event::Ready(_) => "ready",
            Event::AuthStateChanged(_) => "authStateChanged",
            Event::TokenExpiring { .. } => "tokenExpiring",
            Event::TokenRefreshed { .. } => "tokenRefreshed",
            Event::TokenExpired { .. } => "tokenExpired",
            Event::LoginFailed(_) => "loginFailed",
            Event::LoggedOut { .. } => "loggedOut",
        }
    }
}

/// The event names, for validating `on()`.
pub const EVENT_NAMES: [&str; 7] = [
    "ready",
    "authStateChanged",
    "tokenExpiring",
    "tokenRefreshed",
    "tokenExpired",
    "loginFailed",
    "loggedOut",
];
