//! Values a forged or broken caller ID or recording address could carry never reach the
//! database or an operator's browser: a caller ID of 60,000 characters with NUL and escape
//! characters is kept as no number, and a recording address that is not `https://` on one line
//! is not kept, nor followed by the audited playback route.

use hotline::operators::Role;
use reqwest::StatusCode;

use crate::staff::{add_staff, request_id_of};
use crate::support::helpers::{AFTER_HOURS, Options, on_every_backend_app};

#[tokio::test]
async fn a_monstrous_caller_id_and_a_javascript_recording_address_are_not_kept() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            let monstrous = format!("+1202\u{0}\u{1b}[2J{}", "9".repeat(60_000));
            let mut call = app.call(&monstrous);
            call.start().await;
            // English, victim assistance (closed), another number, read back, confirmed, not safe.
            for keys in ["1", "2", "2", "2025550199", "1", "2", "4"] {
                call.press(keys).await;
            }
            call.record("javascript:alert(1)", "5").await;
            assert!(
                call.heard().contains("Your request has been saved"),
                "{}",
                call.heard()
            );

            let stored = app.store.call(&call.sid).await.unwrap().expect("the call");
            assert_eq!(stored.from_number, None, "kept as no number");
            let id = request_id_of(&app, &call.sid).await;
            let request = app.store.callback_request(&id).await.unwrap().unwrap();
            assert_eq!(
                request.recording_url, None,
                "not an address the provider gives"
            );
            assert_eq!(request.phone_number, "+12025550199");

            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
            let (status, _) = sam
                .get(&app, &format!("/api/v1/callbacks/{id}/recording"))
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND);
        },
    )
    .await;
}

#[tokio::test]
async fn a_stored_address_that_is_not_https_is_never_followed() {
    on_every_backend_app(
        || Options::at(AFTER_HOURS),
        |app| async move {
            let sid = "CA00000000000000000000000000000abc";
            // Made at the server's frozen "now", so that the start-up purge of old recordings leaves it.
            let now = AFTER_HOURS
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond();
            let mut request = crate::store::callback(sid, now);
            request.recording_url = Some("javascript:alert(document.cookie)".into());
            let write = hotline::store::CallWrite::CallbackRequested(request);
            app.store
                .write(vec![write])
                .await
                .expect("stored as an older version could have");
            let id = request_id_of(&app, sid).await;
            let stored = app.store.callback_request(&id).await.unwrap().unwrap();
            assert!(
                stored.recording_url.is_some(),
                "the bad address is in the database"
            );
            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
            let response = crate::support::client_builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .get(format!("{}/api/v1/callbacks/{id}/recording", app.base))
                .bearer_auth(&sam.token)
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::NOT_FOUND,
                "no redirect to it"
            );
            assert!(response.headers().get("location").is_none());
        },
    )
    .await;
}
