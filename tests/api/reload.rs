//! Hot reload of the flows folder: a saved change is used within seconds by new calls, calls
//! in progress finish on the version they started on, and a broken save changes nothing for
//! callers while the server says why.

use std::path::Path;
use std::time::Duration;

use crate::support::helpers::{CALLER, OPEN, Options, TestApp, shipped_flows, spawn_app};

const OLD_WORDS: &str = "Please listen to the following options.";
const NEW_WORDS: &str = "Listen closely to these options.";

fn copy_shipped(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("victim_hotline.toml");
    std::fs::copy(shipped_flows().join("victim_hotline.toml"), &file).expect("copied");
    file
}

/// What a new caller hears once they choose English.
async fn main_menu_words(app: &TestApp) -> String {
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.heard()
}

async fn eventually_hears(app: &TestApp, words: &str) {
    for _ in 0..50 {
        if main_menu_words(app).await.contains(words) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("new callers never heard {words:?}");
}

#[tokio::test]
async fn a_saved_change_reaches_new_calls_while_calls_in_progress_keep_their_version() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = copy_shipped(dir.path());
    let app = spawn_app(Options {
        flows: dir.path().into(),
        reload_every: 0.1,
        ..Options::at(OPEN)
    })
    .await;
    let mut early = app.call("+12025550111");
    early.start().await;
    early.press("1").await;
    assert!(early.heard().contains(OLD_WORDS));

    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen(OLD_WORDS, NEW_WORDS, 2)).unwrap();
    eventually_hears(&app, NEW_WORDS).await;

    early.press("9").await;
    assert!(
        early.heard().contains(OLD_WORDS),
        "the early call repeats its own menu: {}",
        early.heard()
    );
    early.press("2").await;
    assert!(early.queue().is_some(), "and finishes on it");

    std::fs::write(&file, "this is not a flow [").unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let words = main_menu_words(&app).await;
    assert!(
        words.contains(NEW_WORDS),
        "the last good version keeps answering: {words}"
    );
    let ready: serde_json::Value = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["flow_changes"], "rejected", "{ready}");
    std::fs::write(&file, &text).unwrap();
    eventually_hears(&app, OLD_WORDS).await;
}

#[tokio::test]
async fn the_flows_page_shows_each_picture_and_a_rejected_change_with_its_problems() {
    use crate::support::console_client::{Console, add_console_user, assert_balanced};
    use hotline::operators::Role;

    let dir = tempfile::tempdir().expect("a folder");
    let file = copy_shipped(dir.path());
    let app = spawn_app(Options {
        flows: dir.path().into(),
        reload_every: 0.1,
        ..Options::at(OPEN)
    })
    .await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    let ana = Console::sign_in(&app, "ana").await;
    let (status, html) = ana.get("/operator/flows").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_balanced(&html);
    assert!(
        html.contains("National Victim Assistance Line") && html.contains("<svg"),
        "{html}"
    );
    assert!(
        html.contains(">main_menu</text>"),
        "the picture names the nodes"
    );
    assert!(!html.contains("was not loaded"));

    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen(
            "options.0.goto = \"to_general\"",
            "options.0.goto = \"to_generl\"",
            1,
        ),
    )
    .unwrap();
    let mut shown = String::new();
    for _ in 0..50 {
        shown = ana.get("/operator/flows").await.1;
        if shown.contains("was not loaded") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        shown.contains("was not loaded") && shown.contains("to_generl"),
        "{shown}"
    );
    assert!(
        shown.contains("victim_hotline.toml:"),
        "the problem names the file and line: {shown}"
    );
}

#[tokio::test]
async fn a_deleted_or_half_written_flow_file_changes_nothing_for_callers() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = copy_shipped(dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    let app = spawn_app(Options {
        flows: dir.path().into(),
        reload_every: 0.1,
        ..Options::at(OPEN)
    })
    .await;
    let mut call = app.call(CALLER);
    call.start().await;
    let half = &text[..text.len() / 2];
    for damage in [None, Some(half)] {
        match damage {
            None => std::fs::remove_file(&file).unwrap(),
            Some(part) => std::fs::write(&file, part).unwrap(),
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(
            main_menu_words(&app).await.contains(OLD_WORDS),
            "new calls still answered"
        );
    }
    call.press("1").await;
    call.press("2").await;
    assert!(
        call.queue().is_some(),
        "the call in progress finished normally"
    );
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        ready.status(),
        200,
        "the server stays ready on its last good flows"
    );
}
