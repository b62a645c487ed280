//! What is over, in the operator API: call search, closed callback requests with the calls of a
//! period (`/api/v1/history`), and the audit log. The desk checks the roles and audits the
//! searches.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use serde::Deserialize;

use super::{ApiError, ApiOperator, ApiResult, instant, without_recording_url};
use crate::callbacks::Outcome;
use crate::desk::HistoryQuery;
use crate::http::state::AppState;
use crate::operators::Operator;
use crate::store::AuditFilter;

#[derive(Deserialize)]
pub(in crate::http) struct CallsQuery {
    from: String,
    to: String,
    category: Option<String>,
}

/// `GET /api/v1/calls`
pub(in crate::http) async fn calls(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    query: Result<Query<CallsQuery>, QueryRejection>,
) -> ApiResult {
    let Query(query) = query.map_err(|e| ApiError::invalid(e.body_text()))?;
    let zone = &app.flows.time_zone();
    let from = instant(&query.from, zone)?;
    let to = instant(&query.to, zone)?;
    let found = app
        .desk
        .search_calls(&operator, from, to, query.category.as_deref())
        .await?;
    Ok(Json(found).into_response())
}

#[derive(Deserialize)]
pub(in crate::http) struct HistoryParams {
    from: String,
    to: String,
    category: Option<String>,
    outcome: Option<String>,
    number: Option<String>,
}

/// `GET /api/v1/history`: requests closed in the period and its calls. A number is refused
/// here: URLs are kept in access logs, so a search by number is posted.
pub(in crate::http) async fn history(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    query: Result<Query<HistoryParams>, QueryRejection>,
) -> ApiResult {
    let Query(params) = query.map_err(|e| ApiError::invalid(e.body_text()))?;
    if params
        .number
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty())
    {
        return Err(ApiError::invalid(
            "send `number` in the JSON body of POST /api/v1/history, not in the URL, which \
             proxies and browsers keep in their logs",
        ));
    }
    found(&app, &operator, params).await
}

/// `POST /api/v1/history`: the same, with the filters (and the number) in a JSON body.
pub(in crate::http) async fn search_history(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    body: Result<Json<HistoryParams>, JsonRejection>,
) -> ApiResult {
    let Json(params) = body.map_err(|e| ApiError::invalid(e.body_text()))?;
    found(&app, &operator, params).await
}

async fn found(app: &AppState, operator: &Operator, params: HistoryParams) -> ApiResult {
    let zone = &app.flows.time_zone();
    let outcome = match params.outcome.as_deref().filter(|o| !o.is_empty()) {
        Some(text) => Some(
            Outcome::parse(text)
                .ok_or_else(|| ApiError::invalid(format!("unknown outcome `{text}`")))?,
        ),
        None => None,
    };
    let query = HistoryQuery {
        from: instant(&params.from, zone)?,
        to: instant(&params.to, zone)?,
        category: params.category.filter(|c| !c.is_empty()),
        outcome,
        number: params.number.filter(|n| !n.trim().is_empty()),
    };
    let found = app.desk.history(operator, &query).await?;
    let requests: Vec<_> = found
        .requests
        .into_iter()
        .map(without_recording_url)
        .collect();
    let body = serde_json::json!({"requests": requests, "calls": found.calls});
    Ok(Json(body).into_response())
}

#[derive(Deserialize)]
pub(in crate::http) struct AuditQuery {
    from: Option<String>,
    to: Option<String>,
    subject: Option<String>,
    operator: Option<String>,
    action: Option<String>,
    limit: Option<i64>,
}

/// `GET /api/v1/audit`
pub(in crate::http) async fn audit(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult {
    let Query(query) = query.map_err(|e| ApiError::invalid(e.body_text()))?;
    let zone = &app.flows.time_zone();
    let filter = AuditFilter {
        from: query
            .from
            .as_deref()
            .map(|t| instant(t, zone))
            .transpose()?,
        to: query.to.as_deref().map(|t| instant(t, zone)).transpose()?,
        subject: query.subject,
        operator: query.operator.filter(|o| !o.is_empty()),
        action: query.action.filter(|a| !a.is_empty()),
        limit: query.limit.unwrap_or(500).clamp(1, 5000),
    };
    Ok(Json(app.desk.audit_log(&operator, &filter).await?).into_response())
}
