//! The whole site as one axum `Router`: the API routes, then static files for everything else.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::emulator::{AdminToken, Emulator};
use crate::keys::SigningKeys;
use crate::routes::{auth, emulator, files, jwks, site};
use crate::session::{Session, SessionStore};
use crate::Config;

/// The largest request body the site's own routes read (a login is a few hundred bytes; the
/// emulator's routes have their own limit).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What every handler shares.
pub struct AppState {
    pub keys: SigningKeys,
    pub sessions: SessionStore,
    /// `--token-ttl`: the lifetime of tokens for sessions that asked for none.
    pub default_token_ttl: u64,
    /// The messaging emulator (its routes are on this same origin).
    pub emulator: Emulator,
    /// What the emulator's admin routes require as `Authorization: Bearer`.
    pub admin_token: AdminToken,
}

impl AppState {
    pub fn new(
        keys: SigningKeys,
        default_token_ttl: u64,
        emulator: Emulator,
        admin_token: AdminToken,
    ) -> Arc<AppState> {
        Arc::new(AppState {
            keys,
            sessions: SessionStore::default(),
            default_token_ttl,
            emulator,
            admin_token,
        })
    }

    /// The lifetime of the tokens signed for `session`, in seconds.
    pub fn token_ttl(&self, session: &Session) -> u64 {
        session.token_ttl.unwrap_or(self.default_token_ttl)
    }
}

/// The site: API routes (never cached, logged one line each) and the static files of `config`.
pub fn app(state: Arc<AppState>, config: &Config) -> Router {
    let api = Router::new()
        .route("/login", post(site::login))
        .route("/logout", post(site::logout))
        .route("/me", get(site::me))
        .route("/auth/jwt", get(auth::contact_center))
        .route("/auth/messaging-jwt", get(auth::messaging))
        .route("/.well-known/jwks.json", get(jwks::jwks))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .merge(emulator::router(state.clone()))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(middleware::from_fn(log_request))
        .with_state(state);
    api.merge(files::static_files(config))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

/// Prints `METHOD /path status` for each API request (but the agents' page's polls), so that
/// the terminal shows the SDK at work. Only the path: a query string could carry anything, and a token never goes in a log.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    // The agents' page polls its list every second: its successful polls would bury the SDK's
    // requests, which are what the terminal is for.
    let agents_poll =
        method == Method::GET && path == "/agent/users" && response.status().is_success();
    if !agents_poll {
        println!("{method} {path} {}", response.status().as_u16());
    }
    response
}
