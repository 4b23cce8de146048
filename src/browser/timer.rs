//! One timer for the core's next deadline. The core compares deadlines with the wall clock
//! when it fires, so a timer delayed by sleep or throttling only makes the work late, once.

use js_sys::Function;

/// `setTimeout` takes a signed 32-bit delay; a longer one would fire at once.
const MAX_DELAY_MS: u64 = i32::MAX as u64;

/// The pending timeout (its deadline and id), cleared when replaced or dropped.
#[derive(Default)]
pub struct Timer {
    pending: Option<(u64, i32)>,
}

impl Timer {
    /// Calls `tick` at `deadline` (ms since the epoch), replacing any other; `None` cancels.
    pub fn set(&mut self, now: u64, deadline: Option<u64>, tick: &Function) {
        if self.pending.map(|(at, _)| at) == deadline {
            return;
        }
        self.cancel();
        let (Some(at), Some(window)) = (deadline, web_sys::window()) else {
            return;
        };
        let delay = at.saturating_sub(now).min(MAX_DELAY_MS) as i32;
        // A page's broken setTimeout leaves nothing pending: the next change tries again.
        if let Ok(id) = window.set_timeout_with_callback_and_timeout_and_arguments_0(tick, delay) {
            self.pending = Some((at, id));
        }
    }

    /// Forgets the fired timeout, so the next `set` schedules even for the same deadline.
    pub fn fired(&mut self) {
        self.pending = None;
    }

    fn cancel(&mut self) {
        if let (Some((_, id)), Some(window)) = (self.pending.take(), web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.cancel();
    }
}
