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

use super::{CallWrite, StoreError};

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

crate::store::adapters::call_log!(PgStore, Postgres);

impl PgStore {
    /// Applies a call's writes durably (see [`crate::store::CallLog::write`]).
    async fn apply_writes(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        let result = self.commit_writes(&writes).await;
        if let Err(error) = &result {
            crate::store::log_failed_writes(&writes, error);
        }
        result
    }

    async fn commit_writes(&self, writes: &[CallWrite]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for write in writes {
            calls::apply(&mut tx, write).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Commits before returning, like `apply_writes`. Instances share the database and a call's
    /// next webhook may reach another instance, so a write left queued here could land after
    /// that instance's (a language change before the call's row exists, say).
    async fn apply_writes_soon(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        self.apply_writes(writes).await
    }

    /// Nothing waits: every write is committed before it returns.
    async fn settle_writes(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Whether the database answers and writes can be made.
    async fn check_alive(&self) -> Result<(), StoreError> {
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
