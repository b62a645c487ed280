//! The diff on real edits of the reference flow.

use super::*;

const REFERENCE: &str = include_str!("../../../call_flows/victim_hotline.toml");

fn flow(text: &str) -> Flow {
    crate::catalog::load("victim_hotline", "victim_hotline.toml", text)
        .expect("the edit is a valid flow")
}

fn edited(replacements: &[(&str, &str)]) -> Flow {
    let mut text = REFERENCE.to_string();
    for (from, to) in replacements {
        assert!(
            text.contains(from),
            "the reference flow no longer contains {from:?}"
        );
        text = text.replacen(from, to, 1);
    }
    flow(&text)
}

#[test]
fn an_unchanged_flow_has_no_differences() {
    let changes = diff(&flow(REFERENCE), &flow(REFERENCE));
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(render(&changes), "No changes callers would notice.\n");
}

#[test]
fn a_reworded_prompt_a_moved_key_and_new_hours_are_all_reported() {
    let old = flow(REFERENCE);
    let new = edited(&[
        ("We did not hear a choice.\"", "We did not hear anything.\""),
        (
            "options.0.goto = \"to_general\"",
            "options.0.goto = \"to_records_request\"",
        ),
        ("priority = 7", "priority = 8"),
    ]);
    let report = render(&diff(&old, &new));
    assert!(report.contains("Prompts\n"), "{report}");
    assert!(
        report.contains("now: \"We did not hear anything.\""),
        "{report}"
    );
    assert!(
        report.contains("~ main_menu: `0` now goes to to_records_request (was to_general)"),
        "{report}"
    );
    assert!(
        report.contains("~ victim_assistance: priority 8 (was 7)"),
        "{report}"
    );
    let sections: Vec<&str> = report
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .collect();
    assert_eq!(
        sections,
        ["Prompts", "Keys and routes", "Categories"],
        "{report}"
    );
}

#[test]
fn removed_keys_and_closures_are_reported_as_removals() {
    let old = flow(REFERENCE);
    // Key 5 is written on three lines: where it goes and its words in each language.
    let without_key: String = REFERENCE
        .lines()
        .filter(|l| !l.starts_with("options.5."))
        .map(|l| format!("{l}\n"))
        .collect();
    let closure = "  { date = \"2027-11-25\", name = \"Thanksgiving Day\" },\n";
    assert!(without_key.contains(closure), "the reference flow changed");
    let new = flow(&without_key.replacen(closure, "", 1));
    let report = render(&diff(&old, &new));
    assert!(
        report.contains("- main_menu: `5` no longer goes to to_records_request"),
        "{report}"
    );
    assert!(
        report.contains("no longer closed 2027-11-25 Thanksgiving Day"),
        "{report}"
    );
}

#[test]
fn announcements_the_settings_prompts_and_a_removed_prompt_are_reported() {
    let old = flow(REFERENCE);
    let new = edited(&[
        (
            "after_hours_announcement.en = \"Our office is closed now.",
            "after_hours_announcement.en = \"We are closed.",
        ),
        (
            "screen.en = \"Hello. This is a return call.",
            "screen.en = \"Hi. This is a return call.",
        ),
        ("no_input_prompt.en = \"We did not hear a choice.\"\n", ""),
        (
            "no_input_prompt.es = \"No escuchamos ninguna opción.\"\n",
            "",
        ),
    ]);
    let report = render(&diff(&old, &new));
    for expected in [
        "~ [schedules.office] after_hours_announcement (en):",
        "now: \"We are closed. We are open Monday to Friday",
        "~ [callbacks] screen (en):",
        "- main_menu no_input_prompt (en): \"We did not hear a choice.\"",
        "- main_menu no_input_prompt (es): \"No escuchamos ninguna opción.\"",
    ] {
        assert!(report.contains(expected), "{expected}\n{report}");
    }
    assert!(!report.contains("(es):\n      was"), "{report}");
}
