//! Finding the user: the identity table (external_id, then verified email, email conflict, new
//! user), merges of the visitor's anonymous record, and verified identities superseding.
#![allow(clippy::type_complexity)] // the tables are tuples: case, input, expected
mod common;

use common::*;
use messenger_emulator::identity::Supersede;
use messenger_emulator::{
    anonymous_visitor, merge_identities, resolve_login, Identity, LoginDecision, LoginFacts, Merge,
    Rejection, Resolution, UserId, VisitorOutcome,
};

fn id(text: &str) -> UserId {
    UserId::from(text)
}

fn decide(
    claims: &messenger_emulator::UserClaims,
    facts: &LoginFacts,
) -> Result<LoginDecision, Rejection> {
    resolve_login(claims, facts, id("new"))
}

/// The expected decision, field by field.
fn decision(
    resolution: Resolution,
    visitor: VisitorOutcome,
    identities: &[Identity],
    superseded: Option<(&str, &[&str])>,
) -> LoginDecision {
    LoginDecision {
        resolution,
        visitor,
        identities: identities.to_vec(),
        superseded: superseded.map(|(address_text, holders)| Supersede {
            address: address(address_text),
            holders: holders.iter().map(|h| id(h)).collect(),
        }),
    }
}

#[test]
fn the_identity_table() {
    let ada = record("u-ada", Some("ada"), &[verified("ada@example.test")]);
    let bo = record("u-bo", Some("bo"), &[verified("bo@example.test")]);
    // An unauthenticated record that holds an address verified (it claimed it, in the
    // not-recommended mode) and one that holds it unverified.
    let claimed = record("u-claimed", None, &[verified("free@example.test")]);
    let typed = record("u-typed", None, &[unverified("typed@example.test")]);

    let table: Vec<(&str, messenger_emulator::UserClaims, LoginFacts, Result<LoginDecision, Rejection>)> = vec![
        (
            "external_id hit",
            claims("ada", None),
            LoginFacts { by_external_id: Some(ada.clone()), ..Default::default() },
            Ok(decision(Resolution::Existing(id("u-ada")), VisitorOutcome::Nothing, &[verified("ada@example.test")], None)),
        ),
        (
            "external_id hit with its own verified email",
            claims("ada", Some("ada@example.test")),
            LoginFacts { by_external_id: Some(ada.clone()), email_holders: vec![ada.clone()], ..Default::default() },
            Ok(decision(Resolution::Existing(id("u-ada")), VisitorOutcome::Nothing, &[verified("ada@example.test")], None)),
        ),
        (
            "external_id hit with a new verified email: it is added",
            claims("ada", Some("ada@work.test")),
            LoginFacts { by_external_id: Some(ada.clone()), ..Default::default() },
            Ok(decision(Resolution::Existing(id("u-ada")), VisitorOutcome::Nothing, &[verified("ada@example.test"), verified("ada@work.test")], None)),
        ),
        (
            "email hit on a record without external_id: the external_id is attached",
            claims("carol", Some("free@example.test")),
            LoginFacts { email_holders: vec![claimed.clone()], ..Default::default() },
            Ok(decision(Resolution::AttachExternalId(id("u-claimed")), VisitorOutcome::Nothing, &[verified("free@example.test")], None)),
        ),
        (
            "an address held only unverified does not find the record: a new user, and the identity moves",
            claims("dan", Some("typed@example.test")),
            LoginFacts { email_holders: vec![typed.clone()], ..Default::default() },
            Ok(decision(Resolution::New(id("new")), VisitorOutcome::Nothing, &[verified("typed@example.test")], Some(("typed@example.test", &["u-typed"])))),
        ),
        (
            "email conflict: the verified email belongs to another external_id",
            claims("mallory", Some("bo@example.test")),
            LoginFacts { email_holders: vec![bo.clone()], ..Default::default() },
            Err(Rejection::EmailConflict),
        ),
        (
            "email conflict even when the external_id exists",
            claims("ada", Some("bo@example.test")),
            LoginFacts { by_external_id: Some(ada.clone()), email_holders: vec![bo.clone()], ..Default::default() },
            Err(Rejection::EmailConflict),
        ),
        (
            "new user",
            claims("erin", None),
            LoginFacts::default(),
            Ok(decision(Resolution::New(id("new")), VisitorOutcome::Nothing, &[], None)),
        ),
        (
            "new user with a free verified email",
            claims("erin", Some("erin@example.test")),
            LoginFacts::default(),
            Ok(decision(Resolution::New(id("new")), VisitorOutcome::Nothing, &[verified("erin@example.test")], None)),
        ),
        (
            "external_id hit and a verified email an unauthenticated record claimed: it moves",
            claims("ada", Some("free@example.test")),
            LoginFacts { by_external_id: Some(ada.clone()), email_holders: vec![claimed.clone()], ..Default::default() },
            Ok(decision(Resolution::Existing(id("u-ada")), VisitorOutcome::Nothing, &[verified("ada@example.test"), verified("free@example.test")], Some(("free@example.test", &["u-claimed"])))),
        ),
        (
            "external_id hit and a verified email others hold unverified: it moves from all of them",
            claims("ada", Some("typed@example.test")),
            LoginFacts {
                by_external_id: Some(ada.clone()),
                email_holders: vec![typed.clone(), record("u-typed-too", None, &[unverified("typed@example.test")])],
                ..Default::default()
            },
            Ok(decision(Resolution::Existing(id("u-ada")), VisitorOutcome::Nothing, &[verified("ada@example.test"), verified("typed@example.test")], Some(("typed@example.test", &["u-typed", "u-typed-too"])))),
        ),
        (
            "the user's own unverified identity becomes verified",
            claims("ada", Some("old@example.test")),
            LoginFacts {
                by_external_id: Some(record("u-ada", Some("ada"), &[unverified("old@example.test")])),
                email_holders: vec![record("u-ada", Some("ada"), &[unverified("old@example.test")])],
                ..Default::default()
            },
            Ok(decision(Resolution::Existing(id("u-ada")), VisitorOutcome::Nothing, &[verified("old@example.test")], None)),
        ),
    ];
    for (case, claims, facts, expected) in table {
        assert_eq!(decide(&claims, &facts), expected, "{case}");
    }
}

#[test]
fn the_visitors_anonymous_record_is_merged_into_the_user() {
    let ada = record("u-ada", Some("ada"), &[verified("ada@example.test")]);
    let visitor = record("u-anon", None, &[unverified("ada.home@example.test")]);
    let merge = |into: &str| {
        VisitorOutcome::Merge(Merge {
            from: id("u-anon"),
            into: id(into),
        })
    };

    // Into an existing user: its identities come along.
    let got = decide(
        &claims("ada", None),
        &LoginFacts {
            by_external_id: Some(ada.clone()),
            visitor: Some(visitor.clone()),
            ..Default::default()
        },
    );
    assert_eq!(
        got,
        Ok(decision(
            Resolution::Existing(id("u-ada")),
            merge("u-ada"),
            &[
                unverified("ada.home@example.test"),
                verified("ada@example.test")
            ],
            None
        ))
    );

    // Into a new user.
    let got = decide(
        &claims("fay", None),
        &LoginFacts {
            visitor: Some(visitor.clone()),
            ..Default::default()
        },
    );
    assert_eq!(
        got,
        Ok(decision(
            Resolution::New(id("new")),
            merge("new"),
            &[unverified("ada.home@example.test")],
            None
        ))
    );

    // The token verifies the address the visitor typed: merged, and verified (the visitor's own
    // identity is merged, not superseded).
    let got = decide(
        &claims("ada", Some("ada.home@example.test")),
        &LoginFacts {
            by_external_id: Some(ada.clone()),
            email_holders: vec![visitor.clone()],
            visitor: Some(visitor.clone()),
        },
    );
    assert_eq!(
        got,
        Ok(decision(
            Resolution::Existing(id("u-ada")),
            merge("u-ada"),
            &[
                verified("ada.home@example.test"),
                verified("ada@example.test")
            ],
            None
        ))
    );

    // The visitor's record is the one holding the verified email (it claimed it): it becomes
    // the user itself; nothing to merge.
    let claimer = record("u-anon", None, &[verified("free@example.test")]);
    let got = decide(
        &claims("gus", Some("free@example.test")),
        &LoginFacts {
            email_holders: vec![claimer.clone()],
            visitor: Some(claimer.clone()),
            ..Default::default()
        },
    );
    assert_eq!(
        got,
        Ok(decision(
            Resolution::AttachExternalId(id("u-anon")),
            VisitorOutcome::BecomesUser,
            &[verified("free@example.test")],
            None
        ))
    );

    // An email conflict merges nothing: the visitor stays unauthenticated.
    let bo = record("u-bo", Some("bo"), &[verified("bo@example.test")]);
    assert_eq!(
        decide(
            &claims("mallory", Some("bo@example.test")),
            &LoginFacts {
                email_holders: vec![bo],
                visitor: Some(visitor.clone()),
                ..Default::default()
            }
        ),
        Err(Rejection::EmailConflict)
    );

    // A record that is authenticated is never merged as a visitor.
    let got = decide(
        &claims("ada", None),
        &LoginFacts {
            by_external_id: Some(ada.clone()),
            visitor: Some(record("u-bo", Some("bo"), &[])),
            ..Default::default()
        },
    );
    assert_eq!(got.map(|d| d.visitor), Ok(VisitorOutcome::Nothing));
}

#[test]
fn an_anonymous_message_goes_to_the_visitors_record_or_a_new_one() {
    let visitor = record("u-anon", None, &[]);
    assert_eq!(
        anonymous_visitor(Some(&visitor), id("new")),
        Resolution::Existing(id("u-anon"))
    );
    assert_eq!(
        anonymous_visitor(None, id("new")),
        Resolution::New(id("new"))
    );
}

#[test]
fn merging_identities_keeps_each_address_once_verified_if_either_was() {
    let table: &[(&str, Vec<Identity>, Vec<Identity>, Vec<Identity>)] = &[
        ("none", vec![], vec![], vec![]),
        (
            "disjoint, sorted",
            vec![verified("b@x.test")],
            vec![unverified("a@x.test")],
            vec![unverified("a@x.test"), verified("b@x.test")],
        ),
        (
            "unverified + verified",
            vec![unverified("a@x.test")],
            vec![verified("a@x.test")],
            vec![verified("a@x.test")],
        ),
        (
            "verified + unverified",
            vec![verified("a@x.test")],
            vec![unverified("a@x.test")],
            vec![verified("a@x.test")],
        ),
        (
            "unverified twice",
            vec![unverified("a@x.test")],
            vec![unverified("a@x.test")],
            vec![unverified("a@x.test")],
        ),
    ];
    for (case, into, from, expected) in table {
        assert_eq!(&merge_identities(into, from), expected, "{case}");
    }
}
