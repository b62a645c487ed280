//! The console's pictures in a real headless Chromium: the reports' charts drawn and visible,
//! the wallboard counting a new caller without a reload, and the flow picture within its frame,
//! at desktop and phone sizes, with screenshots beside the other console tests' (see
//! `browser.rs`).

use hotline::operators::Role;
use serde_json::json;

use super::browser::{run, screenshots};
use crate::staff::leave_callback_request;
use crate::support::browser::Browser;
use crate::support::console_client::{PASSWORD, add_console_user};
use crate::support::helpers::{AFTER_HOURS, OPEN, Options, TestApp, spawn_app, spawn_app_on};

/// Signs `name` in from the sign-in form.
pub(super) async fn sign_in(browser: &Browser, app: &TestApp, name: &str) {
    browser.goto(&format!("{}/operator", app.base)).await;
    browser.wait_for_text("h1", "Sign in").await;
    browser.fill("#name", name).await;
    browser.fill("#password", PASSWORD).await;
    browser.click(".sign-in button[type=submit]").await;
    browser.wait_for("#queue").await;
}

/// A caller who reaches the queue of the category behind `key` and is answered after
/// `seconds`.
async fn answered(app: &TestApp, from: &str, key: &str, seconds: &str) {
    let mut call = app.call(from);
    call.start().await;
    call.press("1").await;
    call.press(key).await;
    call.queue_result("bridged", seconds).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sees_the_reports_charts_drawn() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    // Monday evening: two callback requests; Tuesday morning: three callers answered live.
    let evening = spawn_app(Options::at(AFTER_HOURS)).await;
    leave_callback_request(&evening, "1", "2", "1", None).await;
    leave_callback_request(&evening, "2", "0", "2", None).await;
    let (_dir, db_path) = evening.stop().await;
    let app = spawn_app_on(Options::at(OPEN), &db_path).await;
    answered(&app, "+12025550171", "2", "35").await;
    answered(&app, "+12025550172", "2", "150").await;
    answered(&app, "+12025550173", "3", "70").await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    sign_in(&browser, &app, "sam").await;

    let reports = format!(
        "{}/operator/reports?from=2026-11-28&to=2026-12-01",
        app.base
    );
    browser.goto(&reports).await;
    browser.wait_for("svg.chart.columns rect.segment").await;
    let visible = "var b = e.getBoundingClientRect(); return b.width > 4 && b.height > 4";
    let drawn = each(&browser, "svg.chart.columns rect.segment", visible).await;
    assert_eq!(
        drawn,
        json!([true, true, true, true]),
        "two categories on each of two days"
    );
    let legend = each(
        &browser,
        "svg.chart.columns .legend",
        "return e.textContent",
    )
    .await;
    let titles = ["Victim assistance", "General", "Social services"];
    assert_eq!(legend, json!(titles));
    // The legend's swatch comes first, then a median bar per category answered.
    let medians = "#answer-h ~ .chart-frame rect.inner";
    let widths = each(&browser, medians, "return e.getBoundingClientRect().width").await;
    let widths: Vec<f64> = serde_json::from_value(widths).expect("bar widths");
    assert!(
        widths.len() == 3 && widths[1..].iter().all(|w| *w > 10.0),
        "{widths:?}"
    );
    let shots = screenshots();
    browser.screenshot(shots.join("desktop-reports.png")).await;
    scroll_to(&browser, "#answer-h").await;
    browser
        .screenshot(shots.join("desktop-reports-waits.png"))
        .await;
    browser.phone().await;
    browser.goto(&reports).await;
    scroll_to(&browser, "#days-h").await;
    browser.screenshot(shots.join("phone-reports.png")).await;
    let inside = "return e.getBoundingClientRect().right <= window.innerWidth";
    let fits = each(&browser, "svg.chart", inside).await;
    assert!(
        fits.as_array()
            .is_some_and(|all| all.iter().all(|f| *f == json!(true))),
        "{fits}"
    );
}

/// What `body` (a function of `e`) returns for each element matching `css`.
async fn each(browser: &Browser, css: &str, body: &str) -> serde_json::Value {
    let script = format!(
        "return Array.from(document.querySelectorAll({css:?})).map(function (e) {{ {body} }})"
    );
    run(browser, &script).await
}

/// Scrolls the page to the element matching `css`, once it exists.
async fn scroll_to(browser: &Browser, css: &str) {
    browser.wait_for(css).await;
    run(
        browser,
        &format!("document.querySelector({css:?}).scrollIntoView(); return true"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wallboard_counts_a_new_caller_without_a_reload() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let evening = spawn_app(Options::at(AFTER_HOURS)).await;
    leave_callback_request(&evening, "1", "2", "1", None).await;
    let (_dir, db_path) = evening.stop().await;
    let app = spawn_app_on(Options::at(OPEN), &db_path).await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    sign_in(&browser, &app, "sam").await;
    browser.click("nav a[href=\"/operator/wallboard\"]").await;
    let waiting = "#board-victim_assistance [data-figure=waiting]";
    browser.wait_for_text(waiting, "0").await;
    run(&browser, "window.stillHere = true; return true").await;
    let shots = screenshots();
    browser
        .screenshot(shots.join("desktop-wallboard-before.png"))
        .await;

    let mut caller = app.call("+12025550177");
    caller.start().await;
    caller.press("1").await;
    caller.press("2").await;
    caller.hold("1", "0").await;
    browser.wait_for_text(waiting, "1").await;
    let kept = run(&browser, "return window.stillHere === true").await;
    assert_eq!(kept, json!(true), "the count changed without a reload");
    assert_eq!(
        browser
            .text("#wallboard .totals [data-figure=waiting]")
            .await,
        "1"
    );
    let due = browser
        .text("#board-victim_assistance [data-figure=due]")
        .await;
    assert_eq!(
        due, "1\nof 1 open",
        "the request left the evening before is due"
    );
    let size = run(
        &browser,
        "return parseFloat(getComputedStyle(document.querySelector('#wallboard .totals dd')).fontSize)",
    )
    .await;
    assert!(
        size.as_f64().is_some_and(|px| px >= 48.0),
        "large type: {size}"
    );
    browser
        .screenshot(shots.join("desktop-wallboard.png"))
        .await;
    browser.phone().await;
    browser
        .goto(&format!("{}/operator/wallboard", app.base))
        .await;
    browser.wait_for_text(waiting, "1").await;
    browser.screenshot(shots.join("phone-wallboard.png")).await;
    let fits =
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth";
    assert_eq!(
        run(&browser, fits).await,
        json!(true),
        "nothing runs off a phone's screen"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_picture_fits_its_frame() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = spawn_app(Options::at(OPEN)).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    sign_in(&browser, &app, "ana").await;
    browser.goto(&format!("{}/operator/flows", app.base)).await;
    browser.wait_for("figure.flow-picture svg").await;
    let fits = "var f = document.querySelector('figure.flow-picture');
        var s = f.querySelector('svg').getBoundingClientRect();
        return [s.width > 600, s.right <= f.getBoundingClientRect().right, f.scrollWidth <= f.clientWidth]";
    assert_eq!(run(&browser, fits).await, json!([true, true, true]));
    let shots = screenshots();
    scroll_to(&browser, "figure.flow-picture").await;
    browser
        .screenshot(shots.join("desktop-flow-picture.png"))
        .await;
    browser.phone().await;
    browser.goto(&format!("{}/operator/flows", app.base)).await;
    browser.wait_for("figure.flow-picture svg").await;
    scroll_to(&browser, "figure.flow-picture").await;
    browser
        .screenshot(shots.join("phone-flow-picture.png"))
        .await;
    let page =
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth";
    assert_eq!(
        run(&browser, page).await,
        json!(true),
        "only the picture scrolls sideways"
    );
}
