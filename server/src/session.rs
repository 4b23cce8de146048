//! The demo site's sessions: a random, unguessable id in an HttpOnly, SameSite=Lax cookie, and
//! the logged-in user kept in memory under that id (a restart logs everyone out).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;

use crate::login::User;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "demo_session";

/// At most this many sessions are kept; a new one beyond it pushes out the oldest, so that a
/// script posting logins in a loop cannot grow the server's memory without end.
const MAX_SESSIONS: usize = 10_000;

/// Random bytes of a session id: 256 bits, far beyond guessing.
const ID_BYTES: usize = 32;

/// What a session knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    /// The token lifetime asked for at login; none: the server's `--token-ttl`.
    pub token_ttl: Option<u64>,
}

/// Sessions by id.
#[derive(Default)]
pub struct SessionStore {
    inner: Mutex<Sessions>,
}

#[derive(Default)]
struct Sessions {
    by_id: HashMap<String, (u64, Session)>,
    /// Order of creation, to find the oldest.
    next_serial: u64,
}

impl SessionStore {
    /// Keeps `session` under a new random id and returns the id.
    pub fn create(&self, session: Session) -> String {
        let mut bytes = [0u8; ID_BYTES];
        OsRng.fill_bytes(&mut bytes);
        let id = URL_SAFE_NO_PAD.encode(bytes);
        let mut sessions = self.lock();
        if sessions.by_id.len() >= MAX_SESSIONS {
            let oldest = sessions
                .by_id
                .iter()
                .min_by_key(|(_, (serial, _))| *serial)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                sessions.by_id.remove(&oldest);
            }
        }
        let serial = sessions.next_serial;
        sessions.next_serial += 1;
        sessions.by_id.insert(id.clone(), (serial, session));
        id
    }

    /// The session of the request's cookie, if it names a live one.
    pub fn find(&self, headers: &HeaderMap) -> Option<Session> {
        let id = cookie_value(headers, COOKIE_NAME)?;
        self.lock()
            .by_id
            .get(id)
            .map(|(_, session)| session.clone())
    }

    /// Ends the session of the request's cookie, if any.
    pub fn end(&self, headers: &HeaderMap) {
        if let Some(id) = cookie_value(headers, COOKIE_NAME) {
            self.lock().by_id.remove(id);
        }
    }

    /// How many sessions are kept.
    pub fn len(&self) -> usize {
        self.lock().by_id.len()
    }

    /// Whether no session is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // A panic cannot leave the map half-changed (no code here panics while holding the lock),
    // so a poisoned lock is still usable.
    fn lock(&self) -> std::sync::MutexGuard<'_, Sessions> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `Set-Cookie` value that starts a session. HttpOnly: page scripts never see it; SameSite=Lax:
/// other sites' pages cannot make the browser send it with their requests. No `Secure`: the demo
/// runs on plain http://127.0.0.1 (a real site on HTTPS adds it).
pub fn session_cookie(id: &str) -> String {
    format!("{COOKIE_NAME}={id}; Path=/; HttpOnly; SameSite=Lax")
}

/// `Set-Cookie` value that deletes the session cookie.
pub fn cleared_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn session(name: &str) -> Session {
        Session {
            user: User {
                username: name.into(),
                email: None,
                name: None,
                email_verified: false,
            },
            token_ttl: None,
        }
    }

    fn cookie_headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn ids_are_random_and_long() {
        let store = SessionStore::default();
        let a = store.create(session("a"));
        let b = store.create(session("a"));
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    #[test]
    fn found_by_cookie_among_others_then_ended() {
        let store = SessionStore::default();
        let id = store.create(session("ada"));
        let headers = cookie_headers(&format!("theme=dark; {COOKIE_NAME}={id}; other=1"));
        assert_eq!(store.find(&headers), Some(session("ada")));
        assert_eq!(
            store.find(&cookie_headers(&format!("{COOKIE_NAME}=nope"))),
            None
        );
        assert_eq!(
            store.find(&cookie_headers(&format!("x{COOKIE_NAME}={id}"))),
            None
        );
        assert_eq!(store.find(&HeaderMap::new()), None);
        store.end(&headers);
        assert_eq!(store.find(&headers), None);
        assert!(store.is_empty());
    }

    #[test]
    fn the_oldest_session_makes_room() {
        let store = SessionStore::default();
        let first = store.create(session("first"));
        for _ in 1..MAX_SESSIONS {
            store.create(session("x"));
        }
        let second_last = store.create(session("new"));
        assert_eq!(store.len(), MAX_SESSIONS);
        assert_eq!(
            store.find(&cookie_headers(&format!("{COOKIE_NAME}={first}"))),
            None
        );
        assert!(store
            .find(&cookie_headers(&format!("{COOKIE_NAME}={second_last}")))
            .is_some());
    }

    #[test]
    fn cookies() {
        assert_eq!(
            session_cookie("abc"),
            "demo_session=abc; Path=/; HttpOnly; SameSite=Lax"
        );
        assert!(cleared_cookie().ends_with("Max-Age=0"));
    }
}
