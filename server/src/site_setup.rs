//! What the demo site sets up in the messaging emulator at start, as a site does in its
//! messaging service's admin:
//!
//! - a messaging (HS256) signing key, created once and kept in `hs256-key.json` (`{"kid",
//!   "secret"}`); later starts reuse it while the emulator still has it, so restarts never use
//!   up the 10 keys, and a key deleted at `/admin` is replaced by a new one;
//! - its ES256 public key as the contact-centre key, so that `/auth/jwt` tokens verify there.

use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::emulator::{Emulator, EmulatorError, Now};
use crate::keys::{temporary_sibling, write_private, KeyError};

/// File name of the messaging key id and secret in the data folder.
pub const HS256_FILE: &str = "hs256-key.json";

/// The name the demo site's key has in the emulator's list.
pub const KEY_NAME: &str = "Northwind Outfitters (demo site)";

/// The messaging key file's contents: the key as the emulator's admin showed it once.
#[derive(Serialize, Deserialize)]
struct Hs256File {
    kid: String,
    secret: String,
}

/// The site's messaging key, `(kid, secret)`: the one in `dir` if the emulator still has it,
/// else a new one from the emulator (saved in `dir`). None, with a warning, when the emulator
/// refuses (10 keys already): `/auth/messaging-jwt` then says so.
pub fn messaging_key(
    dir: &Path,
    emulator: &Emulator,
) -> Result<Option<(String, String)>, KeyError> {
    let path = dir.join(HS256_FILE);
    let store_error = |e: EmulatorError| KeyError(format!("messaging emulator: {e}"));
    let saved = fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str::<Hs256File>(&text).ok());
    if let Some(file) = saved {
        if emulator
            .knows_key(&file.kid, &file.secret)
            .map_err(store_error)?
        {
            return Ok(Some((file.kid, file.secret)));
        }
    }
    let key = match emulator.create_key(KEY_NAME, Now::system()) {
        Ok(key) => key,
        Err(EmulatorError::KeyLimit) => {
            eprintln!(
                "demo server: the messaging emulator has 10 signing keys and none is the demo \
                 site's: delete one at /admin and start again (until then /auth/messaging-jwt \
                 answers 503)"
            );
            return Ok(None);
        }
        Err(other) => return Err(store_error(other)),
    };
    let file = Hs256File {
        kid: key.kid,
        secret: key.secret,
    };
    let text = serde_json::to_string_pretty(&file)
        .map(|json| json + "\n")
        .map_err(|e| KeyError(format!("cannot encode the messaging key: {e}")))?;
    replace_private(&path, &text)
        .map_err(|e| KeyError(format!("cannot write {}: {e}", path.display())))?;
    eprintln!(
        "demo server: the messaging emulator made the demo site's signing key {} (saved in {})",
        file.kid,
        path.display()
    );
    Ok(Some((file.kid, file.secret)))
}

/// Makes `pem` the emulator's contact-centre key (a no-op write when it already is).
pub fn register_contact_center_key(emulator: &Emulator, pem: &str) -> Result<(), KeyError> {
    emulator
        .set_contact_center_key(pem)
        .map_err(|e| KeyError(format!("messaging emulator: {e}")))
}

/// Writes `text` to `path` through a private temporary file renamed over it, so that a reader
/// sees the old file or the new one, never half of one.
fn replace_private(path: &Path, text: &str) -> io::Result<()> {
    let temporary = temporary_sibling(path);
    let written = write_private(&temporary, text).and_then(|()| fs::rename(&temporary, path));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}
