//! Callers are not rung at night, at a time of day they did not choose, nor again straight
//! after a call nobody answered: outside the hotline's calling hours or the caller's time, or
//! within the gap after the last attempt, a request cannot be claimed, and the console and the
//! API say from when it can.

use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::staff::{add_staff, leave_callback_request, request_id_of};
use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{
    AFTER_HOURS, CALLER, Options, WEEKEND_MORNING, on_every_backend_app, shipped_flow_text,
    spawn_app, spawn_app_on, spawn_app_on_flow,
};

// Monday 21:00 in New York: the calling hours (09:00-20:00) are over.
#[tokio::test]
async fn at_night_a_request_waits_for_the_calling_hours_and_says_so() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            let sid = leave_callback_request(&app, "1", "2", "1", None).await;
            let id = request_id_of(&app, &sid).await;
            let ana = add_staff(&app, "ana", Role::Operator, &["victim_assistance"]).await;
            let claim = format!("/api/v1/callbacks/{id}/claim");
            let (status, refused) = ana.post(&app, &claim, json!({})).await;
            assert_eq!(status, StatusCode::CONFLICT, "{refused}");
            assert_eq!(refused["error"]["code"], "not_due");
            let message = refused["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains("09:00 on Tue 1 Dec"), "{message}");
            assert!(message.contains("calling hours"), "{message}");
            let (_, detail) = ana.get(&app, &format!("/api/v1/callbacks/{id}")).await;
            assert_eq!(detail["not_before"]["why"], "calling_hours", "{detail}");

            add_console_user(&app, "bea", Role::Operator, &["victim_assistance"]).await;
            let bea = Console::sign_in(&app, "bea").await;
            let (_, page) = bea.get(&format!("/operator/requests/{id}")).await;
            assert!(page.contains("Call from Tue 1 Dec 09:00"), "{page}");
            assert!(!page.contains("Claim this request"), "{page}");
            let (_, queue) = bea.get("/operator").await;
            assert!(queue.contains("Call from Tue 1 Dec 09:00"), "{queue}");
        },
    )
    .await;
}

#[tokio::test]
async fn a_flow_sets_its_own_calling_hours_and_gap_and_flows_check_refuses_impossible_ones() {
    let shipped = shipped_flow_text();
    let pacing = |hours: &str, gap: &str| {
        shipped
            .replacen(
                "calling_hours = \"09:00-20:00\"",
                &format!("calling_hours = \"{hours}\""),
                1,
            )
            .replacen(
                "min_gap_minutes = 60",
                &format!("min_gap_minutes = {gap}"),
                1,
            )
    };
    let round_the_clock = pacing("00:00-24:00", "0");
    let (_flows, app) = spawn_app_on_flow(&round_the_clock, AFTER_HOURS).await;
    let sid = leave_callback_request(&app, "1", "2", "1", None).await;
    let id = request_id_of(&app, &sid).await;
    let ana = add_staff(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    let claim = format!("/api/v1/callbacks/{id}/claim");
    let (status, body) = ana.post(&app, &claim, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let complete = format!("/api/v1/callbacks/{id}/complete");
    ana.post(&app, &complete, json!({"outcome": "no_answer"}))
        .await;
    let (status, body) = ana.post(&app, &claim, json!({})).await;
    assert_eq!(status, StatusCode::OK, "no gap: {body}");

    let bad = pacing("20:00-09:00", "9000");
    let errors = hotline::catalog::load("victim_hotline", "victim_hotline.toml", &bad)
        .expect_err("impossible pacing is refused");
    let codes: Vec<_> = errors.0.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["bad-hours", "bad-gap"], "{errors}");
}

#[tokio::test]
async fn a_caller_who_asked_for_the_evening_is_not_called_in_the_morning() {
    // Saturday 10:00 in New York: inside the calling hours, but not the evening.
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    for key in ["1", "2", "1", "2"] {
        call.press(key).await;
    }
    assert!(
        call.heard().contains("When is it safest"),
        "{}",
        call.heard()
    );
    call.press("3").await;
    call.silence().await;
    let id = request_id_of(&app, &call.sid).await;
    let ana = add_staff(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    let (status, refused) = ana
        .post(&app, &format!("/api/v1/callbacks/{id}/claim"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("17:00 on Sat 5 Dec"), "{message}");
    assert!(
        message.contains("asked to be called at another time"),
        "{message}"
    );
    let (_, detail) = ana.get(&app, &format!("/api/v1/callbacks/{id}")).await;
    assert_eq!(detail["request"]["call_time"], "evening", "{detail}");
    assert_eq!(detail["not_before"]["why"], "caller_time", "{detail}");

    add_console_user(&app, "bea", Role::Operator, &["victim_assistance"]).await;
    let bea = Console::sign_in(&app, "bea").await;
    let (_, page) = bea.get(&format!("/operator/requests/{id}")).await;
    assert!(
        page.contains("In the evening (17:00-20:00): only then, as the caller asked"),
        "{page}"
    );

    // At 17:30 the same request may be called.
    let (_dir, db) = app.stop().await;
    let evening = spawn_app_on(Options::at("2026-12-05T22:30:00Z"), &db).await;
    let (status, claimed) = ana
        .post(
            &evening,
            &format!("/api/v1/callbacks/{id}/claim"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
}
