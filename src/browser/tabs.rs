//! The SDK's other tabs of this origin, through a `BroadcastChannel`.

use crate::browser::bindings::BroadcastChannel;
use crate::browser::bindings::Function;
use crate::browser::bindings::Obj;
use crate::browser::convert::bare_object;
use crate::core::session::{PeerMessage, Source};
use wasm_bindgen::{JsCast, JsValue};

const CHANNEL: &str = "messenger-auth";

/// The channel and its listener; closed when dropped.
pub struct Tabs {
    channel: BroadcastChannel,
    listener: Function,
}

impl Tabs {
    /// Opens the channel, `listener(event)` receiving its messages (see [`message`]); `None`
    /// where the browser has none (or the page broke it).
    pub fn open(listener: &Function) -> Option<Tabs> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        channel.listen("message", listener).ok()?;
        Some(Tabs {
            channel,
            listener: listener.clone(),
        })
    }

    /// Sends `message` to the other tabs.
    pub fn send(&self, message: &PeerMessage) {
        let data = bare_object();
        let field = |key: &str, value: &str| data.set_str(key, value);
        match message {
            PeerMessage::LoggedOut { anonymous_id } => {
                field("type", "loggedOut");
                field("anonymousId", anonymous_id);
            }
            PeerMessage::TokenIssued { jwt, source } => {
                field("type", "tokenIssued");
                field("jwt", jwt);
                field("source", source.as_str());
            }
        }
        let _ = self.channel.post_message(&data);
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        let _ = self.channel.unlisten("message", &self.listener);
        self.channel.close();
    }
}

/// The message a channel event carries, if it is one of the SDK's. Anything malformed is
/// ignored (the core checks ids and tokens again); a throwing getter or proxy is malformed.
pub fn message(event: &JsValue) -> Option<PeerMessage> {
    let data = event.unchecked_ref::<Obj>().get("data").ok()?;
    let field = |name: &str| data.unchecked_ref::<Obj>().get(name).ok()?.as_string();
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
