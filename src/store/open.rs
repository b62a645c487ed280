//! Opens the database a URL names, with the adapter it needs. Apart from the port
//! (`store/mod.rs`) so that the port never imports the adapters that implement it.

use std::sync::Arc;

use super::postgres::PgStore;
use super::sqlite::SqliteStore;
pub use super::sqlite::{ServingLock, database_path as sqlite_file, lock_for_serving};
use super::{Schema, Store, StoreError, without_secrets};

/// Opens the database named by `url`: `sqlite:PATH` (or `sqlite://PATH`), creating the file
/// if missing, or `postgres://...` (or `postgresql://...`). Either way the schema is brought
/// up to date.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    connect_pooled(url, DEFAULT_POOL_SIZE).await
}

/// Connections to PostgreSQL when nobody says how many: webhooks are short transactions, so a
/// few serve hundreds of calls.
pub const DEFAULT_POOL_SIZE: u32 = 10;

/// [`connect`], keeping up to `pool_size` connections to PostgreSQL (SQLite has its own
/// fixed set: one writer, one desk connection and the readers).
pub async fn connect_pooled(url: &str, pool_size: u32) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        return Ok(Arc::new(SqliteStore::open(url).await?));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Arc::new(PgStore::open(url, pool_size).await?));
    }
    Err(StoreError::UnsupportedUrl(without_secrets(url)))
}

/// How the schema of the database `url` names compares with this build's migrations, read
/// without changing the database (a SQLite file that does not exist is not created).
pub async fn inspect_schema(url: &str) -> Result<Schema, StoreError> {
    if url.starts_with("sqlite:") {
        return super::sqlite::inspect_schema(url).await;
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return super::postgres::inspect_schema(url).await;
    }
    Err(StoreError::UnsupportedUrl(without_secrets(url)))
}
