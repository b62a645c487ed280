//! `GET /operator/events`: server-sent events that tell a live page when what it shows changed:
//! the queue page by default, the wallboard with `?view=wallboard`. Every two seconds the
//! stream renders that page's section from the database and sends `queue` when the result
//! differs from the last one. The database is the only source, so this works with any number
//! of server instances, and the comparison is of what the operator would see, so a change
//! nobody can see sends nothing.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use tokio::sync::watch;
use tokio::time::{Interval, MissedTickBehavior};

use super::error::ConsoleError;
use super::session::Session;
use super::{queue, wallboard};
use crate::desk::DeskError;
use crate::http::state::AppState;

/// How often the queue is looked at.
const EVERY: Duration = Duration::from_secs(2);

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
    ticks: Interval,
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
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let watch = Watch {
        stopping: app.stopping.clone(),
        app,
        view,
        digest: session.digest,
        last: None,
        ticks,
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
            if self.over || *self.stopping.borrow() {
                return Next::End;
            }
            tokio::select! {
                _ = self.ticks.tick() => {}
                _ = self.stopping.changed() => return Next::End,
            }
            let now = self.app.desk.now_ms();
            let operator = match self.app.store.session(&self.digest, now).await {
                Ok(Some((operator, _))) => operator,
                // Signed out, expired or disabled: the page reloads into the sign-in form.
                Ok(None) => {
                    self.over = true;
                    return Next::Send(Event::default().event("signed-out").data("bye"));
                }
                Err(error) => {
                    tracing::warn!(%error, "console events: session check failed");
                    continue;
                }
            };
            let section = match self.view {
                View::Queue => queue::section(&self.app, &operator).await,
                View::Wallboard => wallboard::section(&self.app, &operator).await,
            };
            let section = match section {
                Ok(section) => section,
                // No longer a supervisor: the page's reload shows why.
                Err(ConsoleError::Desk(DeskError::Forbidden(_))) => return Next::End,
                Err(error) => {
                    tracing::warn!(
                        ?error,
                        "console events: the page's section could not be read"
                    );
                    continue;
                }
            };
            // The first look is the baseline: the page was rendered just before.
            let changed = self.last.as_ref().is_some_and(|last| *last != section);
            self.last = Some(section);
            if changed {
                return Next::Send(Event::default().event("queue").data("changed"));
            }
        }
    }
}
