//! The writer: the one place webhooks' writes reach SQLite. A thread of its own owns one
//! connection and commits concurrent callers' writes together (group commit), so a burst of
//! webhooks costs one disk sync and one hand-off between threads rather than one each.
//!
//! Two ways in: `write` returns once the writes are committed (a callback request, before the
//! caller hears it is saved); `write_soon` returns once they are queued, and they are
//! committed after every write queued before them. Queued writes that the database cannot
//! take yet are kept and retried (see `spool.rs`).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use tokio::sync::oneshot;

use super::{calls, spool};
use crate::store::changes::Signal;
use crate::store::desk_conn::WriteTurn;
use crate::store::{CallWrite, StoreError};

/// What the writer thread is asked to do, in order.
pub(super) enum Message {
    /// Apply these writes.
    Job(Job),
    /// Answer once every job sent before this is committed or given up.
    Flush(oneshot::Sender<()>),
}

/// One caller's writes, applied together, and where to say they were committed.
pub(super) struct Job {
    pub(super) writes: Vec<CallWrite>,
    /// `None` when nobody waits for the commit.
    pub(super) reply: Option<oneshot::Sender<Result<(), StoreError>>>,
}

/// What the thread tells the rest of the server.
pub(super) struct Shared {
    pub(super) commits: AtomicU64,
    /// Whether the last attempt to commit failed because the database could not be written.
    pub(super) failing: AtomicBool,
    /// Whether the thread has ended.
    pub(super) stopped: AtomicBool,
    /// Taken for each transaction, in turn with operators' changes.
    pub(super) turn: WriteTurn,
    /// Raised after a commit that holds a write the console shows.
    pub(super) changed: Signal,
}

/// The handle webhooks use to reach the writer thread. The thread commits what is queued and
/// ends once every handle is dropped.
pub(super) struct Writer {
    inbox: mpsc::Sender<Message>,
    shared: Arc<Shared>,
}

impl Writer {
    /// Opens the writer's connection to the database file at `path` and starts its thread.
    /// Each transaction takes `turn` first; `changed` is raised after a commit the console
    /// shows.
    pub(super) fn spawn(
        path: &Path,
        busy_timeout: Duration,
        turn: WriteTurn,
        changed: Signal,
    ) -> Result<Self, StoreError> {
        let conn =
            calls::open(path, busy_timeout).map_err(|e| StoreError::Unwritable(e.to_string()))?;
        let (inbox, messages) = mpsc::channel();
        let shared = Arc::new(Shared {
            commits: AtomicU64::default(),
            failing: AtomicBool::default(),
            stopped: AtomicBool::default(),
            turn,
            changed,
        });
        let thread_shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("hotline-writer".into())
            .spawn(move || spool::run(conn, &messages, &thread_shared))
            .map_err(|e| StoreError::Unwritable(format!("cannot start the writer: {e}")))?;
        Ok(Self { inbox, shared })
    }

    /// Applies `writes` in a transaction, possibly shared with other jobs, after every job
    /// queued before; returns once it is committed.
    pub(super) async fn write(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        let (reply, outcome) = oneshot::channel();
        self.send(Message::Job(Job {
            writes,
            reply: Some(reply),
        }))?;
        outcome.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Queues `writes` to be applied after every job queued before; never waits.
    pub(super) fn write_soon(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        self.send(Message::Job(Job {
            writes,
            reply: None,
        }))
    }

    /// Returns once every job queued before the call is committed or given up.
    pub(super) async fn flush(&self) -> Result<(), StoreError> {
        let (done, flushed) = oneshot::channel();
        self.send(Message::Flush(done))?;
        flushed.await.map_err(|_| StoreError::WriterGone)
    }

    /// Whether writes are being committed: not when the thread has ended, nor while the
    /// database refuses them.
    pub(super) fn check(&self) -> Result<(), StoreError> {
        if self.shared.stopped.load(Ordering::Relaxed) {
            return Err(StoreError::WriterGone);
        }
        if self.shared.failing.load(Ordering::Relaxed) {
            return Err(StoreError::Unwritable(
                "the last commit failed; writes are waiting".into(),
            ));
        }
        Ok(())
    }

    /// Transactions committed so far.
    pub(super) fn commits(&self) -> u64 {
        self.shared.commits.load(Ordering::Relaxed)
    }

    fn send(&self, message: Message) -> Result<(), StoreError> {
        self.inbox.send(message).map_err(|_| StoreError::WriterGone)
    }
}
