//! The operator line's documents, parsed back from XML the way the provider reads them.

use std::collections::BTreeMap;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::*;

const BASE: &str = "https://hotline.example.org";

/// One parsed element: name, attributes, own text and children.
#[derive(Debug)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }

    /// Its own text and every descendant's, in document order.
    fn all_text(&self) -> String {
        let mut text = self.text.clone();
        for child in &self.children {
            text.push_str(&child.all_text());
        }
        text
    }

    fn child(&self, name: &str) -> &Node {
        self.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no <{name}> in {self:?}"))
    }

    fn attr(&self, name: &str) -> &str {
        self.attrs
            .get(name)
            .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }
}

fn parse(response: &Response) -> Node {
    let xml = response.render();
    let mut reader = Reader::from_str(&xml);
    let mut open: Vec<Node> = Vec::new();
    let mut root = None;
    let version = XmlVersion::Implicit1_0;
    let node = |e: &BytesStart<'_>| Node {
        name: e.name().into_inner().to_owned(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                let value = a.normalized_value(version).expect("value").into_owned();
                (a.key.into_inner().to_owned(), value)
            })
            .collect(),
        text: String::new(),
        children: Vec::new(),
    };
    let mut close = |n: Node, open: &mut Vec<Node>| match open.last_mut() {
        Some(parent) => parent.children.push(n),
        None => root = Some(n),
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => open.push(node(&e)),
            Event::Empty(e) => close(node(&e), &mut open),
            Event::End(_) => {
                let n = open.pop().expect("balanced tags");
                close(n, &mut open);
            }
            Event::Text(t) => {
                if let Some(n) = open.last_mut() {
                    n.text.push_str(&t.xml_content(version));
                }
            }
            Event::GeneralRef(r) => {
                let entity = resolve_predefined_entity(&r).expect("a predefined entity");
                if let Some(n) = open.last_mut() {
                    n.text.push_str(entity);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let root = root.expect("a root element");
    assert_eq!(root.name, "Response");
    root
}

fn links() -> Links {
    Links::new(BASE)
}

fn signed_in() -> OperatorState {
    OperatorState {
        operator: Some("op-7".into()),
        ..OperatorState::default()
    }
}

fn state_in(url: &str) -> OperatorState {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    OperatorState::from_query(query).expect("a usable operator state")
}

#[test]
fn operator_state_survives_the_round_trip_through_a_url() {
    let state = OperatorState {
        operator: Some("maría & co".into()),
        pin_attempts: 2,
        request: Some("01a2-rq".into()),
        dial: Some("01a2-d".into()),
        skipped: vec!["a".into(), "b".into()],
    };
    assert_eq!(OperatorState::from_query(&state.to_query()), Ok(state));
    assert_eq!(OperatorState::from_query(""), Ok(OperatorState::default()));
    assert!(OperatorState::from_query("pa=many").is_err());
}

#[test]
fn the_pin_is_asked_for_with_up_to_eight_digits_ending_with_pound() {
    let root = parse(&ask_pin(&OperatorState::default(), &links()));
    assert_eq!(root.names(), ["Gather", "Redirect"]);
    let gather = root.child("Gather");
    assert_eq!(gather.attr("finishOnKey"), "#");
    assert_eq!(gather.attr("numDigits"), "8");
    assert_eq!(gather.attr("input"), "dtmf");
    assert!(
        gather
            .attr("action")
            .starts_with(&format!("{BASE}/voice/operator/pin?"))
    );
    assert!(gather.child("Say").text.contains("enter your PIN"));
    // Silence comes back to the PIN URL, where it counts as a refused PIN.
    assert_eq!(root.child("Redirect").text, gather.attr("action"));
}

#[test]
fn a_refused_pin_is_counted_and_asked_again() {
    let root = parse(&pin_refused(&OperatorState::default(), &links(), 0));
    assert_eq!(root.names(), ["Say", "Gather", "Redirect"]);
    assert_eq!(root.child("Say").text, "That PIN was not accepted.");
    let again = state_in(root.child("Gather").attr("action"));
    assert_eq!(again.pin_attempts, 1);
}

#[test]
fn after_recent_wrong_pins_the_line_waits_before_asking_again() {
    let root = parse(&pin_refused(&OperatorState::default(), &links(), 6));
    assert_eq!(root.names(), ["Say", "Pause", "Gather", "Redirect"]);
    assert_eq!(root.child("Pause").attr("length"), "6");
}

#[test]
fn a_locked_line_says_so_without_asking_and_hangs_up() {
    let root = parse(&pin_locked());
    assert_eq!(root.names(), ["Say", "Hangup"]);
    assert!(root.child("Say").text.contains("try again later"));
}

#[test]
fn the_third_refused_pin_hangs_up() {
    let state = OperatorState {
        pin_attempts: 2,
        ..OperatorState::default()
    };
    let root = parse(&pin_refused(&state, &links(), 4));
    assert_eq!(root.names(), ["Say", "Hangup"]);
    assert!(root.child("Say").text.contains("Goodbye"));
}

#[test]
fn the_next_caller_is_announced_and_dialled_from_their_queue() {
    let caller = NextCaller {
        category_label: "a victim assistance specialist".into(),
        queue: "victim_assistance".into(),
        wait_seconds: 200,
    };
    let root = parse(&connect_next(&signed_in(), &caller, &links()));
    assert_eq!(root.names(), ["Say", "Dial"]);
    assert_eq!(
        root.child("Say").text,
        "Next caller: a victim assistance specialist, waiting 3 minutes."
    );
    let dial = root.child("Dial");
    assert!(
        dial.attr("action")
            .starts_with(&format!("{BASE}/voice/operator/after?"))
    );
    assert_eq!(state_in(dial.attr("action")), signed_in());
    let queue = dial.child("Queue");
    assert_eq!(queue.text, "victim_assistance");
    assert_eq!(queue.attr("url"), format!("{BASE}/voice/operator/whisper"));
}

#[test]
fn short_waits_are_said_the_way_people_say_them() {
    let said = |wait_seconds| {
        let caller = NextCaller {
            category_label: "an operator".into(),
            queue: "general".into(),
            wait_seconds,
        };
        parse(&connect_next(&signed_in(), &caller, &links()))
            .child("Say")
            .text
            .clone()
    };
    assert_eq!(
        said(20),
        "Next caller: an operator, waiting less than a minute."
    );
    assert_eq!(said(90), "Next caller: an operator, waiting 1 minute.");
    assert_eq!(said(600), "Next caller: an operator, waiting 10 minutes.");
}

#[test]
fn with_nobody_waiting_the_line_pauses_and_looks_again() {
    let root = parse(&nobody_waiting(&signed_in(), &links()));
    assert_eq!(root.names(), ["Say", "Pause", "Redirect"]);
    assert_eq!(root.child("Pause").attr("length"), "15");
    let redirect = &root.child("Redirect").text;
    assert!(redirect.starts_with(&format!("{BASE}/voice/operator/next?")));
    assert_eq!(state_in(redirect), signed_in());
}

#[test]
fn after_a_call_a_key_or_silence_brings_the_next_caller() {
    let root = parse(&after_call(&signed_in(), &links()));
    assert_eq!(root.names(), ["Gather", "Redirect"]);
    let gather = root.child("Gather");
    assert_eq!(gather.attr("numDigits"), "1");
    assert_eq!(
        gather.child("Say").text,
        "Press 1 for the next caller, or hang up to end."
    );
    assert_eq!(gather.attr("action"), links().operator_next(&signed_in()));
    assert_eq!(
        root.child("Redirect").text,
        links().operator_next(&signed_in())
    );
}

#[test]
fn the_whisper_uses_only_verbs_allowed_before_a_dequeued_caller_is_connected() {
    let root = parse(&whisper());
    assert!(!root.children.is_empty());
    for verb in root.names() {
        assert!(
            ["Play", "Say", "Pause", "Redirect"].contains(&verb),
            "{verb}"
        );
    }
}

#[test]
fn a_callback_request_is_read_with_its_attempt_message_rule_and_wait() {
    let offer = Offer {
        category_label: "an operator",
        language_name: "English",
        attempt: 2,
        minutes_waiting: 0,
        safe_to_leave_message: None,
        call_time: None,
        incomplete: false,
    };
    let root = parse(&offer_callback(&signed_in(), &offer, &links()));
    let text = root.all_text();
    assert!(
        text.contains("Callback request: an operator, in English. Attempt 2."),
        "{text}"
    );
    assert!(text.contains("no message will be left"), "{text}");
    assert!(text.contains("less than a minute ago"), "{text}");
    let waited = Offer {
        minutes_waiting: 185,
        ..offer
    };
    let text = parse(&offer_callback(&signed_in(), &waited, &links())).all_text();
    assert!(text.contains("first called 3 hours ago"), "{text}");
    assert!(!text.contains("asked to be called"), "{text}");
    let evenings = Offer {
        call_time: Some(crate::callbacks::pacing::CallTime::Evening),
        ..offer
    };
    let text = parse(&offer_callback(&signed_in(), &evenings, &links())).all_text();
    assert!(
        text.contains("The caller asked to be called in the evening."),
        "{text}"
    );
    assert!(!text.contains("hung up"), "{text}");
    let unfinished = Offer {
        incomplete: true,
        ..offer
    };
    let text = parse(&offer_callback(&signed_in(), &unfinished, &links())).all_text();
    assert!(
        text.contains("Attempt 2. The caller hung up before finishing the questions."),
        "{text}"
    );
}
