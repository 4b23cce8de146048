//! The admin's settings: the email identities mode and the contact-centre public key.

use messenger_emulator::EmailIdentities;
use rusqlite::OptionalExtension;

use super::{StoreError, Tx};

const EMAIL_IDENTITIES: &str = "email_identities";
const CONTACT_CENTER_KEY: &str = "contact_center_key";

impl Tx<'_> {
    /// The setting, or its default when never set.
    pub fn email_identities(&self) -> Result<EmailIdentities, StoreError> {
        match self.setting(EMAIL_IDENTITIES)? {
            None => Ok(EmailIdentities::default()),
            Some(value) => value
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("unknown {EMAIL_IDENTITIES} {value:?}"))),
        }
    }

    pub fn set_email_identities(&self, setting: EmailIdentities) -> Result<(), StoreError> {
        self.set_setting(EMAIL_IDENTITIES, setting.as_str())
    }

    /// The contact-centre public key's PEM, if the admin set one.
    pub fn contact_center_key(&self) -> Result<Option<String>, StoreError> {
        self.setting(CONTACT_CENTER_KEY)
    }

    pub fn set_contact_center_key(&self, pem: &str) -> Result<(), StoreError> {
        self.set_setting(CONTACT_CENTER_KEY, pem)
    }

    fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .0
            .query_row(
                "SELECT value FROM settings WHERE name = ?1",
                [name],
                |row| row.get(0),
            )
            .optional()?)
    }

    fn set_setting(&self, name: &str, value: &str) -> Result<(), StoreError> {
        self.0.execute(
            "INSERT INTO settings (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [name, value],
        )?;
        Ok(())
    }
}
