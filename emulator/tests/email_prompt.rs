//! An unauthenticated visitor gives the bot an email address: each setting, and the supersede
//! cases, table by table.
mod common;

use common::*;
use messenger_emulator::identity::Supersede;
use messenger_emulator::{
    decide_email_prompt, resolve_login, EmailIdentities, EmailPromptDecision, EmailPromptFacts,
    Identity, LoginFacts, Resolution, UserId,
};

use EmailIdentities::{
    UnauthenticatedCanClaimVerified as Claim, VerifiedAndUnverified as Both, VerifiedOnly as Only,
};

fn id(text: &str) -> UserId {
    UserId::from(text)
}

/// (identity the visitor gets, records superseded)
type Outcome = (Option<Identity>, Option<Vec<&'static str>>);

fn outcome(decision: &EmailPromptDecision) -> (Option<Identity>, Option<Vec<String>>) {
    (
        decision.identity.clone(),
        decision
            .superseded
            .as_ref()
            .map(|s: &Supersede| s.holders.iter().map(|h| h.0.clone()).collect()),
    )
}

#[test]
fn each_setting_with_each_state_of_the_address() {
    const A: &str = "visitor@example.test";
    let visitor = record("u-visitor", None, &[]);
    let free = EmailPromptFacts {
        visitor: Some(visitor.clone()),
        holders: vec![],
    };
    let unverified_elsewhere = EmailPromptFacts {
        visitor: Some(visitor.clone()),
        holders: vec![record("u-other", None, &[unverified(A)])],
    };
    let verified_by_a_user = EmailPromptFacts {
        visitor: Some(visitor.clone()),
        holders: vec![record("u-ada", Some("ada"), &[verified(A)])],
    };
    let claimed_by_another_visitor = EmailPromptFacts {
        visitor: Some(visitor.clone()),
        holders: vec![record("u-first", None, &[verified(A)])],
    };
    let already_unverified_here = EmailPromptFacts {
        visitor: Some(record("u-visitor", None, &[unverified(A)])),
        holders: vec![record("u-visitor", None, &[unverified(A)])],
    };

    let table: Vec<(&str, EmailIdentities, &EmailPromptFacts, Outcome)> = vec![
        // verified_only: kept in the chat history only.
        ("only, free", Only, &free, (None, None)),
        (
            "only, unverified elsewhere",
            Only,
            &unverified_elsewhere,
            (None, None),
        ),
        (
            "only, verified by a user",
            Only,
            &verified_by_a_user,
            (None, None),
        ),
        // verified_and_unverified: an unverified identity, unless someone holds it verified.
        ("both, free", Both, &free, (Some(unverified(A)), None)),
        (
            "both, unverified elsewhere too",
            Both,
            &unverified_elsewhere,
            (Some(unverified(A)), None),
        ),
        (
            "both, verified by a user",
            Both,
            &verified_by_a_user,
            (None, None),
        ),
        (
            "both, claimed by another visitor",
            Both,
            &claimed_by_another_visitor,
            (None, None),
        ),
        (
            "both, already held here",
            Both,
            &already_unverified_here,
            (None, None),
        ),
        // unauthenticated_can_claim_verified: the first to claim a free address gets it verified.
        ("claim, free", Claim, &free, (Some(verified(A)), None)),
        (
            "claim, unverified elsewhere: superseded",
            Claim,
            &unverified_elsewhere,
            (Some(verified(A)), Some(vec!["u-other"])),
        ),
        (
            "claim, already unverified here: upgraded",
            Claim,
            &already_unverified_here,
            (Some(verified(A)), None),
        ),
        (
            "claim, verified by a user",
            Claim,
            &verified_by_a_user,
            (None, None),
        ),
        (
            "claim, claimed by another visitor first",
            Claim,
            &claimed_by_another_visitor,
            (None, None),
        ),
    ];
    for (case, setting, facts, (identity, superseded)) in table {
        let decision = decide_email_prompt(setting, &address(A), facts, id("new"));
        assert_eq!(
            decision.visitor,
            Resolution::Existing(id("u-visitor")),
            "{case}"
        );
        assert_eq!(
            decision.history_text, A,
            "{case}: the address stays in the chat history"
        );
        let superseded = superseded.map(|holders| holders.into_iter().map(String::from).collect());
        assert_eq!(outcome(&decision), (identity, superseded), "{case}");
    }
}

#[test]
fn a_visitor_never_seen_gets_a_new_record_with_or_without_the_address() {
    let a = address("new@example.test");
    let taken = EmailPromptFacts {
        visitor: None,
        holders: vec![record(
            "u-ada",
            Some("ada"),
            &[verified("new@example.test")],
        )],
    };
    for setting in EmailIdentities::ALL {
        let decision = decide_email_prompt(setting, &a, &taken, id("new"));
        assert_eq!(decision.visitor, Resolution::New(id("new")), "{setting}");
        assert_eq!(
            decision.identity, None,
            "{setting}: someone's verified identity is never given away"
        );
    }
    let decision = decide_email_prompt(Claim, &a, &EmailPromptFacts::default(), id("new"));
    assert_eq!(
        (decision.visitor, decision.identity),
        (
            Resolution::New(id("new")),
            Some(verified("new@example.test"))
        )
    );
}

#[test]
fn a_claimed_address_later_finds_that_record_by_the_email_rule() {
    // The not-recommended mode, end to end through the rules: a visitor claims a free address;
    // a later token with that verified email and a new external_id finds the visitor's record.
    let a = address("shared@example.test");
    let prompt = decide_email_prompt(Claim, &a, &EmailPromptFacts::default(), id("u-visitor"));
    let visitor = record("u-visitor", None, &[prompt.identity.clone().unwrap()]);
    let login = resolve_login(
        &claims("hal", Some("shared@example.test")),
        &LoginFacts {
            email_holders: vec![visitor],
            ..Default::default()
        },
        id("new"),
    )
    .unwrap();
    assert_eq!(
        login.resolution,
        Resolution::AttachExternalId(id("u-visitor"))
    );

    // Under verified_and_unverified the same story makes a new user, and the verified identity
    // supersedes the visitor's unverified one.
    let prompt = decide_email_prompt(Both, &a, &EmailPromptFacts::default(), id("u-visitor"));
    let visitor = record("u-visitor", None, &[prompt.identity.clone().unwrap()]);
    let login = resolve_login(
        &claims("hal", Some("shared@example.test")),
        &LoginFacts {
            email_holders: vec![visitor],
            ..Default::default()
        },
        id("new"),
    )
    .unwrap();
    assert_eq!(login.resolution, Resolution::New(id("new")));
    assert_eq!(login.identities, vec![verified("shared@example.test")]);
    assert_eq!(
        login.superseded.map(|s| s.holders),
        Some(vec![id("u-visitor")])
    );
}

#[test]
fn the_setting_reads_and_writes_its_api_values() {
    for setting in EmailIdentities::ALL {
        assert_eq!(setting.as_str().parse::<EmailIdentities>(), Ok(setting));
    }
    assert_eq!(EmailIdentities::default(), Only);
    for bad in ["", "verified", "VERIFIED_ONLY", "verified_only "] {
        let error = bad.parse::<EmailIdentities>().unwrap_err();
        assert!(error.contains("emailIdentities must be"), "{bad}: {error}");
    }
}
