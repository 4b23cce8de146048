//! Who a login is, and what becomes of the visitor's anonymous conversation.
//!
//! 1. `external_id` first: a user with it is that user (on any device).
//! 2. Else a record holding the token's *verified* email and no `external_id` is that user, and
//!    the `external_id` is attached to it. An address held only as an unverified identity does
//!    not count here.
//! 3. A verified email that is a verified identity of a user with another `external_id` makes
//!    the login fail with `email_conflict` (whatever rule 1 or 2 found).
//! 4. Else a new user.
//!
//! Then the token's verified email becomes a verified identity of the user; it supersedes any
//! other record's identity of that address (an unverified one, or a verified one on a record
//! without `external_id`): the identity moves to the user. The visitor's anonymous record (the
//! SDK's `anonymousId`) is merged into the user: its messages, in order, and its identities.

use crate::directory::{Identity, UserId, UserRecord};
use crate::input::EmailAddress;
use crate::messaging::UserClaims;
use crate::reason::Rejection;

/// What the store knows that a login's decision depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginFacts {
    /// The user whose `external_id` is the token's.
    pub by_external_id: Option<UserRecord>,
    /// Every record that holds the token's verified email, verified or not (none when the
    /// token has no verified email).
    pub email_holders: Vec<UserRecord>,
    /// The record of the login's `anonymousId`, if it names one (always unauthenticated).
    pub visitor: Option<UserRecord>,
}

/// Which user the login is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A user that already has this `external_id` (or, for an anonymous message, the
    /// visitor's existing record).
    Existing(UserId),
    /// The record holding the verified email, which gets the token's `external_id`.
    AttachExternalId(UserId),
    /// A new record with this id (chosen by the caller).
    New(UserId),
}

impl Resolution {
    /// The user, whichever way it was found.
    pub fn user(&self) -> &UserId {
        match self {
            Resolution::Existing(id) | Resolution::AttachExternalId(id) | Resolution::New(id) => id,
        }
    }
}

/// The visitor's anonymous record moves into the user's: messages and identities, then the
/// anonymous record is deleted (its `anonymousId` then names nobody).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub from: UserId,
    pub into: UserId,
}

/// What becomes of the visitor's anonymous record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisitorOutcome {
    /// No `anonymousId`, or one that names no record: nothing to merge.
    Nothing,
    /// Merged into the user.
    Merge(Merge),
    /// The visitor's record is the user itself (it held the verified email): it becomes
    /// authenticated and its `anonymousId` no longer names it.
    BecomesUser,
}

/// Records that lose their identity of `address`: a verified identity moved to someone else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supersede {
    pub address: EmailAddress,
    pub holders: Vec<UserId>,
}

/// What a login does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginDecision {
    pub resolution: Resolution,
    pub visitor: VisitorOutcome,
    /// The user's email identities after the login, sorted by address.
    pub identities: Vec<Identity>,
    /// Other records whose identity of the token's verified email moves to the user.
    pub superseded: Option<Supersede>,
}

/// Decides a login of `claims` (a verified token) given the directory's `facts`. `new_user` is
/// the id a new record would get.
pub fn resolve_login(
    claims: &UserClaims,
    facts: &LoginFacts,
    new_user: UserId,
) -> Result<LoginDecision, Rejection> {
    let email = claims.verified_email.as_ref();
    let verified_holder = email.and_then(|email| {
        facts
            .email_holders
            .iter()
            .find(|holder| holder.holds_verified(email))
    });
    if let Some(other) = verified_holder.and_then(|holder| holder.external_id.as_ref()) {
        if *other != claims.external_id {
            return Err(Rejection::EmailConflict);
        }
    }

    let (resolution, mut identities) = match (&facts.by_external_id, verified_holder) {
        (Some(user), _) => (
            Resolution::Existing(user.id.clone()),
            user.identities.clone(),
        ),
        // By the conflict check, this holder has no external_id (or the token's own).
        (None, Some(holder)) if holder.external_id.is_none() => (
            Resolution::AttachExternalId(holder.id.clone()),
            holder.identities.clone(),
        ),
        (None, Some(holder)) => (
            Resolution::Existing(holder.id.clone()),
            holder.identities.clone(),
        ),
        (None, None) => (Resolution::New(new_user), Vec::new()),
    };
    let user = resolution.user().clone();

    let visitor = match &facts.visitor {
        Some(visitor) if visitor.is_authenticated() => VisitorOutcome::Nothing,
        Some(visitor) if visitor.id == user => VisitorOutcome::BecomesUser,
        Some(visitor) => {
            identities = merge_identities(&identities, &visitor.identities);
            VisitorOutcome::Merge(Merge {
                from: visitor.id.clone(),
                into: user.clone(),
            })
        }
        None => VisitorOutcome::Nothing,
    };
    let merged_from = match &visitor {
        VisitorOutcome::Merge(merge) => Some(&merge.from),
        _ => None,
    };

    let superseded = email.map(|email| {
        identities = merge_identities(
            &identities,
            &[Identity {
                address: email.clone(),
                verified: true,
            }],
        );
        Supersede {
            address: email.clone(),
            holders: facts
                .email_holders
                .iter()
                .map(|holder| &holder.id)
                .filter(|id| **id != user && Some(*id) != merged_from)
                .cloned()
                .collect(),
        }
    });
    Ok(LoginDecision {
        resolution,
        visitor,
        identities,
        superseded: superseded.filter(|supersede| !supersede.holders.is_empty()),
    })
}

/// The record an unauthenticated visitor's message goes to: the `anonymousId`'s record, or a
/// new one (an `anonymousId` whose record was merged away names a new, empty record).
pub fn anonymous_visitor(existing: Option<&UserRecord>, new_user: UserId) -> Resolution {
    match existing {
        Some(record) => Resolution::Existing(record.id.clone()),
        None => Resolution::New(new_user),
    }
}

/// The identities of two records merged into one: every address once, verified if either
/// record had it verified; sorted by address.
pub fn merge_identities(into: &[Identity], from: &[Identity]) -> Vec<Identity> {
    let mut merged: Vec<Identity> = Vec::with_capacity(into.len() + from.len());
    for identity in into.iter().chain(from) {
        match merged
            .iter_mut()
            .find(|kept| kept.address == identity.address)
        {
            Some(kept) => kept.verified |= identity.verified,
            None => merged.push(identity.clone()),
        }
    }
    merged.sort();
    merged
}
