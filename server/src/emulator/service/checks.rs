//! What the service would do with a token, changing nothing (`check-token`), and the contact
//! centre's consumer authentication.

use messenger_emulator::{
    resolve_login, verify_contact_center, EmailAddress, Rejection, Resolution, UserId,
};
use serde_json::{Map, Value};

use super::login::login_facts;
use super::Emulator;
use crate::emulator::random::new_user_id;
use crate::emulator::{EmulatorError, Now};

/// The channel a token is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    #[default]
    Messaging,
    ContactCenter,
}

/// Which user a messaging token would log in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserMatch {
    /// The user with the token's `external_id`.
    ExternalId(UserId),
    /// The record holding the token's verified email, which would get the `external_id`.
    VerifiedEmail(UserId),
    /// A new user.
    New,
}

/// The verdict on a token.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenCheck {
    /// Why it would be refused; none when it would be accepted.
    pub refusal: Option<Rejection>,
    /// The payload, once the signature has verified (also for `email_conflict`).
    pub claims: Option<Map<String, Value>>,
    /// Messaging tokens that would log in: who, and the verified email the user would get.
    pub user: Option<(UserMatch, Option<EmailAddress>)>,
}

impl Emulator {
    /// Checks a token as the channel of `profile` would, reading but never writing.
    pub fn check_token(
        &self,
        jwt: &str,
        profile: Profile,
        now: Now,
    ) -> Result<TokenCheck, EmulatorError> {
        let refused = |rejection| TokenCheck {
            refusal: Some(rejection),
            claims: None,
            user: None,
        };
        match profile {
            Profile::ContactCenter => match self.engage_contact_center(jwt, now) {
                Ok(claims) => Ok(TokenCheck {
                    refusal: None,
                    claims: Some(claims),
                    user: None,
                }),
                Err(EmulatorError::Refused(rejection)) => Ok(refused(rejection)),
                Err(other) => Err(other),
            },
            Profile::Messaging => {
                let verified = match self.verify_messaging(jwt, now) {
                    Ok(verified) => verified,
                    Err(EmulatorError::Refused(rejection)) => return Ok(refused(rejection)),
                    Err(other) => return Err(other),
                };
                let decision = self.store.read(|tx| {
                    let facts = login_facts(tx, &verified.claims, None)?;
                    Ok::<_, EmulatorError>(resolve_login(&verified.claims, &facts, new_user_id()))
                })?;
                Ok(match decision {
                    Ok(decision) => TokenCheck {
                        refusal: None,
                        claims: Some(verified.payload),
                        user: Some((
                            match decision.resolution {
                                Resolution::Existing(id) => UserMatch::ExternalId(id),
                                Resolution::AttachExternalId(id) => UserMatch::VerifiedEmail(id),
                                Resolution::New(_) => UserMatch::New,
                            },
                            verified.claims.verified_email,
                        )),
                    },
                    Err(rejection) => TokenCheck {
                        refusal: Some(rejection),
                        claims: Some(verified.payload),
                        user: None,
                    },
                })
            }
        }
    }

    /// A contact-centre engagement's consumer authentication: the verified payload.
    pub fn engage_contact_center(
        &self,
        jwt: &str,
        now: Now,
    ) -> Result<Map<String, Value>, EmulatorError> {
        let key = self.contact_center_key()?;
        Ok(verify_contact_center(jwt, now.secs, key.as_ref())?)
    }
}
