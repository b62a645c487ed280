//! `GET /operator/events`: server-sent events that tell a live page when what it shows changed:
//! the queue page by default, the wallboard with `?view=wallboard`. The stream renders that
//! page's section from the database and sends `queue` when the result differs from the last
//! one. It looks when the store says something changed (`Store::changes`: every instance's
//! change on PostgreSQL, this process's on SQLite), at most once per `GAP` so a surge of
//! callers costs each page a few looks a second, and on a timer as well: every `SAFETY_POLL`
//! while changes are heard of, for what changes with time alone (a wait passing a minute, a
//! request falling due, a session expiring), and every `POLL` while they are not. The database
//! stays the only source of what is shown, and the comparison is of what the operator would
//! see, so a change nobody can see sends nothing.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use tokio::sync::watch;
use tokio::time::Instant;

use super::error::ConsoleError;
use super::session::Session;
use super::{queue, wallboard};
use crate::desk::DeskError;
use crate::http::state::AppState;
use crate::store::Changes;

/// The least time between two looks: changes within it are seen together by the next look.
const GAP: Duration = Duration::from_millis(200);
/// How often a page looks while every change is heard of.
const SAFETY_POLL: Duration = Duration::from_secs(10);
/// How often a page looks while other instances' changes are not heard of.
const POLL: Duration = Duration::from_secs(2);

/// Which page's section a stream watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    Queue,
    Wallboard,
}

/// The stream's query.
#[derive(serde::Deserialize)]
pub struct Watched {
    view: Option<View>,
}

struct Watch {
    app: AppState,
    view: View,
    digest: String,
    last: Option<String>,
    changes: watch::Receiver<Changes>,
    /// Set when the store stopped telling of changes; the timer is left then.
    deaf: bool,
    /// When the section was last looked at.
    looked: Option<Instant>,
    stopping: watch::Receiver<bool>,
    /// Set once the page has been told the session is over.
    over: bool,
}

/// What the stream does next.
enum Next {
    Send(Event),
    End,
}

/// `GET /operator/events`; the wallboard's stream is for supervisors only, as its page is.
pub async fn events(
    State(app): State<AppState>,
    session: Session,
    Query(watched): Query<Watched>,
) -> Result<Response, ConsoleError> {
    let view = watched.view.unwrap_or(View::Queue);
    if view == View::Wallboard && !session.operator.is_supervisor() {
        let why = "the wallboard is for supervisors";
        return Err(ConsoleError::Desk(DeskError::Forbidden(why)));
    }
    Ok(stream(app, session, view).into_response())
}

fn stream(
    app: AppState,
    session: Session,
    view: View,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let watch = Watch {
        stopping: app.stopping.clone(),
        changes: app.store.changes(),
        app,
        view,
        digest: session.digest,
        last: None,
        deaf: false,
        looked: None,
        over: false,
    };
    let stream = futures_util::stream::unfold(watch, |mut watch| async move {
        match watch.next().await {
            Next::Send(event) => Some((Ok(event), watch)),
            Next::End => None,
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

impl Watch {
    /// Waits for the next change worth telling, the end of the session, or shutdown.
    async fn next(&mut self) -> Next {
        loop {
            if self.over || *self.stopping.borrow() || !self.wait().await {
                return Next::End;
            }
            if let Some(next) = self.look().await {
                return next;
            }
        }
    }

    /// Waits until it is time to look again; false when the server is stopping. The first
    /// look is at once.
    async fn wait(&mut self) -> bool {
        let Some(looked) = self.looked else {
            return true;
        };
        let every = if self.changes.borrow().live && !self.deaf {
            SAFETY_POLL
        } else {
            POLL
        };
        tokio::select! {
            () = tokio::time::sleep_until(looked + every) => true,
            changed = self.changes.changed(), if !self.deaf => {
                self.deaf = changed.is_err();
                tokio::select! {
                    () = tokio::time::sleep_until(looked + GAP) => true,
                    _ = self.stopping.changed() => false,
                }
            }
            _ = self.stopping.changed() => false,
        }
    }

    /// Looks at the section; what to send, if anything.
    async fn look(&mut self) -> Option<Next> {
        // Whatever changed until now is seen by this look.
        self.changes.borrow_and_update();
        self.looked = Some(Instant::now());
        let now = self.app.desk.now_ms();
        let operator = match self.app.store.session(&self.digest, now).await {
            Ok(Some((operator, _))) => operator,
            // Signed out, expired or disabled: the page reloads into the sign-in form.
            Ok(None) => {
                self.over = true;
                return Some(Next::Send(Event::default().event("signed-out").data("bye")));
            }
            Err(error) => {
                tracing::warn!(%error, "console events: session check failed");
                return None;
            }
        };
        let section = match self.view {
            View::Queue => queue::section(&self.app, &operator).await,
            View::Wallboard => wallboard::section(&self.app, &operator).await,
        };
        let section = match section {
            Ok(section) => section,
            // No longer a supervisor: the page's reload shows why.
            Err(ConsoleError::Desk(DeskError::Forbidden(_))) => return Some(Next::End),
            Err(error) => {
                tracing::warn!(
                    ?error,
                    "console events: the page's section could not be read"
                );
                return None;
            }
        };
        // The first look is the baseline: the page was rendered just before.
        let changed = self.last.as_ref().is_some_and(|last| *last != section);
        self.last = Some(section);
        changed.then(|| Next::Send(Event::default().event("queue").data("changed")))
    }
}
