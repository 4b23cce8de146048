//! The wasm shell: performs what the core asks (fetch, callbacks, storage, timer, events,
//! other tabs) and turns what the browser reports into core inputs.

pub mod api;
mod bindings;
mod cell;
mod convert;
mod driver;
mod emitter;
pub mod json;
mod keyed;
mod lifecycle;
mod locks;
mod promise;
mod random;
mod sinks;
mod source;
mod storage;
mod tabs;
mod timer;
