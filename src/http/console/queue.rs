//! The queue page: per category the operator works, who waits live and which callback
//! requests wait, oldest and most urgent first, as the desk orders them. The same section is
//! served alone for the page's script to swap in when the queue changes.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::error::ConsoleError;
use super::pages::{self, Frame, QueueFragment, QueuePage, heading, language_name};
use super::requests;
use super::session::Session;
use super::when;
use crate::callbacks::Status;
use crate::catalog::FlowSet;
use crate::desk::QueueSnapshot;
use crate::desk::snapshot::{CallbackItem, CategoryQueue, LiveItem};
use crate::http::AppState;
use crate::operators::Operator;

/// The queue as the templates show it.
pub struct QueueView {
    pub as_of: String,
    pub as_of_iso: String,
    pub categories: Vec<CategoryView>,
}

/// One category.
pub struct CategoryView {
    pub id: String,
    pub heading: String,
    pub live: Vec<LiveRow>,
    pub callbacks: Vec<CallbackRow>,
    pub oldest_live: Option<String>,
    pub oldest_callback: Option<String>,
    pub overdue: usize,
    pub target: String,
}

/// A caller on hold.
pub struct LiveRow {
    pub language: String,
    pub wait: String,
    pub position: String,
}

/// An open callback request.
pub struct CallbackRow {
    pub id: String,
    pub wait: String,
    pub overdue: bool,
    pub language: String,
    pub status: String,
    pub mine: bool,
    pub message: &'static str,
    pub no_message: bool,
    pub recording: &'static str,
    pub attempts: i64,
}

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
    let flash = query.done.as_deref().and_then(requests::done);
    let page = QueuePage {
        frame: Frame::signed_in("Queue", &session, "queue").with_flash(flash),
        queue,
    };
    pages::render(StatusCode::OK, &page)
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

async fn view(app: &AppState, operator: &Operator) -> Result<QueueView, ConsoleError> {
    let snapshot = app.desk.snapshot(operator).await?;
    let zone = &app.flows.time_zone();
    Ok(shape(&snapshot, &app.flows.current(), zone, &operator.name))
}

fn shape(snapshot: &QueueSnapshot, flows: &FlowSet, zone: &TimeZone, me: &str) -> QueueView {
    QueueView {
        as_of: when::instant(snapshot.at, zone),
        as_of_iso: when::machine(snapshot.at),
        categories: snapshot
            .categories
            .iter()
            .map(|c| category(c, flows, me))
            .collect(),
    }
}

fn category(queue: &CategoryQueue, flows: &FlowSet, me: &str) -> CategoryView {
    CategoryView {
        id: queue.id.clone(),
        heading: heading(&queue.label),
        live: queue.live.iter().map(|c| live(c, flows)).collect(),
        callbacks: queue
            .callbacks
            .iter()
            .map(|r| callback(r, flows, me))
            .collect(),
        oldest_live: queue.oldest_live_seconds().map(when::wait),
        oldest_callback: queue.oldest_callback_seconds().map(when::wait),
        overdue: queue.callbacks.iter().filter(|r| r.overdue).count(),
        target: when::wait(queue.callback_target_seconds),
    }
}

fn live(caller: &LiveItem, flows: &FlowSet) -> LiveRow {
    LiveRow {
        language: language_name(flows, &caller.language),
        wait: when::wait(caller.waited_seconds),
        position: caller
            .position
            .map_or_else(|| "not known yet".to_string(), |p| p.to_string()),
    }
}

fn callback(request: &CallbackItem, flows: &FlowSet, me: &str) -> CallbackRow {
    let mine = request.claimed_by.as_deref() == Some(me);
    let status = match (request.status, &request.claimed_by) {
        (Status::Claimed, _) if mine => "Claimed by you".to_string(),
        (Status::Claimed, Some(who)) => format!("Claimed by {who}"),
        (Status::Claimed, None) => "Claimed".to_string(),
        _ => "Waiting".to_string(),
    };
    let (message, no_message) = match request.safe_to_leave_message {
        Some(true) => ("Yes", false),
        Some(false) => ("NO", true),
        None => ("Not asked", false),
    };
    CallbackRow {
        id: request.id.clone(),
        wait: when::wait(request.waited_seconds),
        overdue: request.overdue,
        language: language_name(flows, &request.language),
        status,
        mine,
        message,
        no_message,
        recording: if request.has_recording { "Yes" } else { "No" },
        attempts: request.no_answer_attempts,
    }
}
