//! The abuse guard in the flow file: blocked numbers and callers over the hourly limit hear a
//! short message and the line hangs up, before any menu; nothing of theirs reaches a queue or
//! an operator; withheld numbers are never turned away.

use hotline::store::CallbackFilter;

use crate::support::helpers::{OPEN, Options, TestApp, shipped_flows, spawn_app};

const GUARD: &str = r#"
[abuse]
blocked = ["+12025550666"]
max_calls_per_hour = 2
message.en = "This line cannot take your call now. If you are in danger, hang up and dial 9 1 1."
message.es = "Esta línea no puede atender su llamada ahora. Si está en peligro, cuelgue y marque el 9 1 1."
"#;

async fn guarded_app() -> (tempfile::TempDir, TestApp) {
    let dir = tempfile::tempdir().expect("a folder");
    let text = std::fs::read_to_string(shipped_flows().join("victim_hotline.toml")).unwrap();
    std::fs::write(
        dir.path().join("victim_hotline.toml"),
        format!("{text}\n{GUARD}"),
    )
    .unwrap();
    let app = spawn_app(Options {
        flows: dir.path().into(),
        ..Options::at(OPEN)
    })
    .await;
    (dir, app)
}

#[tokio::test]
async fn a_blocked_number_hears_the_message_and_reaches_no_one() {
    let (_dir, app) = guarded_app().await;
    let mut call = app.call("+12025550666");
    call.start().await;
    assert!(call.heard().contains("cannot take your call") && call.heard().contains("no puede"));
    assert!(call.twiml().child("Hangup").is_some());
    assert!(call.twiml().child("Gather").is_none(), "no menu");
    let steps = app.store.steps(&call.sid).await.unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].outcome, "turned away: blocked number");
    assert_eq!(
        app.store.call(&call.sid).await.unwrap().unwrap().category,
        None
    );
    assert!(
        app.store
            .callback_requests(&CallbackFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_third_call_in_an_hour_is_turned_away_but_not_other_or_withheld_callers() {
    let (_dir, app) = guarded_app().await;
    for _ in 0..2 {
        let mut call = app.call("+12025550777");
        call.start().await;
        assert!(
            call.twiml().child("Gather").is_some(),
            "the first two calls are answered"
        );
    }
    let mut third = app.call("+12025550777");
    third.start().await;
    assert!(
        third.heard().contains("cannot take your call"),
        "{}",
        third.heard()
    );
    let mut retried = app.call("+12025550777");
    retried.sid = third.sid.clone();
    retried.start().await;
    assert!(
        retried.heard().contains("cannot take your call"),
        "a retry is not a fourth call"
    );

    let mut other = app.call("+12025550888");
    other.start().await;
    assert!(other.twiml().child("Gather").is_some());
    for _ in 0..3 {
        let mut withheld = app.call("+266696687");
        withheld.start().await;
        assert!(
            withheld.twiml().child("Gather").is_some(),
            "withheld callers are never limited"
        );
    }
}

#[test]
fn a_badly_written_guard_is_refused_at_its_line_with_a_fix() {
    let text = std::fs::read_to_string(shipped_flows().join("victim_hotline.toml")).unwrap();
    let broken = GUARD
        .replace("\"+12025550666\"", "\"202 555 0666\"")
        .replace("max_calls_per_hour = 2", "max_calls_per_hour = 0")
        .replace("message.es = ", "# message.es = ");
    let full = format!("{text}\n{broken}");
    let errors = hotline::catalog::load("victim_hotline", "victim_hotline.toml", &full)
        .expect_err("refused");
    let codes: Vec<&str> = errors.0.iter().map(|d| d.code).collect();
    assert!(
        codes.contains(&"bad-number") && codes.contains(&"bad-limit"),
        "{codes:?}"
    );
    let report = errors.to_string();
    assert!(
        report.contains("E.164") && report.contains("use 1 to 1000"),
        "{report}"
    );
    assert!(
        report.contains("es"),
        "the missing Spanish message is named: {report}"
    );
}
