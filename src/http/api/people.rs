//! The roster in the operator API, for supervisors: `GET /api/v1/operators`, everyone with
//! their role, categories, availability and weekly shifts, and `PUT
//! /api/v1/operators/{name}/shifts`, which replaces someone's shifts. No secrets and no phone
//! numbers: an operator's phone is their own.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{ApiError, ApiOperator};
use crate::desk::Person;
use crate::http::state::AppState;

#[derive(Deserialize)]
pub(in crate::http) struct ShiftsBody {
    /// Shifts as staff write them (`"mon-fri 09:00-17:00"`); empty clears them.
    shifts: Vec<String>,
}

/// A person as JSON, with `until` as RFC 3339 like every time the API gives.
fn shown(person: &Person) -> serde_json::Value {
    let until = person
        .presence
        .until
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|t| t.to_string());
    let operator = &person.operator;
    serde_json::json!({
        "name": operator.name,
        "role": operator.role,
        "categories": operator.categories,
        "active": operator.active,
        "available": person.presence.available,
        "until": until,
        "shifts": person.shifts.items(),
        "due_now": person.due_now,
        "phone_registered": person.has_phone,
    })
}

pub(in crate::http) async fn list(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
) -> Result<Response, ApiError> {
    let people = app.desk.people(&operator).await?;
    let shown: Vec<serde_json::Value> = people.iter().map(shown).collect();
    Ok(Json(shown).into_response())
}

pub(in crate::http) async fn set_shifts(
    State(app): State<AppState>,
    ApiOperator(operator): ApiOperator,
    Path(name): Path<String>,
    body: Result<Json<ShiftsBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::invalid(e.body_text()))?;
    let person = app.desk.set_shifts(&operator, &name, &body.shifts).await?;
    Ok(Json(shown(&person)).into_response())
}
