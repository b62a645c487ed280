//! The queue page as time passes: overdue requests are marked, and the event stream tells the
//! page when the queue changed or the session ended, and ends when the server stops.

use std::time::Duration;

use hotline::operators::Role;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use crate::staff::{leave_callback_request, request_id_of};
use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{
    AFTER_HOURS, HOLIDAY, Options, shipped_flow_text, spawn_app, spawn_app_on, spawn_app_on_flow,
};

#[tokio::test]
async fn requests_past_the_callback_target_are_marked_overdue_in_words() {
    let first = spawn_app(Options::at(AFTER_HOURS)).await;
    leave_callback_request(&first, "1", "0", "1", None).await;
    let (_dir, db_path) = first.stop().await;
    // Christmas Day, more than three weeks later.
    let app = spawn_app_on(Options::at(HOLIDAY), &db_path).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let (status, queue) = ana.get("/operator").await;
    assert_eq!(status, StatusCode::OK);
    assert!(queue.contains(r#"<tr class="overdue">"#), "{queue}");
    assert!(queue.contains(r#"<strong class="badge overdue">Overdue</strong>"#));
    assert!(
        queue.contains("<strong>1 overdue</strong> (target 1 d)"),
        "{queue}"
    );
    assert!(
        queue.contains("24 d 15 h"),
        "the wait since the first call: {queue}"
    );
}

#[tokio::test]
async fn a_category_s_own_callback_target_decides_when_its_requests_are_overdue() {
    let text = shipped_flow_text().replace(
        "[categories.general]\n",
        "[categories.general]\ncallback_within_hours = 2\n",
    );
    let (flows, first) = spawn_app_on_flow(&text, AFTER_HOURS).await;
    leave_callback_request(&first, "1", "0", "1", None).await;
    let (_dir, db_path) = first.stop().await;
    // Two and a half hours after the call.
    let options = Options {
        flows: flows.path().to_path_buf(),
        ..Options::at("2026-12-01T04:30:00Z")
    };
    let app = spawn_app_on(options, &db_path).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let (_, queue) = ana.get("/operator").await;
    assert!(
        queue.contains("<strong>1 overdue</strong> (target 2 h 0 min)"),
        "{queue}"
    );
}

#[tokio::test]
async fn the_event_stream_announces_a_new_callback_request_and_ends_at_shutdown() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let mut stream = ana.get_raw("/operator/events").await;
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()[CONTENT_TYPE], "text/event-stream");

    // Nothing changes: nothing is sent (the first look is the baseline).
    let quiet = read_until(&mut stream, "event:", Duration::from_millis(2500)).await;
    assert!(!quiet.contains("event:"), "{quiet}");

    let sid = leave_callback_request(&app, "1", "2", "1", None).await;
    let id = request_id_of(&app, &sid).await;
    let told = read_until(&mut stream, "event: queue", Duration::from_secs(10)).await;
    assert!(told.contains("event: queue"), "{told}");
    let (status, fragment) = ana.get("/operator/queue").await;
    assert_eq!(status, StatusCode::OK);
    assert!(fragment.starts_with(r#"<section id="queue""#), "{fragment}");
    assert!(fragment.contains(&id) && !fragment.contains("<html"));

    drop(app.stop().await);
    let end = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(end.is_ok(), "the stream ended when the server stopped");
}

#[tokio::test]
async fn the_event_stream_tells_the_page_when_the_session_ends() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let mut stream = ana.get_raw("/operator/events").await;
    assert_eq!(stream.status(), StatusCode::OK);
    let out = ana.submit("/operator", "/operator/sign-out", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let told = read_until(&mut stream, "event: signed-out", Duration::from_secs(10)).await;
    assert!(told.contains("event: signed-out"), "{told}");
    let end = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(end.is_ok(), "the stream ended with the session");
}

/// Reads the stream until `wanted` appears or `limit` passes; what was read.
pub(super) async fn read_until(
    stream: &mut reqwest::Response,
    wanted: &str,
    limit: Duration,
) -> String {
    let mut seen = String::new();
    let _ = tokio::time::timeout(limit, async {
        while let Ok(Some(chunk)) = stream.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(wanted) {
                break;
            }
        }
    })
    .await;
    seen
}
