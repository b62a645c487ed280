//! `hotline flows simulate`, `graph` and `diff` on the shipped flow: a scripted call at a
//! holiday evening, the pictures, and what an edit changes.

use hotline::cli::{DiffArgs, GraphArgs, GraphFormat, SimulateArgs, compare, draw, simulate};

use crate::support::helpers::shipped_flows;

fn simulated(script: &str, at: &str, lang: Option<&str>) -> String {
    let args = SimulateArgs {
        flow: "victim_hotline".into(),
        flows: shipped_flows(),
        lang: lang.map(str::to_string),
        at: Some(at.into()),
        caller: "+12025550123".into(),
        script: Some(script.into()),
        staffed: None,
    };
    let mut out = Vec::new();
    simulate(&args, &mut std::io::empty(), &mut out).expect("the simulation runs");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn a_scripted_holiday_call_ends_in_a_callback_request_with_what_was_heard() {
    let transcript = simulated("1,2,1,2,3,silence", "2026-12-25T10:00", None);
    assert!(
        transcript.contains("closed today for a federal holiday"),
        "{transcript}"
    );
    assert!(
        transcript.contains("[node callback_offer · category victim_assistance · language en]")
    );
    assert!(transcript.contains("outcome: callback"), "{transcript}");
    assert!(transcript.contains(
        "callback request: victim_assistance in en, no message may be left, to be called in the \
         evening"
    ));
    // The call back the line would place: when the caller asked, and nothing left unsaid.
    assert!(
        transcript.contains("first call back: 2026-12-25T17:00 (Friday) (when the caller asked)"),
        "{transcript}"
    );
    assert!(
        transcript.contains("if nobody presses 1: nothing; the line hangs up"),
        "{transcript}"
    );
}

#[test]
fn during_opening_hours_the_same_keys_reach_the_queue_and_mistakes_are_explained() {
    let transcript = simulated("1,2,7", "2026-12-01T10:00", None);
    assert!(
        transcript.contains("waits in the queue `victim_assistance`"),
        "{transcript}"
    );
    assert!(
        transcript.contains("! the caller is waiting in a queue"),
        "a key in the queue: {transcript}"
    );
    assert!(transcript.contains("outcome: queued"));
    let spanish = simulated("hangup", "2026-12-01T10:00", Some("es"));
    let started = "[node language · category none yet · language es]";
    assert!(spanish.contains(started), "{spanish}");
}

#[test]
fn the_picture_comes_as_mermaid_or_dot() {
    let mut mermaid = Vec::new();
    let args = GraphArgs {
        flow: "victim_hotline".into(),
        flows: shipped_flows(),
        format: GraphFormat::Mermaid,
    };
    draw(&args, &mut mermaid).expect("drawn");
    let mermaid = String::from_utf8(mermaid).unwrap();
    assert!(
        mermaid.starts_with("flowchart TD\n")
            && mermaid.contains("n_main_menu -->|\"2 or say: victim assistance, specialist")
    );
    let mut dot = Vec::new();
    draw(
        &GraphArgs {
            format: GraphFormat::Dot,
            ..args
        },
        &mut dot,
    )
    .expect("drawn");
    let dot = String::from_utf8(dot).unwrap();
    assert!(
        dot.starts_with("digraph \"victim_hotline\" {") && dot.trim_end().ends_with('}'),
        "{dot}"
    );
}

#[test]
fn the_diff_of_an_edit_says_what_callers_will_notice() {
    let dir = tempfile::tempdir().unwrap();
    let old = shipped_flows().join("victim_hotline.toml");
    let text = std::fs::read_to_string(&old).unwrap();
    let new = dir.path().join("victim_hotline.toml");
    std::fs::write(
        &new,
        text.replacen(
            "options.0.goto = \"to_general\"",
            "options.0.goto = \"to_records_request\"",
            1,
        ),
    )
    .unwrap();
    let mut out = Vec::new();
    compare(
        &DiffArgs {
            old: old.clone(),
            new,
        },
        &mut out,
    )
    .expect("compared");
    let report = String::from_utf8(out).unwrap();
    assert!(
        report.contains("~ main_menu: `0` now goes to to_records_request (was to_general)"),
        "{report}"
    );
    let mut same = Vec::new();
    compare(
        &DiffArgs {
            old: old.clone(),
            new: old,
        },
        &mut same,
    )
    .expect("compared");
    assert_eq!(
        String::from_utf8(same).unwrap(),
        "No changes callers would notice.\n"
    );
}

#[test]
fn snapshot_of_a_simulated_holiday_call_in_spanish() {
    insta::assert_snapshot!(simulated(
        "2,2,2,2025550123,1,1,record:20",
        "2026-12-25T19:00",
        None
    ));
}

#[test]
fn snapshot_of_the_reference_flow_as_mermaid() {
    let mut out = Vec::new();
    let args = GraphArgs {
        flow: "victim_hotline".into(),
        flows: shipped_flows(),
        format: GraphFormat::Mermaid,
    };
    draw(&args, &mut out).expect("drawn");
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}
