//! Group commit for the webhooks' writes on PostgreSQL. Webhooks that write at the same moment
//! share a transaction, so a surge costs one commit (one WAL flush, one `begin` and one
//! `commit` round trip) per batch rather than per webhook. Each webhook still returns only once
//! its own writes are committed: the call's next webhook may reach another instance.
//!
//! Workers take batches from one queue, each on a connection of its own: under light load
//! every webhook is its own batch and waits for nobody, and under a surge each batch carries
//! what arrived while the last one was being committed. A worker holds its batch back while
//! another commits, for at most [`STANDBY`]: on a healthy database one commit at a time
//! carries the most webhooks each, and on a slow one the next batch does not queue behind it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::{Mutex, Notify, mpsc, oneshot};

use super::fuse::{self, Part};
use super::many::Unfit;
use crate::store::changes::Signal;
use crate::store::{CallWrite, StoreError};

/// The most webhooks one transaction carries: enough to share a commit across a surge, few
/// enough that one batch's statements do not keep its webhooks waiting long.
const MAX_BATCH: usize = 16;

/// The most workers committing at once. Two, so that a slow commit does not hold up every
/// caller's next write (a caller on a slow database still hears the menu in time).
pub(super) const MAX_WORKERS: u32 = 2;

/// How long a worker holds its batch back while another commits. A batch's statements are one
/// per layer whatever its size (`fuse.rs`), so commits side by side split a surge's writes
/// into more statements. On two cores (the surge, 2,000 calls, alternated runs) two workers
/// side by side cost a call 2,265 to 2,360 µs of CPU, server and database together, and one
/// worker alone 1,435 to 1,610; with this standby two cost 1,890 to 2,050 where one alone
/// cost 1,730 to 1,870 in the same runs, and 50 ms did no better than 20. A healthy commit
/// takes a few milliseconds; one that takes longer means the database is slow, and the next
/// batch goes ahead on its own connection.
const STANDBY: Duration = Duration::from_millis(20);

/// One webhook's writes and where to say they were committed.
struct Job {
    writes: Vec<CallWrite>,
    reply: oneshot::Sender<Result<(), StoreError>>,
}

/// The queue webhooks put their writes in.
pub(super) struct Batches {
    inbox: mpsc::UnboundedSender<Job>,
}

/// The workers' side of the queue.
struct Queue {
    jobs: Mutex<mpsc::UnboundedReceiver<Job>>,
    /// How many workers are committing a batch.
    committing: AtomicUsize,
    /// Told when a worker has committed a batch.
    committed: Notify,
}

impl Batches {
    /// Starts `workers` workers committing on `pool`; `changed` is raised after a commit that
    /// changed what a console page shows.
    pub(super) fn start(pool: PgPool, workers: u32, changed: Signal) -> Batches {
        let (inbox, jobs) = mpsc::unbounded_channel();
        let queue = Arc::new(Queue {
            jobs: Mutex::new(jobs),
            committing: AtomicUsize::new(0),
            committed: Notify::new(),
        });
        for _ in 0..workers.max(1) {
            tokio::spawn(work(pool.clone(), Arc::clone(&queue), changed.clone()));
        }
        Batches { inbox }
    }

    /// Applies `writes` in order, in a transaction possibly shared with other webhooks';
    /// returns once it is committed.
    pub(super) async fn write(&self, writes: Vec<CallWrite>) -> Result<(), StoreError> {
        let (reply, committed) = oneshot::channel();
        let job = Job { writes, reply };
        self.inbox.send(job).map_err(|_| StoreError::WriterGone)?;
        committed.await.map_err(|_| StoreError::WriterGone)?
    }
}

/// One worker: takes whatever waits (up to [`MAX_BATCH`]) and commits it, until the queue
/// closes.
async fn work(pool: PgPool, queue: Arc<Queue>, changed: Signal) {
    while let Some(batch) = queue.next_batch().await {
        let shown = (batch.iter()).any(|job| job.writes.iter().any(CallWrite::shows_on_console));
        let any = settle(&pool, batch).await;
        queue.committing.fetch_sub(1, Ordering::SeqCst);
        queue.committed.notify_waiters();
        if any && shown {
            changed.raise();
        }
    }
}

impl Queue {
    /// The next batch, counted as being committed; `None` once the queue has closed.
    async fn next_batch(&self) -> Option<Vec<Job>> {
        let mut jobs = self.jobs.lock().await;
        let first = jobs.recv().await?;
        self.behind_another_commit().await;
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // Counted before the queue is let go, so the next worker sees this commit.
        self.committing.fetch_add(1, Ordering::SeqCst);
        Some(batch)
    }

    /// Waits while another worker commits, at most [`STANDBY`].
    async fn behind_another_commit(&self) {
        let committed = self.committed.notified();
        tokio::pin!(committed);
        // Listening before looking, so a commit that ends in between is not missed.
        committed.as_mut().enable();
        if self.committing.load(Ordering::SeqCst) > 0 {
            // Past the standby the database is slow: this batch goes ahead.
            let _ = tokio::time::timeout(STANDBY, committed).await;
        }
    }
}

/// Commits a batch and answers each of its webhooks; whether anything was committed. When the
/// batch fails because one of its writes is wrong in itself, each webhook's writes are tried
/// alone, so one bad write does not cost the others; when the database is away, every webhook
/// is told at once.
async fn settle(pool: &PgPool, batch: Vec<Job>) -> bool {
    if batch.len() > 1 {
        match commit(pool, batch.iter().flat_map(|job| &job.writes)).await {
            Ok(()) => {
                for job in batch {
                    // The webhook may have stopped waiting; nothing to do then.
                    let _ = job.reply.send(Ok(()));
                }
                return true;
            }
            Err(StoreError::Unavailable(sqlx::Error::Database(_))) => {}
            Err(error) => {
                for job in batch {
                    crate::store::log_failed_writes(&job.writes, &error);
                    let _ = job
                        .reply
                        .send(Err(StoreError::NotCommitted(error.to_string())));
                }
                return false;
            }
        }
    }
    let mut any = false;
    for job in batch {
        let result = commit(pool, job.writes.iter()).await;
        match &result {
            Ok(()) => any = true,
            Err(error) => crate::store::log_failed_writes(&job.writes, error),
        }
        let _ = job.reply.send(result);
    }
    any
}

/// Applies the writes in one transaction, in as few statements as their meaning allows
/// (`fuse.rs`): each layer of the calls' independent writes in one statement, the steps in the
/// first. When that leaves one statement, it is its own transaction, without `begin` and
/// `commit` round trips.
async fn commit<'a>(
    pool: &PgPool,
    writes: impl Iterator<Item = &'a CallWrite>,
) -> Result<(), StoreError> {
    let mut layers = fuse::layers(writes).into_iter();
    let Some(first) = layers.next() else {
        return Ok(());
    };
    let first = statement(first)?;
    if layers.len() == 0 {
        first.execute(pool).await?;
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    first.execute(&mut *tx).await?;
    for layer in layers {
        statement(layer)?.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The statement for one layer; a write that does not fit its many-rows form is a defect in
/// this program, reported rather than half-applied.
fn statement(
    layer: Vec<Part>,
) -> Result<sqlx::query::Query<'static, sqlx::Postgres, sqlx::postgres::PgArguments>, StoreError> {
    fuse::statement(layer).map_err(|_: Unfit| {
        StoreError::NotCommitted("a write's values do not fit its statement".to_string())
    })
}
