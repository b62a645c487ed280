//! The queue page: per category the operator works, who waits live and which callback
//! requests wait, oldest and most urgent first, as the desk orders them. The same section is
//! served alone for the page's script to swap in when the queue changes. The page also holds
//! the operator's "available" mark.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::ConsoleError;
use super::session::{Checked, Guarded, Session};
use super::views::pages::{self, QueueFragment, QueuePage};
use super::views::{flash, queue as queue_view, when};
use crate::http::state::AppState;
use crate::operators::Operator;

#[derive(Deserialize)]
pub struct QueueQuery {
    done: Option<String>,
}

/// `GET /operator`
pub async fn page(
    State(app): State<AppState>,
    session: Session,
    Query(query): Query<QueueQuery>,
) -> Result<Response, ConsoleError> {
    let mut queue = view(&app, &session.operator).await?;
    let flash = query.done.as_deref().and_then(flash::done);
    queue.focus_next = flash.is_some();
    let title = match queue.waiting_live {
        0 => "Queue".to_string(),
        n => format!("({n} waiting) Queue"),
    };
    let presence = app.desk.presence_of(&session.operator).await?;
    let zone = &app.flows.time_zone();
    let page = QueuePage {
        frame: session.frame(&title, "queue").with_flash(flash),
        queue,
        available_until: presence.until.map(|at| when::instant(at, zone)),
        presence,
        csrf: session.csrf.clone(),
    };
    Ok(pages::render(StatusCode::OK, &page)?)
}

/// The availability form.
#[derive(serde::Deserialize)]
pub struct PresenceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    available: bool,
}

impl Guarded for PresenceForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /operator/presence`: marks the operator available or not; back to the queue.
pub async fn presence(
    State(app): State<AppState>,
    Checked(session, form): Checked<PresenceForm>,
) -> Result<Response, ConsoleError> {
    app.desk
        .set_available(&session.operator, form.available)
        .await?;
    Ok(Redirect::to("/operator").into_response())
}

/// `GET /operator/queue`: the queue section alone.
pub async fn fragment(
    State(app): State<AppState>,
    session: Session,
) -> Result<Response, ConsoleError> {
    let html = section(&app, &session.operator).await?;
    Ok(pages::html(StatusCode::OK, html))
}

/// The queue section as HTML: what the fragment serves and what the event stream compares.
pub async fn section(app: &AppState, operator: &Operator) -> Result<String, ConsoleError> {
    let queue = view(app, operator).await?;
    Ok(askama::Template::render(&QueueFragment { queue })?)
}

async fn view(app: &AppState, operator: &Operator) -> Result<queue_view::QueueView, ConsoleError> {
    let snapshot = app.desk.snapshot(operator).await?;
    let zone = &app.flows.time_zone();
    Ok(queue_view::shape(
        &snapshot,
        &app.flows.current(),
        zone,
        &operator.name,
    ))
}
