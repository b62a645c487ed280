//! The staffing report over real HTTP, on each backend: callers answered live give the
//! calls offered and the handle time of their hour of the week, and Erlang C the operators
//! needed for the share and time a supervisor asks for (in the API and on the console's
//! form); callback requests give the operators calling them back within their category's
//! target takes, from the line's calls back or the default time.

use hotline::operators::Role;
use hotline::reports::StaffingGoal;
use hotline::reports::staffing::operators_needed;
use hotline::store::Claim;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::staff::{Staff, add_staff, leave_callback_request, request_id_of};
use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{
    AFTER_HOURS, OPEN, Options, TestApp, on_every_backend_app, shipped_flow_text,
};

const DAY: &str = "from=2026-12-01&to=2026-12-02";

/// Six callers at OPEN (Tuesday 10:00 in New York) reach a specialist live, each answered
/// after 30 s and on the line with the operator for 300 s.
async fn six_answered_callers(app: &TestApp) {
    for i in 0..6 {
        let mut call = app.call(&format!("+1202555030{i}"));
        call.start().await;
        call.press("1").await;
        call.press("2").await;
        assert!(call.queue().is_some(), "queued: {:?}", call.twiml());
        call.queue_result("bridged", "30").await;
        // Five and a half minutes in all: 30 s waiting, 300 s with the operator.
        call.end("completed", "330", "3").await;
    }
}

#[tokio::test]
async fn answered_callers_give_their_hours_calls_handle_time_and_operators_needed() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            six_answered_callers(&app).await;
            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
            let (status, report) = sam.get(&app, &format!("/api/v1/reports?{DAY}")).await;
            assert_eq!(status, StatusCode::OK, "{report}");
            let staffing = &report["staffing"];
            assert_eq!(staffing["goal"]["share"], 0.8, "{staffing}");
            let hours = staffing["hours"].as_array().expect("hours");
            assert_eq!(hours.len(), 1, "{staffing}");
            let tuesday_ten = &hours[0];
            assert_eq!(
                (&tuesday_ten["weekday"], &tuesday_ten["hour"]),
                (&"Tue".into(), &10.into()),
                "10:00 in New York"
            );
            assert_eq!(tuesday_ten["calls_offered"], 6.0);
            assert_eq!(tuesday_ten["handle_seconds"], 300.0);
            let expected = operators_needed(6.0, 300.0, StaffingGoal::default());
            assert_eq!(tuesday_ten["operators_needed"], expected, "{staffing}");

            // A stricter goal needs at least as many, and the CSV says the same.
            let strict = format!("/api/v1/reports?{DAY}&service_level=99&answer_within=5");
            let (_, report) = sam.get(&app, &strict).await;
            let more = report["staffing"]["hours"][0]["operators_needed"]
                .as_u64()
                .expect("a count");
            assert!(more > u64::from(expected), "{report}");
            let csv = app
                .client
                .get(format!("{}/api/v1/reports/staffing.csv?{DAY}", app.base))
                .bearer_auth(&sam.token)
                .send()
                .await
                .expect("the CSV")
                .text()
                .await
                .expect("text");
            assert!(csv.contains(&format!("Tue,10,6,300,{expected},0")), "{csv}");

            add_console_user(&app, "sue", Role::Supervisor, &[]).await;
            let sue = Console::sign_in(&app, "sue").await;
            let (_, page) = sue
                .get("/operator/reports?from=2026-12-01&to=2026-12-01")
                .await;
            assert!(
                page.contains("Operators needed by hour of the week"),
                "{page}"
            );
            assert!(page.contains("Tue 10:00"), "{page}");
            assert!(page.contains("/operator/reports/staffing.csv"), "{page}");

            let (status, refused) = sam
                .get(&app, &format!("/api/v1/reports?{DAY}&service_level=150"))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        },
    )
    .await;
}

/// The hour of the week `weekday hour` in a staffing plan.
fn plan_hour<'a>(staffing: &'a Value, weekday: &str, hour: u64) -> &'a Value {
    let hours = staffing["hours"].as_array().expect("hours");
    let found = hours
        .iter()
        .find(|h| h["weekday"] == weekday && h["hour"] == hour);
    found.unwrap_or_else(|| panic!("no {weekday} {hour}: {staffing}"))
}

async fn staffing_of(app: &TestApp, sam: &Staff) -> Value {
    let path = "/api/v1/reports?from=2026-11-30&to=2026-12-01";
    let (status, report) = sam.get(app, path).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report["staffing"].clone()
}

#[tokio::test]
async fn callback_requests_add_the_operators_calling_them_back_within_the_target_takes() {
    // Victim assistance requests are to be called back within 4 hours.
    let flows = tempfile::tempdir().expect("a flows folder");
    let text = shipped_flow_text().replace(
        "[categories.victim_assistance]\n",
        "[categories.victim_assistance]\ncallback_within_hours = 4\n",
    );
    std::fs::write(flows.path().join("victim_hotline.toml"), text).expect("the flow written");
    let folder = flows.path().to_path_buf();
    let options = || Options {
        flows: folder.clone(),
        ..Options::at(AFTER_HOURS)
    };
    on_every_backend_app(options, |app| async move {
        // AFTER_HOURS is Monday 30 November, 21:00 in New York: five callers leave requests.
        let mut sids = Vec::new();
        for _ in 0..5 {
            sids.push(leave_callback_request(&app, "1", "2", "1", None).await);
        }
        let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;

        // Nobody was called back yet: each request is assumed to take ten minutes, and the
        // four hours to 01:00 hold no calling hour, so all of it falls at 09:00 on Tuesday.
        let staffing = staffing_of(&app, &sam).await;
        assert_eq!(staffing["callback_handle_seconds"], 600.0, "{staffing}");
        assert_eq!(staffing["callback_handle_measured"], false);
        let monday = plan_hour(&staffing, "Mon", 21);
        assert_eq!(monday["callback_requests"], 5.0);
        assert_eq!(
            monday["callback_operators"], 0,
            "nobody may be rung at 21:00"
        );
        let tuesday = plan_hour(&staffing, "Tue", 9);
        assert_eq!(tuesday["callback_load"], 0.83, "5 × 600 s in one hour");
        assert_eq!(
            (&tuesday["callback_operators"], &tuesday["total_operators"]),
            (&json!(1), &json!(1))
        );

        // The line called each back for fifteen minutes: 5 × 900 s needs two people.
        let ana = add_staff(&app, "ana", Role::Operator, &["victim_assistance"]).await;
        let at: jiff::Timestamp = AFTER_HOURS.parse().expect("an instant");
        let placed = at.as_millisecond() + 5 * 60_000;
        for (n, sid) in sids.iter().enumerate() {
            let claim = Claim {
                request_id: request_id_of(&app, sid).await,
                operator_id: ana.operator.id.clone(),
                at: placed,
                stale_before: 0,
            };
            let dial = format!("dial-{n}");
            app.store.start_dial(&claim, &dial).await.expect("dialled");
            let ended = placed + 900_000;
            app.store
                .end_dial(&dial, "completed", ended)
                .await
                .expect("ended");
        }
        let staffing = staffing_of(&app, &sam).await;
        assert_eq!(staffing["callback_handle_seconds"], 900.0, "{staffing}");
        assert_eq!(staffing["callbacks_timed"], 5);
        let tuesday = plan_hour(&staffing, "Tue", 9);
        assert_eq!(tuesday["callback_load"], 1.25);
        assert_eq!(tuesday["total_operators"], 2, "{tuesday}");
        let csv = sam
            .get_response(
                &app,
                "/api/v1/reports/staffing.csv?from=2026-11-30&to=2026-12-01",
            )
            .await
            .text()
            .await
            .expect("the CSV");
        assert!(csv.contains("\nTue,9,0,,0,0,1.25,2,2\n"), "{csv}");

        // The console shows it beside the live figure, for the goal the supervisor chose.
        add_console_user(&app, "sue", Role::Supervisor, &[]).await;
        let sue = Console::sign_in(&app, "sue").await;
        let goal = "service_level=90&answer_within=30";
        let path = format!("/operator/reports?from=2026-11-30&to=2026-12-01&{goal}");
        let (status, page) = sue.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        for shown in [
            "90 % of callers answered within 30 s",
            "step=\"any\" value=\"90\"",
            "15 min, measured: the calls back the operator line placed for 5 requests",
            "<td data-label=\"Calling back\">2 (1.25 busy)</td>",
            "&#38;service_level=90&#38;answer_within=30\" download>staffing</a>",
        ] {
            assert!(page.contains(shown), "{shown}: {page}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_console_plans_for_the_goal_a_supervisor_types_and_refuses_one_out_of_bounds() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            six_answered_callers(&app).await;
            add_console_user(&app, "sue", Role::Supervisor, &[]).await;
            let sue = Console::sign_in(&app, "sue").await;
            let row = |goal: StaffingGoal| {
                let n = operators_needed(6.0, 300.0, goal);
                format!("<td data-label=\"Live calls\">{n}</td>")
            };
            let day = "/operator/reports?from=2026-12-01&to=2026-12-01";
            let (_, page) = sue.get(day).await;
            assert!(
                page.contains("80 % of callers answered within 60 s"),
                "{page}"
            );
            assert!(page.contains(&row(StaffingGoal::default())), "{page}");
            let strict = StaffingGoal {
                share: 0.99,
                within_seconds: 5,
            };
            let (status, page) = sue
                .get(&format!("{day}&service_level=99&answer_within=5"))
                .await;
            assert_eq!(status, StatusCode::OK);
            assert!(page.contains(&row(strict)), "{page}");

            for (asked, said) in [
                ("service_level=0", "must be a percentage from 1 to 99"),
                ("service_level=lots", "must be a percentage from 1 to 99"),
                ("answer_within=3601", "must be whole seconds from 1 to 3600"),
            ] {
                let (status, page) = sue.get(&format!("{day}&{asked}")).await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{asked}");
                assert!(
                    page.contains(said) && !page.contains('`'),
                    "{asked}: {page}"
                );
            }
            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
            let api = "/api/v1/reports?from=2026-12-01&to=2026-12-02&answer_within=0";
            let (status, refused) = sam.get(&app, api).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            let message = refused["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains("must be whole seconds from 1 to 3600"),
                "{refused}"
            );
        },
    )
    .await;
}
