//! The demo site of messenger-auth (`npm start`): a small site with its own login (a session
//! cookie) and the authentication endpoints of SPEC.md, which sign real JWTs for the logged-in
//! user: ES256 for `/auth/jwt` (public key at `/.well-known/jwks.json`) and HS256 with a `kid`
//! for `/auth/messaging-jwt`. It also serves the demo pages (`www/`) and the SDK (`dist/`).

pub mod app;
pub mod config;
pub mod csp;
pub mod emulator;
pub mod error;
pub mod keys;
pub mod login;
pub mod routes;
pub mod serve;
pub mod session;
pub mod site_setup;
pub mod tokens;

pub use app::{app, AppState};
pub use config::{parse_args, Command, Config};
pub use keys::SigningKeys;
pub use serve::{build_state, run};
