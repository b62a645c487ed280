//! What every request handler is given: the flows, the store, the line and the desk, and the
//! server's settings, cheap to clone.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::signature::AuthToken;
use crate::catalog::library::Flows;
use crate::clock::Clock;
use crate::desk::Desk;
use crate::engine::Links;
use crate::line::Line;
use crate::store::Store;

/// Everything a request handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The loaded hotlines, reloaded when the flows folder changes.
    pub flows: Flows,
    /// Where calls are recorded.
    pub store: Arc<dyn Store>,
    /// Builds callback URLs from the public base URL.
    pub links: Arc<Links>,
    /// Checks signatures; `None` accepts unsigned webhooks (loopback only).
    pub auth_token: Option<AuthToken>,
    /// "Now".
    pub clock: Clock,
    /// Time a webhook may take before the fallback is spoken.
    pub deadline: Duration,
    /// What happens to callers.
    pub line: Line,
    /// What operators can do.
    pub desk: Desk,
    /// How long a console session lasts.
    pub session_length: Duration,
    /// Hashes callers' numbers for repeat-caller recognition; `None` keeps no hash.
    pub caller_key: Option<crate::operators::caller_key::CallerKey>,
    /// The server secret, from which URL sealing and PIN digests draw their keys.
    pub secret: crate::secret::ServerSecret,
    /// Whether a known operator phone number alone signs an operator in on the operator line.
    pub trust_operator_caller_id: bool,
    /// Password checks allowed at once. Argon2 is slow on purpose; a flood of sign-ins must not
    /// take the cores callers' webhooks need, so the checks queue for these.
    pub password_checks: Arc<tokio::sync::Semaphore>,
    /// Turns true when the server starts shutting down, so that endless responses (the
    /// console's event streams) end and the graceful shutdown is not held up by them.
    pub stopping: watch::Receiver<bool>,
}
