//! messenger-auth: authenticates the end user of a support-messaging widget.
//!
//! `core` decides everything and knows nothing of the browser; `browser` (wasm32 only) performs
//! what the core asks and exposes the JavaScript API.
#![deny(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod browser;

/// A smaller allocator than std's dlmalloc (about 3 KB of gzip less); the SDK keeps a handful of
/// live blocks, so its O(free blocks) calls cost nothing measurable.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: the SDK's wasm runs on the page's one thread (no shared memory, no workers).
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
