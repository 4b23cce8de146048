//! User records, their email identities and the anonymous ids that name unauthenticated ones.

use messenger_emulator::{AnonymousId, EmailAddress, Identity, Message, UserId, UserRecord};
use rusqlite::{params, OptionalExtension};

use super::keys::millis;
use super::{StoreError, Tx};

/// A user as the agents' view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRow {
    pub id: UserId,
    pub name: Option<String>,
    pub external_id: Option<String>,
    pub identities: Vec<Identity>,
    /// In the order stored; the rules put them in conversation order.
    pub messages: Vec<Message>,
}

impl Tx<'_> {
    pub fn user_by_external_id(&self, external_id: &str) -> Result<Option<UserRecord>, StoreError> {
        self.user_where("external_id = ?1", external_id)
    }

    pub fn user_by_anonymous_id(&self, id: &AnonymousId) -> Result<Option<UserRecord>, StoreError> {
        self.user_where("anonymous_id = ?1", id.as_str())
    }

    /// Every record holding `address`, verified or not.
    pub fn holders_of(&self, address: &EmailAddress) -> Result<Vec<UserRecord>, StoreError> {
        let ids: Vec<String> = {
            let mut statement = self.0.prepare(
                "SELECT DISTINCT user_id FROM email_identities WHERE address = ?1 ORDER BY user_id",
            )?;
            let rows = statement.query_map([address.as_str()], |row| row.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut holders = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(record) = self.user_where("id = ?1", &id)? {
                holders.push(record);
            }
        }
        Ok(holders)
    }

    fn user_where(&self, condition: &str, value: &str) -> Result<Option<UserRecord>, StoreError> {
        let row: Option<(String, Option<String>)> = self
            .0
            .query_row(
                &format!("SELECT id, external_id FROM users WHERE {condition}"),
                [value],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((id, external_id)) = row else {
            return Ok(None);
        };
        let id = UserId(id);
        Ok(Some(UserRecord {
            identities: self.identities(&id)?,
            id,
            external_id,
        }))
    }

    /// The email identities of `user`, sorted by address.
    pub fn identities(&self, user: &UserId) -> Result<Vec<Identity>, StoreError> {
        let mut statement = self.0.prepare(
            "SELECT address, verified FROM email_identities WHERE user_id = ?1 ORDER BY address",
        )?;
        let rows = statement.query_map([user.as_str()], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, bool>(1)?))
        })?;
        let mut identities = Vec::new();
        for row in rows {
            let (address, verified) = row?;
            let address = EmailAddress::parse(&address).map_err(|_| {
                StoreError::Corrupt(format!("identity {address:?} is not an address"))
            })?;
            identities.push(Identity { address, verified });
        }
        Ok(identities)
    }

    pub fn insert_user(
        &self,
        id: &UserId,
        external_id: Option<&str>,
        anonymous_id: Option<&AnonymousId>,
        name: Option<&str>,
        created_ms: u64,
    ) -> Result<(), StoreError> {
        self.0.execute(
            "INSERT INTO users (id, external_id, anonymous_id, name, created_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id.as_str(),
                external_id,
                anonymous_id.map(AnonymousId::as_str),
                name,
                millis(created_ms)
            ],
        )?;
        Ok(())
    }

    /// Makes an unauthenticated record the user of `external_id`: its anonymous id no longer
    /// names it.
    pub fn attach_external_id(&self, id: &UserId, external_id: &str) -> Result<(), StoreError> {
        self.0.execute(
            "UPDATE users SET external_id = ?2, anonymous_id = NULL WHERE id = ?1",
            params![id.as_str(), external_id],
        )?;
        Ok(())
    }

    /// The name the latest token gave (a token without one keeps the previous name).
    pub fn set_name(&self, id: &UserId, name: &str) -> Result<(), StoreError> {
        self.0.execute(
            "UPDATE users SET name = ?2 WHERE id = ?1",
            params![id.as_str(), name],
        )?;
        Ok(())
    }

    /// Deletes a record with its identities and messages (move the messages first to keep them).
    pub fn delete_user(&self, id: &UserId) -> Result<(), StoreError> {
        self.0
            .execute("DELETE FROM users WHERE id = ?1", [id.as_str()])?;
        Ok(())
    }

    /// Makes `identities` the whole set of `user`'s email identities.
    pub fn replace_identities(
        &self,
        user: &UserId,
        identities: &[Identity],
    ) -> Result<(), StoreError> {
        self.0.execute(
            "DELETE FROM email_identities WHERE user_id = ?1",
            [user.as_str()],
        )?;
        for identity in identities {
            self.0.execute(
                "INSERT INTO email_identities (user_id, address, verified) VALUES (?1, ?2, ?3)",
                params![user.as_str(), identity.address.as_str(), identity.verified],
            )?;
        }
        Ok(())
    }

    /// Removes the identity of `address` from each of `holders`.
    pub fn remove_identity(
        &self,
        holders: &[UserId],
        address: &EmailAddress,
    ) -> Result<(), StoreError> {
        for holder in holders {
            self.0.execute(
                "DELETE FROM email_identities WHERE user_id = ?1 AND address = ?2",
                params![holder.as_str(), address.as_str()],
            )?;
        }
        Ok(())
    }

    /// Every user, in the order they were created, with identities and messages.
    pub fn agent_rows(&self) -> Result<Vec<AgentRow>, StoreError> {
        let users: Vec<(String, Option<String>, Option<String>)> = {
            let mut statement = self
                .0
                .prepare("SELECT id, name, external_id FROM users ORDER BY created_ms, rowid")?;
            let rows =
                statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut agent_rows = Vec::with_capacity(users.len());
        for (id, name, external_id) in users {
            let id = UserId(id);
            agent_rows.push(AgentRow {
                identities: self.identities(&id)?,
                messages: self.messages(&id)?,
                id,
                name,
                external_id,
            });
        }
        Ok(agent_rows)
    }
}

impl Tx<'_> {
    /// The name of `user`, if it has one.
    pub fn user_name(&self, user: &UserId) -> Result<Option<String>, StoreError> {
        Ok(self
            .0
            .query_row(
                "SELECT name FROM users WHERE id = ?1",
                [user.as_str()],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }
}
