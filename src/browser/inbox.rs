//! The one queue by which browser happenings (answers, the timer, page events, other tabs, locks)
//! come back to the driver, as core inputs.

use crate::browser::decode::Payload;
use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};

/// A core input, with the shell's payload.
pub type Input = crate::core::Input<Payload>;

/// Where performers put what happened; the driver drains it.
#[derive(Clone)]
pub struct Inbox(UnboundedSender<Input>);

impl Inbox {
    /// An inbox and the receiving end the driver drains.
    pub fn new() -> (Inbox, UnboundedReceiver<Input>) {
        let (sender, receiver) = unbounded();
        (Inbox(sender), receiver)
    }

    /// Queues `input` for the driver.
    pub fn send(&self, input: Input) {
        // Fails only once the driver is gone, when nobody waits for it.
        let _ = self.0.unbounded_send(input);
    }
}
