//! Availability in the operator API: `GET` and `POST /api/v1/me/presence`, an operator's own
//! mark; who is available per category is in `/api/v1/queue`.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{ApiError, ApiOperator};
use crate::desk::Presence;
use crate::http::state::AppState;

#[derive(Deserialize)]
pub(in crate::http) struct PresenceBody {
    available: bool,
}

fn shown(presence: &Presence) -> serde_json::Value {
    let until = presence
        .until
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|t| t.to_string());
    serde_json::json!({ "available": presence.available, "until": until })
}

pub(in crate::http) async fn show(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
) -> Result<Response, ApiError> {
    let presence = app.desk.presence_of(&operator).await?;
    Ok(Json(shown(&presence)).into_response())
}

pub(in crate::http) async fn set(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    body: Result<Json<PresenceBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::invalid(e.body_text()))?;
    let presence = app.desk.set_available(&operator, body.available).await?;
    Ok(Json(shown(&presence)).into_response())
}
