//! The supervisors' reports page in the console: the period, the tables, the CSV downloads,
//! and operators kept out.

use hotline::operators::Role;
use reqwest::StatusCode;

use crate::staff::leave_callback_request;
use crate::support::console_client::{Console, add_console_user, assert_balanced};
use crate::support::helpers::{AFTER_HOURS, Options, spawn_app};

#[tokio::test]
async fn a_supervisor_reads_the_period_s_reports_and_downloads_them_as_csv() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    leave_callback_request(&app, "1", "2", "1", None).await;
    let mut lost = app.call("+12025550188");
    lost.start().await;
    lost.press("1").await;
    lost.end("completed", "20", "5").await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    add_console_user(&app, "ana", Role::Operator, &["general"]).await;
    let sam = Console::sign_in(&app, "sam").await;

    // AFTER_HOURS is the evening of Monday 30 November in New York.
    let (status, html) = sam
        .get("/operator/reports?from=2026-11-30&to=2026-11-30")
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_balanced(&html);
    assert!(
        html.contains("How callers reached help") && html.contains("Chose a category in the menu")
    );
    assert!(
        html.contains("<code>main_menu</code>"),
        "the lost caller hung up at the main menu: {html}"
    );
    assert!(
        html.contains("2026-11-30") && html.contains("victim_assistance"),
        "{html}"
    );
    let csv = sam
        .get_raw("/operator/reports/drop-off.csv?from=2026-11-30&to=2026-11-30")
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("drop-off-2026-11-30")
    );
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with("node,reached,hung_up,rate\n") && text.contains("main_menu,"),
        "{text}"
    );

    let (_, earlier) = sam
        .get("/operator/reports?from=2026-11-01&to=2026-11-29")
        .await;
    assert!(earlier.contains("No calls in this period."), "{earlier}");
    let (status, _) = sam.get("/operator/reports?from=yesterday").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let ana = Console::sign_in(&app, "ana").await;
    let (status, _) = ana.get("/operator/reports").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, queue) = ana.get("/operator").await;
    assert!(
        !queue.contains("/operator/reports"),
        "operators are not offered the reports"
    );
}
