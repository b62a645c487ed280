//! Loading flow files: the shipped flow is valid, and each kind of mistake staff make is
//! refused with the file, line, column and a fix.

use hotline::app::Application;
use hotline::catalog::load;
use hotline::config::ServeArgs;
use hotline::flow::FlowErrors;

use crate::support::helpers::shipped_flows;

fn reference() -> String {
    std::fs::read_to_string(shipped_flows().join("victim_hotline.toml")).expect("shipped flow")
}

/// Loads the reference flow with `from` replaced by `to`; returns the problems found.
fn broken(from: &str, to: &str) -> FlowErrors {
    let text = reference();
    assert!(
        text.contains(from),
        "test setup: `{from}` is not in the reference flow"
    );
    let text = text.replacen(from, to, 1);
    load("victim_hotline", "call_flows/victim_hotline.toml", &text)
        .expect_err("the broken flow must be refused")
}

fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect("needle");
    text[..at].matches('\n').count() + 1
}

#[test]
fn the_shipped_reference_flow_loads() {
    let flow = load("victim_hotline", "victim_hotline.toml", &reference()).expect("valid");
    assert_eq!(flow.categories.len(), 6);
    assert_eq!(
        flow.languages
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>(),
        ["en", "es"]
    );
    assert_eq!(flow.numbers, ["+18005550100"]);
}

#[test]
fn an_unknown_node_is_located_and_a_close_name_suggested() {
    let errors = broken(
        "options.3.goto = \"to_social_services\"",
        "options.3.goto = \"to_social_service\"",
    );
    let d = &errors.0[0];
    assert_eq!(d.code, "unknown-node");
    assert_eq!(d.file, "call_flows/victim_hotline.toml");
    assert_eq!(
        d.line,
        line_of(&reference(), "options.3.goto = \"to_social_services\"")
    );
    assert_eq!(d.column, 18);
    assert!(
        d.help.contains("did you mean `to_social_services`?"),
        "{}",
        d.help
    );
    let shown = errors.to_string();
    assert!(
        shown.contains("--> call_flows/victim_hotline.toml:"),
        "{shown}"
    );
    assert!(shown.contains("^^^^^"), "{shown}");
}

#[test]
fn an_unknown_category_is_refused() {
    let errors = broken("category = \"records_request\"", "category = \"records\"");
    assert_eq!(errors.0[0].code, "unknown-category");
    assert!(
        errors.0[0].help.contains("records_request"),
        "{}",
        errors.0[0].help
    );
}

#[test]
fn a_category_label_must_be_text_because_prompts_read_it_out() {
    let errors = broken(
        "label.es = \"un operador\"",
        "label.es = { play = \"https://audio.example.org/operador.mp3\" }",
    );
    assert_eq!(errors.0[0].code, "audio-label");
}

#[test]
fn a_missing_translation_names_the_language_to_add() {
    let errors = broken("prompt.es = \"Para español, oprima 2.\"\n", "");
    assert_eq!(errors.0[0].code, "missing-translation");
    assert!(
        errors.0[0].message.contains("no `es` version"),
        "{}",
        errors.0[0].message
    );
}

#[test]
fn a_bad_time_zone_is_refused_with_an_example() {
    let errors = broken(
        "time_zone = \"America/New_York\"",
        "time_zone = \"Eastern\"",
    );
    assert_eq!(errors.0[0].code, "bad-time-zone");
    assert!(errors.0[0].help.contains("America/New_York"));
}

#[test]
fn a_misspelt_setting_is_a_syntax_error_at_its_line() {
    let errors = broken("max_length = 120", "max_lenght = 120");
    let d = &errors.0[0];
    assert_eq!(d.code, "syntax");
    assert!(
        d.message.contains("unknown field `max_lenght`"),
        "{}",
        d.message
    );
    assert_eq!(d.line, line_of(&reference(), "max_length = 120"));
}

#[test]
fn hours_written_the_wrong_way_get_the_right_way_as_help() {
    let errors = broken("monday = [\"08:00-20:00\"]", "monday = [\"8-20\"]");
    assert_eq!(errors.0[0].code, "bad-hours");
    assert!(
        errors.0[0].help.contains("08:00-20:00"),
        "{}",
        errors.0[0].help
    );
}

#[test]
fn a_loop_that_never_waits_for_the_caller_is_refused() {
    let errors = broken(
        "next = \"goodbye\"\n\n[nodes.goodbye]",
        "next = \"callback_saved\"\n\n[nodes.goodbye]",
    );
    assert!(
        errors.0.iter().any(|d| d.code == "endless-loop"),
        "{errors}"
    );
}

#[test]
fn a_setting_that_does_nothing_on_a_node_type_is_reported() {
    let errors = broken("max_length = 120", "max_length = 120\nrepeat_key = \"9\"");
    assert_eq!(errors.0[0].code, "unused-setting");
}

#[test]
fn several_problems_are_reported_together_in_file_order() {
    let text = reference()
        .replacen("category = \"general\"", "category = \"generl\"", 1)
        .replacen("voice = \"Polly.Lupe-Neural\"", "voice = \"\"", 1);
    let errors = load("v", "v.toml", &text).expect_err("refused");
    assert_eq!(errors.0.len(), 2, "{errors}");
    assert!(errors.0[0].line < errors.0[1].line);
}

#[tokio::test]
async fn the_server_refuses_to_start_on_a_broken_flow_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let text = reference().replacen("start = \"welcome\"", "start = \"welcom\"", 1);
    std::fs::write(dir.path().join("victim_hotline.toml"), text).unwrap();
    let db = dir.path().join("h.db");
    let args = ServeArgs::for_tests(
        &format!("sqlite:{}", db.display()),
        dir.path().to_path_buf(),
    );
    let error = Application::build(&args)
        .await
        .err()
        .expect("refused")
        .to_string();
    let line = line_of(&reference(), "start = \"welcome\"");
    assert!(
        error.contains(&format!("victim_hotline.toml:{line}:9")),
        "{error}"
    );
    assert!(error.contains("did you mean `welcome`?"), "{error}");
}

#[test]
fn the_reference_flow_offers_a_callback_after_five_minutes_in_every_category() {
    let flow = load("victim_hotline", "victim_hotline.toml", &reference()).expect("valid");
    for c in flow.categories.values() {
        assert_eq!(
            (c.max_hold_minutes, c.callback_within_hours),
            (Some(5), 24),
            "{}",
            c.id
        );
    }
    assert_eq!(flow.queue.offer_callback_key, "1");
    assert!(flow.queue.offer_callback_prompt.is_some());
    assert!(flow.queue.estimate_prompt.is_some());
}

#[test]
fn a_hold_limit_or_callback_target_out_of_range_is_located() {
    let text = reference()
        .replacen("max_hold_minutes = 5", "max_hold_minutes = 121", 1)
        .replacen("priority = 7", "priority = 7\ncallback_within_hours = 0", 1);
    let errors = load("v", "call_flows/victim_hotline.toml", &text).expect_err("refused");
    let found: Vec<(&str, usize)> = errors.0.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        found,
        [
            (
                "bad-number-setting",
                line_of(&text, "max_hold_minutes = 121")
            ),
            (
                "bad-number-setting",
                line_of(&text, "callback_within_hours = 0")
            ),
        ],
        "{errors}"
    );
    assert!(errors.0[0].help.contains("1 to 120"), "{errors}");
    assert!(errors.0[1].help.contains("1 to 720"), "{errors}");
}

#[test]
fn a_hold_limit_without_the_words_of_the_offer_is_refused_at_each_category() {
    let text: String = reference()
        .lines()
        .filter(|l| !l.starts_with("offer_callback_prompt"))
        .map(|l| format!("{l}\n"))
        .collect();
    let errors = load("v", "v.toml", &text).expect_err("refused");
    assert_eq!(errors.0.len(), 6, "{errors}");
    for d in &errors.0 {
        assert_eq!(d.code, "missing-setting");
        assert!(d.source_line.starts_with("max_hold_minutes"), "{d}");
        assert!(d.help.contains("offer_callback_prompt"), "{d}");
    }
}

#[test]
fn the_offer_key_must_be_one_phone_key() {
    let errors = broken("offer_callback_key = \"1\"", "offer_callback_key = \"10\"");
    assert_eq!(errors.0[0].code, "bad-key");
    assert_eq!(
        errors.0[0].line,
        line_of(&reference(), "offer_callback_key = \"1\"")
    );
}

#[test]
fn the_estimate_can_fill_in_minutes_only() {
    let errors = broken(
        "en minutos, es de aproximadamente {minutes}.",
        "en minutos, es de aproximadamente {position}.",
    );
    assert_eq!(errors.0[0].code, "unknown-placeholder");
    assert!(
        errors.0[0].help.contains("{minutes}"),
        "{}",
        errors.0[0].help
    );
}

#[test]
fn the_offer_needs_every_language() {
    let errors = broken(
        "offer_callback_prompt.es = \"Si prefiere que le devolvamos la llamada, oprima 1. Conservará su lugar en la fila.\"\n",
        "",
    );
    assert_eq!(errors.0[0].code, "missing-translation");
    assert!(errors.0[0].message.contains("no `es` version"), "{errors}");
}

#[test]
fn titles_name_categories_and_steps_for_staff_and_ids_do_without_one() {
    let flow = load("victim_hotline", "victim_hotline.toml", &reference()).expect("valid");
    assert_eq!(flow.categories["general"].title, "General");
    assert_eq!(flow.nodes["main_menu"].title, "Main menu");
    let untitled = reference()
        .replace("title = \"Victim assistance triage\"\n", "")
        .replace("title = \"Custody status\"\n", "");
    let flow = load("victim_hotline", "victim_hotline.toml", &untitled).expect("still valid");
    assert_eq!(
        flow.nodes["to_victim_assistance"].title,
        "To victim assistance"
    );
    assert_eq!(flow.categories["custody_status"].title, "Custody status");
}

#[test]
fn an_empty_title_is_located_with_the_name_it_would_have_without_one() {
    let errors = broken("title = \"Main menu\"", "title = \" \"");
    let d = &errors.0[0];
    assert_eq!((d.code, d.column), ("bad-title", 9));
    assert_eq!(d.line, line_of(&reference(), "title = \"Main menu\""));
    assert!(d.help.contains("(\"Main menu\")"), "{}", d.help);
}
