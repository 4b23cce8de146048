//! The injected random source, and anonymous visitor ids made from it.

/// Randomness the shell supplies (`crypto.getRandomValues` in the browser); tests supply a
/// seeded sequence so that ids and back-off jitter are reproducible.
pub trait Random {
    /// 32 random bits.
    fn next_u32(&mut self) -> u32;
}

/// A new anonymous visitor id: a random UUID (version 4), the form widgets expect.
pub fn new_anonymous_id(random: &mut dyn Random) -> String {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(4) {
        chunk.copy_from_slice(&random.next_u32().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let mut id = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            id.push('-');
        }
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

/// Whether `id` has the shape `new_anonymous_id` makes (stored ids are checked before reuse).
pub fn is_anonymous_id(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counter(u32);
    impl Random for Counter {
        fn next_u32(&mut self) -> u32 {
            self.0 = self.0.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            self.0
        }
    }

    #[test]
    fn ids_are_uuid_v4_and_differ() {
        let mut random = Counter(1);
        let a = new_anonymous_id(&mut random);
        let b = new_anonymous_id(&mut random);
        assert_ne!(a, b);
        for id in [&a, &b] {
            assert!(is_anonymous_id(id), "{id}");
            assert_eq!(&id[14..15], "4");
            assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        }
        assert!(!is_anonymous_id("not-an-id"));
        assert!(!is_anonymous_id("<script>alert(1)</script>xxxxxxxxxxx"));
    }
}
