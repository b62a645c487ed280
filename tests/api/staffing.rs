//! The staffing report over real HTTP, on each backend: callers answered live give the
//! calls offered and the handle time of their hour of the week, and Erlang C the operators
//! needed for the share and time a supervisor asks for.

use hotline::operators::Role;
use hotline::reports::StaffingGoal;
use hotline::reports::staffing::operators_needed;
use reqwest::StatusCode;

use crate::staff::add_staff;
use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{OPEN, Options, on_every_backend_app};

const DAY: &str = "from=2026-12-01&to=2026-12-02";

#[tokio::test]
async fn answered_callers_give_their_hours_calls_handle_time_and_operators_needed() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
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
