//! The SQL reports read and its rows, shared by both adapters.

use crate::reports::{AttemptFact, CallFact, DialFact, Facts, RequestFact, StepFact, WaitFact};

#[derive(sqlx::FromRow)]
pub(in crate::store) struct CallRow {
    call_sid: String,
    hotline: String,
    started_at: i64,
    category: Option<String>,
    ended: bool,
}

#[derive(sqlx::FromRow)]
pub(in crate::store) struct StepRow {
    call_sid: String,
    seq: i64,
    node: String,
    outcome: String,
}

#[derive(sqlx::FromRow)]
pub(in crate::store) struct WaitRow {
    category: String,
    result: String,
    wait_seconds: i64,
    entered_at: i64,
    handle_seconds: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(in crate::store) struct RequestRow {
    category: String,
    waiting_since: i64,
    first_attempt_at: Option<i64>,
    incomplete: bool,
}

/// The facts from the four queries' rows.
#[derive(sqlx::FromRow)]
pub(in crate::store) struct AttemptRow {
    category: String,
    request_id: String,
    waiting_since: i64,
    outcome: String,
    at: i64,
}

impl AttemptRow {
    pub(in crate::store) fn into_fact(self) -> AttemptFact {
        AttemptFact {
            category: self.category,
            request_id: self.request_id,
            waiting_since: self.waiting_since,
            outcome: self.outcome,
            at: self.at,
        }
    }
}

pub(in crate::store) const ATTEMPTS: &str = "
select r.category, a.request_id, coalesce(r.waiting_since, r.created_at) as waiting_since,
    a.outcome, a.at
from callback_attempts a join callback_requests r on r.id = a.request_id
where a.at >= $1 and a.at < $2";

#[derive(sqlx::FromRow)]
pub(in crate::store) struct DialRow {
    request_id: String,
    seconds: i64,
}

impl DialRow {
    pub(in crate::store) fn into_fact(self) -> DialFact {
        DialFact {
            request_id: self.request_id,
            seconds: self.seconds,
        }
    }
}

/// The calls back the line placed in the period that have ended: how long each held an
/// operator, from the dial to the end of the call (a clock that stepped back is not a call).
pub(in crate::store) const DIALS: &str = "
select request_id, (ended_at - started_at) / 1000 as seconds
from callback_dials
where started_at >= $1 and started_at < $2 and ended_at is not null and ended_at >= started_at";

pub(in crate::store) fn facts(
    calls: Vec<CallRow>,
    steps: Vec<StepRow>,
    waits: Vec<WaitRow>,
    requests: Vec<RequestRow>,
) -> Facts {
    Facts {
        attempts: Vec::new(),
        missed_requests: Vec::new(),
        dials: Vec::new(),
        calls: calls
            .into_iter()
            .map(|r| CallFact {
                call_sid: r.call_sid,
                hotline: r.hotline,
                started_at: r.started_at,
                category: r.category,
                ended: r.ended,
            })
            .collect(),
        steps: steps
            .into_iter()
            .map(|r| StepFact {
                call_sid: r.call_sid,
                seq: r.seq,
                node: r.node,
                outcome: r.outcome,
            })
            .collect(),
        waits: waits
            .into_iter()
            .map(|r| WaitFact {
                category: r.category,
                result: r.result,
                wait_seconds: r.wait_seconds,
                entered_at: r.entered_at,
                // A duration shorter than the wait is a report that went astray.
                handle_seconds: r.handle_seconds.filter(|s| *s >= 0),
            })
            .collect(),
        requests: requests
            .into_iter()
            .map(|r| RequestFact {
                category: r.category,
                waiting_since: r.waiting_since,
                first_attempt_at: r.first_attempt_at,
                incomplete: r.incomplete,
            })
            .collect(),
    }
}

pub(in crate::store) const CALLS: &str = "
select call_sid, hotline, started_at, category, ended_at is not null as ended
from calls where hotline <> '' and started_at >= $1 and started_at < $2";

pub(in crate::store) const STEPS: &str = "
select s.call_sid, s.seq, s.node, s.outcome
from call_steps s join calls c on c.call_sid = s.call_sid
where c.hotline <> '' and c.started_at >= $1 and c.started_at < $2";

// A stay without a reported wait is measured by the server's own clock. An answered caller's
// handle time is what the provider's call duration leaves after the menus and the wait.
pub(in crate::store) const WAITS: &str = "
select q.category, q.result,
    coalesce(q.wait_seconds, (q.ended_at - q.entered_at) / 1000) as wait_seconds,
    q.entered_at,
    case when q.result = 'bridged' then c.duration_seconds - (q.entered_at - c.started_at) / 1000
        - coalesce(q.wait_seconds, (q.ended_at - q.entered_at) / 1000) end as handle_seconds
from queue_entries q left join calls c on c.call_sid = q.call_sid
where q.result is not null and q.ended_at >= $1 and q.ended_at < $2";

pub(in crate::store) const REQUESTS: &str = "
select r.category, coalesce(r.waiting_since, r.created_at) as waiting_since,
    (select min(a.at) from callback_attempts a where a.request_id = r.id) as first_attempt_at,
    r.incomplete
from callback_requests r
where r.created_at >= $1 and r.created_at < $2";

// Calls that ended in the period on the callback path with nothing the line can call back:
// no usable number, or a goodbye that told the caller nothing was taken.
pub(in crate::store) const MISSED_REQUESTS: &str = "
select u.category from unfinished_requests u join calls c on c.call_sid = u.call_sid
where c.ended_at >= $1 and c.ended_at < $2 and (not u.open or u.phone_number is null)
    and not exists (select 1 from callback_requests r where r.call_sid = u.call_sid)";
