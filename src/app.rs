//! Start-up: checks the settings, loads the flows, opens the database, binds the listener, and
//! runs the server until it is told to stop.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::catalog::library::Flows;
use crate::clock::Clock;
use crate::config::ServeArgs;
use crate::desk::Desk;
use crate::engine::Links;
use crate::http::{self, AppState};
use crate::line::Line;
use crate::operators::block_key::BlockKey;
use crate::operators::caller_key::CallerKey;
use crate::operators::pin_key::PinKey;

/// A bound, ready server.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    _serving: Option<crate::store::open::ServingLock>,
    stop: watch::Sender<bool>,
    /// How long callers' data is kept.
    retention: crate::config::RetentionArgs,
    /// The flows folder and how often to look for changes; `None` when reloading is off.
    reload: Option<(std::path::PathBuf, Duration)>,
}

impl Application {
    /// Everything short of serving: refuses unsafe settings, loads and checks the flows,
    /// connects and migrates the database, binds the address.
    pub async fn build(args: &ServeArgs) -> anyhow::Result<Application> {
        let token = args.auth_token();
        refuse_unsafe_exposure(args, token.is_some())?;
        let flows = crate::catalog::files::load_dir(&args.flows)?;
        let serving = crate::store::open::lock_for_serving(&args.database_url)?;
        let secret = args.secret.resolve(&args.database_url)?;
        let store = crate::store::open::connect_pooled(&args.database_url, args.database_pool_size)
            .await
            .with_context(|| {
                format!(
                    "cannot open the database {}",
                    crate::store::without_secrets(&args.database_url)
                )
            })?;
        let listener = TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        let local = listener
            .local_addr()
            .context("the listener has no address")?;
        let public_url = args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{local}"));
        if token.is_none() {
            tracing::warn!(
                "NO AUTH TOKEN: accepting unsigned webhooks on {local}; never expose this server"
            );
        }
        for flow in flows.flows() {
            tracing::info!(hotline = %flow.id, version = %flow.version, nodes = flow.nodes.len(), "flow loaded");
        }
        let caller_key = match args.caller_key.as_deref().filter(|k| !k.is_empty()) {
            None => None,
            Some(text) => Some(CallerKey::new(text).context(
                "--caller-key (HOTLINE_CALLER_KEY) needs at least 16 characters to be a secret",
            )?),
        };
        let deadline = Duration::from_secs_f64(args.webhook_deadline.clamp(0.1, 14.0));
        let clock = args.clock.map_or(Clock::System, Clock::Frozen);
        if let Clock::Frozen(t) = clock {
            tracing::warn!(%t, "the clock is frozen; opening hours are evaluated at this instant");
        }
        let flows = Flows::new(flows, jiff::Timestamp::now().as_millisecond());
        let (stop, stopping) = watch::channel(false);
        let desk = Desk::new(
            Arc::clone(&store),
            flows.clone(),
            clock,
            args.callback_policy(),
            PinKey::from_secret(&secret),
            BlockKey::from_secret(&secret),
        );
        let rekeyed = desk
            .rekey_pins()
            .await
            .context("cannot convert PIN digests")?;
        if rekeyed > 0 {
            tracing::info!(
                rekeyed,
                "operator-line PINs now stored under the server secret"
            );
        }
        let api = &args.provider_api;
        let provider = crate::telephony::ProviderApi::new(
            &api.twilio_api_url,
            api.twilio_account_sid.as_deref().unwrap_or_default(),
            api.twilio_api_key.as_deref().unwrap_or_default(),
            api.twilio_api_secret.as_deref().unwrap_or_default(),
        );
        let desk = desk
            .with_provider(provider.map(Arc::new))
            .with_presence_idle_minutes(args.presence_idle_minutes);
        let seal = crate::engine::StateSeal::new(secret.key_for("call state in webhook URLs"));
        let links = Arc::new(Links::sealed(&public_url, seal));
        let line = Line::new(
            flows.clone(),
            Arc::clone(&store),
            Arc::clone(&links),
            clock,
            caller_key.clone(),
            BlockKey::from_secret(&secret),
        );
        let state = AppState {
            flows,
            store,
            links,
            line,
            auth_token: token,
            clock,
            deadline,
            desk,
            session_length: Duration::from_secs(args.session_hours.clamp(1, 24 * 30) * 3600),
            trust_operator_caller_id: args.trust_operator_caller_id,
            caller_key,
            secret,
            password_checks: Arc::new(tokio::sync::Semaphore::new(PASSWORD_CHECKS)),
            stopping,
        };
        tracing::info!(%local, %public_url, "listening");
        Ok(Application {
            listener,
            state,
            _serving: serving,
            stop,
            retention: args.retention,
            reload: (args.flows_poll_seconds > 0.0).then(|| {
                let every = Duration::from_secs_f64(args.flows_poll_seconds.clamp(0.2, 3600.0));
                (args.flows.clone(), every)
            }),
        })
    }

    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The handlers' shared state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        crate::telemetry::metrics();
        let sweeper = tokio::spawn(release_lapsed_claims(self.state.desk.clone()));
        let settler = tokio::spawn(settle_forgotten_calls(self.state.line.clone()));
        let purger = tokio::spawn(purge_hourly(
            Arc::clone(&self.state.store),
            self.state.clock,
            self.retention,
        ));
        if let Some((dir, every)) = self.reload {
            let (flows, stopping) = (self.state.flows.clone(), self.state.stopping.clone());
            tokio::spawn(crate::catalog::library::watch(dir, flows, every, stopping));
        }
        let store = Arc::clone(&self.state.store);
        let router = http::router(self.state);
        let stop = self.stop;
        let shutdown = async move {
            shutdown.await;
            // Endless responses end first; the graceful shutdown then waits only for the rest.
            stop.send_replace(true);
        };
        axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown)
            .await
            .context("the server stopped with an error")?;
        sweeper.abort();
        settler.abort();
        purger.abort();
        flush_writes(store.as_ref()).await;
        Ok(())
    }
}

/// How long a stopping server waits for the writes still queued to reach the database.
const FLUSH_GRACE: Duration = Duration::from_secs(10);

/// Console password checks run at once: one, so that on the smallest machine (two cores) a
/// flood of sign-ins always leaves a core to the callers.
const PASSWORD_CHECKS: usize = 1;

/// Waits for queued writes before the process ends, so a graceful stop loses none of them.
async fn flush_writes(store: &dyn crate::store::Store) {
    match tokio::time::timeout(FLUSH_GRACE, store.flush()).await {
        Ok(Ok(())) => tracing::info!("every queued write is in the database"),
        Ok(Err(error)) => tracing::error!(%error, "could not finish the queued writes"),
        Err(_) => tracing::error!(
            grace = ?FLUSH_GRACE,
            "the database did not take the queued writes in time; they are lost"
        ),
    }
}

/// Every minute, returns callback requests whose claim has lapsed to pending, so the queue
/// shows them as waiting again. (Claims also take over lapsed claims directly; this keeps
/// what operators see true between claims.)
async fn release_lapsed_claims(desk: Desk) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        match desk.release_lapsed_claims().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(requests = n, "lapsed claims returned to pending"),
            Err(error) => tracing::warn!(%error, "could not release lapsed claims"),
        }
    }
}

/// Every minute, turns what callers gave on calls whose end was never reported into
/// requests, so a lost status callback loses nobody.
async fn settle_forgotten_calls(line: Line) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        match line.settle_forgotten().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(calls = n, "unfinished requests of silent calls settled"),
            Err(error) => tracing::warn!(%error, "could not settle unfinished requests"),
        }
    }
}

/// A server reachable from other machines must check signatures against a known public URL.
fn refuse_unsafe_exposure(args: &ServeArgs, has_token: bool) -> anyhow::Result<()> {
    let loopback = args.bind.ip().is_loopback();
    if !has_token && !loopback {
        bail!(
            "refusing to accept unsigned webhooks on {}: set --twilio-auth-token (HOTLINE_TWILIO_AUTH_TOKEN), \
             or bind to 127.0.0.1 for local testing",
            args.bind
        );
    }
    if args.public_url.is_none() && !loopback {
        bail!(
            "set --public-url (HOTLINE_PUBLIC_URL) to the https:// address the provider uses to reach this server"
        );
    }
    if let Some(url) = &args.public_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        bail!("--public-url must start with https:// (or http://), got `{url}`");
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight webhooks");
}

/// Every hour (and once at start), purges callers' data older than the retention allows; each
/// purge is recorded in the database.
async fn purge_hourly(
    store: Arc<dyn crate::store::Store>,
    clock: Clock,
    retention: crate::config::RetentionArgs,
) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        // The server's clock, so a frozen clock (demonstrations, tests) never purges the data
        // recorded under it.
        let now = clock.now().as_millisecond();
        match store.purge(&retention.cutoffs(now), now).await {
            Ok(purged) => {
                let rows: u64 = purged.iter().map(|p| p.rows).sum();
                tracing::info!(rows, "old callers' data purged");
            }
            Err(error) => tracing::warn!(%error, "could not purge old callers' data"),
        }
    }
}
