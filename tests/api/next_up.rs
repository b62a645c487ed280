//! "Next to call": the queue page and `/api/v1/queue` name the one caller an operator should
//! serve next across their categories, and why.

use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::staff::{leave_callback_request, request_id_of};
use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{Options, WEEKEND_MORNING, spawn_app};

/// The "next to call" card of a queue page or fragment.
fn card(page: &str) -> &str {
    let start = page
        .find(r#"<section class="next-up""#)
        .unwrap_or_else(|| panic!("no next-to-call card: {page}"));
    let end = page[start..]
        .find("</section>")
        .map_or(page.len(), |e| start + e);
    &page[start..end]
}

#[tokio::test]
async fn the_queue_names_who_to_call_next_and_why() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let general = leave_callback_request(&app, "1", "0", "1", None).await;
    let general = request_id_of(&app, &general).await;
    let victim = leave_callback_request(&app, "1", "2", "1", None).await;
    let victim = request_id_of(&app, &victim).await;
    let categories = ["general", "victim_assistance"];
    let ana_api = add_console_user(&app, "ana", Role::Operator, &categories).await;
    let ana = Console::sign_in(&app, "ana").await;

    // Victim assistance (priority 7) before the earlier general request (priority 6).
    let (status, page) = ana.get("/operator").await;
    assert_eq!(status, StatusCode::OK);
    let next = card(&page);
    assert!(next.contains("Call back: Victim assistance"), "{next}");
    assert!(next.contains("The highest priority due (7)"), "{next}");
    assert!(
        next.contains(&format!("/operator/requests/{victim}")),
        "{next}"
    );
    assert!(page.contains(r#"<span class="priority">priority 6</span>"#));
    let (_, queue) = ana_api.get(&app, "/api/v1/queue").await;
    assert_eq!(queue["next"]["request_id"], victim.as_str());
    assert_eq!(queue["next"]["reason"], "first_in_line");
    assert_eq!(queue["next"]["priority"], 7);
    assert_eq!(queue["next"]["category_title"], "Victim assistance");
    assert_eq!(
        queue["next"]["category_label"],
        "a victim assistance specialist"
    );

    // A request ana holds is hers to finish first.
    let claim = format!("/api/v1/callbacks/{general}/claim");
    let (status, _) = ana_api.post(&app, &claim, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, fragment) = ana.get("/operator/queue").await;
    let next = card(&fragment);
    assert!(next.contains("Your claimed request: General"), "{next}");
    assert!(next.contains(&format!("/operator/requests/{general}")));
    let (_, queue) = ana_api.get(&app, "/api/v1/queue").await;
    assert_eq!(queue["next"]["reason"], "held_by_you");
}

#[tokio::test]
async fn with_nothing_due_the_card_says_nobody_can_be_called() {
    // After hours in New York (21:00): a request left now waits for the calling hours.
    let app = spawn_app(Options::at(crate::support::helpers::AFTER_HOURS)).await;
    leave_callback_request(&app, "1", "2", "1", None).await;
    let ana_api = add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let (_, page) = ana.get("/operator").await;
    assert!(card(&page).contains("Nobody can be called now"), "{page}");
    let (_, queue) = ana_api.get(&app, "/api/v1/queue").await;
    assert!(queue["next"].is_null(), "{queue}");
}

#[tokio::test]
async fn after_a_claim_the_outcome_form_and_after_a_call_back_the_next_request_take_the_focus() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let first = leave_callback_request(&app, "1", "2", "1", None).await;
    let first = request_id_of(&app, &first).await;
    leave_callback_request(&app, "1", "2", "1", None).await;
    add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let page = format!("/operator/requests/{first}");
    let (_, before) = ana.get(&page).await;
    assert!(
        !before.contains("autofocus"),
        "nothing is focused on a plain visit"
    );

    ana.submit(&page, &format!("{page}/claim"), &[]).await;
    let (_, claimed) = ana.get(&format!("{page}?done=claimed")).await;
    let focused: Vec<&str> = claimed
        .lines()
        .filter(|l| l.contains("autofocus"))
        .collect();
    assert_eq!(focused.len(), 1, "{claimed}");
    assert!(focused[0].contains(r#"name="outcome""#), "{focused:?}");

    let (_, queue) = ana.get("/operator?done=completed").await;
    let next = card(&queue);
    assert!(
        next.contains("autofocus") && next.contains("Open this request"),
        "{next}"
    );
    let (_, fragment) = ana.get("/operator/queue").await;
    assert!(
        !fragment.contains("autofocus"),
        "a live update never moves the focus"
    );
}

#[tokio::test]
async fn the_queue_page_title_counts_the_callers_waiting_live() {
    let app = spawn_app(Options::at(crate::support::helpers::OPEN)).await;
    add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let (_, quiet) = ana.get("/operator").await;
    assert!(
        quiet.contains("<title>Queue · hotline console</title>"),
        "{quiet}"
    );
    let mut call = app.call(crate::support::helpers::CALLER);
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    assert_eq!(call.queue().as_deref(), Some("victim_assistance"));
    let (_, busy) = ana.get("/operator").await;
    assert!(
        busy.contains("<title>(1 waiting) Queue · hotline console</title>"),
        "{busy}"
    );
    assert!(busy.contains(r#"data-waiting="1""#));
}
