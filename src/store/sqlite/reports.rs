//! SQLite reads for reports.

use super::SqliteStore;
use crate::reports::{CallFact, Facts, RequestFact, StepFact, WaitFact};
use crate::store::{Reports, StoreError};

#[async_trait::async_trait]
impl Reports for SqliteStore {
    async fn report_facts(&self, from: i64, to: i64) -> Result<Facts, StoreError> {
        let calls: Vec<(String, String, i64, Option<String>, bool)> = sqlx::query_as(CALLS)
            .bind(from)
            .bind(to)
            .fetch_all(&self.reads)
            .await?;
        let steps: Vec<(String, i64, String, String)> = sqlx::query_as(STEPS)
            .bind(from)
            .bind(to)
            .fetch_all(&self.reads)
            .await?;
        let waits: Vec<(String, String, i64)> = sqlx::query_as(WAITS)
            .bind(from)
            .bind(to)
            .fetch_all(&self.reads)
            .await?;
        let requests: Vec<(String, i64, Option<i64>)> = sqlx::query_as(REQUESTS)
            .bind(from)
            .bind(to)
            .fetch_all(&self.reads)
            .await?;
        Ok(Facts {
            calls: calls
                .into_iter()
                .map(
                    |(call_sid, hotline, started_at, category, ended)| CallFact {
                        call_sid,
                        hotline,
                        started_at,
                        category,
                        ended,
                    },
                )
                .collect(),
            steps: steps
                .into_iter()
                .map(|(call_sid, seq, node, outcome)| StepFact {
                    call_sid,
                    seq,
                    node,
                    outcome,
                })
                .collect(),
            waits: waits
                .into_iter()
                .map(|(category, result, wait_seconds)| WaitFact {
                    category,
                    result,
                    wait_seconds,
                })
                .collect(),
            requests: requests
                .into_iter()
                .map(|(category, waiting_since, first_attempt_at)| RequestFact {
                    category,
                    waiting_since,
                    first_attempt_at,
                })
                .collect(),
        })
    }
}

const CALLS: &str = "
select call_sid, hotline, started_at, category, ended_at is not null as ended
from calls where hotline <> '' and started_at >= $1 and started_at < $2";

const STEPS: &str = "
select s.call_sid, s.seq, s.node, s.outcome
from call_steps s join calls c on c.call_sid = s.call_sid
where c.hotline <> '' and c.started_at >= $1 and c.started_at < $2";

// A stay without a reported wait is measured by the server's own clock.
const WAITS: &str = "
select category, result,
    coalesce(wait_seconds, (ended_at - entered_at) / 1000) as wait_seconds
from queue_entries
where result is not null and ended_at >= $1 and ended_at < $2";

const REQUESTS: &str = "
select r.category, coalesce(r.waiting_since, r.created_at) as waiting_since,
    (select min(a.at) from callback_attempts a where a.request_id = r.id) as first_attempt_at
from callback_requests r
where r.created_at >= $1 and r.created_at < $2";
