#![cfg(not(target_arch = "wasm32"))]
//! The wasm exports one `call(method, a, b)` and numbers the API methods by their place in
//! `core::state::API_METHODS`; the facade numbers them by their place in www/sdk/queue.js's
//! `API_METHODS`. The two lists must be the same, in the same order.

use messenger_auth::core::state::API_METHODS;

/// The quoted names on the line of queue.js that starts with `const {name} =`, in order.
fn names_in(source: &str, name: &str) -> Vec<String> {
    let start = format!("const {name} =");
    let line = source
        .lines()
        .find(|line| line.starts_with(&start))
        .unwrap_or_else(|| panic!("queue.js has no `{start}` line"));
    line.split('"')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

#[test]
fn the_facade_numbers_the_methods_as_the_wasm_does() {
    let queue = include_str!("../www/sdk/queue.js");
    let api = queue
        .lines()
        .find(|line| line.starts_with("const API_METHODS ="))
        .expect("queue.js defines API_METHODS");
    assert!(
        api.contains("[...PROMISE_METHODS, "),
        "API_METHODS starts with PROMISE_METHODS: {api}"
    );
    let mut facade = names_in(queue, "PROMISE_METHODS");
    facade.extend(names_in(queue, "API_METHODS"));
    assert_eq!(facade, API_METHODS);
}
