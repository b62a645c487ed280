//! The queue page: per category the operator works, who waits live and which callback
//! requests wait, oldest and most urgent first, as the desk orders them. The same section is
//! served alone for the page's script to swap in when the queue changes.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::error::ConsoleError;
use super::session::Session;
use super::views::pages::{self, QueueFragment, QueuePage};
use super::views::{flash, queue as queue_view};
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
    let queue = view(&app, &session.operator).await?;
    let flash = query.done.as_deref().and_then(flash::done);
    let page = QueuePage {
        frame: session.frame("Queue", "queue").with_flash(flash),
        queue,
    };
    Ok(pages::render(StatusCode::OK, &page)?)
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
