//! What is over, in the console: the history page (closed requests and the calls of a period,
//! by category, outcome and number) and the audit log with its filters. The desk checks who
//! may search what and audits the searches.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::error::ConsoleError;
use super::reports::{Period, period};
use super::session::{Checked, Guarded, Session};
use super::views::history::{
    AUDIT_ACTIONS, AuditPage, HistoryPage, audit_row, call_row, closed_row, outcome_choices,
};
use super::views::pages;
use crate::callbacks::Outcome;
use crate::desk::HistoryQuery;
use crate::http::state::AppState;
use crate::operators::Operator;
use crate::store::AuditFilter;

/// The most audit entries one page shows.
const AUDIT_PAGE: i64 = 200;

/// The filters a link may carry. The number is not one of them: a URL lands in the browser's
/// history and in the access log of the proxy in front, so it comes in a posted form.
#[derive(Deserialize, Default)]
pub struct HistoryForm {
    #[serde(flatten)]
    period: Period,
    #[serde(default)]
    category: String,
    #[serde(default)]
    outcome: String,
}

/// The search form as posted: the filters and the number.
#[derive(Deserialize)]
pub struct HistorySearch {
    csrf: String,
    #[serde(flatten)]
    filters: HistoryForm,
    #[serde(default)]
    number: String,
}

impl Guarded for HistorySearch {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `GET /operator/history`: the last seven days unless asked otherwise.
pub async fn page(
    State(app): State<AppState>,
    session: Session,
    Query(form): Query<HistoryForm>,
) -> Result<Response, ConsoleError> {
    show(&app, &session, form, String::new()).await
}

/// `POST /operator/history`: the same page, searched for a number too.
pub async fn search(
    State(app): State<AppState>,
    Checked(session, search): Checked<HistorySearch>,
) -> Result<Response, ConsoleError> {
    show(&app, &session, search.filters, search.number).await
}

async fn show(
    app: &AppState,
    session: &Session,
    form: HistoryForm,
    number: String,
) -> Result<Response, ConsoleError> {
    let (first, last, from, to) = period(app, &form.period)?;
    let query = HistoryQuery {
        from,
        to,
        category: Some(form.category.clone()).filter(|c| !c.is_empty()),
        outcome: Outcome::parse(&form.outcome),
        number: Some(number.clone()).filter(|n| !n.trim().is_empty()),
    };
    let found = app.desk.history(&session.operator, &query).await?;
    let zone = &app.flows.time_zone();
    let page = HistoryPage {
        frame: session.frame("History", "history"),
        from: first.to_string(),
        to: last.to_string(),
        categories: categories(app, &session.operator),
        category: form.category,
        outcomes: outcome_choices(),
        outcome: form.outcome,
        number,
        csrf: session.csrf.clone(),
        requests: (found.requests.iter())
            .map(|r| closed_row(r, &app.desk, zone))
            .collect(),
        calls: (found.calls.iter())
            .map(|c| call_row(c, &app.desk, zone))
            .collect(),
    };
    Ok(pages::render(StatusCode::OK, &page)?)
}

/// The categories `operator` may search, as `(id, title)`, by title.
fn categories(app: &AppState, operator: &Operator) -> Vec<(String, String)> {
    let flows = app.flows.current();
    let mut found: Vec<(String, String)> = flows
        .flows()
        .flat_map(|f| f.categories.keys())
        .filter(|id| operator.works(id))
        .map(|id| (id.clone(), app.desk.category_title(id)))
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    found.dedup();
    found
}

#[derive(Deserialize, Default)]
pub struct AuditForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    operator: String,
    #[serde(default)]
    action: String,
}

/// `GET /operator/audit`: the latest entries, narrowed by the filters chosen; the desk
/// refuses anyone but supervisors.
pub async fn audit(
    State(app): State<AppState>,
    session: Session,
    Query(form): Query<AuditForm>,
) -> Result<Response, ConsoleError> {
    let dated = !(form.from.is_empty() && form.to.is_empty());
    let range = if dated {
        let asked = Period {
            from: Some(form.from.clone()),
            to: Some(form.to.clone()),
        };
        let (first, last, from, to) = period(&app, &asked)?;
        Some((first.to_string(), last.to_string(), from, to))
    } else {
        None
    };
    let filter = AuditFilter {
        from: range.as_ref().map(|r| r.2),
        to: range.as_ref().map(|r| r.3),
        operator: Some(form.operator.clone()).filter(|o| !o.is_empty()),
        action: Some(form.action.clone()).filter(|a| !a.is_empty()),
        limit: AUDIT_PAGE,
        ..AuditFilter::default()
    };
    let entries = app.desk.audit_log(&session.operator, &filter).await?;
    let zone = &app.flows.time_zone();
    let mut operators: Vec<String> = (app.desk.store().operators().await)
        .map_err(crate::desk::DeskError::from)?
        .into_iter()
        .map(|o| o.name)
        .collect();
    operators.sort();
    let (from, to) = range.map(|r| (r.0, r.1)).unwrap_or_default();
    let page = AuditPage {
        frame: session.frame("Audit log", "audit"),
        rows: entries.into_iter().map(|e| audit_row(e, zone)).collect(),
        from,
        to,
        operators,
        operator: form.operator,
        actions: AUDIT_ACTIONS,
        action: form.action,
    };
    Ok(pages::render(StatusCode::OK, &page)?)
}
