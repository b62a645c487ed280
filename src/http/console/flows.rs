//! The flows page: each loaded hotline with its version and when it was loaded, its picture,
//! and, when staff saved a change that could not be loaded, what is wrong with it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::error::ConsoleError;
use super::session::Session;
use super::views::pages::{self, FlowView, FlowsPage};
use super::views::when;
use crate::authoring::{graph, picture};
use crate::http::state::AppState;

/// `GET /operator/flows`.
pub async fn page(State(app): State<AppState>, session: Session) -> Result<Response, ConsoleError> {
    let catalog = app.flows.catalog();
    let zone = app.flows.time_zone();
    let flows = catalog
        .current
        .flows()
        .map(|flow| FlowView {
            id: flow.id.clone(),
            name: flow.name.clone(),
            version: flow.version.clone(),
            numbers: flow.numbers.join(", "),
            languages: flow
                .languages
                .iter()
                .map(|l| l.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
            picture: picture::svg(&graph::build(flow), &format!("n_{}", flow.start)),
        })
        .collect();
    let page = FlowsPage {
        frame: session.frame("Call flows", "flows"),
        loaded_at: when::instant(catalog.loaded_at, &zone),
        rejected: catalog
            .failure
            .as_ref()
            .map(|f| (when::instant(f.at, &zone), f.problems.clone())),
        flows,
    };
    Ok(pages::render(StatusCode::OK, &page)?)
}
