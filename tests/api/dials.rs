//! Call backs the line places, in the store, on every backend: of operators dialling one
//! request at once exactly one dials it, the check and the end of a dial are recorded once
//! whatever the provider retries, and a dial is purged with its closed request.

use std::sync::Arc;

use hotline::operators::Role;
use hotline::store::Screen;

use crate::support::backends::on_every_backend;
use crate::worklist::{MINUTE, T0, claim, conflict_code, only_request, operator, request};

#[tokio::test]
async fn of_operators_dialling_one_request_at_once_exactly_one_dials_it() {
    on_every_backend(|store| async move {
        request(&*store, "CA1", "general", 6, T0).await;
        let id = only_request(&*store).await;
        let mut tasks = Vec::new();
        for i in 0..8 {
            let op = operator(&*store, &format!("op{i}"), Role::Operator, &["general"]).await;
            let store = Arc::clone(&store);
            let claim = claim(&id, &op, T0 + MINUTE);
            let dial = format!("dial-{i}");
            tasks.push(tokio::spawn(async move {
                (store.start_dial(&claim, &dial).await, dial)
            }));
        }
        let mut dialled = Vec::new();
        for task in tasks {
            match task.await.expect("the task ran") {
                (Ok(_), dial) => dialled.push(dial),
                (Err(error), _) => assert_eq!(conflict_code(error), "already_claimed"),
            }
        }
        assert_eq!(dialled.len(), 1, "exactly one dial: {dialled:?}");
        for i in 0..8 {
            let recorded = store.dial(&format!("dial-{i}")).await.expect("read");
            assert_eq!(recorded.is_some(), dialled.contains(&format!("dial-{i}")));
        }
    })
    .await;
}

#[tokio::test]
async fn a_dials_check_and_end_are_recorded_once() {
    on_every_backend(|store| async move {
        request(&*store, "CA2", "general", 6, T0).await;
        let id = only_request(&*store).await;
        let op = operator(&*store, "ana", Role::Operator, &["general"]).await;
        store
            .start_dial(&claim(&id, &op, T0), "d1")
            .await
            .expect("dialled");
        store.screen_dial("d1", Screen::None).await.expect("screen");
        store
            .screen_dial("d1", Screen::Confirmed)
            .await
            .expect("a late report");
        assert!(
            store
                .end_dial("d1", "busy", T0 + MINUTE)
                .await
                .expect("end")
        );
        assert!(
            !store
                .end_dial("d1", "completed", T0 + 2 * MINUTE)
                .await
                .expect("retry")
        );
        let dial = store.dial("d1").await.expect("read").expect("the dial");
        assert_eq!(dial.screen, Some(Screen::None), "the first report stands");
        assert_eq!(dial.dial_status.as_deref(), Some("busy"));
        assert_eq!(
            (dial.ended_at, dial.operator_id),
            (Some(T0 + MINUTE), op.id)
        );
    })
    .await;
}

#[tokio::test]
async fn a_request_whose_caller_was_reached_is_not_given_back_when_its_claim_lapses() {
    on_every_backend(|store| async move {
        request(&*store, "CA3", "general", 6, T0).await;
        request(&*store, "CA4", "general", 6, T0).await;
        let ids: Vec<String> = crate::store::all_callbacks(&*store)
            .await
            .into_iter()
            .map(|r| r.id)
            .collect();
        let op = operator(&*store, "ana", Role::Operator, &["general"]).await;
        store
            .start_dial(&claim(&ids[0], &op, T0), "reached")
            .await
            .expect("dialled");
        store
            .screen_dial("reached", Screen::Confirmed)
            .await
            .expect("screen");
        store
            .start_dial(&claim(&ids[1], &op, T0), "unanswered")
            .await
            .expect("dialled");
        let released = store
            .release_stale_claims(T0 + 60 * MINUTE)
            .await
            .expect("sweep");
        assert_eq!(released, 1, "only the unanswered one goes back");
        let reached = store.callback_request(&ids[0]).await.unwrap().unwrap();
        assert_eq!(reached.status, hotline::callbacks::Status::Claimed);
    })
    .await;
}
