//! Errors of the console as HTML pages, with the statuses the API uses for the same desk
//! errors. Internal detail is logged, never shown.

use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::session::Session;
use super::views::pages::{ErrorPage, Frame};
use crate::desk::DeskError;
use crate::http::state::AppState;
use crate::store::StoreError;

/// Where the sign-in form is.
pub const SIGN_IN: &str = "/operator/sign-in";

/// Why a console request was refused.
#[derive(Debug)]
pub enum ConsoleError {
    /// No valid session. Pages a person navigates to send them to the sign-in form; requests
    /// made by the page's script (and form posts) get 401, which the script turns into a reload.
    SignedOut {
        /// Whether a browser navigated here (a plain GET of a page).
        navigate: bool,
    },
    /// The form's CSRF token is not the session's.
    Csrf,
    /// The form could not be read.
    BadForm,
    /// What the desk refused.
    Desk(DeskError),
    /// Something failed inside the server (a page did not render, no randomness).
    Internal,
    /// Too many sign-ins are being checked at once; the person may try again at once.
    Busy,
}

impl From<DeskError> for ConsoleError {
    fn from(error: DeskError) -> Self {
        ConsoleError::Desk(error)
    }
}

impl From<StoreError> for ConsoleError {
    fn from(error: StoreError) -> Self {
        ConsoleError::Desk(DeskError::from(error))
    }
}

impl From<askama::Error> for ConsoleError {
    fn from(error: askama::Error) -> Self {
        tracing::error!(%error, "console: a page failed to render");
        ConsoleError::Internal
    }
}

impl ConsoleError {
    fn status_and_message(&self) -> (StatusCode, String) {
        match self {
            ConsoleError::SignedOut { .. } => (
                StatusCode::UNAUTHORIZED,
                "You are not signed in, or your session has ended. Sign in again.".into(),
            ),
            ConsoleError::Csrf => (
                StatusCode::FORBIDDEN,
                "This form is out of date (it came from an older page or another site). Go back, \
                 reload the page and try again."
                    .into(),
            ),
            ConsoleError::BadForm => (
                StatusCode::BAD_REQUEST,
                "The form could not be read. Reload the page and try again.".into(),
            ),
            ConsoleError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "This page could not be shown. Try again; if it keeps happening, tell a supervisor."
                    .into(),
            ),
            ConsoleError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Many sign-ins are being checked at the moment. Wait a few seconds and try again."
                    .into(),
            ),
            ConsoleError::Desk(error) => desk_status(error),
        }
    }
}

/// The API's mapping (`http/api/error.rs`), with words for people.
fn desk_status(error: &DeskError) -> (StatusCode, String) {
    match error {
        DeskError::NotFound(what) => (
            StatusCode::NOT_FOUND,
            format!("There is no such {what}, or it is not in your categories."),
        ),
        DeskError::Forbidden(why) => (StatusCode::FORBIDDEN, sentence(why)),
        // Conflict messages may begin with an operator's name, which keeps its spelling.
        DeskError::Conflict { message, .. } => (StatusCode::CONFLICT, full_stop(message)),
        DeskError::Invalid(message) => (StatusCode::UNPROCESSABLE_ENTITY, sentence(message)),
        DeskError::Store(inner) => {
            tracing::error!(error = %inner, "console: storage failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "The database is unavailable. Try again in a moment.".into(),
            )
        }
    }
}

/// The desk's messages are lower-case phrases; a page shows them as a sentence.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    full_stop(&format!("{first}{}", chars.as_str()))
}

fn full_stop(text: &str) -> String {
    if text.ends_with('.') {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// What an error page said, kept on its response so that [`with_navigation`] can draw it
/// again inside the signed-in frame.
#[derive(Clone)]
struct Shown {
    status: StatusCode,
    message: String,
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        if let ConsoleError::SignedOut { navigate: true } = self {
            return Redirect::to(SIGN_IN).into_response();
        }
        let (status, message) = self.status_and_message();
        let signed_out = matches!(self, ConsoleError::SignedOut { .. });
        let frame = Frame::anonymous(status.canonical_reason().unwrap_or("Error"));
        let mut response = error_page(frame, status, message.clone(), signed_out);
        if !signed_out {
            response.extensions_mut().insert(Shown { status, message });
        }
        response
    }
}

fn error_page(frame: Frame, status: StatusCode, message: String, signed_out: bool) -> Response {
    let page = ErrorPage {
        frame,
        status: status.as_u16(),
        message,
        signed_out,
    };
    match page.render() {
        Ok(html) => super::views::pages::html(status, html),
        // The error page has no data that can fail to render; plain text is the last resort.
        Err(_) => (status, "error").into_response(),
    }
}

/// An error page shown to someone signed in carries the console's navigation, so a refused
/// or mistyped page is no dead end. The handler that failed had no frame to draw it in; the
/// session is read again here, only for such pages.
pub async fn with_navigation(
    State(app): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let headers = parts.headers.clone();
    let response = next.run(Request::from_parts(parts.clone(), body)).await;
    let Some(shown) = response.extensions().get::<Shown>().cloned() else {
        return response;
    };
    parts.headers = headers;
    let Ok(session) = Session::from_request_parts(&mut parts, &app).await else {
        return response;
    };
    let title = shown.status.canonical_reason().unwrap_or("Error");
    error_page(session.frame(title, ""), shown.status, shown.message, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desk_errors_keep_the_api_statuses() {
        let cases = [
            (DeskError::NotFound("callback request"), 404),
            (
                DeskError::Forbidden("the audit log is for supervisors"),
                403,
            ),
            (
                DeskError::Conflict {
                    code: "already_claimed",
                    message: "ana has already claimed this request".into(),
                },
                409,
            ),
            (DeskError::Invalid("no".into()), 422),
            (DeskError::Store(StoreError::WriterGone), 503),
        ];
        for (error, status) in cases {
            assert_eq!(desk_status(&error).0.as_u16(), status, "{error:?}");
        }
        let (_, message) = desk_status(&DeskError::Conflict {
            code: "already_claimed",
            message: "ana has already claimed this request".into(),
        });
        assert_eq!(message, "ana has already claimed this request.");
        assert_eq!(sentence("not your category"), "Not your category.");
    }
}
