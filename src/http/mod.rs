//! The HTTP shell: webhook routes for the provider, health and metrics for operators of the
//! server, and the operator API and console. Handlers stay thin; the engine decides, the store
//! records.

pub mod api;
mod call_log;
mod console;
mod health;
mod operator_line;
pub mod routes;
pub mod signature;
mod voice;
pub mod webhook;
pub mod webhook_event;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::sync::watch;

use crate::catalog::library::Flows;
use crate::clock::Clock;
use crate::desk::Desk;
use crate::engine::Links;
use crate::store::Store;
use signature::AuthToken;

/// Largest webhook body accepted; the provider's forms are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Everything a request handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The loaded hotlines, reloaded when the flows folder changes.
    pub flows: Flows,
    /// Where calls are recorded.
    pub store: Arc<dyn Store>,
    /// Builds callback URLs from the public base URL.
    pub links: Arc<Links>,
    /// Checks signatures; `None` accepts unsigned webhooks (loopback only).
    pub auth_token: Option<AuthToken>,
    /// "Now".
    pub clock: Clock,
    /// Time a webhook may take before the fallback is spoken.
    pub deadline: Duration,
    /// What operators can do.
    pub desk: Desk,
    /// How long a console session lasts.
    pub session_length: Duration,
    /// Hashes callers' numbers for repeat-caller recognition; `None` keeps no hash.
    pub caller_key: Option<crate::operators::caller_key::CallerKey>,
    /// Whether a known operator phone number alone signs an operator in on the operator line.
    pub trust_operator_caller_id: bool,
    /// Turns true when the server starts shutting down, so that endless responses (the
    /// console's event streams) end and the graceful shutdown is not held up by them.
    pub stopping: watch::Receiver<bool>,
}

/// All routes of the server (see [`routes::table`]).
pub fn router(state: AppState) -> Router {
    routes::router()
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}
