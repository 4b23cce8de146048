//! `AuthState`, the user it names, and the events of SPEC.md.

use crate::core::error::LoginFailedError;
use crate::core::json::Object;
use alloc::rc::Rc;
use alloc::string::String;

/// `AuthState.status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// No valid token.
    Anonymous,
    /// No valid token, and a request for one is under way.
    Authenticating,
    /// A token that has not reached `exp`.
    Authenticated,
}

impl Status {
    /// The status string of SPEC.md.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Anonymous => "anonymous",
            Status::Authenticating => "authenticating",
            Status::Authenticated => "authenticated",
        }
    }
}

/// `AuthState.user`: who the token names.
#[derive(Clone, Debug)]
pub struct User {
    /// `external_id` (an integer claim is read as its decimal string).
    pub external_id: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// True only when `email_verified` is the boolean `true`.
    pub email_verified: bool,
    /// Every payload claim.
    pub claims: Object,
}

/// What the page sees through `getAuthState()`, events and promises.
#[derive(Clone, Debug)]
pub struct AuthState {
    /// `status`; `authenticationStatus` is `status == Authenticated`.
    pub status: Status,
    /// The user, when authenticated; shared rather than copied into each state and event.
    pub user: Option<Rc<User>>,
    /// `exp` of the token, seconds since the epoch, when authenticated with one.
    pub expires_at: Option<f64>,
    /// This visitor's id before login; new after every logout.
    pub anonymous_id: String,
    /// On the change to authenticated: the anonymous visitor to merge.
    pub previous_anonymous_id: Option<String>,
}

/// An event for `on()` handlers and `messenger:<name>` window events.
#[derive(Clone, Debug)]
pub enum Event {
    /// The SDK has loaded and restored its state.
    Ready(AuthState),
    /// Status or user changed.
    AuthStateChanged(AuthState),
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

impl Event {
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

/// The API's methods, numbered by their place here: the wasm exports one `call(method, a, b)`
/// and the facade (www/sdk/facade.js) numbers them by `API_METHODS` of www/sdk/queue.js, which
/// must list them in this order (tests/api_methods.rs checks).
pub const API_METHODS: [&str; 8] = [
    "init",
    "loginUser",
    "logoutUser",
    "startEngagement",
    "getToken",
    "getAuthState",
    "on",
    "off",
];

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
