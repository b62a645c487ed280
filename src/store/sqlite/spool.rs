//! The writer thread's loop: jobs wait in a spool, in the order they came, and are committed
//! from its front in batches. When the database cannot be written (locked by another process,
//! read-only, full), the jobs stay in the spool and are tried again with a growing pause, so
//! nothing queued while it was away is lost; once it takes writes again they land in order.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use rusqlite::{Connection, TransactionBehavior};
use tokio::sync::oneshot;

use super::calls;
use super::writer::{Job, Message, Shared};
use crate::store::{CallWrite, StoreError};

/// The most jobs committed in one transaction.
const MAX_BATCH: usize = 256;
/// The most jobs kept while the database is away: at seven webhooks a call, minutes of a
/// surge, in tens of megabytes. Beyond it new jobs are dropped, logged and counted.
const SPOOL_LIMIT: usize = 100_000;
/// The pause after the first failed commit; it doubles up to `LAST_PAUSE`.
const FIRST_PAUSE: Duration = Duration::from_millis(50);
const LAST_PAUSE: Duration = Duration::from_secs(2);
/// How long a writer whose handles are all gone keeps trying before it gives up the rest.
const CLOSING_GRACE: Duration = Duration::from_secs(10);

/// Runs until every handle is dropped and the spool is empty (or the grace has passed).
pub(super) fn run(mut conn: Connection, inbox: &Receiver<Message>, shared: &Shared) {
    let _stopped = Stopped(shared);
    let mut spool = Spool::default();
    let mut pause = FIRST_PAUSE;
    let mut closed: Option<Instant> = None;
    loop {
        spool.answer_flushes();
        if spool.jobs.is_empty() {
            if closed.is_some() {
                break;
            }
            match inbox.recv() {
                Ok(message) => spool.take(message),
                Err(_) => break,
            }
        }
        if spool.take_waiting(inbox) {
            closed.get_or_insert_with(Instant::now);
        }
        if spool.jobs.is_empty() {
            continue;
        }
        if spool.commit_front(&mut conn, shared) {
            pause = FIRST_PAUSE;
        } else {
            if closed.is_some_and(|at| at.elapsed() > CLOSING_GRACE) {
                spool.abandon();
                break;
            }
            if spool.wait(inbox, pause) {
                closed.get_or_insert_with(Instant::now);
            }
            pause = (pause * 2).min(LAST_PAUSE);
        }
        metrics::gauge!("hotline_store_writes_waiting").set(spool.jobs.len() as f64);
    }
    spool.answer_flushes();
}

/// Marks the writer stopped when its thread ends, however it ends.
struct Stopped<'a>(&'a Shared);

impl Drop for Stopped<'_> {
    fn drop(&mut self) {
        self.0.stopped.store(true, Ordering::Relaxed);
    }
}

#[derive(Default)]
struct Spool {
    jobs: VecDeque<Job>,
    /// Flushes waiting, with the number of jobs received before each.
    flushes: Vec<(u64, oneshot::Sender<()>)>,
    /// Jobs received so far, and of those committed or given up (always a prefix).
    received: u64,
    settled: u64,
    /// Jobs dropped since the spool was last below its limit.
    dropped: u64,
}

impl Spool {
    fn take(&mut self, message: Message) {
        match message {
            Message::Flush(done) => self.flushes.push((self.received, done)),
            Message::Job(job) if self.jobs.len() >= SPOOL_LIMIT => self.drop_job(job),
            Message::Job(job) => {
                self.received += 1;
                self.dropped = 0;
                self.jobs.push_back(job);
            }
        }
    }

    /// Takes every message already sent; true when every handle is gone.
    fn take_waiting(&mut self, inbox: &Receiver<Message>) -> bool {
        loop {
            match inbox.try_recv() {
                Ok(message) => self.take(message),
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => return true,
            }
        }
    }

    /// Pauses for `pause` while taking what arrives; true when every handle is gone.
    fn wait(&mut self, inbox: &Receiver<Message>, pause: Duration) -> bool {
        let until = Instant::now() + pause;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match inbox.recv_timeout(left) {
                Ok(message) => self.take(message),
                Err(RecvTimeoutError::Timeout) => return false,
                Err(RecvTimeoutError::Disconnected) => return true,
            }
        }
    }

    /// Commits the jobs at the front. True when the spool moved on (jobs committed, or a
    /// wrong job given up); false when the database could not be written.
    fn commit_front(&mut self, conn: &mut Connection, shared: &Shared) -> bool {
        let n = self.jobs.len().min(MAX_BATCH);
        let result = transaction(
            conn,
            shared,
            self.jobs.iter().take(n).map(|job| &job.writes),
        );
        match result {
            Ok(()) => {
                self.committed(n, shared);
                true
            }
            Err(error) if calls::is_unavailable(&error) => {
                self.unavailable(&error, shared);
                false
            }
            Err(error) if n == 1 => {
                self.give_up_front(&error);
                true
            }
            // Some job in the batch is wrong; each alone finds which.
            Err(_) => self.commit_one_by_one(n, conn, shared),
        }
    }

    fn commit_one_by_one(&mut self, n: usize, conn: &mut Connection, shared: &Shared) -> bool {
        for _ in 0..n {
            let Some(job) = self.jobs.front() else {
                break;
            };
            match transaction(conn, shared, std::iter::once(&job.writes)) {
                Ok(()) => self.committed(1, shared),
                Err(error) if calls::is_unavailable(&error) => {
                    self.unavailable(&error, shared);
                    return false;
                }
                Err(error) => self.give_up_front(&error),
            }
        }
        true
    }

    fn committed(&mut self, n: usize, shared: &Shared) {
        shared.commits.fetch_add(1, Ordering::Relaxed);
        if shared.failing.swap(false, Ordering::Relaxed) {
            tracing::info!(
                waiting = self.jobs.len(),
                "the database takes writes again; writing what waited"
            );
        }
        // Once per batch, however many of its writes the console shows.
        let mut writes = self.jobs.iter().take(n).flat_map(|job| &job.writes);
        if writes.any(CallWrite::shows_on_console) {
            shared.changed.raise();
        }
        for job in self.jobs.drain(..n) {
            self.settled += 1;
            if let Some(reply) = job.reply {
                // The caller may have stopped waiting; nothing to do then.
                let _ = reply.send(Ok(()));
            }
        }
    }

    /// The database refused the commit as a whole: every job stays, and whoever waits for one
    /// is told now, so a caller hears the fallback instead of silence.
    fn unavailable(&mut self, error: &rusqlite::Error, shared: &Shared) {
        metrics::counter!("hotline_store_commit_failures_total").increment(1);
        if !shared.failing.swap(true, Ordering::Relaxed) {
            tracing::error!(
                %error,
                waiting = self.jobs.len(),
                "the database cannot be written; keeping the writes and trying again"
            );
        }
        for job in &mut self.jobs {
            if let Some(reply) = job.reply.take() {
                let _ = reply.send(Err(StoreError::Unwritable(error.to_string())));
            }
        }
    }

    /// The job at the front fails on its own: it would fail again, so it is given up.
    fn give_up_front(&mut self, error: &rusqlite::Error) {
        let Some(job) = self.jobs.pop_front() else {
            return;
        };
        self.settled += 1;
        metrics::counter!("hotline_store_errors_total").increment(1);
        crate::store::log_failed_writes(&job.writes, error);
        if let Some(reply) = job.reply {
            let _ = reply.send(Err(StoreError::Refused(error.to_string())));
        }
    }

    fn drop_job(&mut self, job: Job) {
        metrics::counter!("hotline_store_writes_dropped_total").increment(1);
        if self.dropped == 0 {
            tracing::error!(
                limit = SPOOL_LIMIT,
                "too many writes are waiting for the database; dropping new ones"
            );
        }
        self.dropped += 1;
        if let Some(reply) = job.reply {
            let _ = reply.send(Err(StoreError::Backlog));
        }
    }

    /// Gives up everything still waiting, when the server is gone and the database is too.
    fn abandon(&mut self) {
        let lost = self.jobs.len();
        metrics::counter!("hotline_store_writes_dropped_total").increment(lost as u64);
        tracing::error!(
            jobs = lost,
            "the server stopped while the database could not be written; these writes are lost"
        );
        self.settled += lost as u64;
        self.jobs.clear();
    }

    fn answer_flushes(&mut self) {
        let settled = self.settled;
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.flushes)
            .into_iter()
            .partition(|(before, _)| *before <= settled);
        self.flushes = waiting;
        for (_, done) in ready {
            let _ = done.send(());
        }
    }
}

/// Applies the jobs' writes in one transaction and commits it, in its turn with operators'
/// changes. IMMEDIATE takes the write lock up front, so a lock held by another process is
/// waited for (busy timeout) instead of failing midway.
fn transaction<'a>(
    conn: &mut Connection,
    shared: &Shared,
    jobs: impl Iterator<Item = &'a Vec<CallWrite>>,
) -> rusqlite::Result<()> {
    let _turn = shared.turn.take_blocking();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for writes in jobs {
        for write in writes {
            calls::apply(&tx, write)?;
        }
    }
    tx.commit()
}
