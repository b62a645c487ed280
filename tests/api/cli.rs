//! `hotline callbacks`: what an operator sees before the web console exists.

use hotline::cli::{CallbacksArgs, callbacks};

use crate::helpers::{AFTER_HOURS, CALLER, Options, TestApp, spawn_app};

async fn leave_callback_request(app: &TestApp, language_key: &str, category_key: &str) -> String {
    let mut call = app.call(CALLER);
    call.start().await;
    call.press(language_key).await;
    call.press(category_key).await;
    call.press("1").await;
    call.press("2").await;
    call.silence().await;
    call.sid.clone()
}

fn args(app: &TestApp, json: bool, status: Option<&str>) -> CallbacksArgs {
    CallbacksArgs {
        status: status.map(str::to_string),
        json,
        database_url: format!("sqlite:{}", app.db_path.display()),
    }
}

#[tokio::test]
async fn json_lines_list_pending_requests_with_what_an_operator_needs() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let first = leave_callback_request(&app, "1", "2").await;
    let second = leave_callback_request(&app, "2", "4").await;
    let mut out = Vec::new();
    callbacks(&args(&app, true, Some("pending")), &mut out)
        .await
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["call_sid"], first.as_str());
    assert_eq!(lines[1]["call_sid"], second.as_str());
    assert_eq!(
        (lines[1]["category"].as_str(), lines[1]["language"].as_str()),
        (Some("community_relations"), Some("es"))
    );
    assert_eq!(lines[0]["status"], "pending");
    assert_eq!(lines[0]["phone_number"], CALLER);
    assert_eq!(lines[0]["safe_to_leave_message"], false);
    assert!(
        lines[0]["created_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-01T02:00:00")
    );

    let mut none = Vec::new();
    callbacks(&args(&app, true, Some("completed")), &mut none)
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn the_text_listing_masks_phone_numbers() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    leave_callback_request(&app, "1", "0").await;
    let mut out = Vec::new();
    callbacks(&args(&app, false, None), &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("general"), "{text}");
    assert!(text.contains("NO MESSAGE"), "{text}");
    assert!(
        !text.contains("2025550123") && text.contains("+1********23"),
        "{text}"
    );
    assert!(text.ends_with("1 callback request(s)\n"), "{text}");
}
