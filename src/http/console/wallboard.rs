//! The supervisors' wallboard: per category the callers waiting live and the longest wait, the
//! callback requests due now and overdue, and the operators available, in type large enough to
//! read across a room. The same section is served alone for the page's script to swap in when
//! the event stream says it changed. Counts only, so nothing here is audited.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::error::ConsoleError;
use super::session::Session;
use super::views::pages::{self, WallboardFragment, WallboardPage};
use super::views::wallboard::{self as wallboard_view, WallboardView};
use crate::http::state::AppState;
use crate::operators::Operator;

/// `GET /operator/wallboard`; the desk refuses anyone but supervisors.
pub async fn page(State(app): State<AppState>, session: Session) -> Result<Response, ConsoleError> {
    let page = WallboardPage {
        board: view(&app, &session.operator).await?,
        frame: session.frame("Wallboard", "wallboard"),
    };
    Ok(pages::render(StatusCode::OK, &page)?)
}

/// `GET /operator/wallboard/section`: the figures alone.
pub async fn fragment(
    State(app): State<AppState>,
    session: Session,
) -> Result<Response, ConsoleError> {
    let html = section(&app, &session.operator).await?;
    Ok(pages::html(StatusCode::OK, html))
}

/// The figures as HTML: what the fragment serves and what the event stream compares.
pub async fn section(app: &AppState, operator: &Operator) -> Result<String, ConsoleError> {
    let board = view(app, operator).await?;
    Ok(askama::Template::render(&WallboardFragment { board })?)
}

async fn view(app: &AppState, operator: &Operator) -> Result<WallboardView, ConsoleError> {
    let board = app.desk.wallboard(operator).await?;
    Ok(wallboard_view::shape(&board, &app.flows.time_zone()))
}
