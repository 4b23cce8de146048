//! What the widget calls: log in, send a message, answer the bot's email prompt, read the
//! conversation.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use messenger_emulator::{AnonymousId, EmailAddress, MessageText};
use serde::Deserialize;
use serde_json::{json, Value};

use super::body::JsonBody;
use super::credentials::sender;
use super::views::MessageView;
use crate::app::AppState;
use crate::emulator::service::Sender;
use crate::emulator::Now;
use crate::error::ApiError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Login {
    jwt: String,
    anonymous_id: Option<String>,
}

/// `POST /messaging/login {"jwt", "anonymousId"?}`: `{"userId", "externalId", "name", "email",
/// "merged"}`, or 401 `{"error": <reason>}` (and nothing changes).
pub async fn login(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<Login>,
) -> Result<Json<Value>, ApiError> {
    let anonymous_id = body
        .anonymous_id
        .as_deref()
        .map(AnonymousId::parse)
        .transpose()
        .map_err(|e| ApiError::bad_request(e.0))?;
    let login = state
        .emulator
        .login(&body.jwt, anonymous_id.as_ref(), Now::system())?;
    Ok(Json(json!({
        "userId": login.user_id.as_str(),
        "externalId": login.external_id,
        "name": login.name,
        "email": login.email.as_ref().map(|e| e.as_str()),
        "merged": login.merged,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    text: String,
}

/// `POST /messaging/messages {"text"}` with a messaging token or an anonymousId: 201
/// `{"id", "userId", "authenticated"}`.
pub async fn send_message(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<NewMessage>,
) -> Result<Response, ApiError> {
    let sender = sender(&headers)?;
    let text = MessageText::parse(&body.text).map_err(|e| ApiError::bad_request(e.0))?;
    let sent = state.emulator.send_message(&sender, &text, Now::system())?;
    let answer = json!({
        "id": sent.seq,
        "userId": sent.user_id.as_str(),
        "authenticated": sent.authenticated,
    });
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GivenEmail {
    email: String,
}

/// `POST /messaging/email {"email"}` with `X-Anonymous-Id`: 204.
pub async fn give_email(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<GivenEmail>,
) -> Result<StatusCode, ApiError> {
    let Sender::Anonymous(anonymous_id) = sender(&headers)? else {
        return Err(ApiError::bad_request(
            "the email prompt is for unauthenticated visitors: send X-Anonymous-Id, not a token",
        ));
    };
    let address = EmailAddress::parse(&body.email).map_err(|e| ApiError::bad_request(e.0))?;
    state
        .emulator
        .give_email(&anonymous_id, &address, Now::system())?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /messaging/conversation` with a messaging token or an anonymousId: `{"userId",
/// "messages"}` (`userId` null and no messages for a visitor never seen; nothing is created).
pub async fn conversation(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let sender = sender(&headers)?;
    let conversation = state.emulator.conversation(&sender, Now::system())?;
    let messages: Vec<MessageView<'_>> = conversation
        .messages
        .iter()
        .map(MessageView::from)
        .collect();
    Ok(Json(json!({
        "userId": conversation.user_id.as_ref().map(|id| id.as_str()),
        "messages": messages,
    })))
}
