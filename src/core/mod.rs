//! The pure core: every decision of the SDK, with no browser types and no clock of its own.

pub mod answer;
pub mod backoff;
pub mod claims;
pub mod config;
pub mod error;
mod flight;
pub mod id;
pub mod io;
pub mod jwt;
pub mod record;
pub mod session;
pub mod state;
pub mod token;

pub use claims::{Claims, Decoded, Field, Header, Jwt};
pub use config::{Config, ConfigError, OptionValue, StorageKind, TokenProfile};
pub use error::{LoginFailedError, Reason};
pub use io::{
    Answer, Effect, Input, Millis, Outcome, PageEvent, PeerMessage, RequestId, Source, WaiterId,
};
pub use session::Session;
pub use state::{AuthState, Event, Status, User};
pub use token::{JwtError, Token};
