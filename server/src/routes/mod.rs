//! The HTTP endpoints, one file per concern. `crate::app` puts them together.

pub mod auth;
pub mod emulator;
pub mod files;
pub mod jwks;
pub mod site;
