//! The SQLite adapter: opening the database file, its schema migrations, and the connections:
//! webhook writes go through the group-commit writer (`writer.rs`, on a thread of its own with
//! its spool in `spool.rs`), operator changes through one connection of their own, reads
//! through a small pool.

mod calls;
mod desk;
mod serving;
mod spool;
mod writer;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Executor, Sqlite};

use super::adapter::Adapter;
use super::blocks::cache::BlockCache;
use super::changes::{ChangeFeed, Changes, Feed, Signal};
use super::desk_conn::{DeskTx, WriteTurn};
use super::{CallWrite, StoreError};
use desk::DeskLine;
pub use serving::{ServingLock, database_path, lock_for_serving};
use writer::Writer;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// How long a statement waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// The writer's shorter wait: it keeps what it cannot write and tries again, so waiting longer
/// inside SQLite would only delay telling a caller that their request was not saved.
const WRITER_BUSY_TIMEOUT: Duration = Duration::from_secs(1);
/// Connections for reads; in WAL mode they never wait for the writer.
const READ_CONNECTIONS: u32 = 4;

/// A [`Store`] kept in one SQLite file.
pub struct SqliteStore {
    reads: SqlitePool,
    /// Operators' changes: each needs its own answer (who won a claim), so they do not share
    /// the webhooks' batches, but they share transactions with each other (`desk.rs`). The
    /// desk's batches and the writer's take a write turn in order, so the two never meet
    /// SQLite's lock, whose busy handler sleeps and polls.
    desk: DeskLine,
    writer: Writer,
    /// Told in this process after each commit a console page may show: one server process
    /// owns the file (`serving.rs`), so nobody else needs telling.
    feed: Feed,
    changed: Signal,
    blocks: BlockCache,
}

impl SqliteStore {
    /// Opens the SQLite database named by `url` (`sqlite:PATH` or
    /// `sqlite://PATH`), creating the file if missing and running migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = connect_options(url)?;
        let path = options.get_filename().to_path_buf();
        if path.as_os_str().is_empty() || path.as_os_str() == ":memory:" {
            return Err(StoreError::UnsupportedUrl(format!(
                "{url} (an in-memory database cannot be shared by the server's connections; \
                 name a file)"
            )));
        }
        let desk = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&desk).await.map_err(StoreError::Migration)?;
        let reads = SqlitePoolOptions::new()
            .max_connections(READ_CONNECTIONS)
            .connect_with(options)
            .await?;
        let turn = WriteTurn::default();
        let feed = Feed::new(true);
        let changed = Signal::local(&feed);
        Ok(Self {
            reads,
            desk: DeskLine::start(desk, turn.clone()),
            // One connection does all the webhooks' writing: SQLite allows one writer at a
            // time anyway, and the writer batches concurrent writes onto it.
            writer: Writer::spawn(&path, WRITER_BUSY_TIMEOUT, turn, changed.clone())?,
            feed,
            changed,
            blocks: BlockCache::default(),
        })
    }

    /// How many transactions the writer has committed since the store was opened.
    #[doc(hidden)]
    pub fn commits(&self) -> u64 {
        self.writer.commits()
    }

    /// How many transactions operators' changes have committed since the store was opened.
    #[doc(hidden)]
    pub fn desk_commits(&self) -> u64 {
        self.desk.commits()
    }
}

/// The schema of the file `url` names, read without creating the file or migrating it.
pub async fn inspect_schema(url: &str) -> Result<super::Schema, StoreError> {
    use sqlx::Connection;
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|error| StoreError::UnsupportedUrl(format!("{url} ({error})")))?
        .create_if_missing(false);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
    let schema = super::schema::inspect(&mut conn, &MIGRATOR).await;
    // Closing only tidies up; what was read is the answer either way.
    let _ = conn.close().await;
    schema
}

fn connect_options(url: &str) -> Result<SqliteConnectOptions, StoreError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|error| StoreError::UnsupportedUrl(format!("{url} ({error})")))?;
    Ok(options
        .create_if_missing(true)
        // WAL: readers never block the writer nor wait for it, and a commit
        // appends to one file instead of rewriting pages in place.
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit is synced to disk before it returns. A caller is
        // told their callback request is recorded only after the commit, so
        // it must survive a power loss from that moment on. (WAL's usual
        // NORMAL could lose the last commits.)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
        // No table declares a foreign key (see the migration); enforcing
        // them keeps any added later honest.
        .foreign_keys(true))
}

impl Adapter for SqliteStore {
    type Db = Sqlite;

    /// SQLite's write lock, taken by `begin_desk`, already holds the row.
    const ROW_LOCK: &'static str = "";

    fn reads(&self) -> &SqlitePool {
        &self.reads
    }

    /// A part of the desk's shared transaction, once the change's turn comes (`desk.rs`).
    async fn begin_desk(&self) -> sqlx::Result<DeskTx<Sqlite>> {
        let lease = self.desk.lease().await?;
        Ok(DeskTx::new(Box::new(lease), self.changed.clone()))
    }

    async fn apply_writes(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        self.writer.write(writes).await
    }

    /// Queues the writes behind the earlier ones and returns at once. Safe because one server
    /// process owns the file (see `serving.rs`): every later webhook's writes are queued behind
    /// these, so they land in the order the call made them.
    async fn apply_writes_soon(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        self.writer.write_soon(writes)
    }

    async fn settle_writes(&self) -> Result<(), StoreError> {
        self.writer.flush().await
    }

    async fn check_alive(&self) -> Result<(), StoreError> {
        self.writer.check()?;
        self.reads.execute("select 1").await?;
        Ok(())
    }

    /// Always live: one server process owns the file, and only it changes the block list.
    fn heard(&self) -> Changes {
        self.feed.heard()
    }

    fn block_cache(&self) -> &BlockCache {
        &self.blocks
    }

    async fn announce_blocks(&self, _tx: &mut DeskTx<Sqlite>) -> Result<(), StoreError> {
        Ok(())
    }

    fn blocks_changed(&self) {
        self.feed.bump_blocks();
    }
}

impl ChangeFeed for SqliteStore {
    fn changes(&self) -> tokio::sync::watch::Receiver<Changes> {
        self.feed.subscribe()
    }
}

/// The role bindings, expanded for this adapter (see `store::adapter`).
mod audit {
    crate::store::audit::bind::audit!(super::SqliteStore);
}
mod block_list {
    crate::store::blocks::bind::block_list!(super::SqliteStore);
}
mod call_log {
    crate::store::calls::bind::call_log!(super::SqliteStore);
}
mod handover {
    crate::store::handover::bind::handover!(super::SqliteStore);
}
mod reports {
    crate::store::reports::bind::reports!(super::SqliteStore);
}
mod retention {
    crate::store::retention::bind::retention!(super::SqliteStore);
}
mod roster {
    crate::store::roster::bind::roster!(super::SqliteStore);
}
mod worklist {
    crate::store::worklist::bind::worklist!(super::SqliteStore);
}
