//! The emulator's directory in SQLite: keys, settings, users with their email identities and
//! anonymous ids, and messages. It stores and reads; it decides nothing and never checks a
//! token. Every write runs in one `BEGIN IMMEDIATE` transaction, so the facts a decision was
//! made on are still true when it is written, and the database's own constraints (unique
//! `external_id`, unique `anonymous_id`, one verified holder per address) refuse anything else.

mod keys;
mod messages;
mod schema;
mod settings;
mod users;

use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use users::AgentRow;

/// How long a write waits for another connection's write (tests open several on one file).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A failure of the database, or data in it that the rules cannot read.
#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
    /// A row that breaks what the emulator writes (an edited database file).
    Corrupt(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sqlite(error) => write!(f, "database: {error}"),
            StoreError::Corrupt(what) => write!(f, "database: {what}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Sqlite(error)
    }
}

/// One connection to the database. The demo serves one developer: a mutex around one
/// connection is all the concurrency it needs, and writers of other connections to the same
/// file (tests) are serialised by SQLite itself.
pub struct Store {
    connection: Mutex<Connection>,
}

/// A transaction, with the store's reads and writes as methods (in the files of this folder).
pub struct Tx<'a>(Transaction<'a>);

impl Store {
    /// Opens (creating if needed) the database file at `path`, and its schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let connection = Connection::open(path)?;
        // WAL: readers do not wait for the writer. The answer row names the mode now in use.
        let _mode: String =
            connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        Store::with_connection(connection)
    }

    /// A database in memory, gone when the store is dropped (tests).
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(connection: Connection) -> Result<Store, StoreError> {
        connection.busy_timeout(BUSY_TIMEOUT)?;
        connection.pragma_update(None, "foreign_keys", true)?;
        schema::create(&connection)?;
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    /// Runs `work` in a read transaction (a consistent view; nothing it does is kept).
    pub fn read<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(TransactionBehavior::Deferred, work, false)
    }

    /// Runs `work` in a write transaction: committed if it returns `Ok`, rolled back otherwise,
    /// so that a refused request changes nothing.
    pub fn write<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(TransactionBehavior::Immediate, work, true)
    }

    fn transaction<T, E: From<StoreError>>(
        &self,
        behavior: TransactionBehavior,
        work: impl FnOnce(&Tx<'_>) -> Result<T, E>,
        commit: bool,
    ) -> Result<T, E> {
        // No code panics while holding the lock with a half-done transaction (a dropped
        // transaction rolls back), so a poisoned lock is still usable.
        let mut connection = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let tx = Tx(connection
            .transaction_with_behavior(behavior)
            .map_err(StoreError::from)?);
        let result = work(&tx)?;
        if commit {
            tx.0.commit().map_err(StoreError::from)?;
        }
        Ok(result)
    }
}
