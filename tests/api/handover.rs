//! Operators around one caller, on every backend: a request's page and the API name the
//! caller's other requests and warn while someone works one, without showing another
//! category's details; supervisors take a claim off its holder (back to the queue or to another
//! operator), audited, and never while the line is dialling it.

use hotline::operators::Role;
use hotline::store::Claim;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::staff::{add_staff, leave_callback_request, request_id_of};
use crate::support::console_client::{Console, add_console_user, location};
use crate::support::helpers::{Options, TestApp, WEEKEND_MORNING, on_every_backend_app};

/// Two requests from one caller: general (0) and victim assistance (2).
async fn two_requests(app: &TestApp) -> (String, String) {
    let general = leave_callback_request(app, "1", "0", "1", None).await;
    let victim = leave_callback_request(app, "1", "2", "1", None).await;
    (
        request_id_of(app, &general).await,
        request_id_of(app, &victim).await,
    )
}

#[tokio::test]
async fn a_callers_requests_are_linked_and_a_worked_one_warns_the_others() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            let (general, victim) = two_requests(&app).await;
            add_console_user(
                &app,
                "ana",
                Role::Operator,
                &["general", "victim_assistance"],
            )
            .await;
            let sam = add_staff(&app, "sam", Role::Operator, &["general"]).await;
            let vic = add_console_user(&app, "vic", Role::Operator, &["victim_assistance"]).await;
            let ana = Console::sign_in(&app, "ana").await;

            let (_, page) = ana.get(&format!("/operator/requests/{victim}")).await;
            assert!(page.contains("Other requests from this caller"), "{page}");
            assert!(page.contains(&format!("/operator/requests/{general}")));
            assert!(!page.contains("same-caller-warning"), "nobody works it yet");

            let claim = format!("/api/v1/callbacks/{general}/claim");
            assert_eq!(sam.post(&app, &claim, json!({})).await.0, StatusCode::OK);
            let (_, page) = ana.get(&format!("/operator/requests/{victim}")).await;
            assert!(
                page.contains("sam holds another request from this caller (General)"),
                "{}: {page}",
                app.backend
            );

            // vic does not work general: told it is being worked, nothing else of it.
            let vic_page = Console::sign_in(&app, "vic").await;
            let (_, page) = vic_page.get(&format!("/operator/requests/{victim}")).await;
            assert!(page.contains("In a category you do not work"), "{page}");
            assert!(page.contains("being worked in a category you do not work"));
            let named = page.contains("by sam") || page.contains("sam holds");
            assert!(!page.contains(&general) && !named, "{page}");
            let (_, detail) = vic.get(&app, &format!("/api/v1/callbacks/{victim}")).await;
            let other = &detail["same_caller"][0];
            assert_eq!(other["id"], Value::Null, "{detail}");
            assert_eq!(other["status"], "claimed");
            assert_eq!(other["claimed_by"], Value::Null);
            assert_eq!(other["category_title"], Value::Null, "nor its category");
        },
    )
    .await;
}

#[tokio::test]
async fn a_supervisor_hands_a_claim_over_or_back_and_the_audit_log_says_so() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            let (general, _) = two_requests(&app).await;
            let boss = add_console_user(&app, "boss", Role::Supervisor, &[]).await;
            let sam = add_staff(&app, "sam", Role::Operator, &["general"]).await;
            let ana = add_staff(&app, "ana", Role::Operator, &["general"]).await;
            add_staff(&app, "vic", Role::Operator, &["victim_assistance"]).await;
            let claim = format!("/api/v1/callbacks/{general}/claim");
            assert_eq!(sam.post(&app, &claim, json!({})).await.0, StatusCode::OK);

            let reassign = format!("/api/v1/callbacks/{general}/reassign");
            let (status, _) = ana.post(&app, &reassign, json!({"operator": "ana"})).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "operators cannot take claims"
            );
            let (status, body) = boss.post(&app, &reassign, json!({"operator": "vic"})).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let (status, moved) = boss.post(&app, &reassign, json!({"operator": "ana"})).await;
            assert_eq!(status, StatusCode::OK, "{}: {moved}", app.backend);
            assert_eq!(moved["claimed_by_name"], "ana");
            let done = json!({"outcome": "no_answer", "notes": ""});
            let complete = format!("/api/v1/callbacks/{general}/complete");
            let (status, _) = sam.post(&app, &complete, done.clone()).await;
            assert_eq!(status, StatusCode::CONFLICT, "sam no longer holds it");

            // Back to the queue, from the console.
            let console = Console::sign_in(&app, "boss").await;
            let page = format!("/operator/requests/{general}");
            let (_, html) = console.get(&page).await;
            assert!(html.contains("Take the claim off ana"), "{html}");
            let sent = console
                .submit(&page, &format!("{page}/reassign"), &[("operator", "")])
                .await;
            assert_eq!(location(sent.headers()), format!("{page}?done=released"));
            let (_, detail) = boss
                .get(&app, &format!("/api/v1/callbacks/{general}"))
                .await;
            assert_eq!(detail["request"]["status"], "pending");
            let (status, _) = boss.post(&app, &reassign, json!({"operator": "ana"})).await;
            assert_eq!(status, StatusCode::CONFLICT, "nobody holds it now");

            let (_, log) = boss.get(&app, "/api/v1/audit").await;
            let entries: Vec<(String, String)> = log
                .as_array()
                .expect("entries")
                .iter()
                .filter(|e| e["subject"] == general.as_str())
                .map(|e| {
                    (
                        e["action"].as_str().unwrap_or_default().into(),
                        e["detail"].to_string(),
                    )
                })
                .collect();
            assert!(
                entries.contains(&("reassign_claim".into(), "\"from sam to ana\"".into())),
                "{entries:?}"
            );
            assert!(entries.contains(&("release_claim".into(), "\"from ana\"".into())));
        },
    )
    .await;
}

#[tokio::test]
async fn a_claim_is_not_taken_while_the_line_dials_its_caller() {
    on_every_backend_app(
        || Options::at(WEEKEND_MORNING),
        |app| async move {
            let (general, _) = two_requests(&app).await;
            let boss = add_staff(&app, "boss", Role::Supervisor, &[]).await;
            add_staff(&app, "sam", Role::Operator, &["general"]).await;
            let sam = app.store.sign_in("sam").await.expect("read").expect("sam");
            let claim = Claim {
                request_id: general.clone(),
                operator_id: sam.operator.id,
                at: WEEKEND_MORNING
                    .parse::<jiff::Timestamp>()
                    .expect("an instant")
                    .as_millisecond(),
                stale_before: 0,
            };
            app.store
                .start_dial(&claim, "dial-1")
                .await
                .expect("dialling");
            let reassign = format!("/api/v1/callbacks/{general}/reassign");
            let (status, body) = boss.post(&app, &reassign, json!({"operator": null})).await;
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
            assert_eq!(body["error"]["code"], "call_in_progress");
        },
    )
    .await;
}
