//! A demo site in memory for the tests: requests go straight to the router (no socket).
#![allow(dead_code)] // each test file uses some of these

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use messenger_demo_server::{app, build_state, AppState, Config};
use serde_json::Value;
use tower::ServiceExt;

/// A new empty folder under the system's temporary folder, removed when dropped. (Not the
/// `tempfile` crate: its dependencies would change the features of the server's own, and
/// `cargo test` would then build a second variant of the server binary.)
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static SERIAL: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "messenger-demo-test-{}-{}-{nanos}",
            std::process::id(),
            SERIAL.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The repository's `www/`, with the real demo pages and stub snippet.
pub fn repo_www() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../www")
}

/// The admin token of every test site.
pub const ADMIN_TOKEN: &str = "test-admin-token";

/// A site with its own data folder (new keys), the emulator's database in that folder, and a
/// stand-in `dist/`.
pub struct Site {
    pub router: Router,
    pub config: Config,
    pub state: Arc<AppState>,
    _data: TempDir,
    _dist: TempDir,
}

/// An answer, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The `name=value` part of `Set-Cookie`, to send back as `Cookie`.
    pub fn cookie(&self) -> String {
        self.header(header::SET_COOKIE)
            .split(';')
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Site {
    pub fn new() -> Site {
        Site::with_ttl(600)
    }

    pub fn with_ttl(token_ttl: u64) -> Site {
        let data = TempDir::new();
        Site::with_data_dir(data, token_ttl)
    }

    /// A site whose emulator database is in memory (the emulator's route tests).
    pub fn in_memory() -> Site {
        Site::build(TempDir::new(), 600, Some(PathBuf::from(":memory:")))
    }

    /// A site on an existing data folder (a restart, as far as keys go).
    pub fn with_data_dir(data: TempDir, token_ttl: u64) -> Site {
        Site::build(data, token_ttl, None)
    }

    fn build(data: TempDir, token_ttl: u64, emulator_db: Option<PathBuf>) -> Site {
        let dist = TempDir::new();
        std::fs::write(dist.path().join("messenger.js"), "/* the SDK */").unwrap();
        std::fs::write(dist.path().join("messenger_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        let config = Config {
            port: 0,
            token_ttl,
            data_dir: data.path().to_owned(),
            www: repo_www(),
            dist: dist.path().to_owned(),
            emulator_db,
            admin_token: Some(ADMIN_TOKEN.to_owned()),
        };
        let state = build_state(&config).unwrap();
        let router = app(state.clone(), &config);
        Site {
            router,
            config,
            state,
            _data: data,
            _dist: dist,
        }
    }

    /// Gives up the data folder (to start another site on it).
    pub fn into_data_dir(self) -> TempDir {
        self._data
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut request = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::HOST, "127.0.0.1:8080");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn post(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<Body>,
        cookie: Option<&str>,
    ) -> Answer {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, content_type);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(body.into()).unwrap()).await
    }

    pub async fn post_json(&self, path: &str, body: &str) -> Answer {
        self.post(path, "application/json", body.to_owned(), None)
            .await
    }

    /// Logs in with JSON and returns the cookie to send back.
    pub async fn login(&self, body: &str) -> String {
        let answer = self.post_json("/login", body).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        answer.cookie()
    }

    /// The token of an authentication endpoint for the session of `cookie`.
    pub async fn token(&self, path: &str, cookie: &str) -> String {
        let answer = self.get(path, Some(cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        let json = answer.json();
        let token = json
            .get("loginUserIdJwt")
            .or_else(|| json.get("jwt"))
            .and_then(Value::as_str);
        token
            .unwrap_or_else(|| panic!("no token in {json}"))
            .to_owned()
    }
}

// ---- The messaging emulator's routes ----

impl Site {
    /// Any request: `headers` as (name, value) pairs.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:8080");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(body.into()).unwrap()).await
    }

    /// A JSON request with the admin token.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let bearer = format!("Bearer {ADMIN_TOKEN}");
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        self.request(
            method,
            path,
            &[
                ("authorization", &bearer),
                ("content-type", "application/json"),
            ],
            body,
        )
        .await
    }

    /// Creates a signing key through `POST /admin/keys`; returns `(kid, secret)`.
    pub async fn create_key(&self, name: &str) -> (String, String) {
        let answer = self
            .admin(
                Method::POST,
                "/admin/keys",
                Some(serde_json::json!({ "name": name })),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
        let json = answer.json();
        (
            json["kid"].as_str().unwrap().to_owned(),
            json["secret"].as_str().unwrap().to_owned(),
        )
    }

    /// A widget request: JSON `body` (none: no body), as a token holder or a visitor.
    pub async fn widget(
        &self,
        method: Method,
        path: &str,
        who: &Who,
        body: Option<Value>,
    ) -> Answer {
        let credential = who.header();
        let mut headers = vec![("content-type", "application/json")];
        headers.push((credential.0, credential.1.as_str()));
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        self.request(method, path, &headers, body).await
    }

    /// `GET /agent/users`.
    pub async fn agent_users(&self) -> Value {
        let answer = self.admin(Method::GET, "/agent/users", None).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        answer.json()
    }
}

/// Who a widget request is from.
pub enum Who {
    /// `Authorization: Bearer <jwt>`.
    Token(String),
    /// `X-Anonymous-Id: <id>`.
    Visitor(String),
}

impl Who {
    fn header(&self) -> (&'static str, String) {
        match self {
            Who::Token(jwt) => ("authorization", format!("Bearer {jwt}")),
            Who::Visitor(id) => ("x-anonymous-id", id.clone()),
        }
    }
}

/// The SDK-shaped anonymousId number `n` (a lowercase version-4 UUID).
pub fn anonymous_id(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

/// A messaging token signed by jsonwebtoken: HS256, `kid`, the secret's text as the key.
pub fn messaging_token(kid: &str, secret: &str, claims: &Value) -> String {
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(kid.to_owned());
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// The JSON of a JWT part (0: header, 1: payload), decoded without any check.
pub fn jwt_part(token: &str, index: usize) -> Value {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let part = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// Seconds since the epoch.
pub fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}
