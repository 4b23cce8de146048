//! messenger-auth: authenticates the end user of a support-messaging widget.
//!
//! `core` decides everything and knows nothing of the browser; `browser` (wasm32 only) performs
//! what the core asks and exposes the JavaScript API.
#![deny(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod browser;
