//! One timer for the core's next deadline. The core compares deadlines with the wall clock
//! when it fires, so a timer delayed by sleep or throttling only makes the work late, once.

use gloo_timers::callback::Timeout;

/// `setTimeout` takes a signed 32-bit delay; a longer one would fire at once.
const MAX_DELAY_MS: u64 = i32::MAX as u64;

/// The pending timeout, cancelled when replaced or dropped.
#[derive(Default)]
pub struct Timer {
    pending: Option<(u64, Timeout)>,
}

impl Timer {
    /// Fires `on_fire` at `deadline` (ms since the epoch), replacing any other; `None` cancels.
    pub fn set(&mut self, now: u64, deadline: Option<u64>, on_fire: impl FnOnce() + 'static) {
        if self.pending.as_ref().map(|(at, _)| *at) == deadline {
            return;
        }
        self.pending = deadline.map(|at| {
            let delay = at.saturating_sub(now).min(MAX_DELAY_MS);
            (at, Timeout::new(delay as u32, on_fire))
        });
    }

    /// Forgets the fired timeout, so the next `set` schedules even for the same deadline.
    pub fn fired(&mut self) {
        self.pending = None;
    }
}
