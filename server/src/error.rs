//! Error answers: a status and `{"error": "<what is wrong>"}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An answer that is not a success, with a message for the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// Any status, with its message.
    pub fn with_status(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 400: the request itself is wrong (missing field, bad JSON, body too large, ...).
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 401: no session. The SDK reads this as "not logged in at the site".
    pub fn not_logged_in() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: String::from("not logged in"),
        }
    }

    /// 403: a state-changing request from another site's page.
    pub fn cross_site() -> Self {
        ApiError {
            status: StatusCode::FORBIDDEN,
            message: String::from("cross-site request refused"),
        }
    }

    /// 500: the server could not do its part. The cause goes to the server's log only.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        eprintln!("demo server: {cause}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: String::from("internal error"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}
