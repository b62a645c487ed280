//! The block list on the console: supervisors see the numbers blocked now, block one with a
//! reason and a length of time, and lift a block. The desk checks the role and audits each.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::ConsoleError;
use super::session::{Checked, Guarded, Session, TokenOnly};
use super::views::pages::{self, BlockRow, BlockedPage, Flash};
use super::views::when;
use crate::desk::DeskError;
use crate::desk::blocks::BlockAsked;
use crate::http::state::AppState;

/// The lengths a block may be given, in days; 0 is "until unblocked".
const LENGTHS_DAYS: [i64; 4] = [1, 7, 30, 0];

/// What a redirect back to the page says happened.
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// `GET /operator/blocked`.
pub async fn page(
    State(app): State<AppState>,
    session: Session,
    Query(done): Query<Done>,
) -> Result<Response, ConsoleError> {
    let flash = match done.done.as_deref() {
        Some("blocked") => Some("Blocked: the number's next call hears the line's refusal."),
        Some("unblocked") => Some("Unblocked: the number's next call goes through."),
        _ => None,
    }
    .map(|text| Flash {
        text: text.into(),
        problem: false,
    });
    render(&app, &session, flash, StatusCode::OK).await
}

/// The block form.
#[derive(Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: i64,
}

impl Guarded for BlockForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /operator/blocked`: blocks the number, or shows the page again saying what to fix.
pub async fn block(
    State(app): State<AppState>,
    Checked(session, form): Checked<BlockForm>,
) -> Result<Response, ConsoleError> {
    let days = if LENGTHS_DAYS.contains(&form.days) {
        form.days
    } else {
        0
    };
    let now = app.clock.now().as_millisecond();
    let asked = BlockAsked {
        number: &form.number,
        reason: &form.reason,
        expires_at: (days > 0).then(|| now + days * 24 * 3600 * 1000),
    };
    match app.desk.block_number(&session.operator, asked).await {
        Ok(_) => Ok(Redirect::to("/operator/blocked?done=blocked").into_response()),
        // The desk's own words, never the form's: they say what to fix.
        Err(DeskError::Invalid(message)) => {
            let flash = Some(Flash {
                text: message.replace('`', ""),
                problem: true,
            });
            render(&app, &session, flash, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /operator/blocked/{id}/unblock`.
pub async fn unblock(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Checked(session, _): Checked<TokenOnly>,
) -> Result<Response, ConsoleError> {
    app.desk.unblock_number(&session.operator, &id).await?;
    Ok(Redirect::to("/operator/blocked?done=unblocked").into_response())
}

async fn render(
    app: &AppState,
    session: &Session,
    flash: Option<Flash>,
    status: StatusCode,
) -> Result<Response, ConsoleError> {
    let blocks = app.desk.blocks(&session.operator).await?;
    let zone = &app.flows.time_zone();
    let rows = blocks
        .into_iter()
        .map(|b| BlockRow {
            id: b.id,
            number: b.masked_number,
            reason: b.reason,
            who: b.operator_name.unwrap_or(b.operator_id),
            since: when::instant(b.created_at, zone),
            until: b
                .expires_at
                .map_or_else(|| "until unblocked".into(), |at| when::instant(at, zone)),
        })
        .collect();
    let page = BlockedPage {
        frame: session
            .frame("Blocked numbers", "blocked")
            .with_flash(flash),
        rows,
        csrf: session.csrf.clone(),
    };
    Ok(pages::render(status, &page)?)
}
