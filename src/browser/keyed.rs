//! A map for the handful of entries the shell keeps (pending promises, requests, locks): a
//! vector, because a hash map costs kilobytes of wasm for no gain at this size.

use alloc::vec::Vec;

/// Entries by key; a key appears once.
pub struct Keyed<K, V>(Vec<(K, V)>);

impl<K: PartialEq, V> Default for Keyed<K, V> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<K: PartialEq, V> Keyed<K, V> {
    /// Sets `key` to `value`.
    pub fn insert(&mut self, key: K, value: V) {
        self.remove(&key);
        self.0.push((key, value));
    }

    /// Takes the value of `key` out.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.swap_remove(index).1)
    }

    /// The value of `key`, to change.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether `key` has a value.
    pub fn contains_key(&self, key: &K) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Takes every value out.
    pub fn drain(&mut self) -> impl Iterator<Item = V> + '_ {
        self.0.drain(..).map(|(_, v)| v)
    }
}
