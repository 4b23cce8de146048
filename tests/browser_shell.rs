//! The event surface of the shell in a real page: handlers that throw, handlers that call back
//! into the SDK, `on()`'s unsubscribe function and `off()`, window `messenger:<name>` events,
//! and the objects handed to the page (frozen, `__proto__` claims kept as plain properties).
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use js_sys::{Function, Object, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn page_error_detector_control() {
    // Control: the detector the other tests rely on does see an unhandled rejection here.
    let errors = PageErrors::watch();
    let _ = js_sys::Promise::reject(&js_sys::Error::new("control: deliberately unhandled").into());
    sleep(50).await;
    assert_eq!(errors.counts().1, 1);
}

#[wasm_bindgen_test]
async fn a_throwing_handler_stops_no_other_handler_nor_the_window_event() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    let thrown = Rc::new(Cell::new(0));
    let count = thrown.clone();
    let throwing = page_fn(move |_detail| {
        count.set(count.get() + 1);
        Err(js_sys::Error::new("handler failure on purpose").into())
    });
    let throws_a_string = page_fn(|_detail| Err(JsValue::from("not even an Error")));
    let second = Recorder::new();
    sdk.on("authStateChanged", throwing.as_ref());
    sdk.on("authStateChanged", throws_a_string.as_ref());
    sdk.on("authStateChanged", &second.function());
    let log = EventLog::attach(&sdk); // after the others: its handler comes last

    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let jwt_callback = answering(long_token("handler-user"));
    let result = sdk.login(jwt_callback.as_ref(), &JsValue::UNDEFINED).await;
    assert_eq!(get_str(&result, "status").as_deref(), Some("authenticated"));

    // authenticating, then authenticated: each delivered past both throwing handlers.
    assert_eq!(thrown.get(), 2);
    assert_eq!(second.len(), 2);
    assert_eq!(
        get_str(&second.arg(0), "status").as_deref(),
        Some("authenticating")
    );
    assert_eq!(
        get_str(&second.arg(1), "status").as_deref(),
        Some("authenticated")
    );
    assert_eq!(log.statuses(), ["authenticating", "authenticated"]);
    // ... and the window events went out, with the same detail objects.
    let window_events: Vec<JsValue> = log
        .dispatched
        .borrow()
        .iter()
        .filter(|(n, _)| n == "authStateChanged")
        .map(|(_, d)| d.clone())
        .collect();
    assert_eq!(window_events.len(), 2);
    assert!(Object::is(&window_events[1], &second.arg(1)));
    assert_eq!(sdk.status(), "authenticated");
    errors.assert_none().await;
}

/// Calls `messenger.logoutUser()` (and `getAuthState()`) from inside an `authStateChanged`
/// handler, through the page's `Messenger` object, the first time it sees `authenticated`.
fn logs_out_when_authenticated(sdk: &Sdk, seen: Rc<RefCell<Vec<String>>>) -> PageFn {
    let messenger = sdk.js.clone();
    page_fn(move |detail| {
        let status = get_str(&detail, "status").unwrap_or_default();
        // Reading the state from inside a handler must work too, and agree with the detail.
        let state = call_api(&messenger, "getAuthState", &[])?;
        seen.borrow_mut().push(format!(
            "{status}/{}",
            get_str(&state, "status").unwrap_or_default()
        ));
        if status == "authenticated"
            && seen
                .borrow()
                .iter()
                .filter(|s| s.starts_with("authenticated"))
                .count()
                == 1
        {
            call_api(&messenger, "logoutUser", &[])?;
        }
        Ok(JsValue::UNDEFINED)
    })
}

async fn check_reentrant_logout(answer_later: bool) {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let first_anonymous_id = sdk.anonymous_id();
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let handler = logs_out_when_authenticated(&sdk, seen.clone());
    sdk.on("authStateChanged", handler.as_ref());
    let log = EventLog::attach(&sdk);
    let login_callback = Recorder::new();

    let stash = Stash::new();
    let immediate = answering(long_token("reentrant-user"));
    let jwt_callback = if answer_later {
        stash.function()
    } else {
        immediate.as_ref().clone()
    };
    let login = sdk.promise("loginUser", &[&jwt_callback, &login_callback.function()]);
    if answer_later {
        sleep(10).await;
        // The answer arrives from a later task, not from inside loginUser().
        let answered = stash.answer(0, &long_token("reentrant-user").into());
        assert!(answered.is_ok(), "callback(jwt) threw: {answered:?}");
    }
    let result = wasm_bindgen_futures::JsFuture::from(login).await;
    assert!(result.is_ok(), "loginUser rejected: {result:?}");

    // The handler's logout took effect: anonymous, with a new anonymous id, announced.
    assert_eq!(sdk.status(), "anonymous");
    let final_id = sdk.anonymous_id();
    assert_ne!(final_id, first_anonymous_id);
    assert_eq!(log.count("loggedOut"), 1);
    assert_eq!(
        get_str(&log.details("loggedOut")[0], "anonymousId"),
        Some(final_id.clone())
    );
    // Every handler and window listener sees the changes in the order they happened, the last
    // one being the state now (a handler registered after the re-entrant one included).
    assert_eq!(
        log.statuses(),
        ["authenticating", "authenticated", "anonymous"]
    );
    assert_eq!(
        log.window_statuses(),
        ["authenticating", "authenticated", "anonymous"]
    );
    assert_eq!(
        log.window_names()
            .iter()
            .filter(|n| *n == "loggedOut")
            .count(),
        1
    );
    // The re-entrant handler saw states consistent with its details, and nothing panicked
    // ("already borrowed" would have thrown out of callback(jwt) or loginUser()).
    assert_eq!(
        *seen.borrow(),
        [
            "authenticating/authenticating",
            "authenticated/authenticated",
            "anonymous/anonymous"
        ]
    );
    assert_eq!(login_callback.len(), 1);
    assert!(sdk.get_token().await.is_null());
    // Storage holds no token.
    let record = stored_record(false).unwrap_or_default();
    assert!(
        !record.contains("\"jwt\":\""),
        "token left after logout: {record}"
    );
    // The SDK still works afterwards.
    let again = answering(long_token("reentrant-user-2"));
    sdk.off("authStateChanged", handler.as_ref());
    let result = sdk.login(again.as_ref(), &JsValue::UNDEFINED).await;
    assert_eq!(get_str(&result, "status").as_deref(), Some("authenticated"));
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn logout_from_inside_a_handler_during_a_synchronous_answer() {
    // loginUser() -> jwtCallback -> callback(jwt) -> authStateChanged -> logoutUser(), all in
    // one call stack.
    check_reentrant_logout(false).await;
}

#[wasm_bindgen_test]
async fn logout_from_inside_a_handler_during_a_later_answer() {
    check_reentrant_logout(true).await;
}

#[wasm_bindgen_test]
async fn logout_from_inside_a_window_event_listener() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let messenger = sdk.js.clone();
    let done = Rc::new(Cell::new(false));
    let flag = done.clone();
    let _listener = listen("messenger:authStateChanged", move |event| {
        let detail = event.unchecked_ref::<web_sys::CustomEvent>().detail();
        if get_str(&detail, "status").as_deref() == Some("authenticated") && !flag.get() {
            flag.set(true);
            call_api(&messenger, "logoutUser", &[]).expect("logoutUser threw");
        }
    });
    let log = EventLog::attach(&sdk);
    let jwt_callback = answering(long_token("window-user"));
    sdk.login(jwt_callback.as_ref(), &JsValue::UNDEFINED).await;
    assert!(done.get());
    assert_eq!(sdk.status(), "anonymous");
    assert_eq!(log.count("loggedOut"), 1);
    // Listeners added after the re-entrant one see the changes in order too.
    assert_eq!(
        log.window_statuses(),
        ["authenticating", "authenticated", "anonymous"]
    );
    assert_eq!(
        log.statuses(),
        ["authenticating", "authenticated", "anonymous"]
    );
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn unsubscribe_function_and_off_remove_handlers() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    let by_unsubscribe = Recorder::new();
    let by_off = Recorder::new();
    let kept = Recorder::new();
    let unsubscribe = sdk.on("authStateChanged", &by_unsubscribe.function());
    sdk.on("authStateChanged", &by_off.function());
    // The same handler for another event is a separate registration, and stays.
    sdk.on("loggedOut", &by_off.function());
    sdk.on("authStateChanged", &kept.function());

    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let jwt_callback = answering(long_token("subscriber"));
    sdk.login(jwt_callback.as_ref(), &JsValue::UNDEFINED).await;
    assert_eq!((by_unsubscribe.len(), by_off.len(), kept.len()), (2, 2, 2));

    unsubscribe
        .call0(&JsValue::NULL)
        .expect("unsubscribe threw");
    unsubscribe
        .call0(&JsValue::NULL)
        .expect("a second unsubscribe threw");
    sdk.off("authStateChanged", &by_off.function());
    sdk.logout().await;
    assert_eq!(
        by_unsubscribe.len(),
        2,
        "removed by its unsubscribe function"
    );
    // by_off: removed for authStateChanged, still there for loggedOut.
    assert_eq!(by_off.len(), 3);
    assert!(get(&by_off.arg(2), "anonymousId").is_string());
    assert_eq!(kept.len(), 3);
    assert_eq!(
        get_str(&kept.arg(2), "status").as_deref(),
        Some("anonymous")
    );

    // Adding the same handler twice delivers once.
    let twice = Recorder::new();
    sdk.on("loggedOut", &twice.function());
    sdk.on("loggedOut", &twice.function());
    sdk.logout().await;
    assert_eq!(twice.len(), 1);

    // A handler that unsubscribes itself while being called is not called again.
    let calls = Rc::new(Cell::new(0));
    let own: Rc<RefCell<Option<Function>>> = Rc::default();
    let (count, slot) = (calls.clone(), own.clone());
    let self_removing = page_fn(move |_| {
        count.set(count.get() + 1);
        if let Some(unsubscribe) = slot.borrow().as_ref() {
            unsubscribe.call0(&JsValue::NULL)?;
        }
        Ok(JsValue::UNDEFINED)
    });
    *own.borrow_mut() = Some(sdk.on("loggedOut", self_removing.as_ref()));
    sdk.logout().await;
    sdk.logout().await;
    assert_eq!(calls.get(), 1);

    // Misuse is reported on the console, not thrown: unknown event, handler not a function.
    let noop = sdk.on("noSuchEvent", &kept.function());
    noop.call0(&JsValue::NULL).unwrap();
    sdk.on("loggedOut", &JsValue::from(42))
        .call0(&JsValue::NULL)
        .unwrap();
    sdk.off("noSuchEvent", &JsValue::NULL);
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn objects_handed_to_the_page_are_frozen() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    let log = EventLog::attach(&sdk);
    let ready = sdk.init(&JsValue::UNDEFINED).await.unwrap();
    deep_frozen(&ready, "init() result").unwrap();
    deep_frozen(&sdk.state(), "getAuthState() while anonymous").unwrap();

    // A token with nested claims and arrays.
    let payload = format!(
        r#"{{"sub":"frozen-user","exp":{},"roles":["agent",{{"team":"blue"}}],"org":{{"id":7,"tags":["a","b"],"deep":{{"x":null}}}}}}"#,
        now_s() + 600
    );
    let jwt_callback = answering(jwt(r#"{"alg":"HS256"}"#, &payload));
    let login_callback = Recorder::new();
    let result = sdk
        .login(jwt_callback.as_ref(), &login_callback.function())
        .await;
    deep_frozen(&result, "loginUser() result").unwrap();
    let state = sdk.state();
    deep_frozen(&state, "getAuthState()").unwrap();
    assert_eq!(
        json(&path(&state, "user.claims.roles")),
        r#"["agent",{"team":"blue"}]"#
    );
    assert!(js_sys::Array::is_array(&path(&state, "user.claims.roles")));
    assert_eq!(path(&state, "user.claims.org.id").as_f64(), Some(7.0));
    deep_frozen(&sdk.start_engagement().await, "startEngagement() result").unwrap();

    // One handler cannot change what the next sees.
    assert_eq!(
        Reflect::set(&state, &"status".into(), &"hacked".into()),
        Ok(false)
    );
    assert_eq!(sdk.status(), "authenticated");

    // A failure: the loginCallback's error and the loginFailed detail.
    let failing = page_fn(|callback| {
        callback
            .unchecked_ref::<Function>()
            .call1(&JsValue::NULL, &JsValue::from(1))
    });
    let failed_callback = Recorder::new();
    sdk.login(failing.as_ref(), &failed_callback.function())
        .await;
    deep_frozen(&failed_callback.arg(0), "loginCallback error").unwrap();
    assert_eq!(
        get_str(&failed_callback.arg(0), "type").as_deref(),
        Some("LoginFailedError")
    );

    sdk.logout().await;
    for name in ["ready", "authStateChanged", "loginFailed", "loggedOut"] {
        let details = log.details(name);
        assert!(!details.is_empty(), "no {name} event");
        for (i, detail) in details.iter().enumerate() {
            assert!(detail.is_object(), "{name} detail {i} is {detail:?}");
            deep_frozen(detail, &format!("{name} detail {i}")).unwrap();
        }
    }
    for (name, detail) in log.dispatched.borrow().iter() {
        deep_frozen(detail, &format!("window messenger:{name} detail")).unwrap();
    }
    errors.assert_none().await;
}

#[wasm_bindgen_test]
async fn a_proto_claim_is_an_own_property_and_changes_no_prototype() {
    let sdk = Sdk::new();
    let errors = PageErrors::watch();
    sdk.init(&JsValue::UNDEFINED).await.unwrap();
    let payload = format!(
        r#"{{"sub":"proto-user","exp":{},"__proto__":{{"polluted":"yes","isAdmin":true}},"profile":{{"__proto__":{{"inner":1}}}}}}"#,
        now_s() + 600
    );
    let jwt_callback = answering(jwt(r#"{"alg":"HS256","typ":"JWT"}"#, &payload));
    let changed = Recorder::new();
    sdk.on("authStateChanged", &changed.function());
    sdk.login(jwt_callback.as_ref(), &JsValue::UNDEFINED).await;
    assert_eq!(sdk.status(), "authenticated");

    let from_event = path(&changed.last().unwrap(), "user.claims");
    for claims in [path(&sdk.state(), "user.claims"), from_event] {
        let object: &Object = claims.unchecked_ref();
        let own = Reflect::get_own_property_descriptor(object, &"__proto__".into()).unwrap();
        assert!(
            own.is_object(),
            "__proto__ is not an own property: {}",
            json(&claims)
        );
        assert_eq!(get(&own, "enumerable"), JsValue::TRUE);
        assert_eq!(
            get_str(&get(&own, "value"), "polluted").as_deref(),
            Some("yes")
        );
        // Its prototype is still Object.prototype, and nothing leaked through it.
        let object_prototype = Object::get_prototype_of(&Object::new());
        assert!(Object::is(
            &Object::get_prototype_of(&claims),
            &object_prototype
        ));
        assert!(get(&claims, "polluted").is_undefined());
        assert!(get(&claims, "isAdmin").is_undefined());
        assert_eq!(get_str(&claims, "sub").as_deref(), Some("proto-user"));
        assert!(Object::keys(object).includes(&"__proto__".into(), 0));
        // The same at the nested level.
        let profile = get(&claims, "profile");
        let nested = Reflect::get_own_property_descriptor(
            profile.unchecked_ref::<Object>(),
            &"__proto__".into(),
        )
        .unwrap();
        assert_eq!(path(&nested, "value.inner").as_f64(), Some(1.0));
        assert!(Object::is(
            &Object::get_prototype_of(&profile),
            &object_prototype
        ));
        assert!(get(&profile, "inner").is_undefined());
        deep_frozen(&claims, "claims").unwrap();
    }
    // No global pollution.
    assert!(get(&Object::new(), "polluted").is_undefined());
    assert!(get(&Object::new(), "isAdmin").is_undefined());
    errors.assert_none().await;
}
