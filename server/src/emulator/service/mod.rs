//! The emulator's service: each request reads the facts it needs from the store, asks the rules
//! (`messenger-emulator`) what to do, and writes what they decided, in one transaction. It
//! decides nothing itself; the routes only parse and answer.

mod agent;
mod checks;
mod keys;
mod login;
mod settings;
mod visitor;

use std::path::Path;

use super::store::{Store, StoreError};

pub use checks::{Profile, TokenCheck, UserMatch};
pub use login::LoggedIn;
pub use settings::Settings;
pub use visitor::{Conversation, Sender, Sent};

/// The messaging emulator, on its store.
pub struct Emulator {
    store: Store,
}

impl Emulator {
    pub fn new(store: Store) -> Emulator {
        Emulator { store }
    }

    /// On the database file at `path`, or in memory for `:memory:`.
    pub fn open(path: &Path) -> Result<Emulator, StoreError> {
        let store = if path.as_os_str() == ":memory:" {
            Store::in_memory()?
        } else {
            Store::open(path)?
        };
        Ok(Emulator::new(store))
    }

    /// The store itself (tests read what was written).
    pub fn store(&self) -> &Store {
        &self.store
    }
}
