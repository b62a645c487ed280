//! SQLite statements for the call log: every webhook write, and the reads of one call.

use sqlx::Sqlite;
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteConnection};

use crate::store::{CallWrite, NewCall, NewCallbackRequest, StepRecord};

/// Applies one write on `conn`, which the caller has put in a transaction.
pub(super) async fn apply(conn: &mut SqliteConnection, write: &CallWrite) -> sqlx::Result<()> {
    statement(write).execute(conn).await?;
    Ok(())
}

type Statement = Query<'static, Sqlite, SqliteArguments>;

fn statement(write: &CallWrite) -> Statement {
    match write {
        CallWrite::StartCall(call) => start_call(call),
        CallWrite::Step(step) => insert_step(step),
        CallWrite::SetLanguage { call_sid, language } => set(SET_LANGUAGE, call_sid, language),
        CallWrite::SetCategory { call_sid, category } => set(SET_CATEGORY, call_sid, category),
        CallWrite::QueueEntered {
            call_sid,
            seq,
            category,
            queue,
            at,
        } => queue_entered(call_sid, *seq, category, queue, *at),
        CallWrite::QueueWaited {
            call_sid,
            seq,
            position,
            wait_seconds,
            at,
        } => queue_update(QUEUE_WAITED, call_sid, *seq, *at)
            .bind(*position)
            .bind(*wait_seconds),
        CallWrite::QueueLeft {
            call_sid,
            seq,
            result,
            wait_seconds,
            at,
        } => queue_update(QUEUE_LEFT, call_sid, *seq, *at)
            .bind(result.as_str())
            .bind(*wait_seconds),
        CallWrite::CallbackRequested(request) => insert_callback(request),
        CallWrite::CallEnded {
            call_sid,
            status,
            duration_seconds,
            sequence,
            at,
        } => call_ended(call_sid, status, *duration_seconds, *sequence, *at),
    }
}

/// An update of one column of a call's row.
fn set(sql: &'static str, call_sid: &str, value: &str) -> Statement {
    sqlx::query(sql).bind(call_sid).bind(value)
}

fn insert_step(step: &StepRecord) -> Statement {
    sqlx::query(INSERT_STEP)
        .bind(step.call_sid.as_str())
        .bind(step.seq)
        .bind(step.node.as_str())
        .bind(step.input.as_deref())
        .bind(step.outcome.as_str())
        .bind(step.at)
}

fn queue_entered(call_sid: &str, seq: i64, category: &str, queue: &str, at: i64) -> Statement {
    sqlx::query(INSERT_QUEUE_ENTRY)
        .bind(call_sid)
        .bind(seq)
        .bind(category)
        .bind(queue)
        .bind(at)
}

/// An update of a queue entry: binds $1 to $3; the caller binds the rest.
fn queue_update(sql: &'static str, call_sid: &str, seq: i64, at: i64) -> Statement {
    sqlx::query(sql).bind(call_sid).bind(seq).bind(at)
}

fn call_ended(
    call_sid: &str,
    status: &str,
    duration_seconds: Option<i64>,
    sequence: Option<i64>,
    at: i64,
) -> Statement {
    sqlx::query(CALL_ENDED)
        .bind(call_sid)
        .bind(status)
        .bind(duration_seconds)
        .bind(sequence.unwrap_or(0))
        .bind(at)
}

fn start_call(call: &NewCall) -> Statement {
    sqlx::query(START_CALL)
        .bind(call.call_sid.as_str())
        .bind(call.hotline.as_str())
        .bind(call.flow_version.as_str())
        .bind(call.from_number.as_deref())
        .bind(call.to_number.as_deref())
        .bind(call.language.as_str())
        .bind(call.started_at)
}

fn insert_callback(request: &NewCallbackRequest) -> Statement {
    sqlx::query(INSERT_CALLBACK)
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(request.call_sid.as_str())
        .bind(request.hotline.as_str())
        .bind(request.category.as_str())
        .bind(request.language.as_str())
        .bind(request.phone_number.as_str())
        .bind(request.number_source.as_str())
        .bind(request.safe_to_leave_message)
        .bind(request.recording_url.as_deref())
        .bind(request.recording_seconds)
        .bind(request.created_at)
        .bind(request.priority)
}

// A retried start is ignored, except that it fills in a placeholder row
// (hotline '') left by a status callback that came first.
const START_CALL: &str = "
insert into calls (call_sid, hotline, flow_version, from_number, to_number, language, started_at)
values ($1, $2, $3, $4, $5, $6, $7)
on conflict (call_sid) do update set
    hotline = excluded.hotline,
    flow_version = excluded.flow_version,
    from_number = excluded.from_number,
    to_number = excluded.to_number,
    language = case when calls.language = '' then excluded.language else calls.language end,
    started_at = excluded.started_at
where calls.hotline = ''";

const INSERT_STEP: &str = "
insert into call_steps (call_sid, seq, node, input, outcome, at)
values ($1, $2, $3, $4, $5, $6)
on conflict (call_sid, seq) do nothing";

const SET_LANGUAGE: &str = "update calls set language = $2 where call_sid = $1";

const SET_CATEGORY: &str = "update calls set category = $2 where call_sid = $1";

const INSERT_QUEUE_ENTRY: &str = "
insert into queue_entries (call_sid, seq, category, queue, entered_at)
values ($1, $2, $3, $4, $5)
on conflict (call_sid, seq) do nothing";

// Polls may overtake each other: an older one never replaces a newer one.
const QUEUE_WAITED: &str = "
update queue_entries
set last_position = $4, last_wait_seconds = $5, last_polled_at = $3
where call_sid = $1 and seq = $2 and ended_at is null
    and (last_polled_at is null or last_polled_at <= $3)";

const QUEUE_LEFT: &str = "
update queue_entries
set ended_at = $3, result = $4, wait_seconds = $5
where call_sid = $1 and seq = $2 and ended_at is null";

// The request waits from the call's start, not from when the caller finished the callback
// questions: a caller who gave up on a live queue keeps their place in line.
const INSERT_CALLBACK: &str = "
insert into callback_requests (
    id, call_sid, hotline, category, language, phone_number, number_source,
    safe_to_leave_message, recording_url, recording_seconds, created_at, priority,
    waiting_since)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce(
    (select c.started_at from calls c where c.call_sid = $2 and c.hotline <> ''), $11))
on conflict (call_sid) do nothing";

// The rules are documented on `CallWrite::CallEnded`; $4 is the sequence
// number with a missing one as 0. The stored sequence only ever grows.
const CALL_ENDED: &str = "
insert into calls (
    call_sid, hotline, flow_version, language, started_at,
    status, duration_seconds, status_sequence, ended_at)
values ($1, '', '', '', $5, $2, $3, $4,
    case when $2 in ('completed', 'busy', 'failed', 'no-answer', 'canceled') then $5 end)
on conflict (call_sid) do update set
    status = excluded.status,
    duration_seconds = coalesce(excluded.duration_seconds, calls.duration_seconds),
    ended_at = excluded.ended_at,
    status_sequence = case
        when calls.status_sequence > excluded.status_sequence then calls.status_sequence
        else excluded.status_sequence end
where not (
        calls.status in ('completed', 'busy', 'failed', 'no-answer', 'canceled')
        and excluded.status not in ('completed', 'busy', 'failed', 'no-answer', 'canceled'))
    and (
        (calls.status not in ('completed', 'busy', 'failed', 'no-answer', 'canceled')
            and excluded.status in ('completed', 'busy', 'failed', 'no-answer', 'canceled'))
        or calls.status_sequence is null
        or calls.status_sequence < excluded.status_sequence)";

pub(super) const SELECT_CALL: &str = "
select call_sid, hotline, flow_version, from_number, to_number, language, category,
    started_at, ended_at, status, duration_seconds
from calls where call_sid = $1";

pub(super) const SELECT_STEPS: &str = "
select call_sid, seq, node, input, outcome, at
from call_steps where call_sid = $1 order by seq";

pub(super) const SELECT_QUEUE_ENTRIES: &str = "
select call_sid, seq, category, queue, entered_at, last_position, last_wait_seconds,
    ended_at, result, wait_seconds
from queue_entries where call_sid = $1 order by seq";

// Completed by the caller with the upper bound, categories, order and limit. Placeholder rows
// (hotline '') are calls whose start was never recorded: not calls anyone can look at.
pub(super) const SEARCH_CALLS: &str = "
select call_sid, hotline, flow_version, from_number, to_number, language, category,
    started_at, ended_at, status, duration_seconds
from calls where hotline <> '' and started_at >= ";
