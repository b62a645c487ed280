//! The writer task: the one place writes reach SQLite. Concurrent callers'
//! writes are committed together in one transaction (group commit), so a
//! burst of webhooks costs one disk sync rather than one each.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use super::calls;
use crate::store::{CallWrite, StoreError};

/// The most jobs committed in one transaction.
const MAX_BATCH: usize = 256;
/// Jobs that may wait for the writer before `write` itself waits.
const QUEUE_CAPACITY: usize = 1024;

/// One caller's writes and where to send their outcome.
struct Job {
    writes: Vec<CallWrite>,
    reply: oneshot::Sender<Result<(), StoreError>>,
}

/// The handle callers use to reach the writer task. The task ends once
/// every handle is dropped and the queued jobs are done.
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Starts the writer task on `pool`, which nothing else may write through.
    pub(super) fn spawn(pool: SqlitePool) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE_CAPACITY);
        let commits = Arc::new(AtomicU64::new(0));
        tokio::spawn(run(pool, queue, Arc::clone(&commits)));
        Self { jobs, commits }
    }

    /// Applies `writes` in a transaction, possibly shared with other jobs,
    /// and returns once it is committed.
    pub(super) async fn write(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        let (reply, outcome) = oneshot::channel();
        self.jobs
            .send(Job { writes, reply })
            .await
            .map_err(|_| StoreError::WriterGone)?;
        outcome.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Whether the task is still taking jobs.
    pub(super) fn is_running(&self) -> bool {
        !self.jobs.is_closed()
    }

    /// Transactions committed so far.
    pub(super) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }
}

async fn run(pool: SqlitePool, mut queue: mpsc::Receiver<Job>, commits: Arc<AtomicU64>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // Waits for one job, then takes whatever else is already queued.
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        commit_batch(&pool, &mut batch, &commits).await;
    }
    pool.close().await;
}

/// Commits every job in `batch` together and answers each. If that fails,
/// each job is tried again in a transaction of its own, so that one bad job
/// fails alone. Every write is idempotent, so trying a job again is safe
/// even if the failed commit did in fact reach the disk.
async fn commit_batch(pool: &SqlitePool, batch: &mut Vec<Job>, commits: &AtomicU64) {
    if batch.len() > 1 {
        match transaction(pool, batch.iter().map(|job| &job.writes)).await {
            Ok(()) => {
                commits.fetch_add(1, Ordering::Relaxed);
                for job in batch.drain(..) {
                    // The caller may have stopped waiting; nothing to do then.
                    let _ = job.reply.send(Ok(()));
                }
                return;
            }
            Err(error) => tracing::warn!(
                jobs = batch.len(),
                %error,
                "a batch of writes failed; applying each job on its own"
            ),
        }
    }
    for job in batch.drain(..) {
        let result = transaction(pool, std::iter::once(&job.writes)).await;
        match &result {
            Ok(()) => {
                commits.fetch_add(1, Ordering::Relaxed);
            }
            Err(error) => log_failure(&job.writes, error),
        }
        let _ = job.reply.send(result.map_err(StoreError::from));
    }
}

/// Applies the jobs' writes in one transaction and commits it.
async fn transaction<'a>(
    pool: &SqlitePool,
    jobs: impl Iterator<Item = &'a Vec<CallWrite>>,
) -> sqlx::Result<()> {
    // IMMEDIATE takes the write lock up front, so a lock held by another
    // process is waited for (busy timeout) instead of failing midway.
    let mut tx = pool.begin_with("begin immediate").await?;
    for writes in jobs {
        for write in writes {
            if let Err(error) = calls::apply(&mut tx, write).await {
                if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(error = %rollback, "rollback failed");
                }
                return Err(error);
            }
        }
    }
    tx.commit().await
}

/// Logs a failed job by its call and the kinds of its writes: their contents
/// may hold phone numbers.
fn log_failure(writes: &[CallWrite], error: &sqlx::Error) {
    let call_sid = writes.first().map_or("", CallWrite::call_sid);
    let kinds: Vec<&str> = writes.iter().map(CallWrite::kind).collect();
    tracing::error!(call_sid, ?kinds, %error, "could not record a call's writes");
}
