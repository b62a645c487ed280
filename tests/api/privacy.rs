//! Callers' numbers, words and recordings never reach the logs: a real server process logging
//! at the most verbose level serves calls that give all three, and operators who work them, and
//! its whole output is searched for them; its database is searched for the words.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use hotline::operators::Role;
use hotline::operators::credentials::{digest, new_token};
use hotline::store::open::connect;
use hotline::store::{CallbackFilter, NewOperator};
use serde_json::json;

use crate::support::helpers::{HOTLINE_NUMBER, WEEKEND_MORNING, shipped_flows};
use crate::support::server_process::{free_port, wait_until_ready};
use crate::support::xml::Element;

const CALLER: &str = "+12025550987";
const ENTERED: &str = "3015550146";
const SPOKEN: &str = "my husband hurt me";
const WRONG_PIN: &str = "31415926";
const RECORDING: &str = "https://api.provider.example/Recordings/RE-secret-4242";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_speech_and_recordings_never_appear_in_the_most_verbose_logs() {
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite:{}", dir.path().join("hotline.db").display());
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--clock",
            WEEKEND_MORNING,
        ])
        .args(["--database-url", &url])
        .arg("--flows")
        .arg(shipped_flows())
        .env("RUST_LOG", "trace")
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let logs = Arc::new(Mutex::new(String::new()));
    for pipe in [drain(child.stderr.take()), drain(child.stdout.take())] {
        let (logs, mut pipe) = (Arc::clone(&logs), pipe);
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            logs.lock().expect("the log buffer").push_str(&text);
        });
    }
    let base = format!("http://127.0.0.1:{port}");
    wait_until_ready(&base).await;

    leave_request_with_entered_number(&base).await;
    speak_at_the_menu(&base).await;
    guess_pins(&base).await;
    work_the_request(&base, &url).await;

    let _ = child.kill();
    let _ = child.wait();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let logs = logs.lock().expect("the log buffer").clone();
    assert!(
        logs.contains("CAprivacy1") && logs.contains("CAprivacy2"),
        "the calls themselves are logged, by their ids"
    );
    assert!(
        logs.lines().count() > 50,
        "the server logged at trace level: {logs}"
    );
    for secret in [
        "2025550987",
        "5550987",
        ENTERED,
        "301-555",
        SPOKEN,
        "hurt me",
        "RE-secret-4242",
        WRONG_PIN,
    ] {
        let hits: Vec<&str> = logs
            .lines()
            .filter(|l| l.contains(secret))
            .take(3)
            .collect();
        assert!(hits.is_empty(), "`{secret}` is in the logs: {hits:#?}");
    }
    // The flow does not keep speech, so the database (its WAL too) holds none of the words.
    let stored = crate::speech::database_text(dir.path());
    for secret in [SPOKEN, "hurt me", "husband"] {
        assert!(!stored.contains(secret), "`{secret}` is in the database");
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> Box<dyn Read + Send> {
    match pipe {
        Some(p) => Box::new(p),
        None => Box::new(std::io::empty()),
    }
}

async fn send(url: &str, sid: &str, extra: &[(&str, &str)]) -> Element {
    let mut form = vec![("CallSid", sid), ("From", CALLER), ("To", HOTLINE_NUMBER)];
    form.extend_from_slice(extra);
    let response = crate::support::new_client()
        .post(url)
        .form(&form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    Element::parse(&response.text().await.expect("a body"))
}

fn action(twiml: &Element, verb: &str) -> String {
    let element = twiml
        .find_all(verb)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {verb}: {twiml:?}"));
    element.attr("action").expect("an action").to_string()
}

/// After hours: victim assistance, another number typed and confirmed, not safe, a message.
async fn leave_request_with_entered_number(base: &str) {
    let sid = "CAprivacy1";
    let mut twiml = send(&format!("{base}/voice/incoming"), sid, &[]).await;
    for digits in ["1", "2", "2", ENTERED, "1", "2", "4"] {
        twiml = send(&action(&twiml, "Gather"), sid, &[("Digits", digits)]).await;
    }
    let record = [
        ("RecordingUrl", RECORDING),
        ("RecordingDuration", "9"),
        ("Digits", "#"),
    ];
    let saved = send(&action(&twiml, "Record"), sid, &record).await;
    assert!(saved.all_text().contains("saved"), "{saved:?}");
    let status = [
        ("CallSid", sid),
        ("From", CALLER),
        ("CallStatus", "completed"),
        ("CallDuration", "80"),
        ("SequenceNumber", "3"),
    ];
    let url = format!("{base}/voice/status");
    let ended = crate::support::new_client()
        .post(url)
        .form(&status)
        .send()
        .await
        .expect("sent");
    assert_eq!(ended.status(), 204);
}

/// Words not understood at the language menu, then words that choose at the main menu.
async fn speak_at_the_menu(base: &str) {
    let sid = "CAprivacy2";
    let mut twiml = send(&format!("{base}/voice/incoming"), sid, &[]).await;
    let spoken = [("SpeechResult", SPOKEN), ("Confidence", "0.9")];
    twiml = send(&action(&twiml, "Gather"), sid, &spoken).await;
    twiml = send(&action(&twiml, "Gather"), sid, &[("Digits", "1")]).await;
    let chosen = format!("a specialist please, {SPOKEN}");
    let spoken = [("SpeechResult", chosen.as_str()), ("Confidence", "0.9")];
    let queued = send(&action(&twiml, "Gather"), sid, &spoken).await;
    assert!(
        queued.all_text().contains("victim_assistance"),
        "the words chose: {queued:?}"
    );
}

/// A wrong PIN on the operator line, until the calling number is locked: the warnings
/// supervisors get name the number masked, and never the PIN.
async fn guess_pins(base: &str) {
    let url = format!("{base}/voice/operator/pin?pa=0");
    for _ in 0..5 {
        let twiml = send(&url, "CAprivacy3", &[("Digits", WRONG_PIN)]).await;
        assert!(!twiml.find_all("Say").is_empty(), "{twiml:?}");
    }
    let locked = send(&url, "CAprivacy3", &[("Digits", WRONG_PIN)]).await;
    assert!(
        locked.all_text().contains("cannot take a PIN"),
        "{locked:?}"
    );
}

/// An operator views the request, plays its message and completes it through the API.
async fn work_the_request(base: &str, url: &str) {
    let store = connect(url).await.expect("the database opens");
    let new = NewOperator {
        name: "ana".into(),
        role: Role::Supervisor,
        categories: vec![],
        at: 0,
    };
    let ana = store.add_operator(&new).await.expect("added");
    let token = new_token("hl_").expect("a token");
    store
        .add_token(&ana.id, &digest(&token), "privacy", 0)
        .await
        .expect("stored");
    let id = store
        .callback_requests(&CallbackFilter::default())
        .await
        .expect("list")[0]
        .id
        .clone();
    let client = crate::support::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let api = |path: String| format!("{base}/api/v1/callbacks/{id}{path}");
    let detail = client
        .get(api(String::new()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(
        detail.text().await.unwrap().contains(ENTERED),
        "the operator sees the number"
    );
    client
        .get(api("/recording".into()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    client
        .post(api("/claim".into()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let done = client
        .post(api("/complete".into()))
        .bearer_auth(&token)
        .json(&json!({"outcome": "reached"}));
    assert!(done.send().await.unwrap().status().is_success());
}
