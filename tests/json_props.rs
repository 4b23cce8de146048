//! The core's JSON reader against serde_json, the reference: the same texts are JSON for both,
//! and they read the same values (floats to within a few units in the last place).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::reference::same;
use messenger_auth::core::json::parse;
use proptest::prelude::*;

/// JSON-ish text: mostly valid pieces, often broken.
fn json_ish() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| f.to_string()),
        "-?[0-9]{1,25}(\\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?",
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
        "\"([^\"\\\\]|\\\\[\"\\\\/bfnrtu]|\\\\u[0-9a-fA-F]{4}){0,8}\"",
        "[\\[\\]{},:\" 0-9a-z\\\\.eE+-]{0,12}",
    ];
    atom.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec(("\"[a-c]{0,2}\"", inner), 0..6).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn reads_what_the_reference_reads(text in json_ish()) {
        let reference = serde_json::from_str::<serde_json::Value>(&text);
        match (parse(&text), reference) {
            (Some(ours), Ok(reference)) => prop_assert!(same(&ours, &reference), "{text}: {ours:?} vs {reference:?}"),
            (None, Err(_)) => {}
            // serde_json refuses numbers beyond f64; the grammar has no such limit, and the
            // reader reads them as JSON.parse does, as infinities (json.rs's unit tests).
            (Some(_), Err(e)) if e.to_string().starts_with("number out of range") => {}
            (ours, reference) => prop_assert!(false, "{text}: ours {ours:?}, reference {reference:?}"),
        }
    }

    #[test]
    fn never_panics(text in ".{0,64}") {
        let _ = parse(&text);
    }

    #[test]
    fn reads_what_the_reference_writes(value in any::<(String, Vec<(String, i64)>, Vec<f64>)>()) {
        let (s, members, floats) = value;
        let floats: Vec<f64> = floats.into_iter().filter(|f| f.is_finite()).collect();
        let reference = serde_json::json!({ "s": s, "m": members, "f": floats });
        let text = serde_json::to_string(&reference).unwrap();
        let ours = parse(&text);
        prop_assert!(ours.as_ref().is_some_and(|o| same(o, &reference)), "{text}");
    }
}
