//! One timer for the core's next deadline. The core compares deadlines with the wall clock when
//! it fires, so a timer delayed by sleep or throttling only makes the work late, once.

use crate::browser::inbox::Inbox;
use crate::core::{Input, Millis};
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// `setTimeout` takes a signed 32-bit delay; a longer one would fire at once.
const MAX_DELAY_MS: u64 = i32::MAX as u64;

/// The pending timeout and its deadline; cleared when replaced or dropped.
pub struct Timer {
    inbox: Inbox,
    pending: RefCell<Option<(Millis, Timeout)>>,
    /// Set when the pending timeout has fired, so the same deadline is scheduled again if asked.
    fired: Rc<Cell<bool>>,
}

impl Timer {
    /// A timer that sends `Tick` to `inbox`.
    pub fn new(inbox: Inbox) -> Timer {
        Timer {
            inbox,
            pending: RefCell::new(None),
            fired: Rc::new(Cell::new(false)),
        }
    }

    /// Ticks at `deadline` (ms since the epoch), instead of any earlier deadline; `None` cancels.
    pub fn set(&self, now: Millis, deadline: Option<Millis>) {
        let mut pending = self.pending.borrow_mut();
        if !self.fired.get() && pending.as_ref().map(|(at, _)| *at) == deadline {
            return;
        }
        *pending = deadline.map(|at| {
            let delay = at.saturating_sub(now).min(MAX_DELAY_MS) as u32;
            let (inbox, fired) = (self.inbox.clone(), self.fired.clone());
            self.fired.set(false);
            let timeout = Timeout::new(delay, move || {
                fired.set(true);
                inbox.send(Input::Tick);
            });
            (at, timeout)
        });
    }
}
