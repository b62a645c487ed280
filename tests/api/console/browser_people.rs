//! The people page in a real headless Chromium at a phone's width: a supervisor reaches it from
//! the navigation, mistypes a shift and reads what is wrong beside the field that keeps what
//! was typed, then saves it; nothing runs off the side of the screen. Screenshots beside the
//! other console tests' (see `browser.rs`).

use hotline::operators::Role;
use serde_json::json;

use super::browser::{run, screenshots};
use super::browser_pictures::sign_in;
use crate::support::browser::Browser;
use crate::support::console_client::add_console_user;
use crate::support::helpers::{OPEN, Options, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sets_shifts_on_a_phone() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = spawn_app(Options::at(OPEN)).await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    let ana = add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    browser.phone().await;
    sign_in(&browser, &app, "sam").await;
    browser.click("nav a[href=\"/operator/people\"]").await;
    browser.wait_for_text("h1", "People").await;

    let field = format!("#shifts-{}", ana.operator.id);
    let save = format!("#person-{} button[type=submit]", ana.operator.id);
    browser.fill(&field, "mon-fry 09:00-17:00").await;
    browser.click(&save).await;
    browser
        .wait_for_text(".flash.problem", "is not a day")
        .await;
    let problem = format!("#problem-{}", ana.operator.id);
    assert!(
        browser
            .text(&problem)
            .await
            .contains("\"fry\" in \"mon-fry 09:00-17:00\"")
    );
    let typed = format!("return document.querySelector({field:?}).value");
    assert_eq!(run(&browser, &typed).await, json!("mon-fry 09:00-17:00"));
    let fits = "return document.documentElement.scrollWidth <= window.innerWidth";
    assert_eq!(
        run(&browser, fits).await,
        json!(true),
        "nothing runs off the side"
    );
    browser
        .screenshot(screenshots().join("phone-people-problem.png"))
        .await;

    browser.fill(&field, "mon-fri 09:00-17:00").await;
    browser.click(&save).await;
    let done = browser.wait_for_text(".flash.done", "shifts are now").await;
    let said = done.text().await.expect("the message");
    assert_eq!(said, "ana's shifts are now: mon-fri 09:00-17:00.");
    let row = format!("#person-{}", ana.operator.id);
    browser.wait_for_text(&row, "Due, missing").await;
    assert_eq!(run(&browser, fits).await, json!(true));
    browser
        .screenshot(screenshots().join("phone-people.png"))
        .await;
}
