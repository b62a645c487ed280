//! The storage port: what the server records about calls and callback requests, and the one trait every database adapter implements.
//!
//! Times are `i64` milliseconds since the Unix epoch throughout; the domain
//! converts. Every write is idempotent, because webhooks are retried: a
//! repeated insert is ignored and a repeated update changes nothing.

use std::sync::Arc;

mod sqlite;
mod writer;

pub use sqlite::SqliteStore;

/// The call statuses after which a call can change no more.
pub const TERMINAL_STATUSES: [&str; 5] = ["completed", "busy", "failed", "no-answer", "canceled"];

/// A call the server has just answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCall {
    /// The telephony provider's identifier of the call.
    pub call_sid: String,
    /// The hotline the call came in on.
    pub hotline: String,
    /// The version of the menu flow the call is following.
    pub flow_version: String,
    /// The caller's number, when the provider gave one.
    pub from_number: Option<String>,
    /// The number that was dialled.
    pub to_number: Option<String>,
    /// The language the call started in.
    pub language: String,
    /// When the call was answered.
    pub started_at: i64,
}

/// One step of a call through the menus.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct StepRecord {
    /// The call the step belongs to.
    pub call_sid: String,
    /// The step's position within the call, starting anywhere, strictly increasing.
    pub seq: i64,
    /// The menu node the caller was at.
    pub node: String,
    /// What the caller entered or said, if anything.
    pub input: Option<String>,
    /// What the node decided.
    pub outcome: String,
    /// When the step happened.
    pub at: i64,
}

/// Where a callback request's phone number came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NumberSource {
    /// The caller ID of the call.
    Caller,
    /// Digits the caller keyed in.
    Entered,
}

impl NumberSource {
    /// The stored form: `"caller"` or `"entered"`.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberSource::Caller => "caller",
            NumberSource::Entered => "entered",
        }
    }

    /// Reads the stored form back; `None` for anything else.
    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "caller" => Some(NumberSource::Caller),
            "entered" => Some(NumberSource::Entered),
            _ => None,
        }
    }
}

/// A caller's request to be called back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCallbackRequest {
    /// The call the request was made in; at most one request per call.
    pub call_sid: String,
    /// The hotline the call came in on.
    pub hotline: String,
    /// The topic the caller chose.
    pub category: String,
    /// The language to call back in.
    pub language: String,
    /// The number to call back.
    pub phone_number: String,
    /// Where `phone_number` came from.
    pub number_source: NumberSource,
    /// Whether a message may be left; `None` when the caller was not asked.
    pub safe_to_leave_message: Option<bool>,
    /// A recorded message from the caller, if any.
    pub recording_url: Option<String>,
    /// The recording's length.
    pub recording_seconds: Option<i64>,
    /// When the request was made.
    pub created_at: i64,
}

/// One change to the records. A `Vec<CallWrite>` passed to [`Store::write`]
/// is applied atomically, in order.
///
/// None of them fails because the call's row is missing: steps, queue
/// entries and callback requests are kept regardless, and updates of the
/// call's row then change nothing (except [`CallWrite::CallEnded`], which
/// creates the row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallWrite {
    /// Records a new call. A retry is ignored; a placeholder row left by an
    /// earlier `CallEnded` is filled in.
    StartCall(NewCall),
    /// Records a step; one with the same `(call_sid, seq)` is ignored.
    Step(StepRecord),
    /// Changes the call's language.
    SetLanguage {
        /// The call.
        call_sid: String,
        /// The new language.
        language: String,
    },
    /// Sets the topic the caller chose.
    SetCategory {
        /// The call.
        call_sid: String,
        /// The topic.
        category: String,
    },
    /// The caller was put in a queue; one with the same `(call_sid, seq)` is ignored.
    QueueEntered {
        /// The call.
        call_sid: String,
        /// The seq of the step that queued the caller; identifies the entry.
        seq: i64,
        /// The topic the queue serves.
        category: String,
        /// The provider's queue name.
        queue: String,
        /// When the caller entered the queue.
        at: i64,
    },
    /// A poll while waiting in a queue. Ignored once the entry has ended,
    /// and when a later poll has already been recorded.
    QueueWaited {
        /// The call.
        call_sid: String,
        /// Identifies the entry, as in `QueueEntered`.
        seq: i64,
        /// The caller's position in the queue.
        position: Option<i64>,
        /// How long the caller has waited so far.
        wait_seconds: Option<i64>,
        /// When the poll happened.
        at: i64,
    },
    /// The caller left a queue. Only the first one for an entry counts.
    QueueLeft {
        /// The call.
        call_sid: String,
        /// Identifies the entry, as in `QueueEntered`.
        seq: i64,
        /// Why the caller left, e.g. `bridged` or `hangup`.
        result: String,
        /// The total wait.
        wait_seconds: Option<i64>,
        /// When the caller left.
        at: i64,
    },
    /// Records a callback request: one per call, a second one is ignored.
    /// It is given a UUIDv7 id and the status `pending`.
    CallbackRequested(NewCallbackRequest),
    /// A status callback for the call.
    ///
    /// Status callbacks arrive out of order and are retried, so one is
    /// applied only when it is newer than what is stored:
    /// - a terminal status (see [`TERMINAL_STATUSES`]) always replaces a
    ///   non-terminal one, and a non-terminal one never replaces a terminal
    ///   one, since the end of a call is the last thing that happens to it;
    /// - between two statuses of the same kind, the higher `sequence` wins;
    ///   a call that has had no status callback yet takes any;
    /// - a missing `sequence` counts as 0, so a callback without one fills in
    ///   a call with no status callback yet, or ends a call, and otherwise
    ///   loses; its retries are ignored.
    ///
    /// When the call has no row (its start was never recorded), a
    /// placeholder is created with `''` as hotline, flow version and
    /// language, and `at` as its start, so the end is not lost.
    CallEnded {
        /// The call.
        call_sid: String,
        /// The provider's call status, e.g. `ringing` or `completed`.
        status: String,
        /// The call's length, known once it has ended.
        duration_seconds: Option<i64>,
        /// The provider's sequence number of this status callback.
        sequence: Option<i64>,
        /// When the callback arrived.
        at: i64,
    },
}

impl CallWrite {
    /// The call the write is about.
    pub fn call_sid(&self) -> &str {
        match self {
            CallWrite::StartCall(call) => &call.call_sid,
            CallWrite::Step(step) => &step.call_sid,
            CallWrite::CallbackRequested(request) => &request.call_sid,
            CallWrite::SetLanguage { call_sid, .. }
            | CallWrite::SetCategory { call_sid, .. }
            | CallWrite::QueueEntered { call_sid, .. }
            | CallWrite::QueueWaited { call_sid, .. }
            | CallWrite::QueueLeft { call_sid, .. }
            | CallWrite::CallEnded { call_sid, .. } => call_sid,
        }
    }

    /// The variant's name, for logs: unlike the write's contents it holds no phone number.
    pub fn kind(&self) -> &'static str {
        match self {
            CallWrite::StartCall(_) => "StartCall",
            CallWrite::Step(_) => "Step",
            CallWrite::SetLanguage { .. } => "SetLanguage",
            CallWrite::SetCategory { .. } => "SetCategory",
            CallWrite::QueueEntered { .. } => "QueueEntered",
            CallWrite::QueueWaited { .. } => "QueueWaited",
            CallWrite::QueueLeft { .. } => "QueueLeft",
            CallWrite::CallbackRequested(_) => "CallbackRequested",
            CallWrite::CallEnded { .. } => "CallEnded",
        }
    }
}

/// A call as recorded.
///
/// A placeholder row (see [`CallWrite::CallEnded`]) has `''` as hotline,
/// flow version and language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct CallRecord {
    /// The provider's identifier of the call.
    pub call_sid: String,
    /// The hotline the call came in on.
    pub hotline: String,
    /// The version of the menu flow the call followed.
    pub flow_version: String,
    /// The caller's number.
    pub from_number: Option<String>,
    /// The number that was dialled.
    pub to_number: Option<String>,
    /// The call's current language.
    pub language: String,
    /// The topic the caller chose, if any.
    pub category: Option<String>,
    /// When the call was answered.
    pub started_at: i64,
    /// When a terminal status was recorded.
    pub ended_at: Option<i64>,
    /// The latest status; `in-progress` until a status callback says otherwise.
    pub status: String,
    /// The call's length, from the status callback.
    pub duration_seconds: Option<i64>,
}

/// A stay in a queue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct QueueEntry {
    /// The call.
    pub call_sid: String,
    /// The seq of the step that queued the caller.
    pub seq: i64,
    /// The topic the queue serves.
    pub category: String,
    /// The provider's queue name.
    pub queue: String,
    /// When the caller entered the queue.
    pub entered_at: i64,
    /// The position at the latest poll.
    pub last_position: Option<i64>,
    /// The wait so far at the latest poll.
    pub last_wait_seconds: Option<i64>,
    /// When the caller left the queue.
    pub ended_at: Option<i64>,
    /// Why the caller left.
    pub result: Option<String>,
    /// The total wait.
    pub wait_seconds: Option<i64>,
}

/// A callback request as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CallbackRequest {
    /// A UUIDv7, in its hyphenated form.
    pub id: String,
    /// The call the request was made in.
    pub call_sid: String,
    /// The hotline the call came in on.
    pub hotline: String,
    /// The topic the caller chose.
    pub category: String,
    /// The language to call back in.
    pub language: String,
    /// The number to call back.
    pub phone_number: String,
    /// Where `phone_number` came from.
    pub number_source: NumberSource,
    /// Whether a message may be left; `None` when the caller was not asked.
    pub safe_to_leave_message: Option<bool>,
    /// A recorded message from the caller, if any.
    pub recording_url: Option<String>,
    /// The recording's length.
    pub recording_seconds: Option<i64>,
    /// When the call started, if its start was recorded.
    pub call_started_at: Option<i64>,
    /// When the request was made.
    pub created_at: i64,
    /// `pending`, `claimed`, `completed` or `unreachable`.
    pub status: String,
}

/// Which callback requests to list; they come oldest first (by `created_at`, then `id`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackFilter {
    /// Only requests with this status.
    pub status: Option<String>,
    /// At most this many.
    pub limit: Option<i64>,
}

/// Why a storage operation failed.
#[derive(thiserror::Error, Debug)]
pub enum StoreError {
    /// The database could not be reached or refused a statement.
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// The URL names no database this server can use. Holds the URL with
    /// anything after the scheme removed unless it is a SQLite URL.
    #[error("unsupported database URL {0}: expected sqlite:PATH")]
    UnsupportedUrl(String),
    /// The schema could not be brought up to date.
    #[error("migration failed: {0}")]
    Migration(#[source] sqlx::migrate::MigrateError),
    /// The task that applies writes has ended; no write can succeed.
    #[error("the database writer has stopped")]
    WriterGone,
    /// A stored value this version does not understand.
    #[error("unexpected value in the database: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Unavailable(error)
    }
}

/// What every database adapter implements.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Applies the writes, in order, in one transaction shared with
    /// concurrent callers; returns only after the commit is durable.
    ///
    /// If the caller stops waiting, the writes may still be applied.
    async fn write(&self, writes: Vec<CallWrite>) -> Result<(), StoreError>;
    /// The call, if it has a row.
    async fn call(&self, call_sid: &str) -> Result<Option<CallRecord>, StoreError>;
    /// The call's steps, ordered by `seq`.
    async fn steps(&self, call_sid: &str) -> Result<Vec<StepRecord>, StoreError>;
    /// The call's stays in queues, ordered by `seq`.
    async fn queue_entries(&self, call_sid: &str) -> Result<Vec<QueueEntry>, StoreError>;
    /// Callback requests, oldest first.
    async fn callback_requests(
        &self,
        filter: &CallbackFilter,
    ) -> Result<Vec<CallbackRequest>, StoreError>;
    /// A cheap check that the database answers and writes can be made.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Opens the database named by `url` (`sqlite:PATH` or `sqlite://PATH`),
/// creating the SQLite file if missing and running migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        return Ok(Arc::new(SqliteStore::open(url).await?));
    }
    // Other URLs may carry a password: keep only the scheme.
    let scheme = url.split(':').next().unwrap_or_default();
    Err(StoreError::UnsupportedUrl(format!("{scheme}:…")))
}
