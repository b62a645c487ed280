//! Who is using the console: the operator behind the `hotline_session` cookie, and forms that
//! carry the session's CSRF token.

use std::time::Duration;

use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use serde::de::DeserializeOwned;

use super::error::ConsoleError;
use super::views::pages::Frame;
use crate::http::state::AppState;
use crate::operators::Operator;
use crate::operators::credentials::{digest, same_secret};

/// The session cookie's name.
pub const COOKIE: &str = "hotline_session";

/// Console requests made by the page's script rather than by a person navigating: answered
/// 401 when signed out, because a redirect to a form would be inserted into the page.
const BACKGROUND: [&str; 3] = [
    "/operator/events",
    "/operator/queue",
    "/operator/wallboard/section",
];

/// Whether the page's own script made the request (the queue's updates, a call back's
/// progress), on its own while the page stays open: that says nothing about whether the
/// operator is still at their desk, so it keeps no mark of availability alive.
fn by_script(path: &str) -> bool {
    BACKGROUND.contains(&path) || path.ends_with("/live-call")
}

/// A signed-in operator.
pub struct Session {
    /// Who.
    pub operator: Operator,
    /// The token every form of this session carries.
    pub csrf: String,
    /// The digest the session is stored under.
    pub digest: String,
}

impl Session {
    /// The frame of a page this session sees.
    pub fn frame(&self, title: &str, current: &'static str) -> Frame {
        Frame::signed_in(title, &self.operator, &self.csrf, current)
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ConsoleError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ConsoleError> {
        let navigate = parts.method == Method::GET && !BACKGROUND.contains(&parts.uri.path());
        let token = cookie(&parts.headers, COOKIE).ok_or(ConsoleError::SignedOut { navigate })?;
        let digest = digest(token);
        let (operator, csrf) = app
            .store
            .session(&digest, app.desk.now_ms())
            .await?
            .ok_or(ConsoleError::SignedOut { navigate })?;
        if !by_script(parts.uri.path()) {
            app.desk.saw_activity(&operator).await;
        }
        Ok(Session {
            operator,
            csrf,
            digest,
        })
    }
}

/// A form that changes something: it must carry the session's CSRF token.
pub trait Guarded {
    /// The token the form carried.
    fn csrf(&self) -> &str;
}

/// A form with nothing but its token (sign-out, claim, release).
#[derive(serde::Deserialize)]
pub struct TokenOnly {
    #[serde(default)]
    csrf: String,
}

impl Guarded for TokenOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// The session and a form whose token matched it.
pub struct Checked<T>(pub Session, pub T);

impl<T> FromRequest<AppState> for Checked<T>
where
    T: DeserializeOwned + Guarded + Send,
{
    type Rejection = ConsoleError;

    async fn from_request(request: Request, app: &AppState) -> Result<Self, ConsoleError> {
        let (mut parts, body) = request.into_parts();
        let session = Session::from_request_parts(&mut parts, app).await?;
        let request = Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(request, app)
            .await
            .map_err(|_| ConsoleError::BadForm)?;
        if !same_secret(form.csrf(), &session.csrf) {
            return Err(ConsoleError::Csrf);
        }
        Ok(Checked(session, form))
    }
}

/// The value of the cookie `name`, if the request carries a non-empty one.
pub(super) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value)
}

/// The `Set-Cookie` value that starts a session. `Path=/operator` keeps the cookie away from
/// the webhooks and the API; `SameSite=Strict` keeps other sites from sending it.
pub fn start_cookie(token: &str, length: Duration, secure: bool) -> String {
    console_cookie(COOKIE, token, length.as_secs(), secure)
}

/// A console cookie: scoped to `/operator`, out of scripts' reach, never sent by other sites.
fn console_cookie(name: &str, value: &str, max_age_seconds: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{name}={value}; Max-Age={max_age_seconds}; Path=/operator; HttpOnly; SameSite=Strict{secure}"
    )
}

/// The cookie that marks a browser the operator signed in from before.
pub const DEVICE_COOKIE: &str = "hotline_device";

/// How long a browser stays known without signing in again.
const DEVICE_DAYS: u64 = 180;

/// The `Set-Cookie` value that marks this browser as one the operator signs in from.
pub fn device_cookie(token: &str, secure: bool) -> String {
    console_cookie(DEVICE_COOKIE, token, DEVICE_DAYS * 24 * 3600, secure)
}

/// The `Set-Cookie` value that makes the browser forget the session.
pub fn end_cookie(secure: bool) -> String {
    start_cookie("", Duration::ZERO, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; hotline_session="),
        );
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("theme=dark;hotline_session=hs_abc; b=2"),
        );
        assert_eq!(cookie(&headers, COOKIE), Some("hs_abc"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn cookies_are_scoped_and_secure_over_https() {
        let cookie = start_cookie("hs_x", Duration::from_secs(3600), true);
        assert_eq!(
            cookie,
            "hotline_session=hs_x; Max-Age=3600; Path=/operator; HttpOnly; SameSite=Strict; Secure"
        );
        assert!(end_cookie(false).starts_with("hotline_session=; Max-Age=0;"));
        assert!(!end_cookie(false).contains("Secure"));
    }
}
