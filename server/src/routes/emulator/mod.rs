//! The messaging emulator's HTTP routes, on the demo site's origin. They parse the request,
//! call the emulator's service and answer; they decide nothing.
//!
//! - `admin`: `/admin/*` and `/agent/users`, behind the admin token.
//! - `messaging`: `/messaging/*`, what the widget calls.
//! - `contact_center`: `/contact-center/engagements`.

mod admin;
mod body;
mod contact_center;
mod credentials;
mod messaging;
mod views;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{delete, get, post, put};
use axum::Router;

use crate::app::AppState;
use crate::emulator::EmulatorError;
use crate::error::ApiError;

/// The largest request body the emulator reads: 64 KiB (a message is at most 4,000
/// characters; a token a few hundred bytes). Larger is 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every emulator route.
pub fn router(state: Arc<AppState>) -> Router<Arc<AppState>> {
    let admin = Router::new()
        .route("/admin/keys", post(admin::create_key).get(admin::list_keys))
        .route("/admin/keys/{kid}", delete(admin::delete_key))
        .route(
            "/admin/settings",
            put(admin::put_settings).get(admin::get_settings),
        )
        .route(
            "/admin/contact-center-key",
            put(admin::put_contact_center_key),
        )
        .route("/admin/check-token", post(admin::check_token))
        .route("/agent/users", get(admin::agent_users))
        .route_layer(middleware::from_fn_with_state(
            state,
            credentials::require_admin,
        ));
    let visitor = Router::new()
        .route("/messaging/login", post(messaging::login))
        .route("/messaging/messages", post(messaging::send_message))
        .route("/messaging/email", post(messaging::give_email))
        .route("/messaging/conversation", get(messaging::conversation))
        .route(
            "/contact-center/engagements",
            post(contact_center::engagement),
        );
    admin
        .merge(visitor)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

impl From<EmulatorError> for ApiError {
    fn from(error: EmulatorError) -> Self {
        match error {
            EmulatorError::Refused(rejection) => {
                ApiError::with_status(StatusCode::UNAUTHORIZED, rejection.code())
            }
            EmulatorError::KeyLimit => ApiError::with_status(StatusCode::CONFLICT, "key_limit"),
            EmulatorError::NoSuchKey => {
                ApiError::with_status(StatusCode::NOT_FOUND, "no key with this kid")
            }
            EmulatorError::BadInput(why) => ApiError::bad_request(why),
            EmulatorError::Store(error) => ApiError::internal(error),
        }
    }
}
