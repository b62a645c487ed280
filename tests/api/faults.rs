//! The server killed with SIGKILL in the middle of many calls: every callback request a caller
//! heard confirmed is in the database after the restart, and a call in progress carries on with
//! the restarted server.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use hotline::store::CallbackFilter;
use hotline::store::open::connect;

use crate::support::helpers::{AFTER_HOURS, HOTLINE_NUMBER, shipped_flows};
use crate::support::server_process::{free_port, wait_until_ready};
use crate::support::xml::Element;

/// Callers placed at once; the server is killed when a tenth have heard "saved".
const CALLERS: usize = 200;

fn serve(url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--clock",
            AFTER_HOURS,
        ])
        .args(["--database-url", url])
        .arg("--flows")
        .arg(shipped_flows())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts")
}

/// One webhook; `None` when the server is gone.
async fn send(url: &str, sid: &str, extra: &[(&str, &str)]) -> Option<Element> {
    let mut form = vec![
        ("CallSid", sid),
        ("From", "+12025550123"),
        ("To", HOTLINE_NUMBER),
    ];
    form.extend_from_slice(extra);
    let response = crate::support::new_client()
        .post(url)
        .form(&form)
        .send()
        .await
        .ok()?;
    Some(Element::parse(&response.text().await.ok()?))
}

fn action(twiml: &Element, verb: &str) -> Option<String> {
    let element = twiml.find_all(verb).into_iter().next()?;
    element.attr("action").map(str::to_string)
}

/// The callback path up to the recording; `Some(sid)` if the caller heard it was saved.
async fn caller(
    base: String,
    sid: String,
    stop: Arc<AtomicBool>,
    heard: Arc<AtomicUsize>,
) -> Option<String> {
    let mut twiml = send(&format!("{base}/voice/incoming"), &sid, &[]).await?;
    for digits in ["1", "2", "1", "2", "4"] {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        twiml = send(&action(&twiml, "Gather")?, &sid, &[("Digits", digits)]).await?;
    }
    let recording = [
        ("RecordingUrl", "https://rec.example/R"),
        ("RecordingDuration", "4"),
    ];
    let last = send(&action(&twiml, "Record")?, &sid, &recording).await?;
    let saved = last.all_text().contains("saved");
    if saved {
        heard.fetch_add(1, Ordering::Relaxed);
    }
    saved.then_some(sid)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_confirmed_request_and_calls_carry_on_after_restart() {
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite:{}", dir.path().join("hotline.db").display());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(&url, port);
    wait_until_ready(&base).await;

    // A call that gets as far as the "safe to leave a message?" question before the kill.
    let mut paused = send(&format!("{base}/voice/incoming"), "CApaused", &[])
        .await
        .unwrap();
    for digits in ["1", "2", "1"] {
        paused = send(
            &action(&paused, "Gather").unwrap(),
            "CApaused",
            &[("Digits", digits)],
        )
        .await
        .unwrap();
    }

    let stop = Arc::new(AtomicBool::new(false));
    let heard = Arc::new(AtomicUsize::new(0));
    let mut callers = tokio::task::JoinSet::new();
    for i in 0..CALLERS {
        let (stop, heard) = (Arc::clone(&stop), Arc::clone(&heard));
        callers.spawn(caller(base.clone(), format!("CAkill{i:03}"), stop, heard));
    }
    // Kill once some callers have heard their request confirmed: the rest are mid-call.
    while heard.load(Ordering::Relaxed) < CALLERS / 10 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    server.kill().expect("SIGKILL");
    let _ = server.wait();
    stop.store(true, Ordering::Relaxed);
    let confirmed: Vec<String> = callers.join_all().await.into_iter().flatten().collect();

    let mut restarted = serve(&url, port);
    wait_until_ready(&base).await;
    let store = connect(&url).await.expect("the database opens");
    let saved: Vec<String> = store
        .callback_requests(&CallbackFilter::default())
        .await
        .expect("list")
        .into_iter()
        .map(|r| r.call_sid)
        .collect();
    for sid in &confirmed {
        assert!(
            saved.contains(sid),
            "{sid} heard 'saved' but its request is gone"
        );
    }

    let url_after = action(&paused, "Gather").expect("the paused call's next URL");
    let when = send(&url_after, "CApaused", &[("Digits", "2")])
        .await
        .expect("answered after restart");
    let next = send(
        &action(&when, "Gather").expect("asked when to call"),
        "CApaused",
        &[("Digits", "4")],
    )
    .await
    .expect("answered");
    let recording = [
        ("RecordingUrl", "https://rec.example/P"),
        ("RecordingDuration", "3"),
    ];
    let done = send(
        &action(&next, "Record").expect("asked for a message"),
        "CApaused",
        &recording,
    )
    .await;
    assert!(
        done.expect("answered").all_text().contains("saved"),
        "the paused call finished"
    );
    let _ = restarted.kill();
    let _ = restarted.wait();
    assert!(
        confirmed.len() < CALLERS,
        "the kill came in the middle of calls"
    );
    let stored = confirmed.len();
    eprintln!("{stored} of {CALLERS} callers heard 'saved' before the kill; all are stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_in_the_middle_of_calls_exits_cleanly_and_keeps_every_confirmed_request() {
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite:{}", dir.path().join("hotline.db").display());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(&url, port);
    wait_until_ready(&base).await;
    let stop = Arc::new(AtomicBool::new(false));
    let heard = Arc::new(AtomicUsize::new(0));
    let mut callers = tokio::task::JoinSet::new();
    for i in 0..CALLERS {
        let (stop, heard) = (Arc::clone(&stop), Arc::clone(&heard));
        callers.spawn(caller(base.clone(), format!("CAterm{i:03}"), stop, heard));
    }
    while heard.load(Ordering::Relaxed) < CALLERS / 10 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    assert!(term.expect("kill runs").success());
    let exited = tokio::task::spawn_blocking(move || server.wait())
        .await
        .unwrap()
        .expect("waited");
    assert!(
        exited.success(),
        "a graceful stop exits with status 0: {exited}"
    );
    stop.store(true, Ordering::Relaxed);
    let confirmed: Vec<String> = callers.join_all().await.into_iter().flatten().collect();

    let store = connect(&url).await.expect("the database opens");
    let saved: Vec<String> = store
        .callback_requests(&CallbackFilter::default())
        .await
        .expect("list")
        .into_iter()
        .map(|r| r.call_sid)
        .collect();
    for sid in &confirmed {
        assert!(
            saved.contains(sid),
            "{sid} heard 'saved' but its request is gone"
        );
    }
}
