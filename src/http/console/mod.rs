//! The operator console under `/operator`: server-rendered pages (askama templates in
//! `templates/console/`) over the same desk as the JSON API. Signed in with a password and a
//! session cookie; every form carries the session's CSRF token; every page is sent with
//! headers that keep it out of caches and frames and allow no inline script.

pub(super) mod blocks;
mod error;
pub(super) mod events;
pub(super) mod flows;
pub(super) mod queue;
pub(super) mod reports;
pub(super) mod requests;
mod session;
pub(super) mod sign_in;
mod views;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::http::state::AppState;
use crate::store::AuditFilter;
use error::ConsoleError;
use session::Session;
use views::pages::{self, AuditPage, AuditRow};
use views::when;

/// Scripts and styles come only from this server (no inline code), forms post only to it,
/// and no other site may frame it. Recordings play from the provider's HTTPS address, to
/// which the audited recording route redirects.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self'; media-src 'self' https:; connect-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The most audit entries one page shows.
const AUDIT_PAGE: i64 = 200;

/// Pages hold callers' data: never stored by a cache, never framed, never sniffed.
pub(super) async fn protect(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let fixed = [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

pub(super) async fn css() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("assets/console.css"),
    )
}

pub(super) async fn js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("assets/console.js"),
    )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// `GET /operator/audit`: the latest entries; the desk refuses anyone but supervisors.
pub(super) async fn audit(
    State(app): State<AppState>,
    session: Session,
) -> Result<Response, ConsoleError> {
    let filter = AuditFilter {
        limit: AUDIT_PAGE,
        ..AuditFilter::default()
    };
    let entries = app.desk.audit_log(&session.operator, &filter).await?;
    let zone = &app.flows.time_zone();
    let rows = entries
        .into_iter()
        .map(|entry| AuditRow {
            when: when::instant(entry.at, zone),
            when_iso: when::machine(entry.at),
            who: entry.operator_name.unwrap_or(entry.operator_id),
            action: entry.action.replace('_', " "),
            subject: entry.subject,
            detail: entry.detail,
        })
        .collect();
    let page = AuditPage {
        frame: session.frame("Audit log", "audit"),
        rows,
    };
    Ok(pages::render(StatusCode::OK, &page)?)
}
