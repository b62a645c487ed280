//! Group commit for the webhooks' writes on PostgreSQL. Webhooks that write at the same moment
//! share a transaction, so a surge costs one commit (one WAL flush, one `begin` and one
//! `commit` round trip) per batch rather than per webhook. Each webhook still returns only once
//! its own writes are committed: the call's next webhook may reach another instance.
//!
//! A few workers take batches from one queue, each on a connection of its own: under light
//! load every webhook is its own batch and nobody waits for anybody, and a slow database
//! (every round trip long) is still worked in parallel rather than one batch at a time.

use std::sync::Arc;

use sqlx::PgPool;
use tokio::sync::{Mutex, mpsc, oneshot};

use super::fuse::{self, Part};
use super::many::Unfit;
use super::steps::Steps;
use crate::store::changes::Signal;
use crate::store::{CallWrite, StoreError};

/// The most webhooks one transaction carries: enough to share a commit across a surge, few
/// enough that one batch's statements do not keep its webhooks waiting long.
const MAX_BATCH: usize = 16;

/// The most workers committing at once. On two cores (the surge benchmark, 2,000 calls) two
/// workers cost a call 1.63 ms of CPU (server and database together, median of four runs)
/// where three cost 1.86 ms, with a lower p99; five had cost more than three: with fewer
/// transactions at once, each carries more webhooks, so `begin`, `commit` and their WAL flush
/// are paid less often. Two still keep one slow round trip to a distant database from holding
/// up every batch.
pub(super) const MAX_WORKERS: u32 = 2;

/// One webhook's writes and where to say they were committed.
struct Job {
    writes: Vec<CallWrite>,
    reply: oneshot::Sender<Result<(), StoreError>>,
}

/// The queue webhooks put their writes in.
pub(super) struct Batches {
    inbox: mpsc::UnboundedSender<Job>,
}

impl Batches {
    /// Starts `workers` workers committing on `pool`; `changed` is raised after a commit that
    /// changed what a console page shows.
    pub(super) fn start(pool: PgPool, workers: u32, changed: Signal) -> Batches {
        let (inbox, jobs) = mpsc::unbounded_channel();
        let jobs = Arc::new(Mutex::new(jobs));
        for _ in 0..workers.max(1) {
            tokio::spawn(work(pool.clone(), Arc::clone(&jobs), changed.clone()));
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
async fn work(pool: PgPool, jobs: Arc<Mutex<mpsc::UnboundedReceiver<Job>>>, changed: Signal) {
    loop {
        let batch = {
            let mut queue = jobs.lock().await;
            let Some(first) = queue.recv().await else {
                return;
            };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            batch
        };
        let shown = (batch.iter()).any(|job| job.writes.iter().any(CallWrite::shows_on_console));
        if settle(&pool, batch).await && shown {
            changed.raise();
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
/// (`fuse.rs`): the steps together, carried by the first statement, and each layer of the
/// calls' independent writes in one statement. When that leaves one statement, it is its own
/// transaction, without `begin` and `commit` round trips.
async fn commit<'a>(
    pool: &PgPool,
    writes: impl Iterator<Item = &'a CallWrite>,
) -> Result<(), StoreError> {
    let mut steps = Steps::default();
    let mut calls: Vec<(&str, Vec<Part>)> = Vec::new();
    for write in writes {
        if let CallWrite::Step(step) = write {
            steps.push(step);
            continue;
        }
        let call_sid = write.call_sid();
        let part = Part::of(write);
        match calls.iter_mut().find(|(sid, _)| *sid == call_sid) {
            Some((_, parts)) => parts.push(part),
            None => calls.push((call_sid, vec![part])),
        }
    }
    let mut layers = fuse::layers(calls.into_iter().map(|(_, parts)| parts).collect());
    if layers.is_empty() {
        if !steps.is_empty() {
            steps.insert().execute(pool).await?;
        }
        return Ok(());
    }
    let rest = layers.split_off(1);
    let first = statement(layers.remove(0), steps)?;
    if rest.is_empty() {
        first.execute(pool).await?;
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    first.execute(&mut *tx).await?;
    for layer in rest {
        statement(layer, Steps::default())?
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The statement for one layer; a write that does not fit its many-rows form is a defect in
/// this program, reported rather than half-applied.
fn statement(
    layer: Vec<Part>,
    steps: Steps,
) -> Result<sqlx::query::Query<'static, sqlx::Postgres, sqlx::postgres::PgArguments>, StoreError> {
    fuse::statement(layer, steps).map_err(|_: Unfit| {
        StoreError::NotCommitted("a write's values do not fit its statement".to_string())
    })
}
