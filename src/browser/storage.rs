//! The record's home: `sessionStorage`, `localStorage` or memory. Storage that throws (blocked,
//! sandboxed, full) falls back to memory silently; every access is guarded.

use crate::browser::bindings::Global;
use crate::browser::bindings::Storage;
use crate::core::record::STORAGE_KEY;
use crate::core::StorageKind;
use alloc::string::String;

/// Where the record lives now.
pub struct Store {
    web: Option<Storage>,
    memory: Option<String>,
}

fn web_storage(kind: StorageKind) -> Option<Storage> {
    let storage = match kind {
        StorageKind::Session => Global::session_storage(),
        StorageKind::Local => Global::local_storage(),
        StorageKind::Memory => return None,
    };
    storage.ok()
}

impl Store {
    /// The store for the `storage` option.
    pub fn open(kind: StorageKind) -> Store {
        Store {
            web: web_storage(kind),
            memory: None,
        }
    }

    /// The record's text, if there is one that can be read.
    pub fn read(&mut self) -> Option<String> {
        if let Some(web) = &self.web {
            match web.get_item(STORAGE_KEY) {
                Ok(text) => return text.as_string(),
                Err(_) => self.web = None,
            }
        }
        self.memory.clone()
    }

    /// Writes the record; on failure keeps it in memory from now on.
    pub fn write(&mut self, text: String) {
        if let Some(web) = &self.web {
            if web.set_item(STORAGE_KEY, &text).is_ok() {
                return;
            }
            // Full or blocked: no half-written state stays behind.
            let _ = web.remove_item(STORAGE_KEY);
            self.web = None;
        }
        self.memory = Some(text);
    }

    /// Removes the record from memory and from both web storages, whichever the option, so
    /// that nothing of a user survives a logout or a switch.
    pub fn purge(&mut self) {
        self.memory = None;
        for kind in [StorageKind::Session, StorageKind::Local] {
            if let Some(web) = web_storage(kind) {
                let _ = web.remove_item(STORAGE_KEY);
            }
        }
    }
}
