//! The emulator's randomness, from the OS: new user ids and the kid and secret of new keys.

use std::fmt::Write;

use messenger_emulator::keys::{KID_BYTES, SECRET_BYTES};
use messenger_emulator::{KeyRandomness, UserId};
use rand::rngs::OsRng;
use rand::RngCore;

/// A new user id: `usr_` and 16 hex digits (64 random bits; the table's primary key refuses a
/// collision rather than merging two users).
pub fn new_user_id() -> UserId {
    let mut bytes = [0u8; 8];
    OsRng.fill_bytes(&mut bytes);
    let mut id = String::from("usr_");
    for byte in bytes {
        // Writing to a String cannot fail.
        let _ = write!(id, "{byte:02x}");
    }
    UserId(id)
}

/// The OS randomness a new signing key is made of.
pub fn key_randomness() -> KeyRandomness {
    let mut kid = [0u8; KID_BYTES];
    let mut secret = [0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut kid);
    OsRng.fill_bytes(&mut secret);
    KeyRandomness { kid, secret }
}
