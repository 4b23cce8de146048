//! `GET /.well-known/jwks.json`: the public ES256 key, for whoever verifies `/auth/jwt` tokens.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use jsonwebtoken::jwk::JwkSet;

use crate::app::AppState;

pub async fn jwks(State(state): State<Arc<AppState>>) -> Json<JwkSet> {
    Json(JwkSet {
        keys: vec![state.keys.es256_public.clone()],
    })
}
