//! The pure core: every decision of the SDK, with no browser types and no clock of its own.

pub mod answer;
pub mod backoff;
pub mod base64url;
pub mod config;
pub mod error;
pub mod id;
pub mod io;
pub mod json;
pub mod record;
pub mod session;
pub mod state;
pub mod text;
pub mod token;

pub use config::{Config, ConfigError, OptionValue, StorageKind, TokenProfile};
pub use error::{LoginFailedError, Reason};
pub use session::{Answer, Effect, Input, Millis, Outcome, RequestId, Session, Source, WaiterId};
pub use state::{AuthState, Event, Status, User};
pub use token::{JwtError, Token};
