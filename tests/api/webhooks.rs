//! The webhook contract: signatures, malformed requests, retries, GET callbacks, and the health
//! and metrics endpoints. What the caller hears when something fails is in `fallbacks.rs`.

use hotline::http::signature::expected_signature;

use crate::support::helpers::{AFTER_HOURS, CALLER, HOTLINE_NUMBER, OPEN, Options, spawn_app};
use crate::support::xml::Element;

fn incoming_params(sid: &str) -> Vec<(String, String)> {
    [
        ("CallSid", sid),
        ("From", CALLER),
        ("To", HOTLINE_NUMBER),
        ("CallStatus", "ringing"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test]
async fn unsigned_and_wrongly_signed_webhooks_are_refused_with_403() {
    let app = spawn_app(Options::at(OPEN)).await;
    let url = format!("{}/voice/incoming", app.base);
    let params = incoming_params("CA1");
    let unsigned = app.client.post(&url).form(&params).send().await.unwrap();
    assert_eq!(unsigned.status(), 403);

    let token = app.token.as_ref().unwrap();
    let mut tampered = params.clone();
    tampered[1].1 = "+19995550000".into();
    let signature = expected_signature(token, &url, &params);
    let forged = app
        .client
        .post(&url)
        .header("X-Twilio-Signature", &signature)
        .form(&tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "a signature for other parameters");

    let other_host = expected_signature(token, "https://evil.example.com/voice/incoming", &params);
    let moved = app
        .client
        .post(&url)
        .header("X-Twilio-Signature", other_host)
        .form(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 403, "a signature for another host");

    let good = app
        .client
        .post(&url)
        .header("X-Twilio-Signature", signature)
        .form(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), 200);
    app.store.flush().await.unwrap();
    assert!(
        app.store
            .call("CA1")
            .await
            .unwrap()
            .is_some_and(|c| c.status == "in-progress")
    );
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("hotline_signature_failures_total"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_refused_webhook_records_nothing() {
    let app = spawn_app(Options::at(OPEN)).await;
    let url = format!("{}/voice/incoming", app.base);
    let response = app
        .client
        .post(&url)
        .header("X-Twilio-Signature", "AAAA")
        .form(&incoming_params("CA2"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(app.store.call("CA2").await.unwrap(), None);
}

#[tokio::test]
async fn get_webhooks_are_signed_over_the_full_url_and_work() {
    let app = spawn_app(Options::at(OPEN)).await;
    let url = format!(
        "{}/voice/incoming?CallSid=CA3&From=%2B12025550123&To=%2B18005550100",
        app.base
    );
    let signature = expected_signature(app.token.as_ref().unwrap(), &url, &[]);
    let response = app
        .client
        .get(&url)
        .header("X-Twilio-Signature", signature)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let root = Element::parse(&response.text().await.unwrap());
    assert!(root.child("Gather").is_some());
    app.store.flush().await.unwrap();
    let stored = app.store.call("CA3").await.unwrap().expect("call recorded");
    assert_eq!(stored.from_number.as_deref(), Some(CALLER));
}

#[tokio::test]
async fn malformed_requests_get_a_4xx_with_a_reason() {
    let app = spawn_app(Options {
        signed: false,
        ..Options::at(OPEN)
    })
    .await;
    let url = format!("{}/voice/incoming", app.base);
    let no_sid = app
        .client
        .post(&url)
        .form(&[("From", CALLER)])
        .send()
        .await
        .unwrap();
    assert_eq!(no_sid.status(), 400);
    assert!(no_sid.text().await.unwrap().contains("CallSid"));

    let json = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"CallSid\":\"CA1\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 400);

    let latin1 = app
        .client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"CallSid=CA1&From=\xff\xfe".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(latin1.status(), 400);

    let bad_sid = app
        .client
        .post(&url)
        .form(&[("CallSid", "<script>")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad_sid.status(), 400);

    let huge = "x".repeat(100 * 1024);
    let too_big = app
        .client
        .post(&url)
        .form(&[("CallSid", "CA1"), ("Junk", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), 413);
}

#[tokio::test]
async fn huge_digits_and_control_characters_in_speech_are_handled() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    let digits = "7".repeat(5000);
    call.press(&digits).await;
    assert!(
        call.heard()
            .starts_with("Sorry, that is not one of the options."),
        "{}",
        call.heard()
    );
    let url = call
        .twiml()
        .child("Gather")
        .unwrap()
        .attr("action")
        .unwrap()
        .to_string();
    call.send(&url, &[("SpeechResult", "help\u{0}\u{7} me")])
        .await;
    assert!(call.twiml().child("Gather").is_some());
}

#[tokio::test]
async fn a_retried_webhook_does_not_duplicate_rows() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    call.press("1").await;
    call.press("1").await;
    let record_url = call.twiml().find_all("Record")[0]
        .attr("action")
        .unwrap()
        .to_string();
    let steps_before = app.store.steps(&call.sid).await.unwrap().len();
    let extra = [
        ("RecordingUrl", "https://api.example.com/rec/RE9"),
        ("RecordingDuration", "4"),
    ];
    let first = call.send(&record_url, &extra).await.clone();
    let second = call.send(&record_url, &extra).await.clone();
    assert_eq!(
        format!("{first:?}"),
        format!("{second:?}"),
        "a retry gets the same answer"
    );
    let requests = app
        .store
        .callback_requests(&Default::default())
        .await
        .unwrap();
    assert_eq!(requests.len(), 1);
    let steps = app.store.steps(&call.sid).await.unwrap();
    let seqs: std::collections::BTreeSet<i64> = steps.iter().map(|s| s.seq).collect();
    assert_eq!(seqs.len(), steps.len(), "step numbers are unique");
    assert!(steps.len() > steps_before);
    let again = app.store.steps(&call.sid).await.unwrap();
    assert_eq!(again.len(), steps.len());
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    let health = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(
        (body["flows"].as_u64(), body["database"].as_str()),
        (Some(1), Some("ok"))
    );
    let metrics = app.metrics().await;
    assert!(
        metrics
            .contains("hotline_webhook_duration_seconds_bucket{kind=\"incoming\",outcome=\"ok\""),
        "{metrics}"
    );
    assert!(
        metrics.contains("hotline_calls_total{hotline=\"victim_hotline\"}"),
        "{metrics}"
    );
    assert!(
        !metrics.contains(&call.sid) && !metrics.contains("2025550123"),
        "no call ids or numbers in labels"
    );
}
