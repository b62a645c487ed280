//! The supervisors' reports page in the console: the period, the tables, the CSV downloads,
//! and operators kept out.

use hotline::operators::Role;
use reqwest::StatusCode;

use crate::staff::leave_callback_request;
use crate::support::console_client::{Console, add_console_user, assert_balanced};
use crate::support::helpers::{AFTER_HOURS, OPEN, Options, spawn_app};

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
        html.contains(r#"Main menu <code class="node-id">main_menu</code>"#),
        "the lost caller hung up at the main menu, named with its id: {html}"
    );
    assert!(
        html.contains(r#"<td data-label="Category">Victim assistance</td>"#),
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
        text.starts_with("node,reached,hung_up,rate,node_title\n")
            && text.contains("main_menu,1,1,1.0000,Main menu\n"),
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

#[tokio::test]
async fn the_reports_page_draws_its_charts_with_category_titles() {
    let app = spawn_app(Options::at(OPEN)).await;
    // English, a victim assistance specialist, answered after 42 seconds.
    let mut answered = app.call("+12025550177");
    answered.start().await;
    answered.press("1").await;
    answered.press("2").await;
    answered.queue_result("bridged", "42").await;
    let mut lost = app.call("+12025550188");
    lost.start().await;
    lost.press("1").await;
    lost.end("completed", "20", "5").await;
    add_console_user(&app, "sam", Role::Supervisor, &[]).await;
    let sam = Console::sign_in(&app, "sam").await;

    // OPEN is Tuesday 1 December in New York.
    let (status, html) = sam
        .get("/operator/reports?from=2026-11-25&to=2026-12-01")
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_balanced(&html);
    let days = chart(&html, "chart-days");
    assert!(days.contains(r#"role="img""#), "{days}");
    assert!(days.contains(r#"aria-labelledby="chart-days-title chart-days-desc""#));
    assert!(
        days.contains(">Victim assistance</text>"),
        "the legend names the category: {days}"
    );
    assert!(!days.contains(">victim_assistance<"), "not its id: {days}");
    assert_eq!(days.matches(r#"class="segment "#).count(), 2, "{days}");
    assert!(days.contains(">25 Nov</text>") && days.contains(">1 Dec</text>"));
    let answer = chart(&html, "chart-answer");
    assert!(
        answer.contains("median 42 s · 90 % within 42 s"),
        "{answer}"
    );
    let drop_off = chart(&html, "chart-drop-off");
    assert!(drop_off.contains(">Main menu</text>"), "{drop_off}");
    assert!(!drop_off.contains(">main_menu<"), "not its id: {drop_off}");
    assert!(
        !html.contains(" style="),
        "no inline style: the console's policy forbids it"
    );
}

/// The SVG of the chart `id` on a page.
fn chart<'a>(html: &'a str, id: &str) -> &'a str {
    let title = format!(r#"<title id="{id}-title">"#);
    let at = html
        .find(&title)
        .unwrap_or_else(|| panic!("no chart {id}: {html}"));
    let start = html[..at].rfind("<svg").expect("the chart's svg");
    let end = at + html[at..].find("</svg>").expect("the chart's end");
    &html[start..end]
}
