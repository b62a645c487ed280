//! The provider's status callbacks against the store: they arrive late, out of order, without a
//! sequence number or before the call's own start, and the call still ends once, as it did.

use hotline::store::{CallRecord, CallWrite};

use crate::store::{all_callbacks, call_ended, callback, new_call, step};
use crate::support::backends::on_every_backend;

#[tokio::test]
async fn a_late_ringing_status_does_not_undo_a_completed_call() {
    on_every_backend(|store| async move {
        let sid = "CA4";
        store
            .write(vec![CallWrite::StartCall(new_call(sid))])
            .await
            .expect("start");
        store
            .write(vec![call_ended(sid, "completed", Some(3), 5_000)])
            .await
            .expect("completed");
        store
            .write(vec![call_ended(sid, "ringing", Some(1), 6_000)])
            .await
            .expect("a late ringing is accepted and ignored");
        store
            .write(vec![call_ended(sid, "in-progress", Some(9), 7_000)])
            .await
            .expect("even with a higher sequence");

        let call = store.call(sid).await.expect("read").expect("the call");
        assert_eq!(call.status, "completed");
        assert_eq!(call.duration_seconds, Some(95));
        assert_eq!(call.ended_at, Some(5_000));
    })
    .await;
}

#[tokio::test]
async fn statuses_without_a_sequence_still_end_the_call() {
    on_every_backend(|store| async move {
        let sid = "CA5";
        store
            .write(vec![CallWrite::StartCall(new_call(sid))])
            .await
            .expect("start");
        store
            .write(vec![call_ended(sid, "ringing", None, 1_000)])
            .await
            .expect("ringing");
        assert_eq!(
            store.call(sid).await.expect("read").expect("call").status,
            "ringing"
        );
        store
            .write(vec![call_ended(sid, "completed", None, 2_000)])
            .await
            .expect("completed");
        store
            .write(vec![call_ended(sid, "completed", None, 3_000)])
            .await
            .expect("a retry");
        store
            .write(vec![call_ended(sid, "busy", None, 4_000)])
            .await
            .expect("another end");

        let call = store.call(sid).await.expect("read").expect("the call");
        assert_eq!(
            (call.status.as_str(), call.ended_at),
            ("completed", Some(2_000))
        );
    })
    .await;
}

#[tokio::test]
async fn a_status_for_an_unknown_call_creates_its_row_and_a_late_start_fills_it() {
    on_every_backend(|store| async move {
        let sid = "CA6";
        store
            .write(vec![call_ended(sid, "completed", Some(2), 9_000)])
            .await
            .expect("call ended");
        let placeholder = store.call(sid).await.expect("read").expect("a row");
        assert_eq!(
            placeholder,
            CallRecord {
                call_sid: sid.into(),
                hotline: String::new(),
                flow_version: String::new(),
                from_number: None,
                to_number: None,
                language: String::new(),
                category: None,
                started_at: 9_000,
                ended_at: Some(9_000),
                status: "completed".into(),
                duration_seconds: Some(95),
            }
        );

        store
            .write(vec![CallWrite::StartCall(new_call(sid))])
            .await
            .expect("start");
        let call = store.call(sid).await.expect("read").expect("the call");
        assert_eq!(
            (call.hotline.as_str(), call.language.as_str()),
            ("tenants", "en")
        );
        assert_eq!(
            (call.started_at, call.status.as_str()),
            (1_700_000_000_000, "completed")
        );
    })
    .await;
}

#[tokio::test]
async fn writes_about_a_call_without_a_row_succeed() {
    on_every_backend(|store| async move {
        let sid = "CA7";
        store
            .write(vec![
                CallWrite::Step(step(sid, 1, "welcome")),
                CallWrite::SetLanguage {
                    call_sid: sid.into(),
                    language: "es".into(),
                },
                CallWrite::SetCategory {
                    call_sid: sid.into(),
                    category: "c".into(),
                },
                CallWrite::QueueEntered {
                    call_sid: sid.into(),
                    seq: 2,
                    category: "c".into(),
                    queue: "q".into(),
                    at: 1,
                },
                CallWrite::CallbackRequested(callback(sid, 5)),
            ])
            .await
            .expect("nothing requires the call's row");

        assert_eq!(store.call(sid).await.expect("read"), None);
        assert_eq!(store.steps(sid).await.expect("steps").len(), 1);
        assert_eq!(store.queue_entries(sid).await.expect("entries").len(), 1);
        assert_eq!(all_callbacks(&*store).await[0].call_started_at, None);
    })
    .await;
}
