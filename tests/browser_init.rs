//! `messenger.init(options)` in a real page: unknown options and bad values reject with a
//! message naming them, a repeated init with the same options resolves, other options reject.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The rejection's message, failing the test if `init` resolved or rejected with no `Error`.
async fn rejection(sdk: &Sdk, options: &JsValue) -> String {
    let rejected = sdk
        .init(options)
        .await
        .expect_err(&format!("init({}) resolved", json(options)));
    let error = rejected
        .dyn_ref::<js_sys::Error>()
        .unwrap_or_else(|| panic!("init rejected with a non-Error: {rejected:?}"));
    String::from(error.message())
}

#[wasm_bindgen_test]
async fn an_unknown_option_is_rejected_by_name() {
    let errors = PageErrors::watch();
    for name in ["authEndpiont", "timeout", "storageKind"] {
        let sdk = Sdk::new();
        let message = rejection(&sdk, &obj(&[(name, JsValue::from(1))])).await;
        assert!(
            message.contains(&format!("\"{name}\"")),
            "message: {message}"
        );
        assert!(message.contains("unknown option"), "message: {message}");
        // It lists the real ones, to help with the typo.
        assert!(message.contains("authEndpoint"), "message: {message}");
    }
    // Unknown even when its value is undefined.
    let sdk = Sdk::new();
    let message = rejection(&sdk, &obj(&[("refreshLeeway", JsValue::UNDEFINED)])).await;
    assert!(message.contains("\"refreshLeeway\""), "message: {message}");
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn a_bad_value_is_rejected_naming_the_option() {
    let errors = PageErrors::watch();
    let cases: [(&str, JsValue); 10] = [
        ("storage", "disk".into()),
        ("storage", JsValue::from(1)),
        ("timeoutMs", JsValue::from(-5)),
        ("timeoutMs", JsValue::from(0)),
        ("timeoutMs", JsValue::from(1.5)),
        ("timeoutMs", "5000".into()),
        ("refreshLeewaySeconds", JsValue::from(f64::NAN)),
        ("tokenProfile", "jwt".into()),
        ("revalidateOnLoad", "yes".into()),
        ("authEndpoint", "   ".into()),
    ];
    for (name, value) in cases {
        let sdk = Sdk::new();
        let options = obj(&[(name, value.clone())]);
        let message = rejection(&sdk, &options).await;
        assert!(
            message.contains(&format!("\"{name}\"")),
            "init({}) rejected without naming {name}: {message}",
            json(&options)
        );
        // A rejected init starts nothing: the same SDK then accepts good options.
        assert!(sdk
            .init(&obj(&[("storage", "memory".into())]))
            .await
            .is_ok());
    }
    // Options that are not an object at all.
    for options in [
        JsValue::from(42),
        JsValue::from("storage=local"),
        js_sys::Array::new().into(),
    ] {
        let sdk = Sdk::new();
        let message = rejection(&sdk, &options).await;
        assert!(
            message.contains("options must be an object"),
            "message: {message}"
        );
    }
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn init_is_idempotent_for_the_same_options_and_rejects_others() {
    let errors = PageErrors::watch();
    let sdk = Sdk::new();
    let options = || {
        obj(&[
            ("storage", "local".into()),
            ("timeoutMs", JsValue::from(5000)),
            ("refreshLeewaySeconds", JsValue::from(30)),
            ("tokenProfile", "any".into()),
            ("revalidateOnLoad", JsValue::FALSE),
        ])
    };
    let first = sdk.init(&options()).await.expect("first init");
    assert_eq!(get_str(&first, "status").as_deref(), Some("anonymous"));
    let anonymous_id = get_str(&first, "anonymousId").unwrap();
    let log = EventLog::attach(&sdk);
    // The same options (a new object, keys in another order) resolve with the same state.
    let again = obj(&[
        ("revalidateOnLoad", JsValue::FALSE),
        ("tokenProfile", "any".into()),
        ("refreshLeewaySeconds", JsValue::from(30)),
        ("timeoutMs", JsValue::from(5000)),
        ("storage", "local".into()),
    ]);
    let second = sdk
        .init(&again)
        .await
        .expect("a second init with the same options resolves");
    assert_eq!(get_str(&second, "anonymousId"), Some(anonymous_id.clone()));
    assert!(sdk.init(&options()).await.is_ok());
    // Different options reject, and change nothing.
    let message = rejection(&sdk, &obj(&[("storage", "session".into())])).await;
    assert!(
        message.contains("already initialised"),
        "message: {message}"
    );
    let message = rejection(&sdk, &obj(&[("timeoutMs", JsValue::from(5001))])).await;
    assert!(
        message.contains("already initialised"),
        "message: {message}"
    );
    // A bad option is still named, even after a successful init.
    let message = rejection(&sdk, &obj(&[("bogus", JsValue::TRUE)])).await;
    assert!(message.contains("\"bogus\""), "message: {message}");
    assert_eq!(sdk.anonymous_id(), anonymous_id);
    // No second start: no second ready event.
    assert_eq!(log.count("ready"), 0, "events: {:?}", log.names());
    // storage "local" really is in force: the record went to localStorage.
    assert!(stored_record(true).is_some());
    assert!(stored_record(false).is_none());
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn an_option_getter_that_throws_rejects_and_throws_nothing() {
    let errors = PageErrors::watch();
    let sdk = Sdk::new();
    let options = js_sys::Object::new();
    let getter: wasm_bindgen::closure::Closure<dyn Fn() -> Result<JsValue, JsValue>> =
        wasm_bindgen::closure::Closure::new(|| Err(js_sys::Error::new("getter boom").into()));
    let descriptor = obj(&[
        ("get", getter.as_ref().clone()),
        ("enumerable", JsValue::TRUE),
    ]);
    js_sys::Reflect::define_property(&options, &"storage".into(), descriptor.unchecked_ref())
        .unwrap();
    let result = sdk.try_call("init", &[&options]);
    let promise: js_sys::Promise = result.expect("init threw synchronously").unchecked_into();
    let rejected = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect_err("resolved");
    let message = String::from(rejected.unchecked_ref::<js_sys::Error>().message());
    assert!(message.contains("could not be read"), "message: {message}");
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn options_without_a_prototype_are_options() {
    let errors = PageErrors::watch();
    let sdk = Sdk::new();
    let bare: js_sys::Object = js_sys::Object::create(&JsValue::NULL.unchecked_into());
    js_sys::Reflect::set(&bare, &"storage".into(), &"memory".into()).unwrap();
    let state = sdk.init(&bare).await.expect("init resolves");
    assert_eq!(get_str(&state, "status").as_deref(), Some("anonymous"));
    // The same options again agree; a function is not an options object.
    assert!(sdk.init(&bare).await.is_ok());
    let message = rejection(&sdk, &js_sys::Function::new_no_args("").into()).await;
    assert!(message.contains("options must be an object"), "{message}");
    errors.assert_none().await;
}
