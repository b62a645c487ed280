//! The supervisors' wallboard over real HTTP, on each backend: its counts at fixed instants
//! (callers waiting and the longest wait, requests due and overdue, operators available and on
//! the operator line), in the console and the API, nobody's number on it; operators kept out;
//! and its event stream telling the page when a caller arrives.

use std::time::Duration;

use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::queue::read_until;
use crate::staff::{add_staff, leave_callback_request, request_id_of};
use crate::support::console_client::{Console, add_console_user, assert_balanced};
use crate::support::helpers::{
    AFTER_HOURS, CALLER, OPEN, Options, TestApp, on_every_backend_app, shipped_flow_text, spawn_app,
};

/// Tuesday 1 December, 10:30 and 10:34 in New York: inside opening and calling hours.
const MORNING: &str = "2026-12-01T15:30:00Z";
const FOUR_MINUTES_LATER: &str = "2026-12-01T15:34:00Z";

/// The reference flow with the general category's requests overdue after two hours.
fn flows_with_a_short_general_target() -> tempfile::TempDir {
    let text = shipped_flow_text().replace(
        "[categories.general]\n",
        "[categories.general]\ncallback_within_hours = 2\n",
    );
    let dir = tempfile::tempdir().expect("a flows folder");
    std::fs::write(dir.path().join("victim_hotline.toml"), text).expect("the flow written");
    dir
}

/// The same database and flows as `app`, at `clock`, once `app` has stopped.
async fn later(app: TestApp, flows: &std::path::Path, clock: &'static str) -> (TestApp, Keep) {
    let url = app.database_url.clone();
    let kept = app.stop().await;
    let options = Options {
        database_url: Some(url),
        flows: flows.to_path_buf(),
        ..Options::at(clock)
    };
    (spawn_app(options).await, Keep(kept))
}

/// Holds a stopped server's folder, where its SQLite file lives.
struct Keep(#[allow(dead_code)] (tempfile::TempDir, std::path::PathBuf));

fn figures(card: &Value) -> Value {
    json!([
        card["waiting"],
        card["longest_wait_seconds"],
        card["open_requests"],
        card["due_now"],
        card["overdue"],
        card["available"],
        card["on_the_line"],
    ])
}

#[tokio::test]
async fn the_wallboard_counts_callers_waiting_requests_due_and_overdue_and_operators() {
    let flows = flows_with_a_short_general_target();
    let path = flows.path().to_path_buf();
    on_every_backend_app(
        || Options {
            flows: path.clone(),
            ..Options::at(AFTER_HOURS)
        },
        |evening| async {
            // Monday evening: requests for a specialist and for an operator (general).
            let specialist = leave_callback_request(&evening, "1", "2", "1", None).await;
            let general = leave_callback_request(&evening, "1", "0", "1", None).await;
            let requests = [
                request_id_of(&evening, &general).await,
                request_id_of(&evening, &specialist).await,
            ];
            // Tuesday morning: a caller waits for social services, bo takes the general
            // request, cy marks herself available.
            let (morning, _evening) = later(evening, flows.path(), MORNING).await;
            let mut waiting = morning.call("+12025550177");
            waiting.start().await;
            waiting.press("1").await;
            waiting.press("3").await;
            waiting.hold("1", "0").await;
            let bo = add_staff(&morning, "bo", Role::Operator, &["general"]).await;
            let claim = format!("/api/v1/callbacks/{}/claim", requests[0]);
            assert_eq!(bo.post(&morning, &claim, json!({})).await.0, StatusCode::OK);
            let cy = add_staff(&morning, "cy", Role::Operator, &["social_services"]).await;
            let mark = json!({"available": true});
            cy.post(&morning, "/api/v1/me/presence", mark).await;
            // Four minutes on, ana calls in on the operator line.
            let (app, _morning) = later(morning, flows.path(), FOUR_MINUTES_LATER).await;
            crate::dialing::operator_with_pin(&app).await;
            crate::dialing::sign_in_on_the_line(&app).await;
            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;

            let (status, board) = sam.get(&app, "/api/v1/wallboard").await;
            assert_eq!(status, StatusCode::OK, "{board}");
            let card = |id: &str| {
                let all = board["categories"].as_array().expect("categories");
                all.iter().find(|c| c["id"] == id).cloned().expect(id)
            };
            // waiting, longest, open, due, overdue, available, on the line
            let social = figures(&card("social_services"));
            assert_eq!(social, json!([1, 240, 0, 0, 0, 1, 0]), "{board}");
            let va = figures(&card("victim_assistance"));
            assert_eq!(va, json!([0, null, 1, 1, 0, 1, 1]), "{board}");
            let general = figures(&card("general"));
            assert_eq!(general, json!([0, null, 1, 0, 1, 0, 0]), "claimed, overdue");
            assert_eq!(figures(&board["totals"]), json!([1, 240, 2, 1, 1, 2, 1]));
            assert_eq!(card("general")["label"], "an operator");
            assert_eq!(card("general")["title"], "General");

            the_console_shows_the_board(&app, &requests).await;
        },
    )
    .await;
}

/// The same figures on the console's page, in words, and no caller's number or request.
async fn the_console_shows_the_board(app: &TestApp, requests: &[String]) {
    add_console_user(app, "sue", Role::Supervisor, &[]).await;
    let sue = Console::sign_in(app, "sue").await;
    let (status, page) = sue.get("/operator/wallboard").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_balanced(&page);
    let social = section_of(&page, "board-social_services");
    let title = r#"<h2 id="board-social_services-h">Social services</h2>"#;
    let four = r#"<dd data-figure="longest">4 <span class="unit">min</span></dd>"#;
    for shown in [title, r#"<dd data-figure="waiting">1</dd>"#, four] {
        assert!(social.contains(shown), "{shown}: {social}");
    }
    let general = section_of(&page, "board-general");
    let overdue = concat!(
        r#"<div class="figure late"><dt>Overdue <small>(over 2 h 0 min)</small></dt>"#,
        r#"<dd data-figure="overdue">1</dd>"#
    );
    assert!(general.contains(overdue), "{general}");
    assert!(page.contains("of 2 open"), "the whole line: {page}");
    let numbers = [CALLER, "+12025550177", "2025550177", "2025550123"];
    for private in requests.iter().map(String::as_str).chain(numbers) {
        assert!(!page.contains(private), "{private} on the board");
    }
}

/// The card of the section whose id is `id`.
fn section_of<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no {id}: {page}"));
    let end = start + page[start..].find("</section>").expect("the card's end");
    &page[start..end]
}

#[tokio::test]
async fn only_supervisors_see_the_wallboard_and_its_stream_tells_when_a_caller_arrives() {
    let app = spawn_app(Options::at(OPEN)).await;
    add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    let ana = Console::sign_in(&app, "ana").await;
    for path in [
        "/operator/wallboard",
        "/operator/wallboard/section",
        "/operator/events?view=wallboard",
    ] {
        let (status, _) = ana.get(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (_, queue) = ana.get("/operator").await;
    assert!(
        !queue.contains("/operator/wallboard"),
        "not in an operator's navigation"
    );
    let ana_api = add_staff(&app, "ann", Role::Operator, &["general"]).await;
    assert_eq!(
        ana_api.get(&app, "/api/v1/wallboard").await.0,
        StatusCode::FORBIDDEN
    );

    let sam = Console::sign_in(&app, "sam").await;
    let (_, page) = sam.get("/operator").await;
    assert!(
        page.contains(r#"<a href="/operator/wallboard">Wallboard</a>"#),
        "{page}"
    );
    let mut stream = sam.get_raw("/operator/events?view=wallboard").await;
    assert_eq!(stream.status(), StatusCode::OK);
    // The stream's first look is its baseline: nothing is sent until the board changes.
    let quiet = read_until(&mut stream, "event:", Duration::from_millis(2500)).await;
    assert!(!quiet.contains("event:"), "{quiet}");
    let mut caller = app.call("+12025550177");
    caller.start().await;
    caller.press("1").await;
    caller.press("2").await;
    caller.hold("1", "0").await;
    let told = read_until(&mut stream, "event: queue", Duration::from_secs(10)).await;
    assert!(told.contains("event: queue"), "{told}");
    let (status, fragment) = sam.get("/operator/wallboard/section").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        fragment.starts_with(r#"<section id="wallboard""#),
        "{fragment}"
    );
    let card = section_of(&fragment, "board-victim_assistance");
    assert!(
        card.contains(r#"<dd data-figure="waiting">1</dd>"#),
        "{card}"
    );
}
