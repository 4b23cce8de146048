//! Logins: a messaging token (and the visitor's anonymousId) in, the user it names out, with
//! the visitor's anonymous conversation merged into it.

use messenger_emulator::{
    resolve_login, verify_messaging, AnonymousId, EmailAddress, LoginDecision, LoginFacts,
    Resolution, UserClaims, UserId, Verified, VisitorOutcome,
};

use super::Emulator;
use crate::emulator::random::new_user_id;
use crate::emulator::store::{StoreError, Tx};
use crate::emulator::{EmulatorError, Now};

/// Who logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedIn {
    pub user_id: UserId,
    pub external_id: String,
    pub name: Option<String>,
    /// The token's email, only when verified.
    pub email: Option<EmailAddress>,
    /// Messages moved from the visitor's anonymous conversation.
    pub merged: usize,
}

impl Emulator {
    /// Logs in with a messaging token; with `anonymous_id`, that visitor's conversation is
    /// merged into the user's. Refused (and nothing changed) for any rejection reason.
    pub fn login(
        &self,
        jwt: &str,
        anonymous_id: Option<&AnonymousId>,
        now: Now,
    ) -> Result<LoggedIn, EmulatorError> {
        let verified = self.verify_messaging(jwt, now)?;
        self.store.write(|tx| {
            let (user_id, merged) = authenticate(tx, &verified.claims, anonymous_id, now)?;
            Ok(LoggedIn {
                name: tx.user_name(&user_id)?,
                user_id,
                external_id: verified.claims.external_id.clone(),
                email: verified.claims.verified_email.clone(),
                merged,
            })
        })
    }

    /// Verifies a messaging token against the keys as they are now.
    pub(super) fn verify_messaging(&self, jwt: &str, now: Now) -> Result<Verified, EmulatorError> {
        let keys = self.store.read(|tx| Ok::<_, EmulatorError>(tx.keys()?))?;
        Ok(verify_messaging(jwt, now.secs, &keys)?)
    }
}

/// Inside a write transaction: finds (or makes) the user of `claims` by the rules, merges the
/// visitor's record into it, and answers the user and the number of messages merged.
pub(super) fn authenticate(
    tx: &Tx<'_>,
    claims: &UserClaims,
    anonymous_id: Option<&AnonymousId>,
    now: Now,
) -> Result<(UserId, usize), EmulatorError> {
    let facts = login_facts(tx, claims, anonymous_id)?;
    let decision = resolve_login(claims, &facts, new_user_id())?;
    let merged = perform(tx, claims, &decision, now)?;
    Ok((decision.resolution.user().clone(), merged))
}

/// What the rules need to know for a login of `claims`.
pub(super) fn login_facts(
    tx: &Tx<'_>,
    claims: &UserClaims,
    anonymous_id: Option<&AnonymousId>,
) -> Result<LoginFacts, StoreError> {
    Ok(LoginFacts {
        by_external_id: tx.user_by_external_id(&claims.external_id)?,
        email_holders: match &claims.verified_email {
            Some(email) => tx.holders_of(email)?,
            None => Vec::new(),
        },
        visitor: match anonymous_id {
            Some(id) => tx.user_by_anonymous_id(id)?,
            None => None,
        },
    })
}

/// Writes a login's decision. The order matters to the constraints: the visitor's record (and
/// so its identities) goes before the user's identities are written, and so do superseded ones.
fn perform(
    tx: &Tx<'_>,
    claims: &UserClaims,
    decision: &LoginDecision,
    now: Now,
) -> Result<usize, StoreError> {
    let user = decision.resolution.user();
    match &decision.resolution {
        Resolution::Existing(_) => {}
        Resolution::AttachExternalId(id) => tx.attach_external_id(id, &claims.external_id)?,
        Resolution::New(id) => tx.insert_user(id, Some(&claims.external_id), None, None, now.ms)?,
    }
    if let Some(name) = &claims.name {
        tx.set_name(user, name)?;
    }
    let merged = match &decision.visitor {
        VisitorOutcome::Merge(merge) => {
            let moved = tx.move_messages(&merge.from, &merge.into)?;
            tx.delete_user(&merge.from)?;
            moved
        }
        VisitorOutcome::BecomesUser | VisitorOutcome::Nothing => 0,
    };
    if let Some(superseded) = &decision.superseded {
        tx.remove_identity(&superseded.holders, &superseded.address)?;
    }
    tx.replace_identities(user, &decision.identities)?;
    Ok(merged)
}
