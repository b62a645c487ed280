//! Repeat callers recognised by a keyed hash of their number: the operator sees that someone
//! called before, even after the numbers themselves were purged, and nothing is recognised
//! without a key.

use hotline::operators::Role;
use hotline::store::Cutoffs;
use reqwest::StatusCode;

use crate::staff::{Staff, add_staff, leave_callback_request, request_id_of};
use crate::support::helpers::{AFTER_HOURS, CALLER, Options, TestApp, spawn_app};

async fn earlier_calls(app: &TestApp, sam: &Staff, sid: &str) -> serde_json::Value {
    let id = request_id_of(app, sid).await;
    let (status, detail) = sam.get(app, &format!("/api/v1/callbacks/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    detail["earlier_calls"].clone()
}

#[tokio::test]
async fn a_second_call_from_one_number_is_recognised_even_after_the_number_is_purged() {
    let key = Some("a caller key long enough to be a secret");
    let app = spawn_app(Options {
        caller_key: key,
        ..Options::at(AFTER_HOURS)
    })
    .await;
    let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
    let first = leave_callback_request(&app, "1", "2", "1", None).await;
    let second = leave_callback_request(&app, "1", "0", "1", None).await;
    // Another number's call does not count.
    let mut stranger = app.call("+12025550199");
    stranger.start().await;
    assert_eq!(earlier_calls(&app, &sam, &second).await, 1);
    assert_eq!(
        earlier_calls(&app, &sam, &first).await,
        1,
        "each sees the other"
    );

    let now = jiff::Timestamp::now().as_millisecond().max(i64::MAX / 2);
    let numbers_only = Cutoffs {
        caller_numbers: Some(now),
        ..Cutoffs::default()
    };
    app.store.purge(&numbers_only, now).await.expect("purged");
    let call = app.store.call(&second).await.unwrap().unwrap();
    assert_eq!(call.from_number, None, "the number itself is gone");
    assert_eq!(
        earlier_calls(&app, &sam, &second).await,
        1,
        "the caller is still recognised"
    );

    let mut db = app.raw_db().await;
    let hashes: Vec<(Option<String>,)> = sqlx::query_as("select caller_hash from calls")
        .fetch_all(&mut db)
        .await
        .unwrap();
    assert!(
        hashes
            .iter()
            .all(|(h,)| h.as_deref().is_some_and(|h| !h.contains(&CALLER[2..])))
    );
}

#[tokio::test]
async fn without_a_caller_key_no_caller_is_recognised() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
    leave_callback_request(&app, "1", "2", "1", None).await;
    let second = leave_callback_request(&app, "1", "0", "1", None).await;
    assert_eq!(earlier_calls(&app, &sam, &second).await, 0);
}
