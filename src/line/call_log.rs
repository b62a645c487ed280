//! Turns what the engine decided into call-log writes, and saves them: durably before the
//! response when the caller is about to hear that something was saved.

use crate::engine::{CallbackRequest, Effect, Outcome, Unfinished, UnfinishedRequest};
use crate::store::{
    CallLog, CallWrite, NewCallbackRequest, NumberSource, StepRecord, StoreError, UnfinishedRow,
};

/// The writes for one engine outcome.
pub(super) fn writes(call_sid: &str, hotline: &str, at: i64, outcome: &Outcome) -> Vec<CallWrite> {
    outcome
        .effects
        .iter()
        .filter_map(|e| write(call_sid, hotline, at, e, outcome.state.seq))
        .collect()
}

fn write(call_sid: &str, hotline: &str, at: i64, effect: &Effect, seq: u32) -> Option<CallWrite> {
    let seq = i64::from(seq);
    let sid = call_sid.to_string();
    let write = match effect {
        Effect::Step {
            seq,
            node,
            input,
            outcome,
        } => CallWrite::Step(StepRecord {
            call_sid: sid,
            seq: i64::from(*seq),
            node: node.clone(),
            input: input.clone(),
            outcome: outcome.clone(),
            at,
        }),
        Effect::Language(language) => CallWrite::SetLanguage {
            call_sid: sid,
            language: language.clone(),
        },
        Effect::Category(category) => {
            let labels = [
                ("hotline", hotline.to_string()),
                ("category", category.clone()),
            ];
            metrics::counter!("hotline_triaged_total", &labels).increment(1);
            CallWrite::SetCategory {
                call_sid: sid,
                category: category.clone(),
            }
        }
        Effect::CallbackRequested(r) => callback_write(sid, hotline, at, r),
        Effect::Unfinished(Unfinished::Open(r)) => unfinished_write(sid, hotline, (at, seq), r),
        Effect::Unfinished(Unfinished::Abandoned) => CallWrite::UnfinishedAbandoned {
            call_sid: sid,
            seq,
            at,
        },
        Effect::Unfinished(Unfinished::Left) => CallWrite::UnfinishedLeft { call_sid: sid, seq },
        queue => return queue_write(sid, at, queue),
    };
    Some(write)
}

/// Queue effects update the caller's queue entry, keyed by the step that enqueued them.
fn queue_write(call_sid: String, at: i64, effect: &Effect) -> Option<CallWrite> {
    let wide = |n: &Option<u32>| n.map(i64::from);
    let write = match effect {
        Effect::Enqueued {
            seq,
            category,
            queue,
        } => CallWrite::QueueEntered {
            call_sid,
            seq: i64::from(*seq),
            category: category.clone(),
            queue: queue.clone(),
            at,
        },
        Effect::QueueLeft {
            seq,
            result,
            wait_seconds,
        } => CallWrite::QueueLeft {
            call_sid,
            seq: i64::from(*seq),
            result: result.clone(),
            wait_seconds: wide(wait_seconds),
            at,
        },
        Effect::QueueWaited {
            seq,
            position,
            wait_seconds,
        } => CallWrite::QueueWaited {
            call_sid,
            seq: i64::from(*seq),
            position: wide(position),
            wait_seconds: wide(wait_seconds),
            at,
        },
        // Only queue effects are routed here.
        _ => return None,
    };
    Some(write)
}

fn source(entered: bool) -> NumberSource {
    if entered {
        NumberSource::Entered
    } else {
        NumberSource::Caller
    }
}

/// `(at, seq)`: when, and the step number the call reached.
fn unfinished_write(
    call_sid: String,
    hotline: &str,
    (at, seq): (i64, i64),
    r: &UnfinishedRequest,
) -> CallWrite {
    CallWrite::UnfinishedOpen(UnfinishedRow {
        call_sid,
        hotline: hotline.to_string(),
        category: r.category.clone(),
        language: r.language.clone(),
        phone_number: r.number.clone(),
        number_source: source(r.entered),
        dialable: r.dialable,
        safe_to_leave_message: r.safe_to_leave_message,
        call_time: r.call_time,
        priority: i64::from(r.priority),
        seq,
        at,
    })
}

fn callback_write(call_sid: String, hotline: &str, at: i64, r: &CallbackRequest) -> CallWrite {
    let labels = [
        ("hotline", hotline.to_string()),
        ("category", r.category.clone()),
    ];
    metrics::counter!("hotline_callback_requests_total", &labels).increment(1);
    CallWrite::CallbackRequested(NewCallbackRequest {
        call_sid,
        hotline: hotline.to_string(),
        category: r.category.clone(),
        language: r.language.clone(),
        phone_number: r.number.clone(),
        number_source: source(r.entered),
        dialable: r.dialable,
        safe_to_leave_message: r.safe_to_leave_message,
        call_time: r.call_time,
        recording_url: r.recording_url.clone(),
        recording_seconds: r.recording_seconds.map(i64::from),
        priority: i64::from(r.priority),
        created_at: at,
    })
}

/// Saves the writes: committed before the answer when it promises a saved request (`durable`),
/// otherwise queued to be committed in order. A failure matters to the caller only in the
/// first case; otherwise the call goes on and the failure is logged and counted.
pub(super) async fn save(
    store: &dyn CallLog,
    call_sid: &str,
    writes: Vec<CallWrite>,
    durable: bool,
) -> Result<(), StoreError> {
    if writes.is_empty() {
        return Ok(());
    }
    let saved = if durable {
        store.write(writes).await
    } else {
        // The caller hears nothing about these: they need not delay the answer.
        store.write_soon(writes).await
    };
    match saved {
        Ok(()) => Ok(()),
        Err(e) if durable => Err(e),
        Err(e) => {
            metrics::counter!("hotline_store_errors_total").increment(1);
            tracing::error!(call_sid, error = %e, "call-log write failed; the call continues");
            Ok(())
        }
    }
}
