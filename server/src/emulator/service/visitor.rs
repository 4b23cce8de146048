//! What the widget does for its visitor: send messages, answer the bot's email prompt, read the
//! conversation; as an authenticated user (a messaging token, verified on every call) or as an
//! unauthenticated visitor (the SDK's anonymousId).

use messenger_emulator::{
    anonymous_visitor, decide_email_prompt, in_order, merge_identities, resolve_login, AnonymousId,
    EmailAddress, EmailPromptFacts, Message, MessageText, Resolution, UserId,
};

use super::login::{authenticate, login_facts};
use super::Emulator;
use crate::emulator::random::new_user_id;
use crate::emulator::store::{StoreError, Tx};
use crate::emulator::{EmulatorError, Now};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// `Authorization: Bearer <messaging token>`.
    Token(String),
    /// `X-Anonymous-Id: <the SDK's anonymousId>`.
    Anonymous(AnonymousId),
}

/// A message stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub seq: i64,
    pub user_id: UserId,
    pub authenticated: bool,
}

/// A conversation: none (`user_id` none, no messages) for a visitor never seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub user_id: Option<UserId>,
    pub messages: Vec<Message>,
}

impl Emulator {
    /// Stores a message in the sender's conversation; an authenticated sender's is found (or
    /// made) by the login rules, an anonymous one's is the anonymousId's record (or a new one).
    pub fn send_message(
        &self,
        sender: &Sender,
        text: &MessageText,
        now: Now,
    ) -> Result<Sent, EmulatorError> {
        match sender {
            Sender::Token(jwt) => {
                let verified = self.verify_messaging(jwt, now)?;
                self.store.write(|tx| {
                    let (user_id, _) = authenticate(tx, &verified.claims, None, now)?;
                    let seq = tx.insert_message(&user_id, text.as_str(), true, now.ms)?;
                    Ok(Sent {
                        seq,
                        user_id,
                        authenticated: true,
                    })
                })
            }
            Sender::Anonymous(anonymous_id) => self.store.write(|tx| {
                let user_id = visitor_record(tx, anonymous_id, now)?;
                let seq = tx.insert_message(&user_id, text.as_str(), false, now.ms)?;
                Ok(Sent {
                    seq,
                    user_id,
                    authenticated: false,
                })
            }),
        }
    }

    /// The bot's email prompt, answered by an unauthenticated visitor: the address stays in the
    /// chat history, and becomes an identity as the email identities setting says.
    pub fn give_email(
        &self,
        anonymous_id: &AnonymousId,
        address: &EmailAddress,
        now: Now,
    ) -> Result<(), EmulatorError> {
        self.store.write(|tx| {
            let visitor = tx.user_by_anonymous_id(anonymous_id)?;
            let facts = EmailPromptFacts {
                holders: tx.holders_of(address)?,
                visitor: visitor.clone(),
            };
            let decision =
                decide_email_prompt(tx.email_identities()?, address, &facts, new_user_id());
            let user = decision.visitor.user();
            if let Resolution::New(id) = &decision.visitor {
                tx.insert_user(id, None, Some(anonymous_id), None, now.ms)?;
            }
            tx.insert_message(user, &decision.history_text, false, now.ms)?;
            if let Some(superseded) = &decision.superseded {
                tx.remove_identity(&superseded.holders, &superseded.address)?;
            }
            if let Some(identity) = decision.identity {
                let current = visitor.map(|v| v.identities).unwrap_or_default();
                tx.replace_identities(user, &merge_identities(&current, &[identity]))?;
            }
            Ok(())
        })
    }

    /// The sender's conversation, in order; reading creates nothing. For a token, the user the
    /// login rules would find (none yet for a new user).
    pub fn conversation(&self, sender: &Sender, now: Now) -> Result<Conversation, EmulatorError> {
        let verified = match sender {
            Sender::Token(jwt) => Some(self.verify_messaging(jwt, now)?),
            Sender::Anonymous(_) => None,
        };
        self.store.read(|tx| {
            let user_id = match (sender, &verified) {
                (_, Some(verified)) => {
                    let facts = login_facts(tx, &verified.claims, None)?;
                    match resolve_login(&verified.claims, &facts, new_user_id())?.resolution {
                        Resolution::Existing(id) | Resolution::AttachExternalId(id) => Some(id),
                        Resolution::New(_) => None,
                    }
                }
                (Sender::Anonymous(anonymous_id), None) => {
                    tx.user_by_anonymous_id(anonymous_id)?.map(|user| user.id)
                }
                (Sender::Token(_), None) => None,
            };
            let messages = match &user_id {
                Some(id) => in_order(tx.messages(id)?),
                None => Vec::new(),
            };
            Ok(Conversation { user_id, messages })
        })
    }
}

/// The record of an unauthenticated visitor, made on its first message.
fn visitor_record(tx: &Tx<'_>, anonymous_id: &AnonymousId, now: Now) -> Result<UserId, StoreError> {
    let existing = tx.user_by_anonymous_id(anonymous_id)?;
    let resolution = anonymous_visitor(existing.as_ref(), new_user_id());
    if let Resolution::New(id) = &resolution {
        tx.insert_user(id, None, Some(anonymous_id), None, now.ms)?;
    }
    Ok(resolution.user().clone())
}
