//! Operators' changes on SQLite, committed together. One task owns the desk's connection. When
//! changes wait, it takes the write turn, begins one transaction and lends the connection to
//! each change in turn, inside a savepoint of its own; once no more wait, it commits them all
//! with one sync. Each change returns only once that commit is on disk, so a claim, a dial or
//! an audit entry is as durable as before, while sixteen operators working at once cost one
//! sync a batch instead of one each (and the callers' writer waits for one batch, not sixteen).
//!
//! The connection moves to the change's task and back (a [`Lease`]), so the role bindings
//! use it as any connection. A change dropped without committing gives it back at once and is
//! rolled back to its savepoint; one abandoned before it got the connection costs nothing.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::future::BoxFuture;
use sqlx::{Executor, Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{mpsc, oneshot};

use crate::store::desk_conn::{HeldTx, WriteTurn};

/// The most changes one transaction carries: a batch holds the write lock, and the callers'
/// writer waits for it.
const MAX_BATCH: usize = 32;

/// Where changes ask for the connection.
pub(super) struct DeskLine {
    asks: mpsc::UnboundedSender<Ask>,
    commits: Arc<AtomicU64>,
}

/// A change asking for the connection.
struct Ask {
    lend: oneshot::Sender<sqlx::Result<Lease>>,
}

/// The connection, lent to one change inside the shared transaction. The transaction itself
/// moves: should it ever be lost, sqlx rolls it back, so no write lock is left behind.
pub(super) struct Lease {
    conn: Option<Transaction<'static, Sqlite>>,
    /// Where the connection goes back, with whether the change is to be kept.
    back: Option<oneshot::Sender<(Transaction<'static, Sqlite>, bool)>>,
    /// Told once the shared transaction is committed (or not).
    done: Option<oneshot::Receiver<Result<(), String>>>,
}

impl DeskLine {
    /// Starts the task that owns the desk's connection (from `pool`, of one connection).
    pub(super) fn start(pool: SqlitePool, turn: WriteTurn) -> DeskLine {
        let (asks, waiting) = mpsc::unbounded_channel();
        let commits = Arc::new(AtomicU64::new(0));
        tokio::spawn(lend(pool, turn, waiting, Arc::clone(&commits)));
        DeskLine { asks, commits }
    }

    /// Transactions committed so far.
    pub(super) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// The connection, inside the shared transaction, once the change's turn comes.
    pub(super) async fn lease(&self) -> sqlx::Result<Lease> {
        let (lend, lent) = oneshot::channel();
        self.asks
            .send(Ask { lend })
            .map_err(|_| failed("the desk's connection has stopped"))?;
        lent.await
            .map_err(|_| failed("the desk's connection has stopped"))?
    }
}

impl Lease {
    /// Gives the connection back; `keep` says whether the change stays in the transaction.
    fn give_back(&mut self, keep: bool) {
        if let (Some(conn), Some(back)) = (self.conn.take(), self.back.take()) {
            // The lender is gone only when the server stops; the connection goes with it.
            let _ = back.send((conn, keep));
        }
    }
}

impl HeldTx<Sqlite> for Lease {
    fn commit(mut self: Box<Self>) -> BoxFuture<'static, sqlx::Result<()>> {
        self.give_back(true);
        let done = self.done.take();
        Box::pin(async move {
            let Some(done) = done else {
                return Err(failed("the change was already given back"));
            };
            match done.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(why)) => Err(failed(&why)),
                Err(_) => Err(failed("the desk's connection stopped before committing")),
            }
        })
    }
}

impl Drop for Lease {
    /// Not committed: rolled back to its savepoint, and the connection goes back at once.
    fn drop(&mut self) {
        self.give_back(false);
    }
}

impl Deref for Lease {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        // Present from lending until it is given back, which only commit and drop do.
        self.conn.as_deref().expect("a lease holds the connection")
    }
}

impl DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        // As in `deref`.
        self.conn
            .as_deref_mut()
            .expect("a lease holds the connection")
    }
}

/// The lender: a batch of changes per transaction, until every `DeskLine` is gone.
async fn lend(
    pool: SqlitePool,
    turn: WriteTurn,
    mut asks: mpsc::UnboundedReceiver<Ask>,
    commits: Arc<AtomicU64>,
) {
    'batches: while let Some(first) = asks.recv().await {
        let _turn = turn.take().await;
        // IMMEDIATE takes SQLite's write lock up front, so changes that read before they write
        // wait for another process's lock (busy timeout) instead of failing halfway.
        let mut tx = match pool.begin_with("begin immediate").await {
            Ok(tx) => Some(tx),
            Err(error) => {
                let _ = first.lend.send(Err(error));
                continue;
            }
        };
        let mut kept = Vec::new();
        let mut next = Some(first);
        while let Some(ask) = next.take() {
            let Some(open) = tx.take() else {
                break;
            };
            match serve(open, ask, !kept.is_empty()).await {
                Served::Kept(back, done) => {
                    tx = Some(back);
                    kept.push(done);
                }
                Served::Undone(back) => tx = Some(back),
                // Only a change alone in the transaction spoils it: nothing else is lost.
                Served::Spoiled(back) => {
                    let _ = back.rollback().await;
                    continue 'batches;
                }
                Served::Lost(why) => {
                    tell(kept, Err(why));
                    continue 'batches;
                }
            }
            if kept.len() < MAX_BATCH {
                next = asks.try_recv().ok();
            }
        }
        if let Some(tx) = tx {
            let committed = tx.commit().await.map_err(|e| e.to_string());
            if committed.is_ok() {
                commits.fetch_add(1, Ordering::Relaxed);
            }
            tell(kept, committed);
        }
    }
}

/// What became of a change lent the transaction.
enum Served {
    /// It committed its part; told once the transaction is.
    Kept(
        Transaction<'static, Sqlite>,
        oneshot::Sender<Result<(), String>>,
    ),
    /// It gave up, and what it did is undone (or it did nothing).
    Undone(Transaction<'static, Sqlite>),
    /// It gave up alone in the transaction, without a savepoint: the transaction must go.
    Spoiled(Transaction<'static, Sqlite>),
    /// The transaction did not come back.
    Lost(String),
}

/// Lends the transaction to one change. `guarded`: other changes are already kept in it, so
/// this one gets a savepoint to be undone to; alone, it needs none (a round trip each way
/// saved), and if it gives up the whole transaction is rolled back.
async fn serve(mut tx: Transaction<'static, Sqlite>, ask: Ask, guarded: bool) -> Served {
    if guarded && let Err(error) = tx.execute("savepoint change").await {
        let _ = ask.lend.send(Err(error));
        return Served::Undone(tx);
    }
    let (back, returned) = oneshot::channel();
    let (told, done) = oneshot::channel();
    let lease = Lease {
        conn: Some(tx),
        back: Some(back),
        done: Some(done),
    };
    let (tx, keep) = match ask.lend.send(Ok(lease)) {
        Ok(()) => match returned.await {
            Ok(back) => back,
            Err(_) => return Served::Lost("a change lost the desk's transaction".into()),
        },
        // Asked and gone before it was lent: it did nothing.
        Err(Ok(mut unwanted)) => {
            unwanted.back = None;
            match unwanted.conn.take() {
                Some(tx) => (tx, false),
                None => return Served::Lost("the desk's transaction was lost".into()),
            }
        }
        Err(Err(_)) => return Served::Lost("the desk's transaction was lost".into()),
    };
    match (keep, guarded) {
        (true, false) => Served::Kept(tx, told),
        (false, false) => Served::Spoiled(tx),
        (keep, true) => match end_savepoint(tx, keep).await {
            Ok(tx) if keep => Served::Kept(tx, told),
            Ok(tx) => Served::Undone(tx),
            Err(why) => Served::Lost(why),
        },
    }
}

/// Keeps or undoes the change since the savepoint, and ends it.
async fn end_savepoint(
    mut tx: Transaction<'static, Sqlite>,
    keep: bool,
) -> Result<Transaction<'static, Sqlite>, String> {
    if !keep {
        tx.execute("rollback to change")
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.execute("release change")
        .await
        .map_err(|e| e.to_string())?;
    Ok(tx)
}

/// Tells the kept changes how the commit went.
fn tell(kept: Vec<oneshot::Sender<Result<(), String>>>, result: Result<(), String>) {
    for done in kept {
        let _ = done.send(result.clone());
    }
}

fn failed(why: &str) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(why.to_string()))
}
