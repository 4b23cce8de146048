//! The contact centre's consumer authentication: an engagement starts with an ES256 token.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::body::JsonBody;
use crate::app::AppState;
use crate::emulator::Now;
use crate::error::ApiError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Engagement {
    jwt: String,
}

/// `POST /contact-center/engagements {"jwt"}`: `{"authenticationStatus": true, "consumer":
/// {<the payload's claims>}}`, or 401 `{"error": <reason>}`.
pub async fn engagement(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<Engagement>,
) -> Result<Json<Value>, ApiError> {
    let consumer = state
        .emulator
        .engage_contact_center(&body.jwt, Now::system())?;
    Ok(Json(json!({
        "authenticationStatus": true,
        "consumer": Value::Object(consumer),
    })))
}
