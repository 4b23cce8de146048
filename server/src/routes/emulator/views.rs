//! The JSON shapes of the emulator's answers (camelCase, as the widget's API names them).

use messenger_emulator::{Identity, Message};
use serde::Serialize;

use crate::emulator::store::AgentRow;

#[derive(Serialize)]
pub struct MessageView<'a> {
    pub id: i64,
    pub text: &'a str,
    /// Whether the sender was authenticated when it was sent.
    pub authenticated: bool,
    /// Milliseconds since the epoch.
    pub at: u64,
}

impl<'a> From<&'a Message> for MessageView<'a> {
    fn from(message: &'a Message) -> Self {
        MessageView {
            id: message.seq,
            text: &message.text,
            authenticated: message.authenticated,
            at: message.at_ms,
        }
    }
}

#[derive(Serialize)]
pub struct EmailView<'a> {
    pub address: &'a str,
    pub verified: bool,
}

impl<'a> From<&'a Identity> for EmailView<'a> {
    fn from(identity: &'a Identity) -> Self {
        EmailView {
            address: identity.address.as_str(),
            verified: identity.verified,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentUserView<'a> {
    pub user_id: &'a str,
    pub name: Option<&'a str>,
    pub external_id: Option<&'a str>,
    pub authenticated: bool,
    pub emails: Vec<EmailView<'a>>,
    pub messages: Vec<MessageView<'a>>,
}

impl<'a> From<&'a AgentRow> for AgentUserView<'a> {
    fn from(row: &'a AgentRow) -> Self {
        AgentUserView {
            user_id: row.id.as_str(),
            name: row.name.as_deref(),
            external_id: row.external_id.as_deref(),
            authenticated: row.external_id.is_some(),
            emails: row.identities.iter().map(EmailView::from).collect(),
            messages: row.messages.iter().map(MessageView::from).collect(),
        }
    }
}
