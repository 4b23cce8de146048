//! The signing keys: made once in the data folder, private to their owner, reused afterwards;
//! a damaged key file is an error that says what to do.
mod common;

use std::fs;

use common::TempDir;
use messenger_demo_server::keys::{ES256_FILE, HS256_FILE};
use messenger_demo_server::SigningKeys;

#[test]
fn made_once_then_reused() {
    let dir = TempDir::new();
    let data = dir.path().join("nested/data");
    let first = SigningKeys::load_or_create(&data).unwrap();
    let pem = fs::read_to_string(data.join(ES256_FILE)).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let second = SigningKeys::load_or_create(&data).unwrap();
    assert_eq!(first.es256_public, second.es256_public);
    assert_eq!(first.hs256_kid, second.hs256_kid);
    assert!(first.hs256_kid.starts_with("demo-hs256-"));
    assert_eq!(fs::read_to_string(data.join(ES256_FILE)).unwrap(), pem);
}

#[cfg(unix)]
#[test]
fn key_files_and_their_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new();
    let data = dir.path().join("data");
    SigningKeys::load_or_create(&data).unwrap();
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for file in [ES256_FILE, HS256_FILE] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
}

#[test]
fn a_damaged_key_file_is_an_error_naming_it() {
    let dir = TempDir::new();
    fs::write(dir.path().join(ES256_FILE), "not a key").unwrap();
    let error = SigningKeys::load_or_create(dir.path())
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains(ES256_FILE) && error.contains("Delete it"),
        "{error}"
    );

    let dir = TempDir::new();
    fs::write(
        dir.path().join(HS256_FILE),
        r#"{"kid": "k", "secret": "c2hvcnQ"}"#,
    )
    .unwrap();
    let error = SigningKeys::load_or_create(dir.path())
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("32 or more bytes"), "{error}");

    let dir = TempDir::new();
    fs::write(dir.path().join(HS256_FILE), "{").unwrap();
    let error = SigningKeys::load_or_create(dir.path())
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains(HS256_FILE), "{error}");
}

#[test]
fn the_public_jwk_has_a_thumbprint_kid_and_no_private_part() {
    let dir = TempDir::new();
    let keys = SigningKeys::load_or_create(dir.path()).unwrap();
    let json = serde_json::to_value(&keys.es256_public).unwrap();
    assert_eq!(json["kty"], "EC");
    assert_eq!(json["crv"], "P-256");
    assert_eq!(json["alg"], "ES256");
    assert_eq!(json["use"], "sig");
    assert_eq!(json["kid"].as_str().map(str::len), Some(43)); // base64url of a SHA-256
    assert!(json.get("d").is_none());
}
