//! The SDK's other tabs of this origin, through a `BroadcastChannel`.

use crate::browser::decode;
use crate::browser::encode;
use crate::browser::inbox::Inbox;
use crate::core::{Input, PeerMessage};
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "messenger-auth";

/// The channel and its listener; closed when dropped.
pub struct Tabs {
    channel: BroadcastChannel,
    _listener: EventListener,
}

impl Tabs {
    /// Opens the channel, sending the SDK's messages from other tabs to `inbox` (anything else on
    /// it is ignored); `None` where the browser has no channel.
    pub fn open(inbox: &Inbox) -> Option<Tabs> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let inbox = inbox.clone();
        let listener = EventListener::new(&channel, "message", move |event| {
            let message = event
                .dyn_ref::<MessageEvent>()
                .and_then(|event| decode::peer(&event.data()));
            if let Some(message) = message {
                inbox.send(Input::Peer(message));
            }
        });
        Some(Tabs {
            channel,
            _listener: listener,
        })
    }

    /// Sends `message` to the other tabs.
    pub fn send(&self, message: &PeerMessage) {
        let _ = self.channel.post_message(&encode::plain(message));
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        self.channel.close();
    }
}
