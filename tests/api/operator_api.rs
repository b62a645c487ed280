//! The operator API over real HTTP: tokens, the queue, one request, the claim race, outcomes,
//! roles, the recording link, call search and the audit log.

use hotline::operators::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::staff::{add_staff, leave_callback_request, request_id_of};
use crate::support::helpers::{AFTER_HOURS, CALLER, Options, WEEKEND_MORNING, spawn_app};

fn category<'a>(queue: &'a Value, id: &str) -> &'a Value {
    queue["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no category {id} in {queue}"))
}

#[tokio::test]
async fn requests_without_a_valid_token_are_refused_with_json() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let bare = app
        .client
        .get(format!("{}/api/v1/queue", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(bare.headers()["www-authenticate"], "Bearer");
    let body: Value = bare.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let forged = app
        .client
        .get(format!("{}/api/v1/queue", app.base))
        .bearer_auth("hl_not-a-real-token")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_operator_works_a_request_from_queue_to_completion() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&app, "1", "2", "2", Some("https://rec.example/RE1")).await;
    let id = request_id_of(&app, &sid).await;
    let ana = add_staff(&app, "ana", Role::Operator, &["victim_assistance"]).await;

    let (status, queue) = ana.get(&app, "/api/v1/queue").await;
    assert_eq!(status, StatusCode::OK);
    let va = category(&queue, "victim_assistance");
    assert_eq!(va["callbacks"][0]["id"], id.as_str());
    assert_eq!(va["callbacks"][0]["has_recording"], true);
    assert!(
        !queue.to_string().contains("2025550123"),
        "no numbers in the queue: {queue}"
    );

    let (status, detail) = ana.get(&app, &format!("/api/v1/callbacks/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["request"]["phone_number"], CALLER);
    assert_eq!(detail["request"]["safe_to_leave_message"], false);
    assert_eq!(
        detail["recording"],
        format!("/api/v1/callbacks/{id}/recording")
    );
    assert!(
        !detail.to_string().contains("rec.example"),
        "the raw recording URL is not handed out"
    );
    let nodes: Vec<&str> = detail["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["node"].as_str().unwrap())
        .collect();
    assert!(
        nodes.contains(&"main_menu") && nodes.contains(&"safe_to_message"),
        "{nodes:?}"
    );
    let menu = detail["steps"]
        .as_array()
        .and_then(|steps| steps.iter().find(|s| s["node"] == "main_menu"))
        .expect("the main menu's step");
    assert_eq!(menu["node_title"], "Main menu", "beside the id: {menu}");
    assert_eq!(detail["category_title"], "Victim assistance");
    assert_eq!(detail["category_label"], "a victim assistance specialist");
    let outcomes = detail["outcomes"].to_string();
    assert!(
        !outcomes.contains("left_message"),
        "unsafe: no 'left a message' offered: {outcomes}"
    );

    let (status, claimed) = ana
        .post(&app, &format!("/api/v1/callbacks/{id}/claim"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    assert_eq!(claimed["status"], "claimed");
    let (status, refused) = ana
        .post(
            &app,
            &format!("/api/v1/callbacks/{id}/complete"),
            json!({"outcome": "left_message"}),
        )
        .await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("message_not_safe"))
    );
    let (status, bad) = ana
        .post(
            &app,
            &format!("/api/v1/callbacks/{id}/complete"),
            json!({"outcome": "called"}),
        )
        .await;
    assert_eq!(
        (status, bad["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid"))
    );
    let body = json!({"outcome": "reached", "notes": "Referred to the local office."});
    let (status, done) = ana
        .post(&app, &format!("/api/v1/callbacks/{id}/complete"), body)
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (done["status"].as_str(), done["outcome"].as_str()),
        (Some("completed"), Some("reached"))
    );

    let (_, queue) = ana.get(&app, "/api/v1/queue").await;
    assert!(
        category(&queue, "victim_assistance")["callbacks"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_many_operators_claiming_one_request_at_once_exactly_one_gets_it() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&app, "1", "0", "1", None).await;
    let id = request_id_of(&app, &sid).await;
    let url = format!("{}/api/v1/callbacks/{id}/claim", app.base);
    let mut claims = tokio::task::JoinSet::new();
    for i in 0..16 {
        let staff = add_staff(&app, &format!("op{i}"), Role::Operator, &["general"]).await;
        let (client, url) = (app.client.clone(), url.clone());
        claims.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(&staff.token)
                .send()
                .await
                .unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        });
    }
    let results = claims.join_all().await;
    let won = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(won, 1, "{results:?}");
    for (status, body) in results.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "already_claimed");
    }
}

#[tokio::test]
async fn operators_see_only_their_categories_and_supervisors_see_all_and_the_audit_log() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let sid = leave_callback_request(&app, "1", "5", "1", Some("https://rec.example/RE2")).await;
    let id = request_id_of(&app, &sid).await;
    let ben = add_staff(&app, "ben", Role::Operator, &["general"]).await;
    let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;

    let (_, queue) = ben.get(&app, "/api/v1/queue").await;
    let ids: Vec<&str> = queue["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["general"], "ben works general only");
    let (status, _) = ben.get(&app, &format!("/api/v1/callbacks/{id}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another category's request does not exist for ben"
    );
    let (status, _) = ben
        .post(&app, &format!("/api/v1/callbacks/{id}/claim"), json!({}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = ben.get(&app, "/api/v1/audit").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );

    let (_, queue) = sam.get(&app, "/api/v1/queue").await;
    assert_eq!(
        category(&queue, "records_request")["callbacks"][0]["id"],
        id.as_str()
    );
    let (status, _) = sam.get(&app, &format!("/api/v1/callbacks/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let no_follow = crate::support::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let redirect = no_follow
        .get(format!("{}/api/v1/callbacks/{id}/recording", app.base))
        .bearer_auth(&sam.token)
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
    assert_eq!(redirect.headers()["location"], "https://rec.example/RE2");

    let (status, log) = sam.get(&app, &format!("/api/v1/audit?subject={id}")).await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["operator_name"].as_str().unwrap(),
                e["action"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        actions
            .iter()
            .filter(|a| *a == "sam play_recording")
            .count()
            >= 1,
        "{actions:?}"
    );
    assert!(
        actions.contains(&"sam view_request".to_string()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn calls_can_be_searched_by_day_and_category() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    let general = leave_callback_request(&app, "1", "0", "1", None).await;
    let records = leave_callback_request(&app, "2", "5", "1", None).await;
    let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
    let ben = add_staff(&app, "ben", Role::Operator, &["general"]).await;
    // AFTER_HOURS is the evening of 2026-11-30 in New York, the hotline's time zone.
    let (status, all) = sam
        .get(&app, "/api/v1/calls?from=2026-11-30&to=2026-12-01")
        .await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let sids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["call_sid"].as_str().unwrap())
        .collect();
    assert_eq!(sids.len(), 2);
    assert!(sids.contains(&general.as_str()) && sids.contains(&records.as_str()));
    let (_, one) = sam
        .get(
            &app,
            "/api/v1/calls?from=2026-11-30&to=2026-12-01&category=records_request",
        )
        .await;
    assert_eq!(one[0]["call_sid"], records.as_str());
    assert_eq!(one.as_array().unwrap().len(), 1);
    let (_, mine) = ben
        .get(&app, "/api/v1/calls?from=2026-11-30&to=2026-12-01")
        .await;
    assert_eq!(
        mine.as_array().unwrap().len(),
        1,
        "ben sees general calls only"
    );
    let (status, _) = ben
        .get(
            &app,
            "/api/v1/calls?from=2026-11-30&to=2026-12-01&category=records_request",
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, other_day) = sam
        .get(&app, "/api/v1/calls?from=2026-12-01&to=2026-12-02")
        .await;
    assert!(other_day.as_array().unwrap().is_empty());
    let (status, bad) = sam
        .get(&app, "/api/v1/calls?from=yesterday&to=2026-12-02")
        .await;
    assert_eq!(
        (status, bad["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid"))
    );
}

#[tokio::test]
async fn supervisors_read_reports_as_json_and_csv_and_operators_cannot() {
    let app = spawn_app(Options::at(AFTER_HOURS)).await;
    leave_callback_request(&app, "1", "2", "1", None).await;
    let mut lost = app.call("+12025550188");
    lost.start().await;
    lost.press("1").await;
    lost.end("completed", "20", "5").await;
    let sam = add_staff(&app, "sam", Role::Supervisor, &[]).await;
    let ben = add_staff(&app, "ben", Role::Operator, &["general"]).await;
    let period = "from=2026-11-30&to=2026-12-01";

    let (status, report) = sam.get(&app, &format!("/api/v1/reports?{period}")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let route = |name: &str| {
        report["triage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["route"] == name)
            .unwrap()["calls"]
            .clone()
    };
    assert_eq!((route("menu"), route("untriaged")), (json!(1), json!(1)));
    let menu = report["drop_off"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["node"] == "main_menu")
        .unwrap();
    assert_eq!(
        menu["hung_up"], 1,
        "the lost caller hung up at the main menu: {report}"
    );
    assert_eq!(menu["node_title"], "Main menu");

    let csv = app
        .client
        .get(format!(
            "{}/api/v1/reports/calls-per-day.csv?{period}",
            app.base
        ))
        .bearer_auth(&sam.token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("calls-per-day.csv")
    );
    let text = csv.text().await.unwrap();
    assert_eq!(
        text.lines().next(),
        Some("date,category,calls,category_title")
    );
    assert!(
        text.contains("2026-11-30,victim_assistance,1,Victim assistance\n"),
        "{text}"
    );

    let (status, _) = ben.get(&app, &format!("/api/v1/reports?{period}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = sam
        .get(&app, &format!("/api/v1/reports/nonsense?{period}"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn claim_release_and_complete_answers_give_the_recording_only_as_the_audited_link() {
    let app = spawn_app(Options::at(WEEKEND_MORNING)).await;
    let sid = leave_callback_request(&app, "1", "2", "1", Some("https://rec.example/RE7")).await;
    let id = request_id_of(&app, &sid).await;
    let ana = add_staff(&app, "ana", Role::Operator, &["victim_assistance"]).await;
    let claim = format!("/api/v1/callbacks/{id}/claim");
    let (_, claimed) = ana.post(&app, &claim, json!({})).await;
    let (_, released) = ana
        .post(&app, &format!("/api/v1/callbacks/{id}/release"), json!({}))
        .await;
    let (_, again) = ana.post(&app, &claim, json!({})).await;
    let body = json!({"outcome": "no_answer"});
    let (_, done) = ana
        .post(&app, &format!("/api/v1/callbacks/{id}/complete"), body)
        .await;
    // Straight after a call nobody answered, the request waits for the flow's gap.
    let (status, refused) = ana.post(&app, &claim, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error"]["code"], "not_due", "{refused}");
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("11:00 on Sat 5 Dec"), "{message}");
    for answer in [&claimed, &done, &again, &released] {
        assert!(!answer.to_string().contains("rec.example"), "{answer}");
        assert_eq!(
            answer["recording"],
            format!("/api/v1/callbacks/{id}/recording")
        );
    }
    assert_eq!(
        done["status"], "pending",
        "one unanswered call puts it back"
    );
    assert_eq!(done["no_answer_attempts"], 1);
}
