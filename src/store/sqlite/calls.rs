//! SQLite statements for the call log: every webhook write, and the reads of one call.

use sqlx::Sqlite;
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteConnection};

use crate::store::statements::calls::*;
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
