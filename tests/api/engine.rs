//! The engine on its own, without HTTP: snapshots of what callers hear at key steps, and a
//! property test that random callers never reach a dead end.

use hotline::catalog::load;
use hotline::engine::{self, CallContext, CallState, Event, Links, Outcome};
use hotline::flow::Flow;
use hotline::twiml::Verb;
use proptest::prelude::*;

use crate::support::helpers::{AFTER_HOURS, CALLER, HOLIDAY, OPEN, shipped_flows};
use crate::support::xml::Element;

const BASE: &str = "https://hotline.example.org";

fn flow() -> Flow {
    let text = std::fs::read_to_string(shipped_flows().join("victim_hotline.toml")).unwrap();
    load("victim_hotline", "victim_hotline.toml", &text).expect("valid flow")
}

fn at(flow: &Flow, clock: &str, state: &CallState, event: Event) -> Outcome {
    let links = Links::new(BASE);
    let ctx = CallContext {
        caller: Some(CALLER),
        now: clock.parse().unwrap(),
        links: &links,
        staffed: None,
    };
    engine::step(flow, state, event, &ctx)
}

/// One verb per line, so snapshot diffs show what changed for callers.
fn readable(outcome: &Outcome) -> String {
    outcome.response.render().replace("><", ">\n<")
}

/// Plays keys from the start of a call, returning the last outcome.
fn play(flow: &Flow, clock: &str, keys: &[&str]) -> Outcome {
    let start = CallState::new(&flow.id, &flow.start, "en");
    let mut outcome = at(flow, clock, &start, Event::Start);
    for key in keys {
        outcome = at(
            flow,
            clock,
            &outcome.state.clone(),
            Event::Digits(key.to_string()),
        );
    }
    outcome
}

#[test]
fn snapshot_of_the_greeting() {
    insta::assert_snapshot!(readable(&play(&flow(), OPEN, &[])));
}

#[test]
fn snapshot_of_the_spanish_main_menu() {
    insta::assert_snapshot!(readable(&play(&flow(), OPEN, &["2"])));
}

#[test]
fn snapshot_of_an_open_category_queue() {
    insta::assert_snapshot!(readable(&play(&flow(), OPEN, &["1", "2"])));
}

#[test]
fn snapshot_of_a_closed_category_offering_a_callback() {
    insta::assert_snapshot!(readable(&play(&flow(), AFTER_HOURS, &["1", "2"])));
}

#[test]
fn snapshot_of_the_number_read_back() {
    insta::assert_snapshot!(readable(&play(
        &flow(),
        HOLIDAY,
        &["2", "0", "2", "2025550199"]
    )));
}

#[test]
fn snapshot_of_the_fallback_when_storage_fails_after_hours() {
    let flow = flow();
    let links = Links::new(BASE);
    let ctx = CallContext {
        caller: Some(CALLER),
        now: AFTER_HOURS.parse().unwrap(),
        links: &links,
        staffed: None,
    };
    let state = CallState::new(&flow.id, "record_message", "es");
    let response = engine::fallback(&flow, Some(&state), &ctx, false);
    insta::assert_snapshot!(response.render().replace("><", ">\n<"));
}

/// The event a provider would send next for this response, given the caller's key.
fn next_event(outcome: &Outcome, key: &str, queue_result: &str) -> Option<(String, Event)> {
    let root = Element::parse(&outcome.response.render());
    let url_of = |verb: &str, attr: &str| {
        root.find_all(verb)
            .first()
            .and_then(|e| e.attr(attr))
            .map(str::to_string)
    };
    if let Some(url) = url_of("Gather", "action") {
        let event = if key.is_empty() {
            Event::NoInput
        } else {
            Event::Digits(key.to_string())
        };
        return Some((url, event));
    }
    if let Some(url) = url_of("Record", "action") {
        return Some((
            url,
            Event::Recording {
                url: "https://api.example.com/r".into(),
                seconds: Some(3),
            },
        ));
    }
    if let Some(url) = url_of("Enqueue", "action") {
        return Some((
            url,
            Event::QueueResult {
                result: queue_result.into(),
                wait_seconds: Some(30),
            },
        ));
    }
    let redirect = root
        .find_all("Redirect")
        .first()
        .map(|r| r.text.trim().to_string())?;
    Some((redirect, Event::Enter))
}

fn assert_no_dead_end(outcome: &Outcome) {
    let verbs = &outcome.response.verbs;
    let caller_left = matches!(verbs.as_slice(), []);
    if caller_left {
        return;
    }
    let last = verbs.last().unwrap();
    let ends_well = matches!(
        last,
        Verb::Hangup | Verb::Redirect(_) | Verb::Enqueue(_) | Verb::Dial(_)
    );
    assert!(
        ends_well,
        "the response ends without a way on: {}",
        outcome.response.render()
    );
    let speaks = verbs.iter().any(|v| {
        matches!(
            v,
            Verb::Say(_) | Verb::Play(_) | Verb::Gather(_) | Verb::Enqueue(_)
        )
    });
    assert!(
        speaks || matches!(last, Verb::Hangup | Verb::Redirect(_)),
        "silence: {}",
        outcome.response.render()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_callers_always_have_a_way_on(
        keys in proptest::collection::vec(prop_oneof![Just(String::new()), "[0-9*#]", "[0-9]{10}"], 1..25),
        clock in prop::sample::select(vec![OPEN, AFTER_HOURS, HOLIDAY]),
        queue_result in prop::sample::select(vec!["bridged", "hangup", "leave", "queue-full", "error"]),
    ) {
        let flow = flow();
        let mut outcome = at(&flow, clock, &CallState::new(&flow.id, &flow.start, "en"), Event::Start);
        for key in &keys {
            assert_no_dead_end(&outcome);
            let Some((url, event)) = next_event(&outcome, key, queue_result) else { break };
            prop_assert!(url.starts_with(BASE));
            let query = url.split_once('?').map_or("", |(_, q)| q);
            let state = CallState::from_query(query, &hotline::engine::StateSeal::for_tools()).expect("every URL carries a usable state");
            outcome = at(&flow, clock, &state, event);
        }
        assert_no_dead_end(&outcome);
    }
}

const TRANSFER_FLOW: &str = r#"
[hotline]
name = "Transfer line"
time_zone = "Europe/Madrid"
default_language = "es"
start = "hello"
fallback_category = "general"

[languages.es]
name = "Español"
voice = "Polly.Lucia"
code = "es-ES"

[schedules.always]
monday = ["00:00-24:00"]

[categories.general]
label.es = "un operador"
priority = 1
schedule = "always"
when_closed = "bye"

[queue]
hold_prompt.es = "Es el número {position}."
unavailable_prompt.es = "Nadie puede atenderle."

[fallback]
apology.es = "Lo sentimos."
give_up.es = "Llame más tarde."

[nodes.hello]
type = "message"
prompt.es = { play = "https://audio.example.org/hola.mp3" }
next = "to_partner"

[nodes.to_partner]
type = "transfer"
number = "+34910000000"
timeout = 20
next = "bye"

[nodes.bye]
type = "hangup"
prompt.es = "Adiós."
"#;

#[test]
fn a_transfer_dials_the_number_and_a_failed_one_goes_on() {
    let flow = load("transfer", "transfer.toml", TRANSFER_FLOW).unwrap_or_else(|e| panic!("{e}"));
    let monday = "2026-11-30T10:00:00Z";
    let start = at(
        &flow,
        monday,
        &CallState::new("transfer", "hello", "es"),
        Event::Start,
    );
    let root = Element::parse(&start.response.render());
    assert_eq!(
        root.child("Play").map(|p| p.text.as_str()),
        Some("https://audio.example.org/hola.mp3")
    );
    let dial = root.child("Dial").expect("dial");
    assert_eq!(
        dial.child("Number").map(|n| n.text.as_str()),
        Some("+34910000000")
    );
    assert_eq!(dial.attr("timeout"), Some("20"));
    let failed = at(
        &flow,
        monday,
        &start.state,
        Event::DialResult("no-answer".into()),
    );
    assert!(failed.response.render().contains("Adiós.</Say><Hangup/>"));
    let done = at(
        &flow,
        monday,
        &start.state,
        Event::DialResult("completed".into()),
    );
    assert_eq!(
        done.response.render(),
        r#"<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>"#
    );
}
