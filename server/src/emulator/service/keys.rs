//! Signing keys: create (at most 10), list, delete.

use messenger_emulator::{new_key, KeyName, SigningKey};

use super::Emulator;
use crate::emulator::random::key_randomness;
use crate::emulator::{EmulatorError, Now};

impl Emulator {
    /// A new key; its secret is in this answer only (`key_limit` at 10 keys).
    pub fn create_key(&self, name: &str, now: Now) -> Result<SigningKey, EmulatorError> {
        let name = KeyName::parse(name)?;
        let random = key_randomness();
        self.store.write(|tx| {
            let key = new_key(tx.keys()?.len(), &name, &random)?;
            tx.insert_key(&key, now.ms)?;
            Ok(key)
        })
    }

    /// The keys, in the order they were created (with their secrets: the routes show only
    /// `secret_prefix`).
    pub fn keys(&self) -> Result<Vec<SigningKey>, EmulatorError> {
        self.store.read(|tx| Ok(tx.keys()?))
    }

    /// Deletes a key: tokens signed with it are `unknown_kid` from now on.
    pub fn delete_key(&self, kid: &str) -> Result<(), EmulatorError> {
        self.store.write(|tx| {
            if tx.delete_key(kid)? {
                Ok(())
            } else {
                Err(EmulatorError::NoSuchKey)
            }
        })
    }

    /// Whether a key with this kid and secret exists (a site's backend checking its copy).
    pub fn knows_key(&self, kid: &str, secret: &str) -> Result<bool, EmulatorError> {
        Ok(self
            .keys()?
            .iter()
            .any(|key| key.kid == kid && key.secret == secret))
    }
}
