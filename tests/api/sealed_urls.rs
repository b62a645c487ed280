//! Nothing a caller gives appears in a URL the provider is handed (providers keep those URLs in
//! their call logs): every path of the reference flow's callback questions is walked through the
//! running server, and every URL of every answer is searched for the caller's digits and answers.

use crate::support::helpers::{AFTER_HOURS, Call, OPEN, Options, on_every_backend_app};
use crate::support::xml::Element;

/// The number the caller calls from, and the one they type.
const FROM: &str = "+12025550123";
const TYPED: &str = "2025550199";

/// Every URL in an answer: attributes that hold one, and the text of `<Redirect>`.
fn urls(root: &Element, found: &mut Vec<String>) {
    for (name, value) in &root.attrs {
        if ["action", "url", "waitUrl", "statusCallback"].contains(&name.as_str()) {
            found.push(value.clone());
        }
    }
    if root.name == "Redirect" {
        found.push(root.text.trim().to_string());
    }
    for child in &root.children {
        urls(child, found);
    }
}

/// Plays `steps` (`digits`, `silence`, `record`) after the offer and returns every URL heard.
async fn walk(call: &mut Call<'_>, menu: &str, steps: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    call.start().await;
    urls(call.twiml(), &mut found);
    for step in ["1", menu].iter().chain(steps) {
        match *step {
            "silence" => call.silence().await,
            "record" => {
                call.record(
                    "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
                    "5",
                )
                .await
            }
            digits => call.press(digits).await,
        };
        urls(call.twiml(), &mut found);
    }
    found
}

fn assert_nothing_private(found: &[String], path: &[&str]) {
    assert!(!found.is_empty());
    for url in found {
        let decoded: String =
            form_urlencoded::parse(url.split_once('?').map_or("", |p| p.1).as_bytes())
                .map(|(k, v)| format!("{k}={v}&"))
                .collect();
        for private in ["2025550123", TYPED, "cb=", "pn=", "s=", "w=", "d="] {
            assert!(
                !url.contains(private) && !decoded.contains(private),
                "{private} in {url} (path {path:?})"
            );
        }
    }
}

#[tokio::test]
async fn no_url_handed_to_the_provider_holds_a_number_or_an_answer_the_caller_gave() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            let paths: [&[&str]; 8] = [
                &["1", "1", "record"],
                &["1", "2", "1", "record"],
                &["1", "2", "3", "silence"],
                &["1", "silence", "silence", "silence", "4", "record"],
                &["2", TYPED, "2", TYPED, "1", "1", "record"],
                &["2", TYPED, "1", "2", "2", "record"],
                &["2", "12", "2025550100", TYPED, "1"],
                &["7", "7", "7"],
            ];
            for path in paths {
                for menu in ["2", "0"] {
                    let mut call = app.call(FROM);
                    let found = walk(&mut call, menu, path).await;
                    assert_nothing_private(&found, path);
                }
            }
            // The state still works: the typed number reached the request it was sealed for.
            let requests = app
                .store
                .callback_requests(&Default::default())
                .await
                .unwrap();
            assert!(
                requests
                    .iter()
                    .any(|r| r.phone_number == format!("+1{TYPED}"))
            );
            assert!(
                requests
                    .iter()
                    .any(|r| r.safe_to_leave_message == Some(false))
            );
        },
    )
    .await;
}

#[tokio::test]
async fn waiting_callers_who_take_the_callback_offer_leave_no_answer_in_a_url_either() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            let mut call = app.call(FROM);
            call.start().await;
            call.press("1").await;
            call.press("2").await;
            let mut found = Vec::new();
            urls(call.twiml(), &mut found);
            let held = call.hold_with(1, 400).await;
            urls(&held, &mut found);
            urls(&call.hold_choice("1").await, &mut found);
            call.queue_result("leave", "400").await;
            urls(call.twiml(), &mut found);
            for digits in ["1", "2", "1"] {
                call.press(digits).await;
                urls(call.twiml(), &mut found);
            }
            assert_nothing_private(&found, &["queue", "leave", "1", "2", "1"]);
        },
    )
    .await;
}
