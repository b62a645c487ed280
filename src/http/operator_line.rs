//! The operator phone line: an operator calls in (or the provider connects their phone to
//! `/voice/operator`), is identified by PIN (or by caller ID where that is trusted), and is
//! connected with `<Dial><Queue>` to the caller who should be served next. The desk decides
//! who that is (and audits it); `operator_line` writes the TwiML.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};

use super::callback;
use super::state::AppState;
use super::webhook::Webhook;
use crate::desk::{DeskError, PinCheck};
use crate::operator_line::{self, OperatorState};
use crate::operators::Operator;
use crate::privacy::MaskedPhone;
use crate::twiml::{self, CONTENT_TYPE, Say, Verb};

#[derive(Clone, Copy)]
pub(super) enum Step {
    Entry,
    Pin,
    Next,
    After,
    /// 1 calls the offered request back, anything else skips it.
    Callback,
    /// The call back's Dial ended.
    CallbackResult,
    /// The key that closes a reached call back.
    CallbackClose,
    /// The operator answered the ring "call now" asked for.
    Ring,
}

/// The handler of one step of the line, for the methods its route accepts.
pub(super) fn step(methods: MethodFilter, step: Step) -> MethodRouter<AppState> {
    on(
        methods,
        move |State(app): State<AppState>, webhook: Webhook| answer(app, webhook, step),
    )
}

pub(super) async fn whisper(_webhook: Webhook) -> Response {
    reply(&operator_line::whisper())
}

async fn answer(app: AppState, webhook: Webhook, step: Step) -> Response {
    match respond(&app, &webhook, step).await {
        Ok(response) => reply(&response),
        Err(error) => {
            tracing::error!(call_sid = %webhook.call_sid, %error, "operator line failed");
            let sorry = "The operator line has a problem. Please try again in a minute.";
            reply(&twiml::Response::new(vec![
                Verb::Say(Say::new(sorry)),
                Verb::Hangup,
            ]))
        }
    }
}

pub(super) fn reply(response: &twiml::Response) -> Response {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], response.render()).into_response()
}

async fn respond(
    app: &AppState,
    webhook: &Webhook,
    step: Step,
) -> Result<twiml::Response, DeskError> {
    let Ok(state) = OperatorState::from_query(&webhook.query) else {
        return Ok(operator_line::ask_pin(
            &OperatorState::default(),
            &app.links,
        ));
    };
    match step {
        Step::Entry => entry(app, webhook).await,
        Step::Pin => pin(app, webhook, state).await,
        _ => {
            let Some(operator) = signed_in(app, &state).await? else {
                return Ok(operator_line::ask_pin(
                    &OperatorState::default(),
                    &app.links,
                ));
            };
            let digits = webhook.param("Digits").unwrap_or_default();
            match step {
                Step::After => Ok(operator_line::after_call(&state, &app.links)),
                Step::Callback => {
                    let call = &webhook.call_sid;
                    callback::choose(app, &operator, state, digits, call).await
                }
                Step::CallbackResult => {
                    let status = webhook.param("DialCallStatus").unwrap_or("failed");
                    callback::ended(app, &operator, &state, status).await
                }
                Step::CallbackClose => callback::close(app, &operator, &state, digits).await,
                Step::Ring => callback::rung(app, &operator, &state).await,
                _ => connect(app, &operator, &state).await,
            }
        }
    }
}

/// A caller ID alone can be forged, so it identifies an operator only where the deployment
/// says the line is reachable from trusted phones; everyone else enters a PIN.
async fn entry(app: &AppState, webhook: &Webhook) -> Result<twiml::Response, DeskError> {
    let from = webhook.param("From").unwrap_or_default();
    if app.trust_operator_caller_id
        && let Some(operator) = app.desk.operator_by_phone(from).await?
    {
        tracing::info!(operator = %operator.name, "operator line: identified by caller ID");
        let state = OperatorState {
            operator: Some(operator.id.clone()),
            ..OperatorState::default()
        };
        return connect(app, &operator, &state).await;
    }
    if app.desk.pin_lock(from).await?.is_some() {
        return Ok(operator_line::pin_locked());
    }
    tracing::info!(from = %MaskedPhone(from), "operator line: asking for a PIN");
    Ok(operator_line::ask_pin(
        &OperatorState::default(),
        &app.links,
    ))
}

async fn pin(
    app: &AppState,
    webhook: &Webhook,
    state: OperatorState,
) -> Result<twiml::Response, DeskError> {
    let entered = webhook.param("Digits").unwrap_or_default();
    let from = webhook.param("From").unwrap_or_default();
    let operator = match app.desk.check_pin(from, entered).await? {
        PinCheck::Accepted(operator) => operator,
        PinCheck::Refused { pause_seconds } => {
            return Ok(operator_line::pin_refused(
                &state,
                &app.links,
                pause_seconds,
            ));
        }
        PinCheck::Locked(_) => return Ok(operator_line::pin_locked()),
    };
    tracing::info!(operator = %operator.name, "operator line: signed in");
    let state = OperatorState {
        operator: Some(operator.id.clone()),
        ..OperatorState::default()
    };
    connect(app, &operator, &state).await
}

/// The operator named in the state, if they may still work.
async fn signed_in(app: &AppState, state: &OperatorState) -> Result<Option<Operator>, DeskError> {
    let Some(id) = &state.operator else {
        return Ok(None);
    };
    app.desk.active_operator(id).await
}

/// Live callers come first; then the callback request that is due; else nobody waits.
async fn connect(
    app: &AppState,
    operator: &Operator,
    state: &OperatorState,
) -> Result<twiml::Response, DeskError> {
    app.desk.on_the_line(operator).await?;
    if let Some(next) = app.desk.take_next_caller(operator).await? {
        return Ok(operator_line::connect_next(state, &next, &app.links));
    }
    if let Some(offer) = app.desk.next_callback(operator, &state.skipped).await? {
        return Ok(callback::offer(app, state, &offer));
    }
    Ok(operator_line::nobody_waiting(state, &app.links))
}
