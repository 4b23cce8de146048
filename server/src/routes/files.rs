//! Static files: the demo pages of `www/` at `/` (the emulator's at `/agent` and `/admin` too),
//! the built SDK of `dist/` at `/messenger/`.
//! HTML pages carry the Content-Security-Policy (see `crate::csp`); nothing is cached without
//! asking again, so a rebuilt SDK shows on the next reload.

use axum::http::{header, HeaderValue, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::csp::content_security_policy;
use crate::Config;

/// The router of static files, ending in `www/` for every path no other route takes.
pub fn static_files<S: Clone + Send + Sync + 'static>(config: &Config) -> Router<S> {
    let policy = HeaderValue::from_str(&content_security_policy(&config.www)).ok();
    Router::new()
        .nest_service("/messenger", ServeDir::new(&config.dist))
        // The emulator's pages, at short paths.
        .route_service("/agent", ServeFile::new(config.www.join("agent.html")))
        .route_service("/admin", ServeFile::new(config.www.join("admin.html")))
        .fallback_service(ServeDir::new(&config.www))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            move |response: &Response<_>| {
                if is_html(response) {
                    policy.clone()
                } else {
                    None
                }
            },
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

fn is_html<B>(response: &Response<B>) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}
