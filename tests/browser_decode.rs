//! How the shell reads what the browser parsed (src/browser/decode.rs), in Chromium: own
//! properties only, so that a polluted `Object.prototype` gives a token or a stored record
//! nothing it does not have; and integer `external_id`s read while the browser reads them
//! exactly, refused beyond.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Members set on `Object.prototype` for one test, deleted when dropped (the tests of a file
/// share one page).
struct Pollution(Vec<&'static str>);

impl Pollution {
    fn new(members: &[(&'static str, JsValue)]) -> Pollution {
        let prototype: JsValue = Object::get_prototype_of(&Object::new().into()).into();
        for (key, value) in members {
            Reflect::set(&prototype, &(*key).into(), value).unwrap();
        }
        Pollution(members.iter().map(|(key, _)| *key).collect())
    }
}

impl Drop for Pollution {
    fn drop(&mut self) {
        let prototype = Object::get_prototype_of(&Object::new().into());
        for key in &self.0 {
            Reflect::delete_property(&prototype, &(*key).into()).unwrap();
        }
    }
}

const STORED_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

#[wasm_bindgen_test]
async fn a_token_gains_no_claim_from_a_polluted_object_prototype() {
    let errors = PageErrors::watch();
    let sdk = Sdk::new();
    let _pollution = Pollution::new(&[
        ("external_id", "admin".into()),
        ("email_verified", true.into()),
        ("scope", "agent".into()),
        ("exp", 1.0.into()),
    ]);
    let payload = format!(
        r#"{{"sub":"s-1","email":"s1@example.test","exp":{}}}"#,
        now_s() + 600
    );
    let jwt_callback = answering(jwt(r#"{"alg":"HS256"}"#, &payload));
    let state = sdk.login(jwt_callback.as_ref(), &JsValue::UNDEFINED).await;
    assert_eq!(
        get_str(&state, "status").as_deref(),
        Some("authenticated"),
        "{}",
        json(&state)
    );
    let user = get(&state, "user");
    assert!(get(&user, "externalId").is_null(), "{}", json(&user));
    assert_eq!(get(&user, "emailVerified"), JsValue::FALSE);
    let claims: Object = get(&user, "claims").into();
    assert!(!Object::has_own(&claims, &"external_id".into()));
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn a_stored_record_gains_no_token_from_a_polluted_object_prototype() {
    let errors = PageErrors::watch();
    let sdk = Sdk::new();
    let _pollution = Pollution::new(&[
        ("jwt", long_token("mallory").into()),
        ("source", "callback".into()),
    ]);
    let record = format!(r#"{{"v":1,"anonymous_id":"{STORED_ID}"}}"#);
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .set_item(STORAGE_KEY, &record)
        .unwrap();
    let ready = sdk.init(&JsValue::UNDEFINED).await.unwrap();
    assert_eq!(
        get_str(&ready, "status").as_deref(),
        Some("anonymous"),
        "{}",
        json(&ready)
    );
    assert_eq!(get_str(&ready, "anonymousId").as_deref(), Some(STORED_ID));
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn an_integer_external_id_is_read_while_exact_and_refused_beyond() {
    let errors = PageErrors::watch();
    let exp = now_s() + 600;
    for (claim, read) in [
        ("12345", Some("12345")),
        ("9007199254740991", Some("9007199254740991")),
        ("-42.0", Some("-42")),
        ("9007199254740993", None), // JSON.parse reads 9007199254740992
        ("1e21", None),
    ] {
        let sdk = Sdk::new();
        let login_callback = Recorder::new();
        let payload = format!(r#"{{"external_id":{claim},"exp":{exp}}}"#);
        let jwt_callback = answering(jwt(r#"{"alg":"HS256"}"#, &payload));
        let state = sdk
            .login(jwt_callback.as_ref(), &login_callback.function())
            .await;
        match read {
            Some(text) => {
                assert_eq!(
                    path(&state, "user.externalId").as_string().as_deref(),
                    Some(text),
                    "{claim}"
                );
                assert!(login_callback.arg(0).is_null());
            }
            None => {
                assert_eq!(
                    get_str(&state, "status").as_deref(),
                    Some("anonymous"),
                    "{claim}"
                );
                let error = login_callback.arg(0);
                assert_eq!(get_str(&error, "reason").as_deref(), Some("invalid_jwt"));
                assert_eq!(get_str(&error, "detail").as_deref(), Some("invalid_claim"));
                let message = get_str(&error, "message").unwrap_or_default();
                assert!(
                    message.contains("send external_id as a string"),
                    "{message}"
                );
            }
        }
    }
    errors.assert_none().await;
}
