//! The authentication endpoints of SPEC.md: a JWT for the session's user, 401 without one.
//! The token is only ever in the answer's body: never in a URL or a log line.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use jsonwebtoken::get_current_timestamp;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::error::ApiError;
use crate::session::Session;
use crate::tokens::{contact_center_token, messaging_token};

/// `GET /auth/jwt` (contact-centre style, what `data-auth-endpoint` points at):
/// `200 {"loginUserIdJwt": "<ES256 JWT>"}`.
pub async fn contact_center(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let session = logged_in(&state, &headers)?;
    let jwt = contact_center_token(
        &state.keys,
        &session.user,
        get_current_timestamp(),
        state.token_ttl(&session),
    )
    .map_err(|e| ApiError::internal(format!("ES256 signing failed: {e}")))?;
    Ok(Json(json!({ "loginUserIdJwt": jwt })))
}

/// `GET /auth/messaging-jwt` (messaging style, for a page's jwtCallback):
/// `200 {"jwt": "<HS256 JWT>"}`.
pub async fn messaging(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let session = logged_in(&state, &headers)?;
    let key = state.keys.messaging.as_ref().ok_or_else(|| {
        ApiError::with_status(
            StatusCode::SERVICE_UNAVAILABLE,
            "the demo site has no messaging key: the emulator has 10 keys; delete one at /admin \
             and restart the demo",
        )
    })?;
    let jwt = messaging_token(
        key,
        &session.user,
        get_current_timestamp(),
        state.token_ttl(&session),
    )
    .map_err(|e| ApiError::internal(format!("HS256 signing failed: {e}")))?;
    Ok(Json(json!({ "jwt": jwt })))
}

fn logged_in(state: &AppState, headers: &HeaderMap) -> Result<Session, ApiError> {
    state
        .sessions
        .find(headers)
        .ok_or_else(ApiError::not_logged_in)
}
