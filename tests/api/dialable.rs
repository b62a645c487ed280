//! Only numbers the line may call are called back: a premium-rate or foreign number typed by a
//! caller is refused while they can give another, and a caller ID the line may not dial (it
//! can be forged) leaves a request marked for a supervisor, never offered as a call link.

use hotline::operators::Role;
use hotline::store::{CallbackRequest, NumberSource};

use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{
    AFTER_HOURS, CALLER, Call, Options, TestApp, on_every_backend_app, shipped_flow_text,
    spawn_app_on_flow,
};

/// English, victim assistance (closed after hours), then "another number".
async fn to_the_number_question<'a>(app: &'a TestApp, from: &str) -> Call<'a> {
    let mut call = app.call(from);
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    call.press("2").await;
    assert!(call.heard().contains("10-digit"), "{}", call.heard());
    call
}

/// Silence at the recording prompt; the caller hears the request saved, and it is the only one.
async fn saved(app: &TestApp, call: &mut Call<'_>) -> CallbackRequest {
    call.silence().await;
    assert!(
        call.heard().contains("Your request has been saved"),
        "{}",
        call.heard()
    );
    let mut requests = app
        .store
        .callback_requests(&Default::default())
        .await
        .unwrap();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.remove(0)
}

#[tokio::test]
async fn premium_and_foreign_numbers_are_refused_where_the_caller_types_them() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            let mut call = to_the_number_question(&app, CALLER).await;
            for refused in ["9005550123", "8765550123"] {
                call.press(refused).await;
                assert!(
                    call.heard().contains("we cannot call that number"),
                    "{refused}: {}",
                    call.heard()
                );
                assert!(!call.heard().contains("You entered"), "{}", call.heard());
            }
            call.press("2025550199").await;
            assert!(
                call.heard().contains("2 0 2, 5 5 5, 0 1 9 9"),
                "{}",
                call.heard()
            );
            for key in ["1", "2", "4"] {
                call.press(key).await;
            }
            let r = &saved(&app, &mut call).await;
            assert_eq!(
                (r.phone_number.as_str(), r.number_source, r.dialable),
                ("+12025550199", NumberSource::Entered, true)
            );
            let steps = app.store.steps(&call.sid).await.unwrap();
            let refusals = steps
                .iter()
                .filter(|s| s.outcome.starts_with("not dialable"))
                .count();
            assert_eq!(refusals, 2, "{steps:#?}");
            assert!(
                steps
                    .iter()
                    .all(|s| !s.outcome.contains("900") && !s.outcome.contains("876")),
                "the step log keeps no number: {steps:#?}"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn a_caller_id_the_line_may_not_dial_leaves_a_request_marked_for_a_supervisor() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            let premium = "+19005550123";
            let mut call = app.call(premium);
            call.start().await;
            for key in ["1", "2", "1", "2", "4"] {
                call.press(key).await;
            }
            let r = &saved(&app, &mut call).await;
            assert_eq!((r.phone_number.as_str(), r.dialable), (premium, false));

            add_console_user(&app, "sam", Role::Supervisor, &[]).await;
            let sam = Console::sign_in(&app, "sam").await;
            let (_, page) = sam.get(&format!("/operator/requests/{}", r.id)).await;
            assert!(page.contains("DO NOT call this number"), "{page}");
            assert!(!page.contains("href=\"tel:"), "no call link: {page}");
            let (_, queue) = sam.get("/operator").await;
            assert!(queue.contains("Not dialable"), "{queue}");
        },
    )
    .await;
}

#[tokio::test]
async fn a_flow_may_add_a_country_and_never_a_premium_prefix() {
    let shipped = shipped_flow_text();
    let with = shipped.replacen("[callbacks]\n", "[callbacks]\ndialable = [\"+1876\"]\n", 1);
    let (_flows, app) = spawn_app_on_flow(&with, AFTER_HOURS).await;
    let mut call = to_the_number_question(&app, CALLER).await;
    call.press("8765550123").await;
    assert!(
        call.heard().contains("8 7 6, 5 5 5, 0 1 2 3"),
        "{}",
        call.heard()
    );

    let bad = shipped.replacen(
        "[callbacks]\n",
        "[callbacks]\ndialable = [\"+1900\", \"44\"]\n",
        1,
    );
    let errors = hotline::catalog::load("victim_hotline", "victim_hotline.toml", &bad)
        .expect_err("premium and malformed prefixes are refused");
    let codes: Vec<_> = errors.0.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["bad-prefix", "bad-prefix"], "{errors}");
    let text = errors.to_string();
    assert!(text.contains("never called back"), "{text}");
    assert!(text.contains("`+` and 1 to 7 digits"), "{text}");
}
