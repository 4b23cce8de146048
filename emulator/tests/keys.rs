//! Signing keys: at most 10, a kid assigned by the service, a secret of 32 random bytes shown
//! as base64url, of which lists show 6 characters.
mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use messenger_emulator::keys::{KID_BYTES, SECRET_BYTES};
use messenger_emulator::{new_key, verify_messaging, KeyName, KeyRandomness, KeyRefusal, MAX_KEYS};
use serde_json::json;

fn randomness(seed: u8) -> KeyRandomness {
    KeyRandomness {
        kid: [seed; KID_BYTES],
        secret: [seed.wrapping_add(1); SECRET_BYTES],
    }
}

fn name(text: &str) -> KeyName {
    KeyName::parse(text).unwrap()
}

#[test]
fn ten_keys_and_no_more() {
    for existing in 0..MAX_KEYS {
        assert!(
            new_key(existing, &name("site"), &randomness(1)).is_ok(),
            "{existing}"
        );
    }
    assert_eq!(MAX_KEYS, 10);
    assert_eq!(
        new_key(10, &name("site"), &randomness(1)),
        Err(KeyRefusal::KeyLimit)
    );
    assert_eq!(
        new_key(11, &name("site"), &randomness(1)),
        Err(KeyRefusal::KeyLimit)
    );
}

#[test]
fn kid_and_secret_come_from_the_randomness() {
    let key = new_key(0, &name("  Northwind  "), &randomness(0xab)).unwrap();
    assert_eq!(key.name, "Northwind");
    assert_eq!(key.kid, format!("app_{}", "ab".repeat(12)));
    assert_eq!(key.secret.len(), 43);
    assert_eq!(URL_SAFE_NO_PAD.decode(&key.secret).unwrap(), vec![0xac; 32]);
    assert_eq!(key.secret_prefix(), &key.secret[..6]);
    let other = new_key(0, &name("Northwind"), &randomness(0x01)).unwrap();
    assert_ne!(key.kid, other.kid);
    assert_ne!(key.secret, other.secret);
}

#[test]
fn a_new_keys_secret_signs_tokens_it_verifies() {
    let key = new_key(3, &name("site"), &randomness(7)).unwrap();
    let token = hs256(Some(&key.kid), &key.secret, &payload(json!({})));
    let verified = verify_messaging(&token, NOW, std::slice::from_ref(&key)).unwrap();
    assert_eq!(verified.kid, key.kid);
}

#[test]
fn names_are_checked() {
    let table: &[(&str, &str, Result<&str, &str>)] = &[
        ("a name", "Production", Ok("Production")),
        ("trimmed", "  Staging ", Ok("Staging")),
        ("empty", "", Err("name is empty")),
        ("blank", "   ", Err("name is empty")),
        (
            "control characters",
            "a\u{7}b",
            Err("name has control characters"),
        ),
    ];
    for (case, text, expected) in table {
        let got = KeyName::parse(text).map(|n| n.as_str().to_owned());
        match expected {
            Ok(name) => assert_eq!(got, Ok((*name).to_owned()), "{case}"),
            Err(why) => assert_eq!(got, Err(KeyRefusal::BadName(why)), "{case}"),
        }
    }
    assert!(KeyName::parse(&"n".repeat(255)).is_ok());
    assert_eq!(
        KeyName::parse(&"n".repeat(256)),
        Err(KeyRefusal::BadName("name is longer than 255 characters"))
    );
}
