//! The roster in the API, on each backend at a fixed clock: supervisors list everyone with
//! their availability and shifts (no secrets, no phone numbers) and replace someone's shifts;
//! a shift written wrong is refused with the command line's own message and changes nothing;
//! operators are refused.

use hotline::operators::Role;
use hotline::store::OperatorChange;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::shifts::cli;
use crate::staff::{Staff, add_staff};
use crate::support::helpers::{OPEN, Options, TestApp, on_every_backend_app};

/// The person named `name` in `GET /api/v1/operators`.
async fn person(app: &TestApp, staff: &Staff, name: &str) -> Value {
    let (status, people) = staff.get(app, "/api/v1/operators").await;
    assert_eq!(status, StatusCode::OK, "{people}");
    let all = people.as_array().cloned().unwrap_or_default();
    all.into_iter()
        .find(|p| p["name"] == name)
        .unwrap_or_default()
}

#[tokio::test]
async fn supervisors_list_the_roster_and_set_shifts_through_the_api() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            // OPEN is Tuesday 1 December, 10:00 in New York.
            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
            let ana = add_staff(&app, "ana", Role::Operator, &["general"]).await;
            add_staff(&app, "gus", Role::Operator, &["general"]).await;
            let phone = OperatorChange::Phone(Some("+12025550111".into()));
            app.store
                .update_operator("ana", &phone)
                .await
                .expect("phone");
            ana.post(&app, "/api/v1/me/presence", json!({"available": true}))
                .await;

            let (status, set) = sam
                .put(
                    &app,
                    "/api/v1/operators/ana/shifts",
                    json!({"shifts": ["tue 08:00-12:00, thu 08:00-12:00", "Monday 08:00-12:00"]}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{set}");
            assert_eq!(
                set,
                json!({
                    "name": "ana", "role": "operator", "categories": ["general"],
                    "active": true, "available": true, "until": "2026-12-01T16:00:00Z",
                    "shifts": ["mon-tue 08:00-12:00", "thu 08:00-12:00"],
                    "due_now": true, "phone_registered": true,
                })
            );
            assert_eq!(person(&app, &sam, "ana").await, set, "GET lists the same");
            let (_, people) = sam.get(&app, "/api/v1/operators").await;
            let names: Vec<&str> = people
                .as_array()
                .expect("a list")
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(names, ["ana", "gus", "sam"]);
            let text = people.to_string();
            for secret in ["2025550111", "password", "pin", "token", "phone_number"] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }

            // A disabled operator keeps their shifts but is never due.
            cli(&app, &["edit", "gus", "--shift", "daily 00:00-24:00"])
                .await
                .expect("set");
            cli(&app, &["disable", "gus"]).await.expect("disabled");
            let gus = person(&app, &sam, "gus").await;
            assert_eq!(
                (&gus["active"], &gus["due_now"], &gus["shifts"]),
                (
                    &json!(false),
                    &json!(false),
                    &json!(["mon-sun 00:00-24:00"])
                )
            );

            let (status, cleared) = sam
                .put(&app, "/api/v1/operators/ana/shifts", json!({"shifts": []}))
                .await;
            assert_eq!(status, StatusCode::OK, "{cleared}");
            assert_eq!(
                (&cleared["shifts"], &cleared["due_now"]),
                (&json!([]), &json!(false))
            );
        },
    )
    .await;
}

#[tokio::test]
async fn a_bad_shift_is_refused_with_the_command_lines_message_and_operators_are_refused() {
    on_every_backend_app(
        || Options::at(OPEN),
        |app| async move {
            let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
            let ana = add_staff(&app, "ana", Role::Operator, &["general"]).await;
            let path = "/api/v1/operators/ana/shifts";
            let (status, _) = sam
                .put(&app, path, json!({"shifts": ["mon-fri 09:00-17:00"]}))
                .await;
            assert_eq!(status, StatusCode::OK);

            for bad in ["fri 22:00-06:00", "mon-fry 09:00-17:00", "mon-fri"] {
                let (status, refused) = sam.put(&app, path, json!({"shifts": [bad]})).await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
                assert_eq!(refused["error"]["code"], "invalid");
                let said = cli(&app, &["edit", "ana", "--shift", bad])
                    .await
                    .expect_err("the command line refuses it too")
                    .to_string();
                assert_eq!(refused["error"]["message"], said, "the same words");
            }
            let (status, _) = sam
                .put(&app, path, json!({"shifts": "mon 09:00-12:00"}))
                .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "a list, not a string"
            );
            let ana_now = person(&app, &sam, "ana").await;
            assert_eq!(
                ana_now["shifts"],
                json!(["mon-fri 09:00-17:00"]),
                "unchanged"
            );

            let (status, _) = ana.put(&app, path, json!({"shifts": []})).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            assert_eq!(
                ana.get(&app, "/api/v1/operators").await.0,
                StatusCode::FORBIDDEN
            );
            let nobody = "/api/v1/operators/nobody/shifts";
            let (status, _) = sam.put(&app, nobody, json!({"shifts": []})).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            let (_, audit) = sam.get(&app, "/api/v1/audit?action=set_shifts").await;
            assert_eq!(
                audit.as_array().map(Vec::len),
                Some(1),
                "only the change: {audit}"
            );
        },
    )
    .await;
}
