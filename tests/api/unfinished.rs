//! Callers who hang up part-way through the callback questions: what they gave is kept as an
//! incomplete request when the line has a number it may use, and nothing is invented when it
//! has none. Every step of the reference flow's callback path is tried.

use hotline::callbacks::pacing::CallTime;
use hotline::store::{CallbackRequest, NumberSource};

use crate::support::helpers::{
    AFTER_HOURS, CALLER, Call, Options, TestApp, on_every_backend_app, spawn_app, spawn_app_on,
};

const ENTERED: &str = "+12025550199";

/// English, then "a victim assistance specialist", after hours: the callback offer.
async fn to_callback_offer(call: &mut Call<'_>) {
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    assert!(
        call.heard().contains("We can call you back"),
        "{}",
        call.heard()
    );
}

async fn requests(app: &TestApp) -> Vec<CallbackRequest> {
    app.store
        .callback_requests(&Default::default())
        .await
        .expect("requests listed")
}

/// Hangs up (the provider's final status callback) and returns the call's request, if any.
async fn hang_up(app: &TestApp, call: &Call<'_>) -> Option<CallbackRequest> {
    assert!(call.end("completed", "40", "3").await.status().is_success());
    requests(app)
        .await
        .into_iter()
        .find(|r| r.call_sid == call.sid)
}

#[tokio::test]
async fn a_hang_up_at_each_step_keeps_what_the_caller_gave_and_nothing_they_did_not() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            // At the offer itself: the number they call from is the one there is.
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            let r = hang_up(&app, &call).await.expect("a request at the offer");
            assert!(r.incomplete);
            assert_eq!(
                (r.phone_number.as_str(), r.number_source),
                (CALLER, NumberSource::Caller)
            );
            assert_eq!(
                (r.category.as_str(), r.language.as_str()),
                ("victim_assistance", "en")
            );
            assert_eq!((r.safe_to_leave_message, r.call_time), (None, None));
            let mut listing = Vec::new();
            let args = hotline::cli::CallbacksArgs {
                status: None,
                json: false,
                database_url: app.database_url.clone(),
            };
            hotline::cli::callbacks(&args, &mut listing).await.unwrap();
            let listing = String::from_utf8(listing).unwrap();
            assert!(listing.contains("(hung up part-way)"), "{listing}");

            // Asked for another number: the one they call from is not theirs to use.
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            call.press("2").await;
            assert!(
                hang_up(&app, &call).await.is_none(),
                "declined caller ID used"
            );

            // Typed it, not confirmed yet.
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            call.press("2").await;
            call.press("2025550199").await;
            assert!(call.heard().contains("You entered"), "{}", call.heard());
            assert!(
                hang_up(&app, &call).await.is_none(),
                "unconfirmed number used"
            );

            // Confirmed: at the safety question.
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            call.press("2").await;
            call.press("2025550199").await;
            call.press("1").await;
            assert!(call.heard().contains("is it safe"), "{}", call.heard());
            let r = hang_up(&app, &call)
                .await
                .expect("a request with the typed number");
            assert!(r.incomplete);
            assert_eq!(
                (r.phone_number.as_str(), r.number_source),
                (ENTERED, NumberSource::Entered)
            );
            assert_eq!(r.safe_to_leave_message, None);

            // Said a message is not safe: at "when is it safest".
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            call.press("1").await;
            call.press("2").await;
            assert!(
                call.heard().contains("When is it safest"),
                "{}",
                call.heard()
            );
            let r = hang_up(&app, &call).await.expect("a request");
            assert_eq!((r.incomplete, r.safe_to_leave_message), (true, Some(false)));

            // Chose the evening: at the recording.
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            call.press("1").await;
            call.press("2").await;
            call.press("3").await;
            assert!(call.twiml().child("Record").is_some());
            let r = hang_up(&app, &call).await.expect("a request");
            assert!(r.incomplete);
            assert_eq!(
                (r.safe_to_leave_message, r.call_time),
                (Some(false), Some(CallTime::Evening))
            );
        },
    )
    .await;
}

#[tokio::test]
async fn silence_at_the_safety_question_is_kept_as_the_promise_the_caller_heard() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            call.press("1").await;
            for _ in 0..3 {
                call.silence().await;
            }
            assert!(
                call.heard().contains("We will not leave a voice message"),
                "{}",
                call.heard()
            );
            let r = hang_up(&app, &call).await.expect("a request");
            assert_eq!((r.incomplete, r.safe_to_leave_message), (true, Some(false)));
        },
    )
    .await;
}

#[tokio::test]
async fn a_withheld_number_or_a_goodbye_without_a_request_leaves_none() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            let mut call = app.call("anonymous");
            to_callback_offer(&mut call).await;
            assert!(hang_up(&app, &call).await.is_none(), "nobody to call");

            // Three wrong keys at the offer: the caller hears that nothing was taken.
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            for _ in 0..3 {
                call.press("7").await;
            }
            assert!(
                call.heard().contains("We could not take your request"),
                "{}",
                call.heard()
            );
            assert!(
                hang_up(&app, &call).await.is_none(),
                "told unsaved, saved anyway"
            );
            // Both count as missed requests in the supervisors' reports.
            let facts = app.store.report_facts(0, i64::MAX).await.expect("facts");
            assert_eq!(
                facts.missed_requests,
                ["victim_assistance", "victim_assistance"]
            );
        },
    )
    .await;
}

#[tokio::test]
async fn a_finished_request_is_not_flagged_even_when_the_hang_up_is_heard_of_first() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            call.press("1").await;
            call.press("1").await;
            // The status callback overtakes the recording's webhook (they may reach two instances).
            assert!(hang_up(&app, &call).await.expect("kept").incomplete);
            call.record(
                "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
                "9",
            )
            .await;
            let all = requests(&app).await;
            let mine: Vec<_> = all.iter().filter(|r| r.call_sid == call.sid).collect();
            assert_eq!(mine.len(), 1, "one request per call");
            assert!(!mine[0].incomplete, "the caller finished");
            assert_eq!(mine[0].safe_to_leave_message, Some(true));
            assert!(mine[0].recording_url.is_some());

            // The usual order: finished first, then the hang-up changes nothing.
            let mut call = app.call(CALLER);
            to_callback_offer(&mut call).await;
            call.press("1").await;
            call.press("1").await;
            call.record(
                "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE2",
                "4",
            )
            .await;
            assert!(!hang_up(&app, &call).await.expect("saved").incomplete);
        },
    )
    .await;
}

#[tokio::test]
async fn a_call_whose_end_is_never_reported_is_settled_by_the_line_itself() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = app.call(CALLER);
    to_callback_offer(&mut call).await;
    call.press("1").await;
    let sid = call.sid.clone();
    // No status callback: the provider lost it, or none is configured.
    let (dir, db_path) = app.stop().await;
    assert!(
        requests_in(&db_path)
            .await
            .iter()
            .all(|r| r.call_sid != sid)
    );
    // Two hours on, the server looks for calls that went silent.
    let later = spawn_app_on(Options::at("2026-12-01T04:00:00Z"), &db_path).await;
    let mut found = None;
    for _ in 0..50 {
        found = requests(&later)
            .await
            .into_iter()
            .find(|r| r.call_sid == sid);
        if found.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let r = found.expect("settled without a status callback");
    assert!(r.incomplete);
    assert_eq!(r.phone_number, CALLER);
    drop(dir);
}

async fn requests_in(db_path: &std::path::Path) -> Vec<CallbackRequest> {
    let store = hotline::store::open::connect(&format!("sqlite:{}", db_path.display()))
        .await
        .expect("opens");
    store
        .callback_requests(&Default::default())
        .await
        .expect("listed")
}

#[tokio::test]
async fn operators_see_a_request_kept_from_a_hang_up_flagged_in_the_console() {
    use crate::support::console_client::{Console, add_console_user};
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = app.call(CALLER);
    to_callback_offer(&mut call).await;
    let r = hang_up(&app, &call).await.expect("kept");
    add_console_user(
        &app,
        "ana",
        hotline::operators::Role::Operator,
        &["victim_assistance"],
    )
    .await;
    let ana = Console::sign_in(&app, "ana").await;
    let (_, queue) = ana.get("/operator").await;
    assert!(queue.contains("Hung up part-way"), "{queue}");
    let (_, page) = ana.get(&format!("/operator/requests/{}", r.id)).await;
    assert!(
        page.contains("The caller hung up before finishing."),
        "{page}"
    );
}
