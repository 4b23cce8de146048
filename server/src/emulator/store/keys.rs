//! Signing keys, in the order they were created.

use messenger_emulator::SigningKey;
use rusqlite::params;

use super::{StoreError, Tx};

impl Tx<'_> {
    pub fn keys(&self) -> Result<Vec<SigningKey>, StoreError> {
        let mut statement = self
            .0
            .prepare("SELECT kid, name, secret FROM signing_keys ORDER BY created_ms, rowid")?;
        let rows = statement.query_map([], |row| {
            Ok(SigningKey {
                kid: row.get(0)?,
                name: row.get(1)?,
                secret: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn insert_key(&self, key: &SigningKey, created_ms: u64) -> Result<(), StoreError> {
        self.0.execute(
            "INSERT INTO signing_keys (kid, name, secret, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![key.kid, key.name, key.secret, millis(created_ms)],
        )?;
        Ok(())
    }

    /// Whether a key was deleted.
    pub fn delete_key(&self, kid: &str) -> Result<bool, StoreError> {
        Ok(self
            .0
            .execute("DELETE FROM signing_keys WHERE kid = ?1", [kid])?
            > 0)
    }
}

/// Milliseconds as SQLite's signed integer (the epoch in milliseconds fits for 292 million
/// years; a later clock is kept at the maximum rather than wrapped).
pub(super) fn millis(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}
