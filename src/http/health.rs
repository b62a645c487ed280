//! Health, readiness and metrics endpoints for load balancers and monitoring.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use super::state::AppState;

/// How long the readiness check waits for the database.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Alive: the process answers.
pub(super) async fn live() -> &'static str {
    "ok
"
}

/// Ready when flows are loaded and the database answers.
pub(super) async fn ready(State(app): State<AppState>) -> impl IntoResponse {
    let catalog = app.flows.catalog();
    let flows = catalog.current.flows().count();
    // A database that hangs must not hang the load balancer's check with it.
    let database = match tokio::time::timeout(READY_TIMEOUT, app.store.ping()).await {
        Ok(answer) => answer,
        Err(_) => Err(crate::store::StoreError::Unwritable(format!(
            "no answer within {READY_TIMEOUT:?}"
        ))),
    };
    // A rejected edit does not make the server unready (the running flows still answer calls)
    // but says so, for the people watching.
    let body = serde_json::json!({
        "flows": flows,
        "flow_changes": if catalog.failure.is_some() { "rejected" } else { "loaded" },
        "database": if database.is_ok() { "ok" } else { "unavailable" },
    });
    let status = if database.is_ok() && flows > 0 {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    if let Err(e) = database {
        tracing::warn!(error = %e, "readiness check: database unavailable");
    }
    (status, Json(body))
}

pub(super) async fn metrics_text() -> impl IntoResponse {
    let text = crate::telemetry::metrics().render();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}
