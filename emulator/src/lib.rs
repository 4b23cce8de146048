//! The messaging emulator's rules, as plain functions: they take `now`, the token, the keys and
//! the directory's current facts, and return decisions. Nothing here reads a clock, a socket, a
//! file or a database, or makes random numbers: the demo server (`server/`) reads the facts from
//! SQLite, calls these functions, and performs what they decide.
//!
//! - [`keys`]: signing keys (at most 10), their secrets and what is shown of them.
//! - [`header`], [`messaging`], [`contact_center`]: token verification, one [`Rejection`] per
//!   reason.
//! - [`identity`]: who a login is (external_id, then verified email), merges and supersedes.
//! - [`email_prompt`]: an unauthenticated visitor's email, under the [`EmailIdentities`] setting.
//! - [`conversation`]: message order and the identities a merge leaves.
//! - [`input`]: the shapes of what visitors send (anonymousId, message text, email address).

#![forbid(unsafe_code)]

pub mod contact_center;
pub mod conversation;
pub mod directory;
pub mod email_prompt;
pub mod header;
pub mod identity;
pub mod input;
pub mod keys;
pub mod messaging;
pub mod reason;
pub mod settings;

pub use contact_center::{verify_contact_center, ContactCenterKey};
pub use conversation::{in_order, merged, Message};
pub use directory::{EmailHolder, Identity, UserId, UserRecord};
pub use email_prompt::{decide_email_prompt, EmailPromptDecision, EmailPromptFacts};
pub use identity::{
    anonymous_visitor, merge_identities, resolve_login, LoginDecision, LoginFacts, Merge,
    Resolution, Supersede, VisitorOutcome,
};
pub use input::{AnonymousId, EmailAddress, InputError, MessageText};
pub use keys::{new_key, KeyName, KeyRandomness, KeyRefusal, SigningKey, MAX_KEYS};
pub use messaging::{verify_messaging, UserClaims, Verified};
pub use reason::Rejection;
pub use settings::EmailIdentities;
