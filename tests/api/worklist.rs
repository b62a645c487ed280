//! The worklist against real databases: claims, races, call-back outcomes, lapsed claims, the
//! live queue and the audit trail. The roster's own tests are in `roster.rs`.

use std::sync::Arc;

use crate::support::backends::on_every_backend;

use hotline::callbacks::{Outcome, Policy, Status};
use hotline::operators::{Operator, Role};
use hotline::store::{
    AuditFilter, CallWrite, CallbackFilter, Claim, Completion, NewCall, NewCallbackRequest,
    NewOperator, NumberSource, Order, Store, StoreError,
};

pub(crate) const T0: i64 = 1_800_000_000_000;
pub(crate) const MINUTE: i64 = 60_000;

pub(crate) async fn operator(
    store: &dyn Store,
    name: &str,
    role: Role,
    categories: &[&str],
) -> Operator {
    let new = NewOperator {
        name: name.into(),
        role,
        categories: categories.iter().map(|c| c.to_string()).collect(),
        at: T0,
    };
    store.add_operator(&new).await.expect("operator added")
}

/// A call that started at `started_at` and left a callback request `asked_after` later.
pub(crate) async fn request(
    store: &dyn Store,
    sid: &str,
    category: &str,
    priority: i64,
    started_at: i64,
) {
    let call = NewCall {
        call_sid: sid.into(),
        hotline: "victims".into(),
        flow_version: "v1".into(),
        from_number: Some("+15550001111".into()),
        to_number: None,
        language: "en".into(),
        started_at,
        caller_hash: None,
    };
    let request = NewCallbackRequest {
        call_sid: sid.into(),
        hotline: "victims".into(),
        category: category.into(),
        language: "en".into(),
        phone_number: "+15550001111".into(),
        number_source: NumberSource::Caller,
        dialable: true,
        safe_to_leave_message: Some(false),
        call_time: None,
        recording_url: None,
        recording_seconds: None,
        priority,
        created_at: started_at + 3 * MINUTE,
    };
    let writes = vec![
        CallWrite::StartCall(call),
        CallWrite::CallbackRequested(request),
    ];
    store.write(writes).await.expect("written");
}

pub(crate) async fn only_request(store: &dyn Store) -> String {
    let all = store
        .callback_requests(&CallbackFilter::default())
        .await
        .expect("list");
    assert_eq!(all.len(), 1);
    all[0].id.clone()
}

pub(crate) fn claim(id: &str, operator: &Operator, at: i64) -> Claim {
    Claim {
        request_id: id.into(),
        operator_id: operator.id.clone(),
        at,
        stale_before: at - 30 * MINUTE,
    }
}

fn completion(id: &str, operator: &Operator, outcome: Outcome, at: i64) -> Completion {
    Completion {
        request_id: id.into(),
        operator_id: operator.id.clone(),
        outcome,
        notes: format!("{} at {at}", outcome.as_str()),
        at,
        policy: Policy::default(),
    }
}

pub(crate) fn conflict_code(error: StoreError) -> &'static str {
    match error {
        StoreError::Conflict { code, .. } => code,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn of_many_simultaneous_claims_exactly_one_wins() {
    on_every_backend(|store| async move {
        request(&*store, "CA1", "general", 6, T0).await;
        let id = only_request(&*store).await;
        let mut operators = Vec::new();
        for i in 0..12 {
            operators
                .push(operator(&*store, &format!("op{i}"), Role::Operator, &["general"]).await);
        }
        let attempts = operators.iter().map(|o| {
            let store = Arc::clone(&store);
            let claim = claim(&id, o, T0 + MINUTE);
            tokio::spawn(async move { store.claim(&claim).await })
        });
        let mut winners = Vec::new();
        for (attempt, operator) in attempts.collect::<Vec<_>>().into_iter().zip(&operators) {
            match attempt.await.expect("the task ran") {
                Ok(request) => winners.push((operator.id.clone(), request)),
                Err(error) => assert_eq!(conflict_code(error), "already_claimed"),
            }
        }
        assert_eq!(winners.len(), 1, "exactly one claim succeeds");
        let (winner, request) = &winners[0];
        assert_eq!(request.status, Status::Claimed);
        assert_eq!(request.claimed_by.as_ref(), Some(winner));
        let audit = store
            .audit_log(&AuditFilter {
                subject: Some(id.clone()),
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .expect("audit");
        assert_eq!(audit.len(), 1, "only the winning claim is an action");
        assert_eq!(audit[0].action, "claim");
        assert_eq!(&audit[0].operator_id, winner);
    })
    .await;
}

#[tokio::test]
async fn unanswered_call_backs_return_the_request_until_it_is_unreachable() {
    on_every_backend(|store| async move {
        request(&*store, "CA1", "general", 6, T0).await;
        let id = only_request(&*store).await;
        let ana = operator(&*store, "ana", Role::Operator, &["general"]).await;
        let ben = operator(&*store, "ben", Role::Operator, &["general"]).await;
        for (round, who) in [&ana, &ben, &ana].into_iter().enumerate() {
            let at = T0 + (round as i64 + 1) * 60 * MINUTE;
            store.claim(&claim(&id, who, at)).await.expect("claimed");
            let done = store
                .complete(&completion(&id, who, Outcome::NoAnswer, at + MINUTE))
                .await
                .expect("completed");
            assert_eq!(done.no_answer_attempts, round as i64 + 1);
            let expected = if round < 2 {
                Status::Pending
            } else {
                Status::Unreachable
            };
            assert_eq!(done.status, expected, "after {} attempts", round + 1);
        }
        let attempts = store.attempts(&id).await.expect("attempts");
        let names: Vec<_> = attempts
            .iter()
            .map(|a| a.operator_name.clone().unwrap_or_default())
            .collect();
        assert_eq!(names, ["ana", "ben", "ana"]);
        let error = store
            .claim(&claim(&id, &ben, T0 + 10 * 60 * MINUTE))
            .await
            .unwrap_err();
        assert_eq!(conflict_code(error), "closed");
    })
    .await;
}

#[tokio::test]
async fn only_the_operator_holding_a_request_may_complete_or_release_it() {
    on_every_backend(|store| async move {
        request(&*store, "CA1", "general", 6, T0).await;
        let id = only_request(&*store).await;
        let ana = operator(&*store, "ana", Role::Operator, &["general"]).await;
        let ben = operator(&*store, "ben", Role::Operator, &["general"]).await;
        let unclaimed = store
            .complete(&completion(&id, &ana, Outcome::Reached, T0))
            .await;
        assert_eq!(conflict_code(unclaimed.unwrap_err()), "not_claimed_by_you");
        store.claim(&claim(&id, &ana, T0)).await.expect("claimed");
        let error = store
            .claim(&claim(&id, &ben, T0 + MINUTE))
            .await
            .unwrap_err();
        match &error {
            StoreError::Conflict { message, .. } => assert!(message.contains("ana"), "{message}"),
            other => panic!("{other:?}"),
        }
        let error = store.release(&id, &ben.id, T0 + MINUTE).await.unwrap_err();
        assert_eq!(conflict_code(error), "not_claimed_by_you");
        let released = store
            .release(&id, &ana.id, T0 + 2 * MINUTE)
            .await
            .expect("released");
        assert_eq!(released.status, Status::Pending);
        assert_eq!(released.claimed_by, None);
        store
            .claim(&claim(&id, &ben, T0 + 3 * MINUTE))
            .await
            .expect("ben claims");
        let done = store
            .complete(&completion(&id, &ben, Outcome::Referred, T0 + 9 * MINUTE))
            .await
            .expect("completed");
        assert_eq!(done.status, Status::Completed);
        assert_eq!(done.outcome, Some(Outcome::Referred));
        assert_eq!(done.closed_at, Some(T0 + 9 * MINUTE));
        let actions: Vec<String> = store
            .audit_log(&AuditFilter {
                subject: Some(id),
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .expect("audit")
            .into_iter()
            .rev()
            .map(|e| format!("{} {}", e.operator_name.unwrap_or_default(), e.action))
            .collect();
        assert_eq!(
            actions,
            ["ana claim", "ana release", "ben claim", "ben complete"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_message_is_never_recorded_as_left_for_a_caller_who_said_it_is_unsafe() {
    on_every_backend(|store| async move {
        request(&*store, "CA1", "general", 6, T0).await;
        let id = only_request(&*store).await;
        let ana = operator(&*store, "ana", Role::Operator, &["general"]).await;
        store.claim(&claim(&id, &ana, T0)).await.expect("claimed");
        let refused = store
            .complete(&completion(&id, &ana, Outcome::LeftMessage, T0))
            .await;
        assert_eq!(conflict_code(refused.unwrap_err()), "message_not_safe");
        let still = store
            .callback_request(&id)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(still.status, Status::Claimed, "nothing changed");
        assert!(store.attempts(&id).await.expect("attempts").is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_lapsed_claim_returns_to_pending_and_can_be_taken_over() {
    on_every_backend(|store| async move {
        request(&*store, "CA1", "general", 6, T0).await;
        let id = only_request(&*store).await;
        let ana = operator(&*store, "ana", Role::Operator, &["general"]).await;
        let ben = operator(&*store, "ben", Role::Operator, &["general"]).await;
        store.claim(&claim(&id, &ana, T0)).await.expect("claimed");
        // Forty minutes later ana's thirty-minute claim has lapsed: ben may take it.
        let taken = store
            .claim(&claim(&id, &ben, T0 + 40 * MINUTE))
            .await
            .expect("taken over");
        assert_eq!(taken.claimed_by_name.as_deref(), Some("ben"));
        let late = store
            .complete(&completion(&id, &ana, Outcome::Reached, T0 + 41 * MINUTE))
            .await;
        assert_eq!(conflict_code(late.unwrap_err()), "not_claimed_by_you");
        assert_eq!(
            store
                .release_stale_claims(T0 + 41 * MINUTE)
                .await
                .expect("sweep"),
            1
        );
        let swept = store
            .callback_request(&id)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(swept.status, Status::Pending);
    })
    .await;
}

#[tokio::test]
async fn the_worklist_orders_by_priority_then_by_when_the_caller_first_called() {
    on_every_backend(|store| async move {
        request(&*store, "LOW-OLD", "records_request", 3, T0).await;
        request(
            &*store,
            "HIGH-NEW",
            "victim_assistance",
            7,
            T0 + 20 * MINUTE,
        )
        .await;
        request(&*store, "HIGH-OLD", "victim_assistance", 7, T0 + 5 * MINUTE).await;
        request(&*store, "MID", "general", 6, T0 + MINUTE).await;
        let order = |categories: Option<Vec<String>>| CallbackFilter {
            statuses: vec![Status::Pending],
            categories,
            order: Order::Worklist,
            limit: None,
            ..CallbackFilter::default()
        };
        let sids = |list: Vec<hotline::store::CallbackRequest>| -> Vec<String> {
            list.into_iter().map(|r| r.call_sid).collect()
        };
        let all = store.callback_requests(&order(None)).await.expect("list");
        assert_eq!(sids(all), ["HIGH-OLD", "HIGH-NEW", "MID", "LOW-OLD"]);
        let mine = order(Some(vec!["general".into(), "records_request".into()]));
        assert_eq!(
            sids(store.callback_requests(&mine).await.expect("list")),
            ["MID", "LOW-OLD"]
        );
        let none = order(Some(Vec::new()));
        assert!(
            store
                .callback_requests(&none)
                .await
                .expect("list")
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn the_live_queue_shows_callers_still_waiting_and_recent_answered_waits() {
    on_every_backend(|store| async move {
        for (sid, at) in [("CA1", T0), ("CA2", T0 + MINUTE), ("CA3", T0 + 2 * MINUTE)] {
            let call = NewCall {
                call_sid: sid.into(),
                hotline: "victims".into(),
                flow_version: "v1".into(),
                from_number: None,
                to_number: None,
                language: "es".into(),
                started_at: at,
                caller_hash: None,
            };
            let entered = CallWrite::QueueEntered {
                call_sid: sid.into(),
                seq: 4,
                category: "general".into(),
                queue: "general".into(),
                at,
            };
            store
                .write(vec![CallWrite::StartCall(call), entered])
                .await
                .expect("queued");
        }
        let left = CallWrite::QueueLeft {
            call_sid: "CA1".into(),
            seq: 4,
            result: "bridged".into(),
            wait_seconds: Some(95),
            at: T0 + 2 * MINUTE,
        };
        let ended = CallWrite::CallEnded {
            call_sid: "CA2".into(),
            status: "completed".into(),
            duration_seconds: Some(80),
            sequence: Some(3),
            at: T0 + 3 * MINUTE,
        };
        store.write(vec![left, ended]).await.expect("written");
        let live = store.live_callers(T0).await.expect("live");
        let sids: Vec<_> = live.iter().map(|c| c.call_sid.as_str()).collect();
        assert_eq!(sids, ["CA3"], "answered and hung-up callers are gone");
        assert_eq!(live[0].language, "es");
        assert!(
            store
                .live_callers(T0 + 10 * MINUTE)
                .await
                .expect("live")
                .is_empty(),
            "not polled"
        );
        let waits = store.recent_waits("general", T0, 10).await.expect("waits");
        assert_eq!(waits, [95]);
    })
    .await;
}

#[tokio::test]
async fn a_request_read_to_one_operator_is_held_from_the_others_until_it_lapses() {
    on_every_backend(|store| async move {
        request(&*store, "FIRST", "general", 6, T0).await;
        request(&*store, "SECOND", "general", 6, T0 + MINUTE).await;
        let all = store
            .callback_requests(&CallbackFilter::default())
            .await
            .unwrap();
        let first = all
            .iter()
            .find(|r| r.call_sid == "FIRST")
            .unwrap()
            .id
            .clone();
        let ana = operator(&*store, "ana", Role::Operator, &["general"]).await;
        let ben = operator(&*store, "ben", Role::Operator, &["general"]).await;
        let second = all
            .iter()
            .find(|r| r.call_sid == "SECOND")
            .unwrap()
            .id
            .clone();
        let until = T0 + MINUTE;
        let only_first = [first.clone()];
        let both = [second.clone(), first.clone()];
        let hold = |ids: &'static str, who: String| {
            let store = std::sync::Arc::clone(&store);
            let ids: Vec<String> = match ids {
                "first" => only_first.to_vec(),
                _ => both.to_vec(),
            };
            async move { store.hold_first_offer(&ids, &who, T0, until).await.unwrap() }
        };
        assert_eq!(hold("first", ana.id.clone()).await, Some(first.clone()));
        assert_eq!(hold("first", ben.id.clone()).await, None);
        assert_eq!(
            hold("first", ana.id.clone()).await,
            Some(first.clone()),
            "her own"
        );
        assert_eq!(
            hold("both", ben.id.clone()).await,
            Some(second.clone()),
            "the one of two that is free"
        );
        store.drop_offer(&second, &ben.id).await.unwrap();

        let free_for = |who: &str, now: i64| CallbackFilter {
            statuses: vec![Status::Pending],
            not_held_for_others: Some((who.to_string(), now)),
            order: Order::Worklist,
            limit: Some(1),
            ..CallbackFilter::default()
        };
        let first_for = |list: Vec<hotline::store::CallbackRequest>| list[0].call_sid.clone();
        let for_ben = store
            .callback_requests(&free_for(&ben.id, T0))
            .await
            .unwrap();
        assert_eq!(first_for(for_ben), "SECOND");
        let for_ana = store
            .callback_requests(&free_for(&ana.id, T0))
            .await
            .unwrap();
        assert_eq!(first_for(for_ana), "FIRST");
        let second_page = CallbackFilter {
            offset: 1,
            ..free_for(&ana.id, T0)
        };
        let page = store.callback_requests(&second_page).await.unwrap();
        assert_eq!(first_for(page), "SECOND");

        // Once the hold lapses, or is dropped, anyone may be read it.
        let later = store
            .callback_requests(&free_for(&ben.id, until))
            .await
            .unwrap();
        assert_eq!(first_for(later), "FIRST");
        store.drop_offer(&first, &ana.id).await.unwrap();
        assert_eq!(
            hold("both", ben.id.clone()).await,
            Some(first.clone()),
            "of two free candidates, the first in worklist order, whatever the order given"
        );
    })
    .await;
}

#[tokio::test]
async fn reports_of_a_ring_that_overtake_each_other_never_move_it_back() {
    on_every_backend(|store| async move {
        request(&*store, "RING", "general", 6, T0).await;
        let all = store
            .callback_requests(&CallbackFilter::default())
            .await
            .unwrap();
        let id = all[0].id.clone();
        store.start_ring(&id, T0).await.unwrap();
        for status in ["queued", "in-progress", "ringing", "initiated"] {
            store.ring_progress(&id, T0, status).await.unwrap();
        }
        // A report of an older ring changes nothing either.
        store.ring_progress(&id, T0 - 1, "completed").await.unwrap();
        let ring = store.callback_request(&id).await.unwrap().unwrap();
        assert_eq!(ring.ring_status.as_deref(), Some("in-progress"));
        store.ring_progress(&id, T0, "completed").await.unwrap();
        let ended = store.callback_request(&id).await.unwrap().unwrap();
        assert_eq!(ended.ring_status.as_deref(), Some("completed"));
    })
    .await;
}
