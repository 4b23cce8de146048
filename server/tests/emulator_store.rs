//! The store under concurrency, and the database's own constraints: 50 concurrent first logins
//! of one new external_id all succeed and make exactly one user, through the router and through
//! 50 connections to one database file.
mod common;

use std::sync::{Arc, Barrier};

use axum::http::{Method, StatusCode};
use common::{anonymous_id, messaging_token, Site, TempDir, Who};
use messenger_demo_server::emulator::store::{StoreError, Tx};
use messenger_demo_server::emulator::{Emulator, Now, Store};
use messenger_emulator::{AnonymousId, EmailAddress, Identity, UserId};
use serde_json::json;

const LOGINS: u64 = 50;

#[tokio::test]
async fn fifty_concurrent_first_logins_through_the_router_make_one_user() {
    let site = Arc::new(Site::in_memory());
    let (kid, secret) = site.create_key("backend").await;
    let token = messaging_token(
        &kid,
        &secret,
        &json!({ "scope": "user", "external_id": "new-user", "email": "new@example.test", "email_verified": true }),
    );
    // Each of the 50 visitors wrote one message before logging in.
    for n in 0..LOGINS {
        site.widget(
            Method::POST,
            "/messaging/messages",
            &Who::Visitor(anonymous_id(n)),
            Some(json!({ "text": format!("visitor {n}") })),
        )
        .await;
    }
    // 50 OS threads, each with a runtime of its own, call the same router at once.
    let start = Arc::new(Barrier::new(LOGINS as usize));
    let logins: Vec<_> = (0..LOGINS)
        .map(|n| {
            let site = site.clone();
            let start = start.clone();
            let body = json!({ "jwt": token, "anonymousId": anonymous_id(n) }).to_string();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                start.wait();
                runtime.block_on(site.request(Method::POST, "/messaging/login", &[], body))
            })
        })
        .collect();
    let mut user_ids = Vec::new();
    for login in logins {
        let answer = login.join().unwrap();
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        user_ids.push(answer.json()["userId"].clone());
    }
    user_ids.dedup();
    assert_eq!(user_ids.len(), 1, "one user: {user_ids:?}");
    let users = site.agent_users().await;
    assert_eq!(users.as_array().unwrap().len(), 1, "{users}");
    assert_eq!(
        users[0]["messages"].as_array().unwrap().len(),
        LOGINS as usize,
        "every visitor merged"
    );
    assert_eq!(
        users[0]["emails"],
        json!([{ "address": "new@example.test", "verified": true }])
    );
}

#[test]
fn fifty_connections_to_one_file_logging_in_at_once_make_one_user() {
    let dir = TempDir::new();
    let db = dir.path().join("emulator.sqlite3");
    let setup = Emulator::open(&db).unwrap();
    let key = setup.create_key("backend", Now::system()).unwrap();
    let token = messaging_token(
        &key.kid,
        &key.secret,
        &json!({ "scope": "user", "external_id": "new-user" }),
    );
    // Every connection opened before any login; all start together.
    let emulators: Vec<Emulator> = (0..LOGINS).map(|_| Emulator::open(&db).unwrap()).collect();
    let start = Arc::new(Barrier::new(LOGINS as usize));
    let threads: Vec<_> = emulators
        .into_iter()
        .enumerate()
        .map(|(n, emulator)| {
            let start = start.clone();
            let token = token.clone();
            std::thread::spawn(move || {
                let visitor = AnonymousId::parse(&anonymous_id(n as u64)).unwrap();
                start.wait();
                emulator
                    .login(&token, Some(&visitor), Now::system())
                    .map(|login| login.user_id)
            })
        })
        .collect();
    let mut ids: Vec<UserId> = threads
        .into_iter()
        .map(|thread| {
            thread
                .join()
                .unwrap()
                .unwrap_or_else(|e| panic!("a login failed: {e}"))
        })
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 1);
    assert_eq!(setup.agent_users().unwrap().len(), 1);
}

/// A write to try in a transaction.
type Write<'a> = dyn Fn(&Tx<'_>) -> Result<(), StoreError> + 'a;

#[test]
fn the_database_refuses_what_would_break_the_directory() {
    let store = Store::in_memory().unwrap();
    let id = |s: &str| UserId::from(s);
    let address = EmailAddress::parse("a@example.test").unwrap();
    let visitor = AnonymousId::parse(&anonymous_id(1)).unwrap();
    store
        .write(|tx| {
            tx.insert_user(&id("u1"), Some("ada"), None, None, 1)?;
            tx.insert_user(&id("u2"), None, Some(&visitor), None, 2)?;
            tx.replace_identities(
                &id("u1"),
                &[Identity {
                    address: address.clone(),
                    verified: true,
                }],
            )
        })
        .unwrap();
    let refused: Vec<(&str, Box<Write<'_>>)> = vec![
        (
            "a second user with the same external_id",
            Box::new(|tx| tx.insert_user(&id("u3"), Some("ada"), None, None, 3)),
        ),
        (
            "a second record with the same anonymousId",
            Box::new(|tx| tx.insert_user(&id("u3"), None, Some(&visitor), None, 3)),
        ),
        (
            "a record both authenticated and anonymous",
            Box::new(|tx| {
                tx.insert_user(
                    &id("u3"),
                    Some("bo"),
                    Some(&AnonymousId::parse(&anonymous_id(9)).unwrap()),
                    None,
                    3,
                )
            }),
        ),
        (
            "the same user id twice",
            Box::new(|tx| tx.insert_user(&id("u1"), Some("cy"), None, None, 3)),
        ),
        (
            "a second verified holder of an address",
            Box::new(|tx| {
                tx.replace_identities(
                    &id("u2"),
                    &[Identity {
                        address: address.clone(),
                        verified: true,
                    }],
                )
            }),
        ),
        (
            "an identity of no user",
            Box::new(|tx| {
                tx.replace_identities(
                    &id("nobody"),
                    &[Identity {
                        address: address.clone(),
                        verified: false,
                    }],
                )
            }),
        ),
        (
            "a message of no user",
            Box::new(|tx| tx.insert_message(&id("nobody"), "x", false, 1).map(|_| ())),
        ),
    ];
    for (case, write) in refused {
        assert!(store.write(|tx| write(tx)).is_err(), "{case}");
    }
    // An unverified identity may be held by several records.
    store
        .write(|tx| {
            tx.replace_identities(
                &id("u2"),
                &[Identity {
                    address: address.clone(),
                    verified: false,
                }],
            )
        })
        .unwrap();
    // A refused write left nothing behind: the transaction was rolled back.
    let rows = store.read(|tx| tx.agent_rows()).unwrap();
    assert_eq!(rows.len(), 2);
}
