//! The transactions operators' changes are made in, whichever way the adapter holds them, and
//! the write turn of a database that takes one writer at a time. They are also where every
//! operator's change is announced to the console's live pages (`changes.rs`): once, here,
//! rather than in each binding, so no change can forget it.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use futures_util::future::BoxFuture;
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::changes::Signal;

/// The right to write to a database that takes one writer at a time, shared by everything in
/// this process that writes to it. Waiting for it wakes the next writer at once and in
/// order, where SQLite's own busy handler would sleep and poll, and could starve an
/// operator's change behind a surge of callers' commits.
#[derive(Clone, Default)]
pub(in crate::store) struct WriteTurn(Arc<Mutex<()>>);

impl WriteTurn {
    /// Waits for the turn, from async code.
    pub(in crate::store) async fn take(&self) -> OwnedMutexGuard<()> {
        Arc::clone(&self.0).lock_owned().await
    }

    /// Waits for the turn, from a thread of its own (never from async code: it blocks).
    pub(in crate::store) fn take_blocking(&self) -> OwnedMutexGuard<()> {
        Arc::clone(&self.0).blocking_lock_owned()
    }
}

/// A transaction an adapter holds open for one operator's change: its connection, and how it
/// is made durable.
pub(in crate::store) trait HeldTx<Db: sqlx::Database>:
    DerefMut<Target = Db::Connection> + Send
{
    /// Commits the change; returns once it is durable.
    fn commit(self: Box<Self>) -> BoxFuture<'static, sqlx::Result<()>>;
}

impl<Db: sqlx::Database> HeldTx<Db> for sqlx::Transaction<'static, Db> {
    fn commit(self: Box<Self>) -> BoxFuture<'static, sqlx::Result<()>> {
        Box::pin((*self).commit())
    }
}

/// A transaction for one operator's change, however its adapter holds it (its own transaction
/// with the write turn, or a part of a shared one). Dropped without [`DeskTx::commit`], it
/// rolls back, and nobody is told of it.
pub(in crate::store) struct DeskTx<Db: sqlx::Database> {
    held: Box<dyn HeldTx<Db>>,
    changed: Signal,
}

impl<Db: sqlx::Database> DeskTx<Db> {
    pub(in crate::store) fn new(held: Box<dyn HeldTx<Db>>, changed: Signal) -> Self {
        Self { held, changed }
    }

    /// Commits, then announces the change.
    pub(in crate::store) async fn commit(self) -> sqlx::Result<()> {
        self.held.commit().await?;
        self.changed.raise();
        Ok(())
    }
}

impl<Db: sqlx::Database> Deref for DeskTx<Db> {
    type Target = Db::Connection;
    fn deref(&self) -> &Db::Connection {
        &self.held
    }
}

impl<Db: sqlx::Database> DerefMut for DeskTx<Db> {
    fn deref_mut(&mut self) -> &mut Db::Connection {
        &mut self.held
    }
}
