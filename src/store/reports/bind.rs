//! The reports' binding, for every adapter: the facts of a period, read in seven queries.

/// `impl Reports for $store`.
macro_rules! reports {
    ($store:ty) => {
        use crate::reports::Facts;
        use crate::store::adapter::Adapter;
        use crate::store::reports::sql::*;
        use crate::store::{Reports, StoreError};

        #[async_trait::async_trait]
        impl Reports for $store {
            async fn report_facts(&self, from: i64, to: i64) -> Result<Facts, StoreError> {
                let calls: Vec<CallRow> = sqlx::query_as(CALLS)
                    .bind(from)
                    .bind(to)
                    .fetch_all(self.reads())
                    .await?;
                let steps: Vec<StepRow> = sqlx::query_as(STEPS)
                    .bind(from)
                    .bind(to)
                    .fetch_all(self.reads())
                    .await?;
                let waits: Vec<WaitRow> = sqlx::query_as(WAITS)
                    .bind(from)
                    .bind(to)
                    .fetch_all(self.reads())
                    .await?;
                let requests: Vec<RequestRow> = sqlx::query_as(REQUESTS)
                    .bind(from)
                    .bind(to)
                    .fetch_all(self.reads())
                    .await?;
                let attempts: Vec<AttemptRow> = sqlx::query_as(ATTEMPTS)
                    .bind(from)
                    .bind(to)
                    .fetch_all(self.reads())
                    .await?;
                let missed: Vec<String> = sqlx::query_scalar(MISSED_REQUESTS)
                    .bind(from)
                    .bind(to)
                    .fetch_all(self.reads())
                    .await?;
                let dials: Vec<DialRow> = sqlx::query_as(DIALS)
                    .bind(from)
                    .bind(to)
                    .fetch_all(self.reads())
                    .await?;
                let mut facts = facts(calls, steps, waits, requests);
                facts.dials = dials.into_iter().map(DialRow::into_fact).collect();
                facts.attempts = attempts.into_iter().map(AttemptRow::into_fact).collect();
                facts.missed_requests = missed;
                Ok(facts)
            }
        }
    };
}

pub(in crate::store) use reports;
