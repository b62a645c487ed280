//! Unfinished callback requests in the storage port, on every backend: a settled call with a
//! number becomes a flagged request, a finished request always wins, an abandoned one never
//! becomes a request, and silent calls are found for the line to settle.

use hotline::callbacks::pacing::CallTime;
use hotline::store::{CallWrite, NumberSource, UnfinishedRow};

use crate::store::{callback, new_call};
use crate::support::backends::on_every_backend;

fn unfinished(call_sid: &str, number: Option<&str>, at: i64) -> CallWrite {
    CallWrite::UnfinishedOpen(UnfinishedRow {
        call_sid: call_sid.to_string(),
        hotline: "tenants".to_string(),
        category: "eviction".to_string(),
        language: "es".to_string(),
        phone_number: number.map(str::to_string),
        number_source: NumberSource::Caller,
        dialable: true,
        safe_to_leave_message: Some(false),
        call_time: Some(CallTime::Morning),
        priority: 7,
        // The step number grows with the call, as the server's do.
        seq: at - T,
        at,
    })
}

fn settle(call_sid: &str, at: i64) -> CallWrite {
    CallWrite::SettleUnfinished {
        call_sid: call_sid.to_string(),
        at,
    }
}

const T: i64 = 1_700_000_000_000;

#[tokio::test]
async fn a_settled_call_with_a_number_becomes_one_flagged_request_that_a_finished_one_replaces() {
    on_every_backend(|store| async move {
        let write = |w: Vec<CallWrite>| store.write(w);
        write(vec![CallWrite::StartCall(new_call("CA1"))])
            .await
            .unwrap();
        write(vec![unfinished("CA1", None, T + 1)]).await.unwrap();
        write(vec![unfinished("CA1", Some("+15550001111"), T + 2)])
            .await
            .unwrap();
        // A retry of the earlier webhook arrives late: it undoes nothing.
        write(vec![unfinished("CA1", None, T + 1)]).await.unwrap();
        // The end and the settling come together, as from a status callback; on PostgreSQL
        // they share one statement, and the settling still reads the call's start.
        let ended = CallWrite::CallEnded {
            call_sid: "CA1".to_string(),
            status: "completed".to_string(),
            duration_seconds: Some(30),
            sequence: Some(1),
            at: T + 3,
        };
        write(vec![ended, settle("CA1", T + 3), settle("CA1", T + 4)])
            .await
            .unwrap();
        let all = store.callback_requests(&Default::default()).await.unwrap();
        assert_eq!(
            all.len(),
            1,
            "one request however often the end is heard of"
        );
        let r = &all[0];
        assert!(r.incomplete);
        assert_eq!((r.phone_number.as_str(), r.priority), ("+15550001111", 7));
        assert_eq!(
            (r.safe_to_leave_message, r.call_time),
            (Some(false), Some(CallTime::Morning))
        );
        assert_eq!(
            r.waiting_since, T,
            "the caller keeps their place from the call's start"
        );
        assert!(store.forgotten_unfinished(T + 10).await.unwrap().is_empty());

        // The caller's own finished request arrives after all: it replaces the flagged one.
        write(vec![CallWrite::CallbackRequested(callback("CA1", T + 5))])
            .await
            .unwrap();
        let all = store.callback_requests(&Default::default()).await.unwrap();
        assert_eq!(all.len(), 1);
        assert!(!all[0].incomplete);
        assert_eq!(
            all[0].id, r.id,
            "the same request, so nobody holds a stale id"
        );
        assert_eq!(all[0].recording_seconds, Some(12));
    })
    .await;
}

#[tokio::test]
async fn abandoned_numberless_and_left_rows_never_become_requests() {
    on_every_backend(|store| async move {
        let write = |w: Vec<CallWrite>| store.write(w);
        write(vec![unfinished("CA-a", Some("+15550001111"), T)])
            .await
            .unwrap();
        write(vec![CallWrite::UnfinishedAbandoned {
            call_sid: "CA-a".into(),
            seq: 1,
            at: T + 1,
        }])
        .await
        .unwrap();
        write(vec![unfinished("CA-n", None, T)]).await.unwrap();
        write(vec![unfinished("CA-l", Some("+15550001112"), T)])
            .await
            .unwrap();
        write(vec![CallWrite::UnfinishedLeft {
            call_sid: "CA-l".into(),
            seq: 1,
        }])
        .await
        .unwrap();
        write(vec![unfinished("CA-s", Some("+15550001113"), T)])
            .await
            .unwrap();
        let silent = store.forgotten_unfinished(T + 1).await.unwrap();
        assert_eq!(
            silent,
            vec!["CA-s".to_string()],
            "only the open one with a number"
        );
        assert!(
            store.forgotten_unfinished(T).await.unwrap().is_empty(),
            "not yet silent"
        );
        let ends = ["CA-a", "CA-n", "CA-l"].map(|sid| settle(sid, T + 2));
        write(ends.to_vec()).await.unwrap();
        assert!(
            store
                .callback_requests(&Default::default())
                .await
                .unwrap()
                .is_empty()
        );
        // The reports count the ended ones as missed requests.
        for sid in ["CA-a", "CA-n", "CA-l"] {
            let ended = crate::store::call_ended(sid, "completed", Some(3), T + 3);
            write(vec![CallWrite::StartCall(new_call(sid)), ended])
                .await
                .unwrap();
        }
        let facts = store.report_facts(T + 2, T + 4).await.unwrap();
        assert_eq!(
            facts.missed_requests,
            ["eviction", "eviction"],
            "abandoned, numberless"
        );
    })
    .await;
}
