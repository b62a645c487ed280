//! `GET /operator/events`: server-sent events that tell the queue page when its queue changed.
//! Every two seconds the stream renders the operator's queue section from the database and
//! sends `queue` when the result differs from the last one. The database is the only source,
//! so this works with any number of server instances, and the comparison is of what the
//! operator would see, so a change nobody can see sends nothing.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::watch;
use tokio::time::{Interval, MissedTickBehavior};

use super::queue;
use super::session::Session;
use crate::http::state::AppState;

/// How often the queue is looked at.
const EVERY: Duration = Duration::from_secs(2);

struct Watch {
    app: AppState,
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

/// `GET /operator/events`
pub async fn events(
    State(app): State<AppState>,
    session: Session,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let watch = Watch {
        stopping: app.stopping.clone(),
        app,
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
            let section = match queue::section(&self.app, &operator).await {
                Ok(section) => section,
                Err(error) => {
                    tracing::warn!(?error, "console events: the queue could not be read");
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
