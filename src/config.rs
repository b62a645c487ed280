//! Operational settings of `hotline serve`: flags, each also read from a `HOTLINE_*` variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::callbacks::Policy;
use crate::http::signature::AuthToken;
use crate::secret::ServerSecret;

/// Settings of the webhook server.
#[derive(Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HOTLINE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Database: `sqlite:FILE` (created if missing).
    #[arg(
        long,
        env = "HOTLINE_DATABASE_URL",
        default_value = "sqlite:hotline.db"
    )]
    pub database_url: String,

    /// Connections this instance keeps to PostgreSQL (ignored for SQLite). Several instances
    /// share the server's `max_connections`, so keep their sum below it.
    #[arg(long, env = "HOTLINE_DATABASE_POOL_SIZE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_pool_size: u32,

    /// Folder of call-flow files.
    #[arg(long, env = "HOTLINE_FLOWS", default_value = "call_flows")]
    pub flows: PathBuf,

    /// The URL the provider uses to reach this server, e.g. `https://hotline.example.org`.
    /// Signatures are checked against it and every callback URL is built from it.
    /// Defaults to `http://<bind>` on a loopback address.
    #[arg(long, env = "HOTLINE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// The provider account's auth token, used to check `X-Twilio-Signature`. Without it,
    /// unsigned webhooks are accepted, and only on a loopback address.
    #[arg(long, env = "HOTLINE_TWILIO_AUTH_TOKEN", hide_env_values = true)]
    pub twilio_auth_token: Option<String>,

    /// Freeze the clock at this RFC 3339 instant (demos, staging tests of opening hours),
    /// e.g. `2026-12-01T15:00:00Z`.
    #[arg(long, env = "HOTLINE_CLOCK")]
    pub clock: Option<jiff::Timestamp>,

    /// Seconds a webhook may take before the caller gets the spoken fallback (the provider
    /// gives up after 15).
    #[arg(long, env = "HOTLINE_WEBHOOK_DEADLINE", default_value_t = 5.0)]
    pub webhook_deadline: f64,

    /// Seconds between looks at the flows folder for saved changes, which are checked and then
    /// used without a restart; 0 turns reloading off.
    #[arg(long, env = "HOTLINE_FLOWS_POLL_SECONDS", default_value_t = 2.0)]
    pub flows_poll_seconds: f64,

    /// Calls back nobody answers before a callback request closes as unreachable.
    #[arg(long, env = "HOTLINE_CALLBACK_MAX_ATTEMPTS", default_value_t = 3)]
    pub callback_max_attempts: u32,

    /// Minutes an operator's claim on a callback request holds before it returns to pending.
    #[arg(long, env = "HOTLINE_CLAIM_TIMEOUT_MINUTES", default_value_t = 30)]
    pub claim_timeout_minutes: u64,

    /// Let a known operator phone number alone sign an operator in on the operator line.
    /// Caller ID can be forged on the public network: only for lines reachable from trusted
    /// phones (e.g. an internal PBX). Otherwise operators enter their PIN.
    #[arg(long, env = "HOTLINE_TRUST_OPERATOR_CALLER_ID")]
    pub trust_operator_caller_id: bool,

    /// How long callers' data is kept.
    #[command(flatten)]
    pub retention: RetentionArgs,

    /// A secret (16 characters or more) that turns callers' numbers into hashes kept after the
    /// numbers are purged, so operators see that someone called before. Keep it out of the
    /// database's backups; changing it forgets earlier callers. Without it, no hash is kept.
    #[arg(long, env = "HOTLINE_CALLER_KEY", hide_env_values = true)]
    pub caller_key: Option<String>,

    /// The server's secret, which keeps callers' data sealed in webhook URLs and PIN digests
    /// keyed.
    #[command(flatten)]
    pub secret: SecretArgs,

    /// Hours an operator stays signed in to the console.
    #[arg(long, env = "HOTLINE_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u64,

    /// Minutes an operator's "available" mark from the console lasts after their latest page
    /// or API call.
    #[arg(long, env = "HOTLINE_PRESENCE_IDLE_MINUTES", default_value_t = 60)]
    pub presence_idle_minutes: u32,

    /// The provider's REST API, for "call now" from the console and the API.
    #[command(flatten)]
    pub provider_api: ProviderApiArgs,
}

/// The provider's REST API: the account and an API key pair. Without all three, "call now"
/// is off and call backs are placed from the operator line only.
#[derive(clap::Args, Clone, Default)]
pub struct ProviderApiArgs {
    /// The account's SID (`AC…`), from the Twilio Console.
    #[arg(long, env = "HOTLINE_TWILIO_ACCOUNT_SID")]
    pub twilio_account_sid: Option<String>,
    /// An API key's SID (`SK…`) of that account.
    #[arg(long, env = "HOTLINE_TWILIO_API_KEY")]
    pub twilio_api_key: Option<String>,
    /// That API key's secret.
    #[arg(long, env = "HOTLINE_TWILIO_API_SECRET", hide_env_values = true)]
    pub twilio_api_secret: Option<String>,
    /// Where the REST API is; tests point it at an emulator.
    #[arg(
        long,
        env = "HOTLINE_TWILIO_API_URL",
        default_value = "https://api.twilio.com"
    )]
    pub twilio_api_url: String,
}

impl std::fmt::Debug for ProviderApiArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderApiArgs")
            .field("twilio_account_sid", &self.twilio_account_sid)
            .field("twilio_api_key", &self.twilio_api_key)
            .field(
                "twilio_api_secret",
                &self.twilio_api_secret.as_ref().map(|_| "***"),
            )
            .field("twilio_api_url", &self.twilio_api_url)
            .finish()
    }
}

impl std::fmt::Debug for ServeArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeArgs")
            .field("bind", &self.bind)
            .field(
                "database_url",
                &crate::store::without_secrets(&self.database_url),
            )
            .field("database_pool_size", &self.database_pool_size)
            .field("flows", &self.flows)
            .field("public_url", &self.public_url)
            .field(
                "twilio_auth_token",
                &self.twilio_auth_token.as_ref().map(|_| "***"),
            )
            .field("clock", &self.clock)
            .field("flows_poll_seconds", &self.flows_poll_seconds)
            .field("callback_max_attempts", &self.callback_max_attempts)
            .field("claim_timeout_minutes", &self.claim_timeout_minutes)
            .field("session_hours", &self.session_hours)
            .field("presence_idle_minutes", &self.presence_idle_minutes)
            .field("trust_operator_caller_id", &self.trust_operator_caller_id)
            .field("retention", &self.retention)
            .field("caller_key", &self.caller_key.as_ref().map(|_| "***"))
            .field("secret", &self.secret)
            .field("provider_api", &self.provider_api)
            .finish()
    }
}

impl ServeArgs {
    /// Settings for a test server: an ephemeral loopback port and the given database and flows.
    pub fn for_tests(database_url: &str, flows: PathBuf) -> ServeArgs {
        ServeArgs {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.to_string(),
            database_pool_size: crate::store::open::DEFAULT_POOL_SIZE,
            flows,
            public_url: None,
            twilio_auth_token: None,
            clock: None,
            webhook_deadline: 5.0,
            flows_poll_seconds: 2.0,
            callback_max_attempts: 3,
            claim_timeout_minutes: 30,
            session_hours: 12,
            presence_idle_minutes: 60,
            trust_operator_caller_id: false,
            retention: RetentionArgs::default(),
            caller_key: None,
            secret: SecretArgs::for_tests(),
            provider_api: ProviderApiArgs {
                twilio_api_url: "https://api.twilio.com".into(),
                ..ProviderApiArgs::default()
            },
        }
    }

    /// The rules for working callback requests.
    pub fn callback_policy(&self) -> Policy {
        Policy {
            max_attempts: self.callback_max_attempts.max(1),
            claim_timeout: Duration::from_secs(self.claim_timeout_minutes.max(1) * 60),
        }
    }

    /// The auth token, wrapped so it cannot be logged.
    pub fn auth_token(&self) -> Option<AuthToken> {
        self.twilio_auth_token
            .as_ref()
            // A token of spaces is a typo, not a secret: it must not open a public address.
            .filter(|t| !t.trim().is_empty())
            .map(|t| AuthToken::new(t.clone()))
    }
}

/// Where the server secret comes from. With neither setting, a SQLite database keeps it in a
/// key file beside the database file (`hotline.db.key`), created at first start; PostgreSQL
/// needs one of the two, since every instance must hold the same secret.
#[derive(clap::Args, Clone, Default)]
pub struct SecretArgs {
    /// The secret itself: 32 characters or more (`openssl rand -hex 32`).
    #[arg(
        long,
        global = true,
        env = "HOTLINE_SECRET_KEY",
        hide_env_values = true
    )]
    pub secret_key: Option<String>,
    /// A file holding the secret, created with a new random one when missing.
    #[arg(
        long,
        global = true,
        env = "HOTLINE_SECRET_KEY_FILE",
        conflicts_with = "secret_key"
    )]
    pub secret_key_file: Option<PathBuf>,
}

impl std::fmt::Debug for SecretArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretArgs")
            .field("secret_key", &self.secret_key.as_ref().map(|_| "***"))
            .field("secret_key_file", &self.secret_key_file)
            .finish()
    }
}

impl SecretArgs {
    /// A fixed secret, so test servers sharing one PostgreSQL database agree.
    pub fn for_tests() -> SecretArgs {
        SecretArgs {
            secret_key: Some("a test secret that is long enough to be one".into()),
            secret_key_file: None,
        }
    }

    /// The secret for a server on `database_url`.
    pub fn resolve(&self, database_url: &str) -> anyhow::Result<ServerSecret> {
        use anyhow::Context;
        if let Some(text) = &self.secret_key {
            return ServerSecret::from_text(text).context("--secret-key (HOTLINE_SECRET_KEY)");
        }
        let path = match (
            &self.secret_key_file,
            crate::store::open::sqlite_file(database_url),
        ) {
            (Some(path), _) => path.clone(),
            (None, Some(file)) => {
                let mut name = file.into_os_string();
                name.push(".key");
                PathBuf::from(name)
            }
            (None, None) => anyhow::bail!(
                "a PostgreSQL (or in-memory) database needs the server secret from a setting, \
                 the same on every instance: set HOTLINE_SECRET_KEY (32 characters or more, \
                 e.g. from `openssl rand -hex 32`) or --secret-key-file"
            ),
        };
        Ok(ServerSecret::load_or_create(&path)?)
    }
}

/// How long each class of callers' data is kept; 0 keeps it for ever. The server purges what
/// is older every hour, and `hotline purge` does it on demand.
#[derive(clap::Args, Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionArgs {
    /// Days to keep each call's steps through the menus and its stays in queues.
    #[arg(long, env = "HOTLINE_KEEP_CALL_DETAILS_DAYS", default_value_t = 90)]
    pub keep_call_details_days: u32,
    /// Days to keep callers' numbers on call records (callback requests keep theirs until
    /// they are purged themselves).
    #[arg(long, env = "HOTLINE_KEEP_CALLER_NUMBERS_DAYS", default_value_t = 90)]
    pub keep_caller_numbers_days: u32,
    /// Days to keep the address of a caller's recorded message.
    #[arg(long, env = "HOTLINE_KEEP_RECORDINGS_DAYS", default_value_t = 30)]
    pub keep_recordings_days: u32,
    /// Days to keep a callback request after it was closed (completed or unreachable).
    #[arg(long, env = "HOTLINE_KEEP_CLOSED_REQUESTS_DAYS", default_value_t = 90)]
    pub keep_closed_requests_days: u32,
}

impl Default for RetentionArgs {
    fn default() -> Self {
        RetentionArgs {
            keep_call_details_days: 90,
            keep_caller_numbers_days: 90,
            keep_recordings_days: 30,
            keep_closed_requests_days: 90,
        }
    }
}

impl RetentionArgs {
    /// The cutoffs at `now` (ms since the epoch).
    pub fn cutoffs(&self, now: i64) -> crate::store::Cutoffs {
        let before = |days: u32| (days > 0).then(|| now - i64::from(days) * 24 * 3600 * 1000);
        crate::store::Cutoffs {
            call_details: before(self.keep_call_details_days),
            caller_numbers: before(self.keep_caller_numbers_days),
            recordings: before(self.keep_recordings_days),
            closed_requests: before(self.keep_closed_requests_days),
            // Not a setting: the daily PIN limits need a day's rows, and no more.
            pin_failures: Some(now - 24 * 3600 * 1000),
            // Not a setting either: an expired block does nothing, and the audit log keeps
            // who blocked and unblocked.
            expired_blocks: Some(now),
        }
    }
}
