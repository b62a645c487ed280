//! The operator phone line over real HTTP: the PIN, the next caller by priority and wait,
//! nobody waiting, after a call, and the wait estimate callers hear.

use hotline::operators::Role;
use hotline::store::AuditFilter;

use crate::staff::{add_staff, give_pin};
use crate::support::helpers::{OPEN, Options, TestApp, spawn_app};

const OPERATOR_PHONE: &str = "+12025550999";
const PIN: &str = "48151623";

/// A caller who chooses English and `category_key`, and is queued (opening hours).
async fn queue_caller(app: &TestApp, from: &str, category_key: &str) -> String {
    let mut call = app.call(from);
    call.start().await;
    call.press("1").await;
    call.press(category_key).await;
    assert!(call.queue().is_some(), "queued: {:?}", call.twiml());
    call.sid.clone()
}

async fn operator_with_pin(app: &TestApp, categories: &[&str]) {
    add_staff(app, "ana", Role::Operator, categories).await;
    give_pin(app, "ana", PIN).await;
}

#[tokio::test]
async fn an_operator_enters_their_pin_and_takes_the_most_urgent_longest_waiting_caller() {
    let app = spawn_app(Options::at(OPEN)).await;
    operator_with_pin(&app, &["victim_assistance", "records_request"]).await;
    queue_caller(&app, "+12025550101", "5").await;
    let urgent = queue_caller(&app, "+12025550102", "2").await;

    let mut line = app.call(OPERATOR_PHONE);
    line.send(&format!("{}/voice/operator", app.base), &[])
        .await;
    assert!(line.heard().contains("enter your PIN"), "{}", line.heard());
    line.press("11112222#").await;
    assert!(line.heard().contains("not accepted"), "{}", line.heard());
    line.press(&format!("{PIN}#")).await;
    assert!(
        line.heard()
            .contains("Next caller: a victim assistance specialist"),
        "{}",
        line.heard()
    );
    let dial = line.twiml().child("Dial").expect("a dial");
    let queue = dial.child("Queue").expect("a queue");
    assert_eq!(
        queue.text.trim(),
        "victim_assistance",
        "priority 7 before records (3)"
    );
    assert!(
        queue
            .attr("url")
            .is_some_and(|u| u.contains("/voice/operator/whisper"))
    );
    assert!(
        dial.attr("action")
            .is_some_and(|u| u.contains("/voice/operator/after"))
    );

    let taken = app
        .store
        .audit_log(&AuditFilter {
            subject: Some(urgent),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].action, "take_live_call");

    let after = dial.attr("action").expect("action").to_string();
    line.send(&after, &[("DialCallStatus", "completed")]).await;
    assert!(
        line.heard().contains("Press 1 for the next caller"),
        "{}",
        line.heard()
    );
    line.press("1").await;
    assert!(
        line.twiml().child("Dial").is_some(),
        "the next caller is connected"
    );
}

#[tokio::test]
async fn with_nobody_waiting_the_line_checks_again_and_three_wrong_pins_hang_up() {
    let app = spawn_app(Options::at(OPEN)).await;
    operator_with_pin(&app, &["general"]).await;
    queue_caller(&app, "+12025550101", "2").await;

    let mut line = app.call(OPERATOR_PHONE);
    line.send(&format!("{}/voice/operator", app.base), &[])
        .await;
    line.press(PIN).await;
    assert!(
        line.heard().contains("Nobody is waiting"),
        "ana works general only: {}",
        line.heard()
    );
    line.follow_redirect().await;
    assert!(line.heard().contains("Nobody is waiting"));

    let mut stranger = app.call("+12025550777");
    stranger
        .send(&format!("{}/voice/operator", app.base), &[])
        .await;
    for _ in 0..2 {
        stranger.press("00000000").await;
        assert!(stranger.twiml().child("Gather").is_some());
    }
    stranger.silence().await;
    assert!(
        stranger.twiml().child("Hangup").is_some(),
        "{:?}",
        stranger.twiml()
    );
    let forged = format!("{}/voice/operator/next?pa=0&op=someone", app.base);
    stranger.send(&forged, &[]).await;
    assert!(
        stranger.heard().contains("enter your PIN"),
        "an unknown operator id is not signed in"
    );
}

#[tokio::test]
async fn waiting_callers_hear_an_estimate_from_recent_answered_waits() {
    let app = spawn_app(Options::at(OPEN)).await;
    for (i, wait) in ["60", "90", "120"].into_iter().enumerate() {
        let mut call = app.call(&format!("+1202555020{i}"));
        call.start().await;
        call.press("1").await;
        call.press("2").await;
        call.queue_result("bridged", wait).await;
    }
    let mut call = app.call("+12025550299");
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    let heard = call.hold("2", "30").await;
    let said: Vec<String> = heard
        .find_all("Say")
        .iter()
        .map(|s| s.text.clone())
        .collect();
    assert!(
        said.iter().any(|s| s.contains("number 2 in line")),
        "{said:?}"
    );
    assert!(
        said.iter().any(|s| s.contains("about 3")),
        "median 90 s × position 2 = 3 min: {said:?}"
    );
}
