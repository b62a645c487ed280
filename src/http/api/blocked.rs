//! The block list in the operator API: `GET`, `POST /api/v1/blocked` and
//! `DELETE /api/v1/blocked/{id}`, for supervisors. Numbers go in; only masked forms come out.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{ApiError, ApiOperator};
use crate::desk::blocks::BlockAsked;
use crate::http::state::AppState;
use crate::store::Block;

#[derive(Deserialize)]
pub(in crate::http) struct BlockBody {
    number: String,
    reason: String,
    expires_at: Option<String>,
}

/// A block as JSON, its times as RFC 3339 like every time staff type in.
fn shown(block: &Block) -> serde_json::Value {
    let time = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .ok()
            .map(|t| t.to_string())
    };
    serde_json::json!({
        "id": block.id,
        "number": block.masked_number,
        "reason": block.reason,
        "blocked_by": block.operator_name,
        "blocked_at": time(block.created_at),
        "expires_at": block.expires_at.and_then(time),
    })
}

/// An expiry from an RFC 3339 timestamp (`2026-12-01T18:00:00Z`).
pub(in crate::http) fn expiry(text: Option<&str>) -> Result<Option<i64>, ApiError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let at: jiff::Timestamp = text.parse().map_err(|_| {
        ApiError::invalid(format!(
            "`expires_at` `{text}` is not a timestamp like 2026-12-01T18:00:00Z"
        ))
    })?;
    Ok(Some(at.as_millisecond()))
}

pub(in crate::http) async fn list(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
) -> Result<Response, ApiError> {
    let blocks = app.desk.blocks(&operator).await?;
    let shown: Vec<serde_json::Value> = blocks.iter().map(shown).collect();
    Ok(Json(shown).into_response())
}

pub(in crate::http) async fn block(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    body: Result<Json<BlockBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::invalid(e.body_text()))?;
    let asked = BlockAsked {
        number: &body.number,
        reason: &body.reason,
        expires_at: expiry(body.expires_at.as_deref())?,
    };
    let block = app.desk.block_number(&operator, asked).await?;
    Ok((StatusCode::CREATED, Json(shown(&block))).into_response())
}

pub(in crate::http) async fn unblock(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    app.desk.unblock_number(&operator, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
