//! Retention on every backend: old steps, numbers, recordings and closed requests go; newer
//! data and open requests stay; each purge is recorded by class and count only.

use hotline::callbacks::{Outcome, Policy};
use hotline::config::RetentionArgs;
use hotline::operators::Role;
use hotline::store::{
    CallWrite, CallbackFilter, Claim, Completion, NewCall, NewCallbackRequest, NewOperator,
    NumberSource, StepRecord, Store,
};

use crate::support::backends::on_every_backend;

const DAY: i64 = 24 * 3600 * 1000;
const T0: i64 = 1_800_000_000_000;

async fn call_with_request(store: &dyn Store, sid: &str, at: i64) {
    let call = NewCall {
        call_sid: sid.into(),
        hotline: "victims".into(),
        flow_version: "v1".into(),
        from_number: Some("+12025550123".into()),
        to_number: None,
        language: "en".into(),
        started_at: at,
        caller_hash: None,
    };
    let step = StepRecord {
        call_sid: sid.into(),
        seq: 1,
        node: "main_menu".into(),
        input: Some("2".into()),
        outcome: "chose".into(),
        at,
    };
    let request = NewCallbackRequest {
        call_sid: sid.into(),
        hotline: "victims".into(),
        category: "general".into(),
        language: "en".into(),
        phone_number: "+12025550123".into(),
        number_source: NumberSource::Caller,
        dialable: true,
        safe_to_leave_message: Some(true),
        call_time: None,
        recording_url: Some(format!("https://rec.example/{sid}")),
        recording_seconds: Some(9),
        priority: 6,
        created_at: at,
    };
    let writes = vec![
        CallWrite::StartCall(call),
        CallWrite::Step(step),
        CallWrite::CallbackRequested(request),
    ];
    store.write(writes).await.expect("written");
}

async fn request_of(store: &dyn Store, sid: &str) -> Option<hotline::store::CallbackRequest> {
    let all = store
        .callback_requests(&CallbackFilter::default())
        .await
        .expect("list");
    all.into_iter().find(|r| r.call_sid == sid)
}

#[tokio::test]
async fn a_purge_removes_only_what_is_older_than_the_retention_and_records_itself() {
    on_every_backend(|store| async move {
        call_with_request(&*store, "OLD", T0).await;
        call_with_request(&*store, "MIDDLE", T0 + 60 * DAY).await;
        call_with_request(&*store, "NEW", T0 + 99 * DAY).await;
        let old = request_of(&*store, "OLD").await.expect("old request");
        let new = NewOperator {
            name: "ana".into(),
            role: Role::Supervisor,
            categories: vec![],
            at: T0,
        };
        let ana = store.add_operator(&new).await.expect("operator");
        let claim = Claim {
            request_id: old.id.clone(),
            operator_id: ana.id.clone(),
            at: T0 + DAY,
            stale_before: T0,
        };
        store.claim(&claim).await.expect("claimed");
        let done = Completion {
            request_id: old.id.clone(),
            operator_id: ana.id.clone(),
            outcome: Outcome::Reached,
            notes: "helped".into(),
            at: T0 + DAY,
            policy: Policy::default(),
        };
        store.complete(&done).await.expect("completed");

        let now = T0 + 100 * DAY;
        let purged = store
            .purge(&RetentionArgs::default().cutoffs(now), now)
            .await
            .expect("purged");
        let count = |class: &str| purged.iter().find(|p| p.class == class).map(|p| p.rows);
        assert_eq!(count("call_steps"), Some(1), "{purged:?}");
        assert_eq!(count("closed_requests"), Some(1));
        assert_eq!(count("callback_attempts"), Some(1));
        assert_eq!(
            count("recordings"),
            Some(1),
            "the middle request's message, older than 30 days"
        );

        assert!(store.steps("OLD").await.unwrap().is_empty());
        assert_eq!(store.steps("NEW").await.unwrap().len(), 1);
        assert_eq!(store.call("OLD").await.unwrap().unwrap().from_number, None);
        assert!(
            store
                .call("NEW")
                .await
                .unwrap()
                .unwrap()
                .from_number
                .is_some()
        );
        assert!(
            request_of(&*store, "OLD").await.is_none(),
            "closed more than 90 days ago"
        );
        let middle = request_of(&*store, "MIDDLE")
            .await
            .expect("open requests stay");
        assert_eq!(middle.recording_url, None);
        assert!(
            request_of(&*store, "NEW")
                .await
                .unwrap()
                .recording_url
                .is_some()
        );

        let recorded = store.purges(20).await.expect("purges");
        assert_eq!(recorded.len(), 10, "one record per class: {recorded:?}");
        assert!(recorded.iter().all(|(at, _, _)| *at == now));
        let again = store
            .purge(&RetentionArgs::default().cutoffs(now), now)
            .await
            .expect("purged");
        assert!(
            again.iter().all(|p| p.rows == 0),
            "nothing left to purge: {again:?}"
        );
    })
    .await;
}
