//! The SDK's other tabs of this origin, through a `BroadcastChannel`.

use crate::core::session::PeerMessage;
use gloo_events::EventListener;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "messenger-auth";

/// The channel and its listener; closed when dropped.
pub struct Tabs {
    channel: BroadcastChannel,
    _listener: EventListener,
}

impl Tabs {
    /// Opens the channel; `None` where the browser has none (or the page broke it).
    pub fn open(on_message: impl Fn(PeerMessage) + 'static) -> Option<Tabs> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let listener = EventListener::new(&channel, "message", move |event| {
            if let Some(message) = event
                .dyn_ref::<MessageEvent>()
                .and_then(|e| decode(&e.data()))
            {
                on_message(message);
            }
        });
        Some(Tabs {
            channel,
            _listener: listener,
        })
    }

    /// Sends `message` to the other tabs.
    pub fn send(&self, message: &PeerMessage) {
        let PeerMessage::LoggedOut { anonymous_id } = message;
        let data = Object::new();
        let _ = Reflect::set(&data, &"type".into(), &"loggedOut".into());
        let _ = Reflect::set(
            &data,
            &"anonymousId".into(),
            &JsValue::from(anonymous_id.as_str()),
        );
        let _ = self.channel.post_message(&data);
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        self.channel.close();
    }
}

/// Reads a message; anything malformed is ignored (the core checks the id's shape too).
fn decode(data: &JsValue) -> Option<PeerMessage> {
    let field = |name: &str| Reflect::get(data, &name.into()).ok()?.as_string();
    match field("type")?.as_str() {
        "loggedOut" => Some(PeerMessage::LoggedOut {
            anonymous_id: field("anonymousId")?,
        }),
        _ => None,
    }
}
