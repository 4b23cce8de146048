//! The directory's facts as the rules see them: users, their `external_id` and their email
//! identities. The server reads these from its store; tests write them by hand.

use crate::input::EmailAddress;

/// A user record's id (the API's `userId`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub String);

impl UserId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for UserId {
    fn from(id: &str) -> Self {
        UserId(id.to_owned())
    }
}

/// An email identity of a user: an address, verified or not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    pub address: EmailAddress,
    pub verified: bool,
}

/// A user record: authenticated when it has an `external_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub external_id: Option<String>,
    pub identities: Vec<Identity>,
}

impl UserRecord {
    /// Whether `address` is a verified identity of this record.
    pub fn holds_verified(&self, address: &EmailAddress) -> bool {
        self.identities
            .iter()
            .any(|identity| identity.verified && identity.address == *address)
    }

    /// Whether `address` is an identity of this record, verified or not.
    pub fn holds(&self, address: &EmailAddress) -> bool {
        self.identities
            .iter()
            .any(|identity| identity.address == *address)
    }

    pub fn is_authenticated(&self) -> bool {
        self.external_id.is_some()
    }
}

/// A record that holds an address, as the facts of a decision list them.
pub type EmailHolder = UserRecord;
