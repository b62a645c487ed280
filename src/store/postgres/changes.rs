//! Changes across instances. After a commit a console page may show, an instance sends
//! `NOTIFY hotline_changes` with no payload (nothing about the change travels), at most one
//! every `SPACING` however many commits there are; and each instance keeps one connection that
//! listens on that channel and bumps its feed, which its pages' event streams watch. A change
//! to the block list also sends `NOTIFY hotline_blocks` inside its own transaction, never held
//! back, so every instance drops its copy of the list (`blocks/cache.rs`) as it commits. An
//! instance hears its own changes the same way. While it cannot listen it says so
//! (`live: false`): the pages look on a timer and new calls read the block list until it
//! listens again.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use tokio::runtime::Handle;
use tokio::sync::oneshot;

use crate::store::changes::{Feed, Signal};

/// The channel every instance of one database notifies and listens on, and the statement
/// that notifies it.
const CHANNEL: &str = "hotline_changes";
const NOTIFY: &str = "notify hotline_changes";
/// The channel of changes to the block list, and the statement a block or unblock runs.
const BLOCKS_CHANNEL: &str = "hotline_blocks";
pub(super) const NOTIFY_BLOCKS: &str = "notify hotline_blocks";
/// What the listening connection is called in `pg_stat_activity`, so it can be told apart.
pub const LISTENER_NAME: &str = "hotline-listener";
/// The least time between two NOTIFYs of one instance: a surge of callers costs the database a
/// few notifications a second, whatever the number of commits, and every page waits longer
/// than this between two looks anyway.
const SPACING: Duration = Duration::from_millis(50);
/// The gauge that says whether this instance listens.
const LISTENING: &str = "hotline_live_updates_listening";
/// How long connecting the listener may take before it counts as a failure.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// The pause after a failure to listen; it doubles up to `LAST_RETRY`, so a database that is
/// away is asked every few seconds.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(5);

/// Where the announcer is: no NOTIFY due, one being sent, or one more due after it.
const IDLE: u8 = 0;
const SENDING: u8 = 1;
const AGAIN: u8 = 2;

/// A signal that NOTIFYs every instance's listener through `pool`, after the commit that
/// raised it. Changes raised while a NOTIFY is being sent are covered by one more after it.
pub(super) fn announcer(pool: PgPool) -> Signal {
    let state = Arc::new(AtomicU8::new(IDLE));
    Signal::new(move || {
        let before = state.fetch_update(Ordering::AcqRel, Ordering::Acquire, |now| {
            Some(if now == IDLE { SENDING } else { AGAIN })
        });
        if before != Ok(IDLE) {
            return;
        }
        match Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(announce(pool.clone(), Arc::clone(&state)))),
            // No runtime, no listeners in this process; the others find out by looking.
            Err(_) => state.store(IDLE, Ordering::Release),
        }
    })
}

/// Sends NOTIFYs while changes keep being raised, `SPACING` apart.
async fn announce(pool: PgPool, state: Arc<AtomicU8>) {
    loop {
        if let Err(error) = pool.execute(NOTIFY).await {
            // The change itself was committed; the pages will see it when they next look.
            tracing::debug!(%error, "could not tell the other instances of a change");
        }
        tokio::time::sleep(SPACING).await;
        if state
            .compare_exchange(SENDING, IDLE, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            return;
        }
        // It was AGAIN, which only this task leaves: the next NOTIFY covers what raised it.
        state.store(SENDING, Ordering::Release);
    }
}

/// Starts this instance's listener, which bumps `feed` for every notification until the
/// returned sender is dropped; `None` outside a runtime, where nothing can listen.
pub(super) fn listen(options: PgConnectOptions, feed: Feed) -> Option<oneshot::Sender<()>> {
    let runtime = Handle::try_current().ok()?;
    let (stop, stopped) = oneshot::channel();
    let options = options.application_name(LISTENER_NAME);
    drop(runtime.spawn(run(options, feed, stopped)));
    Some(stop)
}

/// Listens, and listens again after each failure, until told to stop.
async fn run(options: PgConnectOptions, feed: Feed, mut stop: oneshot::Receiver<()>) {
    let mut outage = Outage::default();
    loop {
        let why = tokio::select! {
            _ = &mut stop => return,
            why = listen_once(&options, &feed, &mut outage) => why,
        };
        outage.began(&why);
        tokio::select! {
            _ = &mut stop => return,
            () = tokio::time::sleep(outage.pause()) => {}
        }
    }
}

/// One connection's life: connects, listens, and bumps the feed for each notification until
/// the connection fails; why it ended.
async fn listen_once(options: &PgConnectOptions, feed: &Feed, outage: &mut Outage) -> String {
    let pool = match PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(CONNECT_TIMEOUT)
        // The connection is meant to live as long as the server.
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options.clone())
        .await
    {
        Ok(pool) => pool,
        Err(error) => return error.to_string(),
    };
    let why = match subscribe(&pool).await {
        Ok(mut listener) => {
            feed.set_live(true);
            outage.ended();
            let why = receive(&mut listener, feed).await;
            feed.set_live(false);
            why
        }
        Err(error) => error.to_string(),
    };
    // A broken connection must not hold the close up.
    let _ = tokio::time::timeout(CONNECT_TIMEOUT, pool.close()).await;
    why
}

async fn subscribe(pool: &PgPool) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    // A lost connection is reported, not quietly replaced, so `live` tells the truth.
    listener.eager_reconnect(false);
    listener.listen_all([CHANNEL, BLOCKS_CHANNEL]).await?;
    Ok(listener)
}

/// Bumps the feed for each notification until the connection fails; why it did.
async fn receive(listener: &mut PgListener, feed: &Feed) -> String {
    loop {
        match listener.try_recv().await {
            Ok(Some(heard)) if heard.channel() == BLOCKS_CHANNEL => feed.bump_blocks(),
            Ok(Some(_)) => feed.bump(),
            Ok(None) => return "the connection was lost".into(),
            Err(error) => return error.to_string(),
        }
    }
}

/// A time without a listener: logged once when it begins and once when it ends, with pauses
/// that grow between the attempts in between, and shown by the `LISTENING` gauge.
struct Outage {
    logged: bool,
    pause: Duration,
}

impl Default for Outage {
    fn default() -> Self {
        Self {
            logged: false,
            pause: FIRST_RETRY,
        }
    }
}

impl Outage {
    fn began(&mut self, why: &str) {
        metrics::gauge!(LISTENING).set(0.0);
        if self.logged {
            tracing::debug!(why, "live updates: still not listening for other instances");
            return;
        }
        self.logged = true;
        tracing::warn!(
            why,
            "live updates: not listening for other instances' changes; console pages fall \
             back to looking on a timer until the listener connects again"
        );
    }

    fn ended(&mut self) {
        metrics::gauge!(LISTENING).set(1.0);
        if std::mem::take(&mut self.logged) {
            tracing::info!("live updates: listening for other instances' changes again");
        }
        self.pause = FIRST_RETRY;
    }

    /// The pause before the next attempt; the one after it is longer.
    fn pause(&mut self) -> Duration {
        let pause = self.pause;
        self.pause = (pause * 2).min(LAST_RETRY);
        pause
    }
}
