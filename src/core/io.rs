//! The session's boundary with the shell: what goes in (`Input`), what comes out (`Effect`),
//! and the names and values both carry. `P` is a token's payload as the shell keeps it.

use crate::core::answer::Body;
use crate::core::claims::{Field, Jwt};
use crate::core::config::StorageKind;
use crate::core::error::LoginFailedError;
use crate::core::record::{Record, StoredRecord};
use crate::core::state::{AuthState, Event};
use serde::Serialize;

/// Milliseconds since the epoch (the wall clock, `Date.now()`).
pub type Millis = u64;

/// Names a pending promise of the page; chosen by the shell.
pub type WaiterId = u32;

/// Names one attempt at getting a token, or one cross-tab lock. Answers to any other attempt than
/// the current one (late, timed out, superseded, from before a logout) are discarded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestId(pub u64);

/// Where tokens come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The page's `jwtCallback`, given to `loginUser`.
    Callback,
    /// `GET authEndpoint` with the site's cookies.
    Endpoint,
}

impl Source {
    /// The source a stored record or another tab's message names, if it names one.
    pub fn from_name(name: &str) -> Option<Source> {
        match name {
            "callback" => Some(Source::Callback),
            "endpoint" => Some(Source::Endpoint),
            _ => None,
        }
    }
}

/// A page-lifecycle event, as the browser reported it; the session decides whether it is a wake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageEvent {
    /// `online`.
    Online,
    /// `pageshow`; `persisted` when the page comes back from the back/forward cache.
    PageShow {
        /// `PageTransitionEvent.persisted`.
        persisted: bool,
    },
    /// `visibilitychange`; `hidden` is `document.hidden` after it.
    VisibilityChange {
        /// `document.hidden`.
        hidden: bool,
    },
}

impl PageEvent {
    /// Whether the page woke: back online, back from the back/forward cache, or visible again.
    pub fn is_wake(self) -> bool {
        match self {
            PageEvent::Online => true,
            PageEvent::PageShow { persisted } => persisted,
            PageEvent::VisibilityChange { hidden } => !hidden,
        }
    }
}

/// What happened.
#[derive(Clone, Debug)]
// Moved once, from the shell to the session: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Input<P> {
    /// `init()`: `stored` is the storage record, if there is one.
    Start {
        /// The record as read back.
        stored: Option<StoredRecord<P>>,
    },
    /// `loginUser()`; `callback` says the page gave a jwtCallback (the shell keeps it).
    LoginRequested {
        /// The promise (and loginCallback) to settle.
        waiter: WaiterId,
        /// Whether a jwtCallback was given.
        callback: bool,
    },
    /// `logoutUser()`.
    LogoutRequested,
    /// `startEngagement()`.
    EngagementStarted {
        /// The promise to settle with the resulting state.
        waiter: WaiterId,
    },
    /// `getToken()`.
    TokenWanted {
        /// The promise to settle with a fresh token or null.
        waiter: WaiterId,
    },
    /// A token source answered attempt `request`.
    Answered {
        /// The attempt this answers.
        request: RequestId,
        /// What it answered.
        answer: Answer<P>,
    },
    /// A page-lifecycle event (a wake, perhaps).
    Page(PageEvent),
    /// Time passed (the shell's timer reached `next_deadline()`, or any other moment).
    Tick,
    /// Another tab of the same origin said something.
    Peer(PeerMessage<Jwt<P>>),
    /// The cross-tab lock asked for with `AcquireLock` is held (or cannot be had: the tab goes
    /// ahead alone); `stored` is the record read just now (another tab may have written a fresh
    /// token while this one waited).
    LockGranted {
        /// The lock.
        lock: RequestId,
        /// The record as read back.
        stored: Option<StoredRecord<P>>,
    },
}

/// What a token source answered.
#[derive(Clone, Debug, PartialEq)]
// Moved once, from the shell to the session: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Answer<P> {
    /// The jwtCallback answered a string.
    Jwt(Jwt<P>),
    /// The jwtCallback answered something else: what it was ("a number", "null"...).
    NotAString(&'static str),
    /// The jwtCallback threw, or the promise it returned rejected.
    CallbackThrew,
    /// The endpoint answered.
    Endpoint {
        /// HTTP status.
        status: u16,
        /// Whether a redirect was followed.
        redirected: bool,
        /// The body.
        body: Body<P>,
    },
    /// The endpoint could not be reached.
    NetworkError,
}

/// Messages between the SDK's tabs of one origin (`BroadcastChannel`), as sent (`T` the token's
/// text) and as received (`T` the token the shell decoded from it).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum PeerMessage<T = String> {
    /// A tab logged out; every tab becomes anonymous with this anonymous id.
    LoggedOut {
        /// The new anonymous id.
        anonymous_id: String,
    },
    /// A tab got a token from its source; the others adopt it instead of asking their own.
    TokenIssued {
        /// The token.
        jwt: T,
        /// Where it came from.
        source: Source,
    },
}

impl<P> PeerMessage<Jwt<P>> {
    /// The message whose own members `member(key)` gives, its token decoded by `jwt`; `None`
    /// when it is not one of the SDK's (another script's, or tampered).
    pub fn read(
        member: impl Fn(&str) -> Field,
        jwt: impl FnOnce(String) -> Jwt<P>,
    ) -> Option<Self> {
        let text = |key| match member(key) {
            Field::String(s) => Some(s),
            _ => None,
        };
        match text("type")?.as_str() {
            "loggedOut" => Some(PeerMessage::LoggedOut {
                anonymous_id: text("anonymousId")?,
            }),
            "tokenIssued" => Some(PeerMessage::TokenIssued {
                source: Source::from_name(&text("source")?)?,
                jwt: jwt(text("jwt")?),
            }),
            _ => None,
        }
    }
}

/// What the shell must do.
#[derive(Clone, Debug)]
pub enum Effect<P> {
    /// Start attempt `request`: call the jwtCallback, or GET the endpoint.
    RequestToken {
        /// The attempt; its answer comes back as `Input::Answered`.
        request: RequestId,
        /// Which source to ask.
        source: Source,
    },
    /// Abort attempt `request` (its answer will be discarded anyway).
    CancelRequest {
        /// The attempt.
        request: RequestId,
    },
    /// Write the record to the storage chosen by the `storage` option.
    Store(Record),
    /// Remove the record from this storage.
    Remove(StorageKind),
    /// Drop the page's jwtCallback: the user it served has logged out.
    ForgetJwtCallback,
    /// Deliver an event to handlers and as a window event.
    Emit(Event<P>),
    /// Settle a pending promise.
    Settle {
        /// Which.
        waiter: WaiterId,
        /// With what.
        outcome: Outcome<P>,
    },
    /// Tell the other tabs.
    Broadcast(PeerMessage),
    /// Ask for the lock that lets one tab at a time request a token (`LockGranted` follows).
    /// Where the browser has no Web Locks, or refuses them, it is granted at once.
    AcquireLock {
        /// The lock.
        lock: RequestId,
    },
    /// Release the lock, or give up waiting for it.
    ReleaseLock {
        /// The lock.
        lock: RequestId,
    },
}

/// How a pending call ends.
#[derive(Clone, Debug)]
pub enum Outcome<P> {
    /// `loginUser`: the promise's state, and the loginCallback's error (`None` on success).
    Login(AuthState<P>, Option<LoginFailedError>),
    /// `startEngagement`: the resulting state.
    State(AuthState<P>),
    /// `getToken`: a fresh token, or none.
    Token(Option<String>),
}
