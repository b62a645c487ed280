//! The call log's SQL: every webhook write and the reads of one call. Written for SQLite and
//! PostgreSQL alike: `$n` placeholders, `on conflict`, and no functions either lacks. Each
//! write becomes its statement and its parameters as plain values, which each adapter binds
//! with its own driver; PostgreSQL runs each write in a many-rows form made from its statement
//! here (`postgres/many/`), with the same parameters as arrays. Every write touches only its
//! own call's rows.

use crate::store::{
    CallWrite, NewCall, NewCallbackRequest, StepRecord, TERMINAL_STATUSES, UnfinishedRow,
};

/// A statement parameter, independent of the database driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::store) enum Param {
    Text(String),
    MaybeText(Option<String>),
    Int(i64),
    MaybeInt(Option<i64>),
    MaybeBool(Option<bool>),
}

fn text(value: &str) -> Param {
    Param::Text(value.to_string())
}

fn maybe_text(value: Option<&str>) -> Param {
    Param::MaybeText(value.map(str::to_string))
}

/// The statement that applies `write`, with its parameters in `$n` order.
pub(in crate::store) fn statement(write: &CallWrite) -> (&'static str, Vec<Param>) {
    use Param::{Int, MaybeInt};
    match write {
        CallWrite::StartCall(call) => (START_CALL, start_call(call)),
        CallWrite::Step(step) => (INSERT_STEP, insert_step(step)),
        CallWrite::SetLanguage { call_sid, language } => {
            (SET_LANGUAGE, vec![text(call_sid), text(language)])
        }
        CallWrite::SetCategory { call_sid, category } => {
            (SET_CATEGORY, vec![text(call_sid), text(category)])
        }
        CallWrite::QueueEntered {
            call_sid,
            seq,
            category,
            queue,
            at,
        } => (
            INSERT_QUEUE_ENTRY,
            vec![
                text(call_sid),
                Int(*seq),
                text(category),
                text(queue),
                Int(*at),
            ],
        ),
        CallWrite::QueueWaited {
            call_sid,
            seq,
            position,
            wait_seconds,
            at,
        } => (
            QUEUE_WAITED,
            vec![
                text(call_sid),
                Int(*seq),
                Int(*at),
                MaybeInt(*position),
                MaybeInt(*wait_seconds),
            ],
        ),
        CallWrite::QueueLeft {
            call_sid,
            seq,
            result,
            wait_seconds,
            at,
        } => (
            QUEUE_LEFT,
            vec![
                text(call_sid),
                Int(*seq),
                Int(*at),
                text(result),
                MaybeInt(*wait_seconds),
            ],
        ),
        CallWrite::CallbackRequested(request) => (INSERT_CALLBACK, insert_callback(request)),
        CallWrite::UnfinishedOpen(row) => (UPSERT_UNFINISHED, upsert_unfinished(row)),
        CallWrite::UnfinishedAbandoned { call_sid, seq, at } => (
            ABANDON_UNFINISHED,
            vec![text(call_sid), Int(*at), Int(*seq)],
        ),
        CallWrite::UnfinishedLeft { call_sid, seq } => {
            (DROP_UNFINISHED, vec![text(call_sid), Int(*seq)])
        }
        CallWrite::SettleUnfinished { call_sid, at } => (
            SETTLE_UNFINISHED,
            vec![
                Param::Text(uuid::Uuid::now_v7().to_string()),
                text(call_sid),
                Int(*at),
            ],
        ),
        CallWrite::CallEnded {
            call_sid,
            status,
            duration_seconds,
            sequence,
            at,
        } => (
            CALL_ENDED,
            vec![
                text(call_sid),
                text(status),
                MaybeInt(*duration_seconds),
                Int(sequence.unwrap_or(0)),
                Int(*at),
                Param::MaybeBool(Some(TERMINAL_STATUSES.contains(&status.as_str()))),
            ],
        ),
    }
}

fn insert_step(step: &StepRecord) -> Vec<Param> {
    vec![
        text(&step.call_sid),
        Param::Int(step.seq),
        text(&step.node),
        maybe_text(step.input.as_deref()),
        text(&step.outcome),
        Param::Int(step.at),
    ]
}

fn upsert_unfinished(row: &UnfinishedRow) -> Vec<Param> {
    vec![
        text(&row.call_sid),
        text(&row.hotline),
        text(&row.category),
        text(&row.language),
        maybe_text(row.phone_number.as_deref()),
        text(row.number_source.as_str()),
        Param::MaybeBool(Some(row.dialable)),
        Param::MaybeBool(row.safe_to_leave_message),
        maybe_text(row.call_time.map(|t| t.as_str())),
        Param::Int(row.priority),
        Param::Int(row.at),
        Param::Int(row.seq),
    ]
}

fn start_call(call: &NewCall) -> Vec<Param> {
    vec![
        text(&call.call_sid),
        text(&call.hotline),
        text(&call.flow_version),
        maybe_text(call.from_number.as_deref()),
        maybe_text(call.to_number.as_deref()),
        text(&call.language),
        Param::Int(call.started_at),
        maybe_text(call.caller_hash.as_deref()),
    ]
}

fn insert_callback(request: &NewCallbackRequest) -> Vec<Param> {
    vec![
        Param::Text(uuid::Uuid::now_v7().to_string()),
        text(&request.call_sid),
        text(&request.hotline),
        text(&request.category),
        text(&request.language),
        text(&request.phone_number),
        text(request.number_source.as_str()),
        Param::MaybeBool(request.safe_to_leave_message),
        maybe_text(request.recording_url.as_deref()),
        Param::MaybeInt(request.recording_seconds),
        Param::Int(request.created_at),
        Param::Int(request.priority),
        Param::MaybeBool(Some(request.dialable)),
        maybe_text(request.call_time.map(|t| t.as_str())),
    ]
}

// A retried start is ignored, except that it fills in a placeholder row
// (hotline '') left by a status callback that came first.
pub(in crate::store) const START_CALL: &str = "
insert into calls (
    call_sid, hotline, flow_version, from_number, to_number, language, started_at, caller_hash)
values ($1, $2, $3, $4, $5, $6, $7, $8)
on conflict (call_sid) do update set
    hotline = excluded.hotline,
    caller_hash = excluded.caller_hash,
    flow_version = excluded.flow_version,
    from_number = excluded.from_number,
    to_number = excluded.to_number,
    language = case when calls.language = '' then excluded.language else calls.language end,
    started_at = excluded.started_at
where calls.hotline = ''";

pub(in crate::store) const INSERT_STEP: &str = "
insert into call_steps (call_sid, seq, node, input, outcome, at)
values ($1, $2, $3, $4, $5, $6)
on conflict (call_sid, seq) do nothing";

pub(in crate::store) const SET_LANGUAGE: &str =
    "update calls set language = $2 where call_sid = $1";

pub(in crate::store) const SET_CATEGORY: &str =
    "update calls set category = $2 where call_sid = $1";

pub(in crate::store) const INSERT_QUEUE_ENTRY: &str = "
insert into queue_entries (call_sid, seq, category, queue, entered_at)
values ($1, $2, $3, $4, $5)
on conflict (call_sid, seq) do nothing";

// Polls may overtake each other: an older one never replaces a newer one.
pub(in crate::store) const QUEUE_WAITED: &str = "
update queue_entries
set last_position = $4, last_wait_seconds = $5, last_polled_at = $3
where call_sid = $1 and seq = $2 and ended_at is null
    and (last_polled_at is null or last_polled_at <= $3)";

pub(in crate::store) const QUEUE_LEFT: &str = "
update queue_entries
set ended_at = $3, result = $4, wait_seconds = $5
where call_sid = $1 and seq = $2 and ended_at is null";

// The request waits from the call's start, not from when the caller finished the callback
// questions: a caller who gave up on a live queue keeps their place in line.
pub(in crate::store) const INSERT_CALLBACK: &str = "
insert into callback_requests (
    id, call_sid, hotline, category, language, phone_number, number_source,
    safe_to_leave_message, recording_url, recording_seconds, created_at, priority,
    dialable, call_time, waiting_since)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, coalesce(
    (select c.started_at from calls c where c.call_sid = $2 and c.hotline <> ''), $11))
on conflict (call_sid) do update set
    category = excluded.category,
    language = excluded.language,
    phone_number = excluded.phone_number,
    number_source = excluded.number_source,
    safe_to_leave_message = excluded.safe_to_leave_message,
    recording_url = excluded.recording_url,
    recording_seconds = excluded.recording_seconds,
    priority = excluded.priority,
    dialable = excluded.dialable,
    call_time = excluded.call_time,
    incomplete = false
where callback_requests.incomplete";

// Each webhook on the callback path replaces the row with what the caller has given so far;
// a retried or late webhook from earlier in the call (a lower step number) changes nothing.
pub(in crate::store) const UPSERT_UNFINISHED: &str = "
insert into unfinished_requests (
    call_sid, hotline, category, language, phone_number, number_source, dialable,
    safe_to_leave_message, call_time, priority, updated_at, seq)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
on conflict (call_sid) do update set
    hotline = excluded.hotline,
    category = excluded.category,
    language = excluded.language,
    phone_number = excluded.phone_number,
    number_source = excluded.number_source,
    dialable = excluded.dialable,
    safe_to_leave_message = excluded.safe_to_leave_message,
    call_time = excluded.call_time,
    priority = excluded.priority,
    open = true,
    updated_at = excluded.updated_at,
    seq = excluded.seq
where unfinished_requests.seq < excluded.seq";

pub(in crate::store) const ABANDON_UNFINISHED: &str =
    "update unfinished_requests set open = false, updated_at = $2, seq = $3
     where call_sid = $1 and seq < $3";

pub(in crate::store) const DROP_UNFINISHED: &str =
    "delete from unfinished_requests where call_sid = $1 and seq < $2";

// A request the call saved itself wins; the new one keeps the caller's place from the call's
// start, as every request does. Most calls on the callback path end with their request saved:
// `not exists` finds that in one index lookup, before the row is built and the insert tried
// (the conflict clause still covers a request saved meanwhile).
pub(in crate::store) const SETTLE_UNFINISHED: &str = "
insert into callback_requests (
    id, call_sid, hotline, category, language, phone_number, number_source,
    safe_to_leave_message, created_at, priority, dialable, call_time, incomplete, waiting_since)
select $1, u.call_sid, u.hotline, u.category, u.language, u.phone_number, u.number_source,
    u.safe_to_leave_message, $3, u.priority, u.dialable, u.call_time, true, coalesce(
        (select c.started_at from calls c where c.call_sid = u.call_sid and c.hotline <> ''),
        u.updated_at)
from unfinished_requests u
where u.call_sid = $2 and u.open and u.phone_number is not null
    and not exists (select 1 from callback_requests r where r.call_sid = u.call_sid)
on conflict (call_sid) do nothing";

// Open rows with a number, untouched since `$1`, that have no request yet.
pub(in crate::store) const FORGOTTEN_UNFINISHED: &str = "
select u.call_sid from unfinished_requests u
where u.open and u.phone_number is not null and u.updated_at < $1
    and not exists (select 1 from callback_requests r where r.call_sid = u.call_sid)
order by u.updated_at
limit 500";

// The rules are documented on `CallWrite::CallEnded`; $4 is the sequence number with a
// missing one as 0, and $6 whether the new status is final. A stored status is final exactly
// when the row has an `ended_at`, which only this statement writes, and only for a final
// status. The stored sequence only ever grows. (No `status in (...)` lists: SQLite builds a
// temporary b-tree for each list on every run.)
pub(in crate::store) const CALL_ENDED: &str = "
insert into calls (
    call_sid, hotline, flow_version, language, started_at,
    status, duration_seconds, status_sequence, ended_at)
values ($1, '', '', '', $5, $2, $3, $4, case when $6 then $5 end)
on conflict (call_sid) do update set
    status = excluded.status,
    duration_seconds = coalesce(excluded.duration_seconds, calls.duration_seconds),
    ended_at = excluded.ended_at,
    status_sequence = case
        when calls.status_sequence > excluded.status_sequence then calls.status_sequence
        else excluded.status_sequence end
where not (calls.ended_at is not null and excluded.ended_at is null)
    and (
        (calls.ended_at is null and excluded.ended_at is not null)
        or calls.status_sequence is null
        or calls.status_sequence < excluded.status_sequence)";

pub(in crate::store) const SELECT_CALL: &str = "
select call_sid, hotline, flow_version, from_number, to_number, language, category,
    started_at, ended_at, status, duration_seconds
from calls where call_sid = $1";

pub(in crate::store) const SELECT_STEPS: &str = "
select call_sid, seq, node, input, outcome, at
from call_steps where call_sid = $1 order by seq";

pub(in crate::store) const SELECT_QUEUE_ENTRIES: &str = "
select call_sid, seq, category, queue, entered_at, last_position, last_wait_seconds,
    ended_at, result, wait_seconds
from queue_entries where call_sid = $1 order by seq";

// Completed by the caller with the upper bound, categories, order and limit. Placeholder rows
// (hotline '') are calls whose start was never recorded: not calls anyone can look at.
pub(in crate::store) const SEARCH_CALLS: &str = "
select call_sid, hotline, flow_version, from_number, to_number, language, category,
    started_at, ended_at, status, duration_seconds
from calls where hotline <> '' and started_at >= ";

// Earlier calls from one number since an instant, not counting the call asking (whose start
// may already be recorded by a retried webhook).
pub(in crate::store) const COUNT_CALLS_FROM: &str = "
select count(*) from calls where from_number = $1 and started_at >= $2 and call_sid <> $3";

// Other calls whose caller hash is this call's, since an instant; 0 when the call has no hash.
pub(in crate::store) const COUNT_SAME_CALLER: &str = "
select count(*) from calls c join calls this on this.call_sid = $1
where this.caller_hash is not null and c.caller_hash = this.caller_hash
    and c.call_sid <> $1 and c.started_at >= $2";
