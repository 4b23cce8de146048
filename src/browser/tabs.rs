//! The SDK's other tabs of this origin, through a `BroadcastChannel`.

use crate::core::session::{PeerMessage, Source};
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
        let data = Object::new();
        let set = |key: &str, value: &str| {
            let _ = Reflect::set(&data, &key.into(), &JsValue::from(value));
        };
        match message {
            PeerMessage::LoggedOut { anonymous_id } => {
                set("type", "loggedOut");
                set("anonymousId", anonymous_id);
            }
            PeerMessage::TokenIssued { jwt, source } => {
                set("type", "tokenIssued");
                set("jwt", jwt);
                set("source", source.as_str());
            }
        }
        let _ = self.channel.post_message(&data);
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        self.channel.close();
    }
}

/// Reads a message; anything malformed is ignored (the core checks ids and tokens again).
fn decode(data: &JsValue) -> Option<PeerMessage> {
    let field = |name: &str| Reflect::get(data, &name.into()).ok()?.as_string();
    match field("type")?.as_str() {
        "loggedOut" => Some(PeerMessage::LoggedOut {
            anonymous_id: field("anonymousId")?,
        }),
        "tokenIssued" => {
            let source = match field("source")?.as_str() {
                "callback" => Source::Callback,
                "endpoint" => Source::Endpoint,
                _ => return None,
            };
            Some(PeerMessage::TokenIssued {
                jwt: field("jwt")?,
                source,
            })
        }
        _ => None,
    }
}
