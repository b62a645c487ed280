//! Voice webhooks: each one turns the provider's request into an engine event, records what
//! happened and answers TwiML. Whatever fails inside, the caller hears a spoken fallback.

use std::time::Instant;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use tracing::Instrument;

use super::webhook::Webhook;
use super::webhook_event::{Hook, event, number};
use super::{AppState, call_log};
use crate::engine::{self, CallContext, CallState, Event, Hold, Outcome};
use crate::privacy::MaskedPhone;
use crate::store::{CallWrite, NewCall, StoreError};
use crate::twiml::{self, CONTENT_TYPE};

/// The handler of one webhook kind, for the methods its route accepts.
pub(super) fn hook(methods: MethodFilter, hook: Hook) -> MethodRouter<AppState> {
    on(
        methods,
        move |State(app): State<AppState>, webhook: Webhook| answer(app, webhook, hook),
    )
}

/// Why a webhook could not be answered normally.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    State(#[from] engine::StateError),
    #[error("hotline `{0}` from the URL is not loaded")]
    UnknownHotline(String),
    #[error("saving the call failed: {0}")]
    Storage(#[from] StoreError),
}

async fn answer(app: AppState, webhook: Webhook, hook: Hook) -> Response {
    let span = tracing::info_span!("webhook", kind = hook.name(), call_sid = %webhook.call_sid);
    async move {
        let started = Instant::now();
        let webhook = std::sync::Arc::new(webhook);
        // A separate task turns a panic into an error we can answer, and lets a slow database
        // write finish after the caller has already been given the fallback.
        let task = tokio::spawn(respond(app.clone(), webhook.clone(), hook).in_current_span());
        let result = tokio::time::timeout(app.deadline, task).await;
        let (response, outcome) = match result {
            Ok(Ok(Ok(response))) => (response, "ok"),
            Ok(Ok(Err(failure))) => {
                tracing::error!(error = %failure, "webhook failed; answering with the fallback");
                let storage_ok = !matches!(failure, Failure::Storage(_));
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

async fn respond(
    app: AppState,
    webhook: std::sync::Arc<Webhook>,
    hook: Hook,
) -> Result<twiml::Response, Failure> {
    let now = app.clock.now();
    let ctx = CallContext {
        caller: webhook.param("From"),
        now,
        links: &app.links,
    };
    let (flow, state, mut writes) = match hook {
        Hook::Incoming => start_call(&app, &webhook, now),
        _ => {
            let state = CallState::from_query(&webhook.query)?;
            let flow = app
                .flows
                .for_call(&state.hotline, state.version.as_deref())
                .ok_or_else(|| Failure::UnknownHotline(state.hotline.clone()))?;
            (flow, state, Vec::new())
        }
    };
    let outcome = match hook {
        Hook::Wait => {
            let position = number(&webhook, "QueuePosition");
            let hold = Hold {
                position,
                wait_seconds: number(&webhook, "QueueTime"),
                estimate_seconds: estimate(&app, &state, position, now).await,
            };
            engine::hold(&flow, &state, hold, &ctx)
        }
        Hook::Incoming => match turned_away(&app, &flow, &webhook, now).await {
            Some(why) => engine::turn_away(&flow, &state, why, &ctx),
            None => engine::step(&flow, &state, Event::Start, &ctx),
        },
        _ => engine::step(&flow, &state, event(hook, &webhook), &ctx),
    };
    log_outcome(&outcome);
    writes.extend(call_log::writes(
        &webhook.call_sid,
        &flow.id,
        now.as_millisecond(),
        &outcome,
    ));
    call_log::save(&app, &webhook.call_sid, writes, outcome.must_be_durable()).await?;
    Ok(outcome.response)
}

/// Whether the flow's `[abuse]` settings turn this caller away. When the database cannot say
/// how often they called, they are let in: a caller in need matters more than a nuisance.
async fn turned_away(
    app: &AppState,
    flow: &crate::flow::Flow,
    webhook: &Webhook,
    now: jiff::Timestamp,
) -> Option<crate::engine::abuse::TurnAway> {
    let settings = flow.abuse.as_ref()?;
    let caller = webhook.param("From");
    let mut earlier = 0;
    let number = caller.filter(|c| crate::engine::abuse::is_phone_number(c));
    if let (Some(number), Some(_)) = (number, settings.max_calls_per_hour) {
        let since = now.as_millisecond() - 3600 * 1000;
        match app.store.calls_from(number, since, &webhook.call_sid).await {
            Ok(n) => earlier = u32::try_from(n).unwrap_or(u32::MAX),
            Err(error) => {
                tracing::warn!(%error, "abuse limit not checked: the database did not answer")
            }
        }
    }
    let why = crate::engine::abuse::verdict(settings, caller, earlier)?;
    tracing::info!(reason = why.reason(), from = %MaskedPhone(caller.unwrap_or_default()), "caller turned away");
    metrics::counter!("hotline_calls_turned_away_total", "hotline" => flow.id.clone()).increment(1);
    Some(why)
}

/// Waits of callers answered in the last this-many milliseconds inform the estimate.
const ESTIMATE_WINDOW_MS: i64 = 2 * 60 * 60 * 1000;
/// How many of the latest answered waits inform the estimate.
const ESTIMATE_SAMPLE: i64 = 20;

/// The estimated wait for a caller at `position`, from recent answered waits in the caller's
/// category. Without one (or when the database cannot say) the caller simply hears none.
async fn estimate(
    app: &AppState,
    state: &CallState,
    position: Option<u32>,
    now: jiff::Timestamp,
) -> Option<u32> {
    let (category, position) = (state.category.as_ref()?, position?);
    let since = now.as_millisecond() - ESTIMATE_WINDOW_MS;
    let waits = match app
        .store
        .recent_waits(category, since, ESTIMATE_SAMPLE)
        .await
    {
        Ok(waits) => waits,
        Err(error) => {
            tracing::warn!(%error, "no wait estimate: recent waits unavailable");
            return None;
        }
    };
    let waits: Vec<u32> = waits
        .into_iter()
        .filter_map(|w| u32::try_from(w).ok())
        .collect();
    crate::triage::estimate::estimate_wait(&waits, position)
}

fn start_call(
    app: &AppState,
    webhook: &Webhook,
    now: jiff::Timestamp,
) -> (std::sync::Arc<crate::flow::Flow>, CallState, Vec<CallWrite>) {
    let to = webhook.param("To").unwrap_or_default();
    let flow = app.flows.current().for_number(to).clone();
    let language = flow.default_language().id.clone();
    let from = webhook.param("From");
    tracing::info!(hotline = %flow.id, from = %MaskedPhone(from.unwrap_or_default()), "call started");
    metrics::counter!("hotline_calls_total", "hotline" => flow.id.clone()).increment(1);
    let caller_hash = from
        .filter(|n| crate::engine::abuse::is_phone_number(n))
        .zip(app.caller_key.as_ref())
        .map(|(number, key)| key.hash(number));
    let start = CallWrite::StartCall(NewCall {
        caller_hash,
        call_sid: webhook.call_sid.clone(),
        hotline: flow.id.clone(),
        flow_version: flow.version.clone(),
        from_number: from.map(str::to_string),
        to_number: Some(to.to_string()),
        language: language.clone(),
        started_at: now.as_millisecond(),
    });
    let mut state = CallState::new(&flow.id, &flow.start, &language);
    state.version = Some(flow.version.clone());
    (flow, state, vec![start])
}

fn log_outcome(outcome: &Outcome) {
    for effect in &outcome.effects {
        if let engine::Effect::Step { node, outcome, .. } = effect {
            tracing::debug!(node = %node, outcome = %outcome, "step");
        }
    }
}

/// The fallback for this webhook, using the call's own flow and language when they are known.
fn fallback(app: &AppState, webhook: &Webhook, hook: Hook, storage_ok: bool) -> twiml::Response {
    let state = CallState::from_query(&webhook.query).ok();
    let flow = state
        .as_ref()
        .and_then(|s| app.flows.for_call(&s.hotline, s.version.as_deref()))
        .unwrap_or_else(|| {
            let to = webhook.param("To").unwrap_or_default();
            std::sync::Arc::clone(app.flows.current().for_number(to))
        });
    let state = state.filter(|s| s.hotline == flow.id);
    if matches!(hook, Hook::Wait | Hook::HoldChoice) {
        return engine::fallback_while_waiting(&flow, state.as_ref());
    }
    let ctx = CallContext {
        caller: webhook.param("From"),
        now: app.clock.now(),
        links: &app.links,
    };
    engine::fallback(&flow, state.as_ref(), &ctx, storage_ok)
}

/// Status callback: the call ended (or progressed). Answers 204; the provider ignores the body.
pub(super) async fn status(State(app): State<AppState>, webhook: Webhook) -> StatusCode {
    let write = CallWrite::CallEnded {
        call_sid: webhook.call_sid.clone(),
        status: webhook.param("CallStatus").unwrap_or("unknown").to_string(),
        duration_seconds: webhook.param("CallDuration").and_then(|d| d.parse().ok()),
        sequence: webhook.param("SequenceNumber").and_then(|d| d.parse().ok()),
        at: app.clock.now().as_millisecond(),
    };
    let span = tracing::info_span!("webhook", kind = "status", call_sid = %webhook.call_sid);
    async move {
        if let Err(e) = app.store.write_soon(vec![write]).await {
            metrics::counter!("hotline_store_errors_total").increment(1);
            tracing::error!(error = %e, "could not record the end of the call");
        }
        tracing::info!(
            status = webhook.param("CallStatus").unwrap_or("unknown"),
            "call status"
        );
        StatusCode::NO_CONTENT
    }
    .instrument(span)
    .await
}
