//! The core's random source: `crypto.getRandomValues`, which makes anonymous ids unguessable.

use crate::core::id::Random;
use web_sys::Crypto;

/// Random bits from the Web Crypto API.
pub struct CryptoRandom(Crypto);

impl CryptoRandom {
    /// The page's Web Crypto, if it has one (every browser that runs WebAssembly does).
    pub fn new() -> Option<CryptoRandom> {
        web_sys::window()?.crypto().ok().map(CryptoRandom)
    }
}

impl Random for CryptoRandom {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0u8; 4];
        // Throws only for more than 65,536 bytes or a non-integer array.
        let _ = self.0.get_random_values_with_u8_array(&mut bytes);
        u32::from_le_bytes(bytes)
    }
}
