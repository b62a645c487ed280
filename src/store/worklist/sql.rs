//! The worklist's SQL and rows, shared by both adapters: listing callback requests, the
//! claim/release/complete transitions and the live queue, and the conflicts they report.

use crate::callbacks::pacing::CallTime;
use crate::callbacks::{Outcome, Refusal, Settlement, Status, settle};
use crate::store::{
    Attempt, AuditEntry, CallbackRequest, Completion, Dial, LiveCaller, NumberSource, Screen,
    StoreError,
};

/// What completing `current` as `done` asks does to it: refused unless the operator
/// holds it, and by the outcome rules.
pub(in crate::store) fn settlement(
    current: &CallbackRequest,
    done: &Completion,
) -> Result<Settlement, StoreError> {
    if current.status != Status::Claimed
        || current.claimed_by.as_deref() != Some(done.operator_id.as_str())
    {
        return Err(not_yours(current));
    }
    let attempts = u32::try_from(current.no_answer_attempts).unwrap_or(0);
    settle(
        done.outcome,
        attempts,
        current.safe_to_leave_message,
        &done.policy,
    )
    .map_err(|Refusal::MessageNotSafe| StoreError::Conflict {
        code: "message_not_safe",
        message: Refusal::MessageNotSafe.to_string(),
    })
}

pub(in crate::store) fn action(
    operator_id: &str,
    what: &str,
    subject: &str,
    at: i64,
    detail: &str,
) -> AuditEntry {
    AuditEntry {
        at,
        operator_id: operator_id.to_string(),
        operator_name: None,
        action: what.to_string(),
        subject: subject.to_string(),
        detail: detail.to_string(),
    }
}

/// The refusal of any change to a closed request; `None` while it is open.
pub(in crate::store) fn closed(current: &CallbackRequest) -> Option<StoreError> {
    current.status.is_closed().then(|| StoreError::Conflict {
        code: "closed",
        message: format!("this request is already {}", current.status),
    })
}

/// Why a claim did not take, from the request as it now is.
pub(in crate::store) fn refusal_to_claim(current: &CallbackRequest) -> StoreError {
    if let Some(closed) = closed(current) {
        return closed;
    }
    let who = current
        .claimed_by_name
        .as_deref()
        .unwrap_or("another operator");
    StoreError::Conflict {
        code: "already_claimed",
        message: format!("{who} has already claimed this request"),
    }
}

/// Why an operator cannot release or complete a request.
pub(in crate::store) fn not_yours(current: &CallbackRequest) -> StoreError {
    if let Some(closed) = closed(current) {
        return closed;
    }
    StoreError::Conflict {
        code: "not_claimed_by_you",
        message: "claim this request before recording a call back or releasing it".into(),
    }
}

#[derive(sqlx::FromRow)]
pub(in crate::store) struct RequestRow {
    id: String,
    call_sid: String,
    hotline: String,
    category: String,
    language: String,
    phone_number: String,
    number_source: String,
    dialable: bool,
    incomplete: bool,
    safe_to_leave_message: Option<bool>,
    call_time: Option<String>,
    recording_url: Option<String>,
    recording_seconds: Option<i64>,
    call_started_at: Option<i64>,
    created_at: i64,
    priority: i64,
    waiting_since: i64,
    status: String,
    claimed_by: Option<String>,
    claimed_by_name: Option<String>,
    claimed_at: Option<i64>,
    no_answer_attempts: i64,
    last_attempt_at: Option<i64>,
    outcome: Option<String>,
    closed_at: Option<i64>,
    offered_to: Option<String>,
    offered_until: Option<i64>,
    ring_at: Option<i64>,
    ring_status: Option<String>,
}

impl RequestRow {
    pub(in crate::store) fn into_request(self) -> Result<CallbackRequest, StoreError> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("callback request {}: {what}", self.id));
        let number_source =
            NumberSource::parse(&self.number_source).ok_or_else(|| corrupt("number_source"))?;
        let status = Status::parse(&self.status).ok_or_else(|| corrupt("status"))?;
        let outcome = match &self.outcome {
            Some(text) => Some(Outcome::parse(text).ok_or_else(|| corrupt("outcome"))?),
            None => None,
        };
        let call_time = match &self.call_time {
            Some(text) => Some(CallTime::parse(text).ok_or_else(|| corrupt("call_time"))?),
            None => None,
        };
        Ok(CallbackRequest {
            id: self.id,
            call_sid: self.call_sid,
            hotline: self.hotline,
            category: self.category,
            language: self.language,
            phone_number: self.phone_number,
            number_source,
            dialable: self.dialable,
            incomplete: self.incomplete,
            safe_to_leave_message: self.safe_to_leave_message,
            call_time,
            recording_url: self.recording_url,
            recording_seconds: self.recording_seconds,
            call_started_at: self.call_started_at,
            created_at: self.created_at,
            priority: self.priority,
            waiting_since: self.waiting_since,
            status,
            claimed_by: self.claimed_by,
            claimed_by_name: self.claimed_by_name,
            claimed_at: self.claimed_at,
            no_answer_attempts: self.no_answer_attempts,
            last_attempt_at: self.last_attempt_at,
            outcome,
            closed_at: self.closed_at,
            offered_to: self.offered_to,
            offered_until: self.offered_until,
            ring_at: self.ring_at,
            ring_status: self.ring_status,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(in crate::store) struct AttemptRow {
    attempt: i64,
    operator_id: String,
    operator_name: Option<String>,
    outcome: String,
    notes: String,
    at: i64,
}

impl AttemptRow {
    pub(in crate::store) fn into_attempt(self) -> Result<Attempt, StoreError> {
        let outcome = Outcome::parse(&self.outcome)
            .ok_or_else(|| StoreError::Corrupt(format!("attempt outcome {}", self.outcome)))?;
        Ok(Attempt {
            attempt: self.attempt,
            operator_id: self.operator_id,
            operator_name: self.operator_name,
            outcome,
            notes: self.notes,
            at: self.at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(in crate::store) struct LiveRow {
    call_sid: String,
    hotline: String,
    category: String,
    queue: String,
    language: String,
    entered_at: i64,
    position: Option<i64>,
}

impl LiveRow {
    pub(in crate::store) fn into_caller(self) -> LiveCaller {
        LiveCaller {
            call_sid: self.call_sid,
            hotline: self.hotline,
            category: self.category,
            queue: self.queue,
            language: self.language,
            entered_at: self.entered_at,
            position: self.position,
        }
    }
}

// Completed by the caller with `and ...` filters, the order and the limit. A placeholder call
// row's started_at is not the call's start: hide it.
pub(in crate::store) const SELECT_REQUESTS: &str = "
select r.id, r.call_sid, r.hotline, r.category, r.language, r.phone_number, r.number_source,
    r.dialable, r.incomplete, r.safe_to_leave_message, r.call_time, r.recording_url,
    r.recording_seconds, case when c.hotline <> '' then c.started_at end as call_started_at,
    r.created_at, r.priority, coalesce(r.waiting_since, r.created_at) as waiting_since,
    r.status, r.claimed_by, o.name as claimed_by_name, r.claimed_at, r.no_answer_attempts,
    (select max(a.at) from callback_attempts a where a.request_id = r.id) as last_attempt_at,
    r.outcome, r.closed_at, r.offered_to, r.offered_until, r.ring_at, r.ring_status
from callback_requests r
left join calls c on c.call_sid = r.call_sid
left join operators o on o.id = r.claimed_by
where 1 = 1";

// A pending request, a lapsed claim, or the claimer's own claim (claiming twice is harmless).
// One statement, so of two concurrent claims the second finds the row already claimed.
pub(in crate::store) const CLAIM: &str = "
update callback_requests set status = 'claimed', claimed_by = $2, claimed_at = $3
where id = $1 and (
    status = 'pending'
    or (status = 'claimed' and (claimed_at < $4 or claimed_by = $2)))";

pub(in crate::store) const RELEASE: &str = "
update callback_requests set status = 'pending', claimed_by = null, claimed_at = null
where id = $1 and status = 'claimed' and claimed_by = $2";

// A request whose caller the line reached, and which the operator has not closed yet, is not
// given back by itself: it would be offered again, and the person rung again, although they
// were reached. It stays claimed until someone closes it (or takes it over) in the console.
pub(in crate::store) const RELEASE_STALE: &str = "
update callback_requests set status = 'pending', claimed_by = null, claimed_at = null
where status = 'claimed' and claimed_at < $1
    and not exists (
        select 1 from callback_dials d
        where d.request_id = callback_requests.id and d.screen = 'confirmed'
            and d.started_at >= callback_requests.claimed_at)";

pub(in crate::store) const INSERT_ATTEMPT: &str = "
insert into callback_attempts (request_id, attempt, operator_id, outcome, notes, at)
values ($1, (select coalesce(max(attempt), 0) + 1 from callback_attempts where request_id = $1),
    $2, $3, $4, $5)";

// A request that goes back to pending is free for anyone; a closed one keeps who closed it.
pub(in crate::store) const SETTLE: &str = "
update callback_requests set status = $2, no_answer_attempts = $3, outcome = $4,
    closed_at = $5, closed_by = $6,
    claimed_by = case when $2 = 'pending' then null else claimed_by end,
    claimed_at = case when $2 = 'pending' then null else claimed_at end
where id = $1";

pub(in crate::store) const SELECT_ATTEMPTS: &str = "
select a.attempt, a.operator_id, o.name as operator_name, a.outcome, a.notes, a.at
from callback_attempts a left join operators o on o.id = a.operator_id
where a.request_id = $1 order by a.attempt";

// A caller whose call has ended, or who has not been heard of for a while (the provider stopped
// polling: the call dropped without a status callback), is no longer waiting.
pub(in crate::store) const SELECT_LIVE: &str = "
select q.call_sid, c.hotline, q.category, q.queue, c.language, q.entered_at,
    q.last_position as position
from queue_entries q join calls c on c.call_sid = q.call_sid
where q.ended_at is null and c.ended_at is null
    and coalesce(q.last_polled_at, q.entered_at) >= $1
order by q.entered_at, q.call_sid";

pub(in crate::store) const SELECT_RECENT_WAITS: &str = "
select wait_seconds from queue_entries
where category = $1 and result = 'bridged' and ended_at >= $2 and wait_seconds is not null
order by ended_at desc limit $3";

pub(in crate::store) const INSERT_DIAL: &str = "
insert into callback_dials (id, request_id, operator_id, started_at) values ($1, $2, $3, $4)
on conflict (id) do nothing";

pub(in crate::store) const SELECT_DIAL: &str = "
select id, request_id, operator_id, started_at, screen, dial_status, ended_at, leg_status
from callback_dials where id = $1";

pub(in crate::store) const LATEST_DIAL: &str = "
select id, request_id, operator_id, started_at, screen, dial_status, ended_at, leg_status
from callback_dials where request_id = $1 order by started_at desc, id desc limit 1";

pub(in crate::store) const START_RING: &str =
    "update callback_requests set ring_at = $2, ring_status = 'initiated' where id = $1";

/// How far the call status stored in `$column` has come, in SQL: the same stages as
/// [`crate::store::worklist::leg_stage`], which binds the incoming report's.
macro_rules! stage_of {
    ($column:literal) => {
        concat!(
            "case when ",
            $column,
            " is null then 0",
            " when ",
            $column,
            " in ('queued', 'initiated') then 1",
            " when ",
            $column,
            " = 'ringing' then 2",
            " when ",
            $column,
            " = 'in-progress' then 3 else 4 end"
        )
    };
}

// The provider's reports may overtake each other: a report never replaces a later stage.
pub(in crate::store) const RING_PROGRESS: &str = concat!(
    "update callback_requests set ring_status = $3 where id = $1 and ring_at = $2 and $4 > ",
    stage_of!("ring_status")
);

pub(in crate::store) const DIAL_PROGRESS: &str = concat!(
    "update callback_dials set leg_status = $2 where id = $1 and $3 > ",
    stage_of!("leg_status")
);

pub(in crate::store) const COUNT_DIALS_TO: &str = "
select count(*) from callback_dials d join callback_requests r on r.id = d.request_id
where r.phone_number = $1 and d.started_at >= $2";

pub(in crate::store) const DROP_OFFER: &str =
    "update callback_requests set offered_until = null where id = $1 and offered_to = $2";

pub(in crate::store) const SCREEN_DIAL: &str =
    "update callback_dials set screen = $2 where id = $1 and screen is null";

pub(in crate::store) const END_DIAL: &str =
    "update callback_dials set dial_status = $2, ended_at = $3 where id = $1 and ended_at is null";

#[derive(sqlx::FromRow)]
pub(in crate::store) struct DialRow {
    id: String,
    request_id: String,
    operator_id: String,
    started_at: i64,
    screen: Option<String>,
    dial_status: Option<String>,
    ended_at: Option<i64>,
    leg_status: Option<String>,
}

impl DialRow {
    pub(in crate::store) fn into_dial(self) -> Result<Dial, StoreError> {
        let screen = match &self.screen {
            Some(text) => Some(Screen::parse(text).ok_or_else(|| {
                StoreError::Corrupt(format!("callback dial {}: screen", self.id))
            })?),
            None => None,
        };
        Ok(Dial {
            id: self.id,
            request_id: self.request_id,
            operator_id: self.operator_id,
            started_at: self.started_at,
            screen,
            dial_status: self.dial_status,
            ended_at: self.ended_at,
            leg_status: self.leg_status,
        })
    }
}
