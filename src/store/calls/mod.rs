//! The call log: calls, their steps through the menus, their time in queues, and the writes
//! that record them. Every write is idempotent, because webhooks are retried.

pub(in crate::store) mod access;
pub(in crate::store) mod bind;
pub(in crate::store) mod sql;

use super::error::StoreError;
use super::worklist::NewCallbackRequest;

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
    /// The keyed hash of the caller's number, when a caller key is set and the number is one.
    pub caller_hash: Option<String>,
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

/// One change to the records. A `Vec<CallWrite>` passed to [`CallLog::write`]
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
    /// What a caller on the callback path has given so far; replaces what was recorded.
    UnfinishedOpen(UnfinishedRow),
    /// The caller heard a goodbye on the callback path without a request being saved: the
    /// row stays, for the reports' missed requests, and never becomes a request.
    UnfinishedAbandoned {
        /// The call.
        call_sid: String,
        /// The step number the call reached; an older one changes nothing.
        seq: i64,
        /// When.
        at: i64,
    },
    /// The caller left the callback path for a live queue: nothing is left unfinished.
    UnfinishedLeft {
        /// The call.
        call_sid: String,
        /// The step number the call reached; an older one changes nothing.
        seq: i64,
    },
    /// The call ended: an open unfinished row with a number becomes a callback request
    /// flagged incomplete, unless the call saved one. Repeating it changes nothing.
    SettleUnfinished {
        /// The call.
        call_sid: String,
        /// When the end was heard of; the request's creation time.
        at: i64,
    },
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
            | CallWrite::UnfinishedAbandoned { call_sid, .. }
            | CallWrite::UnfinishedLeft { call_sid, .. }
            | CallWrite::SettleUnfinished { call_sid, .. }
            | CallWrite::CallEnded { call_sid, .. } => call_sid,
            CallWrite::UnfinishedOpen(row) => &row.call_sid,
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
            CallWrite::UnfinishedOpen(_) => "UnfinishedOpen",
            CallWrite::UnfinishedAbandoned { .. } => "UnfinishedAbandoned",
            CallWrite::UnfinishedLeft { .. } => "UnfinishedLeft",
            CallWrite::SettleUnfinished { .. } => "SettleUnfinished",
            CallWrite::CallEnded { .. } => "CallEnded",
        }
    }

    /// Whether the write can change what the console's live pages show: the live queues
    /// (a caller entering, polling with a new position, leaving, or hanging up) and the
    /// callback requests. Menu steps and what a caller gives on the way are not shown there,
    /// and are most of a surge's writes.
    pub fn shows_on_console(&self) -> bool {
        match self {
            CallWrite::QueueEntered { .. }
            | CallWrite::QueueWaited { .. }
            | CallWrite::QueueLeft { .. }
            | CallWrite::CallbackRequested(_)
            | CallWrite::SettleUnfinished { .. }
            | CallWrite::CallEnded { .. } => true,
            CallWrite::StartCall(_)
            | CallWrite::Step(_)
            | CallWrite::SetLanguage { .. }
            | CallWrite::SetCategory { .. }
            | CallWrite::UnfinishedOpen(_)
            | CallWrite::UnfinishedAbandoned { .. }
            | CallWrite::UnfinishedLeft { .. } => false,
        }
    }
}

/// What a caller on the callback path has given so far (see `engine::unfinished`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfinishedRow {
    /// The call.
    pub call_sid: String,
    /// Its hotline.
    pub hotline: String,
    /// Triage category.
    pub category: String,
    /// Language to call back in.
    pub language: String,
    /// The number the line may use; `None` while there is none.
    pub phone_number: Option<String>,
    /// Where the number came from.
    pub number_source: super::worklist::NumberSource,
    /// Whether the line may call it.
    pub dialable: bool,
    /// "May we leave a message?", if answered.
    pub safe_to_leave_message: Option<bool>,
    /// When it is safe to call, if answered.
    pub call_time: Option<crate::callbacks::pacing::CallTime>,
    /// The category's priority.
    pub priority: i64,
    /// The step number the call reached; an older one changes nothing.
    pub seq: i64,
    /// When it was last changed.
    pub at: i64,
}

/// Logs writes that could not be saved by their call and their kinds only: their contents may
/// hold phone numbers and recording addresses.
pub(crate) fn log_failed_writes(writes: &[CallWrite], error: &dyn std::fmt::Display) {
    let call_sid = writes.first().map_or("", CallWrite::call_sid);
    let kinds: Vec<&str> = writes.iter().map(CallWrite::kind).collect();
    tracing::error!(call_sid, ?kinds, %error, "could not record a call's writes");
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

/// The call log, as the webhooks write it and operators read it.
#[async_trait::async_trait]
pub trait CallLog: Send + Sync + 'static {
    /// Applies the writes, in order, in one transaction shared with
    /// concurrent callers; returns only after the commit is durable.
    ///
    /// If the caller stops waiting, the writes may still be applied.
    async fn write(&self, writes: Vec<CallWrite>) -> Result<(), StoreError>;
    /// Applies the writes, in order, after every write given before; may return before they
    /// are committed where that keeps every call's writes in order (SQLite, one server
    /// process). Writes the database cannot take yet are kept and retried; see
    /// [`CallLog::flush`].
    async fn write_soon(&self, writes: Vec<CallWrite>) -> Result<(), StoreError>;
    /// Returns once every write given before is committed, or given up and counted.
    async fn flush(&self) -> Result<(), StoreError>;
    /// The call, if it has a row.
    async fn call(&self, call_sid: &str) -> Result<Option<CallRecord>, StoreError>;
    /// The call's steps, ordered by `seq`.
    async fn steps(&self, call_sid: &str) -> Result<Vec<StepRecord>, StoreError>;
    /// The call's stays in queues, ordered by `seq`.
    async fn queue_entries(&self, call_sid: &str) -> Result<Vec<QueueEntry>, StoreError>;
    /// Calls that started in `[from, to)`, newest first, optionally of one category.
    async fn search_calls(&self, search: &CallSearch) -> Result<Vec<CallRecord>, StoreError>;
    /// How many other calls came from the same caller as `call_sid` since `since`, by the
    /// keyed hash of their number (0 without one).
    async fn same_caller_calls(&self, call_sid: &str, since: i64) -> Result<u64, StoreError>;
    /// How many other calls came from `number` since `since`.
    async fn calls_from(&self, number: &str, since: i64, except: &str) -> Result<u64, StoreError>;
    /// Calls with an open unfinished request last changed before `before` and never settled:
    /// their end was not reported (a lost status callback), so the line settles them itself.
    async fn forgotten_unfinished(&self, before: i64) -> Result<Vec<String>, StoreError>;
    /// A cheap check that the database answers and writes can be made.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Which calls to find.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallSearch {
    /// Calls that started at or after this instant.
    pub from: i64,
    /// Calls that started before this instant.
    pub to: i64,
    /// Only calls triaged to one of these categories; `None` for all calls.
    pub categories: Option<Vec<String>>,
    /// Only calls from this number.
    pub from_number: Option<String>,
    /// At most this many.
    pub limit: i64,
}
