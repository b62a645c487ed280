//! Signing in and out of the console. A wrong name and a wrong password get the same answer in
//! about the same time, so the form does not tell who has an account.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::ConsoleError;
use super::session::{self, Checked, TokenOnly};
use super::views::pages::{self, Flash, Frame, SignInPage};
use crate::http::state::AppState;
use crate::operators::Operator;
use crate::operators::credentials::{digest, new_token, verify_password};
use crate::store::NewSession;

/// The one answer to every failed sign-in.
const REFUSED: &str = "That name and password do not match an active account.";
/// Longer names are not names; keep them out of the page.
const MAX_NAME: usize = 100;

#[derive(Deserialize)]
pub struct SignInQuery {
    signed_out: Option<String>,
}

/// `GET /operator/sign-in`
pub async fn form(Query(query): Query<SignInQuery>) -> Result<Response, ConsoleError> {
    let flash = query.signed_out.map(|_| Flash {
        text: "You have signed out.".into(),
        problem: false,
    });
    let page = SignInPage {
        frame: Frame::anonymous("Sign in").with_flash(flash),
        name: String::new(),
        error: None,
    };
    Ok(pages::render(StatusCode::OK, &page)?)
}

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// `POST /operator/sign-in`
pub async fn sign_in(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(credentials): Form<Credentials>,
) -> Result<Response, ConsoleError> {
    if from_another_site(&headers, app.links.base()) {
        tracing::warn!("console sign-in refused: the form was posted from another site");
        return Err(ConsoleError::Csrf);
    }
    let name: String = credentials.name.trim().chars().take(MAX_NAME).collect();
    let device = session::cookie(&headers, session::DEVICE_COOKIE).map(digest);
    let Some(operator) = check(&app, &name, credentials.password, device.as_deref()).await? else {
        tracing::info!("console sign-in refused");
        let page = SignInPage {
            frame: Frame::anonymous("Sign in"),
            name,
            error: Some(REFUSED.into()),
        };
        return Ok(pages::render(StatusCode::UNAUTHORIZED, &page)?);
    };
    let token = new_token("hs_").map_err(unavailable)?;
    let csrf = new_token("").map_err(unavailable)?;
    let now = app.desk.now_ms();
    let length = i64::try_from(app.session_length.as_millis()).unwrap_or(i64::MAX);
    let session = NewSession {
        token_digest: digest(&token),
        operator_id: operator.id.clone(),
        csrf_token: csrf,
        at: now,
        expires_at: now.saturating_add(length),
    };
    app.store.add_session(&session).await?;
    tracing::info!(operator = %operator.name, "signed in to the console");
    let mut cookies = vec![(
        header::SET_COOKIE,
        session::start_cookie(&token, app.session_length, secure(&app)),
    )];
    if let Some(new) = remember_device(&app, &operator, device.as_deref(), now).await? {
        cookies.push((
            header::SET_COOKIE,
            session::device_cookie(&new, secure(&app)),
        ));
    }
    Ok((AppendHeaders(cookies), Redirect::to("/operator")).into_response())
}

/// The token of a browser the operator has just signed in from, if it was not yet known as
/// theirs.
async fn remember_device(
    app: &AppState,
    operator: &Operator,
    device: Option<&str>,
    now: i64,
) -> Result<Option<String>, ConsoleError> {
    if let Some(device) = device
        && app.store.known_device(device).await?.as_deref() == Some(operator.id.as_str())
    {
        app.store
            .add_known_device(device, &operator.id, now)
            .await?;
        return Ok(None);
    }
    let token = new_token("hd_").map_err(unavailable)?;
    app.store
        .add_known_device(&digest(&token), &operator.id, now)
        .await?;
    Ok(Some(token))
}

/// A sign-in posted by another site's page would sign this browser in to the sender's account
/// (login CSRF), and the operator would then work requests as someone else. The form has no
/// session to carry a token yet, but browsers say in `Sec-Fetch-Site` where a request comes
/// from, and browsers too old for it still send `Origin` with a form post, which must then be
/// the console's own (`public_url`'s scheme, host and port). A client that sends neither is
/// not a browser a page can make post.
fn from_another_site(headers: &HeaderMap, public_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site != "same-origin" && site != "none";
    }
    headers.get(header::ORIGIN).is_some_and(|origin| {
        !origin_of(public_url).eq_ignore_ascii_case(origin.to_str().unwrap_or("null"))
    })
}

/// `https://example.org` of `https://example.org/hotline`.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// How long a sign-in waits for a password check before it is asked to try again.
const PASSWORD_QUEUE: std::time::Duration = std::time::Duration::from_secs(3);

/// Failed sign-ins in a row after which an account refuses every password for a while.
const MAX_FAILED_SIGN_INS: i64 = 5;
/// How long that lasts (and is extended by each further failure).
const LOCKOUT_MS: i64 = 15 * 60 * 1000;

/// The active operator with this name and password. Argon2 is slow on purpose, so it runs
/// off the async workers; a missing, disabled or locked operator costs the same verification
/// and gets the same answer, so guessing learns nothing about accounts. The lock after failed
/// sign-ins does not hold against a browser the operator signed in from before (`device`, the
/// digest of its token): anyone may know a name, and must not lock its owner out. Such a
/// browser's own failures are counted apart, and the fifth makes it unknown again.
async fn check(
    app: &AppState,
    name: &str,
    password: String,
    device: Option<&str>,
) -> Result<Option<Operator>, ConsoleError> {
    let now = app.desk.now_ms();
    let found = app.store.sign_in(name).await?;
    let (operator, hash, locked) = match found {
        Some(found) if found.operator.active => {
            let locked = found.locked_until.is_some_and(|until| until > now);
            (Some(found.operator), found.password_hash, locked)
        }
        _ => (None, None, false),
    };
    let known = match (device, &operator) {
        (Some(device), Some(operator)) => {
            app.store.known_device(device).await?.as_deref() == Some(operator.id.as_str())
        }
        _ => false,
    };
    let locked = locked && !known;
    let slot = tokio::time::timeout(
        PASSWORD_QUEUE,
        Arc::clone(&app.password_checks).acquire_owned(),
    )
    .await;
    let Ok(Ok(slot)) = slot else {
        tracing::warn!("console sign-in refused: too many password checks waiting");
        return Err(ConsoleError::Busy);
    };
    let matches = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        verify_password(&password, hash.as_deref())
    })
    .await
    .unwrap_or(false);
    if operator.is_none() {
        return Ok(None);
    }
    if matches && !locked {
        // A known browser leaves the count of strangers' failures alone: they keep guessing
        // against the lock.
        if !known {
            app.store.sign_in_succeeded(name).await?;
        }
        return Ok(operator);
    }
    match device.filter(|_| known) {
        Some(device) => {
            app.store
                .known_device_failed(device, MAX_FAILED_SIGN_INS)
                .await?
        }
        None => {
            app.store
                .sign_in_failed(name, now + LOCKOUT_MS, MAX_FAILED_SIGN_INS)
                .await?
        }
    }
    if locked {
        tracing::warn!(operator = %name, "console sign-in refused: the account is locked after failed attempts");
    }
    Ok(None)
}

/// `POST /operator/sign-out`
pub async fn sign_out(
    State(app): State<AppState>,
    Checked(session, _): Checked<TokenOnly>,
) -> Result<Response, ConsoleError> {
    app.store.end_session(&session.digest).await?;
    // Signing out ends the day's mark too: nobody counts as available who has left.
    app.desk.set_available(&session.operator, false).await?;
    let cookie = session::end_cookie(secure(&app));
    let back = format!("{}?signed_out=1", super::error::SIGN_IN);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response())
}

/// Browsers keep a `Secure` cookie off plain HTTP, so it is set only when the server is
/// reached over HTTPS.
fn secure(app: &AppState) -> bool {
    app.links.base().starts_with("https://")
}

fn unavailable(error: crate::operators::credentials::CredentialError) -> ConsoleError {
    tracing::error!(%error, "console: no session token could be made");
    ConsoleError::Internal
}
