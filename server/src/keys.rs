//! The signing keys: made at first start in the data folder, read from it afterwards, so that
//! tokens, the published JWKS and a messaging backend's copy of the secret stay valid across
//! restarts.
//!
//! - `es256-private-key.pem`: the ES256 (P-256) private key, PKCS#8 PEM. Its public half is
//!   published at `/.well-known/jwks.json`.
//! - `hs256-key.json`: `{"kid": "...", "secret": "<base64url>"}`, the key id and shared secret a
//!   messaging backend verifies HS256 tokens with.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::{Jwk, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, EncodingKey};
use p256::pkcs8::{EncodePrivateKey, LineEnding};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// File name of the ES256 private key in the data folder.
pub const ES256_FILE: &str = "es256-private-key.pem";
/// File name of the HS256 key id and secret in the data folder.
pub const HS256_FILE: &str = "hs256-key.json";

/// Bytes of a new HS256 secret (256 bits, the size of the HMAC-SHA-256 output).
const HS256_SECRET_BYTES: usize = 32;

/// The HS256 key file's contents.
#[derive(Serialize, Deserialize)]
struct Hs256File {
    kid: String,
    secret: String,
}

/// Everything the server signs with.
pub struct SigningKeys {
    /// ES256 private key (contact-centre tokens of `/auth/jwt`).
    pub es256: EncodingKey,
    /// Its public key as a JWK, with `kid` (its RFC 7638 thumbprint), `use` and `alg`.
    pub es256_public: Jwk,
    /// HS256 shared secret (messaging tokens of `/auth/messaging-jwt`).
    pub hs256: EncodingKey,
    /// The `kid` header of HS256 tokens: tells the messaging backend which secret to check with.
    pub hs256_kid: String,
}

/// Why the keys could not be loaded or made.
#[derive(Debug)]
pub struct KeyError(String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

impl SigningKeys {
    /// Reads the keys from `dir`, first making any that are missing (and `dir` itself).
    pub fn load_or_create(dir: &Path) -> Result<SigningKeys, KeyError> {
        create_private_dir(dir)
            .map_err(|e| KeyError(format!("cannot create {}: {e}", dir.display())))?;
        let es256_pem = read_or_create(&dir.join(ES256_FILE), new_es256_pem)?;
        let hs256_json = read_or_create(&dir.join(HS256_FILE), new_hs256_json)?;
        let broken = |file: &str, why: &str| {
            KeyError(format!(
                "{}: {why}. Delete it (or the whole {} folder) to make new keys.",
                dir.join(file).display(),
                dir.display()
            ))
        };

        let es256 = EncodingKey::from_ec_pem(es256_pem.as_bytes())
            .map_err(|_| broken(ES256_FILE, "not a PKCS#8 PEM private key"))?;
        let es256_public = public_jwk(&es256).map_err(|_| broken(ES256_FILE, "not a P-256 key"))?;

        let hs256_file: Hs256File = serde_json::from_str(&hs256_json)
            .map_err(|_| broken(HS256_FILE, "not {\"kid\", \"secret\"} JSON"))?;
        let secret = URL_SAFE_NO_PAD
            .decode(hs256_file.secret.trim_end_matches('='))
            .ok()
            .filter(|secret| secret.len() >= HS256_SECRET_BYTES)
            .ok_or_else(|| {
                broken(
                    HS256_FILE,
                    "the secret is not 32 or more bytes of base64url",
                )
            })?;
        if hs256_file.kid.trim().is_empty() {
            return Err(broken(HS256_FILE, "the kid is empty"));
        }

        Ok(SigningKeys {
            es256,
            es256_public,
            hs256: EncodingKey::from_secret(&secret),
            hs256_kid: hs256_file.kid,
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

/// A new HS256 key id and secret as the JSON of [`Hs256File`].
fn new_hs256_json() -> Result<String, String> {
    let mut secret = [0u8; HS256_SECRET_BYTES];
    OsRng.fill_bytes(&mut secret);
    let mut id = [0u8; 6];
    OsRng.fill_bytes(&mut id);
    let file = Hs256File {
        kid: format!("demo-hs256-{}", URL_SAFE_NO_PAD.encode(id)),
        secret: URL_SAFE_NO_PAD.encode(secret),
    };
    serde_json::to_string_pretty(&file)
        .map(|json| json + "\n")
        .map_err(|e| format!("cannot encode a new HS256 key: {e}"))
}

/// The text of `path`; if there is no such file, makes it with `make` first (readable by the
/// owner only). Two servers starting at once on an empty folder agree on one key: each writes
/// its own to a temporary file, and only the first hard link to `path` wins.
fn read_or_create(path: &Path, make: fn() -> Result<String, String>) -> Result<String, KeyError> {
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

fn temporary_sibling(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", OsRng.next_u64()));
    path.with_file_name(name)
}

/// Writes a new file that only its owner can read (on Unix).
fn write_private(path: &Path, text: &str) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Creates `dir` (and its parents); a new folder is private to its owner (on Unix).
fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
