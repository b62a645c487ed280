//! Who can answer, as far as the line needs it: the categories of a flow someone is available
//! for (the queue page's rule: an operator who works the category, or a supervisor, marked
//! available now). Read only for flows with a category that opens only while staffed, kept a
//! few seconds so that a surge of calls reads it once, and never waited for long.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::Line;
use crate::flow::Flow;
use crate::operators::Operator;

/// The longest a webhook waits for the presence read; an indexed read takes far less.
const LOOKUP_LIMIT: Duration = Duration::from_millis(500);
/// How long one read serves every call on this instance. A mark made or ended takes at most
/// this long to reach the line.
const FRESH_FOR: Duration = Duration::from_secs(5);

/// This instance's latest read of who is available, shared by the line's clones.
#[derive(Clone, Default)]
pub(super) struct PresenceCache(Arc<tokio::sync::Mutex<Option<Read>>>);

/// One read: when it was made, and the operators available then (`None`: the database did not
/// say).
struct Read {
    at: Instant,
    available: Option<Arc<Vec<Operator>>>,
}

impl Read {
    fn fresh(&self) -> bool {
        self.at.elapsed() < FRESH_FOR
    }
}

impl Line {
    /// The categories of `flow` someone is available for; `None` when the flow has no
    /// category that needs to know, or when who is available is not known.
    pub(super) async fn staffed(&self, flow: &Flow) -> Option<BTreeSet<String>> {
        if !flow.requires_staff() {
            return None;
        }
        let available = {
            // Held across the read, so calls arriving together wait for one read (at most
            // LOOKUP_LIMIT) rather than each making their own.
            let mut read = self.presence.0.lock().await;
            match read.as_ref().filter(|r| r.fresh()) {
                Some(r) => r.available.clone(),
                None => {
                    let available = self.read_available().await;
                    *read = Some(Read {
                        at: Instant::now(),
                        available: available.clone(),
                    });
                    available
                }
            }
        };
        Some(staffed_categories(flow, &available?))
    }

    /// The staffed categories as last read, without reading: for the fallback, which must not
    /// wait on the database that may have just failed.
    pub(super) fn staffed_as_read(&self, flow: &Flow) -> Option<BTreeSet<String>> {
        if !flow.requires_staff() {
            return None;
        }
        let read = self.presence.0.try_lock().ok()?;
        let available = read.as_ref().filter(|r| r.fresh())?.available.clone()?;
        Some(staffed_categories(flow, &available))
    }

    /// Who is available now, or `None` when the database does not answer in time. A caller in
    /// need must never be sent to voicemail because of a database hiccup, so an unknown answer
    /// counts every category as staffed: at worst a caller waits in a queue until its
    /// `max_hold_minutes` offer, as before the flow asked for staff.
    async fn read_available(&self) -> Option<Arc<Vec<Operator>>> {
        let now = self.clock.now().as_millisecond();
        match tokio::time::timeout(LOOKUP_LIMIT, self.store.available(now)).await {
            Ok(Ok(rows)) => Some(Arc::new(rows.into_iter().map(|(o, _, _)| o).collect())),
            Ok(Err(error)) => {
                tracing::warn!(%error, "presence not checked: the database did not answer; every category counts as staffed");
                None
            }
            Err(_) => {
                tracing::warn!(
                    "presence not checked: the database was too slow; every category counts as staffed"
                );
                None
            }
        }
    }
}

/// The categories of `flow` that one of `available` works.
fn staffed_categories(flow: &Flow, available: &[Operator]) -> BTreeSet<String> {
    flow.categories
        .keys()
        .filter(|c| available.iter().any(|o| o.works(c)))
        .cloned()
        .collect()
}
