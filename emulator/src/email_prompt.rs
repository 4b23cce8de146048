//! An unauthenticated visitor gives the bot an email address. The address always stays in the
//! chat history, as the visitor's message; whether it also becomes an identity depends on the
//! [`EmailIdentities`] setting:
//!
//! - `verified_only`: no identity.
//! - `verified_and_unverified`: an unverified identity of the visitor's record.
//! - `unauthenticated_can_claim_verified`: a free address becomes a verified identity of the
//!   visitor's record (the first record to claim it), superseding other records' unverified
//!   identities of it.
//!
//! In every mode, an address that is already someone else's verified identity is not given to
//! the visitor: the visitor keeps (or, if new, gets) an unauthenticated record of its own,
//! without it. A verified identity always supersedes an unverified one, never the reverse.

use crate::directory::{Identity, UserId, UserRecord};
use crate::identity::{anonymous_visitor, Resolution, Supersede};
use crate::input::EmailAddress;
use crate::settings::EmailIdentities;

/// What the store knows that the decision depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailPromptFacts {
    /// The record of the visitor's `anonymousId`, if any.
    pub visitor: Option<UserRecord>,
    /// Every record that holds the address, verified or not.
    pub holders: Vec<UserRecord>,
}

/// What the prompt's answer does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailPromptDecision {
    /// The visitor's record (new if the `anonymousId` names none).
    pub visitor: Resolution,
    /// The text kept in the chat history, as the visitor's unauthenticated message.
    pub history_text: String,
    /// The identity the visitor's record gets, if any.
    pub identity: Option<Identity>,
    /// Other records whose (unverified) identity of the address the visitor's claim replaces.
    pub superseded: Option<Supersede>,
}

/// Decides what the visitor's `address` does under `setting`. `new_user` is the id a new
/// record would get.
pub fn decide_email_prompt(
    setting: EmailIdentities,
    address: &EmailAddress,
    facts: &EmailPromptFacts,
    new_user: UserId,
) -> EmailPromptDecision {
    let visitor = anonymous_visitor(facts.visitor.as_ref(), new_user);
    let visitor_id = visitor.user().clone();
    let held_by_visitor = facts.visitor.as_ref().is_some_and(|v| v.holds(address));
    let verified_elsewhere = facts
        .holders
        .iter()
        .any(|holder| holder.id != visitor_id && holder.holds_verified(address));
    let visitor_verified = facts
        .visitor
        .as_ref()
        .is_some_and(|v| v.holds_verified(address));

    let (identity, superseded) = match setting {
        _ if verified_elsewhere || visitor_verified => (None, None),
        EmailIdentities::VerifiedOnly => (None, None),
        EmailIdentities::VerifiedAndUnverified if held_by_visitor => (None, None),
        EmailIdentities::VerifiedAndUnverified => (
            Some(Identity {
                address: address.clone(),
                verified: false,
            }),
            None,
        ),
        EmailIdentities::UnauthenticatedCanClaimVerified => {
            let holders: Vec<UserId> = facts
                .holders
                .iter()
                .map(|holder| holder.id.clone())
                .filter(|id| *id != visitor_id)
                .collect();
            (
                Some(Identity {
                    address: address.clone(),
                    verified: true,
                }),
                (!holders.is_empty()).then(|| Supersede {
                    address: address.clone(),
                    holders,
                }),
            )
        }
    };
    EmailPromptDecision {
        visitor,
        history_text: address.as_str().to_owned(),
        identity,
        superseded,
    }
}
