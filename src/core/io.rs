//! The session's boundary with the shell: what goes in (`Input`), what comes out (`Effect`),
//! and the names and values both carry.

use crate::core::error::LoginFailedError;
use crate::core::state::{AuthState, Event};
use alloc::string::String;

/// Milliseconds since the epoch (the wall clock, `Date.now()`).
pub type Millis = u64;

/// Names a pending promise of the page; chosen by the shell.
pub type WaiterId = u32;

/// Names one attempt at getting a token. Answers to any other attempt than the current one
/// (late, timed out, superseded, from before a logout) are discarded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestId(pub u64);

/// Where tokens come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The page's `jwtCallback`, given to `loginUser`.
    Callback,
    /// `GET authEndpoint` with the site's cookies.
    Endpoint,
}

impl Source {
    /// The name used in the stored record.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Callback => "callback",
            Source::Endpoint => "endpoint",
        }
    }
}

/// What happened.
#[derive(Clone, Debug)]
pub enum Input {
    /// `init()`: `stored` is the text of the storage record, if one could be read.
    Start {
        /// The record's text.
        stored: Option<String>,
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
        answer: Answer,
    },
    /// The page became visible, came back online, or was restored from the back/forward cache.
    Woke,
    /// Time passed (the shell's timer reached `next_deadline()`, or any other moment).
    Tick,
    /// Another tab of the same origin said something.
    Peer(PeerMessage),
    /// The cross-tab lock asked for with `AcquireLock` is held; `stored` is the record's text
    /// read just now (another tab may have written a fresh token while this one waited).
    LockGranted {
        /// The lock.
        lock: RequestId,
        /// The record's text, if one could be read.
        stored: Option<String>,
    },
}

/// What a token source answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// The jwtCallback answered a string.
    Jwt(String),
    /// The jwtCallback answered something else; its JavaScript type.
    NotAString(&'static str),
    /// The jwtCallback threw.
    CallbackThrew,
    /// The endpoint answered.
    Endpoint {
        /// HTTP status (0 for an opaque answer).
        status: u16,
        /// The body text.
        body: String,
        /// Whether a redirect was followed.
        redirected: bool,
    },
    /// The endpoint could not be reached.
    NetworkError,
}

/// Messages between the SDK's tabs of one origin (BroadcastChannel).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerMessage {
    /// A tab logged out; every tab becomes anonymous with this anonymous id.
    LoggedOut {
        /// The new anonymous id.
        anonymous_id: String,
    },
    /// A tab got a token from its source; the others adopt it instead of asking their own.
    TokenIssued {
        /// The token.
        jwt: String,
        /// Where it came from.
        source: Source,
    },
}

/// What the shell must do.
#[derive(Clone, Debug)]
pub enum Effect {
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
    /// Write this record text to the chosen storage.
    Store(String),
    /// Remove the record from every storage the SDK may have written.
    Purge,
    /// Deliver an event to handlers and as a window event.
    Emit(Event),
    /// Settle a pending promise.
    Settle {
        /// Which.
        waiter: WaiterId,
        /// With what.
        outcome: Outcome,
    },
    /// Tell the other tabs.
    Broadcast(PeerMessage),
    /// Ask for the lock that lets one tab at a time request a token (`LockGranted` follows).
    /// Where the browser has no Web Locks, grant it at once.
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
pub enum Outcome {
    /// `loginUser`: the promise's state, and the loginCallback's error (`None` on success).
    Login(AuthState, Option<LoginFailedError>),
    /// `startEngagement`: the resulting state.
    State(AuthState),
    /// `getToken`: a fresh token, or none.
    Token(Option<String>),
}
