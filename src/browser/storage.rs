//! The record's home: `sessionStorage` or `localStorage`. Storage that throws (blocked,
//! sandboxed, full) leaves the session in memory, which is where the core keeps it anyway.

use crate::browser::decode::{self, Payload};
use crate::browser::encode;
use crate::core::record::{Record, StoredRecord, STORAGE_KEY};
use crate::core::StorageKind;
use web_sys::Storage;

/// One web storage, if the page may use it.
#[derive(Clone)]
pub struct Store(Option<Storage>);

impl Store {
    /// The storage of `kind`; none for `Memory`, or where the browser refuses it (its getter
    /// throws when storage is blocked).
    pub fn open(kind: StorageKind) -> Store {
        let window = web_sys::window();
        let storage = match kind {
            StorageKind::Session => window.and_then(|w| w.session_storage().ok().flatten()),
            StorageKind::Local => window.and_then(|w| w.local_storage().ok().flatten()),
            StorageKind::Memory => None,
        };
        Store(storage)
    }

    /// The record as read back, if there is one.
    pub fn read(&self) -> Option<StoredRecord<Payload>> {
        let text = self.0.as_ref()?.get_item(STORAGE_KEY).ok()??;
        decode::record(&text)
    }

    /// Writes the record. When that fails (full, blocked), removes the previous one: a stale
    /// record must not outlive the state it described.
    pub fn write(&self, record: &Record) {
        let Some(storage) = &self.0 else { return };
        let written =
            encode::json(record).is_some_and(|text| storage.set_item(STORAGE_KEY, &text).is_ok());
        if !written {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }

    /// Removes the record.
    pub fn remove(&self) {
        if let Some(storage) = &self.0 {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }
}
