//! A callback request's page and what an operator does with it: claim, release, record a call
//! back, play the caller's message. Every action goes through the desk, which checks the
//! category and writes the audit log; each answers with a redirect (post, redirect, get) that
//! names what happened, so a reload never repeats it.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::ConsoleError;
use super::session::{Checked, Guarded, Session, TokenOnly};
use super::views::pages::{self, LiveCallFragment, RequestPage};
use super::views::{flash, request as request_view};
use crate::callbacks::{Outcome, Status};
use crate::desk::DeskError;
use crate::http::state::AppState;
use crate::store::CallbackRequest;

#[derive(Deserialize)]
pub struct PageQuery {
    done: Option<String>,
    problem: Option<String>,
}

/// `GET /operator/requests/{id}`; the desk audits it as a view of the caller's data.
pub async fn page(
    State(app): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ConsoleError> {
    let id = known_shape(id)?;
    let detail = app.desk.request(&session.operator, &id).await?;
    let flash = match (&query.problem, &query.done) {
        (Some(code), _) => Some(flash::problem(code, &detail)),
        (None, Some(code)) => flash::done(code),
        (None, None) => None,
    };
    let zone = &app.flows.time_zone();
    let assignees = app
        .desk
        .assignees(&session.operator, &detail.request)
        .await?;
    let mut view = request_view::shape(
        &detail,
        &app.desk,
        &app.flows.current(),
        &session.operator,
        zone,
        assignees,
    );
    view.focus_outcome = view.can_complete && query.done.as_deref() == Some("claimed");
    let page = RequestPage {
        frame: session.frame("Callback request", "").with_flash(flash),
        r: view,
        csrf: session.csrf.clone(),
    };
    Ok(pages::render(StatusCode::OK, &page)?)
}

/// `POST /operator/requests/{id}/claim`
/// `GET /operator/requests/{id}/live-call`: the call back in progress, as the request page
/// shows it, for the page's script to refresh.
pub async fn live_call(
    State(app): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, ConsoleError> {
    let id = known_shape(id)?;
    let (live, mark) = app.desk.live_call(&session.operator, &id).await?;
    let fragment = LiveCallFragment {
        id,
        live: live.map(|l| l.words()),
        mark,
    };
    Ok(pages::render(StatusCode::OK, &fragment)?)
}

pub async fn claim(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Checked(session, _): Checked<TokenOnly>,
) -> Result<Response, ConsoleError> {
    let id = known_shape(id)?;
    let taken = app.desk.claim(&session.operator, &id).await;
    settle(&id, taken.map(|_| "claimed"))
}

/// `POST /operator/requests/{id}/call`: rings the operator's registered phone.
pub async fn call(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Checked(session, _): Checked<TokenOnly>,
) -> Result<Response, ConsoleError> {
    let id = known_shape(id)?;
    let answer_url = crate::http::callback::ring_url(&app, &session.operator, &id);
    let status = |at| app.links.operator_rang(&id, at);
    let rung = (app.desk)
        .call_now(&session.operator, &id, &answer_url, status)
        .await;
    settle(&id, rung.map(|_| "ringing"))
}

/// `POST /operator/requests/{id}/release`
pub async fn release(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Checked(session, _): Checked<TokenOnly>,
) -> Result<Response, ConsoleError> {
    let id = known_shape(id)?;
    let released = app.desk.release(&session.operator, &id).await;
    settle(&id, released.map(|_| "released"))
}

/// The hand-over form: an operator's name, or empty to return the request to the queue.
#[derive(Deserialize)]
pub struct HandOverForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    operator: String,
}

impl Guarded for HandOverForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /operator/requests/{id}/reassign`: a supervisor takes the claim off its holder.
pub async fn reassign(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Checked(session, form): Checked<HandOverForm>,
) -> Result<Response, ConsoleError> {
    let id = known_shape(id)?;
    let to = Some(form.operator.trim()).filter(|name| !name.is_empty());
    let moved = app.desk.hand_over(&session.operator, &id, to).await;
    settle(
        &id,
        moved.map(|r| {
            if r.claimed_by.is_some() {
                "reassigned"
            } else {
                "released"
            }
        }),
    )
}

/// The call-back form.
#[derive(Deserialize)]
pub struct CompleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    notes: String,
}

impl Guarded for CompleteForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /operator/requests/{id}/complete`: records the call back; back to the queue, which
/// the request has left (or gone back to, after no answer).
pub async fn complete(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Checked(session, form): Checked<CompleteForm>,
) -> Result<Response, ConsoleError> {
    let id = known_shape(id)?;
    let Some(outcome) = Outcome::parse(&form.outcome) else {
        return settle(&id, Err(no_outcome()));
    };
    let recorded = app
        .desk
        .complete(&session.operator, &id, outcome, &form.notes)
        .await;
    match recorded {
        Ok(request) => {
            Ok(Redirect::to(&format!("/operator?done={}", settled(&request))).into_response())
        }
        Err(error) => settle(&id, Err(error)),
    }
}

/// `GET /operator/requests/{id}/recording`: the desk audits the playback, then the player is
/// sent to the provider's address, which never appears in a page.
pub async fn recording(
    State(app): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, ConsoleError> {
    let id = known_shape(id)?;
    let url = app.desk.recording(&session.operator, &id).await?;
    Ok(Redirect::to(&url).into_response())
}

/// Request ids are UUIDs. Anything else is no request, and never reaches a `Location` header.
fn known_shape(id: String) -> Result<String, ConsoleError> {
    let plausible =
        !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if plausible {
        Ok(id)
    } else {
        Err(DeskError::NotFound("callback request").into())
    }
}

/// Back to the request page, saying what happened. A conflict (someone else was quicker, the
/// request closed meanwhile) is news for the operator, not an error page.
fn settle(id: &str, outcome: Result<&'static str, DeskError>) -> Result<Response, ConsoleError> {
    let query = match outcome {
        Ok(done) => format!("done={done}"),
        Err(DeskError::Conflict { code, .. }) => format!("problem={code}"),
        Err(DeskError::Invalid(_)) => "problem=invalid".to_string(),
        Err(other) => return Err(other.into()),
    };
    Ok(Redirect::to(&format!("/operator/requests/{id}?{query}")).into_response())
}

fn no_outcome() -> DeskError {
    DeskError::Conflict {
        code: "no_outcome",
        message: "choose what happened on the call".into(),
    }
}

/// What recording an outcome did to the request, as a `done` code.
fn settled(request: &CallbackRequest) -> &'static str {
    match request.status {
        Status::Pending => "returned",
        Status::Unreachable => "unreachable",
        _ => "completed",
    }
}
