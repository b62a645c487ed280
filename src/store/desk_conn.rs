//! The connections operators' changes are made on: a pooled connection or transaction that
//! also holds the adapter's write turn, where it has one, until it is dropped or committed.
//! They are also where every operator's change is announced to the console's live pages
//! (`changes.rs`): once, here, rather than in each binding, so no change can forget it.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::pool::PoolConnection;
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

/// A connection for one operator's change, with the write turn while it is held. Its
/// statement commits on its own, so the change is announced when the connection is dropped,
/// after it ran (a statement that failed is announced too: a look too many costs little).
pub(in crate::store) struct DeskConn<Db: sqlx::Database> {
    conn: PoolConnection<Db>,
    _turn: Option<OwnedMutexGuard<()>>,
    changed: Signal,
}

impl<Db: sqlx::Database> DeskConn<Db> {
    pub(in crate::store) fn new(
        conn: PoolConnection<Db>,
        turn: Option<OwnedMutexGuard<()>>,
        changed: Signal,
    ) -> Self {
        Self {
            conn,
            _turn: turn,
            changed,
        }
    }
}

impl<Db: sqlx::Database> Drop for DeskConn<Db> {
    fn drop(&mut self) {
        self.changed.raise();
    }
}

impl<Db: sqlx::Database> Deref for DeskConn<Db> {
    type Target = Db::Connection;
    fn deref(&self) -> &Db::Connection {
        &self.conn
    }
}

impl<Db: sqlx::Database> DerefMut for DeskConn<Db> {
    fn deref_mut(&mut self) -> &mut Db::Connection {
        &mut self.conn
    }
}

/// A transaction for one operator's change, with the write turn until it ends. Dropped
/// without [`DeskTx::commit`], it rolls back, and nobody is told of it.
pub(in crate::store) struct DeskTx<Db: sqlx::Database> {
    tx: sqlx::Transaction<'static, Db>,
    _turn: Option<OwnedMutexGuard<()>>,
    changed: Signal,
}

impl<Db: sqlx::Database> DeskTx<Db> {
    pub(in crate::store) fn new(
        tx: sqlx::Transaction<'static, Db>,
        turn: Option<OwnedMutexGuard<()>>,
        changed: Signal,
    ) -> Self {
        Self {
            tx,
            _turn: turn,
            changed,
        }
    }

    /// Commits, announces the change, then gives the turn back.
    pub(in crate::store) async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await?;
        self.changed.raise();
        Ok(())
    }
}

impl<Db: sqlx::Database> Deref for DeskTx<Db> {
    type Target = Db::Connection;
    fn deref(&self) -> &Db::Connection {
        &self.tx
    }
}

impl<Db: sqlx::Database> DerefMut for DeskTx<Db> {
    fn deref_mut(&mut self) -> &mut Db::Connection {
        &mut self.tx
    }
}
