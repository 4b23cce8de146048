//! The time the rules are given: the routes read the system clock once per request.

use std::time::{SystemTime, UNIX_EPOCH};

/// A moment, in the two units the rules use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// Seconds since the epoch (token `exp`).
    pub secs: u64,
    /// Milliseconds since the epoch (when a message was received).
    pub ms: u64,
}

impl Now {
    pub fn from_millis(ms: u64) -> Now {
        Now {
            secs: ms / 1000,
            ms,
        }
    }

    /// The system clock (a clock before 1970 reads as the epoch).
    pub fn system() -> Now {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| {
                u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
            });
        Now::from_millis(ms)
    }
}
