//! The storage port's rules (idempotent writes, status callbacks out of order, queue stays,
//! callback requests) on every backend.

use std::sync::Arc;

use crate::support::backends::on_every_backend;

use hotline::callbacks::Status;
use hotline::callbacks::pacing::CallTime;
use hotline::store::open::connect;
use hotline::store::{
    CallRecord, CallWrite, CallbackFilter, CallbackRequest, NewCall, NewCallbackRequest,
    NumberSource, QueueEntry, StepRecord, Store,
};
use tempfile::TempDir;

pub(crate) fn database_url(dir: &TempDir) -> String {
    format!("sqlite:{}", dir.path().join("hotline.db").display())
}

pub(crate) async fn open_store() -> (TempDir, Arc<dyn Store>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = connect(&database_url(&dir)).await.expect("the store opens");
    (dir, store)
}

pub(crate) fn new_call(call_sid: &str) -> NewCall {
    NewCall {
        call_sid: call_sid.to_string(),
        hotline: "tenants".to_string(),
        flow_version: "2024-05-01".to_string(),
        from_number: Some("+15550001111".to_string()),
        to_number: Some("+15550002222".to_string()),
        language: "en".to_string(),
        started_at: 1_700_000_000_000,
        caller_hash: None,
    }
}

pub(crate) fn step(call_sid: &str, seq: i64, node: &str) -> StepRecord {
    StepRecord {
        call_sid: call_sid.to_string(),
        seq,
        node: node.to_string(),
        input: Some("1".to_string()),
        outcome: "next".to_string(),
        at: 1_700_000_000_000 + seq * 1_000,
    }
}

pub(crate) fn callback(call_sid: &str, created_at: i64) -> NewCallbackRequest {
    NewCallbackRequest {
        call_sid: call_sid.to_string(),
        hotline: "tenants".to_string(),
        category: "eviction".to_string(),
        language: "es".to_string(),
        phone_number: "+15550001111".to_string(),
        number_source: NumberSource::Entered,
        dialable: true,
        safe_to_leave_message: Some(false),
        call_time: Some(CallTime::Evening),
        recording_url: Some("https://example.invalid/rec.wav".to_string()),
        recording_seconds: Some(12),
        priority: 5,
        created_at,
    }
}

pub(crate) fn call_ended(
    call_sid: &str,
    status: &str,
    sequence: Option<i64>,
    at: i64,
) -> CallWrite {
    CallWrite::CallEnded {
        call_sid: call_sid.to_string(),
        status: status.to_string(),
        duration_seconds: (status == "completed").then_some(95),
        sequence,
        at,
    }
}

pub(crate) async fn all_callbacks(store: &dyn Store) -> Vec<CallbackRequest> {
    store
        .callback_requests(&CallbackFilter::default())
        .await
        .expect("callback requests")
}

#[tokio::test]
async fn a_call_with_steps_a_queue_stay_and_a_callback_request_reads_back_exactly() {
    on_every_backend(|store| async move {
        let sid = "CA1";
        store
            .write(vec![
                CallWrite::StartCall(new_call(sid)),
                CallWrite::Step(step(sid, 1, "welcome")),
                CallWrite::Step(StepRecord {
                    input: None,
                    ..step(sid, 2, "language")
                }),
                CallWrite::SetLanguage {
                    call_sid: sid.into(),
                    language: "es".into(),
                },
                CallWrite::SetCategory {
                    call_sid: sid.into(),
                    category: "eviction".into(),
                },
            ])
            .await
            .expect("the start is recorded");
        let entered = CallWrite::QueueEntered {
            call_sid: sid.into(),
            seq: 3,
            category: "eviction".into(),
            queue: "eviction-es".into(),
            at: 1_700_000_010_000,
        };
        let waited = |position, wait, at| CallWrite::QueueWaited {
            call_sid: sid.into(),
            seq: 3,
            position: Some(position),
            wait_seconds: Some(wait),
            at,
        };
        store.write(vec![entered]).await.expect("queue entry");
        store
            .write(vec![waited(4, 30, 1_700_000_040_000)])
            .await
            .expect("poll");
        store
            .write(vec![waited(2, 60, 1_700_000_070_000)])
            .await
            .expect("poll");
        let left = CallWrite::QueueLeft {
            call_sid: sid.into(),
            seq: 3,
            result: "hangup".into(),
            wait_seconds: Some(75),
            at: 1_700_000_085_000,
        };
        store.write(vec![left]).await.expect("queue left");
        store
            .write(vec![CallWrite::CallbackRequested(callback(
                sid,
                1_700_000_090_000,
            ))])
            .await
            .expect("callback request");
        store
            .write(vec![call_ended(
                sid,
                "completed",
                Some(5),
                1_700_000_095_000,
            )])
            .await
            .expect("call ended");

        let call = store.call(sid).await.expect("read").expect("the call");
        assert_eq!(
            call,
            CallRecord {
                call_sid: sid.into(),
                hotline: "tenants".into(),
                flow_version: "2024-05-01".into(),
                from_number: Some("+15550001111".into()),
                to_number: Some("+15550002222".into()),
                language: "es".into(),
                category: Some("eviction".into()),
                started_at: 1_700_000_000_000,
                ended_at: Some(1_700_000_095_000),
                status: "completed".into(),
                duration_seconds: Some(95),
            }
        );
        let steps = store.steps(sid).await.expect("steps");
        assert_eq!(
            steps,
            vec![
                step(sid, 1, "welcome"),
                StepRecord {
                    input: None,
                    ..step(sid, 2, "language")
                }
            ]
        );
        assert_eq!(
            store.queue_entries(sid).await.expect("queue entries"),
            vec![QueueEntry {
                call_sid: sid.into(),
                seq: 3,
                category: "eviction".into(),
                queue: "eviction-es".into(),
                entered_at: 1_700_000_010_000,
                last_position: Some(2),
                last_wait_seconds: Some(60),
                ended_at: Some(1_700_000_085_000),
                result: Some("hangup".into()),
                wait_seconds: Some(75),
            }]
        );
        let callbacks = all_callbacks(&*store).await;
        assert_eq!(callbacks.len(), 1);
        let id = callbacks[0].id.clone();
        let uuid = uuid::Uuid::parse_str(&id).expect("the id is a UUID");
        assert_eq!(uuid.get_version_num(), 7);
        assert_eq!(
            callbacks[0],
            CallbackRequest {
                id,
                call_sid: sid.into(),
                hotline: "tenants".into(),
                category: "eviction".into(),
                language: "es".into(),
                phone_number: "+15550001111".into(),
                number_source: NumberSource::Entered,
                dialable: true,
                incomplete: false,
                safe_to_leave_message: Some(false),
                call_time: Some(CallTime::Evening),
                recording_url: Some("https://example.invalid/rec.wav".into()),
                recording_seconds: Some(12),
                call_started_at: Some(1_700_000_000_000),
                created_at: 1_700_000_090_000,
                priority: 5,
                // The request waits from the call's start: its place in line.
                waiting_since: 1_700_000_000_000,
                status: Status::Pending,
                claimed_by: None,
                claimed_by_name: None,
                claimed_at: None,
                no_answer_attempts: 0,
                last_attempt_at: None,
                outcome: None,
                closed_at: None,
                offered_to: None,
                offered_until: None,
                ring_at: None,
                ring_status: None,
            }
        );
    })
    .await;
}

#[tokio::test]
async fn retried_writes_leave_one_row_with_the_first_values() {
    on_every_backend(|store| async move {
        let sid = "CA2";
        let first = vec![
            CallWrite::StartCall(new_call(sid)),
            CallWrite::Step(step(sid, 1, "welcome")),
            CallWrite::QueueEntered {
                call_sid: sid.into(),
                seq: 2,
                category: "eviction".into(),
                queue: "eviction-en".into(),
                at: 10,
            },
            CallWrite::CallbackRequested(callback(sid, 20)),
        ];
        store.write(first.clone()).await.expect("first write");
        store.write(first).await.expect("the retry succeeds too");
        store
            .write(vec![
                CallWrite::StartCall(NewCall {
                    hotline: "other".into(),
                    ..new_call(sid)
                }),
                CallWrite::Step(step(sid, 1, "changed")),
                CallWrite::QueueEntered {
                    call_sid: sid.into(),
                    seq: 2,
                    category: "other".into(),
                    queue: "other".into(),
                    at: 11,
                },
                CallWrite::CallbackRequested(NewCallbackRequest {
                    phone_number: "+15559999999".into(),
                    ..callback(sid, 21)
                }),
            ])
            .await
            .expect("a retry with other values succeeds");

        let call = store.call(sid).await.expect("read").expect("the call");
        assert_eq!(call.hotline, "tenants");
        assert_eq!(
            store.steps(sid).await.expect("steps"),
            vec![step(sid, 1, "welcome")]
        );
        let entries = store.queue_entries(sid).await.expect("entries");
        assert_eq!(entries.len(), 1);
        assert_eq!(
            (entries[0].queue.as_str(), entries[0].entered_at),
            ("eviction-en", 10)
        );
        let callbacks = all_callbacks(&*store).await;
        assert_eq!(callbacks.len(), 1);
        assert_eq!(callbacks[0].phone_number, "+15550001111");
        assert_eq!(callbacks[0].created_at, 20);
    })
    .await;
}

#[tokio::test]
async fn a_queue_stay_ends_once_and_later_polls_change_nothing() {
    on_every_backend(|store| async move {
        let sid = "CA3";
        let left = |result: &str, wait, at| CallWrite::QueueLeft {
            call_sid: sid.into(),
            seq: 1,
            result: result.into(),
            wait_seconds: Some(wait),
            at,
        };
        let waited = |position, at| CallWrite::QueueWaited {
            call_sid: sid.into(),
            seq: 1,
            position: Some(position),
            wait_seconds: Some(at / 1_000),
            at,
        };
        let entered = CallWrite::QueueEntered {
            call_sid: sid.into(),
            seq: 1,
            category: "c".into(),
            queue: "q".into(),
            at: 0,
        };
        store
            .write(vec![entered, waited(3, 20_000)])
            .await
            .expect("entered");
        store
            .write(vec![waited(5, 10_000)])
            .await
            .expect("an older poll");
        store
            .write(vec![left("bridged", 30, 30_000)])
            .await
            .expect("left");
        store
            .write(vec![left("hangup", 40, 40_000)])
            .await
            .expect("a retry");
        store
            .write(vec![waited(1, 35_000)])
            .await
            .expect("a late poll");

        let entry = &store.queue_entries(sid).await.expect("entries")[0];
        assert_eq!(
            (entry.last_position, entry.last_wait_seconds),
            (Some(3), Some(20))
        );
        assert_eq!(entry.result.as_deref(), Some("bridged"));
        assert_eq!(
            (entry.ended_at, entry.wait_seconds),
            (Some(30_000), Some(30))
        );
    })
    .await;
}

#[tokio::test]
async fn callback_requests_are_listed_oldest_first_by_status_and_limit() {
    on_every_backend(|store| async move {
        for (sid, created_at) in [("CA9", 300), ("CA8", 100), ("CA10", 200)] {
            store
                .write(vec![CallWrite::CallbackRequested(callback(
                    sid, created_at,
                ))])
                .await
                .expect("callback request");
        }
        let sids = |requests: Vec<CallbackRequest>| -> Vec<String> {
            requests
                .into_iter()
                .map(|request| request.call_sid)
                .collect()
        };
        assert_eq!(sids(all_callbacks(&*store).await), ["CA8", "CA10", "CA9"]);
        let pending_two = CallbackFilter {
            statuses: vec![Status::Pending],
            limit: Some(2),
            ..CallbackFilter::default()
        };
        let listed = store.callback_requests(&pending_two).await.expect("list");
        assert_eq!(sids(listed), ["CA8", "CA10"]);
        let completed = CallbackFilter {
            statuses: vec![Status::Completed],
            ..CallbackFilter::default()
        };
        assert!(
            store
                .callback_requests(&completed)
                .await
                .expect("list")
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn an_instance_keeps_to_its_postgres_pool_size() {
    let Some(database) = crate::support::backends::postgres().await else {
        return;
    };
    let store = hotline::store::open::connect_pooled(&database.url, 2)
        .await
        .expect("the database opens");
    let mut reads = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let store = std::sync::Arc::clone(&store);
        reads.spawn(async move { store.callback_requests(&Default::default()).await });
    }
    for read in reads.join_all().await {
        read.expect("a read while the pool is busy");
    }
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&database.url)
        .await
        .expect("an admin connection");
    let (open,): (i64,) = sqlx::query_as(
        "select count(*) from pg_stat_activity
         where datname = current_database() and application_name = 'hotline'",
    )
    .fetch_one(&mut admin)
    .await
    .expect("the server's own count");
    assert!(
        (1..=2).contains(&open),
        "{open} connections for a pool of 2"
    );
}
