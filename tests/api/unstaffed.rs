//! Staffed means open: with `open_requires_staff`, a caller triaged in opening hours to a
//! category nobody is available for takes its callback path at once, says so in the step log,
//! and is queued as before when someone is available or when nobody can say. Through
//! `flows check`, flow tests, `flows simulate` and a real server on each backend.

use hotline::cli::{CheckArgs, Color, FlowsArgs, FlowsCommand, Format, SimulateArgs};
use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::json;
use tempfile::TempDir;

use crate::staff::add_staff;
use crate::support::helpers::{
    CALLER, OPEN, Options, TestApp, on_every_backend_app, shipped_flow_text, spawn_app_on_flow,
};

/// What callers of a category nobody staffs hear in the edited reference flow.
const UNSTAFFED: &str = "Every specialist is helping another caller right now.";

/// The reference flow, with every category open only while staffed except the operators'
/// `general`, and an announcement for it.
pub fn staffed_flow() -> String {
    let text = shipped_flow_text();
    let edits = [
        (
            "fallback_category = \"general\"\n",
            "fallback_category = \"general\"\nopen_requires_staff = true\n",
        ),
        (
            "[schedules.office]\n",
            "[schedules.office]\nunstaffed_announcement.en = \"Every specialist is helping another caller right now.\"\nunstaffed_announcement.es = \"Todos los especialistas atienden a otras personas en este momento.\"\n",
        ),
        (
            "[categories.general]\n",
            "[categories.general]\nopen_requires_staff = false\n",
        ),
    ];
    edits.iter().fold(text, |text, (at, with)| {
        assert!(text.contains(at), "the reference flow has {at}");
        text.replacen(at, with, 1)
    })
}

/// A flows folder holding `text` as the reference hotline.
fn folder_with(text: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("a flows folder");
    std::fs::write(dir.path().join("victim_hotline.toml"), text).expect("the flow written");
    dir
}

/// `hotline flows check` on a folder holding `text`: its exit status and report.
fn flows_check(text: &str) -> (i32, String) {
    let dir = folder_with(text);
    let command = FlowsCommand::Check(CheckArgs {
        paths: vec![dir.path().to_path_buf()],
        format: Format::Human,
        deny_warnings: false,
        color: Color::Never,
    });
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = hotline::cli::flows(&FlowsArgs { command }, &mut out, &mut err);
    (
        status,
        String::from_utf8_lossy(&[out, err].concat()).into_owned(),
    )
}

/// A scripted `flows simulate` of the staffed flow on Tuesday morning.
fn simulated(script: &str, staffed: Option<&str>) -> anyhow::Result<String> {
    let dir = folder_with(&staffed_flow());
    let args = SimulateArgs {
        flow: "victim_hotline".into(),
        flows: dir.path().to_path_buf(),
        lang: None,
        at: Some("2026-12-01T10:00".into()),
        caller: CALLER.into(),
        script: Some(script.into()),
        staffed: staffed.map(str::to_string),
    };
    let mut out = Vec::new();
    hotline::cli::simulate(&args, &mut std::io::empty(), &mut out)?;
    Ok(String::from_utf8(out).expect("utf-8"))
}

#[test]
fn flows_check_refuses_a_switch_that_is_not_true_or_false() {
    let quoted = staffed_flow().replacen(
        "open_requires_staff = true",
        "open_requires_staff = \"yes\"",
        1,
    );
    let (status, report) = flows_check(&quoted);
    assert_eq!(status, 1, "{report}");
    assert!(
        report.contains("× invalid type: string \"yes\", expected a boolean"),
        "{report}"
    );
    assert!(
        report.contains("open_requires_staff = \"yes\""),
        "points at it: {report}"
    );
    assert!(
        report.contains("write true or false, without quotes"),
        "{report}"
    );

    let numbered =
        staffed_flow().replacen("open_requires_staff = false", "open_requires_staff = 0", 1);
    let (status, report) = flows_check(&numbered);
    assert_eq!(status, 1, "{report}");
    assert!(report.contains("expected a boolean"), "{report}");

    let (status, report) = flows_check(&staffed_flow());
    assert_eq!(status, 0, "the edited flow itself is fine: {report}");
}

#[test]
fn flow_tests_say_who_is_available_and_every_category_is_staffed_by_default() {
    let scenarios = r#"
[[tests]]
name = "Tuesday morning, no specialist available"
at = "2026-12-01T10:00"
staffed = ["general"]
inputs = ["1", "2"]
outcome = "unfinished"
category = "victim_assistance"
hears = ["Every specialist is helping another caller", "We can call you back"]
not_hears = ["Our office is closed"]

[[tests]]
name = "Tuesday morning, a specialist available"
at = "2026-12-01T10:00"
staffed = ["victim_assistance"]
inputs = ["1", "2"]
outcome = "queued"

[[tests]]
name = "Tuesday morning, nobody at all: operators still queue"
at = "2026-12-01T10:00"
staffed = []
inputs = ["1", "0"]
outcome = "queued"
category = "general"

[[tests]]
name = "Tuesday morning, who is available not said"
at = "2026-12-01T10:00"
inputs = ["1", "2"]
outcome = "queued"
"#;
    let (status, report) = flows_check(&format!("{}{scenarios}", staffed_flow()));
    assert_eq!(status, 0, "{report}");
    assert!(report.contains("17 of 17 scenarios passed"), "{report}");

    let typo = r#"
[[tests]]
name = "a typo"
at = "2026-12-01T10:00"
staffed = ["victim_assistence"]
inputs = ["1", "2"]
outcome = "queued"
"#;
    let (status, report) = flows_check(&format!("{}{typo}", staffed_flow()));
    assert_eq!(status, 1, "{report}");
    assert!(
        report.contains("category `victim_assistence` in `staffed` is not defined"),
        "{report}"
    );
    assert!(
        report.contains("did you mean `victim_assistance`?"),
        "{report}"
    );
}

#[test]
fn simulate_takes_who_is_available() {
    let nobody = simulated("1,2", Some("none")).expect("the simulation runs");
    assert!(nobody.contains(UNSTAFFED), "{nobody}");
    assert!(
        nobody.contains("[node callback_offer · category victim_assistance · language en]"),
        "{nobody}"
    );
    let specialist = simulated("1,2", Some("victim_assistance,general")).expect("it runs");
    assert!(specialist.contains("outcome: queued"), "{specialist}");
    let unsaid = simulated("1,2", None).expect("it runs");
    assert!(unsaid.contains("outcome: queued"), "{unsaid}");
    let typo = simulated("1,2", Some("victim")).expect_err("an unknown category");
    assert!(
        typo.to_string()
            .contains("`victim` in --staffed is not a category of this flow"),
        "{typo}"
    );
}

#[test]
fn an_announcement_no_category_can_play_is_a_warning() {
    let unheard = staffed_flow().replacen("open_requires_staff = true\n", "", 1);
    let (status, report) = flows_check(&unheard);
    assert_eq!(status, 0, "a warning only: {report}");
    assert!(report.contains("unheard-announcement"), "{report}");
    assert!(
        report.contains(
            "schedule `office` has an `unstaffed_announcement`, but none of its categories"
        ),
        "{report}"
    );
}

/// A server on the staffed flow, on the given backend's database, at opening hours.
fn staffed_options(flows: &TempDir) -> impl Fn() -> Options + '_ {
    || Options {
        flows: flows.path().to_path_buf(),
        ..Options::at(OPEN)
    }
}

/// A caller who asks for a victim assistance specialist; the call's step outcomes.
async fn ask_for_a_specialist(app: &TestApp) -> (String, Vec<String>, bool) {
    let mut call = app.call(CALLER);
    call.start().await;
    call.press("1").await;
    call.press("2").await;
    let heard = call.heard();
    let queued = call.queue().is_some();
    let steps = app.store.steps(&call.sid).await.expect("steps");
    (
        heard,
        steps.into_iter().map(|s| s.outcome).collect(),
        queued,
    )
}

#[tokio::test]
async fn in_opening_hours_with_nobody_available_the_caller_is_offered_a_callback_at_once() {
    let flows = folder_with(&staffed_flow());
    on_every_backend_app(staffed_options(&flows), |app| async move {
        add_staff(&app, "ana", Role::Operator, &["general"]).await;
        let (heard, steps, queued) = ask_for_a_specialist(&app).await;
        assert!(!queued, "no queue nobody answers: {heard}");
        assert!(heard.starts_with(UNSTAFFED), "{heard}");
        assert!(heard.contains("We can call you back"), "{heard}");
        assert!(
            steps.contains(&"closed: open but unstaffed".to_string()),
            "{steps:?}"
        );

        let mut operator = app.call(CALLER);
        operator.start().await;
        operator.press("1").await;
        operator.press("0").await;
        assert_eq!(
            operator.queue().as_deref(),
            Some("general"),
            "general does not ask for staff"
        );
    })
    .await;
}

#[tokio::test]
async fn with_someone_available_for_the_category_the_caller_is_queued() {
    let flows = folder_with(&staffed_flow());
    on_every_backend_app(staffed_options(&flows), |app| async move {
        let ana = add_staff(&app, "ana", Role::Operator, &["victim_assistance"]).await;
        let (status, _) = ana
            .post(&app, "/api/v1/me/presence", json!({"available": true}))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (heard, steps, queued) = ask_for_a_specialist(&app).await;
        assert!(queued, "{heard}");
        assert!(
            steps.contains(&"queued in victim_assistance".to_string()),
            "{steps:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_available_supervisor_staffs_every_category() {
    let (_flows, app) = spawn_app_on_flow(&staffed_flow(), OPEN).await;
    let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
    sam.post(&app, "/api/v1/me/presence", json!({"available": true}))
        .await;
    let (heard, _, queued) = ask_for_a_specialist(&app).await;
    assert!(queued, "{heard}");
}

#[tokio::test]
async fn when_the_database_cannot_say_who_is_available_the_caller_is_queued() {
    let (_flows, app) = spawn_app_on_flow(&staffed_flow(), OPEN).await;
    use sqlx::Executor;
    let mut db = app.raw_db().await;
    db.execute("drop table operator_presence")
        .await
        .expect("presence sabotaged");
    let (heard, steps, queued) = ask_for_a_specialist(&app).await;
    assert!(queued, "a database hiccup sends nobody away: {heard}");
    assert!(
        steps.contains(&"queued in victim_assistance".to_string()),
        "{steps:?}"
    );
}

#[test]
fn the_fallback_sends_callers_of_an_unstaffed_fallback_category_to_its_callback_path() {
    use hotline::engine::{self, CallContext, Links};
    let text = staffed_flow().replacen("open_requires_staff = false\n", "", 1);
    let flow = hotline::catalog::load("victim_hotline", "victim_hotline.toml", &text)
        .expect("the flow loads");
    let links = Links::new("https://hotline.example.org");
    let nobody = std::collections::BTreeSet::new();
    let fallback = |staffed| {
        let ctx = CallContext {
            caller: Some(CALLER),
            now: OPEN.parse().expect("an instant"),
            links: &links,
            staffed,
        };
        engine::fallback(&flow, None, &ctx, true).render()
    };
    let unstaffed = fallback(Some(&nobody));
    assert!(!unstaffed.contains("<Enqueue"), "{unstaffed}");
    assert!(
        unstaffed.contains("<Redirect"),
        "to the callback path: {unstaffed}"
    );
    let unknown = fallback(None);
    assert!(unknown.contains("<Enqueue"), "{unknown}");
}

#[tokio::test]
async fn the_reports_count_callers_who_found_their_category_open_but_unstaffed() {
    use crate::support::console_client::{Console, add_console_user};
    let flows = folder_with(&staffed_flow());
    on_every_backend_app(staffed_options(&flows), |app| async move {
        let (_, _, queued) = ask_for_a_specialist(&app).await;
        assert!(!queued);
        let mut operator = app.call(CALLER);
        operator.start().await;
        operator.press("1").await;
        operator.press("0").await;
        add_console_user(&app, "sam", Role::Supervisor, &[]).await;
        let sam = add_staff(&app, "sue", Role::Supervisor, &[]).await;
        // OPEN is Tuesday 1 December in New York.
        let period = "from=2026-12-01&to=2026-12-02";

        let (status, report) = sam.get(&app, &format!("/api/v1/reports?{period}")).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let found = |category: &str| {
            report["triage_outcomes"]
                .as_array()
                .and_then(|rows| rows.iter().find(|r| r["category"] == category))
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(found("victim_assistance")["unstaffed"], 1, "{report}");
        assert_eq!(found("victim_assistance")["queued"], 0, "{report}");
        assert_eq!(found("general")["queued"], 1, "{report}");

        let csv = sam
            .get_response(
                &app,
                &format!("/api/v1/reports/triage-outcomes.csv?{period}"),
            )
            .await
            .text()
            .await
            .expect("the CSV");
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("category,queued,after_hours,closure,closed_now,unstaffed,category_title")
        );
        assert!(
            csv.contains("victim_assistance,0,0,0,0,1,Victim assistance\n"),
            "{csv}"
        );

        let console = Console::sign_in(&app, "sam").await;
        let (status, html) = console
            .get("/operator/reports?from=2026-12-01&to=2026-12-01")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("What callers found at their category"),
            "{html}"
        );
        assert!(
            html.contains("<td data-label=\"Open but unstaffed\">1</td>"),
            "{html}"
        );
        assert!(html.contains("triage-outcomes.csv"), "{html}");
    })
    .await;
}
