//! Conversations: a user's messages in the order they were sent. A merge moves the anonymous
//! visitor's messages into the user's conversation, where they take their place by time.

/// A message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The store's sequence number: unique, increasing in the order messages were stored.
    pub seq: i64,
    pub text: String,
    /// Whether the sender was authenticated when it was sent (kept as it was through merges).
    pub authenticated: bool,
    /// When it was received, in milliseconds since the epoch.
    pub at_ms: u64,
}

/// `messages` in the order they were sent: by time, then by the order they were stored (two
/// messages of the same millisecond).
pub fn in_order(mut messages: Vec<Message>) -> Vec<Message> {
    messages.sort_by_key(|message| (message.at_ms, message.seq));
    messages
}

/// The conversation after a merge: the user's messages and the visitor's, in order.
pub fn merged(into: Vec<Message>, from: Vec<Message>) -> Vec<Message> {
    let mut all = into;
    all.extend(from);
    in_order(all)
}
