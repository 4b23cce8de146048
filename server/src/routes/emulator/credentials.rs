//! Who is calling: the admin token on admin routes; a messaging token or the SDK's
//! anonymousId on the widget's routes.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use messenger_emulator::AnonymousId;

use crate::app::AppState;
use crate::emulator::service::Sender;
use crate::error::ApiError;

/// The header an unauthenticated visitor's requests carry.
pub const ANONYMOUS_ID: &str = "x-anonymous-id";

/// Lets a request through only with `Authorization: Bearer <admin token>`; else 401.
pub async fn require_admin(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    match bearer(request.headers()) {
        Some(token) if state.admin_token.matches(token) => next.run(request).await,
        _ => (
            [(header::WWW_AUTHENTICATE, "Bearer")],
            ApiError::with_status(
                StatusCode::UNAUTHORIZED,
                "admin token required: send Authorization: Bearer <the admin token npm start printed>",
            ),
        )
            .into_response(),
    }
}

/// The widget's caller: a messaging token, or an anonymousId (one of them, not both).
pub fn sender(headers: &HeaderMap) -> Result<Sender, ApiError> {
    let authorization = headers.contains_key(header::AUTHORIZATION);
    match (authorization, anonymous_id(headers)?) {
        (true, Some(_)) => Err(ApiError::bad_request(
            "send Authorization or X-Anonymous-Id, not both",
        )),
        (true, None) => bearer(headers)
            .map(|jwt| Sender::Token(jwt.to_owned()))
            .ok_or_else(|| ApiError::bad_request("Authorization must be Bearer <messaging token>")),
        (false, Some(id)) => Ok(Sender::Anonymous(id)),
        (false, None) => Err(ApiError::bad_request(
            "send Authorization: Bearer <messaging token> or X-Anonymous-Id: <anonymousId>",
        )),
    }
}

/// `X-Anonymous-Id`, checked, if present.
fn anonymous_id(headers: &HeaderMap) -> Result<Option<AnonymousId>, ApiError> {
    let Some(value) = headers.get(ANONYMOUS_ID) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| ApiError::bad_request("X-Anonymous-Id is not text"))?;
    AnonymousId::parse(text)
        .map(Some)
        .map_err(|e| ApiError::bad_request(format!("X-Anonymous-Id: {e}")))
}

/// The token of `Authorization: Bearer <token>` (the scheme in any case).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}
