//! Callers who say what they need: a menu that listens for speech says so in its `<Gather>`,
//! a spoken answer reaches its category in English and in Spanish, one that is not understood
//! is asked again with keys only, and what callers said is stored only when the flow keeps it.

use crate::support::helpers::{
    CALLER, Call, OPEN, Options, TestApp, shipped_flow_text, spawn_app, spawn_app_on_flow,
};
use crate::support::xml::Element;

fn gather(twiml: &Element) -> &Element {
    twiml
        .find_all("Gather")
        .into_iter()
        .next()
        .expect("a gather")
}

#[tokio::test]
async fn the_main_menu_listens_for_speech_in_the_callers_language() {
    let app = spawn_app(Options::at(OPEN)).await;
    for (key, code, word) in [
        ("1", "en-US", "victim assistance"),
        ("2", "es-US", "especialista"),
    ] {
        let mut call = app.call(CALLER);
        call.start().await;
        let menu = gather(call.press(key).await).clone();
        assert_eq!(menu.attr("input"), Some("dtmf speech"));
        assert_eq!(menu.attr("language"), Some(code));
        let hints = menu.attr("hints").expect("hints");
        assert!(hints.split(',').any(|h| h == word), "{hints}");
        assert!(hints.split(',').count() <= 500);
        let timeout = menu.attr("speechTimeout").expect("a speech timeout");
        assert!(
            timeout.parse::<u32>().is_ok_and(|t| t > 0),
            "{timeout}: never auto with a model"
        );
        assert_eq!(menu.attr("speechModel"), Some("phone_call"));
        assert_eq!(menu.attr("actionOnEmptyResult"), Some("true"));
    }
}

/// A call that chooses its language by `key`, then says `said` at the main menu.
async fn say_at_the_main_menu<'a>(
    app: &'a TestApp,
    key: &str,
    said: &str,
    confidence: &str,
) -> Call<'a> {
    let mut call = app.call(CALLER);
    call.start().await;
    call.press(key).await;
    call.say(said, confidence).await;
    call
}

#[tokio::test]
async fn saying_victim_assistance_or_especialista_at_the_main_menu_reaches_victim_assistance() {
    let app = spawn_app(Options::at(OPEN)).await;
    for (key, said) in [
        ("1", "Victim assistance, please."),
        ("2", "Necesito una especialista"),
    ] {
        let call = say_at_the_main_menu(&app, key, said, "0.82").await;
        assert_eq!(call.queue().as_deref(), Some("victim_assistance"), "{said}");
    }
}

#[tokio::test]
async fn the_language_can_be_chosen_by_voice_and_keys_still_work_after() {
    let app = spawn_app(Options::at(OPEN)).await;
    let mut call = app.call(CALLER);
    call.start().await;
    call.say("Español", "0.9").await;
    assert!(
        call.heard().contains("Por favor, escuche"),
        "{}",
        call.heard()
    );
    call.press("1").await;
    assert_eq!(call.queue().as_deref(), Some("custody_status"));
}

#[tokio::test]
async fn an_unsure_or_unknown_answer_is_asked_again_with_keys_then_handled_like_a_wrong_key() {
    let app = spawn_app(Options::at(OPEN)).await;
    for (said, confidence) in [("victim assistance", "0.2"), ("I need a lawyer", "0.9")] {
        let mut call = app.call(CALLER);
        call.start().await;
        call.press("1").await;
        let again = call.say(said, confidence).await.clone();
        let heard = call.heard();
        assert!(
            heard.contains("Sorry, that is not one of the options"),
            "{heard}"
        );
        assert!(
            heard.contains("press 2"),
            "the re-prompt says the keys: {heard}"
        );
        assert!(!heard.contains("tell us in a few words"), "{heard}");
        let menu = gather(&again);
        assert_eq!(menu.attr("input"), Some("dtmf"), "keys only after one miss");
        assert_eq!(menu.attr("hints"), None);
        call.press("7").await;
        call.press("8").await;
        assert_eq!(
            call.queue().as_deref(),
            Some("general"),
            "{said}: three failed tries"
        );
    }
}

/// The call's steps: what the caller gave, and what the node decided.
async fn steps(app: &TestApp, sid: &str) -> Vec<(Option<String>, String)> {
    let found = app.store.steps(sid).await.expect("the steps");
    found.into_iter().map(|s| (s.input, s.outcome)).collect()
}

/// Every file in the database's folder (the WAL too) as text, to search for what callers said.
pub fn database_text(dir: &std::path::Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("the folder") {
        let path = entry.expect("an entry").path();
        if path.is_file() {
            let bytes = std::fs::read(&path).expect("readable");
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}

/// Not understood at the language menu, then understood at the main menu.
async fn speak_twice(app: &TestApp) -> String {
    let mut call = app.call(CALLER);
    call.start().await;
    call.say("Quixotic Zebulon", "0.9").await;
    call.press("1").await;
    call.say("my neighbour Zebulon needs a specialist", "0.85")
        .await;
    assert_eq!(call.queue().as_deref(), Some("victim_assistance"));
    call.sid.clone()
}

#[tokio::test]
async fn what_callers_say_is_not_stored_unless_the_flow_keeps_speech() {
    let app = spawn_app(Options::at(OPEN)).await;
    let sid = speak_twice(&app).await;
    let rows = steps(&app, &sid).await;
    assert!(
        rows.iter()
            .any(|(input, outcome)| input.as_deref() == Some("speech")
                && outcome.starts_with("speech (en) matched key 2, confidence 0.85: chose")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|(_, o)| o.starts_with("speech (en) matched nothing, confidence 0.90")),
        "{rows:?}"
    );
    let (_dir, db) = app.stop().await;
    let stored = database_text(db.parent().expect("the database's folder"));
    assert!(stored.contains(&sid), "the call itself is stored");
    for word in ["Zebulon", "Quixotic", "neighbour"] {
        assert!(!stored.contains(word), "`{word}` is in the database");
    }

    let kept = format!("{}\n[speech]\nkeep_speech = true\n", shipped_flow_text());
    let (_flows, app) = spawn_app_on_flow(&kept, OPEN).await;
    let sid = speak_twice(&app).await;
    let rows = steps(&app, &sid).await;
    assert!(
        rows.iter()
            .any(|(input, _)| input.as_deref() == Some("my neighbour Zebulon needs a specialist")),
        "{rows:?}"
    );
    let (_dir, db) = app.stop().await;
    assert!(
        database_text(db.parent().expect("the database's folder")).contains("Quixotic Zebulon"),
        "kept when the flow says so"
    );
}

/// The shipped flow with `from` replaced by `to`, as `hotline flows check` sees it.
fn checked(from: &str, to: &str) -> (String, Vec<hotline::flow::FlowDiagnostic>) {
    let text = shipped_flow_text();
    assert!(
        text.contains(from),
        "test setup: `{from}` is not in the shipped flow"
    );
    let text = text.replacen(from, to, 1);
    let errors = hotline::catalog::load("victim_hotline", "call_flows/victim_hotline.toml", &text)
        .expect_err("the flow must be refused");
    (text, errors.0)
}

fn place(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (
        text[..at].matches('\n').count() + 1,
        text[line_start..at].chars().count() + 1,
    )
}

/// The `shared-word` problem of the shipped flow edited so.
fn shared_word(from: &str, to: &str) -> (String, hotline::flow::FlowDiagnostic) {
    let (text, errors) = checked(from, to);
    let found = errors.into_iter().find(|d| d.code == "shared-word");
    (text, found.expect("a shared word"))
}

#[test]
fn a_word_two_keys_share_is_refused_with_both_places() {
    let (text, d) = shared_word("\"shelter\"", "\"custody\"");
    let custody_on_3 = text.find("options.3.say.en").expect("key 3's words");
    let (line, column) = place(&text[custody_on_3..], "\"custody\"");
    let first_line = place(&text, "options.3.say.en").0;
    assert_eq!((d.line, d.column), (first_line + line - 1, column));
    let (line_1, column_1) = place(&text, "[\"custody\"");
    let other = format!(
        "key 1 at call_flows/victim_hotline.toml:{line_1}:{}",
        column_1 + 1
    );
    assert!(
        d.message.contains("\"custody\" chooses key 3 here"),
        "{}",
        d.message
    );
    assert!(
        d.message.contains(&other),
        "{} (expected {other})",
        d.message
    );
    assert!(d.help.contains("one key only"), "{}", d.help);
}

#[test]
fn a_word_that_is_another_keys_number_is_refused_and_other_menus_may_share_words() {
    let (_, d) = shared_word("\"shelter\"", "\"two\"");
    assert!(d.message.contains("key 2 as its number"), "{}", d.message);

    let text = shipped_flow_text().replacen("\"Spanish\"", "\"operator\"", 1);
    hotline::catalog::load("victim_hotline", "victim_hotline.toml", &text)
        .expect("a word of the language menu may also be a word of the main menu");
}

#[test]
fn words_on_a_menu_that_does_not_listen_and_a_speech_only_menu_are_refused() {
    let (_, errors) = checked("input = \"dtmf speech\"\noptions.1 = {", "options.1 = {");
    assert!(
        errors
            .iter()
            .any(|d| d.code == "unused-setting" && d.help.contains("input = \"dtmf speech\"")),
        "{errors:?}"
    );
    let (_, errors) = checked("input = \"dtmf speech\"", "input = \"speech\"");
    assert!(
        errors
            .iter()
            .any(|d| d.code == "bad-setting" && d.help.contains("keys always work")),
        "{errors:?}"
    );
}

#[tokio::test]
async fn reports_count_spoken_answers_that_chose_and_that_matched_nothing_per_menu_and_language() {
    let app = spawn_app(Options::at(OPEN)).await;
    for (key, said) in [
        ("1", "a specialist"),
        ("1", "I need a lawyer"),
        ("2", "custodia"),
    ] {
        say_at_the_main_menu(&app, key, said, "0.9").await;
    }
    let sam = crate::staff::add_staff(&app, "sam", hotline::operators::Role::Supervisor, &[]).await;
    let period = "from=2026-12-01&to=2026-12-02";
    let (_, report) = sam.get(&app, &format!("/api/v1/reports?{period}")).await;
    let answers = report["voice_answers"].as_array().expect("voice answers");
    let row = |language: &str| {
        answers
            .iter()
            .find(|r| r["node"] == "main_menu" && r["language"] == language)
            .map(|r| (r["chosen"].as_u64(), r["not_understood"].as_u64()))
    };
    assert_eq!(row("en"), Some((Some(1), Some(1))), "{report}");
    assert_eq!(row("es"), Some((Some(1), Some(0))), "{report}");

    let csv = sam
        .get_response(&app, &format!("/api/v1/reports/voice-answers.csv?{period}"))
        .await;
    let text = csv.text().await.expect("a body");
    assert_eq!(
        text.lines().next(),
        Some("node,language,chosen,not_understood,node_title")
    );
    assert!(text.contains("main_menu,en,1,1,Main menu\n"), "{text}");
}
