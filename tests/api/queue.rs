//! Waiting in a live queue: the place in line, the estimated wait, and the offer to leave the
//! queue for a callback once a caller has waited their category's `max_hold_minutes`.

use hotline::catalog::load;
use hotline::engine::{self, CallContext, CallState, Effect, Event, Hold, Links, Outcome};
use hotline::flow::Flow;

use crate::support::helpers::{CALLER, OPEN, Options, shipped_flows, spawn_app};
use crate::support::xml::Element;

/// The reference flow's limit: 5 minutes.
const LIMIT_SECONDS: u32 = 5 * 60;

const OFFER_EN: &str = "If you would rather be called back, press 1.";

/// The verbs the provider accepts in a document played to a waiting caller.
const WAIT_VERBS: &[&str] = &[
    "Play", "Say", "Pause", "Hangup", "Redirect", "Leave", "Gather",
];

fn assert_fit_for_waiting(doc: &Element) {
    for verb in &doc.children {
        assert!(WAIT_VERBS.contains(&verb.name.as_str()), "{doc:?}");
    }
}

fn said(doc: &Element) -> Vec<String> {
    doc.find_all("Say")
        .iter()
        .map(|s| s.text.trim().to_string())
        .collect()
}

#[tokio::test]
async fn a_caller_past_the_limit_hears_the_offer_and_its_key_leaves_the_queue() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    assert_eq!(call.queue().as_deref(), Some("victim_assistance"));

    let poll = call.hold_with(2, LIMIT_SECONDS + 20).await;
    assert_fit_for_waiting(&poll);
    let says = said(&poll);
    assert!(says[0].contains("You are number 2 in line"), "{says:?}");
    let gather = poll.child("Gather").expect("the offer can be answered");
    assert_eq!(gather.attr("numDigits"), Some("1"));
    assert!(gather.all_text().contains(OFFER_EN), "{gather:?}");
    assert!(
        gather.child("Pause").is_some(),
        "the hold silence is inside the offer, so a key can interrupt it"
    );

    let answer = call.hold_choice("1").await;
    let verbs: Vec<&str> = answer.children.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(verbs, ["Leave"]);
    let steps = app.store.steps(&call.sid).await.unwrap();
    let chose = steps
        .iter()
        .find(|s| s.outcome == "left the queue for a callback")
        .expect("the choice is recorded");
    assert_eq!(chose.input.as_deref(), Some("1"));
}

#[tokio::test]
async fn a_caller_who_left_for_a_callback_answers_the_callback_questions_and_is_saved() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    call.hold_with(3, LIMIT_SECONDS + 10).await;
    call.hold_choice("1").await;

    call.queue_result("leave", "330").await;
    let heard = call.heard();
    assert!(heard.contains("We can call you back"), "{heard}");
    assert!(
        !heard.contains("no one can take your call"),
        "a caller who chose a callback is not told nobody could answer: {heard}"
    );
    call.press("1").await; // this number
    call.press("1").await; // a message is safe
    call.record("https://api.example.com/rec/RE7", "6").await;
    let heard = call.heard();
    assert!(heard.contains("Your request has been saved"), "{heard}");

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
        (request.category.as_str(), request.phone_number.as_str()),
        ("victim_assistance", CALLER)
    );
    let entry = &app.store.queue_entries(&call.sid).await.unwrap()[0];
    assert_eq!(
        (entry.result.as_deref(), entry.wait_seconds),
        (Some("leave"), Some(330))
    );
    let steps = app.store.steps(&call.sid).await.unwrap();
    let outcomes: Vec<&str> = steps.iter().map(|s| s.outcome.as_str()).collect();
    let chose = outcomes
        .iter()
        .position(|o| *o == "left the queue for a callback");
    let left = outcomes.iter().position(|o| *o == "left queue: leave");
    assert!(
        chose.is_some() && chose < left,
        "both steps are kept, in order: {outcomes:?}"
    );
}

#[tokio::test]
async fn a_caller_under_the_limit_hears_no_offer() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("0").await;
    let poll = call.hold_with(1, LIMIT_SECONDS - 1).await;
    assert_fit_for_waiting(&poll);
    assert!(poll.child("Gather").is_none(), "{poll:?}");
    assert!(!poll.all_text().contains("called back"), "{poll:?}");
    assert!(poll.child("Pause").is_some());
    let poll = call.hold_with(1, LIMIT_SECONDS).await;
    assert!(
        poll.child("Gather").is_some(),
        "the offer starts at the limit"
    );
}

#[tokio::test]
async fn another_key_during_the_offer_keeps_the_caller_in_line() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("2").await;
    call.press("3").await;
    let poll = call.hold_with(4, 600).await;
    assert!(
        poll.all_text()
            .contains("Si prefiere que le devolvamos la llamada, oprima 1."),
        "the offer is in the caller's language: {poll:?}"
    );
    let answer = call.hold_choice("5").await;
    assert_fit_for_waiting(&answer);
    assert!(answer.child("Leave").is_none(), "{answer:?}");
    assert!(answer.child("Pause").is_some(), "{answer:?}");

    call.queue_result("bridged", "700").await;
    assert!(call.twiml().child("Hangup").is_some());
    let steps = app.store.steps(&call.sid).await.unwrap();
    assert!(
        steps.iter().all(|s| !s.outcome.contains("callback")),
        "{steps:?}"
    );
    let entry = &app.store.queue_entries(&call.sid).await.unwrap()[0];
    assert_eq!(entry.result.as_deref(), Some("bridged"));
}

// The engine on its own: the estimate is not fed over HTTP yet.

fn flow() -> Flow {
    let text = std::fs::read_to_string(shipped_flows().join("victim_hotline.toml")).unwrap();
    load("victim_hotline", "victim_hotline.toml", &text).expect("valid flow")
}

fn ctx(links: &Links) -> CallContext<'_> {
    CallContext {
        caller: Some(CALLER),
        now: OPEN.parse().unwrap(),
        links,
        staffed: None,
    }
}

/// A caller who chose `keys` and is now waiting in a queue.
fn queued(flow: &Flow, links: &Links, keys: &[&str]) -> CallState {
    let start = CallState::new(&flow.id, &flow.start, "en");
    let mut outcome = engine::step(flow, &start, Event::Start, &ctx(links));
    for key in keys {
        let event = Event::Digits(key.to_string());
        outcome = engine::step(flow, &outcome.state.clone(), event, &ctx(links));
    }
    assert!(outcome.state.queue_seq.is_some(), "the caller is queued");
    outcome.state
}

fn poll(flow: &Flow, state: &CallState, hold: Hold) -> (Outcome, Element) {
    let links = Links::new("https://hotline.example.org");
    let outcome = engine::hold(flow, state, hold, &ctx(&links));
    let doc = Element::parse(&outcome.response.render());
    (outcome, doc)
}

#[test]
fn the_estimate_follows_the_position_in_whole_minutes() {
    let flow = flow();
    let links = Links::new("https://hotline.example.org");
    let state = queued(&flow, &links, &["1", "5"]);
    let hold = Hold {
        position: Some(4),
        wait_seconds: Some(30),
        estimate_seconds: Some(130),
    };
    let (_, doc) = poll(&flow, &state, hold);
    let says = said(&doc);
    assert!(says[0].contains("You are number 4 in line"), "{says:?}");
    assert_eq!(says[1], "Your estimated wait, in minutes, is about 3.");
    assert_eq!(says.len(), 2, "no offer before the limit: {says:?}");

    let unknown = Hold {
        estimate_seconds: None,
        ..hold
    };
    let (_, doc) = poll(&flow, &state, unknown);
    assert_eq!(said(&doc).len(), 1, "no estimate is said without one");
}

#[test]
fn leaving_for_a_callback_records_the_choice_and_the_exit_under_their_own_steps() {
    let flow = flow();
    let links = Links::new("https://hotline.example.org");
    let state = queued(&flow, &links, &["1", "4"]);
    let choice = engine::step(&flow, &state, Event::HoldChoice("1".into()), &ctx(&links));
    let exit = engine::step(
        &flow,
        &state,
        Event::QueueResult {
            result: "leave".into(),
            wait_seconds: Some(320),
        },
        &ctx(&links),
    );
    let step_seqs = |outcome: &Outcome| -> Vec<u32> {
        outcome
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::Step { seq, .. } => Some(*seq),
                _ => None,
            })
            .collect()
    };
    assert_eq!(step_seqs(&choice), [state.seq]);
    assert_eq!(step_seqs(&exit)[0], state.seq + 1);
    assert!(exit.effects.iter().any(|e| matches!(
        e,
        Effect::QueueLeft { result, .. } if result == "leave"
    )));
    assert_eq!(exit.state.node, "callback_offer");
}

#[test]
fn callers_in_the_fallback_queue_are_never_offered_to_leave_it() {
    let flow = flow();
    let links = Links::new("https://hotline.example.org");
    let state = queued(&flow, &links, &["1", "2"]);
    let response = engine::fallback(&flow, Some(&state), &ctx(&links), true);
    let doc = Element::parse(&response.render());
    let wait_url = doc
        .child("Enqueue")
        .and_then(|e| e.attr("waitUrl"))
        .expect("the fallback queues the caller while open");
    let query = wait_url.split_once('?').map_or("", |(_, q)| q);
    let fallback_state =
        CallState::from_query(query, &hotline::engine::StateSeal::for_tools()).unwrap();
    let hold = Hold {
        position: Some(1),
        wait_seconds: Some(3600),
        estimate_seconds: None,
    };
    let (outcome, doc) = poll(&flow, &fallback_state, hold);
    assert!(doc.child("Gather").is_none(), "{doc:?}");
    assert!(outcome.effects.is_empty(), "no queue entry to update");
}

#[test]
fn snapshot_of_a_hold_poll_past_the_limit() {
    let flow = flow();
    let links = Links::new("https://hotline.example.org");
    let state = queued(&flow, &links, &["1", "2"]);
    let hold = Hold {
        position: Some(2),
        wait_seconds: Some(LIMIT_SECONDS + 60),
        estimate_seconds: Some(200),
    };
    let (outcome, _) = poll(&flow, &state, hold);
    insta::assert_snapshot!(outcome.response.render().replace("><", ">\n<"));
}
