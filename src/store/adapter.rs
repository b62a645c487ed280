//! The named contract between a database adapter and the role bindings: every role's
//! `bind.rs` is written once against it and expanded for each adapter (SQLite, PostgreSQL).
//! The bindings are macros rather than generic code because sqlx's driver bounds for every
//! bound and decoded type would have to be spelled out on each function; the macros meet
//! concrete types, and this trait is what they may ask of them.

use std::future::Future;

use super::blocks::cache::BlockCache;
use super::changes::Changes;
use super::desk_conn::DeskTx;
use super::{CallWrite, StoreError};

/// What an adapter gives the role bindings.
pub(in crate::store) trait Adapter: Send + Sync + 'static {
    /// The sqlx driver.
    type Db: sqlx::Database;

    /// Appended to the query that reads a callback request before completing it, to hold its
    /// row where the database needs telling; empty where a write lock already holds it.
    const ROW_LOCK: &'static str;

    /// The pool reads use.
    fn reads(&self) -> &sqlx::Pool<Self::Db>;

    /// A transaction for an operator's change that reads before it writes, holding the write
    /// turn and lock from the start where the database needs them.
    fn begin_desk(&self) -> impl Future<Output = sqlx::Result<DeskTx<Self::Db>>> + Send;

    /// Applies a call's writes durably (see [`super::CallLog::write`]).
    fn apply_writes(
        &self,
        writes: Vec<CallWrite>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Applies a call's writes in order, soon (see [`super::CallLog::write_soon`]).
    fn apply_writes_soon(
        &self,
        writes: Vec<CallWrite>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Waits for the writes still queued.
    fn settle_writes(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Whether the database answers and writes can be made.
    fn check_alive(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// What this process has heard of changes so far; where hearing other instances' changes
    /// takes a listener, the first call starts it.
    fn heard(&self) -> Changes;

    /// The copy of the block list kept for new calls.
    fn block_cache(&self) -> &BlockCache;

    /// Makes a change to the block list, inside `tx`, heard of by the other instances when
    /// `tx` commits (nothing where one process owns the database).
    fn announce_blocks(
        &self,
        tx: &mut DeskTx<Self::Db>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Makes a committed change to the block list heard of in this process at once.
    fn blocks_changed(&self);
}
