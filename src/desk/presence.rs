//! Who is available to take callers: operators mark themselves on the console or through the
//! API, and the operator line marks whoever is on it. A mark ends by itself (after the idle
//! time for the console, within minutes of the last webhook for the line) and at sign-out.

use super::{Desk, DeskError, QueueSnapshot};
use crate::operators::Operator;

/// How long a mark from the operator line lasts after its latest webhook: the line looks at
/// the queues every 15 seconds while nobody waits, and a call lasts minutes, so an operator
/// who hung up stops counting soon after.
const LINE_MARK_MS: i64 = 30 * 60 * 1000;
/// How often one instance renews an operator's mark from the line: the line's webhooks come
/// every few seconds, and each renewal is a write.
const LINE_RENEW_MS: i64 = 5 * 60 * 1000;

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
        let until = available.then(|| self.now() + self.presence_idle_ms);
        self.store
            .set_presence(&operator.id, until, "console")
            .await?;
        Ok(Presence { available, until })
    }

    /// Marks an operator on the operator line available for a while from now (renewed at
    /// most every few minutes by this instance).
    pub async fn on_the_line(&self, operator: &Operator) -> Result<(), DeskError> {
        let now = self.now();
        {
            // A poisoned lock only loses the record of renewals: renew again.
            let mut marks = self
                .line_marks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match marks.get(&operator.id) {
                Some(at) if now - at < LINE_RENEW_MS => return Ok(()),
                _ => marks.insert(operator.id.clone(), now),
            };
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

    /// Writes into each category of `snapshot` who is available for it.
    pub(super) async fn add_available(
        &self,
        snapshot: &mut QueueSnapshot,
    ) -> Result<(), DeskError> {
        let rows = self.store.available(self.now()).await?;
        for queue in &mut snapshot.categories {
            queue.available = rows
                .iter()
                .filter(|(o, _, _)| o.works(&queue.id))
                .map(|(o, _, _)| o.name.clone())
                .collect();
        }
        Ok(())
    }
}
