//! Webhooks built to mislead: repeated parameters whose order the signature does not cover,
//! signatures made for another port, and a server behind a proxy whose public address differs
//! from its socket, with forwarding headers an attacker added.

use hotline::http::signature::expected_signature;
use reqwest::{RequestBuilder, Response, StatusCode};

use crate::support::helpers::{
    AFTER_HOURS, CALLER, HOTLINE_NUMBER, OPEN, Options, TestApp, spawn_app,
};
use crate::support::xml::Element;

/// The address the provider is given when the server sits behind a TLS-terminating proxy.
const PUBLIC: &str = "https://hotline.example.org";

fn owned(params: &[(&str, &str)]) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A POST to `socket_url` carrying `params` in this order, signed as the provider would sign
/// it had it requested `signed_url`.
fn signed_post(
    app: &TestApp,
    socket_url: &str,
    signed_url: &str,
    params: &[(&str, &str)],
) -> RequestBuilder {
    let params = owned(params);
    let token = app.token.as_ref().expect("the server checks signatures");
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&params)
        .finish();
    app.client
        .post(socket_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header(
            "X-Twilio-Signature",
            expected_signature(token, signed_url, &params),
        )
        .body(body)
}

async fn send(request: RequestBuilder) -> (StatusCode, String) {
    let response: Response = request.send().await.expect("request sent");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

fn gather_action(root: &Element) -> String {
    let gather = root.child("Gather").expect("a gather");
    gather.attr("action").expect("an action").to_string()
}

fn said(root: &Element) -> String {
    root.find_all("Say")
        .iter()
        .map(|s| s.text.as_str())
        .collect()
}

#[tokio::test]
async fn a_parameter_the_server_reads_repeated_with_different_values_is_refused() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let incoming = format!("{}/voice/incoming", app.base);
    let two_calls = [("CallSid", "CA1"), ("CallSid", "CA2"), ("From", CALLER)];
    let (status, why) = send(signed_post(&app, &incoming, &incoming, &two_calls)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{why}");
    assert!(why.contains("CallSid"), "{why}");
    for sid in ["CA1", "CA2"] {
        assert_eq!(app.store.call(sid).await.unwrap(), None, "{sid}");
    }

    let mut call = app.call(CALLER);
    let gather = gather_action(call.start().await);
    let steps = app.store.steps(&call.sid).await.unwrap();
    let token = app.token.as_ref().unwrap();
    let one_then_two = owned(&[("CallSid", &call.sid), ("Digits", "1"), ("Digits", "2")]);
    let two_then_one = owned(&[("CallSid", &call.sid), ("Digits", "2"), ("Digits", "1")]);
    assert_eq!(
        expected_signature(token, &gather, &one_then_two),
        expected_signature(token, &gather, &two_then_one),
        "anyone holding one could send the other"
    );
    for (name, first, second) in [
        ("Digits", "1", "2"),
        ("From", CALLER, "+12025550199"),
        ("SpeechResult", "help", "hang up"),
        (
            "RecordingUrl",
            "https://rec.example/1",
            "https://rec.example/2",
        ),
        ("QueueResult", "bridged", "hangup"),
    ] {
        let params = [
            ("CallSid", call.sid.as_str()),
            (name, first),
            (name, second),
        ];
        let (status, why) = send(signed_post(&app, &gather, &gather, &params)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {why}");
        assert!(why.contains(name), "{name}: {why}");
    }
    let status_url = format!("{}/voice/status", app.base);
    let ended_or_not = [
        ("CallSid", call.sid.as_str()),
        ("CallStatus", "completed"),
        ("CallStatus", "ringing"),
    ];
    let (status, why) = send(signed_post(&app, &status_url, &status_url, &ended_or_not)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{why}");
    assert!(why.contains("CallStatus"), "{why}");
    assert_eq!(
        app.store.steps(&call.sid).await.unwrap(),
        steps,
        "no step recorded"
    );
    let record = app.store.call(&call.sid).await.unwrap().unwrap();
    assert_eq!(record.status, "in-progress", "the call did not end");
}

#[tokio::test]
async fn a_value_repeated_identically_or_a_parameter_the_server_ignores_is_accepted() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = app.call(CALLER);
    let gather = gather_action(call.start().await);
    let params = [
        ("CallSid", call.sid.as_str()),
        ("From", CALLER),
        ("To", HOTLINE_NUMBER),
        ("Digits", "2"),
        ("Digits", "2"),
        ("StirVerstat", "TN-Validation-Passed-A"),
        ("StirVerstat", "TN-Validation-Passed-B"),
    ];
    let (status, twiml) = send(signed_post(&app, &gather, &gather, &params)).await;
    assert_eq!(status, StatusCode::OK, "{twiml}");
    let repeated = said(&Element::parse(&twiml));
    let once = said(call.press("2").await);
    assert_eq!(repeated, once, "the same answer as a single 2");
    assert!(once.contains("oprima"), "Spanish was chosen: {once}");
}

#[tokio::test]
async fn a_signature_for_the_same_host_on_another_port_is_refused() {
    let app = spawn_app(Options::at(OPEN)).await;
    let url = format!("{}/voice/incoming", app.base);
    let port: u16 = app.base.rsplit(':').next().unwrap().parse().unwrap();
    let params = [("CallSid", "CA7"), ("From", CALLER), ("To", HOTLINE_NUMBER)];
    for other in [port.wrapping_add(1), 8080, 443] {
        let elsewhere = format!("http://127.0.0.1:{other}/voice/incoming");
        let (status, _) = send(signed_post(&app, &url, &elsewhere, &params)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "signed for port {other}");
    }
    // Over HTTP the provider signs the port it calls: a signature without it is for port 80.
    let portless = "http://127.0.0.1/voice/incoming";
    let (status, _) = send(signed_post(&app, &url, portless, &params)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "signed without the port");
    let localhost = format!("http://localhost:{port}/voice/incoming");
    let (status, _) = send(signed_post(&app, &url, &localhost, &params)).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "signed for another host name"
    );
    let https = format!("https://127.0.0.1:{port}/voice/incoming");
    let (status, _) = send(signed_post(&app, &url, &https, &params)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "signed for another scheme");
    assert_eq!(app.store.call("CA7").await.unwrap(), None);

    let (status, _) = send(signed_post(&app, &url, &url, &params)).await;
    assert_eq!(status, StatusCode::OK, "signed for this very port");
}

#[tokio::test]
async fn behind_a_proxy_only_the_public_address_counts_whatever_the_headers_say() {
    let app = spawn_app(Options {
        public_url: Some(PUBLIC),
        ..Options::at(AFTER_HOURS)
    })
    .await;
    let socket = format!("{}/voice/incoming", app.base);
    let public = format!("{PUBLIC}/voice/incoming");
    let call = |sid: &'static str| [("CallSid", sid), ("From", CALLER), ("To", HOTLINE_NUMBER)];
    let internal = send(signed_post(&app, &socket, &socket, &call("CA10"))).await;
    assert_eq!(internal.0, StatusCode::FORBIDDEN, "signed for the socket");

    let forwarded = [
        ("Host", "attacker.example"),
        ("X-Forwarded-Proto", "http"),
        ("X-Forwarded-Host", "attacker.example"),
        ("X-Forwarded-Port", "80"),
        ("Forwarded", "proto=http;host=attacker.example"),
    ];
    let with_headers = |request: RequestBuilder| {
        forwarded
            .iter()
            .fold(request, |r, (name, value)| r.header(*name, *value))
    };
    let attacker = "http://attacker.example/voice/incoming";
    let misled = send(with_headers(signed_post(
        &app,
        &socket,
        attacker,
        &call("CA11"),
    )))
    .await;
    assert_eq!(misled.0, StatusCode::FORBIDDEN, "the headers name the URL");
    app.store.flush().await.unwrap();
    for sid in ["CA10", "CA11"] {
        assert_eq!(app.store.call(sid).await.unwrap(), None, "{sid}");
    }

    for (sid, signed_for) in [
        ("CA12", public.clone()),
        ("CA13", format!("{PUBLIC}:443/voice/incoming")),
    ] {
        let (status, twiml) = send(with_headers(signed_post(
            &app,
            &socket,
            &signed_for,
            &call(sid),
        )))
        .await;
        assert_eq!(status, StatusCode::OK, "signed for {signed_for}: {twiml}");
        app.store.flush().await.unwrap();
        assert!(app.store.call(sid).await.unwrap().is_some(), "{sid}");
    }
    let on_8443 = format!("{PUBLIC}:8443/voice/incoming");
    let (status, _) = send(signed_post(&app, &socket, &on_8443, &call("CA14"))).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the public host on another port"
    );

    let (_, twiml) = send(signed_post(&app, &socket, &public, &call("CA15"))).await;
    let root = Element::parse(&twiml);
    let action = gather_action(&root);
    assert!(
        action.starts_with(&format!("{PUBLIC}/voice/gather?")),
        "{action}"
    );
    let redirect = root.child("Redirect").expect("a redirect").text.trim();
    assert!(redirect.starts_with(PUBLIC), "{redirect}");
    let path = action.strip_prefix(PUBLIC).unwrap();
    let press = [("CallSid", "CA15"), ("Digits", "1")];
    let socket_gather = format!("{}{path}", app.base);
    let (status, next) = send(signed_post(&app, &socket_gather, &action, &press)).await;
    assert_eq!(status, StatusCode::OK, "{next}");
    let next = Element::parse(&next);
    assert!(gather_action(&next).starts_with(PUBLIC), "{next:?}");
    assert!(
        said(&next).contains("press"),
        "the menu in English: {next:?}"
    );
}

#[tokio::test]
async fn huge_digits_and_control_characters_are_bounded_before_they_are_recorded() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press(&"7".repeat(5000)).await;
    call.press("\u{0}\u{1b}[2J9").await;
    let gather = gather_action(call.twiml());
    let speech = [("SpeechResult", "help\u{0}\u{7}\u{1b}[31m me")];
    call.send(&gather, &speech).await;
    let steps = app.store.steps(&call.sid).await.unwrap();
    let inputs: Vec<&str> = steps.iter().filter_map(|s| s.input.as_deref()).collect();
    assert!(inputs.len() >= 3, "each press is recorded: {inputs:?}");
    for input in &inputs {
        assert!(input.len() <= 32, "cut short: {input:?}");
        assert!(!input.chars().any(char::is_control), "{input:?}");
    }
}
