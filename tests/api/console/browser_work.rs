//! The operator's way through the work in a real headless Chromium: the "Next to call" card
//! heads the queue and opens the most urgent request, and after a call back the keyboard focus
//! waits on the next one; a request's page 400 px wide shows the whole number to call without
//! sideways scrolling, and a claim puts the focus in the outcome form; the tab's title counts a
//! new caller without a reload, and the tone's switch is kept by the browser. Screenshots go
//! beside the other console tests' (see `browser.rs`).

use std::time::Instant;

use hotline::operators::Role;
use serde_json::{Value, json};

use super::browser::{record_the_call_back, run, screenshots};
use super::browser_pictures::sign_in;
use crate::staff::{leave_callback_request, request_id_of};
use crate::support::browser::Browser;
use crate::support::console_client::add_console_user;
use crate::support::helpers::{Options, WEEKEND_MORNING, on_every_backend_app, spawn_app};

/// What the queue's first section is and says, and whether it stands above every category.
const FIRST_SECTION: &str = "var queue = document.getElementById('queue');
    var first = queue.querySelector('section');
    var top = first.getBoundingClientRect().bottom;
    var below = Array.from(queue.querySelectorAll('section.category'))
        .every(function (c) { return c.getBoundingClientRect().top >= top; });
    var link = first.querySelector('a.open');
    return [first.className, first.querySelector('.next-what').textContent, below,
        link && link.getAttribute('href')]";

/// Waits until the keyboard focus is on an element matching `css`; its `href`.
async fn focus_on(browser: &Browser, css: &str) -> Value {
    let script = format!(
        "var a = document.activeElement; \
         return a && a.matches({css:?}) ? a.getAttribute('href') || '' : null"
    );
    let deadline = Instant::now() + browser.timeout;
    loop {
        let found = run(browser, &script).await;
        if !found.is_null() || Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_to_call_card_opens_the_most_urgent_request_and_then_the_next() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let browser = &browser;
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            // Saturday morning: a general request (priority 6) left first, then a victim
            // assistance one (priority 7); both may be called now.
            let general = leave_callback_request(&app, "1", "0", "1", None).await;
            let general = format!("/operator/requests/{}", request_id_of(&app, &general).await);
            let victim = leave_callback_request(&app, "1", "2", "1", None).await;
            let victim = format!("/operator/requests/{}", request_id_of(&app, &victim).await);
            let categories = ["general", "victim_assistance"];
            add_console_user(&app, "ana", Role::Operator, &categories).await;
            browser.page_size(1280, 900).await;
            sign_in(browser, &app, "ana").await;
            let shots = screenshots();

            let card = run(browser, FIRST_SECTION).await;
            let what = "Call back: Victim assistance";
            assert_eq!(
                card,
                json!(["next-up", what, true, victim]),
                "{}",
                app.backend
            );
            browser.screenshot(shots.join("desktop-next-up.png")).await;
            browser.click("#queue section.next-up a.open").await;
            let heading = browser.wait_for_text("h1", "Callback request:").await;
            let heading = heading.text().await.expect("the heading");
            assert_eq!(heading, "Callback request: Victim assistance");
            let path = run(browser, "return location.pathname").await;
            assert_eq!(path, json!(victim), "the card's link opens that request");

            browser.click("form[action$='/claim'] button").await;
            browser.wait_for_text(".flash", "You have claimed").await;
            let form = shots.join("desktop-next-up-complete-form.png");
            record_the_call_back(browser, &form).await;
            let focused = focus_on(browser, "#queue section.next-up a.open").await;
            assert_eq!(
                focused,
                json!(general),
                "the focus waits on the next request"
            );
            browser
                .screenshot(shots.join("desktop-next-up-after.png"))
                .await;

            browser.phone().await;
            browser.goto(&format!("{}/operator", app.base)).await;
            browser.wait_for("#queue section.next-up a.open").await;
            let card = run(browser, FIRST_SECTION).await;
            assert_eq!(card[0], json!("next-up"), "first on a phone too: {card}");
            browser.screenshot(shots.join("phone-next-up.png")).await;
        },
    )
    .await;
}

/// The number to call and its box, measured: whether they fit the page. A link is an inline
/// box with no scroll box of its own (its scroll and client widths read 0), so its text is
/// measured against its container's box, which is.
const NUMBER_FITS: &str = "var a = document.querySelector('.number a');
    var dd = a.closest('dd'), doc = document.documentElement;
    var r = a.getBoundingClientRect(), c = dd.getBoundingClientRect();
    return {
        page_width: innerWidth,
        number_on_screen: r.left >= 0 && r.right <= innerWidth,
        number_in_its_box: r.left >= c.left && r.right <= c.right,
        number_on_one_line: a.getClientRects().length === 1,
        box_not_clipped: dd.scrollWidth <= dd.clientWidth,
        no_sideways_scroll: doc.scrollWidth <= innerWidth
    }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_page_400_px_wide_shows_the_whole_number_to_call() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&app, "1", "2", "1", None).await;
    let id = request_id_of(&app, &sid).await;
    add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    browser.page_size(400, 800).await;
    sign_in(&browser, &app, "ana").await;
    browser
        .goto(&format!("{}/operator/requests/{id}", app.base))
        .await;
    browser.wait_for(".number a").await;
    let shots = screenshots();
    browser.screenshot(shots.join("narrow-request.png")).await;
    let fits = run(&browser, NUMBER_FITS).await;
    let whole = json!({
        "page_width": 400,
        "number_on_screen": true,
        "number_in_its_box": true,
        "number_on_one_line": true,
        "box_not_clipped": true,
        "no_sideways_scroll": true,
    });
    assert_eq!(fits, whole);

    browser.click("form[action$='/claim'] button").await;
    browser.wait_for_text(".flash", "You have claimed").await;
    let focused = focus_on(&browser, "form.complete *").await;
    assert!(focused.is_string(), "the focus is in the outcome form");
    browser
        .screenshot(shots.join("narrow-request-claimed.png"))
        .await;
}

/// Waits until `script` returns `wanted` or the browser's timeout passes; what it last returned.
async fn until(browser: &Browser, script: &str, wanted: &Value) -> Value {
    let deadline = Instant::now() + browser.timeout;
    loop {
        let found = run(browser, script).await;
        if &found == wanted || Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tab_title_counts_a_new_caller_without_a_reload_and_the_tone_can_be_switched_on() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = spawn_app(Options::at(crate::support::helpers::OPEN)).await;
    add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    browser.page_size(1280, 900).await;
    sign_in(&browser, &app, "ana").await;
    let title = "return document.title";
    assert_eq!(run(&browser, title).await, json!("Queue · hotline console"));
    // The switch needs the page's script; once ticked, the browser keeps the choice.
    browser.click("#sound-on").await;
    let kept = "return [document.getElementById('sound').hidden, \
        document.getElementById('sound-on').checked, localStorage.getItem('hotline-sound')]";
    assert_eq!(run(&browser, kept).await, json!([false, true, "on"]));

    let mut call = app.call(crate::support::helpers::CALLER);
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    assert_eq!(call.queue().as_deref(), Some("victim_assistance"));
    let told = until(
        &browser,
        title,
        &json!("(1 waiting) Queue · hotline console"),
    )
    .await;
    assert_eq!(
        told,
        json!("(1 waiting) Queue · hotline console"),
        "no reload needed"
    );
    // A page loaded afresh ticks the switch from what the browser kept.
    browser.goto(&format!("{}/operator", app.base)).await;
    browser.wait_for("#queue").await;
    assert_eq!(run(&browser, kept).await, json!([false, true, "on"]));
}
