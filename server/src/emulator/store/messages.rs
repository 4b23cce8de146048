//! Messages of conversations.

use messenger_emulator::{Message, UserId};
use rusqlite::params;

use super::keys::millis;
use super::{StoreError, Tx};

impl Tx<'_> {
    /// Stores a message; answers its sequence number.
    pub fn insert_message(
        &self,
        user: &UserId,
        text: &str,
        authenticated: bool,
        at_ms: u64,
    ) -> Result<i64, StoreError> {
        self.0.execute(
            "INSERT INTO messages (user_id, text, authenticated, at_ms) VALUES (?1, ?2, ?3, ?4)",
            params![user.as_str(), text, authenticated, millis(at_ms)],
        )?;
        Ok(self.0.last_insert_rowid())
    }

    /// The messages of `user`, in the order stored.
    pub fn messages(&self, user: &UserId) -> Result<Vec<Message>, StoreError> {
        let mut statement = self.0.prepare(
            "SELECT seq, text, authenticated, at_ms FROM messages WHERE user_id = ?1 ORDER BY seq",
        )?;
        let rows = statement.query_map([user.as_str()], |row| {
            Ok(Message {
                seq: row.get(0)?,
                text: row.get(1)?,
                authenticated: row.get(2)?,
                at_ms: u64::try_from(row.get::<_, i64>(3)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Moves every message of `from` into `into`'s conversation; answers how many.
    pub fn move_messages(&self, from: &UserId, into: &UserId) -> Result<usize, StoreError> {
        Ok(self.0.execute(
            "UPDATE messages SET user_id = ?2 WHERE user_id = ?1",
            params![from.as_str(), into.as_str()],
        )?)
    }
}
