//! The admin's settings that change the rules.

use std::fmt;
use std::str::FromStr;

/// What becomes of an email address an unauthenticated visitor gives the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmailIdentities {
    /// The default: the address stays in the chat history, it is not an identity.
    #[default]
    VerifiedOnly,
    /// The address becomes an unverified identity of the visitor's record.
    VerifiedAndUnverified,
    /// Not recommended: a free address becomes a verified identity of the first record that
    /// claims it, so a later token with that verified email finds that record.
    UnauthenticatedCanClaimVerified,
}

impl EmailIdentities {
    pub const ALL: [EmailIdentities; 3] = [
        EmailIdentities::VerifiedOnly,
        EmailIdentities::VerifiedAndUnverified,
        EmailIdentities::UnauthenticatedCanClaimVerified,
    ];

    /// The setting's value in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            EmailIdentities::VerifiedOnly => "verified_only",
            EmailIdentities::VerifiedAndUnverified => "verified_and_unverified",
            EmailIdentities::UnauthenticatedCanClaimVerified => {
                "unauthenticated_can_claim_verified"
            }
        }
    }
}

impl FromStr for EmailIdentities {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        EmailIdentities::ALL
            .into_iter()
            .find(|setting| setting.as_str() == value)
            .ok_or_else(|| {
                format!(
                    "emailIdentities must be \"verified_only\", \"verified_and_unverified\" or \
                     \"unauthenticated_can_claim_verified\", not {value:?}"
                )
            })
    }
}

impl fmt::Display for EmailIdentities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
