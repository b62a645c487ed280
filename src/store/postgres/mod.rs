//! The PostgreSQL adapter, for several server instances on one database: one connection pool,
//! the webhooks' writes committed in shared transactions (`batch.rs`), the role bindings,
//! migrations that are safe when instances start together, and the notifications that tell
//! every instance of a change (`changes.rs`).

mod batch;
mod changes;
mod fuse;
#[cfg(test)]
mod kept_plans;
mod many;

use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Executor, Postgres};

use super::adapter::Adapter;
use super::blocks::cache::BlockCache;
use super::changes::{ChangeFeed, Changes, Feed, Signal};
use super::desk_conn::DeskTx;
use super::{CallWrite, StoreError};
use batch::Batches;
pub use changes::LISTENER_NAME;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// How long a webhook waits for a free connection before it fails (and the caller gets the
/// fallback); well inside the webhook deadline.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// The planner's settings on the connections that commit the webhooks' writes. Each of those
/// statements finds every row it touches by its key, a handful of rows a call, and each is
/// planned once per connection and the plan kept, since planning a batch's statement costs
/// more than running it. A plan made while a table is new (no statistics, a few pages) would
/// scan or hash the whole table, and be kept while it grows; these settings make every kept
/// plan look rows up by key, whatever the statistics say.
const WRITER_SETTINGS: [(&str, &str); 4] = [
    ("plan_cache_mode", "force_generic_plan"),
    ("enable_seqscan", "off"),
    ("enable_hashjoin", "off"),
    ("enable_mergejoin", "off"),
];

/// A [`super::Store`] in a PostgreSQL database shared by any number of instances.
pub struct PgStore {
    pool: PgPool,
    /// Where the webhooks' writes are committed, together when they come together.
    batches: Batches,
    /// Raised after each commit a console page may show: NOTIFYs every instance.
    changed: Signal,
    /// What this instance's listener heard.
    feed: Feed,
    /// Where the listener connects.
    options: PgConnectOptions,
    /// The listener, started by the first watcher or the first call (command-line tools
    /// never need one); it stops when this is dropped.
    listener: OnceLock<Option<tokio::sync::oneshot::Sender<()>>>,
    blocks: BlockCache,
}

impl PgStore {
    /// Connects to the database named by `url` (`postgres://...`) with up to `connections`
    /// connections and brings its schema up to date. Concurrent instances take turns: the
    /// migrator holds an advisory lock.
    pub async fn open(url: &str, connections: u32) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|_| StoreError::UnsupportedUrl(super::without_secrets(url)))?
            .application_name("hotline");
        // Up to half the pool commits webhooks' writes, on connections kept apart from the
        // others, so operators' changes and reads always find a connection.
        let writers = (connections / 2).clamp(1, batch::MAX_WORKERS);
        let pool = PgPoolOptions::new()
            .max_connections(connections.saturating_sub(writers).max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&pool).await.map_err(StoreError::Migration)?;
        let writing = PgPoolOptions::new()
            .max_connections(writers)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options.clone().options(WRITER_SETTINGS));
        let changed = changes::announcer(pool.clone());
        let batches = Batches::start(writing, writers, changed.clone());
        Ok(Self {
            changed,
            batches,
            pool,
            feed: Feed::new(false),
            options,
            listener: OnceLock::new(),
            blocks: BlockCache::default(),
        })
    }
}

/// The schema of the database `url` names, read without migrating it.
pub async fn inspect_schema(url: &str) -> Result<super::Schema, StoreError> {
    use sqlx::Connection;
    let options = PgConnectOptions::from_str(url)
        .map_err(|_| StoreError::UnsupportedUrl(super::without_secrets(url)))?
        .application_name("hotline doctor");
    let mut conn = sqlx::PgConnection::connect_with(&options).await?;
    let schema = super::schema::inspect(&mut conn, &MIGRATOR).await;
    // Closing only tidies up; what was read is the answer either way.
    let _ = conn.close().await;
    schema
}

impl Adapter for PgStore {
    type Db = Postgres;

    /// Instances share the database: completing a request holds its row.
    const ROW_LOCK: &'static str = " for update of r";

    fn reads(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_desk(&self) -> sqlx::Result<DeskTx<Postgres>> {
        let tx = self.pool.begin().await?;
        Ok(DeskTx::new(Box::new(tx), self.changed.clone()))
    }

    async fn apply_writes(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        self.batches.write(writes).await
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

    async fn check_alive(&self) -> Result<(), StoreError> {
        self.pool.execute("select 1").await?;
        Ok(())
    }

    fn heard(&self) -> Changes {
        self.listen();
        self.feed.heard()
    }

    fn block_cache(&self) -> &BlockCache {
        &self.blocks
    }

    /// A NOTIFY inside the transaction: sent if and only if the change commits.
    async fn announce_blocks(&self, tx: &mut DeskTx<Postgres>) -> Result<(), StoreError> {
        (&mut **tx).execute(changes::NOTIFY_BLOCKS).await?;
        Ok(())
    }

    /// This instance hears its own NOTIFY too, but a call right after the change must not
    /// wait for it.
    fn blocks_changed(&self) {
        self.feed.bump_blocks();
    }
}

impl PgStore {
    /// Starts this instance's listener once: the first page that watches, or the first call.
    fn listen(&self) {
        self.listener
            .get_or_init(|| changes::listen(self.options.clone(), self.feed.clone()));
    }
}

impl ChangeFeed for PgStore {
    fn changes(&self) -> tokio::sync::watch::Receiver<Changes> {
        self.listen();
        self.feed.subscribe()
    }
}

/// The role bindings, expanded for this adapter (see `store::adapter`).
mod audit {
    crate::store::audit::bind::audit!(super::PgStore);
}
mod block_list {
    crate::store::blocks::bind::block_list!(super::PgStore);
}
mod call_log {
    crate::store::calls::bind::call_log!(super::PgStore);
}
mod handover {
    crate::store::handover::bind::handover!(super::PgStore);
}
mod reports {
    crate::store::reports::bind::reports!(super::PgStore);
}
mod retention {
    crate::store::retention::bind::retention!(super::PgStore);
}
mod roster {
    crate::store::roster::bind::roster!(super::PgStore);
}
mod worklist {
    crate::store::worklist::bind::worklist!(super::PgStore);
}
