//! Finding what is over, on every backend: closed requests and past calls by period, category,
//! outcome and number, each operator within their categories and every search audited with the
//! number masked; and the audit log narrowed by who and what.

use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::staff::{Staff, leave_callback_request, request_id_of};
use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{Options, TestApp, WEEKEND_MORNING, on_every_backend_app};

/// Claims request `id` and closes it with `outcome`.
async fn close(app: &TestApp, who: &Staff, id: &str, outcome: &str) {
    let claim = format!("/api/v1/callbacks/{id}/claim");
    assert_eq!(who.post(app, &claim, json!({})).await.0, StatusCode::OK);
    let complete = format!("/api/v1/callbacks/{id}/complete");
    let body = json!({"outcome": outcome, "notes": ""});
    let (status, done) = who.post(app, &complete, body).await;
    assert_eq!(status, StatusCode::OK, "{done}");
}

fn ids(found: &Value) -> Vec<String> {
    found["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn closed_requests_and_calls_are_found_by_category_outcome_and_number() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            let general = leave_callback_request(&app, "1", "0", "1", None).await;
            let general = request_id_of(&app, &general).await;
            let victim = leave_callback_request(&app, "1", "2", "1", None).await;
            let victim = request_id_of(&app, &victim).await;
            let ana = add_console_user(&app, "ana", Role::Operator, &["general"]).await;
            let vic = add_console_user(&app, "vic", Role::Operator, &["victim_assistance"]).await;
            let boss = add_console_user(&app, "boss", Role::Supervisor, &[]).await;
            close(&app, &ana, &general, "resolved").await;
            close(&app, &vic, &victim, "wrong_number").await;
            let days = "from=2026-12-01&to=2026-12-06";

            let (status, found) = ana.get(&app, &format!("/api/v1/history?{days}")).await;
            assert_eq!(status, StatusCode::OK, "{found}");
            assert_eq!(
                ids(&found),
                std::slice::from_ref(&general),
                "{}: {found}",
                app.backend
            );
            assert_eq!(found["calls"].as_array().map(Vec::len), Some(1), "{found}");
            let path = format!("/api/v1/history?{days}&outcome=wrong_number");
            assert_eq!(
                ids(&boss.get(&app, &path).await.1),
                std::slice::from_ref(&victim)
            );
            // A number is searched for in a posted body: URLs end up in access logs.
            let by_number =
                |number: &str| json!({"from": "2026-12-01", "to": "2026-12-06", "number": number});
            let searched = boss.post(&app, "/api/v1/history", by_number("(202) 555-0123"));
            assert_eq!(ids(&searched.await.1).len(), 2);
            let searched = boss.post(&app, "/api/v1/history", by_number("+12025559999"));
            assert!(ids(&searched.await.1).is_empty());
            let path = format!("/api/v1/history?{days}&category=victim_assistance");
            assert_eq!(ana.get(&app, &path).await.0, StatusCode::FORBIDDEN);
            let searched = ana.post(&app, "/api/v1/history", by_number("somebody"));
            assert_eq!(searched.await.0, StatusCode::UNPROCESSABLE_ENTITY);
            let path = format!("/api/v1/history?{days}&number=%2B12025550123");
            let (status, refused) = boss.get(&app, &path).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(refused.to_string().contains("POST"), "{refused}");

            // The console's page: ana's own category, with a link to the closed request.
            let console = Console::sign_in(&app, "ana").await;
            let history = "/operator/history";
            let found = (console.submit(history, history, &[("number", "2025550123")])).await;
            assert_eq!(found.status(), StatusCode::OK);
            let page = found.text().await.expect("the page");
            assert!(page.contains("method=\"post\" action=\"/operator/history\""));
            assert!(
                page.contains(&format!("/operator/requests/{general}")),
                "{page}"
            );
            assert!(page.contains("Resolved (completed)") && !page.contains(&victim));
            assert!(page.contains("+1********23") && !page.contains("2025550123</"));

            let (_, log) = boss.get(&app, "/api/v1/audit?action=search_history").await;
            let text = log.to_string();
            assert!(text.contains("number=+1********23"), "{text}");
            assert!(
                !text.contains("2025550123"),
                "no clear number in the audit log"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn the_audit_log_is_narrowed_by_who_and_what() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            let general = leave_callback_request(&app, "1", "0", "1", None).await;
            let general = request_id_of(&app, &general).await;
            let ana = add_console_user(&app, "ana", Role::Operator, &["general"]).await;
            let boss = add_console_user(&app, "boss", Role::Supervisor, &[]).await;
            close(&app, &ana, &general, "resolved").await;
            let (_, detail) = boss
                .get(&app, &format!("/api/v1/callbacks/{general}"))
                .await;
            assert_eq!(detail["request"]["status"], "completed");

            let (_, log) = boss
                .get(&app, "/api/v1/audit?operator=ana&action=complete")
                .await;
            let entries = log.as_array().expect("entries");
            assert_eq!(entries.len(), 1, "{}: {log}", app.backend);
            assert_eq!(entries[0]["subject"], general.as_str());
            let (_, log) = boss.get(&app, "/api/v1/audit?operator=boss").await;
            assert!(
                log.as_array()
                    .expect("entries")
                    .iter()
                    .all(|e| e["action"] == "view_request")
            );

            let console = Console::sign_in(&app, "boss").await;
            let (status, page) = console
                .get("/operator/audit?operator=ana&action=claim")
                .await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                page.matches("<tr>").count(),
                2,
                "a heading and one entry: {page}"
            );
            assert!(page.contains(&format!("/operator/requests/{general}")));
            assert!(page.contains(r#"<option value="ana" selected>"#), "{page}");
        },
    )
    .await;
}
