//! The demo site's signing keys: the ES256 key made once in the data folder, the messaging key
//! obtained once from the emulator, both reused afterwards and private to their owner; the
//! ES256 public key registered as the emulator's contact-centre key.
mod common;

use std::fs;
use std::path::Path;

use common::TempDir;
use messenger_demo_server::emulator::{Emulator, Now};
use messenger_demo_server::keys::{ES256_FILE, HS256_FILE};
use messenger_demo_server::site_setup::KEY_NAME;
use messenger_demo_server::SigningKeys;

/// The emulator as a start of the server opens it: its database file in the data folder.
fn emulator(data: &Path) -> Emulator {
    fs::create_dir_all(data).unwrap();
    Emulator::open(&data.join("emulator.sqlite3")).unwrap()
}

fn messaging_kid(keys: &SigningKeys) -> String {
    keys.messaging.as_ref().unwrap().kid.clone()
}

#[test]
fn made_once_then_reused() {
    let dir = TempDir::new();
    let data = dir.path().join("nested/data");
    let first = SigningKeys::load_or_create(&data, &emulator(&data)).unwrap();
    let pem = fs::read_to_string(data.join(ES256_FILE)).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let second = SigningKeys::load_or_create(&data, &emulator(&data)).unwrap();
    assert_eq!(first.es256_public, second.es256_public);
    assert_eq!(messaging_kid(&first), messaging_kid(&second));
    assert!(
        messaging_kid(&first).starts_with("app_"),
        "the emulator assigns the kid"
    );
    assert_eq!(fs::read_to_string(data.join(ES256_FILE)).unwrap(), pem);
}

#[test]
fn the_messaging_key_comes_from_the_emulator_and_restarts_never_use_up_the_ten() {
    let dir = TempDir::new();
    let data = dir.path();
    let first = SigningKeys::load_or_create(data, &emulator(data)).unwrap();
    for _ in 0..12 {
        SigningKeys::load_or_create(data, &emulator(data)).unwrap();
    }
    let keys = emulator(data).keys().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].kid, messaging_kid(&first));
    assert_eq!(keys[0].name, KEY_NAME);
    let file: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(data.join(HS256_FILE)).unwrap()).unwrap();
    assert_eq!(file["kid"], keys[0].kid.as_str());
    assert_eq!(file["secret"], keys[0].secret.as_str());
}

#[test]
fn a_key_the_emulator_no_longer_has_is_replaced_at_the_next_start() {
    let dir = TempDir::new();
    let data = dir.path();
    let first = messaging_kid(&SigningKeys::load_or_create(data, &emulator(data)).unwrap());
    emulator(data).delete_key(&first).unwrap();
    let second = messaging_kid(&SigningKeys::load_or_create(data, &emulator(data)).unwrap());
    assert_ne!(first, second);
    assert_eq!(emulator(data).keys().unwrap().len(), 1);

    // A new emulator database (the old one deleted) knows no key: a new one is made.
    fs::remove_file(data.join("emulator.sqlite3")).unwrap();
    let third = messaging_kid(&SigningKeys::load_or_create(data, &emulator(data)).unwrap());
    assert_ne!(third, second);

    // A damaged key file is replaced too.
    fs::write(data.join(HS256_FILE), "{").unwrap();
    let fourth = messaging_kid(&SigningKeys::load_or_create(data, &emulator(data)).unwrap());
    assert_ne!(fourth, third);
}

#[test]
fn with_ten_keys_already_the_site_starts_without_a_messaging_key() {
    let dir = TempDir::new();
    let data = dir.path();
    let full = emulator(data);
    for n in 0..10 {
        full.create_key(&format!("other {n}"), Now::system())
            .unwrap();
    }
    let keys = SigningKeys::load_or_create(data, &full).unwrap();
    assert!(keys.messaging.is_none());
    assert_eq!(full.keys().unwrap().len(), 10);
}

#[test]
fn the_es256_public_key_is_the_emulators_contact_center_key() {
    let dir = TempDir::new();
    let data = dir.path();
    let keys = SigningKeys::load_or_create(data, &emulator(data)).unwrap();
    assert!(keys
        .es256_public_pem
        .starts_with("-----BEGIN PUBLIC KEY-----\n"));
    let settings = emulator(data).settings().unwrap();
    assert_eq!(
        settings.contact_center_key.as_deref(),
        Some(keys.es256_public_pem.as_str())
    );
}

#[cfg(unix)]
#[test]
fn key_files_and_their_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    // As a start makes them: the folder first (the emulator's database is in it, with the
    // keys' secrets), then the keys.
    let dir = TempDir::new();
    let data = dir.path().join("data");
    let config = messenger_demo_server::Config {
        data_dir: data.clone(),
        ..Default::default()
    };
    messenger_demo_server::build_state(&config).unwrap();
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert!(data.join("emulator.sqlite3").is_file());
    for file in [ES256_FILE, HS256_FILE] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
}

#[test]
fn a_damaged_es256_key_file_is_an_error_naming_it() {
    let dir = TempDir::new();
    fs::write(dir.path().join(ES256_FILE), "not a key").unwrap();
    let error = SigningKeys::load_or_create(dir.path(), &emulator(dir.path()))
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains(ES256_FILE) && error.contains("Delete it"),
        "{error}"
    );
}

#[test]
fn the_public_jwk_has_a_thumbprint_kid_and_no_private_part() {
    let dir = TempDir::new();
    let keys = SigningKeys::load_or_create(dir.path(), &emulator(dir.path())).unwrap();
    let json = serde_json::to_value(&keys.es256_public).unwrap();
    assert_eq!(json["kty"], "EC");
    assert_eq!(json["crv"], "P-256");
    assert_eq!(json["alg"], "ES256");
    assert_eq!(json["use"], "sig");
    assert_eq!(json["kid"].as_str().map(str::len), Some(43)); // base64url of a SHA-256
    assert!(json.get("d").is_none());
}
