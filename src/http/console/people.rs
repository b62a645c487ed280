//! The people page on the console: supervisors see everyone on the roster as they stand now
//! and replace someone's weekly shifts with a form (an empty field clears them). The desk
//! checks the role, reads the shifts as the command line does and audits each change.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::ConsoleError;
use super::session::{Checked, Guarded, Session};
use super::views::pages::{self, Flash};
use super::views::people::{PeoplePage, PersonRow, person_row};
use crate::desk::{DeskError, Person};
use crate::http::state::AppState;

/// What a redirect back to the page says happened: whose shifts were saved, by id.
#[derive(Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

/// `GET /operator/people`.
pub async fn page(
    State(app): State<AppState>,
    session: Session,
    Query(saved): Query<Saved>,
) -> Result<Response, ConsoleError> {
    let people = app.desk.people(&session.operator).await?;
    let flash = saved
        .saved
        .and_then(|id| people.iter().find(|p| p.operator.id == id))
        .map(|p| Flash {
            text: match p.shifts.is_empty() {
                true => format!("{} has no shifts now.", p.operator.name),
                false => format!("{}'s shifts are now: {}.", p.operator.name, p.shifts),
            },
            problem: false,
        });
    render(&session, &app, rows(&app, &people), flash, StatusCode::OK)
}

/// The shifts form.
#[derive(Deserialize)]
pub struct ShiftsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    shifts: String,
}

impl Guarded for ShiftsForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /operator/people/shifts`: replaces the shifts, or shows the page again with what was
/// typed and the words that say how to write it.
pub async fn set_shifts(
    State(app): State<AppState>,
    Checked(session, form): Checked<ShiftsForm>,
) -> Result<Response, ConsoleError> {
    let asked = [form.shifts.clone()];
    match app
        .desk
        .set_shifts(&session.operator, &form.name, &asked)
        .await
    {
        Ok(person) => {
            let id = &person.operator.id;
            let to = format!("/operator/people?saved={id}#person-{id}");
            Ok(Redirect::to(&to).into_response())
        }
        Err(DeskError::Invalid(message)) => {
            let people = app.desk.people(&session.operator).await?;
            let mut rows = rows(&app, &people);
            let typed = rows.iter_mut().find(|r| r.name == form.name);
            let row = typed.ok_or(ConsoleError::Desk(DeskError::NotFound("operator")))?;
            row.field = form.shifts;
            row.problem = Some(message.clone());
            let flash = Some(Flash {
                text: format!("The shifts of {} were not changed: {message}", form.name),
                problem: true,
            });
            render(
                &session,
                &app,
                rows,
                flash,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(other) => Err(other.into()),
    }
}

fn rows(app: &AppState, people: &[Person]) -> Vec<PersonRow> {
    let flows = app.flows.current();
    let zone = app.flows.time_zone();
    people
        .iter()
        .map(|p| person_row(p, &flows, &zone))
        .collect()
}

fn render(
    session: &Session,
    app: &AppState,
    rows: Vec<PersonRow>,
    flash: Option<Flash>,
    status: StatusCode,
) -> Result<Response, ConsoleError> {
    let zone = app.flows.time_zone();
    let page = PeoplePage {
        frame: session.frame("People", "people").with_flash(flash),
        rows,
        zone: zone
            .iana_name()
            .unwrap_or("the default hotline's time zone")
            .into(),
        csrf: session.csrf.clone(),
    };
    Ok(pages::render(status, &page)?)
}
