//! One timer for the core's next deadline. The core compares deadlines with the wall clock
//! when it fires, so a timer delayed by sleep or throttling only makes the work late, once.

use crate::browser::bindings::Function;
use crate::browser::sinks::{Kind, Sinks};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // Bound by hand: web-sys's `setTimeout` gives the id as an i32, which truncates the ids of
    // fake clocks (test tools count from 10^12), so the wrong timer would be cleared.
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(handler: &Function, delay_ms: i32) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
}

/// `setTimeout` takes a signed 32-bit delay; a longer one would fire at once.
const MAX_DELAY_MS: u64 = i32::MAX as u64;

/// The pending timeout (its deadline and id), cleared when replaced or dropped.
#[derive(Default)]
pub struct Timer {
    pending: Option<(u64, JsValue)>,
}

impl Timer {
    /// Calls `tick` at `deadline` (ms since the epoch), replacing any other; `None` cancels.
    pub fn set(&mut self, now: u64, deadline: Option<u64>, sinks: &Sinks) {
        if self.pending.as_ref().map(|(at, _)| *at) == deadline {
            return;
        }
        self.cancel();
        let Some(at) = deadline else {
            return;
        };
        let delay = at.saturating_sub(now).min(MAX_DELAY_MS) as i32;
        // A page's broken setTimeout leaves nothing pending: the next change tries again.
        if let Ok(id) = set_timeout(&sinks.bound(Kind::Tick, 0, &JsValue::UNDEFINED), delay) {
            self.pending = Some((at, id));
        }
    }

    /// Forgets the fired timeout, so the next `set` schedules even for the same deadline.
    pub fn fired(&mut self) {
        self.pending = None;
    }

    fn cancel(&mut self) {
        if let Some((_, id)) = self.pending.take() {
            let _ = clear_timeout(&id);
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.cancel();
    }
}
