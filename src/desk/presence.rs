//! Who is available to take callers: operators mark themselves on the console or through the
//! API, and the operator line marks whoever is on it. A mark ends by itself (after the idle
//! time since the operator's latest page or API call, within minutes of the last webhook for
//! the line) and at sign-out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::{Desk, DeskError, QueueSnapshot};
use crate::operators::Operator;

/// How long a mark from the operator line lasts after its latest webhook: the line looks at
/// the queues every 15 seconds while nobody waits, and a call lasts minutes, so an operator
/// who hung up stops counting soon after.
const LINE_MARK_MS: i64 = 30 * 60 * 1000;
/// How often one instance renews an operator's mark from the line: the line's webhooks come
/// every few seconds, and each renewal is a write.
const LINE_RENEW_MS: i64 = 5 * 60 * 1000;
/// How often, at most, one instance renews a mark for an operator's activity: every page and
/// API call is activity, and each renewal is a write. (A short idle time renews every quarter
/// of it, so a mark never ends much sooner than the idle time after the latest activity.)
const ACTIVITY_RENEW_MS: i64 = 5 * 60 * 1000;

/// When this instance last renewed each operator's mark, so it renews at most every so often.
#[derive(Clone, Default)]
pub(super) struct Renewals(Arc<Mutex<HashMap<String, i64>>>);

impl Renewals {
    /// Whether a renewal for `operator_id` at `now` is due, `every` ms after the last one;
    /// when it is, it counts as made.
    fn due(&self, operator_id: &str, now: i64, every: i64) -> bool {
        // A poisoned lock only loses the record of renewals: renew again.
        let mut made = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match made.get(operator_id) {
            Some(at) if now - at < every => false,
            _ => {
                made.insert(operator_id.to_string(), now);
                true
            }
        }
    }

    /// Records a renewal made at `at` (`None`: forgets it, so the next one is made at once).
    fn made(&self, operator_id: &str, at: Option<i64>) {
        let mut made = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match at {
            Some(at) => made.insert(operator_id.to_string(), at),
            None => made.remove(operator_id),
        };
    }
}

/// An operator's mark.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Presence {
    /// Whether they count as available now.
    pub available: bool,
    /// Until when (ms since the epoch), while available.
    pub until: Option<i64>,
}

impl Desk {
    /// The console's idle time: how long a mark made there lasts.
    pub fn with_presence_idle_minutes(mut self, minutes: u32) -> Desk {
        self.presence_idle_ms = i64::from(minutes.clamp(1, 24 * 60)) * 60 * 1000;
        self
    }

    /// Marks `operator` available (until the idle time is over) or not.
    pub async fn set_available(
        &self,
        operator: &Operator,
        available: bool,
    ) -> Result<Presence, DeskError> {
        let now = self.now();
        let until = available.then(|| now + self.presence_idle_ms);
        self.store
            .set_presence(&operator.id, until, "console")
            .await?;
        // A mark just made needs no renewal for a while.
        self.activity_marks.made(&operator.id, Some(now));
        Ok(Presence { available, until })
    }

    /// `operator` used the console or the API: a mark of availability they hold now lasts a
    /// full idle time from now (written at most every few minutes by this instance). Nothing
    /// happens to someone not marked available; a failed write is logged, and the request goes
    /// on, since a mark that ends early is less harm than a page that fails.
    pub async fn saw_activity(&self, operator: &Operator) {
        let now = self.now();
        let every = ACTIVITY_RENEW_MS.min(self.presence_idle_ms / 4);
        if !self.activity_marks.due(&operator.id, now, every) {
            return;
        }
        let until = now + self.presence_idle_ms;
        if let Err(error) = self.store.renew_presence(&operator.id, until, now).await {
            self.activity_marks.made(&operator.id, None);
            tracing::warn!(%error, "the mark of availability was not renewed");
        }
    }

    /// Marks an operator on the operator line available for a while from now (renewed at
    /// most every few minutes by this instance).
    pub async fn on_the_line(&self, operator: &Operator) -> Result<(), DeskError> {
        let now = self.now();
        if !self.line_marks.due(&operator.id, now, LINE_RENEW_MS) {
            return Ok(());
        }
        let until = now + LINE_MARK_MS;
        Ok(self
            .store
            .set_presence(&operator.id, Some(until), "line")
            .await?)
    }

    /// `operator`'s own mark.
    pub async fn presence_of(&self, operator: &Operator) -> Result<Presence, DeskError> {
        let rows = self.store.available(self.now()).await?;
        let until = rows
            .into_iter()
            .find(|(o, _, _)| o.id == operator.id)
            .map(|(_, until, _)| until);
        Ok(Presence {
            available: until.is_some(),
            until,
        })
    }

    /// The active operators available at `at`, by name.
    pub(super) async fn available_at(&self, at: i64) -> Result<Vec<Operator>, DeskError> {
        let rows = self.store.available(at).await?;
        Ok(rows.into_iter().map(|(o, _, _)| o).collect())
    }

    /// Writes into each category of `snapshot` who is available for it, who is due on shift
    /// and who of them is missing.
    pub(super) async fn add_staffing(&self, snapshot: &mut QueueSnapshot) -> Result<(), DeskError> {
        let available = self.available_at(snapshot.at).await?;
        let categories: Vec<String> = snapshot.categories.iter().map(|q| q.id.clone()).collect();
        let mut duty = self
            .duty_among(&categories, &available, snapshot.at)
            .await?;
        for queue in &mut snapshot.categories {
            queue.available = available
                .iter()
                .filter(|o| o.works(&queue.id))
                .map(|o| o.name.clone())
                .collect();
            let duty = duty.remove(&queue.id).unwrap_or_default();
            queue.due = duty.due;
            queue.missing = duty.missing;
        }
        Ok(())
    }
}
