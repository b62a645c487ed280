//! "Call now" from the API and the console: the provider's REST API (emulated) is asked to ring
//! the operator's registered phone, in its exact form; answering reads the request and dials
//! it as the operator line does; a refusal changes nothing.

use hotline::callbacks::Status;
use hotline::operators::Role;
use hotline::store::OperatorChange;
use reqwest::StatusCode;
use serde_json::json;

use crate::staff::{Staff, add_staff, leave_callback_request, request_id_of};
use crate::support::backends::backends;
use crate::support::helpers::{
    CALLER, HOTLINE_NUMBER, Options, TestApp, WEEKEND_MORNING, spawn_app,
};
use crate::support::provider_api::{ACCOUNT, KEY, ProviderApi, SECRET};

const ANA_PHONE: &str = "+12025550777";

async fn ana(app: &TestApp, phone: Option<&str>) -> Staff {
    let ana = add_staff(app, "ana", Role::Operator, &["victim_assistance"]).await;
    let change = OperatorChange::Phone(phone.map(str::to_string));
    app.store
        .update_operator("ana", &change)
        .await
        .expect("phone set");
    ana
}

#[tokio::test]
async fn call_now_rings_the_operator_who_then_hears_and_dials_the_request() {
    for backend in backends().await {
        eprintln!("server on the {} backend", backend.name);
        let provider = ProviderApi::start(None).await;
        let app = spawn_app(Options {
            provider_api: Some(provider.url.clone()),
            database_url: Some(backend.url.clone()),
            ..Options::at(WEEKEND_MORNING)
        })
        .await;
        let sid = leave_callback_request(&app, "1", "2", "2", None).await;
        let id = request_id_of(&app, &sid).await;
        let ana = ana(&app, Some(ANA_PHONE)).await;
        let (status, body) = ana
            .post(&app, &format!("/api/v1/callbacks/{id}/call"), json!({}))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");

        let placed = provider.placed();
        assert_eq!(placed.len(), 1);
        let ring = &placed[0];
        assert_eq!(ring.account, ACCOUNT);
        assert_eq!(ring.credentials, format!("{KEY}:{SECRET}"));
        assert_eq!(
            (ring.param("To"), ring.param("From")),
            (Some(ANA_PHONE), Some(HOTLINE_NUMBER))
        );
        let url = ring.param("Url").expect("the answer URL").to_string();
        assert!(
            url.starts_with(&format!("{}/voice/operator/ring?", app.base)),
            "{url}"
        );
        assert!(
            !url.contains("2025550123"),
            "no caller number in the URL the provider keeps"
        );
        assert_eq!(
            app.store
                .callback_request(&id)
                .await
                .unwrap()
                .unwrap()
                .status,
            Status::Pending
        );

        // The provider reports the ring of her phone, which the request's page follows.
        let status = ring
            .param("StatusCallback")
            .expect("a status callback")
            .to_string();
        let events: Vec<&str> = ring
            .form
            .iter()
            .filter(|(k, _)| k == "StatusCallbackEvent")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(events, ["initiated", "ringing", "answered", "completed"]);
        assert!(!status.contains("2025550123"), "{status}");
        let detail = format!("/api/v1/callbacks/{id}");
        let (_, shown) = ana.get(&app, &detail).await;
        assert_eq!(shown["live_call"]["state"], "ringing_operator", "{shown}");
        for state in ["in-progress", "ringing"] {
            // The second comes late and changes nothing.
            let params = [
                ("CallSid", "CA0000000000000000000000000000ring"),
                ("From", HOTLINE_NUMBER),
                ("To", ANA_PHONE),
                ("CallStatus", state),
            ];
            let reported = app.post(&status, &params).await;
            assert_eq!(reported.status(), StatusCode::NO_CONTENT, "{state}");
        }
        let (_, shown) = ana.get(&app, &detail).await;
        assert_eq!(shown["live_call"]["state"], "operator_answered", "{shown}");

        // Ana answers: the provider requests the URL on her call.
        let mut line = app.call(ANA_PHONE);
        line.send(&url, &[]).await;
        assert!(
            line.heard()
                .contains("Callback request: a victim assistance specialist"),
            "{}",
            line.heard()
        );
        line.press("1").await;
        let dial = line.twiml().child("Dial").expect("the call back");
        assert_eq!(dial.child("Number").expect("a number").text.trim(), CALLER);
        assert_eq!(
            app.store
                .callback_request(&id)
                .await
                .unwrap()
                .unwrap()
                .status,
            Status::Claimed
        );
    }
}

#[tokio::test]
async fn a_refusal_a_missing_phone_or_missing_settings_change_nothing_and_say_why() {
    let provider =
        ProviderApi::start(Some((400, "The 'To' number is not a valid phone number."))).await;
    let app = spawn_app(Options {
        provider_api: Some(provider.url.clone()),
        ..Options::at(WEEKEND_MORNING)
    })
    .await;
    let sid = leave_callback_request(&app, "1", "2", "2", None).await;
    let id = request_id_of(&app, &sid).await;
    let call = format!("/api/v1/callbacks/{id}/call");
    let ana = ana(&app, None).await;
    let (status, body) = ana.post(&app, &call, json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("no_phone"))
    );
    assert!(
        provider.placed().is_empty(),
        "nothing was asked of the provider"
    );

    let change = OperatorChange::Phone(Some(ANA_PHONE.into()));
    app.store.update_operator("ana", &change).await.unwrap();
    let (status, body) = ana.post(&app, &call, json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("provider_error"))
    );
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("not a valid phone number") && message.contains("nothing was changed"),
        "{message}"
    );
    let request = app.store.callback_request(&id).await.unwrap().unwrap();
    assert_eq!(
        (request.status, request.no_answer_attempts),
        (Status::Pending, 0)
    );

    let without = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&without, "1", "2", "2", None).await;
    let id = request_id_of(&without, &sid).await;
    let ben = add_staff(&without, "ben", Role::Supervisor, &[]).await;
    let (status, body) = ben
        .post(&without, &format!("/api/v1/callbacks/{id}/call"), json!({}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_configured"))
    );
}
