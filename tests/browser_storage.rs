//! Storage that throws (blocked, sandboxed, full) falls back to memory silently: the SDK still
//! starts, logs in, keeps its state in memory, and throws nothing at the page (SPEC "Storage").
//! The real `window.sessionStorage`/`localStorage` getters and `Storage.prototype` methods are
//! replaced for the test and put back afterwards.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use js_sys::{Object, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::DomException;

wasm_bindgen_test_configure!(run_in_browser);

type Thrower = Closure<dyn Fn() -> Result<JsValue, JsValue>>;

/// A function that throws `DOMException(message, name)`, as a browser's blocked storage does.
fn thrower(message: &'static str, name: &'static str) -> Thrower {
    Closure::new(move || Err(DomException::new_with_message_and_name(message, name)?.into()))
}

/// Replaces properties of an object for one test and restores their original descriptors when
/// dropped (also when an assertion fails first).
struct Patch {
    restore: Vec<(Object, &'static str, JsValue)>,
    _functions: Vec<Thrower>,
}

impl Patch {
    fn new() -> Patch {
        Patch {
            restore: Vec::new(),
            _functions: Vec::new(),
        }
    }

    /// Makes `target[key]` a getter (`getter: true`) or a method that throws.
    fn throwing(&mut self, target: &Object, key: &'static str, getter: bool, error: Thrower) {
        let original = Reflect::get_own_property_descriptor(target, &key.into()).unwrap();
        assert!(
            original.is_object() && get(&original, "configurable").as_bool() == Some(true),
            "{key} is not a configurable own property here"
        );
        let descriptor = Object::new();
        let slot = if getter { "get" } else { "value" };
        Reflect::set(&descriptor, &slot.into(), error.as_ref()).unwrap();
        Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE).unwrap();
        if !getter {
            Reflect::set(&descriptor, &"writable".into(), &JsValue::TRUE).unwrap();
        }
        assert!(Reflect::define_property(target, &key.into(), &descriptor).unwrap());
        self.restore.push((target.clone(), key, original));
        self._functions.push(error);
    }
}

impl Drop for Patch {
    fn drop(&mut self) {
        for (target, key, original) in self.restore.drain(..).rev() {
            let _ = Reflect::define_property(&target, &key.into(), original.unchecked_ref());
        }
    }
}

fn window_object() -> Object {
    web_sys::window().unwrap().unchecked_into()
}

fn storage_prototype() -> Object {
    let storage = Reflect::get(&js_sys::global(), &"Storage".into()).unwrap();
    get(&storage, "prototype").unchecked_into()
}

/// Both storage getters throw `SecurityError` (storage disabled, sandboxed iframe).
fn block_storage_getters() -> Patch {
    let mut patch = Patch::new();
    let window = window_object();
    for key in ["sessionStorage", "localStorage"] {
        patch.throwing(&window, key, true, thrower("blocked", "SecurityError"));
    }
    // The patch really is in force: the page itself can no longer reach storage.
    assert!(web_sys::window().unwrap().session_storage().is_err());
    assert!(web_sys::window().unwrap().local_storage().is_err());
    patch
}

/// Logs in with a jwtCallback and checks everything a page sees, with storage unusable.
async fn logs_in_from_memory(sdk: &Sdk, user: &str) {
    let token = long_token(user);
    let jwt_callback = answering(token.clone());
    let login_callback = Recorder::new();
    let result = sdk
        .login(jwt_callback.as_ref(), &login_callback.function())
        .await;
    assert_eq!(get_str(&result, "status").as_deref(), Some("authenticated"));
    assert_eq!(login_callback.len(), 1);
    assert!(
        login_callback.arg(0).is_null(),
        "loginCallback got {}",
        json(&login_callback.arg(0))
    );
    let state = sdk.state();
    assert_eq!(get_str(&state, "status").as_deref(), Some("authenticated"));
    assert_eq!(get(&state, "authenticationStatus"), JsValue::TRUE);
    assert_eq!(
        get_str(&path(&state, "user"), "externalId").as_deref(),
        Some(user)
    );
    // The token is kept (in memory) and handed out while fresh.
    assert_eq!(sdk.get_token().await.as_string(), Some(token));
    assert_eq!(sdk.status(), "authenticated");
}

#[wasm_bindgen_test]
async fn storage_getters_that_throw_fall_back_to_memory() {
    for storage in ["session", "local"] {
        let sdk = Sdk::new(); // clears storage while it can still be reached
        let errors = PageErrors::watch();
        let patch = block_storage_getters();
        let log = EventLog::attach(&sdk);

        let ready = sdk
            .init(&obj(&[("storage", storage.into())]))
            .await
            .unwrap_or_else(|e| panic!("init rejected with storage {storage} blocked: {e:?}"));
        assert_eq!(get_str(&ready, "status").as_deref(), Some("anonymous"));
        assert_eq!(log.count("ready"), 1);

        logs_in_from_memory(&sdk, "blocked-user").await;
        assert!(log.count("loginFailed") == 0, "events: {:?}", log.names());

        // Logout purges (both storages, each guarded) without throwing.
        let before = sdk.anonymous_id();
        sdk.logout().await;
        assert_eq!(sdk.status(), "anonymous");
        assert_ne!(sdk.anonymous_id(), before);
        assert_eq!(log.count("loggedOut"), 1);

        errors.assert_none().await;
        drop(patch);
        // Nothing was written behind the patch.
        assert_eq!(stored_record(false), None);
        assert_eq!(stored_record(true), None);
        drop(sdk);
    }
    // The originals are back.
    assert!(web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .is_some());
    assert!(web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn storage_full_keeps_the_state_in_memory() {
    let sdk = Sdk::new();
    // A record of an earlier page, which the failing write must not leave behind.
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .set_item(STORAGE_KEY, "{\"v\":1,\"anonymous_id\":\"stale\"}")
        .unwrap();
    let errors = PageErrors::watch();
    let mut patch = Patch::new();
    patch.throwing(
        &storage_prototype(),
        "setItem",
        false,
        thrower("The quota has been exceeded.", "QuotaExceededError"),
    );
    assert!(web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .set_item("probe", "x")
        .is_err());

    sdk.init(&JsValue::UNDEFINED).await.expect("init resolves");
    logs_in_from_memory(&sdk, "quota-user").await;
    // The failed write removed the old record rather than leave it behind.
    assert_eq!(stored_record(false), None);
    // Later writes (logout) stay in memory too, without throwing.
    sdk.logout().await;
    assert_eq!(sdk.status(), "anonymous");
    errors.assert_none().await;
    drop(patch);
    assert_eq!(stored_record(false), None);
}

#[wasm_bindgen_test]
async fn storage_whose_every_method_throws_is_not_used() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    let mut patch = Patch::new();
    let prototype = storage_prototype();
    for method in ["getItem", "setItem", "removeItem"] {
        patch.throwing(
            &prototype,
            method,
            false,
            thrower("denied", "SecurityError"),
        );
    }
    sdk.init(&obj(&[("storage", "local".into())]))
        .await
        .expect("init resolves");
    logs_in_from_memory(&sdk, "sandboxed-user").await;
    sdk.logout().await;
    assert_eq!(sdk.status(), "anonymous");
    errors.assert_none().await;
    drop(patch);
    assert_eq!(stored_record(true), None);
}

#[wasm_bindgen_test]
async fn working_storage_is_written_control() {
    // Control for the tests above: with storage working, the record is really written, so
    // their "nothing stored" checks are meaningful.
    let sdk = Sdk::new();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    logs_in_from_memory(&sdk, "stored-user").await;
    let record = stored_record(false).expect("a record in sessionStorage");
    assert!(record.contains("\"jwt\""), "record: {record}");
    sdk.logout().await;
    let record = stored_record(false).unwrap_or_default();
    assert!(
        !record.contains("\"jwt\":\""),
        "token left after logout: {record}"
    );
}

/// A record as the SDK writes it (SPEC: the page sees `authenticated` at once on a reload).
fn record(anonymous_id: &str, jwt: &str) -> String {
    format!(r#"{{"v":1,"anonymous_id":"{anonymous_id}","jwt":"{jwt}","source":"callback"}}"#)
}

const STORED_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

#[wasm_bindgen_test]
async fn a_stored_session_is_restored_at_init_and_a_tampered_one_ignored() {
    let errors = PageErrors::watch();
    let session = || {
        web_sys::window()
            .unwrap()
            .session_storage()
            .unwrap()
            .unwrap()
    };

    // A reload: the stored token is fresh, the state is authenticated before any request.
    let sdk = Sdk::new();
    session()
        .set_item(
            STORAGE_KEY,
            &record(STORED_ID, &long_token("restored-user")),
        )
        .unwrap();
    let log = EventLog::attach(&sdk);
    let ready = sdk.init(&JsValue::UNDEFINED).await.unwrap();
    assert_eq!(get_str(&ready, "status").as_deref(), Some("authenticated"));
    assert_eq!(get_str(&ready, "anonymousId").as_deref(), Some(STORED_ID));
    assert_eq!(
        path(&ready, "user.externalId").as_string().as_deref(),
        Some("restored-user")
    );
    assert_eq!(log.count("ready"), 1);
    assert_eq!(
        get_str(&log.details("ready")[0], "status").as_deref(),
        Some("authenticated")
    );
    drop(sdk);

    // Tampered, unreadable or stale records are ignored, never trusted.
    let tampered = [
        record(STORED_ID, "not.a.jwt"),
        record(STORED_ID, &token_for("stale-user", now_s() - 10)),
        record("<img src=x onerror=alert(1)>", &long_token("evil")),
        String::from("{\"v\":1,"),
        String::from("null"),
    ];
    for text in tampered {
        let sdk = Sdk::new();
        session().set_item(STORAGE_KEY, &text).unwrap();
        let ready = sdk.init(&JsValue::UNDEFINED).await.unwrap();
        assert_eq!(
            get_str(&ready, "status").as_deref(),
            Some("anonymous"),
            "record {text}"
        );
        assert!(path(&ready, "user").is_null());
        drop(sdk);
    }
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn storage_code_that_calls_back_into_the_sdk_breaks_nothing() {
    // A page (or an extension) whose Storage.prototype.setItem calls the SDK while the SDK is
    // writing: the SDK must not trip over its own bookkeeping ("already borrowed").
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    let js = sdk.js.clone();
    let calls: Rc<RefCell<Vec<Result<JsValue, JsValue>>>> = Rc::default();
    let seen = calls.clone();
    let reentrant: Thrower = Closure::new(move || {
        for method in ["getAuthState", "getToken", "startEngagement"] {
            seen.borrow_mut().push(call_api(&js, method, &[]));
        }
        Ok(JsValue::UNDEFINED)
    });
    let mut patch = Patch::new();
    patch.throwing(&storage_prototype(), "setItem", false, reentrant);

    sdk.init(&JsValue::UNDEFINED).await.expect("init resolves");
    logs_in_from_memory(&sdk, "reentrant-storage-user").await;
    sdk.logout().await;
    assert_eq!(sdk.status(), "anonymous");
    {
        let calls = calls.borrow();
        assert!(calls.len() >= 3, "setItem was called: {}", calls.len());
        assert!(
            calls.iter().all(Result::is_ok),
            "a call from setItem threw: {calls:?}"
        );
    }
    drop(patch);
    errors.assert_none().await;
}
