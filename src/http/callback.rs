//! Call backs placed from the operator line, over HTTP: the operator's choice, the end of the
//! dial and the keypad close on the operator's leg, and the neutral check on the leg of the
//! person called. The desk decides and records; `operator_line` writes the TwiML.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::operator_line::reply;
use super::state::AppState;
use super::webhook::Webhook;
use crate::callbacks::{Outcome, Status};
use crate::desk::{CallbackOffer, DeskError, DialResult};
use crate::operator_line::{self, Ended, MAX_SKIPPED, Offer, OperatorState, say};
use crate::operators::Operator;
use crate::twiml::{self, Response as Twiml, Verb};

/// Reads the offered request to the operator, carrying its id in the line's state.
pub(super) fn offer(app: &AppState, state: &OperatorState, offer: &CallbackOffer) -> Twiml {
    let next = OperatorState {
        request: Some(offer.request.id.clone()),
        dial: None,
        ..state.clone()
    };
    let heard = Offer {
        category_label: &offer.category_label,
        language_name: &offer.language_name,
        attempt: offer.attempt,
        minutes_waiting: offer.minutes_waiting,
        safe_to_leave_message: offer.request.safe_to_leave_message,
        call_time: offer.request.call_time,
        incomplete: offer.request.incomplete,
    };
    operator_line::offer_callback(&next, &heard, &app.links)
}

/// The operator answered the ring "call now" asked for: the request is read as on the line,
/// if it may still be called.
pub(super) async fn rung(
    app: &AppState,
    operator: &Operator,
    state: &OperatorState,
) -> Result<Twiml, DeskError> {
    let Some(request) = &state.request else {
        return Ok(operator_line::nobody_waiting(state, &app.links));
    };
    Ok(match app.desk.offer_for(operator, request).await? {
        Some(offer) => self::offer(app, state, &offer),
        None => Twiml::new(vec![
            say("That request cannot be called back now. Goodbye."),
            Verb::Hangup,
        ]),
    })
}

/// Where the provider sends the operator's answered ring for request `id`.
pub(super) fn ring_url(app: &AppState, operator: &Operator, id: &str) -> String {
    let state = OperatorState {
        operator: Some(operator.id.clone()),
        request: Some(id.to_string()),
        ..OperatorState::default()
    };
    app.links.operator_ring(&state)
}

/// 1 places the call back; anything else skips the request for the rest of this call.
/// `call_sid` is the operator's call, so a retried 1 finds the dial it already placed.
pub(super) async fn choose(
    app: &AppState,
    operator: &Operator,
    state: OperatorState,
    digits: &str,
    call_sid: &str,
) -> Result<Twiml, DeskError> {
    let Some(request) = state.request.clone() else {
        return Ok(operator_line::nobody_waiting(&state, &app.links));
    };
    if digits != "1" {
        app.desk.decline_offer(operator, &request).await?;
        let mut skipped = state.skipped.clone();
        skipped.push(request);
        let excess = skipped.len().saturating_sub(MAX_SKIPPED);
        skipped.drain(..excess);
        let next = OperatorState {
            request: None,
            skipped,
            ..state
        };
        return Ok(Twiml::new(vec![
            say("Skipped."),
            Verb::Redirect(twiml::Redirect::new(app.links.operator_next(&next))),
        ]));
    }
    match app.desk.start_callback(operator, &request, call_sid).await {
        Ok(placed) => {
            let next = OperatorState {
                dial: Some(placed.dial_id.clone()),
                ..state
            };
            let (number, caller_id) = (&placed.number, &placed.caller_id);
            Ok(operator_line::dial_callback(
                &next,
                number,
                caller_id,
                &placed.dial_id,
                &app.links,
            ))
        }
        // Someone else took it, or it stopped being due: say so and go on.
        Err(DeskError::Conflict { message, .. }) => Ok(Twiml::new(vec![
            say(&format!("That request cannot be called now: {message}.")),
            Verb::Redirect(twiml::Redirect::new(
                app.links.operator_next(&state.cleared()),
            )),
        ])),
        Err(other) => Err(other),
    }
}

/// The call back's dial ended: an attempt is recorded once, whatever the provider retries.
pub(super) async fn ended(
    app: &AppState,
    operator: &Operator,
    state: &OperatorState,
    dial_status: &str,
) -> Result<Twiml, DeskError> {
    let Some(dial) = &state.dial else {
        return Ok(operator_line::nobody_waiting(&state.cleared(), &app.links));
    };
    let ended = match app.desk.dial_ended(operator, dial, dial_status).await? {
        DialResult::Reached => Ended::Reached,
        DialResult::NotReached {
            status,
            message_left,
        } => Ended::NotReached {
            last: status == Status::Unreachable,
            message_left,
        },
    };
    Ok(operator_line::callback_ended(state, ended, &app.links))
}

/// Closes a reached call back from the keypad: 1 resolved, 2 referred, 3 wrong number.
pub(super) async fn close(
    app: &AppState,
    operator: &Operator,
    state: &OperatorState,
    digits: &str,
) -> Result<Twiml, DeskError> {
    let outcome = match digits {
        "1" => Outcome::Resolved,
        "2" => Outcome::Referred,
        "3" => Outcome::WrongNumber,
        _ => {
            return Ok(operator_line::callback_ended(
                state,
                Ended::Reached,
                &app.links,
            ));
        }
    };
    let Some(request) = &state.request else {
        return Ok(operator_line::nobody_waiting(&state.cleared(), &app.links));
    };
    app.desk.close_dialled(operator, request, outcome).await?;
    Ok(operator_line::callback_closed(
        state,
        outcome.label(),
        &app.links,
    ))
}

/// `<Number url>`: the neutral check the person called back hears before anyone is connected.
pub(super) async fn check(State(app): State<AppState>, webhook: Webhook) -> Response {
    let dial = dial_of(&webhook);
    let answer = match app.desk.check_for(&dial).await {
        Ok(c) => operator_line::check(&c.flow, &c.language, &c.screen, &dial, &app.links),
        Err(error) => hang_up(&error),
    };
    reply(&answer)
}

/// The key (or silence) at the check: 1 connects; otherwise the neutral message where it is
/// safe, and the line hangs up.
pub(super) async fn checked(State(app): State<AppState>, webhook: Webhook) -> Response {
    let dial = dial_of(&webhook);
    let confirmed = webhook.param("Digits") == Some("1");
    let answer = match app.desk.screened(&dial, confirmed).await {
        Ok(c) => operator_line::checked(confirmed, &c.flow, &c.language, c.voicemail.as_ref()),
        Err(error) => hang_up(&error),
    };
    reply(&answer)
}

/// The provider's report of the leg of the person called: kept for the request's page, and a
/// final one ends the dial if its result never comes. Answers 204 like any status callback.
pub(super) async fn leg(State(app): State<AppState>, webhook: Webhook) -> StatusCode {
    let dial = dial_of(&webhook);
    let status = webhook.param("CallStatus").unwrap_or_default();
    if let Err(error) = app.desk.dial_leg(&dial, status).await {
        tracing::warn!(%error, "the progress of a call back could not be recorded");
    }
    StatusCode::NO_CONTENT
}

/// The provider's report of the ring of an operator's phone that "call me now" asked for,
/// shown on the request's page. Answers 204.
pub(super) async fn rang(State(app): State<AppState>, webhook: Webhook) -> StatusCode {
    let query = |key: &str| {
        form_urlencoded::parse(webhook.query.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    let (Some(request), Some(at)) = (query("r"), query("t").and_then(|t| t.parse().ok())) else {
        return StatusCode::BAD_REQUEST;
    };
    let status = webhook.param("CallStatus").unwrap_or_default();
    if let Err(error) = app.desk.ring_reported(&request, at, status).await {
        tracing::warn!(%error, "the progress of an operator's ring could not be recorded");
    }
    StatusCode::NO_CONTENT
}

/// Whoever answered hears nothing about the line when something fails: the call just ends.
fn hang_up(error: &DeskError) -> Twiml {
    tracing::error!(%error, "call back check failed; hanging up");
    Twiml::new(vec![Verb::Hangup])
}

fn dial_of(webhook: &Webhook) -> String {
    form_urlencoded::parse(webhook.query.as_bytes())
        .find(|(k, _)| k == "d")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
