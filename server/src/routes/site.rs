//! The site's own login: `POST /login`, `POST /logout`, `GET /me`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde_json::json;

use crate::app::AppState;
use crate::error::ApiError;
use crate::login::{parse_login, BodyFormat};
use crate::session::{cleared_cookie, session_cookie, Session};

/// `POST /login` with JSON or a form `{ username, email?, name?, ttl? }`: starts a session (a
/// new id every time, so an id set before login is worthless) and answers who is logged in.
/// A browser's plain form post (no script) is sent back to `/` instead.
pub async fn login(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    refuse_cross_site(&headers)?;
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::bad_request(format!(
            "the body is larger than {} bytes",
            crate::app::MAX_BODY_BYTES
        )),
        _ => ApiError::bad_request(rejection.body_text()),
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let format = BodyFormat::from_content_type(content_type)
        .ok_or_else(|| ApiError::bad_request("send the login as application/json or as a form"))?;
    let login = parse_login(format, &body).map_err(ApiError::bad_request)?;

    state.sessions.end(&headers);
    let session = Session {
        user: login.user,
        token_ttl: login.token_ttl,
    };
    let answer = me_json(&state, Some(&session));
    let cookie = [(
        header::SET_COOKIE,
        session_cookie(&state.sessions.create(session)),
    )];
    if format == BodyFormat::Form && wants_page(&headers) {
        return Ok((cookie, Redirect::to("/")).into_response());
    }
    Ok((cookie, Json(answer)).into_response())
}

/// `POST /logout`: ends the session and deletes the cookie. Logging out twice is fine.
pub async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    refuse_cross_site(&headers)?;
    state.sessions.end(&headers);
    Ok((
        [(header::SET_COOKIE, cleared_cookie())],
        Json(json!({ "user": null })),
    )
        .into_response())
}

/// `GET /me`: `{"user": {username, email, name}, "tokenTtl": seconds}`, or `{"user": null}`.
/// Always 200, so that a page asking "who is logged in?" logs no failed request.
pub async fn me(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Json<serde_json::Value> {
    Json(me_json(&state, state.sessions.find(&headers).as_ref()))
}

fn me_json(state: &AppState, session: Option<&Session>) -> serde_json::Value {
    match session {
        Some(session) => json!({ "user": session.user, "tokenTtl": state.token_ttl(session) }),
        None => json!({ "user": null }),
    }
}

/// Refuses a login or logout posted by another site's page (login CSRF). Requests without an
/// `Origin` (curl, a same-origin GET turned POST by old browsers) are let through.
fn refuse_cross_site(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|origin| origin.split_once("://"))
        .map(|(_, host)| host);
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok());
    match (origin_host, host) {
        (Some(origin_host), Some(host)) if origin_host.eq_ignore_ascii_case(host) => Ok(()),
        _ => Err(ApiError::cross_site()),
    }
}

/// Whether the client navigates (a browser's form post) rather than fetches.
fn wants_page(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}
