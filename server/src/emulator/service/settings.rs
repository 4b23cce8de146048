//! The admin's settings: the email identities mode and the contact-centre public key.

use messenger_emulator::{ContactCenterKey, EmailIdentities};

use super::Emulator;
use crate::emulator::EmulatorError;

/// The settings as they are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub email_identities: EmailIdentities,
    /// The contact-centre public key's PEM, if set.
    pub contact_center_key: Option<String>,
}

impl Emulator {
    pub fn settings(&self) -> Result<Settings, EmulatorError> {
        self.store.read(|tx| {
            Ok(Settings {
                email_identities: tx.email_identities()?,
                contact_center_key: tx.contact_center_key()?,
            })
        })
    }

    /// Sets the email identities mode from its API value (a bad value is a 400 naming them).
    pub fn set_email_identities(&self, value: &str) -> Result<(), EmulatorError> {
        let setting: EmailIdentities = value.parse().map_err(EmulatorError::BadInput)?;
        self.store.write(|tx| Ok(tx.set_email_identities(setting)?))
    }

    /// Sets the contact-centre public key (a PEM the rules can read, or a 400 saying why not).
    pub fn set_contact_center_key(&self, pem: &str) -> Result<(), EmulatorError> {
        let key =
            ContactCenterKey::parse(pem).map_err(|why| EmulatorError::BadInput(why.to_owned()))?;
        self.store
            .write(|tx| Ok(tx.set_contact_center_key(key.pem())?))
    }

    /// The contact-centre key, if set and readable.
    pub(super) fn contact_center_key(&self) -> Result<Option<ContactCenterKey>, EmulatorError> {
        let pem = self
            .store
            .read(|tx| Ok::<_, EmulatorError>(tx.contact_center_key()?))?;
        // Stored only after parsing, so it parses; a key edited in the file counts as none.
        Ok(pem.and_then(|pem| ContactCenterKey::parse(&pem).ok()))
    }
}
