//! PostgreSQL reads for reports.

use super::PgStore;
use crate::reports::Facts;
use crate::store::statements::reports::*;
use crate::store::{Reports, StoreError};

#[async_trait::async_trait]
impl Reports for PgStore {
    async fn report_facts(&self, from: i64, to: i64) -> Result<Facts, StoreError> {
        let calls: Vec<CallRow> = sqlx::query_as(CALLS)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        let steps: Vec<StepRow> = sqlx::query_as(STEPS)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        let waits: Vec<WaitRow> = sqlx::query_as(WAITS)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        let requests: Vec<RequestRow> = sqlx::query_as(REQUESTS)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        Ok(facts(calls, steps, waits, requests))
    }
}
