//! The operator's desk: everything an operator or supervisor can do with callers' data, with
//! the role checks and the audit entries that go with it. The JSON API and the web console are
//! two presentations of these same actions.

pub mod blocks;
mod call_now;
mod dialing;
pub mod handover;
mod history;
mod live_call;
mod next;
pub mod next_up;
mod offers;
mod oversight;
mod pacing;
pub mod people;
mod phone;
mod pins;
mod presence;
mod shifts;
pub mod snapshot;
mod titles;
pub mod wallboard;

use std::sync::Arc;

use crate::callbacks::{Outcome, Policy, Status};
use crate::catalog::library::Flows;
use crate::clock::Clock;
use crate::operators::Operator;
use crate::operators::block_key::BlockKey;
use crate::operators::pin_key::PinKey;
use crate::store::{
    Attempt, AuditEntry, CallRecord, CallbackFilter, CallbackRequest, Claim, Completion, Order,
    QueueEntry, Store, StoreError,
};
pub use dialing::{Check, DialResult, PlacedCall};
pub use handover::SameCaller;
pub use history::{History, HistoryQuery};
pub use live_call::{LiveCall, page_mark};
pub use offers::CallbackOffer;
pub use pacing::NotBefore;
pub use people::Person;
pub use pins::PinCheck;
pub use presence::Presence;
pub use shifts::Duty;
pub use snapshot::QueueSnapshot;
pub use titles::PathStep;
pub use wallboard::Wallboard;

/// How long a live caller counts as waiting without a hold poll: the provider polls every
/// few seconds, so a caller silent this long has gone without a status callback.
pub const LIVE_SILENCE_MS: i64 = 5 * 60 * 1000;
/// The most callback requests one snapshot lists.
const SNAPSHOT_LIMIT: i64 = 500;
/// The longest call search.
const SEARCH_LIMIT: i64 = 1000;

/// Why a desk action was refused.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// No such request or call (or one the operator may not know of).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The operator's role does not allow it.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The request's state does not allow it.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// For people.
        message: String,
    },
    /// The input makes no sense.
    #[error("{0}")]
    Invalid(String),
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for DeskError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => DeskError::NotFound(what),
            StoreError::Conflict { code, message } => DeskError::Conflict { code, message },
            other => DeskError::Store(other),
        }
    }
}

/// A request with everything an operator needs to call back.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RequestDetail {
    /// The request, with the number to call.
    pub request: CallbackRequest,
    /// The category's label, as callers hear it.
    pub category_label: String,
    /// The category's name for staff.
    pub category_title: String,
    /// The call it came from.
    pub call: Option<CallRecord>,
    /// The caller's path through the menus, each step with its node's title.
    pub steps: Vec<PathStep>,
    /// Time the caller spent in live queues.
    pub queue: Vec<QueueEntry>,
    /// Calls back so far.
    pub attempts: Vec<Attempt>,
    /// The outcomes an operator may record (no "left a message" when that is unsafe).
    pub outcomes: Vec<Outcome>,
    /// Other calls from the same caller in the last [`EARLIER_CALLS_DAYS`] days, recognised by
    /// the keyed hash of their number (0 when no caller key is set).
    pub earlier_calls: u64,
    /// When it may be called, if not now.
    pub not_before: Option<NotBefore>,
    /// The call back the line is placing for it right now, if any.
    pub live_call: Option<LiveCall>,
    /// The caller's other requests, newest first.
    pub same_caller: Vec<SameCaller>,
}

/// How far back earlier calls from the same caller are counted.
pub const EARLIER_CALLS_DAYS: i64 = 90;

/// The desk, over the shared store.
#[derive(Clone)]
pub struct Desk {
    store: Arc<dyn Store>,
    flows: Flows,
    clock: Clock,
    policy: Policy,
    provider: Option<Arc<crate::telephony::ProviderApi>>,
    pin_key: PinKey,
    block_key: BlockKey,
    /// How long a mark of availability made on the console lasts.
    presence_idle_ms: i64,
    /// When this instance last renewed each operator's mark from the operator line.
    line_marks: presence::Renewals,
    /// When this instance last renewed each operator's mark for their activity.
    activity_marks: presence::Renewals,
}

impl Desk {
    /// A desk over `store` for the hotlines in `flows`; operator-line PINs are stored and
    /// counted under `pin_key`, blocked numbers kept under `block_key`.
    pub fn new(
        store: Arc<dyn Store>,
        flows: Flows,
        clock: Clock,
        policy: Policy,
        pin_key: PinKey,
        block_key: BlockKey,
    ) -> Desk {
        Desk {
            store,
            flows,
            clock,
            policy,
            provider: None,
            pin_key,
            block_key,
            presence_idle_ms: 60 * 60 * 1000,
            line_marks: presence::Renewals::default(),
            activity_marks: presence::Renewals::default(),
        }
    }

    fn now(&self) -> i64 {
        self.clock.now().as_millisecond()
    }

    /// The rules for `hotline`'s requests: its flow's `max_attempts` where it sets one.
    fn policy_for(&self, hotline: &str) -> Policy {
        let own = self
            .flows
            .current()
            .get(hotline)
            .and_then(|f| f.callbacks.max_attempts);
        Policy {
            max_attempts: own.unwrap_or(self.policy.max_attempts),
            ..self.policy
        }
    }

    fn claim_timeout_ms(&self) -> i64 {
        i64::try_from(self.policy.claim_timeout.as_millis()).unwrap_or(i64::MAX)
    }

    /// The queue of the operator's categories now.
    pub async fn snapshot(&self, operator: &Operator) -> Result<QueueSnapshot, DeskError> {
        let now = self.now();
        let filter = CallbackFilter {
            statuses: vec![Status::Pending, Status::Claimed],
            categories: operator.category_filter().map(<[String]>::to_vec),
            order: Order::Worklist,
            limit: Some(SNAPSHOT_LIMIT),
            ..CallbackFilter::default()
        };
        let requests = self.store.callback_requests(&filter).await?;
        let live = self.store.live_callers(now - LIVE_SILENCE_MS).await?;
        let mut snapshot = snapshot::build(&self.flows.current(), operator, &requests, &live, now);
        self.add_staffing(&mut snapshot).await?;
        Ok(snapshot)
    }

    /// One request in full; recorded in the audit log as a view of the caller's data.
    pub async fn request(&self, operator: &Operator, id: &str) -> Result<RequestDetail, DeskError> {
        let request = self.visible_request(operator, id).await?;
        self.audit(operator, "view_request", id, "").await?;
        let call = self.store.call(&request.call_sid).await?;
        let steps = self.store.steps(&request.call_sid).await?;
        let version = call.as_ref().map(|c| c.flow_version.as_str());
        let steps = self.path(&request.hotline, version, steps);
        let queue = self.store.queue_entries(&request.call_sid).await?;
        let attempts = self.store.attempts(id).await?;
        let since = self.now() - EARLIER_CALLS_DAYS * 24 * 3600 * 1000;
        let earlier_calls = self
            .store
            .same_caller_calls(&request.call_sid, since)
            .await?;
        let outcomes = Outcome::ALL
            .into_iter()
            .filter(|o| o.allowed(request.safe_to_leave_message))
            .collect();
        let not_before = NotBefore::of(pacing::due(&self.flows.current(), &request, self.now()));
        let dial = self.store.latest_dial(id).await?;
        let ring_status = request.ring_status.as_deref();
        let live_call = LiveCall::now(dial.as_ref(), request.ring_at, ring_status, self.now());
        let same_caller = self.same_caller(operator, &request).await?;
        Ok(RequestDetail {
            same_caller,
            not_before,
            live_call,
            category_label: self.category_label(&request.category),
            category_title: self.category_title(&request.category),
            request,
            call,
            steps,
            queue,
            attempts,
            outcomes,
            earlier_calls,
        })
    }

    /// Takes a request.
    pub async fn claim(&self, operator: &Operator, id: &str) -> Result<CallbackRequest, DeskError> {
        let request = self.visible_request(operator, id).await?;
        let now = self.now();
        // Nobody is rung at night, nor again straight after a call nobody answered.
        if request.status == Status::Pending
            && let Some(not_before) =
                NotBefore::of(pacing::due(&self.flows.current(), &request, now))
        {
            let zone = pacing::zone_of(&self.flows.current(), &request);
            return Err(DeskError::Conflict {
                code: "not_due",
                message: pacing::not_due_message(not_before, &zone),
            });
        }
        let claim = Claim {
            request_id: id.to_string(),
            operator_id: operator.id.clone(),
            at: now,
            stale_before: now.saturating_sub(self.claim_timeout_ms()),
        };
        Ok(self.store.claim(&claim).await?)
    }

    /// Gives a request back.
    pub async fn release(
        &self,
        operator: &Operator,
        id: &str,
    ) -> Result<CallbackRequest, DeskError> {
        self.visible_request(operator, id).await?;
        Ok(self.store.release(id, &operator.id, self.now()).await?)
    }

    /// Records a call back an operator made.
    pub async fn complete(
        &self,
        operator: &Operator,
        id: &str,
        outcome: Outcome,
        notes: &str,
    ) -> Result<CallbackRequest, DeskError> {
        self.complete_by(operator, id, outcome, notes, "console")
            .await
    }

    pub(super) async fn complete_by(
        &self,
        operator: &Operator,
        id: &str,
        outcome: Outcome,
        notes: &str,
        placed_by: &'static str,
    ) -> Result<CallbackRequest, DeskError> {
        let request = self.visible_request(operator, id).await?;
        let completion = Completion {
            request_id: id.to_string(),
            operator_id: operator.id.clone(),
            outcome,
            notes: notes.trim().chars().take(4000).collect(),
            at: self.now(),
            policy: self.policy_for(&request.hotline),
        };
        let done = self.store.complete(&completion).await?;
        count_attempt(outcome, placed_by);
        Ok(done)
    }

    /// The address of the caller's recorded message; audited as a playback.
    pub async fn recording(&self, operator: &Operator, id: &str) -> Result<String, DeskError> {
        let request = self.visible_request(operator, id).await?;
        let url = request
            .recording_url
            .filter(|u| crate::callbacks::is_recording_url(u))
            .ok_or(DeskError::NotFound("recording"))?;
        self.audit(operator, "play_recording", id, "").await?;
        Ok(url)
    }

    /// The request, if it exists and the operator works its category. A request of another
    /// category is reported as missing: its existence is caller data too.
    async fn visible_request(
        &self,
        operator: &Operator,
        id: &str,
    ) -> Result<CallbackRequest, DeskError> {
        match self.store.callback_request(id).await? {
            Some(request) if operator.works(&request.category) => Ok(request),
            _ => Err(DeskError::NotFound("callback request")),
        }
    }

    async fn audit(
        &self,
        operator: &Operator,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), DeskError> {
        let entry = self.entry(operator, action, subject, detail);
        Ok(self.store.record(&entry).await?)
    }

    /// An audit entry by `operator` now, for a store call that records it with its change.
    fn entry(&self, operator: &Operator, action: &str, subject: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            at: self.now(),
            operator_id: operator.id.clone(),
            operator_name: None,
            action: action.to_string(),
            subject: subject.to_string(),
            detail: detail.to_string(),
        }
    }

    /// When a claimed request's claim lapses and anyone may take it over.
    pub fn claim_lapses_at(&self, request: &CallbackRequest) -> Option<i64> {
        let at = request
            .claimed_at
            .filter(|_| request.status == Status::Claimed)?;
        Some(at.saturating_add(self.claim_timeout_ms()))
    }

    /// Whether the request is claimed, but so long ago that another operator may take it over.
    pub fn claim_has_lapsed(&self, request: &CallbackRequest) -> bool {
        let stale_before = self.now().saturating_sub(self.claim_timeout_ms());
        request.status == Status::Claimed && request.claimed_at.is_some_and(|at| at < stale_before)
    }

    /// Returns requests whose claim has lapsed to pending; how many.
    pub async fn release_lapsed_claims(&self) -> Result<u64, DeskError> {
        let stale_before = self.now().saturating_sub(self.claim_timeout_ms());
        Ok(self.store.release_stale_claims(stale_before).await?)
    }

    /// The store, for presentations that read more than the desk shapes.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// "Now", by the server's clock.
    pub fn now_ms(&self) -> i64 {
        self.now()
    }
}

/// Counts a call back recorded: its outcome, and whether the line placed it (`line`) or an
/// operator recorded one they made themselves (`console`, for the console and the API).
pub(crate) fn count_attempt(outcome: Outcome, placed_by: &'static str) {
    let labels = [("outcome", outcome.as_str()), ("placed_by", placed_by)];
    metrics::counter!("hotline_callback_attempts_total", &labels).increment(1);
}
