//! The demo site's signing keys, in the data folder, so that tokens, the published JWKS and the
//! emulator's copy stay valid across restarts.
//!
//! - `es256-private-key.pem`: the ES256 (P-256) private key, PKCS#8 PEM, made at first start.
//!   Its public half is published at `/.well-known/jwks.json` and registered as the emulator's
//!   contact-centre key.
//! - `hs256-key.json`: `{"kid", "secret"}`, the messaging key the emulator gave the site (see
//!   `crate::site_setup`).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jsonwebtoken::jwk::{Jwk, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, EncodingKey};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rand::rngs::OsRng;
use rand::RngCore;

use crate::emulator::Emulator;
use crate::site_setup;

pub use crate::site_setup::HS256_FILE;

/// File name of the ES256 private key in the data folder.
pub const ES256_FILE: &str = "es256-private-key.pem";

/// Everything the server signs with.
pub struct SigningKeys {
    /// ES256 private key (contact-centre tokens of `/auth/jwt`).
    pub es256: EncodingKey,
    /// Its public key as a JWK, with `kid` (its RFC 7638 thumbprint), `use` and `alg`.
    pub es256_public: Jwk,
    /// Its public key as PEM (`-----BEGIN PUBLIC KEY-----`, as `openssl ec -pubout` writes it).
    pub es256_public_pem: String,
    /// The messaging key (`/auth/messaging-jwt`); none when the emulator refused to make one
    /// (it had 10 keys already).
    pub messaging: Option<MessagingKey>,
}

/// An HS256 key of the messaging emulator.
pub struct MessagingKey {
    /// The `kid` header: tells the messaging service which secret to check with.
    pub kid: String,
    /// The shared secret: its text, as written, is the HMAC key.
    pub secret: EncodingKey,
}

/// Why the keys could not be loaded or made.
#[derive(Debug)]
pub struct KeyError(pub(crate) String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

impl SigningKeys {
    /// Reads the ES256 key from `dir` (making it, and `dir`, when missing), gets the messaging
    /// key from the `emulator` (once; reused afterwards), and registers the ES256 public key as
    /// the emulator's contact-centre key.
    pub fn load_or_create(dir: &Path, emulator: &Emulator) -> Result<SigningKeys, KeyError> {
        create_private_dir(dir)
            .map_err(|e| KeyError(format!("cannot create {}: {e}", dir.display())))?;
        let es256_pem = read_or_create(&dir.join(ES256_FILE), new_es256_pem)?;
        let broken = |why: &str| {
            KeyError(format!(
                "{}: {why}. Delete it (or the whole {} folder) to make new keys.",
                dir.join(ES256_FILE).display(),
                dir.display()
            ))
        };
        let es256 = EncodingKey::from_ec_pem(es256_pem.as_bytes())
            .map_err(|_| broken("not a PKCS#8 PEM private key"))?;
        let es256_public = public_jwk(&es256).map_err(|_| broken("not a P-256 key"))?;
        let es256_public_pem = p256::SecretKey::from_pkcs8_pem(&es256_pem)
            .ok()
            .and_then(|key| key.public_key().to_public_key_pem(LineEnding::LF).ok())
            .ok_or_else(|| broken("not a P-256 key"))?;

        let messaging =
            site_setup::messaging_key(dir, emulator)?.map(|(kid, secret)| MessagingKey {
                kid,
                secret: EncodingKey::from_secret(secret.as_bytes()),
            });
        site_setup::register_contact_center_key(emulator, &es256_public_pem)?;
        Ok(SigningKeys {
            es256,
            es256_public,
            es256_public_pem,
            messaging,
        })
    }
}

/// The public half of an ES256 key, as the JWK a verifier fetches.
fn public_jwk(key: &EncodingKey) -> jsonwebtoken::errors::Result<Jwk> {
    let mut jwk = Jwk::from_encoding_key(key, Algorithm::ES256)?;
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    jwk.common.key_id = Some(jwk.thumbprint(ThumbprintHash::SHA256)?);
    Ok(jwk)
}

/// A new P-256 private key as PKCS#8 PEM.
fn new_es256_pem() -> Result<String, String> {
    let key = p256::SecretKey::random(&mut OsRng);
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| format!("cannot encode a new ES256 key: {e}"))
}

/// The text of `path`; if there is no such file, makes it with `make` first (readable by the
/// owner only). Two servers starting at once on an empty folder agree on one key: each writes
/// its own to a temporary file, and only the first hard link to `path` wins.
pub(crate) fn read_or_create(
    path: &Path,
    make: fn() -> Result<String, String>,
) -> Result<String, KeyError> {
    let shown = path.display();
    match fs::read_to_string(path) {
        Ok(text) => return Ok(text),
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(KeyError(format!("cannot read {shown}: {e}")))
        }
        Err(_) => {}
    }
    let text = make().map_err(KeyError)?;
    let temporary = temporary_sibling(path);
    let written = write_private(&temporary, &text).and_then(|()| fs::hard_link(&temporary, path));
    let _ = fs::remove_file(&temporary);
    match written {
        Ok(()) => {
            eprintln!("demo server: made a new signing key in {shown}");
            Ok(text)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::read_to_string(path).map_err(|e| KeyError(format!("cannot read {shown}: {e}")))
        }
        Err(e) => Err(KeyError(format!("cannot write {shown}: {e}"))),
    }
}

pub(crate) fn temporary_sibling(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", OsRng.next_u64()));
    path.with_file_name(name)
}

/// Writes a new file that only its owner can read (on Unix).
pub(crate) fn write_private(path: &Path, text: &str) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Creates `dir` (and its parents); a new folder is private to its owner (on Unix).
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
