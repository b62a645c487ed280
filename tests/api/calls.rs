//! Whole calls through the reference flow, played the way the provider plays them.

use hotline::callbacks::pacing::CallTime;
use hotline::store::NumberSource;

use crate::support::helpers::{AFTER_HOURS, CALLER, HOLIDAY, OPEN, Options, spawn_app};

/// Menu key, category and the words of its triage prompt.
const CATEGORIES: [(&str, &str); 6] = [
    ("1", "custody_status"),
    ("2", "victim_assistance"),
    ("3", "social_services"),
    ("4", "community_relations"),
    ("5", "records_request"),
    ("0", "general"),
];

#[tokio::test]
async fn the_greeting_tells_callers_in_danger_to_dial_911_first_in_both_languages() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    let says = call.twiml().find_all("Say");
    assert!(
        says[0].text.contains("emergency, hang up and dial 9 1 1"),
        "{}",
        says[0].text
    );
    assert_eq!(says[0].attr("language"), Some("en-US"));
    assert!(says[1].text.contains("marque el 9 1 1"), "{}", says[1].text);
    assert_eq!(says[1].attr("language"), Some("es-US"));
    let gather = call.twiml().child("Gather").expect("language menu");
    assert!(gather.all_text().contains("For English, press 1."));
}

#[tokio::test]
async fn every_category_is_queued_when_open_in_both_languages() {
    let app = spawn_app(Options::at(OPEN)).await;
    for (language_key, language) in [("1", "en"), ("2", "es")] {
        for (key, category) in CATEGORIES {
            let mut call = app.call(CALLER);
            call.start().await;
            call.press(language_key).await;
            call.press(key).await;
            assert_eq!(
                call.queue().as_deref(),
                Some(category),
                "{language} key {key}: {}",
                call.heard()
            );
            let stored = app.store.call(&call.sid).await.unwrap().expect("call row");
            assert_eq!(
                (stored.category.as_deref(), stored.language.as_str()),
                (Some(category), language)
            );
            let entries = app.store.queue_entries(&call.sid).await.unwrap();
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].queue, category);
        }
    }
}

#[tokio::test]
async fn every_category_takes_a_callback_request_after_hours_in_both_languages() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    for (language_key, language) in [("1", "en"), ("2", "es")] {
        for (key, category) in CATEGORIES {
            let mut call = app.call(CALLER);
            call.start().await;
            call.press(language_key).await;
            call.press(key).await;
            assert_eq!(call.queue(), None);
            call.press("1").await; // call back this number
            call.press("1").await; // safe to leave a message
            call.record("https://api.example.com/rec/RE1", "9").await;
            assert!(call.twiml().child("Hangup").is_some());
            let requests = app
                .store
                .callback_requests(&Default::default())
                .await
                .unwrap();
            let request = requests
                .iter()
                .find(|r| r.call_sid == call.sid)
                .expect("callback request saved");
            assert_eq!(
                (request.category.as_str(), request.language.as_str()),
                (category, language)
            );
            assert_eq!(request.status, hotline::callbacks::Status::Pending);
        }
    }
}

#[tokio::test]
async fn a_closed_hours_caller_is_told_the_hours_and_their_request_is_saved_before_the_confirmation()
 {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    assert!(
        call.heard()
            .contains("We are open Monday to Friday, from 8 in the morning to 8 at night"),
        "{}",
        call.heard()
    );
    assert!(
        call.heard()
            .contains("To be called back at the number you are calling from, press 1"),
        "{}",
        call.heard()
    );
    call.press("1").await;
    assert!(
        call.heard()
            .contains("is it safe for us to leave a voice message"),
        "{}",
        call.heard()
    );
    call.press("1").await;
    assert!(call.twiml().child("Record").is_some(), "record step");
    call.record("https://api.example.com/rec/RE42", "12").await;
    assert!(
        call.heard().contains("Your request has been saved"),
        "{}",
        call.heard()
    );

    let requests = app
        .store
        .callback_requests(&Default::default())
        .await
        .unwrap();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.phone_number, CALLER);
    assert_eq!(r.number_source, NumberSource::Caller);
    assert_eq!(r.category, "victim_assistance");
    assert_eq!(r.safe_to_leave_message, Some(true));
    assert_eq!(
        r.recording_url.as_deref(),
        Some("https://api.example.com/rec/RE42")
    );
    assert_eq!(r.recording_seconds, Some(12));
}

#[tokio::test]
async fn a_spanish_caller_can_give_another_number_which_is_read_back_and_confirmed() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("2").await;
    call.press("3").await;
    assert!(
        call.heard().contains("Atendemos de lunes a viernes"),
        "{}",
        call.heard()
    );
    call.press("2").await;
    assert!(
        call.heard().contains("número de teléfono de 10 dígitos"),
        "{}",
        call.heard()
    );
    call.press("12").await;
    assert!(
        call.heard().contains("no podemos llamar a ese número"),
        "a short number is refused: {}",
        call.heard()
    );
    call.press("2025550199").await;
    assert!(
        call.heard().contains("Usted marcó 2 0 2, 5 5 5, 0 1 9 9."),
        "{}",
        call.heard()
    );
    call.press("1").await;
    call.press("2").await; // not safe to leave a message
    assert!(
        call.heard().contains("¿Cuándo es más seguro llamarle?"),
        "{}",
        call.heard()
    );
    call.press("3").await; // in the evening
    call.silence().await; // no recording
    assert!(
        call.heard().contains("Su solicitud quedó guardada"),
        "{}",
        call.heard()
    );
    for say in call.twiml().find_all("Say") {
        assert_eq!(say.attr("voice"), Some("Polly.Lupe-Neural"));
    }

    let requests = app
        .store
        .callback_requests(&Default::default())
        .await
        .unwrap();
    let r = &requests[0];
    assert_eq!(
        (r.phone_number.as_str(), r.number_source),
        ("+12025550199", NumberSource::Entered)
    );
    assert_eq!(
        (r.language.as_str(), r.category.as_str()),
        ("es", "social_services")
    );
    assert_eq!(
        (r.safe_to_leave_message, r.recording_url.as_deref()),
        (Some(false), None)
    );
    assert_eq!(
        r.call_time,
        Some(CallTime::Evening),
        "what the caller chose"
    );
}

#[tokio::test]
async fn on_a_federal_holiday_callers_hear_why_the_office_is_closed() {
    let app = spawn_app(Options::at(HOLIDAY)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("0").await;
    assert!(
        call.heard().contains("closed today for a federal holiday"),
        "{}",
        call.heard()
    );
    assert_eq!(call.queue(), None);
    let steps = app.store.steps(&call.sid).await.unwrap();
    assert!(
        steps.iter().any(|s| s.outcome == "closed: Christmas Day"),
        "{steps:?}"
    );
}

#[tokio::test]
async fn a_wrong_key_and_silence_replay_the_menu_and_a_third_failure_reaches_general() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("7").await;
    assert!(
        call.heard()
            .starts_with("Sorry, that is not one of the options."),
        "{}",
        call.heard()
    );
    assert!(
        call.heard()
            .contains("To sign up for custody-status notifications, press 1.")
    );
    call.silence().await;
    assert!(
        call.heard().starts_with("We did not hear a choice."),
        "{}",
        call.heard()
    );
    call.press("8").await;
    assert_eq!(call.queue().as_deref(), Some("general"));
    let steps = app.store.steps(&call.sid).await.unwrap();
    assert!(
        steps
            .iter()
            .any(|s| s.outcome == "invalid key, attempt 3 of 3: giving up"),
        "{steps:?}"
    );
}

#[tokio::test]
async fn silence_at_the_language_menu_continues_in_english_and_the_repeat_key_replays() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.silence().await;
    assert!(
        call.heard()
            .starts_with("Please listen to the following options."),
        "{}",
        call.heard()
    );
    for _ in 0..4 {
        call.press("9").await;
        assert!(
            call.heard().starts_with("Please listen"),
            "repeat does not use up attempts"
        );
    }
    call.press("2").await;
    assert_eq!(call.queue().as_deref(), Some("victim_assistance"));
}

#[tokio::test]
async fn waiting_callers_hear_their_place_in_line_and_the_wait_is_recorded() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("2").await;
    call.press("5").await;
    let hold = call.hold("3", "45").await;
    let said = hold
        .find_all("Say")
        .iter()
        .map(|s| s.text.clone())
        .collect::<String>();
    assert!(said.contains("Usted es el número 3 en la fila"), "{said}");
    assert!(
        hold.child("Pause").is_some(),
        "hold has a pause before the next poll"
    );
    call.queue_result("bridged", "80").await;
    assert!(call.twiml().child("Hangup").is_some());
    let entry = &app.store.queue_entries(&call.sid).await.unwrap()[0];
    assert_eq!(
        (
            entry.last_position,
            entry.result.as_deref(),
            entry.wait_seconds
        ),
        (Some(3), Some("bridged"), Some(80))
    );
}

#[tokio::test]
async fn a_queue_that_cannot_keep_the_caller_offers_a_callback() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("3").await;
    call.queue_result("queue-full", "0").await;
    assert!(
        call.heard().contains("no one can take your call right now"),
        "{}",
        call.heard()
    );
    assert!(
        call.heard().contains("We can call you back"),
        "{}",
        call.heard()
    );
    call.press("1").await;
    call.press("1").await;
    call.silence().await;
    let r = &app
        .store
        .callback_requests(&Default::default())
        .await
        .unwrap()[0];
    assert_eq!(r.category, "social_services");
}

#[tokio::test]
async fn the_status_callback_records_how_the_call_ended() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    let response = call.end("completed", "42", "3").await;
    assert_eq!(response.status(), 204);
    let stored = app.store.call(&call.sid).await.unwrap().expect("call row");
    assert_eq!(
        (stored.status.as_str(), stored.duration_seconds),
        ("completed", Some(42))
    );
    assert!(stored.ended_at.is_some());
    assert_eq!(stored.from_number.as_deref(), Some(CALLER));
    assert!(!stored.flow_version.is_empty());
}

#[tokio::test]
async fn the_closed_now_switch_sends_callers_to_callbacks_during_opening_hours() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        crate::support::helpers::shipped_flows().join("victim_hotline.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("victim_hotline.toml"),
        text.replace("closed_now = false", "closed_now = true"),
    )
    .unwrap();
    let app = spawn_app(Options {
        flows: dir.path().to_path_buf(),
        ..Options::at(OPEN)
    })
    .await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    assert_eq!(call.queue(), None);
    assert!(
        call.heard()
            .starts_with("Our team cannot take calls right now."),
        "{}",
        call.heard()
    );
    assert!(
        call.heard().contains("We can call you back"),
        "{}",
        call.heard()
    );
}

#[tokio::test]
async fn a_caller_with_a_withheld_number_is_asked_for_one_instead() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = app.call("anonymous");
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    call.press("1").await; // "call back this number"
    assert!(
        call.heard()
            .contains("Please enter the 10-digit phone number"),
        "{}",
        call.heard()
    );
    call.press("2025550142").await;
    call.press("1").await;
    call.press("1").await;
    call.silence().await;
    let r = &app
        .store
        .callback_requests(&Default::default())
        .await
        .unwrap()[0];
    assert_eq!(
        (r.phone_number.as_str(), r.number_source),
        ("+12025550142", NumberSource::Entered)
    );
}

#[tokio::test]
async fn a_caller_silent_at_the_message_question_is_stored_as_they_were_told() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    for key in ["1", "2", "1"] {
        call.press(key).await;
    }
    for _ in 0..3 {
        call.silence().await;
    }
    assert!(
        call.heard().contains("We will not leave a voice message"),
        "{}",
        call.heard()
    );
    call.press("4").await;
    call.silence().await;
    let requests = app
        .store
        .callback_requests(&Default::default())
        .await
        .unwrap();
    assert_eq!(
        requests[0].safe_to_leave_message,
        Some(false),
        "the promise made to the caller is kept on the request"
    );
}
