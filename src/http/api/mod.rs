//! The operator API under `/api/v1`: the queue, callback requests and their life cycle, call
//! search, the audit log, the block list and the roster with its shifts, as JSON for
//! bearer-token clients. Every action goes through the desk, which checks roles and writes the
//! audit log.

mod auth;
pub(super) mod blocked;
mod error;
pub(super) mod history;
pub(super) mod people;
pub(super) mod presence;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::callbacks::Outcome;
use crate::http::state::AppState;
use crate::reports::StaffingGoal;
use crate::store::CallbackRequest;
pub use auth::ApiOperator;
pub use error::ApiError;

type ApiResult = Result<Response, ApiError>;

/// Answers carry callers' numbers and notes: no cache along the way, nor the client's own,
/// may keep a copy.
pub(super) async fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // A browser must not guess another type for callers' data than the JSON it is.
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

pub(super) async fn me(ApiOperator(operator): ApiOperator) -> Json<crate::operators::Operator> {
    Json(operator)
}

pub(super) async fn queue(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
) -> ApiResult {
    Ok(Json(app.desk.snapshot(&operator).await?).into_response())
}

/// The wallboard's counts; supervisors only.
pub(super) async fn wallboard(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
) -> ApiResult {
    Ok(Json(app.desk.wallboard(&operator).await?).into_response())
}

pub(super) async fn request(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(id): Path<String>,
) -> ApiResult {
    let mut detail = app.desk.request(&operator, &id).await?;
    // The recording is caller data whose playback is audited: hand out the audited link.
    let recording = detail
        .request
        .recording_url
        .take()
        .map(|_| format!("/api/v1/callbacks/{id}/recording"));
    let mut body = serde_json::to_value(&detail).map_err(|e| ApiError::invalid(e.to_string()))?;
    body["recording"] = serde_json::json!(recording);
    Ok(Json(body).into_response())
}

pub(super) async fn claim(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(id): Path<String>,
) -> ApiResult {
    Ok(Json(without_recording_url(app.desk.claim(&operator, &id).await?)).into_response())
}

/// `POST /api/v1/callbacks/{id}/call`: rings the operator's phone to call the request back.
pub(super) async fn call(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(id): Path<String>,
) -> ApiResult {
    let answer_url = super::callback::ring_url(&app, &operator, &id);
    let status = |at| app.links.operator_rang(&id, at);
    app.desk
        .call_now(&operator, &id, &answer_url, status)
        .await?;
    let body = serde_json::json!({"status": "ringing_operator"});
    Ok((axum::http::StatusCode::ACCEPTED, Json(body)).into_response())
}

pub(super) async fn release(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(id): Path<String>,
) -> ApiResult {
    Ok(Json(without_recording_url(
        app.desk.release(&operator, &id).await?,
    ))
    .into_response())
}

#[derive(Deserialize)]
pub(super) struct ReassignBody {
    /// The operator to hold the request; `null` returns it to the queue.
    operator: Option<String>,
}

/// `POST /api/v1/callbacks/{id}/reassign`: a supervisor takes the claim off its holder.
pub(super) async fn reassign(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(id): Path<String>,
    body: Result<Json<ReassignBody>, JsonRejection>,
) -> ApiResult {
    let Json(body) = body.map_err(|e| ApiError::invalid(e.body_text()))?;
    let to = body.operator.as_deref();
    let moved = app.desk.hand_over(&operator, &id, to).await?;
    Ok(Json(without_recording_url(moved)).into_response())
}

/// A request as the API shows it: the recording only as the audited link, since playing a
/// caller's message is an action the audit log must see.
pub(super) fn without_recording_url(mut request: CallbackRequest) -> serde_json::Value {
    let link = request
        .recording_url
        .take()
        .map(|_| format!("/api/v1/callbacks/{}/recording", request.id));
    let mut body = serde_json::json!(request);
    body["recording"] = serde_json::json!(link);
    body
}

#[derive(Deserialize)]
pub(super) struct CompleteBody {
    outcome: String,
    #[serde(default)]
    notes: String,
}

pub(super) async fn complete(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(id): Path<String>,
    body: Result<Json<CompleteBody>, JsonRejection>,
) -> ApiResult {
    let Json(body) = body.map_err(|e| ApiError::invalid(e.body_text()))?;
    let outcome = Outcome::parse(&body.outcome).ok_or_else(|| {
        let known: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        ApiError::invalid(format!(
            "unknown outcome `{}`; use one of {}",
            body.outcome,
            known.join(", ")
        ))
    })?;
    let done = app
        .desk
        .complete(&operator, &id, outcome, &body.notes)
        .await?;
    Ok(Json(without_recording_url(done)).into_response())
}

pub(super) async fn recording(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(id): Path<String>,
) -> ApiResult {
    let url = app.desk.recording(&operator, &id).await?;
    Ok(Redirect::to(&url).into_response())
}

#[derive(Deserialize)]
pub(super) struct PeriodQuery {
    from: String,
    to: String,
    /// The staffing plan's share of callers answered in time, in percent.
    service_level: Option<String>,
    /// The staffing plan's time to answer, in seconds.
    answer_within: Option<String>,
}

pub(super) async fn report(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    query: Result<Query<PeriodQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let (from, to, goal) = period(&app, query)?;
    Ok(Json(app.desk.report(&operator, from, to, goal).await?).into_response())
}

/// One report as a CSV download: `/api/v1/reports/drop-off.csv?from=...&to=...`.
pub(super) async fn report_csv(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(name): Path<String>,
    query: Result<Query<PeriodQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let name = name.strip_suffix(".csv").unwrap_or(&name).to_string();
    if !crate::reports::csv::NAMES.contains(&name.as_str()) {
        let known = crate::reports::csv::NAMES.join(", ");
        return Err(ApiError::invalid(format!(
            "unknown report `{name}`; use one of {known}"
        )));
    }
    let (from, to, goal) = period(&app, query)?;
    let report = app.desk.report(&operator, from, to, goal).await?;
    let body = crate::reports::csv::render(&report, &name).unwrap_or_default();
    let disposition = format!("attachment; filename=\"{name}.csv\"");
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    Ok((headers, body).into_response())
}

fn period(
    app: &AppState,
    query: Result<Query<PeriodQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<(i64, i64, StaffingGoal), ApiError> {
    let Query(query) = query.map_err(|e| ApiError::invalid(e.body_text()))?;
    let zone = &app.flows.time_zone();
    let goal = StaffingGoal::asked(
        query.service_level.as_deref(),
        query.answer_within.as_deref(),
    )
    .map_err(ApiError::invalid)?;
    Ok((instant(&query.from, zone)?, instant(&query.to, zone)?, goal))
}

/// An instant from an RFC 3339 timestamp, or a date (its midnight in the hotline's zone):
/// staff think in local days.
pub fn instant(text: &str, zone: &jiff::tz::TimeZone) -> Result<i64, ApiError> {
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t.as_millisecond());
    }
    let date: jiff::civil::Date = text.parse().map_err(|_| {
        ApiError::invalid(format!(
            "`{text}` is neither a date (2026-11-28) nor a timestamp (2026-11-28T09:00:00Z)"
        ))
    })?;
    let zoned = date
        .to_zoned_datetime(zone.clone())
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    Ok(zoned.timestamp().as_millisecond())
}
