//! Whatever fails inside the server, or however malformed a request is, the caller still gets
//! an answer: the spoken fallback for bad call state, a database that cannot save, a broken
//! step log or a slow answer, an apology that keeps a waiting caller's place, and never a 5xx.

use sqlx::Executor;

use crate::support::helpers::{
    AFTER_HOURS, CALLER, HOTLINE_NUMBER, OPEN, Options, on_every_backend_app, spawn_app,
};
use crate::support::xml::Element;

#[tokio::test]
async fn garbage_call_state_in_a_callback_url_gets_the_spoken_fallback_not_an_error() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            for query in [
                "",
                "?h=nope&n=x&l=en",
                "?h=victim_hotline&n=no_such_node&l=en&a=0&k=5",
                "?h=victim_hotline&n=main_menu&l=en&a=zz",
                // Signed, but not what this server writes: checked against the flow.
                "?h=victim_hotline&n=main_menu&l=en&a=0&k=5&c=no_such_category",
                "?h=victim_hotline&n=main_menu&l=xx&a=0&k=5",
                "?h=victim_hotline&n=callback_safe&l=en&a=0&k=5&cb=%3Cscript%3E",
                "?h=victim_hotline&n=main_menu&l=en&a=200&k=5",
            ] {
                let url = format!("{}/voice/gather{query}", app.base);
                let response = app
                    .post(
                        &url,
                        &[("CallSid", "CA4"), ("Digits", "1"), ("To", HOTLINE_NUMBER)],
                    )
                    .await;
                assert_eq!(response.status(), 200, "{query}");
                let root = Element::parse(&response.text().await.unwrap());
                let said = root
                    .find_all("Say")
                    .iter()
                    .map(|s| s.text.clone())
                    .collect::<String>();
                assert!(
                    said.contains("we are having a technical problem"),
                    "{query}: {said}"
                );
                assert_eq!(
                    root.child("Enqueue").map(|e| e.text.as_str()),
                    Some("general"),
                    "open hours: to an operator"
                );
            }
            let metrics = app.metrics().await;
            assert!(
                metrics.contains("hotline_fallbacks_total{kind=\"gather\"}"),
                "{metrics}"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn a_waiting_caller_whose_poll_fails_hears_the_apology_and_stays_in_line() {
    let app = spawn_app(Options::at(OPEN)).await;
    for hook in ["wait", "hold-choice"] {
        let url = format!("{}/voice/{hook}?h=nope&n=x&l=en", app.base);
        let params = [
            ("CallSid", "CA5"),
            ("Digits", "1"),
            ("QueuePosition", "2"),
            ("To", HOTLINE_NUMBER),
        ];
        let response = app.post(&url, &params).await;
        assert_eq!(response.status(), 200, "{hook}");
        let root = Element::parse(&response.text().await.unwrap());
        // Played inside the queue: only speech, so the provider keeps the caller in line.
        let names: Vec<&str> = root.children.iter().map(|c| c.name.as_str()).collect();
        assert!(!names.is_empty(), "{hook}: something is said");
        assert!(
            names.iter().all(|n| ["Say", "Play", "Pause"].contains(n)),
            "{hook}: {names:?}"
        );
    }
}

#[tokio::test]
async fn when_the_callback_request_cannot_be_saved_the_caller_is_not_told_it_was() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    for key in ["1", "5", "1", "2", "4"] {
        call.press(key).await;
    }
    app.raw_db()
        .await
        .execute("drop table callback_requests")
        .await
        .unwrap();
    call.record("https://api.example.com/rec/RE7", "3").await;
    let heard = call.heard();
    assert!(
        heard.contains("we are having a technical problem"),
        "{heard}"
    );
    assert!(
        heard.contains("If you are in danger, hang up and dial 9 1 1"),
        "{heard}"
    );
    assert!(!heard.contains("has been saved"), "{heard}");
    assert!(call.twiml().child("Hangup").is_some());
}

#[tokio::test]
async fn a_broken_step_log_does_not_interrupt_the_call() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    app.raw_db()
        .await
        .execute("drop table call_steps")
        .await
        .unwrap();
    call.press("1").await;
    call.press("2").await;
    assert_eq!(call.queue().as_deref(), Some("victim_assistance"));
}

#[tokio::test]
async fn a_webhook_slower_than_its_deadline_answers_the_fallback_in_time() {
    let app = spawn_app(Options {
        deadline: 0.5,
        ..Options::at(OPEN)
    })
    .await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("0").await;
    call.queue_result("leave", "30").await;
    call.press("1").await;
    call.press("1").await;
    // Another process holds the database's write lock, so saving the request stalls.
    let mut blocker = app.raw_db().await;
    blocker.execute("begin exclusive").await.unwrap();
    call.settle = false;
    let started = std::time::Instant::now();
    call.silence().await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "answered within the deadline"
    );
    assert!(
        call.heard().contains("we are having a technical problem"),
        "{}",
        call.heard()
    );
    assert_eq!(
        call.queue().as_deref(),
        Some("general"),
        "open hours: to an operator"
    );
    blocker.execute("rollback").await.unwrap();
}

/// A tiny deterministic generator: the same hostile requests on every run.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = (self.next() % max as u64) as usize;
        (0..len).map(|_| (self.next() % 256) as u8).collect()
    }
}

#[tokio::test]
async fn no_request_however_malformed_gets_a_server_error() {
    let app = spawn_app(Options {
        signed: false,
        ..Options::at(AFTER_HOURS)
    })
    .await;
    let paths = [
        "incoming",
        "gather",
        "no-input",
        "record",
        "no-recording",
        "queue-result",
        "wait",
        "dial-result",
        "continue",
        "status",
    ];
    let queries = [
        "",
        "?h=victim_hotline&n=main_menu&l=en&a=0&k=3",
        "?h=victim_hotline&n=collect_number&l=xx&a=200&k=4294967296",
        "?h=%FF&n=%00&l=",
        "?n=record_message&h=victim_hotline&l=es&pn=%2B1&cb=caller&q=1",
    ];
    let keys = [
        "CallSid",
        "Digits",
        "SpeechResult",
        "RecordingUrl",
        "RecordingDuration",
        "QueueResult",
        "QueueTime",
        "QueuePosition",
        "DialCallStatus",
        "CallStatus",
        "CallDuration",
        "SequenceNumber",
        "From",
        "To",
    ];
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    for i in 0..300 {
        let url = format!(
            "{}/voice/{}{}",
            app.base,
            noise.pick(&paths),
            noise.pick(&queries)
        );
        let mut form = form_urlencoded::Serializer::new(String::new());
        if i % 5 != 0 {
            form.append_pair("CallSid", &format!("CA{i}"));
        }
        for _ in 0..(noise.next() % 6) {
            let value = String::from_utf8_lossy(&noise.bytes(40)).into_owned();
            form.append_pair(noise.pick(&keys), &value);
        }
        let response = app
            .client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.finish())
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert!(status.as_u16() < 500, "{url} answered {status}");
        if status == 200 {
            Element::parse(&response.text().await.unwrap());
        }
    }
}
