//! The wasm shell: performs what the core asks (fetch, callbacks, storage, timer, events, locks,
//! other tabs) and turns what the browser reports into core inputs. It decides nothing.
//!
//! The API (`api`) calls the driver; the driver calls the performers; a browser happening comes
//! back as a core `Input` through the inbox, which the driver drains. A performer never calls the
//! driver.

pub mod api;
mod decode;
mod driver;
mod emitter;
mod encode;
mod inbox;
mod lifecycle;
mod locks;
mod random;
mod source;
mod storage;
mod tabs;
mod timer;
mod waiters;
