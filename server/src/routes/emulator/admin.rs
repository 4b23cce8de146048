//! The admin's routes (behind the admin token, see `credentials::require_admin`): signing
//! keys, settings, the contact-centre key, check-token, and the agents' list of users.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::body::{JsonBody, TextBody};
use super::views::AgentUserView;
use crate::app::AppState;
use crate::emulator::service::{Profile, UserMatch};
use crate::emulator::Now;
use crate::error::ApiError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    name: String,
}

/// `POST /admin/keys {"name"}`: 201 `{"kid", "name", "secret"}`, the only answer that ever
/// holds the whole secret; 409 `{"error": "key_limit"}` at 10 keys.
pub async fn create_key(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<NewKey>,
) -> Result<Response, ApiError> {
    let key = state.emulator.create_key(&body.name, Now::system())?;
    let answer = json!({ "kid": key.kid, "name": key.name, "secret": key.secret });
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `GET /admin/keys`: `[{"kid", "name", "secretPrefix"}]`, 6 characters of each secret.
pub async fn list_keys(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let keys = state.emulator.keys()?;
    let list: Vec<Value> = keys
        .iter()
        .map(|key| json!({ "kid": key.kid, "name": key.name, "secretPrefix": key.secret_prefix() }))
        .collect();
    Ok(Json(Value::Array(list)))
}

/// `DELETE /admin/keys/{kid}`: 204; 404 for a kid that names no key.
pub async fn delete_key(
    State(state): State<Arc<AppState>>,
    kid: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(kid) = kid.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    state.emulator.delete_key(&kid)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SettingsBody {
    email_identities: String,
}

/// `PUT /admin/settings {"emailIdentities"}`: 204; 400 for another value.
pub async fn put_settings(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<SettingsBody>,
) -> Result<StatusCode, ApiError> {
    state
        .emulator
        .set_email_identities(&body.email_identities)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /admin/settings`: `{"emailIdentities", "contactCenterKey": <PEM> | null}`.
pub async fn get_settings(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let settings = state.emulator.settings()?;
    Ok(Json(json!({
        "emailIdentities": settings.email_identities.as_str(),
        "contactCenterKey": settings.contact_center_key,
    })))
}

/// `PUT /admin/contact-center-key` with a PEM public key as the body: 204; 400 if it is not one.
pub async fn put_contact_center_key(
    State(state): State<Arc<AppState>>,
    TextBody(pem): TextBody,
) -> Result<StatusCode, ApiError> {
    state.emulator.set_contact_center_key(&pem)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckToken {
    jwt: String,
    profile: Option<String>,
}

/// `POST /admin/check-token {"jwt", "profile"?}`: what the service would do with the token,
/// changing nothing: `{"valid", "reason"?, "claims"?, "user"?}`.
pub async fn check_token(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<CheckToken>,
) -> Result<Json<Value>, ApiError> {
    let profile = match body.profile.as_deref() {
        None | Some("messaging") => Profile::Messaging,
        Some("contact-center") => Profile::ContactCenter,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "profile must be \"messaging\" or \"contact-center\", not {other:?}"
            )))
        }
    };
    let check = state
        .emulator
        .check_token(&body.jwt, profile, Now::system())?;
    let mut answer = json!({ "valid": check.refusal.is_none() });
    if let Some(rejection) = check.refusal {
        answer["reason"] = json!(rejection.code());
    }
    if let Some(claims) = check.claims {
        answer["claims"] = Value::Object(claims);
    }
    if let Some((found, email)) = check.user {
        let (kind, user_id) = match &found {
            UserMatch::ExternalId(id) => ("external_id", Some(id.as_str())),
            UserMatch::VerifiedEmail(id) => ("verified_email", Some(id.as_str())),
            UserMatch::New => ("new", None),
        };
        answer["user"] = json!({
            "match": kind,
            "userId": user_id,
            "email": email.as_ref().map(|e| e.as_str()),
        });
    }
    Ok(Json(answer))
}

/// `GET /agent/users`: every user with emails and conversation, oldest first.
pub async fn agent_users(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let rows = state.emulator.agent_users()?;
    let views: Vec<AgentUserView<'_>> = rows.iter().map(AgentUserView::from).collect();
    serde_json::to_value(views)
        .map(Json)
        .map_err(ApiError::internal)
}
