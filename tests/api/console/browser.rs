//! The console in a real headless Chromium: an operator signs in, watches a callback request
//! left by a simulated call appear without a reload, claims it with the keyboard, records the
//! call back and sees the request leave the queue. Screenshots at desktop and phone sizes go to
//! `HOTLINE_SCREENSHOTS` (default: `hotline-console` in the temp dir), for people to look at.
//! A request page follows a call back placed from the operator line without a reload.

use std::path::{Path, PathBuf};

use hotline::operators::Role;
use serde_json::{Value, json};

use crate::staff::{leave_callback_request, request_id_of};
use crate::support::browser::{Browser, Key};
use crate::support::console_client::{PASSWORD, add_console_user};
use crate::support::helpers::{
    AFTER_HOURS, CALLER, Options, WEEKEND_MORNING, spawn_app, spawn_app_on,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_works_a_new_request_in_the_browser() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    // A request from the Monday evening before, overdue by the Saturday morning the operator works.
    let earlier = spawn_app(Options::at(AFTER_HOURS)).await;
    leave_callback_request(&earlier, "2", "0", "1", None).await;
    let (_dir, db_path) = earlier.stop().await;
    let app = spawn_app_on(Options::at(WEEKEND_MORNING), &db_path).await;
    let categories = ["victim_assistance", "general"];
    add_console_user(&app, "ana", Role::Operator, &categories).await;
    let shots = screenshots();
    sign_in(&browser, &app.base, &shots).await;

    // A mark on the page itself: a reload would wipe it.
    run(&browser, "window.stillHere = true; return true").await;
    let sid = leave_callback_request(&app, "1", "2", "2", Some("https://rec.example/RE1")).await;
    let id = request_id_of(&app, &sid).await;
    let link = format!("#queue a[href=\"/operator/requests/{id}\"]");
    browser.wait_for(&link).await;
    let kept = run(&browser, "return window.stillHere === true").await;
    assert_eq!(kept, json!(true), "the request appeared without a reload");
    browser.screenshot(shots.join("desktop-queue.png")).await;
    browser.click(&link).await;
    let warning = browser.wait_for_text(".no-message", "DO NOT leave a message");
    warning.await;
    assert_eq!(browser.text(".number a").await, CALLER);
    browser.screenshot(shots.join("desktop-request.png")).await;
    run(
        &browser,
        "document.getElementById('path-title').scrollIntoView(); return true",
    )
    .await;
    browser
        .screenshot(shots.join("desktop-request-path.png"))
        .await;

    browser.phone().await;
    browser.goto(&format!("{}/operator", app.base)).await;
    browser.wait_for(&link).await;
    browser.screenshot(shots.join("phone-queue.png")).await;
    browser.click(&link).await;
    claim_with_the_keyboard(&browser).await;
    browser.wait_for_text(".flash", "You have claimed").await;
    browser
        .screenshot(shots.join("phone-request-claimed.png"))
        .await;
    record_the_call_back(&browser, &shots.join("phone-complete-form.png")).await;
    let gone = format!(
        "return document.querySelector('{}') === null",
        link.replace('"', "\\\"")
    );
    assert_eq!(
        run(&browser, &gone).await,
        json!(true),
        "the request left the queue"
    );
    browser
        .screenshot(shots.join("phone-queue-after.png"))
        .await;
    eprintln!("console screenshots: {}", shots.display());
}

/// From the queue's address to the queue, through the sign-in form.
async fn sign_in(browser: &Browser, base: &str, shots: &Path) {
    browser.goto(&format!("{base}/operator")).await;
    browser.wait_for_text("h1", "Sign in").await;
    browser.screenshot(shots.join("desktop-sign-in.png")).await;
    browser.fill("#name", "ana").await;
    browser.fill("#password", PASSWORD).await;
    browser.click(".sign-in button[type=submit]").await;
    browser
        .wait_for_text("#queue", "Nobody is waiting here.")
        .await;
    browser
        .wait_for_text("#queue .badge.overdue", "Overdue")
        .await;
    browser
        .screenshot(shots.join("desktop-queue-before.png"))
        .await;
}

/// Chooses an outcome, writes a note and sends the form, which lands back on the queue; `shot`
/// is the screenshot of the filled form.
pub(super) async fn record_the_call_back(browser: &Browser, shot: &Path) {
    browser.click("label[for=outcome-reached]").await;
    browser
        .fill("#notes", "Gave the number of the local office.")
        .await;
    let form = "document.querySelector('form.complete').scrollIntoView(); return true";
    run(browser, form).await;
    browser.screenshot(shot).await;
    browser.click("form.complete button[type=submit]").await;
    browser.wait_for_text(".flash", "Call back recorded").await;
}

/// Tabs from the top of the page to the claim button and presses Enter, as someone without a
/// mouse would; the skip link comes first.
async fn claim_with_the_keyboard(browser: &Browser) {
    run(
        browser,
        "document.activeElement.blur(); window.scrollTo(0, 0); return true",
    )
    .await;
    browser.press_key(Key::Tab).await;
    let first = run(browser, "return document.activeElement.textContent").await;
    assert_eq!(first, json!("Skip to the content"));
    for _ in 0..12 {
        let focused = run(browser, "return document.activeElement.textContent.trim()").await;
        if focused == json!("Claim this request") {
            browser.press_key(Key::Enter).await;
            return;
        }
        browser.press_key(Key::Tab).await;
    }
    panic!("the claim button was not reached with the Tab key");
}

pub(super) async fn run(browser: &Browser, script: &str) -> Value {
    let result = browser.client().execute(script, vec![]).await;
    result.unwrap_or_else(|e| panic!("{script}: {e}"))
}

pub(super) fn screenshots() -> PathBuf {
    std::env::var_os("HOTLINE_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("hotline-console"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_page_follows_a_call_back_without_a_reload() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&app, "1", "2", "2", None).await;
    let id = request_id_of(&app, &sid).await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    let shots = screenshots();
    browser.goto(&format!("{}/operator", app.base)).await;
    browser.wait_for_text("h1", "Sign in").await;
    browser.fill("#name", "sam").await;
    browser.fill("#password", PASSWORD).await;
    browser.click(".sign-in button[type=submit]").await;
    browser.wait_for("#queue").await;
    crate::dialing::operator_with_pin(&app).await;
    let mut line = crate::dialing::sign_in_on_the_line(&app).await;
    let mut called = crate::dialing::dial(&app, &mut line).await;
    browser
        .goto(&format!("{}/operator/requests/{id}", app.base))
        .await;
    browser.wait_for_text("#request-status", "Claimed by").await;
    run(&browser, "window.stillHere = true; return true").await;

    let leg = crate::dialing::leg_url(&line);
    crate::dialing::leg_reports(&app, &leg, "in-progress").await;
    called.press("1").await;
    browser
        .wait_for_text("#live-call", "Connected: the caller pressed 1")
        .await;
    let kept = run(&browser, "return window.stillHere === true").await;
    assert_eq!(kept, json!(true), "the line changed without a reload");

    // The operator closes the call on the keypad: the page's buttons no longer apply, so it
    // is drawn again with the request's new status.
    let action = crate::dialing::dial_action(&line);
    crate::dialing::dial_ends(&mut line, &action, "completed").await;
    line.press("1").await;
    browser.wait_for_text("#request-status", "Closed").await;
    let kept = run(&browser, "return window.stillHere === true").await;
    assert_eq!(kept, json!(false), "reloaded once the request changed");
    browser
        .screenshot(shots.join("desktop-live-call.png"))
        .await;
}
