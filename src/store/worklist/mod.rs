//! The worklist: callback requests as operators see and work them, and the callers waiting live
//! in queues. Changes made by operators are atomic: of two operators claiming one request at
//! the same moment, exactly one succeeds.

pub(in crate::store) mod bind;
pub(in crate::store) mod sql;

use crate::callbacks::pacing::CallTime;
use crate::callbacks::{Outcome, Policy, Status};

use super::error::StoreError;

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
    /// Whether the line may call `phone_number` (its own country, not premium-rate).
    pub dialable: bool,
    /// Whether a message may be left; `None` when the caller was not asked.
    pub safe_to_leave_message: Option<bool>,
    /// When it is safe to call back; `None` when the caller was not asked.
    pub call_time: Option<CallTime>,
    /// A recorded message from the caller, if any.
    pub recording_url: Option<String>,
    /// The recording's length.
    pub recording_seconds: Option<i64>,
    /// The category's priority when the request was made, 1 to 9, higher first.
    pub priority: i64,
    /// When the request was made.
    pub created_at: i64,
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
    /// Whether the line may call `phone_number` (its own country, not premium-rate).
    pub dialable: bool,
    /// Made from what the caller gave before hanging up part-way through the questions.
    pub incomplete: bool,
    /// Whether a message may be left; `None` when the caller was not asked.
    pub safe_to_leave_message: Option<bool>,
    /// When it is safe to call back; `None` when the caller was not asked.
    pub call_time: Option<CallTime>,
    /// A recorded message from the caller, if any.
    pub recording_url: Option<String>,
    /// The recording's length.
    pub recording_seconds: Option<i64>,
    /// When the call started, if its start was recorded.
    pub call_started_at: Option<i64>,
    /// When the request was made.
    pub created_at: i64,
    /// The category's priority, 1 to 9, higher first.
    pub priority: i64,
    /// When the caller first called: the request's place in line.
    pub waiting_since: i64,
    /// Where the request is in its life.
    pub status: Status,
    /// The operator working it, while claimed.
    pub claimed_by: Option<String>,
    /// That operator's name.
    pub claimed_by_name: Option<String>,
    /// When it was claimed.
    pub claimed_at: Option<i64>,
    /// Calls back that nobody answered.
    pub no_answer_attempts: i64,
    /// When the last call back was recorded, if any: the gap before the next one runs from it.
    pub last_attempt_at: Option<i64>,
    /// The last outcome recorded.
    pub outcome: Option<Outcome>,
    /// When it was closed.
    pub closed_at: Option<i64>,
    /// The operator the operator line is reading it to, while `offered_until` has not passed.
    #[serde(skip)]
    pub offered_to: Option<String>,
    #[serde(skip)]
    pub offered_until: Option<i64>,
    /// When "call me now" last rang an operator for it, and the provider's latest report of
    /// that ring.
    #[serde(skip)]
    pub ring_at: Option<i64>,
    #[serde(skip)]
    pub ring_status: Option<String>,
}

/// How to order a list of callback requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Oldest request first (by `created_at`, then `id`).
    #[default]
    Created,
    /// The order operators work them: highest priority first, then the longest wait.
    Worklist,
    /// The latest closed first.
    Closed,
}

/// Which callback requests to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackFilter {
    /// Only requests with one of these statuses; empty for all.
    pub statuses: Vec<Status>,
    /// Only requests of these categories; `None` for all.
    pub categories: Option<Vec<String>>,
    /// Only requests not held for another operator at an instant: `(operator id, now)`.
    pub not_held_for_others: Option<(String, i64)>,
    /// Only requests closed in `[from, to)`.
    pub closed_between: Option<(i64, i64)>,
    /// Only requests whose last outcome is this one.
    pub outcome: Option<Outcome>,
    /// Only requests with this number to call.
    pub phone_number: Option<String>,
    /// The order.
    pub order: Order,
    /// At most this many.
    pub limit: Option<i64>,
    /// Skip this many first.
    pub offset: i64,
}

/// An operator taking a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The request.
    pub request_id: String,
    /// Who takes it.
    pub operator_id: String,
    /// When.
    pub at: i64,
    /// Claims made before this instant have lapsed and may be taken over.
    pub stale_before: i64,
}

/// A call back the line placed: who dialled which request, what the person called did at the
/// neutral check, and how the call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dial {
    pub id: String,
    pub request_id: String,
    pub operator_id: String,
    pub started_at: i64,
    /// `None` until the person called answered the check (or did not).
    pub screen: Option<Screen>,
    /// The provider's `DialCallStatus`, once reported.
    pub dial_status: Option<String>,
    pub ended_at: Option<i64>,
    /// The latest progress the provider reported of the leg of the person called
    /// (`initiated`, `ringing`, `in-progress`, then a final `CallStatus`).
    pub leg_status: Option<String>,
}

/// How far a leg's `CallStatus` has come (4: it ended), for ordering reports that overtake
/// each other; `None` for a status the provider does not send.
pub fn leg_stage(status: &str) -> Option<i64> {
    match status {
        "queued" | "initiated" => Some(1),
        "ringing" => Some(2),
        "in-progress" => Some(3),
        "completed" | "busy" | "no-answer" | "failed" | "canceled" => Some(4),
        _ => None,
    }
}

/// What the person called did at the neutral check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Pressed the key and was connected.
    Confirmed,
    /// Pressed nothing; the neutral message was left (the caller said it was safe).
    Message,
    /// Pressed nothing; nothing was said.
    None,
}

impl Screen {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Screen::Confirmed => "confirmed",
            Screen::Message => "message",
            Screen::None => "none",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Screen> {
        [Screen::Confirmed, Screen::Message, Screen::None]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// An operator recording what happened when they called back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The request, which this operator must hold.
    pub request_id: String,
    /// Who called.
    pub operator_id: String,
    /// What happened.
    pub outcome: Outcome,
    /// What the operator wants the next person to know.
    pub notes: String,
    /// When.
    pub at: i64,
    /// The line's rules (attempts before unreachable).
    pub policy: Policy,
}

/// One call back, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attempt {
    /// 1 for the request's first attempt.
    pub attempt: i64,
    /// Who called.
    pub operator_id: String,
    /// Their name.
    pub operator_name: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// The operator's notes.
    pub notes: String,
    /// When it was recorded.
    pub at: i64,
}

/// A caller waiting live in a queue now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LiveCaller {
    /// The call.
    pub call_sid: String,
    /// The hotline it came in on.
    pub hotline: String,
    /// The category the queue serves.
    pub category: String,
    /// The provider's queue name.
    pub queue: String,
    /// The language of the call.
    pub language: String,
    /// When the caller entered the queue.
    pub entered_at: i64,
    /// The position the provider last reported.
    pub position: Option<i64>,
}

/// Callback requests and live callers, as operators work them.
#[async_trait::async_trait]
pub trait Worklist: Send + Sync + 'static {
    /// Callback requests matching `filter`.
    async fn callback_requests(
        &self,
        filter: &CallbackFilter,
    ) -> Result<Vec<CallbackRequest>, StoreError>;
    /// One request.
    async fn callback_request(&self, id: &str) -> Result<Option<CallbackRequest>, StoreError>;
    /// Gives a pending request (or one whose claim has lapsed) to one operator and records it
    /// in the audit log. Of concurrent claims exactly one succeeds; the others get
    /// [`StoreError::Conflict`] with code `already_claimed` (or `closed`).
    async fn claim(&self, claim: &Claim) -> Result<CallbackRequest, StoreError>;

    /// Claims the request for a call back the line places, and records the dial `dial_id`, in
    /// one transaction: of two operators (or instances) only one dials a request. The same
    /// operator starting the same dial again (a retried webhook) changes nothing.
    async fn start_dial(&self, claim: &Claim, dial_id: &str)
    -> Result<CallbackRequest, StoreError>;

    /// Holds for `operator_id` until `until` the first of `candidates`, in worklist order,
    /// that is pending and not held for another operator at `now`, while the operator line
    /// reads it to them; its id, or `None` when every one is taken. One statement however many
    /// candidates: of operators offered requests at once, each gets another one without
    /// trying them one by one.
    async fn hold_first_offer(
        &self,
        candidates: &[String],
        operator_id: &str,
        now: i64,
        until: i64,
    ) -> Result<Option<String>, StoreError>;

    /// Lets go of the hold `operator_id` has on a request they declined.
    async fn drop_offer(&self, request_id: &str, operator_id: &str) -> Result<(), StoreError>;

    /// A dial the line placed.
    async fn dial(&self, dial_id: &str) -> Result<Option<Dial>, StoreError>;

    /// The latest dial the line placed for a request.
    async fn latest_dial(&self, request_id: &str) -> Result<Option<Dial>, StoreError>;

    /// Records that "call me now" rang an operator for the request at `at`.
    async fn start_ring(&self, request_id: &str, at: i64) -> Result<(), StoreError>;

    /// Records how far the ring started at `ring_at` has come; a report of an earlier ring or
    /// of an earlier stage changes nothing.
    async fn ring_progress(
        &self,
        request_id: &str,
        ring_at: i64,
        status: &str,
    ) -> Result<(), StoreError>;

    /// Records how far the leg of the person called has come; an earlier stage reported late
    /// changes nothing.
    async fn dial_progress(&self, dial_id: &str, status: &str) -> Result<(), StoreError>;

    /// Dials the line placed to `number` since `since`, for every request.
    async fn dials_to(&self, number: &str, since: i64) -> Result<i64, StoreError>;

    /// Records what the person called did at the neutral check; only the first report counts.
    async fn screen_dial(&self, dial_id: &str, screen: Screen) -> Result<(), StoreError>;

    /// Records how the dial ended. `true` the first time; a retried report changes nothing
    /// and answers `false`, so an attempt is counted once.
    async fn end_dial(&self, dial_id: &str, status: &str, at: i64) -> Result<bool, StoreError>;
    /// Returns a request the operator holds to pending, and audits it.
    async fn release(
        &self,
        request_id: &str,
        operator_id: &str,
        at: i64,
    ) -> Result<CallbackRequest, StoreError>;
    /// Records an attempt on a request the operator holds, settles it by the rules of
    /// [`crate::callbacks::settle`], and audits it.
    async fn complete(&self, completion: &Completion) -> Result<CallbackRequest, StoreError>;
    /// The request's attempts, first first.
    async fn attempts(&self, request_id: &str) -> Result<Vec<Attempt>, StoreError>;
    /// Returns requests claimed before `stale_before` to pending; how many.
    async fn release_stale_claims(&self, stale_before: i64) -> Result<u64, StoreError>;
    /// Callers in a queue now: entries not left, of calls not ended, polled (or entered)
    /// at or after `active_since`. Oldest first.
    async fn live_callers(&self, active_since: i64) -> Result<Vec<LiveCaller>, StoreError>;
    /// The waits, in seconds, of the latest callers of `category` answered by an operator
    /// since `since`, most recent first.
    async fn recent_waits(
        &self,
        category: &str,
        since: i64,
        limit: i64,
    ) -> Result<Vec<i64>, StoreError>;
}
