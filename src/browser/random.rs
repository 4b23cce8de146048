//! The core's random source, from `crypto.getRandomValues`.

use crate::browser::bindings::get_random_values;
use crate::core::id::Random;

/// Random bits from the Web Crypto API, with `Math.random` where a page has broken it.
pub struct CryptoRandom;

impl Random for CryptoRandom {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0u8; 4];
        if get_random_values(&mut bytes).is_ok() {
            u32::from_le_bytes(bytes)
        } else {
            (crate::browser::bindings::random() * 4_294_967_296.0) as u32
        }
    }
}
