//! Voice webhooks: each one turns the provider's request into a moment of the call for the
//! line (`crate::line`), under the webhook deadline, and answers its TwiML. Whatever fails
//! inside, the caller hears a spoken fallback.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use tracing::Instrument;

use super::state::AppState;
use super::webhook::Webhook;
use super::webhook_event::{Hook, event, number, number_param};
use crate::line::{CallReport, Failure, Moment};
use crate::twiml::{self, CONTENT_TYPE};

/// The handler of one webhook kind, for the methods its route accepts.
pub(super) fn hook(methods: MethodFilter, hook: Hook) -> MethodRouter<AppState> {
    on(
        methods,
        move |State(app): State<AppState>, webhook: Webhook| answer(app, webhook, hook),
    )
}

async fn answer(app: AppState, webhook: Webhook, hook: Hook) -> Response {
    let span = tracing::info_span!("webhook", kind = hook.name(), call_sid = %webhook.call_sid);
    async move {
        let started = Instant::now();
        let webhook = Arc::new(webhook);
        // A separate task turns a panic into an error we can answer, and lets a slow database
        // write finish after the caller has already been given the fallback.
        let task = tokio::spawn(respond(app.clone(), webhook.clone(), hook).in_current_span());
        let result = tokio::time::timeout(app.deadline, task).await;
        let (response, outcome) = match result {
            Ok(Ok(Ok(response))) => (response, "ok"),
            Ok(Ok(Err(failure))) => {
                tracing::error!(error = %failure, "webhook failed; answering with the fallback");
                let storage_ok = failure.storage_ok();
                (fallback(&app, &webhook, hook, storage_ok), "fallback")
            }
            Ok(Err(join)) => {
                tracing::error!(error = %join, "webhook handler crashed; answering with the fallback");
                (fallback(&app, &webhook, hook, true), "fallback")
            }
            Err(_) => {
                tracing::error!(deadline = ?app.deadline, "webhook too slow; answering with the fallback");
                (fallback(&app, &webhook, hook, true), "fallback")
            }
        };
        let labels = [("kind", hook.name()), ("outcome", outcome)];
        metrics::histogram!("hotline_webhook_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
        log_answer(outcome, started.elapsed());
        if outcome == "fallback" {
            metrics::counter!("hotline_fallbacks_total", "kind" => hook.name()).increment(1);
        }
        twiml_response(&response)
    }
    .instrument(span)
    .await
}

/// An answer slower than this is logged as a warning: the caller heard that much silence.
const SLOW_ANSWER: std::time::Duration = std::time::Duration::from_millis(500);

/// Logs how the webhook was answered. Routine answers are debug lines: at hundreds of
/// webhooks a second one info line each cost a tenth of the server's work, and the latency
/// histogram already counts them; fallbacks and slow answers stay visible.
fn log_answer(outcome: &str, took: std::time::Duration) {
    let ms = took.as_secs_f64() * 1000.0;
    if took >= SLOW_ANSWER {
        tracing::warn!(outcome, ms, "answered slowly");
    } else if outcome == "ok" {
        tracing::debug!(outcome, ms, "answered");
    } else {
        tracing::info!(outcome, ms, "answered");
    }
}

fn twiml_response(response: &twiml::Response) -> Response {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], response.render()).into_response()
}

/// What the line needs of the webhook.
fn report(webhook: &Webhook) -> CallReport<'_> {
    CallReport {
        call_sid: &webhook.call_sid,
        query: &webhook.query,
        from: number_param(webhook, "From"),
        to: number_param(webhook, "To"),
    }
}

async fn respond(
    app: AppState,
    webhook: Arc<Webhook>,
    hook: Hook,
) -> Result<twiml::Response, Failure> {
    let moment = match hook {
        Hook::Incoming => Moment::Arrived,
        Hook::Wait => Moment::Holding {
            position: number(&webhook, "QueuePosition"),
            wait_seconds: number(&webhook, "QueueTime"),
        },
        _ => Moment::Did(event(hook, &webhook)),
    };
    app.line.answer(&report(&webhook), moment).await
}

/// The fallback for this webhook; a caller waiting in a queue hears only what a queue allows.
fn fallback(app: &AppState, webhook: &Webhook, hook: Hook, storage_ok: bool) -> twiml::Response {
    let waiting = matches!(hook, Hook::Wait | Hook::HoldChoice);
    app.line.fallback(&report(webhook), waiting, storage_ok)
}

/// Status callback: the call ended (or progressed). Answers 204; the provider ignores the body.
pub(super) async fn status(State(app): State<AppState>, webhook: Webhook) -> StatusCode {
    let span = tracing::info_span!("webhook", kind = "status", call_sid = %webhook.call_sid);
    async move {
        let status = webhook.param("CallStatus").unwrap_or("unknown");
        let duration = webhook.param("CallDuration").and_then(|d| d.parse().ok());
        let sequence = webhook.param("SequenceNumber").and_then(|d| d.parse().ok());
        app.line
            .status(&webhook.call_sid, status, duration, sequence)
            .await;
        tracing::info!(status, "call status");
        StatusCode::NO_CONTENT
    }
    .instrument(span)
    .await
}
