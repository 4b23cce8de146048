//! Conversation order and merges; the shapes of what visitors send.
use messenger_emulator::conversation::merged;
use messenger_emulator::{in_order, AnonymousId, EmailAddress, Message, MessageText};

fn message(seq: i64, at_ms: u64, authenticated: bool) -> Message {
    Message {
        seq,
        text: format!("m{seq}"),
        authenticated,
        at_ms,
    }
}

fn texts(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(|m| m.text.as_str()).collect()
}

#[test]
fn a_merge_puts_the_visitors_messages_in_their_place_by_time() {
    // The user wrote on another device before and after the visitor's anonymous messages.
    let user = vec![message(1, 1_000, true), message(6, 9_000, true)];
    let visitor = vec![
        message(3, 2_000, false),
        message(4, 3_000, false),
        message(5, 3_000, false),
    ];
    let all = merged(user, visitor);
    assert_eq!(texts(&all), ["m1", "m3", "m4", "m5", "m6"]);
    // Who was authenticated when each was sent is kept.
    let flags: Vec<bool> = all.iter().map(|m| m.authenticated).collect();
    assert_eq!(flags, [true, false, false, false, true]);
}

#[test]
fn order_is_by_time_then_by_the_order_stored() {
    let table: &[(&str, Vec<Message>, Vec<&str>)] = &[
        ("empty", vec![], vec![]),
        (
            "already in order",
            vec![message(1, 1, false), message(2, 2, false)],
            vec!["m1", "m2"],
        ),
        (
            "by time",
            vec![message(2, 5, false), message(1, 9, false)],
            vec!["m2", "m1"],
        ),
        (
            "same millisecond: by sequence",
            vec![message(8, 5, true), message(7, 5, false)],
            vec!["m7", "m8"],
        ),
    ];
    for (case, messages, expected) in table {
        assert_eq!(texts(&in_order(messages.clone())), *expected, "{case}");
    }
}

#[test]
fn anonymous_ids_are_lowercase_v4_uuids() {
    let table: &[(&str, bool)] = &[
        ("0b9c2f6e-3a4d-4e5f-8a6b-7c8d9e0f1a2b", true),
        ("00000000-0000-4000-8000-000000000000", true),
        ("ffffffff-ffff-4fff-bfff-ffffffffffff", true),
        ("0B9C2F6E-3A4D-4E5F-8A6B-7C8D9E0F1A2B", false), // uppercase
        ("0b9c2f6e-3a4d-1e5f-8a6b-7c8d9e0f1a2b", false), // version 1
        ("0b9c2f6e-3a4d-4e5f-7a6b-7c8d9e0f1a2b", false), // not the RFC 4122 variant
        ("0b9c2f6e3a4d4e5f8a6b7c8d9e0f1a2b", false),     // no dashes
        ("0b9c2f6e-3a4d-4e5f-8a6b-7c8d9e0f1a2", false),  // short
        ("{0b9c2f6e-3a4d-4e5f-8a6b-7c8d9e0f1a2b}", false),
        ("", false),
        ("anonymous", false),
        ("0b9c2f6e-3a4d-4e5f-8a6b-7c8d9e0f1a2g", false),
    ];
    for (id, ok) in table {
        assert_eq!(AnonymousId::parse(id).is_ok(), *ok, "{id}");
    }
    let error = AnonymousId::parse("nope").unwrap_err().to_string();
    assert!(error.contains("anonymousId"), "{error}");
}

#[test]
fn message_text_is_not_blank_and_at_most_4000_characters() {
    assert!(MessageText::parse("hello").is_ok());
    assert!(MessageText::parse(&"é".repeat(4_000)).is_ok());
    assert_eq!(
        MessageText::parse(" line\nbreak ").unwrap().as_str(),
        " line\nbreak "
    );
    let too_long = MessageText::parse(&"x".repeat(4_001))
        .unwrap_err()
        .to_string();
    assert_eq!(too_long, "text is longer than 4000 characters");
    assert_eq!(
        MessageText::parse("  \n").unwrap_err().to_string(),
        "text is empty"
    );
}

#[test]
fn email_addresses_are_trimmed_lowercased_and_roughly_checked() {
    let table: &[(&str, Result<&str, &str>)] = &[
        (" Ada@Example.TEST ", Ok("ada@example.test")),
        ("a@b", Ok("a@b")),
        ("ada", Err("email is not an address")),
        ("@example.test", Err("email is not an address")),
        ("ada@", Err("email is not an address")),
        ("a b@example.test", Err("email is not an address")),
        ("a@b@c", Err("email is not an address")),
    ];
    for (text, expected) in table {
        let got = EmailAddress::parse(text)
            .map(|a| a.as_str().to_owned())
            .map_err(|e| e.to_string());
        assert_eq!(
            got,
            expected.map(String::from).map_err(String::from),
            "{text}"
        );
    }
    let long = format!("{}@example.test", "a".repeat(250));
    assert_eq!(
        EmailAddress::parse(&long).unwrap_err().to_string(),
        "email is longer than 254 characters"
    );
}
