//! The retry schedule: at most 3 attempts per request, exponential back-off with jitter.

use crate::core::id::Random;

/// Attempts per request, the first included.
pub const MAX_ATTEMPTS: u8 = 3;

/// Back-off before the second attempt, before jitter; it doubles for each later attempt.
pub const BASE_DELAY_MS: u64 = 500;

/// No wait is longer than this, whatever the attempt.
pub const MAX_DELAY_MS: u64 = 8_000;

/// How long to wait after failed attempt number `attempt` (1-based) before the next one:
/// "equal jitter", half the exponential delay plus a random part of the other half, so that
/// tabs that failed together do not retry together.
pub fn delay_ms(attempt: u8, random: &mut dyn Random) -> u64 {
    let exponent = u32::from(attempt.saturating_sub(1)).min(16);
    let full = (BASE_DELAY_MS << exponent).min(MAX_DELAY_MS);
    let half = full / 2;
    half + u64::from(random.next_u32()) % (half + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(u32);
    impl Random for Fixed {
        fn next_u32(&mut self) -> u32 {
            self.0
        }
    }

    #[test]
    fn doubles_with_jitter_within_bounds_and_caps() {
        for seed in [0, 1, 77, u32::MAX] {
            let mut random = Fixed(seed);
            let mut previous_max = 0;
            for attempt in 1..=10u8 {
                let full = (BASE_DELAY_MS << (attempt - 1)).min(MAX_DELAY_MS);
                let d = delay_ms(attempt, &mut random);
                assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d}");
                assert!(full >= previous_max);
                previous_max = full;
            }
            assert!(delay_ms(u8::MAX, &mut random) <= MAX_DELAY_MS);
        }
    }

    #[test]
    fn jitter_spreads() {
        assert_ne!(delay_ms(2, &mut Fixed(0)), delay_ms(2, &mut Fixed(400)));
    }
}
