//! The operator console under `/operator`: server-rendered pages (askama templates in
//! `templates/console/`) over the same desk as the JSON API. Signed in with a password and a
//! session cookie; every form carries the session's CSRF token; every page is sent with
//! headers that keep it out of caches and frames and allow no inline script.

pub(super) mod blocks;
mod error;
pub(super) use error::with_navigation;
pub(super) mod events;
pub(super) mod flows;
pub(super) mod history;
pub(super) mod people;
pub(super) mod queue;
pub(super) mod reports;
pub(super) mod requests;
mod session;
pub(super) mod sign_in;
mod views;
pub(super) mod wallboard;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use error::ConsoleError;
use session::Session;
use views::pages::{self, ErrorPage};

/// Scripts and styles come only from this server (no inline code), forms post only to it,
/// and no other site may frame it. Recordings play from the provider's HTTPS address, to
/// which the audited recording route redirects.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self'; media-src 'self' https:; connect-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

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

/// Any other address under `/operator`: the console's own "not found" page, with its
/// navigation, for someone signed in; the sign-in form for anyone else.
pub(super) async fn not_found(session: Session) -> Result<Response, ConsoleError> {
    let page = ErrorPage {
        frame: session.frame("Not Found", ""),
        status: StatusCode::NOT_FOUND.as_u16(),
        message: "There is no such page in the console. Check the address, or start again \
                  from the queue."
            .into(),
        signed_out: false,
    };
    Ok(pages::render(StatusCode::NOT_FOUND, &page)?)
}
