//! The people page over real HTTP, on each backend: a supervisor sees everyone as they stand
//! at a fixed clock and sets someone's weekly shifts with the form; the queue and the wallboard
//! then say that person is due and missing; a shift written wrong shows the command line's
//! message and changes nothing; an empty field clears the shifts; each change is in the audit
//! log; operators are kept out.

use hotline::operators::Role;
use hotline::store::OperatorChange;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::console_client::{Console, add_console_user, assert_balanced, location};
use crate::support::helpers::{OPEN, Options, on_every_backend_app};

/// `text` as askama writes it into a page.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;").replace('"', "&#34;")
}

#[tokio::test]
async fn a_supervisor_sets_shifts_on_the_people_page_and_the_queue_follows() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            // OPEN is Tuesday 1 December, 10:00 in New York.
            let sam = add_console_user(&app, "sam", Role::Supervisor, &[]).await;
            add_console_user(&app, "ana", Role::Operator, &["general"]).await;
            add_console_user(
                &app,
                "ben",
                Role::Operator,
                &["general", "victim_assistance"],
            )
            .await;
            let phone = OperatorChange::Phone(Some("+12025550111".into()));
            app.store
                .update_operator("ben", &phone)
                .await
                .expect("phone");
            let boss = Console::sign_in(&app, "sam").await;

            let (status, page) = boss.get("/operator/people").await;
            assert_eq!(status, StatusCode::OK, "{page}");
            assert_balanced(&page);
            assert!(page.contains("href=\"/operator/people\" aria-current=\"page\""));
            assert!(
                page.contains("General, Victim assistance"),
                "categories by title: {page}"
            );
            assert!(page.contains("phone registered") && !page.contains("2025550111"));
            assert!(page.contains("Every category"), "the supervisor: {page}");

            let set = [("name", "ana"), ("shifts", "Mon-Fri 09:00-17:00")];
            let saved = boss
                .submit("/operator/people", "/operator/people/shifts", &set)
                .await;
            assert_eq!(saved.status(), StatusCode::SEE_OTHER);
            let to = location(saved.headers()).to_string();
            assert!(to.starts_with("/operator/people?saved="), "{to}");
            let (_, page) = boss.get(&to).await;
            assert!(
                page.contains("ana&#39;s shifts are now: mon-fri 09:00-17:00."),
                "{page}"
            );
            assert!(page.contains("value=\"mon-fri 09:00-17:00\""), "{page}");
            assert!(page.contains("<strong>Due, missing</strong>"), "{page}");

            // The queue and the wallboard hold the new shift against the clock.
            let general = sam.queue_entry(&app, "general").await;
            assert_eq!(general["due"], json!(["ana"]), "{general}");
            assert_eq!(general["missing"], json!(["ana"]), "{general}");
            let (_, wall) = boss.get("/operator/wallboard").await;
            assert!(wall.contains("On shift: ana; missing: ana"), "{wall}");

            let typo = [("name", "ana"), ("shifts", "mon-fry 09:00-17:00")];
            let refused = boss
                .submit("/operator/people", "/operator/people/shifts", &typo)
                .await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let page = refused.text().await.expect("the page");
            let message = "\"fry\" in \"mon-fry 09:00-17:00\" is not a day; write mon, tue";
            assert!(page.contains(&escaped(message)), "{page}");
            assert!(
                page.contains("value=\"mon-fry 09:00-17:00\" "),
                "kept: {page}"
            );
            assert!(page.contains("aria-invalid=\"true\""), "{page}");
            let general = sam.queue_entry(&app, "general").await;
            assert_eq!(general["due"], json!(["ana"]), "nothing changed: {general}");

            let clear = [("name", "ana"), ("shifts", "")];
            let cleared = boss
                .submit("/operator/people", "/operator/people/shifts", &clear)
                .await;
            assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
            let (_, page) = boss.get(location(cleared.headers())).await;
            assert!(page.contains("ana has no shifts now."), "{page}");
            let general = sam.queue_entry(&app, "general").await;
            assert_eq!(general["due"], json!([]), "{general}");

            let (_, audit) = sam.get(&app, "/api/v1/audit?action=set_shifts").await;
            let entries: Vec<(&str, &str, &str)> = audit
                .as_array()
                .expect("entries")
                .iter()
                .map(|e| {
                    let text = |k: &str| e[k].as_str().unwrap_or_default();
                    (text("operator_name"), text("subject"), text("detail"))
                })
                .collect();
            assert_eq!(
                entries,
                [
                    ("sam", "ana", "none"),
                    ("sam", "ana", "mon-fri 09:00-17:00")
                ],
                "newest first; the refused one is not there"
            );
            let (_, log) = boss.get("/operator/audit?action=set_shifts").await;
            assert!(
                log.contains("set shifts") && log.contains("/operator/people"),
                "{log}"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn operators_are_kept_off_the_people_page_and_its_form() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            let sam = add_console_user(&app, "sam", Role::Supervisor, &[]).await;
            add_console_user(&app, "ana", Role::Operator, &["general"]).await;
            let ana = Console::sign_in(&app, "ana").await;
            let (status, _) = ana.get("/operator/people").await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            let (_, queue) = ana.get("/operator").await;
            assert!(!queue.contains("/operator/people"), "not in her navigation");
            let set = [("name", "ana"), ("shifts", "daily 00:00-24:00")];
            let refused = ana
                .submit("/operator", "/operator/people/shifts", &set)
                .await;
            assert_eq!(refused.status(), StatusCode::FORBIDDEN);
            let general = sam.queue_entry(&app, "general").await;
            assert_eq!(general["due"], json!([]), "nothing changed: {general}");

            // A form without the session's token is refused before anything is read.
            let boss = Console::sign_in(&app, "sam").await;
            let forged = boss
                .post(
                    "/operator/people/shifts",
                    &[
                        ("csrf", "forged"),
                        ("name", "ana"),
                        ("shifts", "daily 00:00-24:00"),
                    ],
                )
                .await;
            assert_eq!(forged.status(), StatusCode::FORBIDDEN);
            let general = sam.queue_entry(&app, "general").await;
            assert_eq!(general["due"], json!([]), "nothing changed: {general}");
        },
    )
    .await;
}
