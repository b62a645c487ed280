//! The PostgreSQL adapter, for several server instances on one database: one connection pool,
//! the shared statements, and migrations that are safe when instances start together.

mod audit;
mod calls;
mod reports;
mod retention;
mod roster;
mod worklist;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Executor, Postgres};

use super::{CallLog, CallRecord, CallSearch, CallWrite, QueueEntry, StepRecord, StoreError};
use crate::store::statements::calls::{
    COUNT_CALLS_FROM, COUNT_SAME_CALLER, SELECT_CALL, SELECT_QUEUE_ENTRIES, SELECT_STEPS,
};
use crate::store::statements::filters;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Connections per instance: webhooks are short transactions, so a few serve hundreds of calls.
const DEFAULT_CONNECTIONS: u32 = 10;
/// How long a webhook waits for a free connection before it fails (and the caller gets the
/// fallback); well inside the webhook deadline.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// A [`super::Store`] in a PostgreSQL database shared by any number of instances.
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database named by `url` (`postgres://...`) and brings its schema up to
    /// date. Concurrent instances take turns: the migrator holds an advisory lock.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|_| StoreError::UnsupportedUrl(super::without_secrets(url)))?
            .application_name("hotline");
        let pool = PgPoolOptions::new()
            .max_connections(DEFAULT_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await.map_err(StoreError::Migration)?;
        Ok(Self { pool })
    }
}

#[async_trait::async_trait]
impl CallLog for PgStore {
    async fn write(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for write in &writes {
            calls::apply(&mut tx, write).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn call(&self, call_sid: &str) -> Result<Option<CallRecord>, StoreError> {
        let call = sqlx::query_as::<_, CallRecord>(SELECT_CALL)
            .bind(call_sid)
            .fetch_optional(&self.pool)
            .await?;
        Ok(call)
    }

    async fn steps(&self, call_sid: &str) -> Result<Vec<StepRecord>, StoreError> {
        let steps = sqlx::query_as::<_, StepRecord>(SELECT_STEPS)
            .bind(call_sid)
            .fetch_all(&self.pool)
            .await?;
        Ok(steps)
    }

    async fn queue_entries(&self, call_sid: &str) -> Result<Vec<QueueEntry>, StoreError> {
        let entries = sqlx::query_as::<_, QueueEntry>(SELECT_QUEUE_ENTRIES)
            .bind(call_sid)
            .fetch_all(&self.pool)
            .await?;
        Ok(entries)
    }

    async fn search_calls(&self, search: &CallSearch) -> Result<Vec<CallRecord>, StoreError> {
        let mut query = filters::calls::<Postgres>(search);
        Ok(query.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn same_caller_calls(&self, call_sid: &str, since: i64) -> Result<u64, StoreError> {
        let (count,): (i64,) = sqlx::query_as(COUNT_SAME_CALLER)
            .bind(call_sid)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn calls_from(&self, number: &str, since: i64, except: &str) -> Result<u64, StoreError> {
        let (count,): (i64,) = sqlx::query_as(COUNT_CALLS_FROM)
            .bind(number)
            .bind(since)
            .bind(except)
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.pool.execute("select 1").await?;
        Ok(())
    }
}

impl PgStore {
    fn reads(&self) -> &PgPool {
        &self.pool
    }

    fn desk(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_desk(&self) -> sqlx::Result<sqlx::Transaction<'static, Postgres>> {
        self.pool.begin().await
    }
}
