//! The messaging emulator's shell: its store (SQLite) and the service that performs the rules of
//! the `messenger-emulator` crate on it. The HTTP routes are in `crate::routes::emulator`.

pub mod admin_token;
pub mod clock;
pub mod error;
pub mod random;
pub mod service;
pub mod store;

pub use admin_token::AdminToken;
pub use clock::Now;
pub use error::EmulatorError;
pub use service::Emulator;
pub use store::Store;
