//! messenger-auth: authenticates the end user of a support-messaging widget.
//!
//! `core` decides everything and knows nothing of the browser; `browser` (wasm32 only) performs
//! what the core asks and exposes the JavaScript API.
//!
//! The crate only needs `alloc`. The release wasm (feature `dist`) is `no_std`: std's panic
//! machinery formats messages with `core::fmt` even when nothing prints them, and std brings
//! dlmalloc; together a third of the wasm. Tests build with std.
#![cfg_attr(feature = "dist", no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod browser;

/// A panic is a bug of the SDK (nothing from the page, the network or storage may cause one):
/// the instance stops there, without the bytes that describing it would cost.
#[cfg(all(feature = "dist", target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}

#[cfg(all(feature = "dist", target_arch = "wasm32"))]
#[global_allocator]
// SAFETY: the SDK's wasm runs on the page's one thread (no shared memory, no workers).
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
